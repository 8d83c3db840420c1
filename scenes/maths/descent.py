"""Gradient descent on ``L(theta) = mean_i l(y_i - theta)``, computed up front with ``lax.scan``.

The update is the one of spec section 2::

    theta_{t+1} = theta_t + eta_t * G_t,    G_t = (1/n) * sum_i l'(y_i - theta_t)

``G_t`` is minus the derivative of ``L``, so each step goes downhill. The step sizes follow the
sign rule of Rprop: ``eta`` grows by ``GROWTH`` while the mean pull keeps its direction and is cut
by ``SHRINK`` when it reverses (the estimate stepped over the minimiser). One rule serves every
loss: L2, whose pull shrinks near the mean, and L1, whose pull never shrinks (a fixed step would
oscillate around the median for ever).
"""

from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np

from scenes.maths.losses import LossFn, pull_function

GROWTH = 1.1
SHRINK = 0.5


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


def default_start(y: np.ndarray) -> float:
    """A start left of every observation, by a third of their spread (or by 1 if they agree)."""
    spread = float(np.ptp(y))
    return float(np.min(y)) - (spread / 3.0 if spread > 0.0 else 1.0)


def first_move(y: np.ndarray, theta0: float, steps: int) -> float:
    """How far the first step should move: a small share of the distance to be covered.

    The share shrinks with the number of steps so that longer descents start gently and the motion
    is spread over the animation instead of finishing in its first frames.
    """
    span = float(np.ptp(np.append(y, theta0)))
    if span == 0.0:
        span = max(1.0, abs(theta0)) * 1e-3
    return span * min(0.5, 1.0 / steps)


def descend(loss: LossFn, y: np.ndarray, theta0: float, steps: int) -> Descent:
    """Run ``steps`` steps of descent from ``theta0`` on observations ``y``."""
    observations = jnp.asarray(y, dtype=jnp.float64)
    pulls = pull_function(loss)
    g0 = pulls(observations, jnp.float64(theta0))
    # The first step size turns the largest single pull into a move of ``first_move``; later ones
    # adapt by the sign rule, so this only sets the pace of the opening.
    largest = float(jnp.max(jnp.abs(g0)))
    eta0 = first_move(np.asarray(y), theta0, steps) / (largest if largest > 0.0 else 1.0)
    trajectory, step_sizes, pull_rows = _scan(pulls, observations, jnp.float64(theta0), eta0, steps)
    return Descent(
        trajectory=np.asarray(trajectory, dtype=np.float64),
        step_sizes=np.asarray(step_sizes, dtype=np.float64),
        pulls=np.asarray(pull_rows, dtype=np.float64),
    )


def _scan(pulls, y: jax.Array, theta0: jax.Array, eta0: float, steps: int):
    def step(carry, _):
        theta, eta, previous_direction = carry
        g = pulls(y, theta)
        mean_pull = jnp.mean(g)
        direction = jnp.sign(mean_pull)
        turned = direction * previous_direction
        eta = jnp.where(turned < 0, eta * SHRINK, jnp.where(turned > 0, eta * GROWTH, eta))
        new_theta = theta + eta * mean_pull
        # A zero pull (inside L1's flat middle interval) keeps the last direction, so a later
        # nonzero pull is still compared with the last real move.
        kept = jnp.where(direction == 0, previous_direction, direction)
        return (new_theta, eta, kept), (theta, eta, g)

    # The first step has no previous direction (0), so it keeps eta0 exactly.
    init = (theta0, jnp.float64(eta0), jnp.float64(0.0))
    (last, _, _), (thetas, etas, g_rows) = jax.lax.scan(step, init, None, length=steps)
    last_pulls = pulls(y, last)
    trajectory = jnp.append(thetas, last)
    return trajectory, etas, jnp.vstack([g_rows, last_pulls[None, :]])
