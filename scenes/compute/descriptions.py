"""What only the picture shows, said in words: the described video (spec-v3 section 16).

A pure function from a scene's computed data and the ids of the beats it plays to one plain
sentence or two per beat: where theta is, which arrows are cut short (greyed), which curve is
drawn, where the markers are, with their values. The numbers are written as the labels write
them (:mod:`scenes.numbers`, at the precisions the scene's labels and captions use), so a
listener hears the string a sighted viewer reads. The site writes them as a ``kind="descriptions"``
WebVTT track, one cue at the end of each beat (:mod:`scenes.site`).

Every text is keyed by a language code; English is the language the specs are written in, and
the only one so far: another is one more entry in :data:`DESCRIBERS`.
"""

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from scenes.compute.cards import CardData, SummaryData, value_words
from scenes.compute.loss import SceneData
from scenes.compute.loss_table import LOSS_TABLE, PARAMETERS, TARGETS
from scenes.compute.side_scenes import (
    ESTIMATE_DECIMALS,
    OUTLIER_DECIMALS,
    ClippingData,
    InfluenceData,
)
from scenes.numbers import (
    SENTENCE_DIGITS,
    VALUE_DIGITS,
    at_resolution,
    fixed,
    pair,
    significant,
    with_minus_signs,
)

__all__ = ["DESCRIBERS", "SOURCE_LANGUAGE", "describe"]

SOURCE_LANGUAGE = "en"
LISTED = 12
"""Up to this many observations are read out one by one; more are given by their range."""


def describe(data: Any, beat_ids: Iterable[str], lang: str = SOURCE_LANGUAGE) -> dict[str, str]:
    """The description of each beat in ``beat_ids`` that shows something words must add
    (a beat that only holds the picture may have none), in the language ``lang``.
    """
    describers = DESCRIBERS.get(lang)
    if describers is None:
        raise ValueError(
            f"no described video in language {lang!r} yet (languages: {', '.join(DESCRIBERS)})"
        )
    for kind, describer in describers.items():
        if isinstance(data, kind):
            said = describer(data)
            return {
                beat: with_minus_signs(" ".join(said[beat].split()))
                for beat in beat_ids
                if said.get(beat)
            }
    raise TypeError(f"no described video for {type(data).__name__}")


def _listing(values: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + " and " + values[-1]


def _sentence(value: float) -> str:
    # + 0.0: a flat curve's -0.0 is said as 0, not "minus 0".
    return significant(float(value) + 0.0, SENTENCE_DIGITS)


# --------------------------------------------------------------------------------------------------
# English


def _loss_en(data: SceneData) -> dict[str, str]:
    spec = data.spec
    entry = LOSS_TABLE[spec.loss.name]

    def fmt(value: float) -> str:
        # The key's and the balance's labels: as many digits as the number line resolves.
        return at_resolution(float(value), data.resolution)

    said: dict[str, str] = {}
    title = spec.title or f"The {entry.words} loss"
    written = spec.loss.params()
    params = [
        f"{PARAMETERS[key].text if key in PARAMETERS else key} = "
        f"{significant(value, VALUE_DIGITS)}"
        + (" (auto: from the spread of the data)" if written.get(key) == "auto" else "")
        for key, value in data.loss_params.items()
        if key != "expr"
    ]
    shown = list(spec.curves.show)
    said["intro"] = (
        f"The title, {title}, and the formula of the loss at the top right"
        + (f", with {_listing(params)}" if params else "")
        + f". Below, {len(shown)} empty panel{'s' if len(shown) != 1 else ''} for the "
        + _listing([_CURVE_NAMES[name] for name in shown])
        + "."
    )
    curves = data.curves
    x = np.asarray(curves.x)
    lo, hi = _sentence(x[0]), _sentence(x[-1])
    loss = np.asarray(curves.loss)
    low = int(np.argmin(loss))
    said["loss"] = (
        f"The loss curve is drawn over r from {lo} to {hi}: lowest, {_sentence(loss[low])}, at "
        f"r = {_sentence(x[low])}; {_sentence(loss[0])} at the left end, "
        f"{_sentence(loss[-1])} at the right."
    )
    density = np.asarray(curves.density)
    top = int(np.argmax(density))
    said["density"] = (
        f"The density is drawn below it: highest, {_sentence(density[top])}, at "
        f"r = {_sentence(x[top])}, falling to {_sentence(density[0])} and "
        f"{_sentence(density[-1])} at the ends."
    )
    slope = np.asarray(curves.derivative)
    text = (
        f"The derivative is drawn: {_sentence(slope[0])} at r = {lo}, "
        f"{_sentence(slope[-1])} at r = {hi}."
    )
    if entry.clips and entry.threshold is not None and data.band is not None:
        symbol = PARAMETERS[entry.threshold].text
        text += f" Dashed lines at r = ±{symbol} = ±{_sentence(data.band)} mark where it " + (
            "stops growing." if spec.loss.name == "huber" else "changes."
        )
    said["derivative"] = text

    y = np.sort(data.observations)
    line_lo, line_hi = data.line_extent()
    start = float(data.descent.trajectory[0])
    dots = (
        _listing([fmt(v) for v in y]) if len(y) <= LISTED else f"from {fmt(y[0])} to {fmt(y[-1])}"
    )
    text = (
        f"{len(y)} observations appear as dots on a number line from {fmt(line_lo)} to "
        f"{fmt(line_hi)}: {dots}. θ stands at {fmt(start)}, with one arrow per observation, "
        "its pull on θ."
    )
    if data.band is not None and entry.threshold is not None:
        symbol = PARAMETERS[entry.threshold].text
        text += (
            f" A shaded band, θ ± {symbol}, {fmt(start - data.band)} to "
            f"{fmt(start + data.band)}, marks the observations that count "
            + ("whole." if spec.loss.name == "huber" else "at all.")
        )
    said["data"] = text

    last = len(data.descent.trajectory) - 1
    estimate = float(data.descent.trajectory[last])
    greyed = _greyed(data.observations, data.descent.pulls[last], estimate)
    text = f"θ moves from {fmt(start)} to {fmt(data.shown_trajectory[-1])}"
    text += f" in {data.settled_at} step{'s' if data.settled_at != 1 else ''}."
    if len(greyed):
        where = _listing([fmt(v) for v in np.sort(data.observations[greyed])])
        text += (
            f" The arrows of the observations at {where} are shorter than their distance to θ: "
            "the rest, up to the dot, is grey, what the loss does not count."
        )
    said["estimate"] = text

    pulls = data.descent.pulls[last]
    left = float(pulls[pulls < 0].sum())
    right = float(pulls[pulls > 0].sum())
    markers = []
    for name, ref in data.references.items():
        called = TARGETS[name].called if name in TARGETS else name
        if ref.lo != ref.hi:
            markers.append(f"the {called} interval, from {fmt(ref.lo)} to {fmt(ref.hi)}")
        else:
            markers.append(f"the {called} at {fmt(ref.value)}")
    if data.trimmed_mean is not None and entry.threshold is not None:
        symbol = PARAMETERS[entry.threshold].text
        markers.append(f"the mean within {symbol} at {fmt(data.trimmed_mean)}")
    said["arrival"] = (
        f"θ has stopped at {fmt(estimate)}. Markers under the line show "
        f"{_listing(markers)}. Two arrows from θ sum the pulls, labelled pulls: left "
        f"{fmt(left)}, right {fmt(right)}."
    )
    if data.adaptation is not None:
        adapt = data.adaptation
        said["adapt"] = (
            f"The dots spread out about their median, to {_sentence(adapt.factors[-1])} times "
            f"their width; δ grows from {fmt(adapt.deltas[0])} to {fmt(adapt.deltas[-1])}, the "
            f"band with it, and θ follows, to {fmt(adapt.estimates[-1])}."
        )
    if data.restart is not None:
        again = data.restart
        said["restart"] = (
            f"θ starts again at {fmt(again.start)} and descends, to "
            f"{fmt(again.descent.estimate)}; a second marker, labelled with its start, shows it."
        )
    target = data.target
    name = TARGETS[data.target_name].called if data.target_name in TARGETS else data.target_name
    said["hold"] = f"The picture holds: θ at {fmt(data.estimate)}, the {name} at " + (
        f"{fmt(target.value)}."
        if target.lo == target.hi
        else f"{fmt(target.lo)} to {fmt(target.hi)}."
    )
    return said


_CURVE_NAMES = {"loss": "loss", "density": "density", "derivative": "derivative"}


def _greyed(observations: np.ndarray, pulls: np.ndarray, theta: float) -> np.ndarray:
    """The observations whose arrow is shorter than their distance to theta: the drawing greys
    the rest (scenes.scene.loss_pulls; in data units, where the drawing compares screen units).
    """
    residual = np.asarray(observations, dtype=np.float64) - theta
    scale = max(float(np.ptp(np.append(observations, theta))), 1.0)
    return np.flatnonzero(np.abs(residual) > np.abs(pulls) + 1e-9 * scale)


def _card_en(data: CardData) -> dict[str, str]:
    spec = data.spec
    said = {"intro": f"Title card: {spec.title}."}
    if spec.subtitle:
        said["intro"] += f" Under it: {spec.subtitle}."
    items = list(spec.items)
    if items:
        said["items"] = f"A list of {len(items)}: " + "; ".join(items) + "."
    return said


def _summary_en(data: SummaryData) -> dict[str, str]:
    spec = data.spec
    y = data.observations
    lo, hi = data.line_extent()
    said = {}
    if spec.title:
        said["intro"] = f"The title: {spec.title}."
    said["data"] = (
        f"{len(y)} observations as dots on a number line from {_sentence(lo)} to {_sentence(hi)}."
    )
    said["compare"] = (
        "The estimates appear one after the other: "
        + "; ".join(f"{e.label}: {value_words(e.reference)}" for e in data.estimates)
        + "."
    )
    return said


def _clipping_en(data: ClippingData) -> dict[str, str]:
    spec = data.spec
    c = significant(spec.clip)
    one = data.one_d
    two = data.two_d
    norms = np.linalg.norm(two.raw[0], axis=1)
    cut = int(np.count_nonzero(norms > spec.clip))
    end, mean = two.trajectory[-1], two.points.mean(axis=0)
    said = {
        "clip": (
            f"At θ = {_sentence(one.theta)}, each observation's gradient, from "
            f"{_sentence(float(np.min(one.raw)))} to {_sentence(float(np.max(one.raw)))}, "
            f"is cut at ±c = ±{c}; the cut gradients lie on the Huber derivative with δ = c."
        ),
        "vectors": (
            f"{len(two.points)} points in the plane, each with its gradient arrow at θ = "
            f"{pair(*two.trajectory[0])}; {cut} of them, longer than c = {c}, are scaled back "
            "onto a circle of radius c."
        ),
        "descent": (
            f"θ moves from {pair(*two.trajectory[0])} to {pair(*end)} in "
            f"{data.settled_at} steps, its arrows clipped at every step."
        ),
        "hold": f"θ rests at {pair(*end)}; a marker shows the mean of the points at {pair(*mean)}.",
    }
    if spec.title:
        said["intro"] = f"The title: {spec.title}."
    return said


def _influence_en(data: InfluenceData) -> dict[str, str]:
    f = data.frames
    half = (len(f.positions) - 1) // 2

    def at(k: int) -> str:
        def said(value: float, decimals: int = ESTIMATE_DECIMALS) -> str:
            return fixed(float(value), decimals)

        return (
            f"mean {said(f.mean[k])}, median {said(f.median[k])}, Huber {said(f.huber[k])}, "
            f"trimmed {said(f.trimmed[k])}"
        )

    def place(k: int) -> str:
        return fixed(float(f.positions[k]), OUTLIER_DECIMALS)

    said = {
        "move": (
            f"The outlier moves from {place(0)} to {place(half)}; the estimates, marked on the "
            f"line, go from {at(0)} to {at(half)}."
        ),
        "influence": (
            f"It moves on to {place(-1)}, beside each estimator's influence curve, its point "
            f"marked on each: {at(-1)}."
        ),
    }
    if data.spec.title:
        said["intro"] = f"The title: {data.spec.title}."
    return said


Describer = Callable[[Any], dict[str, str]]
DESCRIBERS: dict[str, dict[type, Describer]] = {
    "en": {
        SceneData: _loss_en,
        ClippingData: _clipping_en,
        InfluenceData: _influence_en,
        SummaryData: _summary_en,
        CardData: _card_en,
    }
}
"""Language code -> the describer of each kind of scene data, in that language."""
