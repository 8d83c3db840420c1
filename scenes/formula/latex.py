"""A parsed formula typeset as LaTeX (for MathTex), from the function table's LaTeX forms."""

from scenes.formula.functions import FUNCTIONS, fill
from scenes.formula.nodes import Node
from scenes.numbers import VALUE_DIGITS, significant

__all__ = ["name_tex", "to_latex"]

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "**": 4}
_COMPARE = {"<": "<", "<=": r"\le", ">": ">", ">=": r"\ge", "==": "=", "!=": r"\ne"}


def to_latex(node: Node) -> str:
    """The formula of a parsed tree in LaTeX; constants by name (:func:`name_tex`)."""
    return _tex(node, 0)


def name_tex(name: str) -> str:
    """A parameter name in LaTeX: ``w_out`` as w with the subscript "out", as it is read.

    A bare ``_`` in LaTeX starts a subscript of one character (``w_out`` came out as w sub o,
    followed by "ut"), so the first inner ``_`` becomes a subscript of the whole rest and any
    other ``_`` is printed as itself.
    """
    base, _, rest = name.partition("_")
    if base and rest:
        return rf"\mathit{{{base}}}_{{\mathit{{{_escape(rest)}}}}}"
    return rf"\mathit{{{_escape(name)}}}"


def _escape(text: str) -> str:
    return text.replace("_", r"\_")


def _tex(node: Node, outer: int) -> str:
    kind = node[0]
    if kind == "num":
        return significant(node[1], VALUE_DIGITS)
    if kind == "r":
        return "r"
    if kind == "name":
        return name_tex(node[1])
    if kind == "neg":
        inner = "-" + _tex(node[1], 3)
        return rf"\left({inner}\right)" if outer > 1 else inner
    if kind == "cmp":
        parts = [_tex(node[2][0], 1)]
        for op, child in zip(node[1], node[2][1:], strict=False):
            parts += [_COMPARE[op], _tex(child, 1)]
        return " ".join(parts)
    if kind == "bin":
        op = node[1]
        level = _PRECEDENCE[op]
        if op == "/":
            return rf"\frac{{{_tex(node[2], 0)}}}{{{_tex(node[3], 0)}}}"
        if op == "**":
            return rf"{{{_tex(node[2], 5)}}}^{{{_tex(node[3], 0)}}}"
        right_level = level + 1 if op == "-" else level
        sign = {"+": "+", "-": "-", "*": r"\,"}[op]
        inner = f"{_tex(node[2], level)} {sign} {_tex(node[3], right_level)}"
        return rf"\left({inner}\right)" if outer > level else inner
    return fill(FUNCTIONS[node[1]].latex, [_tex(a, 0) for a in node[2]])
