"""The names of the functions of the ``expr`` formula language, for the spec layer.

The spec layer lies below :mod:`scenes.formula`, which holds the full function table (arity and
the numpy, JAX, LaTeX and JavaScript forms), so the names it needs (to refuse them as parameter
names, and to list them in the schema) live here, and the table is built on them: the table
checks on import that it has exactly these names, in this order.
"""

FUNCTION_NAMES: tuple[str, ...] = (
    "abs",
    "sqrt",
    "exp",
    "log",
    "log1p",
    "cosh",
    "sinh",
    "tanh",
    "minimum",
    "maximum",
    "where",
)
"""The functions a formula may call, in the order the documentation lists them."""

VARIABLE = "r"
"""The residual, the one variable of a formula."""
