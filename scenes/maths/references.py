"""Reference estimates the descent is checked against: mean, median, Huber, trimmed mean.

These are closed forms, computed with numpy rather than JAX: nothing here is differentiated, and
XLA on the CPU flushes subnormal numbers to zero, which a sort must not do.

A minimiser of ``L`` can be a whole interval (L1 with an even number of observations, Huber when
no observation lies within ``delta`` of the middle), so each reference carries its interval too.
"""

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Reference:
    """A reference value and the interval of equally good values (``lo == hi`` when unique)."""

    value: float
    lo: float
    hi: float

    @classmethod
    def point(cls, value: float) -> "Reference":
        return cls(value, value, value)

    def distance(self, theta: float) -> float:
        """How far ``theta`` lies outside the interval (0 inside it)."""
        return max(self.lo - theta, theta - self.hi, 0.0)


def mean(y: np.ndarray) -> Reference:
    """The minimiser of the L2 objective."""
    return Reference.point(float(np.mean(np.asarray(y, dtype=np.float64))))


def median(y: np.ndarray) -> Reference:
    """The minimiser of the L1 objective: the middle point, or for even n the middle interval."""
    ordered = np.sort(np.asarray(y, dtype=np.float64))
    n = ordered.shape[0]
    lo = float(ordered[(n - 1) // 2])
    hi = float(ordered[n // 2])
    return Reference(float(np.median(ordered)), lo, hi)


def huber_location(y: np.ndarray, delta: float) -> Reference:
    """The exact Huber M-estimate of location with threshold ``delta``.

    ``S(theta) = sum_i clip(y_i - theta, -delta, delta)`` is minus the derivative of the objective:
    continuous, non-increasing and linear between consecutive breakpoints ``y_i +- delta``. On each
    such segment the sets of points clipped left, clipped right and inside are fixed, and the root
    is exact: ``theta = (sum of inside y + delta * (n_right - n_left)) / n_inside``. The segment
    whose root falls inside it is the answer. A segment with no point inside and as many clipped
    on either side has ``S = 0`` throughout: then every point of it minimises.
    """
    y = np.asarray(y, dtype=np.float64)
    # Work relative to the median: at magnitudes like 1e16, y +- delta would round back onto y.
    center = float(np.median(y))
    solution = _huber_location_centred(y - center, delta)
    return Reference(solution.value + center, solution.lo + center, solution.hi + center)


def _huber_location_centred(y: np.ndarray, delta: float) -> Reference:
    breaks = np.unique(np.concatenate([y - delta, y + delta]))
    if breaks.size < 2:
        # delta is below the resolution of doubles at this magnitude (y +- delta == y).
        return _huber_by_bisection(y, delta)
    lo, hi = breaks[:-1], breaks[1:]
    middle = (lo + hi) / 2.0
    offset = y[None, :] - middle[:, None]
    inside = np.abs(offset) < delta
    n_inside = inside.sum(axis=1)
    n_right = (offset >= delta).sum(axis=1)
    n_left = (offset <= -delta).sum(axis=1)
    flat = (n_inside == 0) & (n_right == n_left)
    if flat.any():
        k = int(np.flatnonzero(flat)[0])
        return Reference(float(middle[k]), float(lo[k]), float(hi[k]))
    sums = np.where(inside, y[None, :], 0.0).sum(axis=1) + delta * (n_right - n_left)
    with np.errstate(divide="ignore", invalid="ignore"):
        roots = sums / n_inside
    # Rounding can put a root a hair outside its own segment; allow for that, then take the
    # segment whose root sits most comfortably inside.
    slack = 1e-12 * (np.abs(lo) + np.abs(hi) + delta)
    ok = (n_inside > 0) & (roots >= lo - slack) & (roots <= hi + slack)
    if not ok.any():
        # Rounding at large magnitudes can push every exact root off its segment.
        return _huber_by_bisection(y, delta)
    margin = np.where(ok, np.minimum(roots - lo, hi - roots), -np.inf)
    return Reference.point(float(roots[int(np.argmax(margin))]))


def _huber_by_bisection(y: np.ndarray, delta: float) -> Reference:
    """The root of the non-increasing ``S(theta)``, bisected down to neighbouring doubles."""
    if not (np.all(np.isfinite(y)) and delta > 0):
        raise ArithmeticError("no Huber root found; is delta positive and y finite?")

    def s(theta: float) -> float:
        return float(np.clip(y - theta, -delta, delta).sum())

    lo, hi = float(y.min()) - delta, float(y.max()) + delta
    for _ in range(2100):  # enough to walk from -1e308 to 1e308 one halving at a time
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        if s(mid) > 0.0:
            lo = mid
        else:
            hi = mid
    return Reference.point(lo if abs(s(lo)) <= abs(s(hi)) else hi)


def trimmed_mean(y: np.ndarray, center: float, delta: float) -> float | None:
    """Mean of the observations within ``delta`` of ``center`` (None when there are none).

    At the Huber estimate this equals the estimate exactly when as many points are clipped on the
    left as on the right: the lecture's "trimming" remark.
    """
    y = np.asarray(y, dtype=np.float64)
    inside = np.abs(y - center) <= delta
    if not inside.any():
        return None
    return float(np.mean(y[inside]))


def quantile_interval(y: np.ndarray, tau: float) -> Reference:
    """The minimisers of ``sum_i max(tau * r_i, (tau - 1) * r_i)``: the tau-quantiles.

    With ``y`` sorted and ``k = n * tau``: the point ``y[ceil(k)]`` (1-based) when ``k`` is not a
    whole number, the interval ``[y[k], y[k + 1]]`` when it is. ``k`` is computed exactly from the
    decimal the user wrote (``tau: 0.3`` is 3/10, not the nearest double), so ``tau = 0.3`` with
    ``n = 10`` gives the interval between the 3rd and 4th values, as it does on paper.
    """
    from fractions import Fraction

    ordered = np.sort(np.asarray(y, dtype=np.float64))
    n = ordered.shape[0]
    k = Fraction(repr(float(tau))) * n
    if k.denominator == 1:
        lo, hi = float(ordered[int(k) - 1]), float(ordered[int(k)])
        return Reference((lo + hi) / 2.0, lo, hi)
    return Reference.point(float(ordered[math.ceil(k) - 1]))


def epsilon_interval(y: np.ndarray, epsilon: float) -> Reference:
    """The minimisers of ``sum_i max(0, |y_i - theta| - epsilon)``.

    The objective is convex and piecewise linear with breakpoints ``y_i +- epsilon``; its slope
    on a segment is (points more than ``epsilon`` below theta) minus (points more than ``epsilon``
    above), a whole number. The minimisers run from the first breakpoint after which the slope
    is >= 0 to the last breakpoint before which it is <= 0.
    """
    y = np.asarray(y, dtype=np.float64)
    breaks = np.unique(np.concatenate([y - epsilon, y + epsilon]))
    middle = (breaks[:-1] + breaks[1:]) / 2.0
    offset = y[None, :] - middle[:, None]
    slope = (offset < -epsilon).sum(axis=1) - (offset > epsilon).sum(axis=1)
    # Segment k lies between breaks[k] and breaks[k + 1]; left of all breaks the slope is -n.
    lo = float(breaks[int(np.argmax(slope >= 0))]) if (slope >= 0).any() else float(breaks[-1])
    left_ok = np.flatnonzero(slope <= 0)
    hi = float(breaks[int(left_ok[-1]) + 1]) if left_ok.size else float(breaks[0])
    return Reference((lo + hi) / 2.0, lo, hi)


_MAD_TO_SIGMA = 1.0 / 0.6744897501960817  # 1 / Phi^-1(3/4): the MAD of N(0, 1) is 0.6745
_MEAN_AD_TO_SIGMA = math.sqrt(math.pi / 2.0)  # the mean absolute deviation of N(0, 1) is 0.798


@dataclass(frozen=True)
class Scale:
    """A robust scale of the data, normalised to the standard deviation at the normal."""

    value: float
    name: str
    """``"MAD"``, or the fallback used when the MAD is 0: ``"mean absolute deviation"``, or
    ``"none"`` when all observations are equal."""


def robust_scale(y: np.ndarray) -> Scale:
    """The scale ``delta: auto`` multiplies by 1.345: the normalised MAD (statsmodels' ``mad``).

    When more than half of the observations are equal the MAD is 0, and a delta of 0 would clip
    every pull to nothing. Then the mean absolute deviation from the median stands in (normalised
    by sqrt(pi / 2)): it still grows with the other points' distances, so an outlier is still
    clipped, where falling back to the range would put every point inside delta and return the
    mean. When all observations are equal there is no spread at all; any delta gives the same
    estimate, and 1 is used.
    """
    y = np.asarray(y, dtype=np.float64)
    deviations = np.abs(y - np.median(y))
    mad = float(np.median(deviations)) * _MAD_TO_SIGMA
    if mad > 0.0:
        return Scale(mad, "MAD")
    mean_ad = float(np.mean(deviations)) * _MEAN_AD_TO_SIGMA
    if mean_ad > 0.0:
        return Scale(mean_ad, "mean absolute deviation")
    return Scale(1.0, "none")
