"""Where the data puts the descent, with numpy alone: its default start and Huber's ``delta: auto``.

Resolving a lecture (``scenes.compute.resolve``: the number line its scenes share) needs both
before any maths runs, and ``check`` must not import JAX for it.
"""

import numpy as np

from scenes.maths.references import robust_scale

__all__ = ["AUTO_DELTA_FACTOR", "default_start", "robust_delta"]

# Huber's delta for ``delta: auto``: 1.345 times the normalised MAD, the convention of
# statsmodels' HuberT (95% efficiency at the normal distribution).
AUTO_DELTA_FACTOR = 1.345


def default_start(y: np.ndarray) -> float:
    """A start left of every observation, by a third of their spread (or by 1 if they agree)."""
    spread = float(np.ptp(y))
    return float(np.min(y)) - (spread / 3.0 if spread > 0.0 else 1.0)


def robust_delta(y: np.ndarray) -> float:
    """Huber threshold adapted to the data: ``1.345 * MAD / 0.6745`` (statsmodels' HuberT).

    When the MAD is 0 (more than half the observations coincide), the fallback scale of
    :func:`scenes.maths.robust_scale`, which ``compute_scene`` names in a warning.
    """
    return AUTO_DELTA_FACTOR * robust_scale(y).value
