"""The formula language of the `expr` loss: parsed with :mod:`ast`, never evaluated as Python.

A formula is parsed by Python's parser into a syntax tree, and only a whitelisted subset of that
tree is accepted and copied into small immutable nodes (:data:`Node`): numbers, ``r``, names of
constants, ``+ - * / **``, unary minus, comparisons, and calls to a fixed list of functions.
Nothing is ever passed to ``eval``, ``exec`` or ``compile``. The maths layer maps the nodes
to ``jax.numpy`` (:mod:`scenes.formula.jax_backend`); this module also evaluates them with
numpy, value and forward-mode slope, to reject at load time a formula that is not finite over
the plotted range.
"""

import ast
import keyword
import math
import re
from collections.abc import Mapping
from typing import Any

__all__ = [
    "FUNCTIONS",
    "MAX_DEPTH",
    "ExprProblem",
    "Node",
    "check_finite",
    "evaluate",
    "parse_expr",
    "reserved_word",
]

MAX_DEPTH = 32
"""Deepest nesting of operations accepted; deeper formulas are almost surely generated junk."""

FUNCTIONS: dict[str, int] = {
    "abs": 1,
    "sqrt": 1,
    "exp": 1,
    "log": 1,
    "log1p": 1,
    "cosh": 1,
    "sinh": 1,
    "tanh": 1,
    "minimum": 2,
    "maximum": 2,
    "where": 3,
}
"""The callable functions and how many arguments each takes."""

# A node is a tuple: ("num", float) | ("r",) | ("name", str) | ("neg", node)
# | ("bin", op, node, node) | ("cmp", ops, nodes) | ("call", fname, nodes)
Node = tuple[Any, ...]

_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_COMPARE = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}

# What users write, and what to say instead: the most common ways out of the language.
_REFUSED = {
    ast.Attribute: "attribute access (a.b) is not allowed",
    ast.Subscript: "indexing (a[b]) is not allowed",
    ast.Lambda: "lambda is not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.JoinedStr: "f-strings are not allowed",
    ast.BoolOp: "and/or are not allowed; use where(...) or minimum/maximum",
    ast.IfExp: "`a if c else b` is not allowed; write where(c, a, b)",
    ast.NamedExpr: ":= is not allowed",
    ast.Starred: "* unpacking is not allowed",
    ast.Await: "await is not allowed",
    ast.Yield: "yield is not allowed",
}


class ExprProblem(ValueError):
    """Why a formula is not acceptable, in words for the user."""


def parse_expr(text: str, names: Mapping[str, object] | frozenset[str] = frozenset()) -> Node:
    """Parse ``text`` into a :data:`Node` tree, allowing the constant ``names``.

    Raises :class:`ExprProblem` for anything outside the formula language.
    """
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        word = _reserved_word(text)
        if word is not None:
            raise ExprProblem(
                f"{word!r} is a reserved word, so it cannot name a value here; rename it "
                f"(for example {word}_), in params as well"
            ) from None
        raise ExprProblem(f"not a formula: {error.msg}") from None
    except (RecursionError, MemoryError, ValueError):
        raise ExprProblem("the formula is too deeply nested or not valid text") from None
    return _convert(tree.body, frozenset(names), 1)


def reserved_word(name: str) -> bool:
    """Whether ``name`` is one of Python's keywords, which its parser never reads as a name."""
    return keyword.iskeyword(name)


def _reserved_word(text: str) -> str | None:
    """The first keyword written where a name would go (``lambda * r``), if any."""
    for word in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text):
        if reserved_word(word) and word not in ("True", "False", "None"):
            return word
    return None


def _convert(node: ast.AST, names: frozenset[str], depth: int) -> Node:
    if depth > MAX_DEPTH:
        raise ExprProblem(f"the formula nests more than {MAX_DEPTH} operations deep")
    deeper = depth + 1
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ExprProblem(f"only numbers are allowed as constants, not {value!r:.40}")
        try:
            number = float(value)
        except OverflowError:
            raise ExprProblem("a number in the formula is too large") from None
        if not math.isfinite(number):
            raise ExprProblem("a number in the formula is too large")
        return ("num", number)
    if isinstance(node, ast.Name):
        if node.id == "r":
            return ("r",)
        if node.id in names:
            return ("name", node.id)
        if node.id in FUNCTIONS:
            raise ExprProblem(f"{node.id} is a function: call it, as in {node.id}(r)")
        known = ", ".join(["r", *sorted(names)])
        raise ExprProblem(f"unknown name {node.id!r}; use {known} (add constants under params)")
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.USub):
            return ("neg", _convert(node.operand, names, deeper))
        if isinstance(node.op, ast.UAdd):
            return _convert(node.operand, names, deeper)
        raise ExprProblem("only unary minus and plus are allowed")
    if isinstance(node, ast.BinOp):
        op = _BINARY.get(type(node.op))
        if op is None:
            raise ExprProblem("only + - * / ** are allowed as operators")
        return (
            "bin",
            op,
            _convert(node.left, names, deeper),
            _convert(node.right, names, deeper),
        )
    if isinstance(node, ast.Compare):
        ops = []
        for item in node.ops:
            if type(item) not in _COMPARE:
                raise ExprProblem("only < <= > >= == != are allowed as comparisons")
            ops.append(_COMPARE[type(item)])
        operands = [node.left, *node.comparators]
        return ("cmp", tuple(ops), tuple(_convert(o, names, deeper) for o in operands))
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            allowed = ", ".join(FUNCTIONS)
            what = node.func.id if isinstance(node.func, ast.Name) else "this"
            raise ExprProblem(f"cannot call {what!r}: the functions are {allowed}")
        name = node.func.id
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise ExprProblem(f"{name}() takes plain arguments, no keywords or unpacking")
        if len(node.args) != FUNCTIONS[name]:
            count = FUNCTIONS[name]
            raise ExprProblem(
                f"{name}() takes {count} argument{'s' if count != 1 else ''}, got {len(node.args)}"
            )
        return ("call", name, tuple(_convert(a, names, deeper) for a in node.args))
    for kind, message in _REFUSED.items():
        if isinstance(node, kind):
            raise ExprProblem(message)
    raise ExprProblem(f"{type(node).__name__} is not part of the formula language")


# --------------------------------------------------------------------------------------------------
# numpy evaluation, value and slope (forward mode), for the load-time check only. The slope the
# scenes show is JAX's (scenes.formula.jax_backend), which follows the same forward-mode rules.


def evaluate(node: Node, r: Any, constants: Mapping[str, float]) -> tuple[Any, Any]:
    """Return ``(l(r), l'(r))`` as numpy arrays for an array of residuals ``r``."""
    import numpy as np

    with np.errstate(all="ignore"):
        return _eval(node, np.asarray(r, dtype=np.float64), constants)


def _eval(node: Node, r: Any, constants: Mapping[str, float]) -> tuple[Any, Any]:
    import numpy as np

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
            result &= {
                "<": np.less,
                "<=": np.less_equal,
                ">": np.greater,
                ">=": np.greater_equal,
                "==": np.equal,
                "!=": np.not_equal,
            }[op](left, right)
        return result.astype(np.float64), np.zeros_like(r)
    # call
    name, args = node[1], [_eval(child, r, constants) for child in node[2]]
    if name == "where":
        (c, _), (a, da), (b, db) = args
        chosen = c != 0
        return np.where(chosen, a, b), np.where(chosen, da, db)
    if name in ("minimum", "maximum"):
        (a, da), (b, db) = args
        first = a < b if name == "minimum" else a > b
        # Ties split the slope evenly, as JAX does.
        tie = a == b
        value = np.where(first | tie, a, b)
        return value, np.where(tie, 0.5 * (da + db), np.where(first, da, db))
    (a, da) = args[0]
    value = {
        "abs": np.abs,
        "sqrt": np.sqrt,
        "exp": np.exp,
        "log": np.log,
        "log1p": np.log1p,
        "cosh": np.cosh,
        "sinh": np.sinh,
        "tanh": np.tanh,
    }[name](a)
    local = {
        "abs": lambda: np.where(a >= 0, 1.0, -1.0),  # JAX: slope 1 at 0
        "sqrt": lambda: 0.5 / value,
        "exp": lambda: value,
        "log": lambda: 1.0 / a,
        "log1p": lambda: 1.0 / (1.0 + a),
        "cosh": lambda: np.sinh(a),
        "sinh": lambda: np.cosh(a),
        "tanh": lambda: 1.0 - value * value,
    }[name]()
    return value, local * da


def check_finite(
    node: Node, constants: Mapping[str, float], x_range: tuple[float, float], num: int = 2001
) -> str | None:
    """Why the loss is unusable over ``x_range`` (not finite, or no finite slope), or None."""
    import numpy as np

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
            return f"the loss {what} at r = {where_:.6g} (inside x_range [{lo:g}, {hi:g}])"
    return None
