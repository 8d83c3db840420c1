"""The three curves of a loss scene: loss, density ``exp(-l) / Z`` and derivative."""

import jax
import jax.numpy as jnp
import numpy as np

from scenes.maths import _x64  # noqa: F401  (double precision first)
from scenes.maths.losses import LossFn, derivative
from scenes.maths.results import Curves

# Simpson's rule on this many intervals over the region where exp(-l) matters integrates to
# ~1e-10 relative for smooth losses and ~1e-9 across a kink (L1 at 0).
_QUADRATURE_INTERVALS = 1 << 14
# Beyond this much above its minimum the loss contributes under exp(-60) ~ 1e-26 of the peak, far
# below double precision in Z even over a range a million times wider than the peak.
_NEGLIGIBLE = 60.0
_ZOOMS = 6


def _simpson(values: jax.Array, lo: float, hi: float) -> jax.Array:
    intervals = values.shape[0] - 1
    h = (hi - lo) / intervals
    return (h / 3.0) * (
        values[0] + values[-1] + 4.0 * values[1:-1:2].sum() + 2.0 * values[2:-1:2].sum()
    )


def _mass_interval(
    loss: LossFn, lo: float, hi: float, level: float = _NEGLIGIBLE
) -> tuple[float, float]:
    """Shrink ``[lo, hi]`` to the part where ``exp(-l)`` is not negligible (``l`` within
    ``level`` of its minimum).

    A fixed grid over a wide range (L2 over [-1e6, 1e6]) would step right over the narrow peak
    that holds all of the mass; zooming in a few times on the samples within ``level`` of the
    minimum keeps the peak resolved whatever the range.
    """
    for _ in range(_ZOOMS):
        r = jnp.linspace(lo, hi, _QUADRATURE_INTERVALS + 1)
        values = jax.vmap(loss)(r)
        keep = np.flatnonzero(np.asarray(values - values.min() <= level))
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
    # A kink at the top of the peak (L1's at 0, abs(r - 1.23456) between grid points) costs
    # Simpson's rule its order: 6e-6 relative error instead of 1e-12. Integrating each side of
    # the top separately puts the kink on an end point, where it does no harm.
    top = _argmin(loss, lo, hi)
    pieces = [(lo, top), (top, hi)] if lo < top < hi else [(lo, hi)]
    sides = [jax.vmap(loss)(jnp.linspace(a, b, _QUADRATURE_INTERVALS + 1)) for a, b in pieces]
    least = min(float(side.min()) for side in sides)
    mass = sum(
        float(_simpson(jnp.exp(-(side - least)), a, b))
        for side, (a, b) in zip(sides, pieces, strict=True)
    )
    return float(np.log(mass)) - least


# A density peak narrower than this many grid steps gets this many extra samples across it.
_PEAK_STEPS = 16
_PEAK_SAMPLES = 240
# The peak is where the loss is within this much of its minimum (exp(-30) ~ 1e-13 of the top).
_PEAK_LEVEL = 30.0


def sample_points(loss: LossFn, x_range: tuple[float, float], num: int = 401) -> np.ndarray:
    """Where to sample the curves: ``num`` even steps over ``x_range``, and more on a peak.

    A density peak narrower than a few steps (``1e8 * (r - 0.3333)**2``: a thousandth of a step)
    falls between the samples and the curve shows nothing there. The peak is found as the
    density's normaliser finds it, by zooming in on the loss's minimum, and sampled densely.
    """
    lo, hi = float(x_range[0]), float(x_range[1])
    # numpy's linspace hits round numbers exactly (-4.975, not -4.9750000000000005).
    x = np.linspace(lo, hi, num)
    step = (hi - lo) / max(num - 1, 1)
    a, b = _mass_interval(loss, lo, hi, level=_PEAK_LEVEL)
    if b - a < _PEAK_STEPS * step:
        margin = 0.25 * (b - a)
        extra = np.linspace(max(lo, a - margin), min(hi, b + margin), _PEAK_SAMPLES)
        # And the top itself: a kinked peak (abs(r - 1.23456) * 1e5) is highest between samples.
        x = np.unique(np.concatenate([x, extra, [_argmin(loss, a, b)]]))
    return x


def _argmin(loss: LossFn, a: float, b: float, points: int = 257, rounds: int = 8) -> float:
    """Where ``loss`` is least on ``[a, b]``: zoom in on the smallest of ``points`` samples."""
    for _ in range(rounds):
        r = np.linspace(a, b, points)
        k = int(np.argmin(np.asarray(jax.vmap(loss)(jnp.asarray(r)))))
        a, b = float(r[max(k - 1, 0)]), float(r[min(k + 1, points - 1)])
    return 0.5 * (a + b)


def sample_curves(loss: LossFn, x_range: tuple[float, float], num: int = 401) -> Curves:
    """Sample loss, density and derivative covering ``x_range`` inclusively (at ``num`` even
    steps, and densely across a density peak narrower than a few of them).
    """
    lo, hi = float(x_range[0]), float(x_range[1])
    x = jnp.asarray(sample_points(loss, (lo, hi), num))
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
