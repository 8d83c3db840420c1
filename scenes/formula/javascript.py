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

import itertools
import json
from collections.abc import Mapping

from scenes.formula.functions import FUNCTIONS, fill
from scenes.formula.nodes import Node

__all__ = ["RESIDUAL", "CONSTANTS", "to_javascript", "to_javascript_slope"]

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


def to_javascript_slope(node: Node) -> str:
    """JavaScript statements of ``r`` and ``c`` that end in ``return`` the slope ``l'(r)``.

    Forward mode, written out at export: each operation's value and tangent become constants of
    the generated code, by the rules JAX's forward mode follows (the ``expr`` loss's slope in
    :mod:`scenes.formula.jax_backend` is ``jax.jvp``): a part that does not depend on ``r`` has
    no tangent at all (so ``a ** 2`` takes no ``log(a)``), ``where`` takes the tangent of the
    branch it chooses, a tie of ``minimum`` or ``maximum`` splits it evenly, and a power's
    slope is 0 where its exponent is 0. Each function's own slope is its ``javascript_slope``
    in the function table.
    """
    lines: list[str] = []
    names = (f"t{index}" for index in itertools.count())

    def let(expression: str) -> str:
        name = next(names)
        lines.append(f"const {name} = {expression};")
        return name

    def walk(node: Node) -> tuple[str, str | None]:
        """The value's expression and the tangent's (None: zero, nothing depends on r)."""
        kind = node[0]
        if kind == "num":
            return _number(node[1]), None
        if kind == "r":
            return RESIDUAL, "1"
        if kind == "name":
            return f"{CONSTANTS}[{json.dumps(node[1])}]", None
        if kind == "neg":
            value, tangent = walk(node[1])
            return let(f"-{value}"), None if tangent is None else let(f"-{tangent}")
        if kind == "cmp":
            return let(_cmp(node, walk)), None
        if kind == "bin":
            (a, da), (b, db) = walk(node[2]), walk(node[3])
            op = node[1]
            value = let(f"{a} {op} {b}")
            if da is None and db is None:
                return value, None
            if op in "+-":
                parts = [da or "0", db or "0"]
                return value, let(f"{parts[0]} {op} {parts[1]}")
            if op == "*":
                terms = [f"{da} * {b}"] if da else []
                terms += [f"{a} * {db}"] if db else []
                return value, let(" + ".join(terms))
            if op == "/":
                terms = [f"{da} / {b}"] if da else []
                terms += [f"-{a} * {db} / ({b} * {b})"] if db else []
                return value, let(" + ".join(terms))
            # a ** b, as jax.lax.pow differentiates it.
            terms = [f"({b} === 0 ? 0 : {b} * {a} ** ({b} - 1)) * {da}"] if da else []
            terms += [f"Math.log({a} === 0 ? 1 : {a}) * {value} * {db}"] if db else []
            return value, let(" + ".join(terms))
        function = FUNCTIONS[node[1]]
        args = [walk(child) for child in node[2]]
        if function.name == "where":
            (c, _), (a, da), (b, db) = args
            value = let(f"{c} !== 0 ? {a} : {b}")
            if da is None and db is None:
                return value, None
            return value, let(f"{c} !== 0 ? {da or 0} : {db or 0}")
        if function.name in ("minimum", "maximum"):
            (a, da), (b, db) = args
            value = let(fill(function.javascript, [a, b]))
            if da is None and db is None:
                return value, None
            first = "<" if function.name == "minimum" else ">"
            da, db = da or "0", db or "0"
            return value, let(f"{a} === {b} ? 0.5 * ({da} + {db}) : {a} {first} {b} ? {da} : {db}")
        assert function.javascript_slope is not None, function.name
        (a, da), *_ = args
        value = let(fill(function.javascript, [a]))
        if da is None:
            return value, None
        return value, let(f"({fill(function.javascript_slope, [a, value])}) * {da}")

    def _cmp(node: Node, walk_) -> str:
        operands = [walk_(child)[0] for child in node[2]]
        tests = [
            f"{left} {_COMPARE[op]} {right}"
            for op, left, right in zip(node[1], operands, operands[1:], strict=False)
        ]
        return f"Number({' && '.join(tests)})"

    _, tangent = walk(node)
    lines.append(f"return {tangent or '0'};")
    return "\n".join(lines)
