"""Gradient descent on ``L(theta) = mean_i l(y_i - theta)``, computed up front with ``lax.scan``.

The update is the one of spec section 2::

    theta_{t+1} = theta_t + eta_t * G_t,    G_t = (1/n) * sum_i l'(y_i - theta_t)

``G_t`` is minus the derivative of ``L``, so each step goes downhill. The step sizes follow the
sign rule of Rprop: ``eta`` grows by ``GROWTH`` while the mean pull keeps its direction and is cut
by ``SHRINK`` when it reverses (the estimate stepped over the minimiser). One rule serves every
loss: L2, whose pull shrinks near the mean, and L1, whose pull never shrinks (a fixed step would
oscillate around the median for ever).

The sign rule alone scales ``eta``, not the step: where the pull is lopsided (the quantile loss
at tau 0.99 pulls 99 times harder on one side of the minimiser than on the other) ``eta`` grows
for many steps on the weak side, and the first step back on the strong side multiplies that
large ``eta`` by a large pull: the estimate flew off to 1e13. So the step *length* is bounded
as well: at most ``GROWTH`` times the previous step's while the direction holds, at most
``SHRINK`` times it after a reversal. The steps around the minimiser then shrink at least
geometrically, whatever the pulls' sizes, and the estimate can never move further than the
step that crossed the minimiser. Where the bound does not bite (L2, L1 and Huber on the
lecture's data: convex losses, whose pull only weakens on the way downhill) the steps are the
sign rule's, ``eta_t * G_t``, and the estimate slows down as the pull fades, as gradient descent
does.
"""

from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np

from scenes.maths import _x64  # noqa: F401  (double precision first)
from scenes.maths.data_scale import default_start  # noqa: F401  (its home before)
from scenes.maths.losses import LossFn, pull_function
from scenes.maths.results import Descent
from scenes.numbers import significant

GROWTH = 1.1
SHRINK = 0.5


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


def shortfall(descent: Descent, distance: Callable[[float], float]) -> str:
    """Why a descent ended away from its target (``distance`` from a point to it), as advice.

    More steps help only an estimate that is still closing in. One that stopped on a flat
    stretch (no observation pulls) or settled where the pulls balance would stay where it is.
    """
    trajectory = descent.trajectory
    end = float(trajectory[-1])
    halfway = float(trajectory[(len(trajectory) - 1) // 2])
    if not np.any(descent.pulls[-1]):
        return (
            "it stopped where no observation pulls (the loss is flat there), and more steps "
            "would not move it: start closer to the data (estimate.start)"
        )
    if float(np.mean(descent.pulls[-1])) == 0.0:
        return (
            f"it settled at {significant(end)}, where the pulls balance, and more steps would not "
            "move it: the target is not the minimum this descent reaches (estimate.target, "
            "estimate.start)"
        )
    if distance(end) < 0.9 * distance(halfway) or _still_heading(trajectory, distance):
        return (
            f"it is still closing in: more steps (estimate.steps, now {len(trajectory) - 1}) "
            "would take it there"
        )
    return (
        f"it settled near {significant(end)}, and more steps would not take it closer: the target "
        "is not the minimum this descent reaches (estimate.target, estimate.start)"
    )


def _still_heading(trajectory: np.ndarray, distance: Callable[[float], float]) -> bool:
    """Whether the last moves all went one way, toward the target, and were not shrinking.

    A descent on a very weak pull (the quantile loss at tau 1e-12 pulls with 1e-12 on one side)
    creeps for most of its steps while its step size grows; it is still closing in although the
    second half covered little of the way. A settled descent turns back and forth instead.
    """
    recent = np.diff(trajectory[-11:])
    if len(recent) < 10 or not np.all(recent != 0.0):
        return False
    one_way = bool(np.all(np.sign(recent) == np.sign(recent[0])))
    growing = bool(abs(recent[-1]) >= abs(recent[0]))
    closer = distance(float(trajectory[-1])) < distance(float(trajectory[-11]))
    return one_way and growing and closer


def _scan(pulls, y: jax.Array, theta0: jax.Array, eta0: float, steps: int):
    def step(carry, _):
        theta, eta, previous_direction, previous_length = carry
        g = pulls(y, theta)
        mean_pull = jnp.mean(g)
        direction = jnp.sign(mean_pull)
        turned = direction * previous_direction
        eta = jnp.where(turned < 0, eta * SHRINK, jnp.where(turned > 0, eta * GROWTH, eta))
        # The bound on the step length (see the module docstring); inf before the first move.
        longest = previous_length * jnp.where(turned < 0, SHRINK, GROWTH)
        strength = jnp.abs(mean_pull)
        eta = jnp.where(
            eta * strength > longest, longest / jnp.where(strength > 0, strength, 1.0), eta
        )
        move = eta * mean_pull
        new_theta = theta + move
        # A zero pull (inside L1's flat middle interval) keeps the last direction and length, so a
        # later nonzero pull is still compared with the last real move.
        moved = direction != 0
        kept = jnp.where(moved, direction, previous_direction)
        length = jnp.where(moved, jnp.abs(move), previous_length)
        return (new_theta, eta, kept, length), (theta, eta, g)

    # The first step has no previous direction (0), so it keeps eta0 exactly.
    init = (theta0, jnp.float64(eta0), jnp.float64(0.0), jnp.float64(jnp.inf))
    (last, _, _, _), (thetas, etas, g_rows) = jax.lax.scan(step, init, None, length=steps)
    last_pulls = pulls(y, last)
    trajectory = jnp.append(thetas, last)
    return trajectory, etas, jnp.vstack([g_rows, last_pulls[None, :]])
