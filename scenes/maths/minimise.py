"""A generic reference minimiser for losses without a closed form: the local minimum of
``L(theta) = (1/n) sum_i l(y_i - theta)`` reached from a start by going downhill.

For convex losses (pseudo-Huber, log-cosh) that is the global minimiser. For non-convex ones
(Cauchy, Tukey, trimmed, many formulas) it is the minimum whose basin holds the start: the end of
the gradient flow ``d theta / dt = G(theta)`` with ``G = (1/n) sum_i l'(y_i - theta)``, which
never crosses a point where ``G`` vanishes. That is the minimum the animated descent is meant to
settle in, not necessarily the global one.

Method: ``G`` (JAX autodiff) on a dense grid from the start in the downhill direction until its
sign turns, then bisection on ``G`` to machine precision.
"""

import jax
import jax.numpy as jnp
import numpy as np

from scenes.maths import _x64  # noqa: F401  (double precision first)
from scenes.maths.losses import LossFn, pull_function
from scenes.maths.references import Reference
from scenes.numbers import significant

GRID_POINTS = 4096
BISECTIONS = 200


def mean_pull(loss: LossFn, y: np.ndarray):
    """``theta -> G(theta)`` for an array of thetas (compiled)."""
    pulls = pull_function(loss)
    observations = jnp.asarray(y, dtype=jnp.float64)
    return jax.jit(jax.vmap(lambda theta: jnp.mean(pulls(observations, theta))))


def local_minimum(loss: LossFn, y: np.ndarray, start: float) -> Reference:
    """The local minimiser of ``L`` whose basin holds ``start`` (the interval, if ``L`` is flat).

    ``G`` is scanned on a grid of :data:`GRID_POINTS` points; a basin narrower than the grid step
    (a thousandth of the data's spread) can be missed.
    """
    y = np.asarray(y, dtype=np.float64)
    g = mean_pull(loss, y)
    g0 = float(g(jnp.array([start]))[0])
    if g0 == 0.0:
        return Reference.point(float(start))
    direction = 1.0 if g0 > 0 else -1.0
    spread = float(np.ptp(np.append(y, start))) or max(abs(start), 1.0)
    # Past the last observation in the direction of travel every residual has one sign; a bit
    # beyond it any loss that grows away from 0 pulls back.
    far = float(y.max() if direction > 0 else y.min()) + direction * 0.05 * spread
    if (far - start) * direction <= 0:
        far = start + direction * 0.05 * spread
    grid = np.linspace(start, far, GRID_POINTS)
    values = np.asarray(g(jnp.asarray(grid)))
    turned = np.flatnonzero(values * direction <= 0)
    if turned.size == 0:
        raise ArithmeticError(
            f"the descent from {significant(start)} never turns within {significant(far)}: is the "
            "loss bounded below?"
        )
    k = int(turned[0])
    # The last point still pulling forward, and the first that does not.
    lo = _boundary(g, grid[k - 1], grid[k], lambda v: v * direction > 0)
    if values[k] != 0.0:
        return Reference.point(lo)
    # G is exactly 0 from `lo` on: a flat stretch of minimisers; find where it ends.
    ahead = np.flatnonzero(values[k:] * direction < 0)
    if ahead.size == 0:
        end = grid[-1]
    else:
        j = k + int(ahead[0])
        end = _boundary(g, grid[j - 1], grid[j], lambda v: v == 0.0)
    a, b = sorted((lo, float(end)))
    return Reference((a + b) / 2.0, a, b)


def _boundary(g, inside: float, outside: float, keeps) -> float:
    """Bisect between a point where ``keeps(G)`` holds and one where it does not."""
    for _ in range(BISECTIONS):
        middle = 0.5 * (inside + outside)
        if middle in (inside, outside):
            break
        if keeps(float(g(jnp.array([middle]))[0])):
            inside = middle
        else:
            outside = middle
    return float(inside)


def trimmed_local(y: np.ndarray, c: float, start: float, loss: LossFn) -> Reference:
    """The local minimiser of the trimmed loss from ``start``: the mean of the points within ``c``.

    The numeric minimum is made exact by replacing it with the mean of the observations within
    ``c`` of it (at a minimiser of the trimmed objective the two are equal).
    """
    found = local_minimum(loss, y, start)
    y = np.asarray(y, dtype=np.float64)
    inside = np.abs(y - found.value) <= c
    if not inside.any() or found.lo != found.hi:
        return found
    return Reference.point(float(np.mean(y[inside])))
