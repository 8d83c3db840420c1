"""Losses as pure JAX functions of the residual ``r = y - theta``.

Each loss is written once, here. Its derivative (the pull of one observation), its density and
everything else are JAX transformations of it; no derivative is typed in by hand.
"""

from collections.abc import Callable
from functools import partial

import jax
import jax.numpy as jnp

from scenes.maths import _x64  # noqa: F401  (double precision first)

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


def pseudo_huber(r: jax.Array, *, delta: float = 1.0) -> jax.Array:
    """Pseudo-Huber loss ``l(r) = delta**2 * (sqrt(1 + (r/delta)**2) - 1)``.

    A smooth Huber: ``r**2 / 2`` near 0, ``delta * |r|`` far out. Written as
    ``delta**2 * z**2 / (sqrt(1 + z**2) + 1)`` with ``z = r / delta``, the same number without the
    cancellation of ``sqrt(1 + z**2) - 1`` for small ``z``. The slope ``r / sqrt(1 + z**2)`` is
    bounded by ``delta``.
    """
    z2 = (r / delta) ** 2
    return delta**2 * z2 / (jnp.sqrt(1.0 + z2) + 1.0)


def log_cosh(r: jax.Array) -> jax.Array:
    """Log-cosh loss ``l(r) = log(cosh(r))``; slope ``tanh(r)``.

    ``cosh`` overflows beyond ``|r| ~ 710``; ``logaddexp(r, -r) - log 2`` is the same function,
    finite everywhere, and its autodiff slope is ``tanh(r)`` with no NaN at 0.
    """
    return jnp.logaddexp(r, -r) - jnp.log(2.0)


def cauchy(r: jax.Array, *, c: float = 1.0) -> jax.Array:
    """Cauchy (Lorentzian) loss ``l(r) = (c**2 / 2) * log(1 + (r/c)**2)``; non-convex.

    The slope ``r / (1 + (r/c)**2)`` rises to ``c / 2`` at ``|r| = c`` and falls back to 0: far
    points pull less than near ones (a redescending loss).
    """
    return 0.5 * c**2 * jnp.log1p((r / c) ** 2)


def tukey(r: jax.Array, *, c: float = 4.685) -> jax.Array:
    """Tukey's biweight ``(c**2/6) * (1 - (1 - (r/c)**2)**3)`` if ``|r| <= c``, else ``c**2/6``.

    Non-convex; slope ``r * (1 - (r/c)**2)**2`` inside, 0 outside: points beyond ``c`` are
    ignored. Clamping ``(r/c)**2`` at 1 gives both pieces in one polynomial, so there is no
    ``jnp.where`` whose unselected branch could send a NaN into the gradient.
    """
    u = jnp.minimum((r / c) ** 2, 1.0)
    return (c**2 / 6.0) * (1.0 - (1.0 - u) ** 3)


def trimmed(r: jax.Array, *, c: float = 2.0) -> jax.Array:
    """Trimmed squared loss ``l(r) = r**2 / 2`` if ``|r| <= c``, else ``c**2 / 2``.

    Non-convex; slope ``r`` inside, 0 outside (a jump of size ``c`` at ``|r| = c``). Both
    branches are finite polynomials everywhere, so ``jnp.where`` is safe here.
    """
    return jnp.where(jnp.abs(r) <= c, 0.5 * r**2, 0.5 * c**2)


def quantile(r: jax.Array, *, tau: float = 0.5) -> jax.Array:
    """Quantile (pinball) loss ``l(r) = max(tau * r, (tau - 1) * r)``; minimiser: the tau-quantile.

    Slope ``tau`` for ``r > 0`` and ``tau - 1`` for ``r < 0``. At the kink ``jnp.maximum`` splits
    the slope evenly, ``tau - 1/2``: the middle of the subgradient.
    """
    return jnp.maximum(tau * r, (tau - 1.0) * r)


def epsilon_insensitive(r: jax.Array, *, epsilon: float = 0.5) -> jax.Array:
    """Epsilon-insensitive loss ``l(r) = max(0, |r| - epsilon)`` (support-vector regression).

    Zero inside ``+-epsilon``, slope ``sign(r)`` outside.
    """
    return jnp.maximum(jnp.abs(r) - epsilon, 0.0)


def expr(r: jax.Array, *, expr: str, **constants: float) -> jax.Array:
    """A loss written as a formula in ``r`` (spec section 4), mapped to ``jax.numpy``.

    See :mod:`scenes.formula.jax_backend`; the formula is parsed, never evaluated as Python. Prefer
    :func:`make_loss`, which parses once instead of at every call.
    """
    from scenes.formula.jax_backend import compile_expr

    return compile_expr(expr, constants)(r)


# A loss's name in specs is its function's name here: written once, as the function is defined.
LOSSES: dict[str, Callable[..., jax.Array]] = {
    loss.__name__: loss
    for loss in (
        l2,
        l1,
        huber,
        pseudo_huber,
        log_cosh,
        cauchy,
        tukey,
        trimmed,
        quantile,
        epsilon_insensitive,
        expr,
    )
}
"""Every loss by its name in specs (``loss.name``), in the order of the spec's models."""


def make_loss(name: str, params: dict[str, float] | None = None) -> LossFn:
    """Return the scalar loss ``r -> l(r)`` for a registered name with its parameters bound."""
    try:
        loss = LOSSES[name]
    except KeyError:
        raise ValueError(f"unknown loss {name!r}; known: {', '.join(sorted(LOSSES))}") from None
    if name == "expr":
        from scenes.formula.jax_backend import compile_expr

        constants = dict(params or {})
        return compile_expr(str(constants.pop("expr")), constants)
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
