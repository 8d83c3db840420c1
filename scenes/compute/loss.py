"""From a validated scene spec to every number the animation shows.

This is the one place where the spec meets the maths: the scene builders and ``loss-scenes
compute`` both read a :class:`SceneData`, so the video and the JSON cannot disagree.
"""

# Annotations stay unevaluated: ``maths.Descent`` in a signature would import JAX (about 1.2 s)
# in every process that unpickles a SceneData, render workers included, which never run JAX.
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from scenes import maths
from scenes.compute.loss_table import LOSS_TABLE, TARGETS
from scenes.compute.translation import GENERATED, language_of, source_scene, translate
from scenes.files import cache_dir
from scenes.maths.axis import line_labels, padded_extent
from scenes.maths.data_scale import robust_delta
from scenes.numbers import at_resolution, significant, with_minus_signs
from scenes.spec import SceneSpec

# Every maths user goes through here (scene kinds, cards, formula checks): one place to say
# where JAX keeps what it compiled.
maths.cache_compilations(str(cache_dir() / "jax"))

# Distance from the target, relative to the spread of the data, below which the descent counts
# as settled on it.
CONVERGENCE_TOLERANCE = 1e-3

# The beat ``adapt`` (Huber with delta: auto): the observations spread about their median by a
# factor growing from 1 to ADAPT_SPREAD, sampled at ADAPT_FRAMES factors.
ADAPT_SPREAD = 2.0
ADAPT_FRAMES = 61

CURVE_SAMPLES = 401
LINE_TICKS = 12
"""About this many ticks on the number line of the descent."""


def settled_step(inside: np.ndarray) -> int:
    """The first index from which every entry of ``inside`` is true (the last index if the last
    entry is false); at least 1, so a descent is always seen to move or to stand.
    """
    if not inside[-1]:
        return len(inside) - 1
    outside = np.flatnonzero(~inside)
    return max(1, int(outside[-1]) + 1) if len(outside) else min(1, len(inside) - 1)


@dataclass(frozen=True)
class Adaptation:
    """The beat ``adapt``: the data spread about their median, delta recomputed from them.

    Row ``k`` is the data scaled by ``factors[k]``; ``deltas[k]`` is delta: auto's threshold of
    that data (:func:`robust_delta`), ``estimates[k]`` the exact Huber estimate with it, and
    ``pulls[k, i]`` the pull of observation ``i`` on it.
    """

    factors: np.ndarray  # (K,)
    observations: np.ndarray  # (K, n)
    deltas: np.ndarray  # (K,)
    estimates: np.ndarray  # (K,)
    pulls: np.ndarray  # (K, n)
    final_curves: maths.Curves | None = None
    """The loss's curves with the last delta: the small panels the beat ends on (the scene
    draws them; sampled here with the scene's own curves' range and count)."""


@dataclass(frozen=True)
class Restart:
    """The beat ``restart``: a second descent, from ``estimate.second_start``, and the minimum
    it is meant to reach from there.
    """

    start: float
    descent: maths.Descent
    target: maths.Reference
    settled_at: int
    converged: bool


def settled_on(descent: maths.Descent, target: maths.Reference, tolerance: float) -> int:
    """The step from which ``descent`` stays within ``tolerance`` of ``target``."""
    distance = np.maximum(
        np.maximum(target.lo - descent.trajectory, descent.trajectory - target.hi), 0.0
    )
    return settled_step(distance <= tolerance)


@dataclass(frozen=True)
class SceneData:
    """Everything a loss scene shows, computed once, as numpy arrays and plain numbers."""

    spec: SceneSpec
    loss_params: dict[str, Any]
    curves: maths.Curves
    observations: np.ndarray
    descent: maths.Descent
    references: dict[str, maths.Reference]
    target_name: str
    trimmed_mean: float | None = None
    band: float | None = None
    """Half-width of the band around the estimate inside which points are counted whole: Huber's
    delta (unclipped) or the trimmed loss's c (not dropped)."""
    adaptation: Adaptation | None = None
    restart: Restart | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def target(self) -> maths.Reference:
        return self.references[self.target_name]

    @property
    def estimate(self) -> float:
        return self.descent.estimate

    @property
    def spread(self) -> float:
        return float(np.ptp(np.append(self.observations, self.descent.trajectory[0])))

    @property
    def tolerance(self) -> float:
        """How close to the target counts as arrived."""
        # The floor keeps the test meaningful when every observation coincides with the start;
        # at large magnitudes a few units in the last place can exceed the relative tolerance.
        magnitude = max(abs(self.target.lo), abs(self.target.hi), abs(self.estimate))
        resolution = 8 * float(np.spacing(magnitude))
        return max(CONVERGENCE_TOLERANCE * self.spread, resolution, 1e-300)

    @property
    def converged(self) -> bool:
        return self.target.distance(self.estimate) <= self.tolerance

    @property
    def settled_at(self) -> int:
        """The step from which theta stays within tolerance of its target: where the animation
        of the descent stops (the last step when it never gets there).
        """
        return settled_on(self.descent, self.target, self.tolerance)

    @property
    def shown_trajectory(self) -> np.ndarray:
        """The estimates the video shows: the descent up to :attr:`settled_at`."""
        return self.descent.trajectory[: self.settled_at + 1]

    def line_extent(self, adapted: bool = False) -> tuple[float, float]:
        """The stretch of the number line that holds every observation, reference and place
        theta visits on screen (the descent can overshoot), with the band around theta, and at
        least the spec's ``observations.line``; ``adapted``: also the spread data of the beat
        ``adapt`` (the line zooms out for it).
        """
        band = self.band or 0.0
        shown = self.shown_trajectory
        parts = [
            self.observations,
            shown - band,
            shown + band,
            [ref.value for ref in self.references.values()],
        ]
        if adapted and self.adaptation is not None:
            adapt = self.adaptation
            parts += [
                adapt.observations.ravel(),
                adapt.estimates - adapt.deltas,
                adapt.estimates + adapt.deltas,
            ]
        if self.restart is not None:
            again = self.restart.descent.trajectory[: self.restart.settled_at + 1]
            parts += [again - band, again + band, [self.restart.target.value]]
        values = np.concatenate([np.asarray(part, dtype=np.float64) for part in parts])
        return padded_extent(values, self.spec.observations.line)

    @property
    def resolution(self) -> float:
        """The smallest difference the number line resolves: how many digits values are given."""
        return line_labels(*self.line_extent(), ticks=LINE_TICKS).step / 100


def adapt_threshold(
    y: np.ndarray, spread: float = ADAPT_SPREAD, frames: int = ADAPT_FRAMES
) -> Adaptation:
    """Spread ``y`` about its median by factors from 1 to ``spread``; at each, delta: auto's
    threshold (the same :func:`robust_delta`), the exact Huber estimate and every pull.
    """
    import jax

    y = np.asarray(y, dtype=np.float64)
    center = float(np.median(y))
    factors = np.linspace(1.0, spread, frames)
    observations = center + factors[:, None] * (y - center)[None, :]
    deltas = np.array([robust_delta(row) for row in observations])
    estimates = np.array(
        [
            maths.huber_location(row, delta).value
            for row, delta in zip(observations, deltas, strict=True)
        ]
    )
    # Huber's slope by autodiff, delta an argument: one compiled function for every frame.
    slope = jax.vmap(jax.grad(lambda r, delta: maths.LOSSES["huber"](r, delta=delta)), (0, None))
    pulls = jax.jit(jax.vmap(slope))(observations - estimates[:, None], deltas)
    return Adaptation(
        factors=factors,
        observations=observations,
        deltas=deltas,
        estimates=estimates,
        pulls=np.asarray(pulls, dtype=np.float64),
    )


def resolve_loss_params(spec: SceneSpec, y: np.ndarray) -> dict[str, Any]:
    """The loss parameters with ``auto`` ones replaced by the numbers they stand for."""
    return resolve_params(spec.loss, y)


def resolve_params(loss: Any, y: np.ndarray) -> dict[str, Any]:
    """A loss spec's parameters with ``auto`` ones replaced by the numbers they stand for."""
    params: dict[str, Any] = {}
    for key, value in loss.params().items():
        if value == "auto":
            params[key] = robust_delta(y)
        else:
            params[key] = value if key == "expr" else float(value)
    return params


def _target_parameter(name: str, loss_name: str, params: dict[str, Any]) -> float:
    """The parameter target ``name`` depends on: the loss's own when the loss is the one that
    settles on this target, else the target's default.
    """
    parameter = TARGETS[name].parameter
    assert parameter is not None, name
    key, default = parameter
    return params[key] if LOSS_TABLE[loss_name].target == name else default


def reference_for(name: str, loss_name: str, params: dict[str, Any], y: np.ndarray, start: float):
    """The reference a target name stands for, with this loss (its name) and parameters."""
    if name == "mean":
        return maths.mean(y)
    if name == "median":
        return maths.median(y)
    if name == "huber":
        return maths.huber_location(y, _target_parameter(name, loss_name, params))
    if name == "quantile":
        return maths.quantile_interval(y, _target_parameter(name, loss_name, params))
    if name == "epsilon":
        return maths.epsilon_interval(y, _target_parameter(name, loss_name, params))
    loss = maths.make_loss(loss_name, params)
    if loss_name == "trimmed":
        return maths.trimmed_local(y, params["c"], start, loss)
    return maths.local_minimum(loss, y, start)


def _adaptation(spec: SceneSpec, y: np.ndarray, params: dict[str, Any]) -> Adaptation:
    """The beat ``adapt``'s arrays, and the curves with its last delta."""
    adapt = adapt_threshold(y)
    last = maths.make_loss(spec.loss.name, {**params, "delta": float(adapt.deltas[-1])})
    curves = maths.sample_curves(last, tuple(spec.curves.x_range), num=CURVE_SAMPLES)
    return replace(adapt, final_curves=curves)


def compute_scene(spec: SceneSpec) -> SceneData:
    """Compute curves, descent and references for one scene spec."""
    y = np.asarray(spec.observations.resolve(), dtype=np.float64)
    params = resolve_loss_params(spec, y)
    loss = maths.make_loss(spec.loss.name, params)
    x_lo, x_hi = spec.curves.x_range
    curves = maths.sample_curves(loss, (x_lo, x_hi), num=CURVE_SAMPLES)
    start = spec.estimate.start if spec.estimate.start is not None else maths.default_start(y)
    descent = maths.descend(loss, y, start, spec.estimate.steps)

    references = {"mean": maths.mean(y), "median": maths.median(y)}
    trimmed = None
    band = None
    entry = LOSS_TABLE[spec.loss.name]
    if entry.clips and entry.threshold is not None:
        # Huber's delta: points inside it pull whole; the trimmed loss's c: points further are not
        # counted at all. The band around theta shows which.
        band = params[entry.threshold]
    if spec.loss.name == "huber":
        references["huber"] = maths.huber_location(y, band)
        trimmed = maths.trimmed_mean(y, references["huber"].value, band)
    target_name: str = spec.estimate.target
    if target_name == "auto":
        target_name = entry.target
    if target_name not in references:
        references[target_name] = reference_for(target_name, spec.loss.name, params, y, start)

    data = SceneData(
        spec=spec,
        loss_params=params,
        curves=curves,
        observations=y,
        descent=descent,
        references=references,
        target_name=target_name,
        trimmed_mean=trimmed,
        band=band,
        adaptation=_adaptation(spec, y, params) if spec.adapts else None,
    )
    if spec.estimate.second_start is not None:
        again = float(spec.estimate.second_start)
        second = maths.descend(loss, y, again, spec.estimate.steps)
        if not np.all(np.isfinite(second.trajectory)):
            raise ArithmeticError(
                f"{spec.scene}: the second descent left the finite numbers (is the loss bounded "
                "below, and finite at every residual it meets?)"
            )
        # The target from the second start: the same one unless it depends on the start.
        second_target = reference_for(target_name, spec.loss.name, params, y, again)
        tolerance = max(data.tolerance, CONVERGENCE_TOLERANCE * float(np.ptp(np.append(y, again))))
        settled = settled_on(second, second_target, tolerance)
        restart = Restart(
            start=again,
            descent=second,
            target=second_target,
            settled_at=settled,
            converged=second_target.distance(second.estimate) <= tolerance,
        )
        data = replace(data, restart=restart)
        if not restart.converged:
            data.warnings.append(
                f"{spec.scene}: the second descent, from {significant(again)}, ends at "
                f"{significant(second.estimate)}, not at the {target_name} "
                f"{significant(second_target.value)}, within {spec.estimate.steps} steps; "
                + maths.shortfall(second, second_target.distance)
            )

    if not np.all(np.isfinite(descent.trajectory)):
        raise ArithmeticError(
            f"{spec.scene}: the descent left the finite numbers (is the loss bounded below, "
            "and finite at every residual it meets?)"
        )
    scale = maths.robust_scale(y) if spec.loss.params().get("delta") == "auto" else None
    if scale is not None and scale.name != "MAD":
        how = (
            f"so it is 1.345 x their {scale.name} from the median ({significant(scale.value)})"
            if scale.name != "none"
            else "here all of them, so there is no spread to adapt to"
        )
        data.warnings.append(
            f"{spec.scene}: delta: auto: the MAD of the observations is 0 (more than half of "
            f"them are equal), {how}: delta = {significant(params['delta'])}"
        )
    if len(y) and not np.any(descent.pulls[0]):
        data.warnings.append(
            f"{spec.scene}: no observation pulls at the start {significant(start)} (the loss is "
            "flat there): move estimate.start closer to the data"
        )
    if not data.converged:
        data.warnings.append(
            f"{spec.scene}: the estimate {significant(data.estimate)} has not reached the "
            f"{target_name} {significant(data.target.value)} within {spec.estimate.steps} steps; "
            + maths.shortfall(descent, data.target.distance)
        )
    return data


def json_safe(value: Any) -> Any:
    """Plain JSON data with every non-finite number replaced by null (never invalid JSON)."""
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    if isinstance(value, np.ndarray):
        return json_safe(value.tolist())
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else None
    return value


def to_json(data: SceneData) -> dict[str, Any]:
    """The JSON document of spec section 7 (plus ``converged``, intervals and the trimmed mean)."""
    curves = data.curves
    references: dict[str, Any] = {name: ref.value for name, ref in data.references.items()}
    if data.trimmed_mean is not None or data.spec.loss.name == "huber":
        references["trimmed_mean"] = data.trimmed_mean
    target = data.target
    target_json: dict[str, Any] = {"name": data.target_name, "value": target.value}
    if target.lo != target.hi:
        target_json["interval"] = [target.lo, target.hi]
    document = {
        "scene": data.spec.scene,
        "loss": {"name": data.spec.loss.name, **data.loss_params},
        "curves": {
            "x": curves.x,
            "loss": curves.loss,
            "density": curves.density,
            "derivative": curves.derivative,
            "normalizer": curves.normalizer,
            # Z underflows to 0 for an x_range far from the loss's minimum; log Z stays exact.
            "log_normalizer": curves.log_normalizer,
        },
        "observations": data.observations,
        "trajectory": data.descent.trajectory,
        "step_sizes": data.descent.step_sizes,
        "estimate": data.estimate,
        "target": target_json,
        "references": references,
        "converged": data.converged,
        # The video animates the descent up to here and then holds: the steps after it change
        # theta by less than the tolerance.
        "animated_steps": data.settled_at,
        "converged_at": data.settled_at if data.converged else None,
    }
    if data.adaptation is not None:
        adapt = data.adaptation
        # The beat `adapt`: what the video shows frame by frame, from the same arrays.
        document["adapt"] = {
            "factors": adapt.factors,
            "deltas": adapt.deltas,
            "estimates": adapt.estimates,
        }
    if data.restart is not None:
        again = data.restart
        second_target: dict[str, Any] = {"name": data.target_name, "value": again.target.value}
        if again.target.lo != again.target.hi:
            second_target["interval"] = [again.target.lo, again.target.hi]
        document["second_descent"] = {
            "start": again.start,
            "trajectory": again.descent.trajectory,
            "estimate": again.descent.estimate,
            "target": second_target,
            "converged": again.converged,
            "animated_steps": again.settled_at,
        }
    return json_safe(document)


def result_narration(data: SceneData) -> dict[str, str]:
    """What the last beat says when the spec does not say it: the result, as computed.

    Every claim follows ``converged``, so the caption never says more than the JSON.
    """
    target = data.target
    name = TARGETS[data.target_name].called if data.target_name in TARGETS else data.target_name
    # A scene rendered in another language (scenes.compute.translation): its sentences and
    # numbers in that language; in the source language exactly the sentences as written here.
    lang = language_of(data.spec)
    scene = source_scene(data.spec)

    def fmt(value: float) -> str:
        return at_resolution(value, data.resolution, lang)

    def said_as(text_id: str, **values: str) -> str:
        template = GENERATED["loss"][text_id]
        return translate(f"{scene}/{text_id}", template, lang, **values)

    the_target = translate(f"words/{data.target_name}", f"the {name}", lang)
    estimate = fmt(data.estimate)
    if not data.converged:
        text = said_as(
            "hold.unreached", estimate=estimate, the_target=the_target, target=fmt(target.value)
        )
    elif target.lo != target.hi:
        text = said_as(
            "hold.interval",
            estimate=estimate,
            the_target=the_target,
            lo=fmt(target.lo),
            hi=fmt(target.hi),
        )
    else:
        text = said_as("hold.point", the_target=the_target, estimate=estimate)
    said = {"hold": text}
    if data.adaptation is not None:
        adapt = data.adaptation
        said["adapt"] = said_as(
            "adapt",
            factor=significant(adapt.factors[-1], locale=lang),
            delta_before=fmt(adapt.deltas[0]),
            delta_after=fmt(adapt.deltas[-1]),
        )
        said["hold"] = said_as(
            "hold.adapt", delta=fmt(adapt.deltas[-1]), estimate=fmt(adapt.estimates[-1])
        )
    if data.restart is not None:
        again = data.restart
        second = fmt(again.descent.estimate)
        start = fmt(again.start)
        if not again.converged:
            said["restart"] = said_as(
                "restart.unreached",
                start=start,
                second=second,
                the_target=the_target,
                target=fmt(again.target.value),
            )
        elif again.target.distance(data.estimate) <= data.tolerance:
            same = translate(f"names/{data.target_name}", name, lang)
            said["restart"] = said_as("restart.same", start=start, name=same, second=second)
        else:
            said["restart"] = said_as(
                "restart.other", start=start, second=second, estimate=estimate
            )
        said["hold"] = said_as(
            "hold.restart",
            first=fmt(data.descent.trajectory[0]),
            estimate=estimate,
            start=start,
            second=second,
        )
    return {beat: with_minus_signs(text) for beat, text in said.items()}
