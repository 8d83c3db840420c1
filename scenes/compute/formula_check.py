"""Whether a scene with a formula loss computes: ``check`` runs the maths for ``expr`` losses.

A formula can be finite over the plotted range and still fail where the descent goes: ``-r**2``
has no minimum (the estimate runs off for ever), ``exp(10*r)`` falls towards a minimum at
infinity, and ``log(cosh(r))`` overflows at residuals beyond about 710 that data in the hundreds
produce. The built-in losses are written to stay finite and to have a minimum; a formula can only
be known to by computing it. So a scene with an ``expr`` loss is computed once, with the same
code as ``compute`` and ``render``, and what goes wrong is said in words about the formula.
A summary's formulas likewise: each one's minimiser is searched for as the summary does.

Only ``expr`` scenes pay for this (it imports JAX); every other spec is checked without it.

Before that, :func:`formula_form_problems` asks the formula language what a parser can say: that
a constant is named by a Python keyword, that the formula is not one of the language, that it is
not finite over the plotted range. The spec layer cannot (it imports nothing above itself).
"""

from typing import Any

import numpy as np

from scenes.numbers import significant

__all__ = ["formula_form_problems", "formula_problem", "summary_formula_problems"]

# A summary's search for a minimum (scenes.maths.minimise) scans from the median towards the
# last observation and this fraction of the data's spread beyond it.
_SEARCH_OVERSHOOT = 0.05
_SEARCH_POINTS = 401


def formula_form_problems(spec: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """Where, and why, each ``expr`` loss of ``spec`` (its ``loss``, or each of its ``losses``)
    is not a formula of the language (for a loss scene's ``loss``: or is not finite over
    ``curves.x_range``). Each place is a path of YAML keys (``loss.expr``); empty if all are fine.
    """
    from scenes.spec import ExprLoss

    found = []
    loss = getattr(spec, "loss", None)
    if isinstance(loss, ExprLoss):
        problem = _form_problem(loss, ("loss",), spec.curves.x_range)
        found += [problem] if problem is not None else []
    for index, each in enumerate(getattr(spec, "losses", None) or []):
        if isinstance(each, ExprLoss):
            problem = _form_problem(each, ("losses", index), None)
            found += [problem] if problem is not None else []
    return found


def _form_problem(
    loss: Any, at: tuple[str | int, ...], x_range: tuple[float, float] | None
) -> tuple[tuple[str | int, ...], str] | None:
    from scenes.formula.language import ExprProblem, check_finite, parse_expr, reserved_word

    for key in loss.constants:
        if reserved_word(key):
            return (*at, "params", key), (
                f"{key!r} is a reserved word, so it cannot name a parameter; rename it "
                f"(for example {key}_), in expr as well"
            )
    try:
        tree = parse_expr(loss.expr, frozenset(loss.constants))
    except ExprProblem as error:
        return (*at, "expr"), str(error)
    problem = check_finite(tree, loss.constants, x_range) if x_range is not None else None
    return ((*at, "expr"), problem) if problem is not None else None


def formula_problem(spec: Any) -> str | None:
    """Why the scene ``spec`` (with an ``expr`` loss) would not compute; None if it does."""
    from scenes import maths
    from scenes.compute.loss import compute_scene

    y = np.asarray(spec.observations.resolve(), dtype=np.float64)
    start = spec.estimate.start if spec.estimate.start is not None else maths.default_start(y)
    loss = maths.make_loss("expr", dict(spec.loss.params()))
    trajectory = maths.descend(loss, y, start, spec.estimate.steps).trajectory
    # The residuals the descent meets, in the order it meets them: is the loss finite there?
    met = trajectory[: int(np.argmin(np.isfinite(trajectory))) or len(trajectory)]
    problem = _not_finite_problem(spec.loss, y, met, "the descent meets")
    if problem is not None:
        return problem
    no_minimum = (
        "the descent finds no minimum: from the start the mean loss keeps falling beyond the "
        "data (is the loss bounded below, and does it grow away from r = 0?)"
    )
    if not np.all(np.isfinite(trajectory)):
        return no_minimum
    try:
        data = compute_scene(spec)
    except ArithmeticError:
        return no_minimum
    numbers: list[np.ndarray] = [
        data.curves.loss,
        data.curves.density,
        data.curves.derivative,
        data.descent.step_sizes,
        data.descent.pulls,
        np.array([ref.value for ref in data.references.values()]),
    ]
    if not all(np.all(np.isfinite(array)) for array in numbers):
        return "the loss gives numbers that are not finite (the curves, pulls or references)"
    return None


def _not_finite_problem(loss: Any, y: np.ndarray, thetas: np.ndarray, who: str) -> str | None:
    """Why the ``expr`` ``loss`` cannot be used at the residuals ``y - theta`` for each of
    ``thetas`` (the loss or its slope is not finite at one of them); None if it can.
    """
    from scenes.formula.language import evaluate, parse_expr

    residuals = (y[None, :] - np.asarray(thetas, dtype=np.float64)[:, None]).ravel()
    value, slope = evaluate(
        parse_expr(loss.expr, frozenset(loss.constants)), residuals, loss.constants
    )
    bad = ~np.isfinite(np.broadcast_to(value, residuals.shape))
    bad |= ~np.isfinite(np.broadcast_to(slope, residuals.shape))
    if not bad.any():
        return None
    r = float(residuals[np.argmax(bad)])
    return (
        f"the loss or its slope is not finite at r = {significant(r)}, a residual (observation "
        f"minus estimate) that {who}; exp, cosh and sinh overflow beyond about 710: write the "
        "formula so that it stays finite there"
    )


def summary_formula_problems(spec: Any) -> list[tuple[int, str]]:
    """Why each ``expr`` loss of the summary ``spec`` would not compute, by its index in
    ``losses``; empty if every one does.

    A summary shows each loss's minimiser, found from the median of the data (as
    :func:`scenes.compute.cards.compute_summary` does, which is run here on each formula alone):
    the formula must be finite over the residuals that search meets, and have a minimum.
    """
    from scenes.compute.cards import compute_summary
    from scenes.spec import ExprLoss

    y = np.asarray(spec.observations.resolve(), dtype=np.float64)
    start = float(np.median(y))
    spread = float(np.ptp(y)) or max(abs(start), 1.0)
    found = []
    for index, loss in enumerate(spec.losses):
        if not isinstance(loss, ExprLoss):
            continue
        try:
            estimate = compute_summary(spec.model_copy(update={"losses": [loss]})).estimates[0]
            reference = estimate.reference
            ends = np.array([reference.lo, reference.hi], dtype=np.float64)
        except ArithmeticError:
            ends = np.array([np.nan])
        # Where the search went: from the median to the minimum, or, when it found none, as far
        # as it looks on either side.
        if np.all(np.isfinite(ends)):
            thetas = np.linspace(start, ends[0], _SEARCH_POINTS)
            thetas = np.append(thetas, np.linspace(start, ends[1], _SEARCH_POINTS))
        else:
            reach = _SEARCH_OVERSHOOT * spread
            thetas = np.linspace(y.min() - reach, y.max() + reach, 2 * _SEARCH_POINTS)
        problem = _not_finite_problem(loss, y, thetas, "the search for its minimum meets")
        if problem is None and not np.all(np.isfinite(ends)):
            problem = (
                "the search for its minimum finds none: from the median of the data the mean "
                "loss keeps falling beyond the data (is the loss bounded below, and does it grow "
                "away from r = 0?)"
            )
        if problem is not None:
            found.append((index, problem))
    return found
