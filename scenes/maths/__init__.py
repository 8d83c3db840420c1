"""Pure maths of loss-scenes: losses, their derivatives and densities, descent, references.

Nothing here knows about Manim, YAML or files. Every function takes and returns arrays (float64).
The package itself imports nothing heavy: ``scenes.maths.axis`` (numpy only) serves ``check``
without JAX; a name below is imported from its module on first use, and every module that uses
JAX switches it to double precision first (``scenes.maths._x64``).
"""

import importlib
import sys
from typing import Any

_HOME = {
    "enable_x64": "_x64",
    "Curves": "curves",
    "jump_indices": "results",
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

__all__ = sorted([*_HOME, "cache_compilations"])

compilation_cache: str | None = None
"""Where JAX keeps what it compiles (set by :func:`cache_compilations`)."""


def cache_compilations(folder: str) -> None:
    """Keep JAX's compiled functions in ``folder`` across processes (``_x64.use_cache``).

    Only written down until the maths first imports JAX: a process that merely unpickles the
    maths' results (a render worker) never pays JAX's import (about 1.2 s).
    """
    global compilation_cache
    compilation_cache = folder
    if "scenes.maths._x64" in sys.modules:
        sys.modules["scenes.maths._x64"].use_cache(folder)


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(importlib.import_module(f"scenes.maths.{_HOME[name]}"), name)
    if not name.startswith("__"):
        try:
            return importlib.import_module(f"scenes.maths.{name}")
        except ModuleNotFoundError:
            pass
    raise AttributeError(f"module 'scenes.maths' has no attribute {name!r}")
