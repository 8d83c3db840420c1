"""Losses as pure JAX functions of the residual ``r = y - theta``.

Each loss is written once, here. Its derivative (the pull of one observation), its density and
everything else are JAX transformations of it; no derivative is typed in by hand.
"""

from collections.abc import Callable
from functools import partial

import jax
import jax.numpy as jnp

LossFn = Callable[[jax.Array], jax.Array]


def l2(r: jax.Array) -> jax.Array:
    """Squared loss ``l(r) = r**2 / 2``; minimised in theta by the mean."""
    return 0.5 * r**2


def l1(r: jax.Array) -> jax.Array:
    """Absolute loss ``l(r) = |r| = max(r, -r)``; minimised in theta by the median."""
    # Written as a maximum because JAX differentiates a tie of maximum as the average of both
    # sides, giving the subgradient 0 at r = 0; jnp.abs would give 1 there, so an observation
    # sitting exactly on theta would pull it to the right and push it off the median.
    return jnp.maximum(r, -r)


def huber(r: jax.Array, *, delta: float = 1.0) -> jax.Array:
    """Huber's robust loss.

    ``l(r) = r**2 / 2`` if ``|r| <= delta``, else ``delta * (|r| - delta / 2)``: a parabola
    continued by straight lines, so an observation's pull is bounded by ``delta``.
    """
    abs_r = jnp.abs(r)
    # Both branches are finite with finite gradients everywhere, so the branch jnp.where does not
    # take cannot poison the gradient with a NaN.
    return jnp.where(abs_r <= delta, 0.5 * r**2, delta * (abs_r - 0.5 * delta))


LOSSES: dict[str, Callable[..., jax.Array]] = {
    "l2": l2,
    "l1": l1,
    "huber": huber,
}


def make_loss(name: str, params: dict[str, float] | None = None) -> LossFn:
    """Return the scalar loss ``r -> l(r)`` for a registered name with its parameters bound."""
    try:
        loss = LOSSES[name]
    except KeyError:
        raise ValueError(f"unknown loss {name!r}; known: {', '.join(sorted(LOSSES))}") from None
    return partial(loss, **(params or {}))


def derivative(loss: LossFn) -> LossFn:
    """``l'(r)`` for a batch of residuals, by autodiff (``grad``, vectorised, compiled)."""
    return jax.jit(jax.vmap(jax.grad(loss)))


def pull_function(loss: LossFn) -> Callable[[jax.Array, jax.Array], jax.Array]:
    """``(y, theta) -> g`` with ``g_i = l'(y_i - theta)``: how hard each observation pulls theta.

    Positive pulls to the right. The result is compiled once per loss.
    """
    slope = jax.vmap(jax.grad(loss))

    @jax.jit
    def pulls(y: jax.Array, theta: jax.Array) -> jax.Array:
        return slope(y - theta)

    return pulls
