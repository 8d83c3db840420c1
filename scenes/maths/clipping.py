"""Gradient clipping as Huber: the lecture's "that's really what it does".

1-D: the squared loss's per-observation gradient ``r_i = y_i - theta`` clipped to ``[-c, c]`` is
Huber's derivative with ``delta = c``. 2-D: per-example gradient vectors clipped to norm ``c``
(each scaled by ``min(1, c / |g_i|)``), their mean before and after, and the descent on the mean
of clipped gradients, which minimises the sum of Huber losses of the distances ``|p_i - mu|``.
"""

import jax
import jax.numpy as jnp
import numpy as np

from scenes.maths import _x64  # noqa: F401  (double precision first)
from scenes.maths.losses import huber, l2, pull_function
from scenes.maths.results import Clipping1D, Clipping2D, clip_rows_by_norm


def clip_values(g: jax.Array, c: float) -> jax.Array:
    """Clip each gradient to ``[-c, c]`` (``optax.clip``)."""
    return jnp.clip(g, -c, c)


def clipping_1d(y: np.ndarray, theta: float, c: float) -> Clipping1D:
    observations = jnp.asarray(y, dtype=jnp.float64)
    t = jnp.float64(theta)
    raw = pull_function(l2)(observations, t)
    huber_pulls = pull_function(lambda r: huber(r, delta=c))(observations, t)
    return Clipping1D(
        theta=float(theta),
        raw=np.asarray(raw),
        clipped=np.asarray(clip_values(raw, c)),
        huber=np.asarray(huber_pulls),
    )


STEP_SIZE = 0.5
"""Each per-example gradient ``p_i - mu`` has Jacobian ``-I`` inside the circle and less outside,
so the objective is 1-smooth and a fixed step of 0.5 descends monotonically."""


def clipped_descent(points: np.ndarray, start: np.ndarray, c: float, steps: int) -> Clipping2D:
    """``mu_{t+1} = mu_t + eta * mean_i clip(p_i - mu_t)`` with norm clipping, by ``lax.scan``."""
    p = jnp.asarray(points, dtype=jnp.float64)

    def grads(mu):
        raw = p - mu  # minus the gradient of |p_i - mu|^2 / 2: the pull of example i
        return raw, clip_rows_by_norm(raw, c, jnp)

    def step(mu, _):
        raw, clipped = grads(mu)
        return mu + STEP_SIZE * clipped.mean(axis=0), (mu, raw, clipped)

    last, (mus, raws, clips) = jax.lax.scan(
        step, jnp.asarray(start, dtype=jnp.float64), None, length=steps
    )
    raw_last, clip_last = grads(last)
    return Clipping2D(
        points=np.asarray(points, dtype=np.float64),
        trajectory=np.asarray(jnp.vstack([mus, last[None]])),
        raw=np.asarray(jnp.concatenate([raws, raw_last[None]])),
        clipped=np.asarray(jnp.concatenate([clips, clip_last[None]])),
        step_size=STEP_SIZE,
    )


def huber_location_2d(points: np.ndarray, c: float, iterations: int = 500) -> np.ndarray:
    """Where the mean of norm-clipped pulls vanishes: minimiser of ``sum_i huber(|p_i - mu|, c)``.

    Iteratively reweighted means with weights ``min(1, c / |p_i - mu|)`` (each step is exactly the
    fixed point of ``sum_i w_i (p_i - mu) = 0``), from the coordinate-wise median.
    """
    p = np.asarray(points, dtype=np.float64)
    mu = np.median(p, axis=0)
    for _ in range(iterations):
        distance = np.linalg.norm(p - mu, axis=1)
        w = c / np.maximum(distance, c)
        new = (w[:, None] * p).sum(axis=0) / w.sum()
        if np.allclose(new, mu, rtol=0, atol=1e-15 * (1 + np.abs(mu).max())):
            return new
        mu = new
    return mu
