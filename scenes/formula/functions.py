"""The one table of the functions a formula may call, with every form each one takes.

The parser reads the arity; the numpy back end (the load-time finiteness check) the numpy name
and the local slope; the JAX back end the ``jax.numpy`` name; the drawing the LaTeX form; the
explorable pages the JavaScript form; the spec layer's schema and parameter check the names
(:mod:`scenes.spec.formula_names`, which this table is built on). Adding a function is one entry
here and its name there.

LaTeX and JavaScript forms are templates: ``#1``, ``#2``, ``#3`` stand for the arguments, as in a
LaTeX macro. Pure Python: importing this module imports neither numpy nor JAX.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from scenes.spec.formula_names import FUNCTION_NAMES

__all__ = ["ARITY", "FUNCTIONS", "Function", "fill"]


@dataclass(frozen=True)
class Function:
    """One function of the formula language."""

    name: str
    arity: int
    numpy: str
    """The numpy function of the same meaning (``numpy.<numpy>``)."""
    jax: str
    """The ``jax.numpy`` function of the same meaning."""
    latex: str
    """How it is typeset, a template of its typeset arguments."""
    javascript: str
    """A JavaScript expression, a template of its arguments' expressions (each parenthesised)."""
    slope: Callable[[Any, Any, Any], Any] | None = None
    """For a function of one argument: its derivative ``(np, a, value) -> l'(a)`` in numpy, for
    the forward-mode slope of the load-time check (JAX differentiates by itself). None for the
    functions that choose between their arguments (minimum, maximum, where): the slope of the
    chosen argument is taken, as JAX does."""
    javascript_slope: str | None = None
    """The same derivative as a JavaScript template: ``#1`` the argument, ``#2`` the function's
    value there (the explorable pages' forward-mode slope). None where ``slope`` is None."""


def _unary(
    name: str, latex: str, slope: Callable[[Any, Any, Any], Any], javascript_slope: str
) -> Function:
    """A function of one argument with the same name in numpy, JAX and JavaScript's ``Math``."""
    return Function(name, 1, name, name, latex, f"Math.{name}(#1)", slope, javascript_slope)


_TABLE = (
    # JAX's slope of |r| at 0 is 1, and the numpy slope must agree with the one the scene shows.
    _unary(
        "abs",
        r"\left|#1\right|",
        lambda np, a, value: np.where(a >= 0, 1.0, -1.0),
        "(#1 >= 0 ? 1 : -1)",
    ),
    _unary("sqrt", r"\sqrt{#1}", lambda np, a, value: 0.5 / value, "0.5 / #2"),
    _unary("exp", r"\exp\left(#1\right)", lambda np, a, value: value, "#2"),
    _unary("log", r"\log\left(#1\right)", lambda np, a, value: 1.0 / a, "1 / #1"),
    _unary(
        "log1p",
        r"\operatorname{log1p}\left(#1\right)",
        lambda np, a, value: 1.0 / (1.0 + a),
        "1 / (1 + #1)",
    ),
    _unary("cosh", r"\cosh\left(#1\right)", lambda np, a, value: np.sinh(a), "Math.sinh(#1)"),
    _unary("sinh", r"\sinh\left(#1\right)", lambda np, a, value: np.cosh(a), "Math.cosh(#1)"),
    _unary(
        "tanh", r"\tanh\left(#1\right)", lambda np, a, value: 1.0 - value * value, "1 - #2 * #2"
    ),
    # Math.min and Math.max return NaN if either argument is NaN, as numpy.minimum does.
    Function("minimum", 2, "minimum", "minimum", r"\min\left(#1, #2\right)", "Math.min(#1, #2)"),
    Function("maximum", 2, "maximum", "maximum", r"\max\left(#1, #2\right)", "Math.max(#1, #2)"),
    # A number used as a condition: nonzero (NaN included) is true, in every back end.
    Function(
        "where",
        3,
        "where",
        "where",
        r"\operatorname{where}\left(#1, #2, #3\right)",
        "(#1 !== 0 ? #2 : #3)",
    ),
)

FUNCTIONS: dict[str, Function] = {function.name: function for function in _TABLE}
"""Every function of the language by name, in the order of the documentation."""

if tuple(FUNCTIONS) != FUNCTION_NAMES:
    raise ImportError(
        "the formula function table and scenes.spec.formula_names.FUNCTION_NAMES differ: "
        f"{tuple(FUNCTIONS)} != {FUNCTION_NAMES}"
    )

ARITY: dict[str, int] = {name: function.arity for name, function in FUNCTIONS.items()}
"""How many arguments each function takes."""

_ARGUMENT = re.compile(r"#([1-9])")


def fill(template: str, arguments: Sequence[str]) -> str:
    """``template`` with ``#1``, ``#2``, ... replaced by the arguments, in one pass (an argument
    that itself contains ``#2`` is left as it is).
    """
    return _ARGUMENT.sub(lambda match: arguments[int(match[1]) - 1], template)
