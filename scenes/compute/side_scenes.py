"""Spec -> numbers for the scene kinds ``clipping`` and ``influence`` (loss scenes: compute.py).

As for loss scenes, the scene builders and ``loss-scenes compute`` read the same data.
"""

from dataclasses import dataclass
from typing import Any

import numpy as np

from scenes import maths
from scenes.compute.loss import CONVERGENCE_TOLERANCE, settled_step
from scenes.compute.translation import GENERATED, language_of, source_scene, translate
from scenes.maths import influence
from scenes.maths.results import Clipping1D, Clipping2D
from scenes.numbers import fixed, in_locale, pair, with_minus_signs


@dataclass(frozen=True)
class ClippingData:
    spec: Any
    observations: np.ndarray
    one_d: Clipping1D
    two_d: Clipping2D
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


INFLUENCE_ESTIMATORS = ("mean", "median", "huber", "trimmed")
"""The influence scene's estimators, each with the built-in loss it minimises."""
INFLUENCE_LOSSES = {"mean": "l2", "median": "l1", "huber": "huber", "trimmed": "trimmed"}
R_SPAN_FACTOR = 1.6
"""Below this times the largest kink (1, delta, c) the influence scene's r axis stops shrinking:
the kinks stay wide apart."""
R_MARGIN = 1.1
"""The r axis reaches this times the largest residual: no marker on its edge."""
CURVE_SAMPLES = 4001
"""Samples of each influence curve over the widest r range of the walk (plus its kinks)."""


@dataclass(frozen=True)
class InfluenceData:
    spec: Any
    observations: np.ndarray
    frames: influence.Influence
    warnings: list[str]
    pulls: dict[str, np.ndarray]
    """Per estimator, ``l'(x_k - estimate_k)``: the moving point's influence at each frame."""
    r_ranges: np.ndarray
    """(frames, 2): the r axis at each frame, holding every estimator's residual."""
    curve_r: np.ndarray
    """The r samples of the influence curves (the widest r range, kinks included)."""
    curves: dict[str, np.ndarray]
    """Per estimator, ``l'(curve_r)``: its influence curve, computed once."""


def compute_clipping(spec: Any) -> ClippingData:
    # The JAX modules here, not at the top: a render worker reads ClippingData without them.
    from scenes.maths import clipping

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
    from scenes.maths.losses import derivative

    y = spec.observations.resolve()
    frames = influence.influence_frames(y, tuple(spec.path), spec.frames, spec.delta, spec.c)
    params = {"huber": {"delta": spec.delta}, "trimmed": {"c": spec.c}}
    slopes = {
        name: derivative(maths.make_loss(INFLUENCE_LOSSES[name], params.get(name)))
        for name in INFLUENCE_ESTIMATORS
    }
    residuals = np.stack(
        [frames.positions - getattr(frames, name) for name in INFLUENCE_ESTIMATORS], axis=1
    )
    floor = R_SPAN_FACTOR * max(float(spec.delta), float(spec.c), 1.0)
    r_ranges = np.stack(
        [
            np.minimum(-floor, R_MARGIN * residuals.min(axis=1)),
            np.maximum(floor, R_MARGIN * residuals.max(axis=1)),
        ],
        axis=1,
    )
    kinks = [0.0, 1.0, float(spec.delta), float(spec.c)]
    curve_r = np.union1d(
        np.linspace(r_ranges[:, 0].min(), r_ranges[:, 1].max(), CURVE_SAMPLES),
        [sign * k for k in kinks for sign in (-1, 1)],
    )
    return InfluenceData(
        spec=spec,
        observations=y,
        frames=frames,
        warnings=[],
        pulls={
            name: influence.influence_curve(slopes[name], residuals[:, k])
            for k, name in enumerate(INFLUENCE_ESTIMATORS)
        },
        r_ranges=r_ranges,
        curve_r=curve_r,
        curves={
            name: influence.influence_curve(slopes[name], curve_r) for name in INFLUENCE_ESTIMATORS
        },
    )


def clipping_narration(data: ClippingData) -> dict[str, str]:
    """The result the clipping scene ends on; it claims a balance only when the JSON does."""
    mu = data.two_d.trajectory[-1]
    mean = data.two_d.points.mean(axis=0)
    lang = language_of(data.spec)

    def at(x: float, y: float) -> str:
        return in_locale(pair(x, y), lang)

    def said_as(text_id: str, **values: str) -> str:
        template = GENERATED["clipping"][text_id]
        return translate(f"{source_scene(data.spec)}/{text_id}", template, lang, **values)

    if data.converged:
        text = said_as("hold.balanced", where=at(mu[0], mu[1]), mean=at(mean[0], mean[1]))
    else:
        target = data.target
        text = said_as("hold.unbalanced", where=at(mu[0], mu[1]), target=at(target[0], target[1]))
    return {"hold": text}


ESTIMATE_DECIMALS = 4
"""Decimals of the influence scene's estimates, on its labels and in its narration."""
OUTLIER_DECIMALS = 1
"""Decimals of the outlier's place, on its label and in the narration."""


def influence_narration(data: InfluenceData) -> dict[str, str]:
    f = data.frames
    lang = language_of(data.spec)

    # The digits the scene's labels show in the same frame: the outlier's place to one decimal,
    # the estimates to four, as the loss scenes show them (scenes.scene.influence_scene).
    def said(value: float, decimals: int = ESTIMATE_DECIMALS) -> str:
        return with_minus_signs(fixed(value, decimals, lang))

    text = translate(
        f"{source_scene(data.spec)}/hold",
        GENERATED["influence"]["hold"],
        lang,
        outlier=said(f.positions[-1], OUTLIER_DECIMALS),
        mean=said(f.mean[-1]),
        median=said(f.median[-1]),
        huber=said(f.huber[-1]),
        trimmed=said(f.trimmed[-1]),
    )
    return {"hold": text}


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
    "INFLUENCE_ESTIMATORS",
    "INFLUENCE_LOSSES",
    "InfluenceData",
    "clipping_json",
    "clipping_narration",
    "influence_json",
    "influence_narration",
    "compute_clipping",
    "compute_influence",
    "maths",
]
