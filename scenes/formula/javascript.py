"""A parsed formula as one JavaScript expression, for explorable pages in the browser.

The expression reads the residual from a variable ``r`` and each constant from an object ``c``
(``c["delta"]``), so a page can move a constant with a slider without parsing anything; a
constant's name never becomes a JavaScript identifier (``var``, ``Math`` and ``this`` are fine
names in a spec). Given ``values``, the constants are written in as numbers instead.

It computes what the numpy back end computes (:mod:`scenes.formula.numpy_backend`) in double
precision: every operation is parenthesised, so JavaScript's own precedence plays no part (``-x
** 2`` is even a syntax error there); a comparison is 1 or 0, as in numpy, and a condition is
true when nonzero. One difference is inherited from the languages: ``1 ** NaN`` is NaN in
JavaScript and 1 in numpy.
"""

import json
from collections.abc import Mapping

from scenes.formula.functions import FUNCTIONS, fill
from scenes.formula.nodes import Node

__all__ = ["RESIDUAL", "CONSTANTS", "to_javascript"]

RESIDUAL = "r"
"""The JavaScript variable that holds the residual."""
CONSTANTS = "c"
"""The JavaScript object that holds the constants by name."""

_COMPARE = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "==": "===", "!=": "!=="}


def to_javascript(node: Node, values: Mapping[str, float] | None = None) -> str:
    """A JavaScript expression of ``r`` (and ``c``, unless ``values`` gives the constants)."""
    return _js(node, values)


def _number(value: float) -> str:
    # repr gives the shortest text that reads back as the same double, in a syntax JavaScript
    # shares (1.5, 1e-05, 1e+16); the parser admits no infinity or NaN.
    return repr(float(value))


def _js(node: Node, values: Mapping[str, float] | None) -> str:
    kind = node[0]
    if kind == "num":
        return _number(node[1])
    if kind == "r":
        return RESIDUAL
    if kind == "name":
        if values is not None:
            return f"({_number(values[node[1]])})"
        return f"{CONSTANTS}[{json.dumps(node[1])}]"
    if kind == "neg":
        return f"(-{_js(node[1], values)})"
    if kind == "bin":
        return f"({_js(node[2], values)} {node[1]} {_js(node[3], values)})"
    if kind == "cmp":
        operands = [_js(child, values) for child in node[2]]
        tests = [
            f"{left} {_COMPARE[op]} {right}"
            for op, left, right in zip(node[1], operands, operands[1:], strict=False)
        ]
        return f"Number({' && '.join(tests)})"
    return fill(FUNCTIONS[node[1]].javascript, [_js(child, values) for child in node[2]])
