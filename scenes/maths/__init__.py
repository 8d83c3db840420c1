"""Pure maths of loss-scenes: losses, their derivatives and densities, descent, references.

Nothing here knows about Manim, YAML or files. Every function takes and returns arrays (float64).
The package itself imports nothing heavy: ``scenes.maths.axis`` (numpy only) serves ``check``
without JAX; a name below is imported from its module on first use, and every module that uses
JAX switches it to double precision first (``scenes.maths._x64``).
"""

import importlib
from typing import Any

_HOME = {
    "cache_compilations": "_x64",
    "enable_x64": "_x64",
    "Curves": "curves",
    "jump_indices": "curves",
    "sample_curves": "curves",
    "Descent": "descent",
    "default_start": "data_scale",
    "descend": "descent",
    "shortfall": "descent",
    "LOSSES": "losses",
    "LossFn": "losses",
    "make_loss": "losses",
    "pull_function": "losses",
    "local_minimum": "minimise",
    "trimmed_local": "minimise",
    "Reference": "references",
    "Scale": "references",
    "epsilon_interval": "references",
    "huber_location": "references",
    "mean": "references",
    "median": "references",
    "quantile_interval": "references",
    "robust_scale": "references",
    "trimmed_mean": "references",
}

__all__ = sorted(_HOME)


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(importlib.import_module(f"scenes.maths.{_HOME[name]}"), name)
    if not name.startswith("__"):
        try:
            return importlib.import_module(f"scenes.maths.{name}")
        except ModuleNotFoundError:
            pass
    raise AttributeError(f"module 'scenes.maths' has no attribute {name!r}")
