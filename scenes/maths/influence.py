"""Bounded influence: estimates recomputed as one observation moves, all frames at once.

For each position ``x_k`` of the moving observation the data are ``y + [x_k]`` and four estimates
are computed, vectorised over the frames: the mean (follows ``x`` without bound), the median,
the Huber M-estimate (both barely move) and the local minimum of the trimmed loss reached from
the median (ignores the point once it is further than ``c`` away).
"""

from dataclasses import dataclass

import numpy as np

BISECTIONS = 200


@dataclass(frozen=True)
class Influence:
    """Estimates per frame, as float64 arrays of shape (frames,)."""

    positions: np.ndarray
    mean: np.ndarray
    median: np.ndarray
    huber: np.ndarray
    trimmed: np.ndarray


def huber_locations(data: np.ndarray, delta: float) -> np.ndarray:
    """The Huber M-estimate of each row of ``data`` (frames, n), by bisection on all rows at once.

    ``S(theta) = sum_i clip(y_i - theta, -delta, delta)`` is continuous and non-increasing, positive
    below ``min(y)`` and negative above ``max(y)``; bisection halves every row's bracket together.
    The result is then made exact on its segment: ``theta = (sum of y inside + delta * (n_above -
    n_below)) / n_inside``.
    """
    lo = data.min(axis=1) - delta
    hi = data.max(axis=1) + delta
    for _ in range(BISECTIONS):
        middle = 0.5 * (lo + hi)
        s = np.clip(data - middle[:, None], -delta, delta).sum(axis=1)
        lo = np.where(s > 0, middle, lo)
        hi = np.where(s > 0, hi, middle)
    theta = 0.5 * (lo + hi)
    r = data - theta[:, None]
    inside = np.abs(r) < delta
    n_inside = inside.sum(axis=1)
    above = (r >= delta).sum(axis=1)
    below = (r <= -delta).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        exact = (np.where(inside, data, 0.0).sum(axis=1) + delta * (above - below)) / n_inside
    ok = (n_inside > 0) & (np.abs(exact - theta) <= 1e-9 * (1 + np.abs(theta)))
    return np.where(ok, exact, theta)


def trimmed_locations(data: np.ndarray, c: float, start: np.ndarray) -> np.ndarray:
    """A local minimiser of the trimmed objective for each row, reached from ``start`` (frames,).

    Iterates ``theta <- mean of the y_i within c of theta`` on all rows at once until no row
    changes. Each step lowers the trimmed objective (it is the exact minimiser of the squared
    loss over the points currently inside, which can only gain by the re-selection), so it
    stops at a fixed point: a local minimum, the mean of the points within ``c``.
    """
    theta = np.asarray(start, dtype=np.float64).copy()
    for _ in range(10 * data.shape[1] + 10):
        inside = np.abs(data - theta[:, None]) <= c
        count = inside.sum(axis=1)
        new = np.where(
            count > 0, np.where(inside, data, 0.0).sum(axis=1) / np.maximum(count, 1), theta
        )
        if np.array_equal(new, theta):
            break
        theta = new
    return theta


def influence_frames(
    y: np.ndarray, path: tuple[float, float], frames: int, delta: float, c: float
) -> Influence:
    """Estimates for the moving observation at ``frames`` evenly spaced positions along ``path``."""
    y = np.asarray(y, dtype=np.float64)
    positions = np.linspace(path[0], path[1], frames)
    data = np.concatenate([np.broadcast_to(y, (frames, y.size)), positions[:, None]], axis=1)
    median = np.median(data, axis=1)
    return Influence(
        positions=positions,
        mean=data.mean(axis=1),
        median=median,
        huber=huber_locations(data, delta),
        trimmed=trimmed_locations(data, c, median),
    )


def influence_curve(pull, r: np.ndarray) -> np.ndarray:
    """``l'(r)`` read as influence: how hard one observation at residual ``r`` pulls."""
    import jax.numpy as jnp

    return np.asarray(pull(jnp.asarray(r, dtype=jnp.float64)))
