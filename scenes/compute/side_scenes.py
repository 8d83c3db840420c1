"""Spec -> numbers for the scene kinds ``clipping`` and ``influence`` (loss scenes: compute.py).

As for loss scenes, the scene builders and ``loss-scenes compute`` read the same data.
"""

from dataclasses import dataclass
from typing import Any

import numpy as np

from scenes import maths
from scenes.compute.loss import CONVERGENCE_TOLERANCE, settled_step
from scenes.maths import clipping, influence
from scenes.numbers import SENTENCE_DIGITS, pair, significant


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
    def tolerance(self) -> float:
        spread = float(
            np.ptp(np.vstack([self.two_d.points, self.two_d.trajectory[:1]]), axis=0).max()
        )
        return CONVERGENCE_TOLERANCE * spread

    @property
    def converged(self) -> bool:
        return bool(np.linalg.norm(self.two_d.trajectory[-1] - self.target) <= self.tolerance)

    @property
    def settled_at(self) -> int:
        """The step from which the 2-D estimate stays within tolerance of the target."""
        distance = np.linalg.norm(self.two_d.trajectory - self.target, axis=1)
        return settled_step(distance <= self.tolerance)


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


def clipping_narration(data: ClippingData) -> dict[str, str]:
    """The result the clipping scene ends on; it claims a balance only when the JSON does."""
    mu = data.two_d.trajectory[-1]
    mean = data.two_d.points.mean(axis=0)
    where = pair(mu[0], mu[1])
    if data.converged:
        text = (
            f"μ = {where}: the clipped gradients balance there; the mean is "
            f"{pair(mean[0], mean[1])}."
        )
    else:
        target = data.target
        text = (
            f"μ = {where} has not yet reached the point where the clipped gradients balance, "
            f"{pair(target[0], target[1])}."
        )
    return {"hold": text}


def influence_narration(data: InfluenceData) -> dict[str, str]:
    f = data.frames

    def said(value: float) -> str:
        return significant(value, SENTENCE_DIGITS)

    return {
        "hold": (
            f"With the outlier at {said(f.positions[-1])}: mean {said(f.mean[-1])}, median "
            f"{said(f.median[-1])}, Huber {said(f.huber[-1])}, trimmed {said(f.trimmed[-1])}. The "
            "trimmed loss has several minima: this is the one reached from the median."
        )
    }


def _list(a: np.ndarray) -> Any:
    return np.asarray(a, dtype=np.float64).tolist()


def clipping_json(data: ClippingData) -> dict[str, Any]:
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
        "animated_steps": data.settled_at,
        "converged_at": data.settled_at if data.converged else None,
    }


def influence_json(data: InfluenceData) -> dict[str, Any]:
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


__all__ = [
    "ClippingData",
    "InfluenceData",
    "clipping_json",
    "clipping_narration",
    "influence_json",
    "influence_narration",
    "compute_clipping",
    "compute_influence",
    "maths",
]
