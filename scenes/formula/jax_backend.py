"""The ``expr`` loss: a parsed formula (:mod:`scenes.formula.language`) mapped to ``jax.numpy``.

The tree is built by the parser from a whitelist; here each node becomes a ``jax.numpy``
operation, the one the function table names (:mod:`scenes.formula.functions`). No Python code
is generated or evaluated.
"""

import operator
from collections.abc import Callable, Mapping

import jax
import jax.numpy as jnp

from scenes.formula.functions import FUNCTIONS
from scenes.formula.language import parse_expr
from scenes.formula.nodes import Node

_BINARY: dict[str, Callable] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "**": jnp.power,
}
_COMPARE: dict[str, Callable] = {
    "<": jnp.less,
    "<=": jnp.less_equal,
    ">": jnp.greater,
    ">=": jnp.greater_equal,
    "==": jnp.equal,
    "!=": jnp.not_equal,
}
# A number used as a condition: nonzero is true (the table's rule for every back end).
_CONDITION: dict[str, Callable] = {"where": lambda c, a, b: jnp.where(c != 0, a, b)}


def _function(name: str) -> Callable:
    return _CONDITION.get(name) or getattr(jnp, FUNCTIONS[name].jax)


def _build(node: Node, r: jax.Array, constants: Mapping[str, float]) -> jax.Array:
    kind = node[0]
    if kind == "num":
        return jnp.float64(node[1])
    if kind == "name":
        return jnp.float64(constants[node[1]])
    if kind == "r":
        return r
    if kind == "neg":
        return -_build(node[1], r, constants)
    if kind == "bin":
        return _BINARY[node[1]](_build(node[2], r, constants), _build(node[3], r, constants))
    if kind == "cmp":
        values = [_build(child, r, constants) for child in node[2]]
        result = jnp.bool_(True)
        for op, left, right in zip(node[1], values, values[1:], strict=False):
            result = jnp.logical_and(result, _COMPARE[op](left, right))
        return result
    args = [_build(child, r, constants) for child in node[2]]
    return _function(node[1])(*args)


def compile_expr(text: str, constants: Mapping[str, float]) -> Callable[[jax.Array], jax.Array]:
    """The loss ``r -> l(r)`` for a formula; raises ``ExprProblem`` if it is not one."""
    tree = parse_expr(text, frozenset(constants))
    values = {k: float(v) for k, v in constants.items()}

    def plain(r: jax.Array) -> jax.Array:
        return jnp.asarray(_build(tree, r, values), dtype=jnp.float64) + jnp.zeros_like(r)

    # Reverse-mode autodiff through where(c, a, b) multiplies the zero cotangent of the branch not
    # taken by that branch's local derivative, which is inf or NaN where the branch is undefined
    # (where(r > 0, sqrt(r), 0) at r < 0), so the slope would be NaN although the function is fine.
    # Forward mode (jax.jvp with a unit tangent) selects the tangent of the branch taken instead.
    # The slope is then a primal value, so jax.grad transposes only the final multiplication.
    @jax.custom_jvp
    def loss(r: jax.Array) -> jax.Array:
        return plain(r)

    @loss.defjvp
    def _slope(primals, tangents):
        (r,), (dr,) = primals, tangents
        value, slope = jax.jvp(plain, (r,), (jnp.ones_like(r),))
        return value, slope * dr

    return loss
