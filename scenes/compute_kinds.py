"""Spec -> numbers for the scene kinds ``clipping`` and ``influence`` (loss scenes: compute.py).

As for loss scenes, the scene builders and ``loss-scenes compute`` read the same data.
"""

from dataclasses import dataclass
from typing import Any

import numpy as np

from scenes import maths
from scenes.maths import clipping, influence


@dataclass(frozen=True)
class ClippingData:
    spec: Any
    observations: np.ndarray
    one_d: clipping.Clipping1D
    two_d: clipping.Clipping2D
    target: np.ndarray
    """Where the mean of the norm-clipped pulls vanishes (the 2-D Huber estimate)."""
    warnings: list[str]

    @property
    def converged(self) -> bool:
        spread = float(
            np.ptp(np.vstack([self.two_d.points, self.two_d.trajectory[:1]]), axis=0).max()
        )
        return bool(np.linalg.norm(self.two_d.trajectory[-1] - self.target) <= 1e-3 * spread)


@dataclass(frozen=True)
class InfluenceData:
    spec: Any
    observations: np.ndarray
    frames: influence.Influence
    warnings: list[str]


def compute_clipping(spec: Any) -> ClippingData:
    y = spec.observations.resolve()
    theta = float(np.median(y)) if spec.theta is None else float(spec.theta)
    points = np.asarray(spec.points, dtype=np.float64)
    two_d = clipping.clipped_descent(points, np.asarray(spec.start), spec.clip, spec.steps)
    data = ClippingData(
        spec=spec,
        observations=y,
        one_d=clipping.clipping_1d(y, theta, spec.clip),
        two_d=two_d,
        target=clipping.huber_location_2d(points, spec.clip),
        warnings=[],
    )
    if not data.converged:
        data.warnings.append(
            f"{spec.scene}: the 2-D descent has not reached the clipped-gradient fixed point "
            f"within {spec.steps} steps"
        )
    return data


def compute_influence(spec: Any) -> InfluenceData:
    y = spec.observations.resolve()
    frames = influence.influence_frames(y, tuple(spec.path), spec.frames, spec.delta, spec.c)
    return InfluenceData(spec=spec, observations=y, frames=frames, warnings=[])


def compute_any(spec: Any) -> Any:
    """The data of a scene of any kind."""
    from scenes.compute import compute_scene

    kind = getattr(spec, "kind", "loss")
    if kind == "clipping":
        return compute_clipping(spec)
    if kind == "influence":
        return compute_influence(spec)
    return compute_scene(spec)


def _list(a: np.ndarray) -> Any:
    return np.asarray(a, dtype=np.float64).tolist()


def to_json_any(data: Any) -> dict[str, Any]:
    """The JSON of ``loss-scenes compute`` for a scene of any kind (non-finite numbers: null)."""
    from scenes.compute import json_safe

    return json_safe(_to_json_any(data))


def _to_json_any(data: Any) -> dict[str, Any]:
    from scenes.compute import to_json

    if isinstance(data, ClippingData):
        two = data.two_d
        return {
            "scene": data.spec.scene,
            "kind": "clipping",
            "clip": data.spec.clip,
            "observations": _list(data.observations),
            "one_d": {
                "theta": data.one_d.theta,
                "raw": _list(data.one_d.raw),
                "clipped": _list(data.one_d.clipped),
                "huber": _list(data.one_d.huber),
            },
            "two_d": {
                "points": _list(two.points),
                "step_size": two.step_size,
                "trajectory": _list(two.trajectory),
                "mean_raw": _list(two.mean_raw),
                "mean_clipped": _list(two.mean_clipped),
                "estimate": _list(two.trajectory[-1]),
                "target": _list(data.target),
            },
            "converged": data.converged,
        }
    if isinstance(data, InfluenceData):
        f = data.frames
        return {
            "scene": data.spec.scene,
            "kind": "influence",
            "observations": _list(data.observations),
            "delta": data.spec.delta,
            "c": data.spec.c,
            "positions": _list(f.positions),
            "estimates": {
                "mean": _list(f.mean),
                "median": _list(f.median),
                "huber": _list(f.huber),
                "trimmed": _list(f.trimmed),
            },
        }
    return to_json(data)


__all__ = [
    "ClippingData",
    "InfluenceData",
    "compute_any",
    "compute_clipping",
    "compute_influence",
    "maths",
    "to_json_any",
]
