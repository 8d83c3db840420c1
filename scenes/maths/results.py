"""What the maths hands on: plain float64 numpy arrays in frozen dataclasses, no JAX.

The functions that make them (``curves``, ``descent``, ``clipping``) run JAX; these classes live
apart so that a process that only reads them (a render worker unpickling a prepared scene)
never imports JAX (about 1.2 s and its threads). Their modules re-export them. Here too is
what the drawing asks of them frame by frame (where a sampled curve jumps, the norm clipping
at a theta between two steps), in numpy, or in JAX for the maths that passes ``jax.numpy``.
"""

from dataclasses import dataclass
from typing import Any

import numpy as np


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


@dataclass(frozen=True)
class Descent:
    """A computed descent, as float64 numpy arrays.

    ``pulls[t, i]`` is ``l'(y_i - trajectory[t])``, so the animation only reads arrays.
    """

    trajectory: np.ndarray  # (steps + 1,)
    step_sizes: np.ndarray  # (steps,)
    pulls: np.ndarray  # (steps + 1, n)

    @property
    def estimate(self) -> float:
        return float(self.trajectory[-1])


@dataclass(frozen=True)
class Clipping1D:
    """Per-observation pulls at ``theta``: raw (L2), clipped, and Huber's (autodiff)."""

    theta: float
    raw: np.ndarray
    clipped: np.ndarray
    huber: np.ndarray


@dataclass(frozen=True)
class Clipping2D:
    """The 2-D descent with per-example norm clipping, every frame's arrays precomputed.

    ``raw[t]`` and ``clipped[t]`` are the per-example gradients at ``trajectory[t]``.
    """

    points: np.ndarray  # (n, 2)
    trajectory: np.ndarray  # (steps + 1, 2)
    raw: np.ndarray  # (steps + 1, n, 2)
    clipped: np.ndarray  # (steps + 1, n, 2)
    step_size: float

    @property
    def mean_raw(self) -> np.ndarray:
        return self.raw.mean(axis=1)

    @property
    def mean_clipped(self) -> np.ndarray:
        return self.clipped.mean(axis=1)


def jump_indices(values: np.ndarray) -> np.ndarray:
    """Indices ``i`` where sampled ``values`` jump between ``i`` and ``i + 1``.

    A curve drawn through a jump (L1's derivative at 0) would get a false vertical segment, so
    the scene splits the curve there. A jump is a step far larger than the typical step, taken
    in one sample step (or two, through a sample on the jump itself: L1's subgradient 0 at 0),
    between steps a tenth of its size at most. A steep but continuous stretch (a narrow density
    peak, sampled densely) rises over many large steps, and is drawn whole.
    """
    diffs = np.diff(values)
    steps = np.abs(diffs)
    if steps.size == 0:
        return np.zeros(0, dtype=int)
    span = float(np.ptp(values))
    if span == 0.0:
        return np.zeros(0, dtype=int)
    typical = float(np.median(steps))
    big = (steps > 50.0 * typical) & (steps > 0.05 * span)
    jumps: list[int] = []
    i = 0
    while i < steps.size:
        if not big[i]:
            i += 1
            continue
        j = i
        while j + 1 < steps.size and big[j + 1]:
            j += 1
        run = range(i, j + 1)
        before = steps[i - 1] if i > 0 else 0.0
        after = steps[j + 1] if j + 1 < steps.size else 0.0
        one_way = len({np.sign(diffs[k]) for k in run}) == 1
        if len(run) <= 2 and one_way and max(before, after) <= 0.1 * steps[i : j + 1].min():
            jumps.extend(run)
        i = j + 1
    return np.asarray(jumps, dtype=int)


def clip_rows_by_norm(g: Any, c: float, xp: Any = np) -> Any:
    """Scale each row ``g_i`` by ``min(1, c / |g_i|)``: per-example norm clipping (``xp``: numpy,
    or ``jax.numpy`` inside the maths' compiled descent).

    A zero row stays zero: ``maximum(norm, c)`` keeps the division away from 0.
    """
    norms = xp.linalg.norm(g, axis=-1, keepdims=True)
    return g * (c / xp.maximum(norms, c))
