"""The three curves of a loss scene: loss, density ``exp(-l) / Z`` and derivative."""

from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np

from scenes.maths.losses import LossFn, derivative

# Simpson's rule on this many intervals over the region where exp(-l) matters integrates to
# ~1e-10 relative for smooth losses and ~1e-9 across a kink (L1 at 0).
_QUADRATURE_INTERVALS = 1 << 14
# Beyond this much above its minimum the loss contributes under exp(-60) ~ 1e-26 of the peak, far
# below double precision in Z even over a range a million times wider than the peak.
_NEGLIGIBLE = 60.0
_ZOOMS = 6


@dataclass(frozen=True)
class Curves:
    """Curve samples on an inclusive grid over ``x_range``, as float64 numpy arrays."""

    x: np.ndarray
    loss: np.ndarray
    density: np.ndarray
    derivative: np.ndarray
    normalizer: float
    """``Z``, the integral of ``exp(-l)`` over ``x_range``; may underflow to 0 far from the
    minimum, which is why the density is computed from ``log_normalizer`` instead."""
    log_normalizer: float


def _simpson(values: jax.Array, lo: float, hi: float) -> jax.Array:
    intervals = values.shape[0] - 1
    h = (hi - lo) / intervals
    return (h / 3.0) * (
        values[0] + values[-1] + 4.0 * values[1:-1:2].sum() + 2.0 * values[2:-1:2].sum()
    )


def _mass_interval(loss: LossFn, lo: float, hi: float) -> tuple[float, float]:
    """Shrink ``[lo, hi]`` to the part where ``exp(-l)`` is not negligible.

    A fixed grid over a wide range (L2 over [-1e6, 1e6]) would step right over the narrow peak
    that holds all of the mass; zooming in a few times on the samples within ``_NEGLIGIBLE`` of the
    minimum keeps the peak resolved whatever the range.
    """
    for _ in range(_ZOOMS):
        r = jnp.linspace(lo, hi, _QUADRATURE_INTERVALS + 1)
        values = jax.vmap(loss)(r)
        keep = np.flatnonzero(np.asarray(values - values.min() <= _NEGLIGIBLE))
        first, last = max(int(keep[0]) - 1, 0), min(int(keep[-1]) + 1, _QUADRATURE_INTERVALS)
        new_lo, new_hi = float(r[first]), float(r[last])
        if (new_hi - new_lo) > 0.5 * (hi - lo):
            break
        lo, hi = new_lo, new_hi
    return lo, hi


def log_normalizer(loss: LossFn, x_range: tuple[float, float]) -> float:
    """``log Z`` with ``Z = integral of exp(-l(r)) dr`` over ``x_range``.

    The loss is shifted by its minimum before exponentiating, so an interval far from the
    minimiser (where ``exp(-l)`` underflows to 0) still gives a finite, exact log.
    """
    lo, hi = _mass_interval(loss, float(x_range[0]), float(x_range[1]))
    r = jnp.linspace(lo, hi, _QUADRATURE_INTERVALS + 1)
    values = jax.vmap(loss)(r)
    floor = values.min()
    # A steep loss far from its minimum (L2 on [1000, 1010]) puts all the mass in a few grid
    # cells at one end; integrate again on the part where exp(-l) is not negligible, so the grid
    # resolves the peak. What is left out weighs less than 1e-30 of the peak per unit length.
    significant = np.flatnonzero(np.asarray(values - floor) < 69.0)
    first = max(int(significant[0]) - 1, 0)
    last = min(int(significant[-1]) + 1, _QUADRATURE_INTERVALS)
    if last - first < _QUADRATURE_INTERVALS // 8:
        lo, hi = float(r[first]), float(r[last])
        r = jnp.linspace(lo, hi, _QUADRATURE_INTERVALS + 1)
        values = jax.vmap(loss)(r)
        floor = jnp.minimum(floor, values.min())
    return float(jnp.log(_simpson(jnp.exp(-(values - floor)), lo, hi)) - floor)


def sample_curves(loss: LossFn, x_range: tuple[float, float], num: int = 401) -> Curves:
    """Sample loss, density and derivative at ``num`` points covering ``x_range`` inclusively."""
    lo, hi = float(x_range[0]), float(x_range[1])
    # numpy's linspace hits round numbers exactly (-4.975, not -4.9750000000000005).
    x = jnp.asarray(np.linspace(lo, hi, num))
    loss_values = jax.vmap(loss)(x)
    log_z = log_normalizer(loss, (lo, hi))
    density = jnp.exp(-loss_values - log_z)
    slope = derivative(loss)(x)
    return Curves(
        x=np.asarray(x, dtype=np.float64),
        loss=np.asarray(loss_values, dtype=np.float64),
        density=np.asarray(density, dtype=np.float64),
        derivative=np.asarray(slope, dtype=np.float64),
        normalizer=float(np.exp(log_z)),
        log_normalizer=log_z,
    )


def jump_indices(values: np.ndarray) -> np.ndarray:
    """Indices ``i`` where sampled ``values`` jump between ``i`` and ``i + 1``.

    A curve drawn through a jump (L1's derivative at 0) would get a false vertical segment, so
    the scene splits the curve there. A jump is a step far larger than the typical step; a
    continuous curve's steps shrink with the grid, a jump's do not.
    """
    steps = np.abs(np.diff(values))
    if steps.size == 0:
        return np.zeros(0, dtype=int)
    span = float(np.ptp(values))
    if span == 0.0:
        return np.zeros(0, dtype=int)
    typical = float(np.median(steps))
    return np.flatnonzero((steps > 50.0 * typical) & (steps > 0.05 * span))
