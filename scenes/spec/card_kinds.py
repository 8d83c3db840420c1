"""The cards that frame a lecture: ``kind: card`` opens it (its title, what it covers) and
``kind: summary`` closes it (the estimates of several losses on the same data, side by side).
"""

from typing import Annotated, ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator

from .beats import (
    CARD_BEATS,
    SUMMARY_BEATS,
    BeatFields,
    Beats,
    narration_fields,
    pause_fields,
    timing_fields,
)
from .card_fit import card_room_problem
from .models import (
    LossObservationsSpec,
    LossSpec,
    SceneAudio,
    SceneCaptions,
    SceneName,
    SceneVoice,
    SpecModel,
    Title,
    fail,
    no_null,
)
from .timeline import BeatPlan, fixed_beat_plans

__all__ = ["CardSceneSpec", "SummarySceneSpec"]

MAX_ITEMS = 8


@narration_fields(CARD_BEATS)
class CardNarration(BeatFields):
    """What is said in each beat of a title card; keys are beat ids."""


@timing_fields(CARD_BEATS)
class CardTiming(BeatFields):
    """Minimum seconds per beat, each > 0."""


@pause_fields(CARD_BEATS)
class CardPause(BeatFields):
    """Seconds of silence after each beat of a title card (the picture holding), by beat id."""


class CardSceneSpec(SpecModel):
    """A title card: ``kind: card``; the title, a subtitle and a short list."""

    beats: ClassVar[Beats] = CARD_BEATS

    scene: SceneName = Field(description="CamelCase name of the scene.", examples=["Opening"])
    title: Title = Field(description="The title, large.", examples=["Loss functions"])
    kind: Literal["card"] = Field(description="This scene kind.", examples=["card"])
    subtitle: Annotated[Title | None, no_null("a line of text")] = Field(
        default=None,
        description="A line under the title.",
        examples=["Squared, absolute and Huber's robust loss"],
    )
    items: Annotated[list[Title], Field(max_length=MAX_ITEMS)] = Field(
        default=[],
        description=f"Up to {MAX_ITEMS} short lines listed under it, one by one (the topics). "
        "The card draws its text smaller and wraps it to fit the frame; `check` refuses a card "
        "whose title, subtitle and items do not fit even at the smallest type size.",
        examples=[["Squared loss: the mean", "Absolute loss: the median"]],
    )
    narration: CardNarration = Field(
        default=CardNarration(), description="Captions.", examples=[{}]
    )
    timing: CardTiming = Field(default=CardTiming(), description="Durations.", examples=[{}])
    pause: CardPause = Field(
        default=CardPause(),
        description="Seconds of silence after a beat's speech, per beat.",
        examples=[{}],
    )
    voice: SceneVoice
    audio: SceneAudio
    captions: SceneCaptions

    # The card's text must fit on the frame at some size of the scale: each field is checked
    # with those before it, so the error points at the one that made the card too long (a title
    # alone always fits: 200 characters wrap to at most seven lines).
    @field_validator("subtitle")
    @classmethod
    def _subtitle_fits(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None or "title" not in info.data:
            return value
        return _fitting(info.data["title"], value, [], value)

    @field_validator("items")
    @classmethod
    def _items_fit(cls, value: list[str], info: ValidationInfo) -> list[str]:
        if "title" not in info.data:
            return value
        return _fitting(info.data["title"], info.data.get("subtitle"), value, value)

    def beat_plans(self) -> list[BeatPlan]:
        """intro, items, hold."""
        return fixed_beat_plans(self.beats.ids, self.timing, self.narration, self.pause)


def _fitting(title: str, subtitle: str | None, items: list[str], value):
    problem = card_room_problem(title, subtitle, items)
    if problem:
        raise fail(problem)
    return value


@narration_fields(SUMMARY_BEATS)
class SummaryNarration(BeatFields):
    """What is said in each beat of a summary; keys are beat ids."""


@timing_fields(SUMMARY_BEATS)
class SummaryTiming(BeatFields):
    """Minimum seconds per beat, each > 0."""


@pause_fields(SUMMARY_BEATS)
class SummaryPause(BeatFields):
    """Seconds of silence after each beat of a summary, the picture holding; keys are beat ids."""


class SummarySceneSpec(SpecModel):
    """A closing card: ``kind: summary``; each listed loss's minimiser on the same data, marked
    on one number line and listed with its value.
    """

    beats: ClassVar[Beats] = SUMMARY_BEATS

    scene: SceneName = Field(description="CamelCase name of the scene.", examples=["Summary"])
    title: Title | None = Field(
        default=None, description="Optional on-screen title.", examples=["Same data, three answers"]
    )
    kind: Literal["summary"] = Field(description="This scene kind.", examples=["summary"])
    observations: LossObservationsSpec = Field(
        description="The data: exactly one of `values` or `sample`; optionally the number "
        "line's range.",
        examples=[{"values": [-1.8, -0.6, -0.2, 0.1, 0.4, 0.9, 1.3, 6.0]}],
    )
    losses: Annotated[list[LossSpec], Field(min_length=1, max_length=MAX_ITEMS)] = Field(
        description=f"1 to {MAX_ITEMS} losses (as in a loss scene's `loss`), each compared by "
        "its minimiser; a loss whose minimum is not unique is minimised from the median.",
        examples=[[{"name": "l2"}, {"name": "l1"}, {"name": "huber", "delta": 1.0}]],
    )
    narration: SummaryNarration = Field(
        default=SummaryNarration(), description="Captions.", examples=[{}]
    )
    timing: SummaryTiming = Field(default=SummaryTiming(), description="Durations.", examples=[{}])
    pause: SummaryPause = Field(
        default=SummaryPause(),
        description="Seconds of silence after a beat's speech, per beat.",
        examples=[{}],
    )
    voice: SceneVoice
    audio: SceneAudio
    captions: SceneCaptions

    @field_validator("losses")
    @classmethod
    def _each_once(cls, value: list) -> list:
        seen: list = []
        for loss in value:
            if loss in seen:
                raise fail(f"{loss.name!r} with the same parameters is listed twice")
            seen.append(loss)
        return value

    def beat_plans(self) -> list[BeatPlan]:
        """intro, data, compare, hold."""
        return fixed_beat_plans(self.beats.ids, self.timing, self.narration, self.pause)
