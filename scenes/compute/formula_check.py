"""Whether a scene with a formula loss computes: ``check`` runs the maths for ``expr`` losses.

A formula can be finite over the plotted range and still fail where the descent goes: ``-r**2``
has no minimum (the estimate runs off for ever), ``exp(10*r)`` falls towards a minimum at
infinity, and ``log(cosh(r))`` overflows at residuals beyond about 710 that data in the hundreds
produce. The built-in losses are written to stay finite and to have a minimum; a formula can only
be known to by computing it. So a scene with an ``expr`` loss is computed once, with the same
code as ``compute`` and ``render``, and what goes wrong is said in words about the formula.

Only ``expr`` scenes pay for this (it imports JAX); every other spec is checked without it.

Before that, :func:`formula_form_problems` asks the formula language what a parser can say: that
a constant is named by a Python keyword, that the formula is not one of the language, that it is
not finite over the plotted range. The spec layer cannot (it imports nothing above itself).
"""

from typing import Any

import numpy as np

from scenes.numbers import significant

__all__ = ["formula_form_problems", "formula_problem"]


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
    from scenes.formula.language import evaluate, parse_expr

    y = np.asarray(spec.observations.resolve(), dtype=np.float64)
    start = spec.estimate.start if spec.estimate.start is not None else maths.default_start(y)
    loss = maths.make_loss("expr", dict(spec.loss.params()))
    trajectory = maths.descend(loss, y, start, spec.estimate.steps).trajectory
    # The residuals the descent meets, in the order it meets them: is the loss finite there?
    met = trajectory[: int(np.argmin(np.isfinite(trajectory))) or len(trajectory)]
    residuals = (y[None, :] - met[:, None]).ravel()
    value, slope = evaluate(
        parse_expr(spec.loss.expr, frozenset(spec.loss.constants)), residuals, spec.loss.constants
    )
    bad = ~np.isfinite(np.broadcast_to(value, residuals.shape))
    bad |= ~np.isfinite(np.broadcast_to(slope, residuals.shape))
    if bad.any():
        r = float(residuals[np.argmax(bad)])
        return (
            f"the loss or its slope is not finite at r = {significant(r)}, a residual (observation "
            "minus estimate) that the descent meets; exp, cosh and sinh overflow beyond about 710: "
            "write the formula so that it stays finite there"
        )
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
