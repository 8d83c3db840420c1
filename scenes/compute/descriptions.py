"""What only the picture shows, said in words: the described video (spec-v3 section 16).

A pure function from a scene's computed data and the ids of the beats it plays to one plain
sentence or two per beat: where theta is, which arrows are cut short (greyed), which curve is
drawn, where the markers are, with their values. The numbers are written as the labels write
them (:mod:`scenes.numbers`, at the precisions the scene's labels and captions use, with the
language's decimal mark), so a listener hears the string a sighted viewer reads. The site writes
them as a ``kind="descriptions"`` WebVTT track, one cue at the end of each beat
(:mod:`scenes.site`).

One describer per kind of scene data works out what is said; the words are the language's:
:data:`SENTENCES` (templates with named placeholders), :data:`LOSS_WORDS` and
:data:`TARGET_WORDS`. English is the language the specs are written in; another language is
one more entry in each of those three tables.
"""

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from scenes.compute.cards import CardData, SummaryData, value_words
from scenes.compute.loss import SceneData, resolve_params
from scenes.compute.loss_table import LOSS_TABLE, PARAMETERS, TARGETS
from scenes.compute.side_scenes import (
    ESTIMATE_DECIMALS,
    OUTLIER_DECIMALS,
    ClippingData,
    InfluenceData,
)
from scenes.numbers import (
    DECIMAL_COMMA,
    SENTENCE_DIGITS,
    VALUE_DIGITS,
    at_resolution,
    fixed,
    in_locale,
    pair,
    significant,
    with_minus_signs,
)

__all__ = [
    "DESCRIBERS",
    "LOSS_WORDS",
    "SENTENCES",
    "SOURCE_LANGUAGE",
    "TARGET_WORDS",
    "describe",
]

SOURCE_LANGUAGE = "en"
LISTED = 12
"""Up to this many observations are read out one by one; more are given by their range."""

# --------------------------------------------------------------------------------------------------
# The words, per language

SENTENCES: dict[str, dict[str, str]] = {
    # language -> text id -> template. A text id with a variant ``<id>.one`` is said in that
    # variant when its ``count`` is 1. Placeholders a language's template does not use are
    # left out (the target's and loss's words are given in every form each language has).
    "en": {
        "and": "and",
        "range": "from {lo} to {hi}",
        "title": "The title: {title}.",
        "param": "{symbol} = {value}",
        "param.auto": "{symbol} = {value} (auto)",
        "param.auto.said": "{symbol} = {value} (auto: from the spread of the data)",
        "panels": "{count} empty panels",
        "panels.one": "{count} empty panel",
        "steps": "{count} steps",
        "steps.one": "{count} step",
        "loss.intro": "The title, {title}, and the formula of the loss at the top right{params}. "
        "Below, {panels} for the {curves}.",
        "loss.intro.params": ", with {params}",
        "loss.loss": "The loss curve is drawn over r from {lo} to {hi}: lowest, {low}, at "
        "r = {low_at}; {left} at the left end, {right} at the right.",
        "loss.density": "The density is drawn below it: highest, {top}, at r = {top_at}, "
        "falling to {left} and {right} at the ends.",
        "loss.derivative": "The derivative is drawn: {left} at r = {lo}, {right} at r = {hi}.",
        "loss.derivative.huber": " Dashed lines at r = ±{symbol} = ±{band} mark where it stops "
        "growing.",
        "loss.derivative.other": " Dashed lines at r = ±{symbol} = ±{band} mark where it changes.",
        "loss.data": "{count} observations appear as dots on a number line from {lo} to {hi}: "
        "{dots}.",
        "loss.estimate.start": "θ appears at {start}, with one arrow per observation, its pull "
        "on θ.",
        "loss.data.band.huber": " A shaded band, θ ± {symbol}, {lo} to {hi}, marks the "
        "observations that count whole.",
        "loss.data.band.other": " A shaded band, θ ± {symbol}, {lo} to {hi}, marks the "
        "observations that count at all.",
        "loss.estimate": " θ moves from {start} to {end} in {steps}.",
        "loss.estimate.greyed": " The arrows of the observations at {where} are shorter than "
        "their distance to θ: the rest, up to the dot, is grey, what the loss does not count.",
        "loss.marker.point": "the {called} at {value}",
        "loss.marker.interval": "the {called} interval, from {lo} to {hi}",
        "loss.marker.within": "the mean within {symbol} at {value}",
        "loss.arrival": "θ has stopped at {estimate}. Markers under the line show {markers}. "
        "Two arrows from θ sum the pulls, labelled pulls: left {left}, right {right}.",
        "loss.adapt": "The dots spread out about their median, to {factor} times their width; "
        "δ grows from {before} to {after}, the band with it, and θ follows, to {estimate}.",
        "loss.restart": "θ starts again at {start} and descends, to {estimate}; a second "
        "marker, labelled with its start, shows it.",
        "loss.hold.point": "The picture holds: θ at {estimate}, the {called} at {value}.",
        "loss.hold.interval": "The picture holds: θ at {estimate}, the {called} at {lo} to {hi}.",
        "card.intro": "Title card: {title}.",
        "card.subtitle": " Under it: {subtitle}.",
        "card.items": "A list of {count}: {items}.",
        "summary.data": "{count} observations as dots on a number line from {lo} to {hi}.",
        "summary.compare": "The estimates appear one after the other: {estimates}.",
        "summary.estimate": "{label}: {value}",
        "clipping.clip": "At θ = {theta}, each observation's gradient, from {lo} to {hi}, is cut "
        "at ±c = ±{c}; the cut gradients lie on the Huber derivative with δ = c.",
        "clipping.vectors": "{count} points in the plane, each with its gradient arrow at "
        "θ = {start}; {cut} of them, longer than c = {c}, are scaled back onto a circle of "
        "radius c.",
        "clipping.descent": "θ moves from {start} to {end} in {steps}, its arrows clipped at "
        "every step.",
        "clipping.hold": "θ rests at {end}; a marker shows the mean of the points at {mean}.",
        "influence.estimates": "mean {mean}, median {median}, Huber {huber}, trimmed {trimmed}",
        "influence.move": "The outlier moves from {start} to {middle}; the estimates, marked on "
        "the line, go from {before} to {after}.",
        "influence.influence": "It moves on to {end}, beside each estimator's influence curve, "
        "its point marked on each: {estimates}.",
    },
    "de": {
        "and": "und",
        "range": "von {lo} bis {hi}",
        "title": "Der Titel: {title}.",
        "param": "{symbol} = {value}",
        "param.auto": "{symbol} = {value} (auto)",
        "param.auto.said": "{symbol} = {value} (auto: aus der Streuung der Daten)",
        "panels": "{count} leere Felder",
        "panels.one": "{count} leeres Feld",
        "steps": "{count} Schritten",
        "steps.one": "{count} Schritt",
        "loss.intro": "Der Titel, {title}, und oben rechts die Formel des Verlusts{params}. "
        "Darunter {panels} für {curves}.",
        "loss.intro.params": ", mit {params}",
        "loss.loss": "Die Verlustkurve erscheint über r von {lo} bis {hi}: Ihr tiefster Wert, "
        "{low}, liegt bei r = {low_at}; am linken Ende {left}, am rechten {right}.",
        "loss.density": "Darunter erscheint die Dichte: Ihr höchster Wert, {top}, liegt bei "
        "r = {top_at}; zu den Enden hin fällt sie auf {left} und {right}.",
        "loss.derivative": "Die Ableitung erscheint: {left} bei r = {lo}, {right} bei r = {hi}.",
        "loss.derivative.huber": " Gestrichelte Linien bei r = ±{symbol} = ±{band} markieren, "
        "wo sie nicht mehr wächst.",
        "loss.derivative.other": " Gestrichelte Linien bei r = ±{symbol} = ±{band} markieren, "
        "wo sich ihr Verlauf ändert.",
        "loss.data": "{count} Beobachtungen erscheinen als Punkte auf einem Zahlenstrahl von "
        "{lo} bis {hi}: {dots}.",
        "loss.estimate.start": "θ erscheint bei {start}; ein Pfeil je Beobachtung zeigt ihren "
        "Zug an θ.",
        "loss.data.band.huber": " Ein schattiertes Band, θ ± {symbol}, von {lo} bis {hi}, "
        "markiert die Beobachtungen, die voll zählen.",
        "loss.data.band.other": " Ein schattiertes Band, θ ± {symbol}, von {lo} bis {hi}, "
        "markiert die Beobachtungen, die überhaupt zählen.",
        "loss.estimate": " θ wandert in {steps} von {start} nach {end}.",
        "loss.estimate.greyed": " Die Pfeile der Beobachtungen bei {where} sind kürzer als ihr "
        "Abstand zu θ; der Rest bis zum Punkt ist grau, denn diesen Teil zählt der Verlust "
        "nicht.",
        "loss.marker.point": "{accusative} bei {value}",
        "loss.marker.interval": "{interval}, von {lo} bis {hi}",
        "loss.marker.within": "den Mittelwert innerhalb von {symbol} bei {value}",
        "loss.arrival": "θ ist bei {estimate} stehen geblieben. Markierungen unter dem "
        "Zahlenstrahl zeigen {markers}. Zwei Pfeile an θ summieren die Züge: links {left}, "
        "rechts {right}.",
        "loss.adapt": "Die Punkte rücken um ihren Median auseinander, auf das {factor}-Fache "
        "ihrer Breite; δ wächst von {before} auf {after}, das Band mit ihm, und θ folgt bis "
        "{estimate}.",
        "loss.restart": "θ startet erneut bei {start} und läuft bergab bis {estimate}; eine "
        "zweite Markierung, mit dem Startwert beschriftet, zeigt das Ergebnis.",
        "loss.hold.point": "Das Bild bleibt stehen: θ bei {estimate}, {nominative} bei {value}.",
        "loss.hold.interval": "Das Bild bleibt stehen: θ bei {estimate}, {interval} von {lo} "
        "bis {hi}.",
        "card.intro": "Titelkarte: {title}.",
        "card.subtitle": " Darunter: {subtitle}.",
        "card.items": "Eine Liste mit {count} Einträgen: {items}.",
        "card.items.one": "Eine Liste mit {count} Eintrag: {items}.",
        "summary.data": "{count} Beobachtungen als Punkte auf einem Zahlenstrahl von {lo} bis "
        "{hi}.",
        "summary.compare": "Die Schätzungen erscheinen nacheinander: {estimates}.",
        "summary.estimate": "{label}: {value}",
        "clipping.clip": "Bei θ = {theta} wird der Gradient jeder Beobachtung, von {lo} bis "
        "{hi}, bei ±c = ±{c} abgeschnitten; die abgeschnittenen Gradienten liegen auf der "
        "Ableitung des Huber-Verlusts mit δ = c.",
        "clipping.vectors": "{count} Punkte in der Ebene, jeder mit seinem Gradientenpfeil bei "
        "θ = {start}; {cut} davon, länger als c = {c}, werden auf einen Kreis mit Radius c "
        "gekürzt.",
        "clipping.descent": "θ wandert in {steps} von {start} nach {end}; bei jedem Schritt "
        "werden die Pfeile gekürzt.",
        "clipping.hold": "θ ruht bei {end}; eine Markierung zeigt den Mittelwert der Punkte bei "
        "{mean}.",
        "influence.estimates": "Mittelwert {mean}, Median {median}, Huber {huber}, getrimmt "
        "{trimmed}",
        "influence.move": "Der Ausreißer wandert von {start} nach {middle}; die auf dem "
        "Zahlenstrahl markierten Schätzungen gehen dabei von {before} zu {after}.",
        "influence.influence": "Er wandert weiter bis {end}; daneben die Einflusskurve jedes "
        "Schätzers, auf jeder sein Punkt markiert: {estimates}.",
    },
}
"""Language -> text id -> the template of one sentence (or part of one) of the described video."""

CURVE_WORDS: dict[str, dict[str, str]] = {
    "en": {"loss": "loss", "density": "density", "derivative": "derivative"},
    "de": {"loss": "Verlust", "density": "Dichte", "derivative": "Ableitung"},
}
"""Language -> the curves' names in the intro's list (``for the loss and density``)."""

LOSS_WORDS: dict[str, dict[str, dict[str, str]]] = {
    # language -> loss name -> {"title": the loss named on its own, the title a scene without
    # one is described with; "label": the loss beside its parameters on the summary card}
    "en": {
        name: {"title": f"The {entry.words} loss", "label": f"{entry.words} loss"}
        for name, entry in LOSS_TABLE.items()
    },
    "de": {
        name: {"title": title, "label": label}
        for name, title, label in (
            ("l2", "Der quadratische Verlust", "Quadratischer Verlust"),
            ("l1", "Der absolute Verlust", "Absoluter Verlust"),
            ("huber", "Der Huber-Verlust", "Huber-Verlust"),
            ("pseudo_huber", "Der Pseudo-Huber-Verlust", "Pseudo-Huber-Verlust"),
            ("log_cosh", "Der Log-Cosh-Verlust", "Log-Cosh-Verlust"),
            ("cauchy", "Der Cauchy-Verlust", "Cauchy-Verlust"),
            ("tukey", "Der Tukey-Verlust", "Tukey-Verlust"),
            ("trimmed", "Der getrimmte Verlust", "Getrimmter Verlust"),
            ("quantile", "Der Quantilverlust", "Quantilverlust"),
            ("epsilon_insensitive", "Der ε-insensitive Verlust", "ε-insensitiver Verlust"),
            ("expr", "Der Verlust nach eigener Formel", "Verlust nach eigener Formel"),
        )
    },
}
"""Language -> each built-in loss in words (:data:`scenes.compute.loss_table.LOSS_TABLE`)."""

TARGET_WORDS: dict[str, dict[str, dict[str, str]]] = {
    # language -> target -> the forms its templates put in: English one ("the {called}"),
    # German the nominative, the accusative and the interval of such values, with the article.
    "en": {name: {"called": target.called} for name, target in TARGETS.items()},
    "de": {
        name: {"nominative": nominative, "accusative": accusative, "interval": interval}
        for name, nominative, accusative, interval in (
            ("mean", "der Mittelwert", "den Mittelwert", "das Intervall der Mittelwerte"),
            ("median", "der Median", "den Median", "das Intervall der Mediane"),
            (
                "huber",
                "die Huber-Schätzung",
                "die Huber-Schätzung",
                "das Intervall der Huber-Schätzungen",
            ),
            ("quantile", "das Quantil", "das Quantil", "das Intervall der Quantile"),
            (
                "epsilon",
                "die Menge der Minimierer",
                "die Menge der Minimierer",
                "die Menge der Minimierer",
            ),
            (
                "numeric",
                "das bergab erreichte Minimum",
                "das bergab erreichte Minimum",
                "das Intervall der bergab erreichten Minima",
            ),
        )
    },
}
"""Language -> each target a descent settles on in words (:data:`TARGETS`)."""

for _lang in SENTENCES:
    # Every language has every table, each with every loss and target (as loss_table checks
    # its own names on import).
    if {i.removesuffix(".one") for i in SENTENCES[_lang]} != {
        i.removesuffix(".one") for i in SENTENCES[SOURCE_LANGUAGE]
    }:
        raise ImportError(f"the described video's sentences in {_lang!r} differ from English's")
    if (
        set(LOSS_WORDS.get(_lang, {})) != set(LOSS_TABLE)
        or set(TARGET_WORDS.get(_lang, {})) != set(TARGETS)
        or set(CURVE_WORDS.get(_lang, {})) != set(CURVE_WORDS[SOURCE_LANGUAGE])
    ):
        raise ImportError(f"the described video's words in {_lang!r} miss a loss or a target")


@dataclass(frozen=True)
class _Say:
    """Sentences and numbers in one language."""

    lang: str

    def __call__(self, text_id: str, count: Any = None, **values: Any) -> str:
        templates = SENTENCES[self.lang]
        if count == 1 and f"{text_id}.one" in templates:
            text_id = f"{text_id}.one"
        return templates[text_id].format(count=count, **values)

    def listing(self, values: list[str], numbers: bool = False) -> str:
        """``a``, ``a and b``, ``a, b and c``; a list of numbers in a language with a decimal
        comma separated by ``;`` (``1,5; 2 und 3``), as :func:`scenes.numbers.in_locale` does.
        """
        if len(values) <= 1:
            return "".join(values)
        between = "; " if numbers and self.lang in DECIMAL_COMMA else ", "
        return between.join(values[:-1]) + f" {self('and')} " + values[-1]

    def sentence(self, value: float) -> str:
        # + 0.0: a flat curve's -0.0 is said as 0, not "minus 0".
        return significant(float(value) + 0.0, SENTENCE_DIGITS, self.lang)

    def value(self, value: float) -> str:
        return significant(float(value), VALUE_DIGITS, self.lang)

    def fixed(self, value: float, decimals: int) -> str:
        return fixed(float(value), decimals, self.lang)

    def pair(self, x: float, y: float) -> str:
        return in_locale(pair(float(x), float(y)), self.lang)

    def target(self, name: str) -> dict[str, str]:
        """The words of target ``name`` (a name the table lacks: that name in every form)."""
        words = TARGET_WORDS[self.lang]
        forms = set().union(*words.values())
        return words.get(name) or dict.fromkeys(forms, name)

    def parameters(self, params: dict[str, Any], written: dict[str, Any], auto: str) -> list[str]:
        """``δ = 1.35`` per parameter (not a formula's ``expr``), an ``auto`` one marked as the
        template ``auto`` says.
        """
        return [
            self(
                auto if written.get(key) == "auto" else "param",
                symbol=PARAMETERS[key].text if key in PARAMETERS else key,
                value=self.value(value),
            )
            for key, value in params.items()
            if key != "expr"
        ]


def _one_stop(text: str) -> str:
    """A sentence ends once: a title or subtitle that ends in "?", "!" or "." before the
    template's own full stop keeps its own ("listen to?." -> "listen to?"); "..." stays.
    """
    return re.sub(r"(?<![.])([?!.])\.(?!\.)", r"\1", text)


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
                beat: _one_stop(with_minus_signs(" ".join(said[beat].split())))
                for beat in beat_ids
                if said.get(beat)
            }
    raise TypeError(f"no described video for {type(data).__name__}")


# --------------------------------------------------------------------------------------------------
# What each kind of scene shows


def _loss(say: _Say, data: SceneData) -> dict[str, str]:
    spec = data.spec
    entry = LOSS_TABLE[spec.loss.name]
    threshold = PARAMETERS[entry.threshold].text if entry.threshold is not None else None
    variant = "huber" if spec.loss.name == "huber" else "other"

    def fmt(value: float) -> str:
        # The key's and the balance's labels: as many digits as the number line resolves.
        return at_resolution(float(value), data.resolution, say.lang)

    said: dict[str, str] = {}
    title = spec.title or LOSS_WORDS[say.lang][spec.loss.name]["title"]
    params = say.parameters(data.loss_params, spec.loss.params(), "param.auto.said")
    shown = list(spec.curves.show)
    said["intro"] = say(
        "loss.intro",
        title=title,
        params=say("loss.intro.params", params=say.listing(params, numbers=True)) if params else "",
        panels=say("panels", count=len(shown)),
        curves=say.listing([CURVE_WORDS[say.lang][name] for name in shown]),
    )
    curves = data.curves
    x = np.asarray(curves.x)
    lo, hi = say.sentence(x[0]), say.sentence(x[-1])
    loss = np.asarray(curves.loss)
    low = int(np.argmin(loss))
    said["loss"] = say(
        "loss.loss",
        lo=lo,
        hi=hi,
        low=say.sentence(loss[low]),
        low_at=say.sentence(x[low]),
        left=say.sentence(loss[0]),
        right=say.sentence(loss[-1]),
    )
    density = np.asarray(curves.density)
    top = int(np.argmax(density))
    said["density"] = say(
        "loss.density",
        top=say.sentence(density[top]),
        top_at=say.sentence(x[top]),
        left=say.sentence(density[0]),
        right=say.sentence(density[-1]),
    )
    slope = np.asarray(curves.derivative)
    text = say(
        "loss.derivative", left=say.sentence(slope[0]), right=say.sentence(slope[-1]), lo=lo, hi=hi
    )
    if entry.clips and threshold is not None and data.band is not None:
        text += say(f"loss.derivative.{variant}", symbol=threshold, band=say.sentence(data.band))
    said["derivative"] = text

    y = np.sort(data.observations)
    line_lo, line_hi = data.line_extent()
    start = float(data.descent.trajectory[0])
    dots = (
        say.listing([fmt(v) for v in y], numbers=True)
        if len(y) <= LISTED
        else say("range", lo=fmt(y[0]), hi=fmt(y[-1]))
    )
    said["data"] = say("loss.data", count=len(y), lo=fmt(line_lo), hi=fmt(line_hi), dots=dots)

    # Theta, its pulls and the band appear with the estimate beat's words about them.
    text = say("loss.estimate.start", start=fmt(start))
    if data.band is not None and threshold is not None:
        text += say(
            f"loss.data.band.{variant}",
            symbol=threshold,
            lo=fmt(start - data.band),
            hi=fmt(start + data.band),
        )
    last = len(data.descent.trajectory) - 1
    estimate = float(data.descent.trajectory[last])
    greyed = _greyed(data.observations, data.descent.pulls[last], estimate)
    text += say(
        "loss.estimate",
        start=fmt(start),
        end=fmt(data.shown_trajectory[-1]),
        steps=say("steps", count=data.settled_at),
    )
    if len(greyed):
        where = say.listing([fmt(v) for v in np.sort(data.observations[greyed])], numbers=True)
        text += say("loss.estimate.greyed", where=where)
    said["estimate"] = text

    pulls = data.descent.pulls[last]
    markers = []
    for name, ref in data.references.items():
        if ref.lo != ref.hi:
            markers.append(
                say("loss.marker.interval", lo=fmt(ref.lo), hi=fmt(ref.hi), **say.target(name))
            )
        else:
            markers.append(say("loss.marker.point", value=fmt(ref.value), **say.target(name)))
    if data.trimmed_mean is not None and threshold is not None:
        markers.append(say("loss.marker.within", symbol=threshold, value=fmt(data.trimmed_mean)))
    said["arrival"] = say(
        "loss.arrival",
        estimate=fmt(estimate),
        markers=say.listing(markers, numbers=True),
        left=fmt(float(pulls[pulls < 0].sum())),
        right=fmt(float(pulls[pulls > 0].sum())),
    )
    if data.adaptation is not None:
        adapt = data.adaptation
        said["adapt"] = say(
            "loss.adapt",
            factor=say.sentence(adapt.factors[-1]),
            before=fmt(adapt.deltas[0]),
            after=fmt(adapt.deltas[-1]),
            estimate=fmt(adapt.estimates[-1]),
        )
    if data.restart is not None:
        again = data.restart
        said["restart"] = say(
            "loss.restart", start=fmt(again.start), estimate=fmt(again.descent.estimate)
        )
    target = data.target
    words = say.target(data.target_name)
    if target.lo == target.hi:
        said["hold"] = say(
            "loss.hold.point", estimate=fmt(data.estimate), value=fmt(target.value), **words
        )
    else:
        said["hold"] = say(
            "loss.hold.interval",
            estimate=fmt(data.estimate),
            lo=fmt(target.lo),
            hi=fmt(target.hi),
            **words,
        )
    return said


def _greyed(observations: np.ndarray, pulls: np.ndarray, theta: float) -> np.ndarray:
    """The observations whose arrow is shorter than their distance to theta: the drawing greys
    the rest (scenes.scene.loss_pulls; in data units, where the drawing compares screen units).
    """
    residual = np.asarray(observations, dtype=np.float64) - theta
    scale = max(float(np.ptp(np.append(observations, theta))), 1.0)
    return np.flatnonzero(np.abs(residual) > np.abs(pulls) + 1e-9 * scale)


def _card(say: _Say, data: CardData) -> dict[str, str]:
    spec = data.spec
    said = {"intro": say("card.intro", title=spec.title)}
    if spec.subtitle:
        said["intro"] += say("card.subtitle", subtitle=spec.subtitle)
    items = list(spec.items)
    if items:
        said["items"] = say("card.items", count=len(items), items="; ".join(items))
    return said


def _summary(say: _Say, data: SummaryData) -> dict[str, str]:
    spec = data.spec
    y = data.observations
    lo, hi = data.line_extent()
    said = {}
    if spec.title:
        said["intro"] = say("title", title=spec.title)
    said["data"] = say("summary.data", count=len(y), lo=say.sentence(lo), hi=say.sentence(hi))
    shown = []
    for e, loss in zip(data.estimates, spec.losses, strict=True):
        # The card's label (scenes.compute.cards.loss_label) in this language's words.
        words = LOSS_WORDS[say.lang][e.loss]["label"] if e.loss in LOSS_WORDS[say.lang] else e.loss
        params = say.parameters(resolve_params(loss, y), loss.params(), "param.auto")
        label = ", ".join([words, *params])
        shown.append(
            say(
                "summary.estimate", label=label, value=in_locale(value_words(e.reference), say.lang)
            )
        )
    said["compare"] = say("summary.compare", estimates="; ".join(shown))
    return said


def _clipping(say: _Say, data: ClippingData) -> dict[str, str]:
    spec = data.spec
    c = significant(spec.clip, locale=say.lang)
    one = data.one_d
    two = data.two_d
    norms = np.linalg.norm(two.raw[0], axis=1)
    cut = int(np.count_nonzero(norms > spec.clip))
    start, end, mean = two.trajectory[0], two.trajectory[-1], two.points.mean(axis=0)
    said = {
        "clip": say(
            "clipping.clip",
            theta=say.sentence(one.theta),
            lo=say.sentence(float(np.min(one.raw))),
            hi=say.sentence(float(np.max(one.raw))),
            c=c,
        ),
        "vectors": say(
            "clipping.vectors", count=len(two.points), start=say.pair(*start), cut=cut, c=c
        ),
        "descent": say(
            "clipping.descent",
            start=say.pair(*start),
            end=say.pair(*end),
            steps=say("steps", count=data.settled_at),
        ),
        "hold": say("clipping.hold", end=say.pair(*end), mean=say.pair(*mean)),
    }
    if spec.title:
        said["intro"] = say("title", title=spec.title)
    return said


def _influence(say: _Say, data: InfluenceData) -> dict[str, str]:
    f = data.frames
    half = (len(f.positions) - 1) // 2

    def at(k: int) -> str:
        return say(
            "influence.estimates",
            **{
                name: say.fixed(getattr(f, name)[k], ESTIMATE_DECIMALS)
                for name in ("mean", "median", "huber", "trimmed")
            },
        )

    def place(k: int) -> str:
        return say.fixed(f.positions[k], OUTLIER_DECIMALS)

    said = {
        "move": say(
            "influence.move", start=place(0), middle=place(half), before=at(0), after=at(half)
        ),
        "influence": say("influence.influence", end=place(-1), estimates=at(-1)),
    }
    if data.spec.title:
        said["intro"] = say("title", title=data.spec.title)
    return said


Describer = Callable[[Any], dict[str, str]]
_KINDS: dict[type, Callable[[_Say, Any], dict[str, str]]] = {
    SceneData: _loss,
    ClippingData: _clipping,
    InfluenceData: _influence,
    SummaryData: _summary,
    CardData: _card,
}
DESCRIBERS: dict[str, dict[type, Describer]] = {
    lang: {kind: functools.partial(describer, _Say(lang)) for kind, describer in _KINDS.items()}
    for lang in SENTENCES
}
"""Language code -> the describer of each kind of scene data, in that language."""
