"""The numbers of the lecture's cards: a title card has none; a summary has each loss's
minimiser on its data (the same references the loss scenes settle on, see ``scenes.compute.loss``).
"""

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from scenes import maths
from scenes.compute.loss_table import LOSS_TABLE, PARAMETERS, TARGETS
from scenes.compute.translation import GENERATED, language_of, source_scene, translate
from scenes.maths.axis import padded_extent
from scenes.maths.references import Reference
from scenes.numbers import (
    VALUE_DIGITS,
    in_locale,
    interval,
    significant,
    with_minus_signs,
)


@dataclass(frozen=True)
class CardData:
    spec: Any
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Estimate:
    """One loss's minimiser on the summary's data."""

    loss: str
    """The loss's name in specs (``l2``, ``huber``, ...)."""
    label: str
    """The loss in words, with its parameters: ``Huber loss, δ = 1``."""
    target: str
    """What its minimiser is called: ``mean``, ``median``, or ``""`` when it has no name."""
    reference: Reference
    global_minimum: Reference | None = None
    """The loss's lowest minimum on the data when ``reference`` (reached from the median) is only
    a local one (a loss that is not convex: trimmed, Cauchy, Tukey); None when it is the lowest."""


@dataclass(frozen=True)
class SummaryData:
    spec: Any
    observations: np.ndarray
    estimates: list[Estimate]
    warnings: list[str] = field(default_factory=list)

    def line_extent(self) -> tuple[float, float]:
        """The number line's stretch: the data and every estimate, padded as a loss scene's,
        and at least the spec's ``observations.line``.
        """
        ends = [v for e in self.estimates for v in (e.reference.lo, e.reference.hi)]
        values = np.append(self.observations, np.asarray(ends, dtype=np.float64))
        return padded_extent(values, self.spec.observations.line)


def _words(name: str) -> str:
    return LOSS_TABLE[name].words if name in LOSS_TABLE else name


def compute_card(spec: Any) -> CardData:
    return CardData(spec=spec)


def loss_label(
    name: str, params: dict[str, Any], given: dict[str, Any], lang: str | None = None
) -> str:
    """``Huber loss, δ = 1``, ``Huber loss, δ = 1.5 (auto)``: the loss in words and its
    parameters, in the language ``lang`` (the catalogue's ``screen/loss.<name>``).
    """
    words = [translate(f"screen/loss.{name}", f"{_words(name)} loss", lang)]
    for key, value in params.items():
        if key == "expr":
            continue
        auto = " " + translate("screen/auto", "(auto)", lang) if given.get(key) == "auto" else ""
        symbol = PARAMETERS[key].text if key in PARAMETERS else key
        number = with_minus_signs(significant(value, VALUE_DIGITS, lang))
        words.append(f"{symbol} = {number}{auto}")
    return " ".join(words[:1]) + (", " + ", ".join(words[1:]) if len(words) > 1 else "")


CLOSED_FORM = ("mean", "median", "huber", "quantile", "epsilon")
"""Targets that are the one minimum of a convex objective: nothing lower to look for."""


def lowest_minimum(
    target: str, loss_name: str, params: dict[str, Any], y: np.ndarray, found: Reference
) -> Reference | None:
    """The lowest of the minima reached from every observation (each minimum of a sum of losses
    of residuals lies within the data's range, and each basin there holds an observation or is
    bounded by two), or None when it is no lower than ``found``.
    """
    from scenes.compute.loss import reference_for

    loss = maths.make_loss(loss_name, params)

    def objective(theta: float) -> float:
        return float(np.mean([float(loss(float(r))) for r in y - theta]))

    best, best_value = found, objective(found.value)
    for start in np.unique(y):
        candidate = reference_for(target, loss_name, params, y, float(start))
        value = objective(candidate.value)
        # Lower by more than rounding: a different minimum, not the same one found again.
        if value < best_value - 1e-9 * max(1.0, abs(best_value)):
            best, best_value = candidate, value
    return None if best is found else best


def compute_summary(spec: Any) -> SummaryData:
    from scenes.compute.loss import reference_for, resolve_params

    y = np.asarray(spec.observations.resolve(), dtype=np.float64)
    # A loss with several minima is minimised from the median: the minimum the data's middle
    # lies in (the one the influence scene follows), not one picked by a far start.
    start = float(np.median(y))
    estimates = []
    for loss in spec.losses:
        params = resolve_params(loss, y)
        target = LOSS_TABLE[loss.name].target
        reference = reference_for(target, loss.name, params, y, start)
        lowest = None
        if target not in CLOSED_FORM:
            lowest = lowest_minimum(target, loss.name, params, y, reference)
        estimates.append(
            Estimate(
                loss=loss.name,
                label=loss_label(loss.name, params, loss.params(), language_of(spec)),
                target=TARGETS[target].on_card if target in TARGETS else "",
                reference=reference,
                global_minimum=lowest,
            )
        )
    return SummaryData(spec=spec, observations=y, estimates=estimates)


def value_words(reference: Reference, lang: str | None = None) -> str:
    """``0.3167``, or ``[0.1, 0.4]`` for a whole interval of minimisers, as ``lang`` writes
    them (``[0,1; 0,4]`` in German).
    """
    if reference.lo != reference.hi:
        return with_minus_signs(in_locale(interval(reference.lo, reference.hi), lang))
    return with_minus_signs(significant(reference.value, VALUE_DIGITS, lang))


def card_narration(data: CardData) -> dict[str, str]:
    return {}


def summary_narration(data: SummaryData) -> dict[str, str]:
    """The estimates, said one after the other, unless the spec says it otherwise; in another
    language from the catalogue's templates and words (``scenes.compute.translation``).
    """
    # Here, not at the top: scenes.compute.loss sets JAX up (about 1.2 s to import), and a
    # render worker that unpickles a SummaryData imports this module but needs no JAX.
    from scenes.compute.loss import resolve_params

    lang = language_of(data.spec)
    scene = source_scene(data.spec)

    def said_as(text_id: str, **values: str) -> str:
        template = GENERATED["summary"][text_id]
        return translate(f"{scene}/{text_id}", template, lang, **values)

    def word(text_id: str, source: str) -> str:
        return translate(f"words/{text_id}", source, lang)

    def said_number(value: float) -> str:
        # The digits the card's labels show (value_words), so caption, voice and label agree.
        return with_minus_signs(significant(value, VALUE_DIGITS, lang))

    said = []
    for e, loss in zip(data.estimates, data.spec.losses, strict=True):
        params = [
            said_as(
                "compare.parameter",
                parameter=word(f"parameter.{key}", PARAMETERS[key].spoken)
                if key in PARAMETERS
                else key,
                value=with_minus_signs(significant(value, VALUE_DIGITS, lang)),
            )
            for key, value in resolve_params(loss, data.observations).items()
            if key != "expr"
        ]
        loss_words = word(f"loss.{e.loss}", _words(e.loss)) if e.loss in LOSS_TABLE else e.loss
        if params:
            joined = params[0]
            for more in params[1:]:
                joined = said_as("compare.and", first=joined, second=more)
            who = said_as("compare.loss_with", loss=loss_words, parameters=joined)
        else:
            who = said_as("compare.loss", loss=loss_words)
        key = LOSS_TABLE[e.loss].target if e.loss in LOSS_TABLE else ""
        target = word(f"target.{key}", e.target) if e.target else e.target
        ref = e.reference
        if e.global_minimum is not None:
            where = target or said_as("compare.from_median")
            said.append(
                said_as(
                    "compare.local",
                    who=who,
                    lowest=said_number(e.global_minimum.value),
                    where=where,
                    value=said_number(ref.value),
                )
            )
            continue
        named = e.target in ("mean", "median")
        if e.target and not named:
            who = said_as("compare.named", who=who, target=target)
        if ref.lo != ref.hi:
            where = said_as("compare.anywhere", lo=said_number(ref.lo), hi=said_number(ref.hi))
            where = said_as("compare.any", target=target, where=where) if named else where
        else:
            value = said_number(ref.value)
            where = said_as("compare.the", target=target, value=value) if named else value
        said.append(said_as("compare.settles", who=who, where=where))
    return {"compare": " ".join(said)}


def card_json(data: CardData) -> dict[str, Any]:
    spec = data.spec
    return {
        "scene": spec.scene,
        "kind": "card",
        "title": spec.title,
        "subtitle": spec.subtitle,
        "items": list(spec.items),
    }


def summary_json(data: SummaryData) -> dict[str, Any]:
    return {
        "scene": data.spec.scene,
        "kind": "summary",
        "observations": data.observations.tolist(),
        "estimates": [
            {
                "loss": e.loss,
                "label": e.label,
                "target": e.target or None,
                "value": e.reference.value,
                "interval": [e.reference.lo, e.reference.hi],
            }
            for e in data.estimates
        ],
    }


__all__ = [
    "CardData",
    "Estimate",
    "SummaryData",
    "card_json",
    "card_narration",
    "compute_card",
    "compute_summary",
    "summary_json",
    "summary_narration",
]
