"""The closing card names the trimmed loss's lowest minimum and the local one reached from the
median (issue 21: the card showed the local 0.3167 as the trimmed answer, while the lowest
minimum on these data is 0.01429)."""

from pathlib import Path

import numpy as np

from scenes.compute.cards import compute_summary
from scenes.spec.loading import load_scene

CONFIG = Path(__file__).resolve().parents[2] / "config"


def trimmed_objective(y: np.ndarray, c: float, thetas: np.ndarray) -> np.ndarray:
    """Mean of min(r^2 / 2, c^2 / 2), by numpy on a grid: independent of the JAX losses."""
    r = y[None, :] - thetas[:, None]
    return np.minimum(r**2 / 2, c**2 / 2).mean(axis=1)


def test_the_card_shows_the_lowest_minimum_and_labels_the_local_one():
    data = compute_summary(load_scene(CONFIG / "full-lecture-summary.yaml"))
    y = data.observations
    trimmed = next(e for e in data.estimates if e.loss == "trimmed")
    grid = np.linspace(y.min(), y.max(), 200_001)
    values = trimmed_objective(y, 2.0, grid)
    best = grid[np.argmin(values)]
    assert trimmed.global_minimum is not None
    assert abs(trimmed.global_minimum.value - best) < 1e-4
    # The one from the median is a minimum too, and higher.
    local = trimmed.reference.value
    near = trimmed_objective(y, 2.0, np.array([local - 1e-3, local, local + 1e-3]))
    assert near[1] <= near.min() and near[1] > values.min()
    # Convex losses have no other minimum to show.
    assert all(e.global_minimum is None for e in data.estimates if e.loss != "trimmed")
