"""A parsed formula evaluated with numpy, value and slope (forward mode), for the load-time check.

The slope the scenes show is JAX's (:mod:`scenes.formula.jax_backend`), which follows the same
forward-mode rules; this back end exists so that checking a spec needs numpy but not JAX.
"""

from collections.abc import Mapping
from typing import Any

import numpy as np

from scenes.formula.functions import FUNCTIONS
from scenes.formula.nodes import Node
from scenes.numbers import significant

_COMPARE = {
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
    "==": np.equal,
    "!=": np.not_equal,
}


def evaluate(node: Node, r: Any, constants: Mapping[str, float]) -> tuple[Any, Any]:
    """Return ``(l(r), l'(r))`` as numpy arrays for an array of residuals ``r``."""
    with np.errstate(all="ignore"):
        return _eval(node, np.asarray(r, dtype=np.float64), constants)


def _eval(node: Node, r: Any, constants: Mapping[str, float]) -> tuple[Any, Any]:
    kind = node[0]
    if kind == "num":
        return np.full_like(r, node[1]), np.zeros_like(r)
    if kind == "name":
        return np.full_like(r, constants[node[1]]), np.zeros_like(r)
    if kind == "r":
        return r, np.ones_like(r)
    if kind == "neg":
        value, slope = _eval(node[1], r, constants)
        return -value, -slope
    if kind == "bin":
        (a, da), (b, db) = _eval(node[2], r, constants), _eval(node[3], r, constants)
        op = node[1]
        if op == "+":
            return a + b, da + db
        if op == "-":
            return a - b, da - db
        if op == "*":
            return a * b, da * b + a * db
        if op == "/":
            return a / b, (da * b - a * db) / (b * b)
        value = a**b
        slope = b * a ** (b - 1) * da
        # Like JAX, a constant exponent contributes no log(a) term (log of a negative base).
        if node[3][0] not in ("num", "name"):
            slope = slope + np.log(a) * value * db
        return value, slope
    if kind == "cmp":
        pairs = [_eval(child, r, constants)[0] for child in node[2]]
        result = np.ones_like(r, dtype=bool)
        for op, left, right in zip(node[1], pairs, pairs[1:], strict=False):
            result &= _COMPARE[op](left, right)
        return result.astype(np.float64), np.zeros_like(r)
    # call
    function = FUNCTIONS[node[1]]
    args = [_eval(child, r, constants) for child in node[2]]
    if function.name == "where":
        (c, _), (a, da), (b, db) = args
        chosen = c != 0
        return np.where(chosen, a, b), np.where(chosen, da, db)
    if function.name in ("minimum", "maximum"):
        (a, da), (b, db) = args
        first = a < b if function.name == "minimum" else a > b
        # Ties split the slope evenly, as JAX does.
        tie = a == b
        value = np.where(first | tie, a, b)
        return value, np.where(tie, 0.5 * (da + db), np.where(first, da, db))
    assert function.slope is not None, f"{function.name} needs a slope in the function table"
    (a, da) = args[0]
    value = getattr(np, function.numpy)(a)
    return value, function.slope(np, a, value) * da


def check_finite(
    node: Node, constants: Mapping[str, float], x_range: tuple[float, float], num: int = 2001
) -> str | None:
    """Why the loss is unusable over ``x_range`` (not finite, or no finite slope), or None."""
    lo, hi = x_range
    r = np.linspace(lo, hi, num)
    if lo < 0.0 < hi:
        # Kinks sit at 0 more often than anywhere else.
        r = np.sort(np.append(r, 0.0))
    value, slope = evaluate(node, r, constants)
    value = np.broadcast_to(value, r.shape)
    slope = np.broadcast_to(slope, r.shape)
    for values, what in ((value, "is not finite"), (slope, "has no finite derivative")):
        bad = ~np.isfinite(values)
        if bad.any():
            where_ = float(r[np.argmax(bad)])
            return (
                f"the loss {what} at r = {significant(where_)} "
                f"(inside x_range [{significant(lo)}, {significant(hi)}])"
            )
    return None
