"""Scene kinds beyond the loss scene (spec section 4: a top-level ``kind:`` field).

``kind: clipping``: gradient clipping is Huber (1-D: clipped gradients are Huber's derivative;
2-D: per-example norm clipping and the descent that follows). ``kind: influence``: one outlier
moves away while mean, median, Huber and trimmed estimates are recomputed. A scene without
``kind`` is the loss scene (:class:`scenes.spec.models.SceneSpec`).
"""

from typing import Annotated, ClassVar, Literal

from pydantic import Field, StrictInt

from .beats import (
    CLIPPING_BEATS,
    INFLUENCE_BEATS,
    BeatFields,
    Beats,
    narration_fields,
    pause_fields,
    timing_fields,
)
from .card_kinds import CardSceneSpec, SummarySceneSpec
from .models import (
    WHOLE,
    Number,
    ObservationsSpec,
    PositiveNumber,
    SceneAudio,
    SceneCaptions,
    SceneName,
    SceneSpec,
    SceneVoice,
    SpecModel,
    Title,
)
from .timeline import BeatPlan, fixed_beat_plans

__all__ = ["SCENE_KINDS", "ClippingSceneSpec", "InfluenceSceneSpec", "AnySceneSpec"]

Point = tuple[Number, Number]

DEFAULT_VALUES = [-1.8, -0.6, -0.2, 0.1, 0.4, 0.9, 1.3, 6.0]


@narration_fields(CLIPPING_BEATS)
class ClippingNarration(BeatFields):
    """What is said in each beat of the clipping scene; keys are beat ids."""


@timing_fields(CLIPPING_BEATS)
class ClippingTiming(BeatFields):
    """Minimum seconds per beat, each > 0."""


@pause_fields(CLIPPING_BEATS)
class ClippingPause(BeatFields):
    """Seconds of silence after each beat (the picture holding), by beat id."""


class ClippingSceneSpec(SpecModel):
    """Gradient clipping is Huber: ``kind: clipping``."""

    beats: ClassVar[Beats] = CLIPPING_BEATS

    scene: SceneName = Field(description="CamelCase name of the scene.", examples=["Clipping"])
    title: Title | None = Field(
        default=None,
        description="Optional on-screen title.",
        examples=["Gradient clipping is Huber"],
    )
    kind: Literal["clipping"] = Field(description="This scene kind.", examples=["clipping"])
    clip: PositiveNumber = Field(
        default=1.0, description="The clipping threshold c (Huber's delta).", examples=[1.0]
    )
    observations: ObservationsSpec = Field(
        default=ObservationsSpec(values=DEFAULT_VALUES),
        description="1-D data whose per-observation gradients are clipped.",
        examples=[{"values": DEFAULT_VALUES}],
    )
    theta: Number | None = Field(
        default=None,
        description="Estimate at which the 1-D gradients are shown; default median.",
        examples=[0.25],
    )
    points: Annotated[list[Point], Field(min_length=1, max_length=200)] = Field(
        default=[
            (-1.0, -0.5),
            (-0.4, 0.6),
            (0.2, -0.3),
            (0.5, 0.9),
            (0.9, 0.1),
            (-0.2, -1.0),
            (1.2, -0.6),
            (5.5, 4.0),
        ],
        description="2-D examples [x, y]; each pulls the 2-D estimate by its gradient.",
        examples=[[[-1.0, -0.5], [0.5, 0.9], [5.5, 4.0]]],
    )
    start: Point = Field(
        default=(-3.5, 2.5), description="Start of the 2-D descent [x, y].", examples=[[-3.5, 2.5]]
    )
    steps: Annotated[StrictInt, Field(ge=1, le=2000), WHOLE] = Field(
        default=60, description="Steps of the 2-D descent.", examples=[60]
    )
    narration: ClippingNarration = Field(
        default=ClippingNarration(), description="Captions.", examples=[{}]
    )
    timing: ClippingTiming = Field(
        default=ClippingTiming(), description="Durations.", examples=[{}]
    )
    pause: ClippingPause = Field(
        default=ClippingPause(),
        description="Seconds of silence after a beat's speech, per beat.",
        examples=[{}],
    )
    voice: SceneVoice
    audio: SceneAudio
    captions: SceneCaptions

    def beat_plans(self) -> list[BeatPlan]:
        """intro, clip (1-D), vectors (2-D), descent, hold."""
        return fixed_beat_plans(self.beats.ids, self.timing, self.narration, self.pause)


@narration_fields(INFLUENCE_BEATS)
class InfluenceNarration(BeatFields):
    """What is said in each beat of the influence scene; keys are beat ids."""


@timing_fields(INFLUENCE_BEATS)
class InfluenceTiming(BeatFields):
    """Minimum seconds per beat, each > 0."""


@pause_fields(INFLUENCE_BEATS)
class InfluencePause(BeatFields):
    """Seconds of silence after each beat (the picture holding), by beat id."""


class InfluenceSceneSpec(SpecModel):
    """Bounded influence: ``kind: influence``; one observation moves from ``path[0]`` to
    ``path[1]``.
    """

    beats: ClassVar[Beats] = INFLUENCE_BEATS

    scene: SceneName = Field(description="CamelCase name of the scene.", examples=["Influence"])
    title: Title | None = Field(
        default=None,
        description="Optional on-screen title.",
        examples=["Gradient clipping is Huber"],
    )
    kind: Literal["influence"] = Field(description="This scene kind.", examples=["influence"])
    observations: ObservationsSpec = Field(
        default=ObservationsSpec(values=DEFAULT_VALUES[:-1]),
        description="The fixed observations; the moving one is added to them.",
        examples=[{"values": DEFAULT_VALUES[:-1]}],
    )
    path: Annotated[tuple[Number, Number], Field()] = Field(
        default=(1.5, 30.0),
        description="Where the moving observation starts and ends.",
        examples=[[1.5, 30.0]],
    )
    frames: Annotated[StrictInt, Field(ge=2, le=2000), WHOLE] = Field(
        default=120,
        description="Positions of the moving observation computed (and shown).",
        examples=[120],
    )
    delta: PositiveNumber = Field(default=1.0, description="Huber's delta.", examples=[1.0])
    c: PositiveNumber = Field(
        default=2.0, description="Threshold of the trimmed loss.", examples=[2.0]
    )
    narration: InfluenceNarration = Field(
        default=InfluenceNarration(), description="Captions.", examples=[{}]
    )
    timing: InfluenceTiming = Field(
        default=InfluenceTiming(), description="Durations.", examples=[{}]
    )
    pause: InfluencePause = Field(
        default=InfluencePause(),
        description="Seconds of silence after a beat's speech, per beat.",
        examples=[{}],
    )
    voice: SceneVoice
    audio: SceneAudio
    captions: SceneCaptions

    def beat_plans(self) -> list[BeatPlan]:
        """intro, move, influence, hold."""
        return fixed_beat_plans(self.beats.ids, self.timing, self.narration, self.pause)


SCENE_KINDS: dict[str, type[SpecModel]] = {
    "loss": SceneSpec,
    "clipping": ClippingSceneSpec,
    "influence": InfluenceSceneSpec,
    "card": CardSceneSpec,
    "summary": SummarySceneSpec,
}
"""The model validating each ``kind`` value; no ``kind`` means ``loss``."""

AnySceneSpec = SceneSpec | ClippingSceneSpec | InfluenceSceneSpec | CardSceneSpec | SummarySceneSpec
