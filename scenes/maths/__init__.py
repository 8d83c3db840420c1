"""Pure maths of loss-scenes: losses, their derivatives and densities, descent, references.

Nothing here knows about Manim, YAML or files. Every function takes and returns arrays (float64).
"""

from scenes.maths._x64 import cache_compilations, enable_x64

enable_x64()

from scenes.maths.curves import Curves, jump_indices, sample_curves  # noqa: E402
from scenes.maths.descent import Descent, default_start, descend, shortfall  # noqa: E402
from scenes.maths.losses import LOSSES, LossFn, make_loss, pull_function  # noqa: E402
from scenes.maths.minimise import local_minimum, trimmed_local  # noqa: E402
from scenes.maths.references import (  # noqa: E402
    Reference,
    Scale,
    epsilon_interval,
    huber_location,
    mean,
    median,
    quantile_interval,
    robust_scale,
    trimmed_mean,
)

__all__ = [
    "cache_compilations",
    "LOSSES",
    "Curves",
    "Descent",
    "LossFn",
    "Reference",
    "Scale",
    "default_start",
    "descend",
    "enable_x64",
    "epsilon_interval",
    "huber_location",
    "jump_indices",
    "local_minimum",
    "make_loss",
    "mean",
    "median",
    "pull_function",
    "quantile_interval",
    "robust_scale",
    "sample_curves",
    "shortfall",
    "trimmed_local",
    "trimmed_mean",
]
