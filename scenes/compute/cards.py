"""The numbers of the lecture's cards: a title card has none; a summary has each loss's
minimiser on its data (the same references the loss scenes settle on, see ``scenes.compute.loss``).
"""

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from scenes.compute.loss import reference_for, resolve_params
from scenes.compute.loss_table import LOSS_TABLE, PARAMETERS, TARGETS
from scenes.maths.axis import padded_extent
from scenes.maths.references import Reference
from scenes.numbers import SENTENCE_DIGITS, VALUE_DIGITS, interval, significant


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


def loss_label(name: str, params: dict[str, Any], given: dict[str, Any]) -> str:
    """``Huber loss, δ = 1``, ``Huber loss, δ = 1.5 (auto)``: the loss in words and its
    parameters.
    """
    words = [_words(name) + " loss"]
    for key, value in params.items():
        if key == "expr":
            continue
        auto = " (auto)" if given.get(key) == "auto" else ""
        symbol = PARAMETERS[key].text if key in PARAMETERS else key
        words.append(f"{symbol} = {significant(value, SENTENCE_DIGITS)}{auto}")
    return " ".join(words[:1]) + (", " + ", ".join(words[1:]) if len(words) > 1 else "")


def compute_summary(spec: Any) -> SummaryData:
    y = np.asarray(spec.observations.resolve(), dtype=np.float64)
    # A loss with several minima is minimised from the median: the minimum the data's middle
    # lies in (the one the influence scene follows), not one picked by a far start.
    start = float(np.median(y))
    estimates = []
    for loss in spec.losses:
        params = resolve_params(loss, y)
        target = LOSS_TABLE[loss.name].target
        reference = reference_for(target, loss.name, params, y, start)
        estimates.append(
            Estimate(
                loss=loss.name,
                label=loss_label(loss.name, params, loss.params()),
                target=TARGETS[target].on_card if target in TARGETS else "",
                reference=reference,
            )
        )
    return SummaryData(spec=spec, observations=y, estimates=estimates)


def value_words(reference: Reference) -> str:
    """``0.3167``, or ``[0.1, 0.4]`` for a whole interval of minimisers."""
    if reference.lo != reference.hi:
        return interval(reference.lo, reference.hi)
    return significant(reference.value, VALUE_DIGITS)


def card_narration(data: CardData) -> dict[str, str]:
    return {}


def summary_narration(data: SummaryData) -> dict[str, str]:
    """The estimates, said one after the other, unless the spec says it otherwise."""

    def said_number(value: float) -> str:
        return significant(value, SENTENCE_DIGITS)

    said = []
    for e, loss in zip(data.estimates, data.spec.losses, strict=True):
        params = [
            f"{PARAMETERS[key].spoken if key in PARAMETERS else key} equal to {said_number(value)}"
            for key, value in resolve_params(loss, data.observations).items()
            if key != "expr"
        ]
        who = f"The {_words(e.loss)} loss" + (f" with {' and '.join(params)}" if params else "")
        if e.target and e.target not in ("mean", "median"):
            who += f", {e.target},"
        ref = e.reference
        if ref.lo != ref.hi:
            where = f"anywhere from {said_number(ref.lo)} to {said_number(ref.hi)}"
            where = f"any {e.target}, {where}" if e.target in ("mean", "median") else where
        else:
            named = e.target in ("mean", "median")
            value = said_number(ref.value)
            where = f"the {e.target}, {value}" if named else value
        said.append(f"{who} settles on {where}.")
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
