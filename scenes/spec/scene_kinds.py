"""Scene kinds beyond the loss scene (spec section 4: a top-level ``kind:`` field).

``kind: clipping``: gradient clipping is Huber (1-D: clipped gradients are Huber's derivative;
2-D: per-example norm clipping and the descent that follows). ``kind: influence``: one outlier
moves away while mean, median, Huber and trimmed estimates are recomputed. A scene without
``kind`` is the loss scene (:class:`scenes.spec.models.SceneSpec`).
"""

from typing import Annotated, Literal

from pydantic import Field, StrictInt

from .card_kinds import CardSceneSpec, SummarySceneSpec
from .models import (
    WHOLE,
    Caption,
    Number,
    ObservationsSpec,
    PositiveNumber,
    SceneCaptions,
    SceneName,
    SceneSpec,
    SceneVoice,
    Seconds,
    Title,
    _caption,
    _minimum,
    _Model,
)
from .timeline import BeatPlan, fixed_beat_plans

__all__ = ["SCENE_KINDS", "ClippingSceneSpec", "InfluenceSceneSpec", "AnySceneSpec"]

Point = tuple[Number, Number]

DEFAULT_VALUES = [-1.8, -0.6, -0.2, 0.1, 0.4, 0.9, 1.3, 6.0]
BEATS_CLIPPING = ("intro", "clip", "vectors", "descent", "hold")
BEATS_INFLUENCE = ("intro", "move", "influence", "hold")


class ClippingNarration(_Model):
    """What is said in each beat of the clipping scene; keys are beat ids."""

    intro: Caption = _caption("while the title appears", "Gradient clipping, seen as a loss.")
    clip: Caption = _caption(
        "during the 1-D comparison",
        "Clipping each gradient at plus or minus c gives exactly the Huber derivative.",
    )
    vectors: Caption = _caption(
        "during the 2-D norm clipping",
        "In 2-D, each example's gradient is scaled back onto a circle of radius c.",
    )
    descent: Caption = _caption(
        "during the 2-D descent", "Descent with clipped gradients settles where they balance."
    )
    hold: Caption = _caption("at the end; default: the result, as computed", "It stopped.")


class ClippingTiming(_Model):
    """Minimum seconds per beat, each > 0."""

    intro: Seconds = _minimum("for the title", 1.0)
    clip: Seconds = _minimum("for the 1-D comparison", 3.0)
    vectors: Seconds = _minimum("for the 2-D clipping", 3.0)
    descent: Seconds = _minimum("for the 2-D descent", 5.0)
    hold: Seconds = _minimum("held at the end", 1.5)


class ClippingSceneSpec(_Model):
    """Gradient clipping is Huber: ``kind: clipping``."""

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
    voice: SceneVoice
    captions: SceneCaptions

    def beat_plans(self) -> list[BeatPlan]:
        """intro, clip (1-D), vectors (2-D), descent, hold."""
        return fixed_beat_plans(BEATS_CLIPPING, self.timing, self.narration)


class InfluenceNarration(_Model):
    """What is said in each beat of the influence scene; keys are beat ids."""

    intro: Caption = _caption("while the title appears", "Bounded influence.")
    move: Caption = _caption(
        "while the outlier starts moving away",
        "The mean follows the outlier; median and Huber barely move.",
    )
    influence: Caption = _caption(
        "while it moves on, beside the influence curves",
        "Read as influence, the derivative shows who is bounded.",
    )
    hold: Caption = _caption("at the end; default: the result, as computed", "It stopped.")


class InfluenceTiming(_Model):
    """Minimum seconds per beat, each > 0."""

    intro: Seconds = _minimum("for the title", 1.0)
    move: Seconds = _minimum("for the first half of the outlier's journey", 3.0)
    influence: Seconds = _minimum("for the second half, beside the influence curves", 3.0)
    hold: Seconds = _minimum("held at the end", 2.0)


class InfluenceSceneSpec(_Model):
    """Bounded influence: ``kind: influence``; one observation moves from ``path[0]`` to
    ``path[1]``.
    """

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
    voice: SceneVoice
    captions: SceneCaptions

    def beat_plans(self) -> list[BeatPlan]:
        """intro, move, influence, hold."""
        return fixed_beat_plans(BEATS_INFLUENCE, self.timing, self.narration)


SCENE_KINDS: dict[str, type[_Model]] = {
    "loss": SceneSpec,
    "clipping": ClippingSceneSpec,
    "influence": InfluenceSceneSpec,
    "card": CardSceneSpec,
    "summary": SummarySceneSpec,
}
"""The model validating each ``kind`` value; no ``kind`` means ``loss``."""

AnySceneSpec = SceneSpec | ClippingSceneSpec | InfluenceSceneSpec | CardSceneSpec | SummarySceneSpec
