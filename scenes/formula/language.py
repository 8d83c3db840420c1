"""The formula language of the `expr` loss: parsed with :mod:`ast`, never evaluated as Python.

A formula is parsed by Python's parser into a syntax tree, and only a whitelisted subset of that
tree is accepted and copied into small immutable nodes (:data:`Node`): numbers, ``r``, names of
constants, ``+ - * / **``, unary minus, comparisons, and calls to a fixed list of functions.
Nothing is ever passed to ``eval``, ``exec`` or ``compile``. The functions and their forms are
in one table (:mod:`scenes.formula.functions`); the back ends map the nodes to ``jax.numpy``
(:mod:`scenes.formula.jax_backend`), to numpy, value and forward-mode slope, to reject at load
time a formula that is not finite over the plotted range (:mod:`scenes.formula.numpy_backend`),
to LaTeX (:mod:`scenes.formula.latex`) and to JavaScript (:mod:`scenes.formula.javascript`).
"""

import ast
import keyword
import math
import re
from collections.abc import Mapping
from typing import Any

from scenes.formula.functions import FUNCTIONS
from scenes.formula.nodes import Node

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
        count = FUNCTIONS[name].arity
        if len(node.args) != count:
            raise ExprProblem(
                f"{name}() takes {count} argument{'s' if count != 1 else ''}, got {len(node.args)}"
            )
        return ("call", name, tuple(_convert(a, names, deeper) for a in node.args))
    for kind, message in _REFUSED.items():
        if isinstance(node, kind):
            raise ExprProblem(message)
    raise ExprProblem(f"{type(node).__name__} is not part of the formula language")


# --------------------------------------------------------------------------------------------------
# The numeric checks live in the numpy back end (scenes.formula.numpy_backend); these names stay
# here, imported lazily, so that parsing a formula needs neither numpy nor JAX.


def evaluate(node: Node, r: Any, constants: Mapping[str, float]) -> tuple[Any, Any]:
    """Return ``(l(r), l'(r))`` as numpy arrays for an array of residuals ``r``."""
    from scenes.formula import numpy_backend

    return numpy_backend.evaluate(node, r, constants)


def check_finite(
    node: Node, constants: Mapping[str, float], x_range: tuple[float, float], num: int = 2001
) -> str | None:
    """Why the loss is unusable over ``x_range`` (not finite, or no finite slope), or None."""
    from scenes.formula import numpy_backend

    return numpy_backend.check_finite(node, constants, x_range, num)
