"""Scene kinds beyond the loss scene (spec section 4: a top-level ``kind:`` field).

``kind: clipping``: gradient clipping is Huber (1-D: clipped gradients are Huber's derivative;
2-D: per-example norm clipping and the descent that follows). ``kind: influence``: one outlier
moves away while mean, median, Huber and trimmed estimates are recomputed. A scene without
``kind`` is the loss scene (:class:`scenes.spec.models.SceneSpec`).
"""

from typing import Annotated, Literal

from pydantic import Field, StrictInt, StrictStr, model_validator

from .models import (
    MAX_VIDEO_SECONDS,
    Number,
    ObservationsSpec,
    PositiveNumber,
    SceneName,
    SceneSpec,
    _fail,
    _Model,
)

__all__ = ["SCENE_KINDS", "ClippingSceneSpec", "InfluenceSceneSpec", "AnySceneSpec"]

Caption = Annotated[StrictStr, Field(max_length=500)] | None
Seconds = Annotated[Number, Field(gt=0, le=MAX_VIDEO_SECONDS)]
Point = tuple[Number, Number]

DEFAULT_VALUES = [-1.8, -0.6, -0.2, 0.1, 0.4, 0.9, 1.3, 6.0]


class ClippingNarration(_Model):
    """One caption per beat of the clipping scene."""

    clip: Caption = Field(default=None, description="Caption of the 1-D comparison.")
    vectors: Caption = Field(default=None, description="Caption of the 2-D norm clipping.")
    descent: Caption = Field(default=None, description="Caption of the 2-D descent.")


class ClippingTiming(_Model):
    """Durations in seconds, each > 0."""

    intro: Seconds = Field(default=1.0, description="Title beat.")
    clip: Seconds = Field(default=3.0, description="The 1-D comparison.")
    vectors: Seconds = Field(default=3.0, description="The 2-D clipping.")
    descent: Seconds = Field(default=5.0, description="The 2-D descent.")
    hold: Seconds = Field(default=1.5, description="Held at the end.")

    @model_validator(mode="after")
    def _total(self) -> "ClippingTiming":
        total = self.intro + self.clip + self.vectors + self.descent + self.hold
        if total > MAX_VIDEO_SECONDS:
            raise _fail(f"the timings add up to {total:g} s; at most {MAX_VIDEO_SECONDS:g} s")
        return self


class ClippingSceneSpec(_Model):
    """Gradient clipping is Huber: ``kind: clipping``."""

    scene: SceneName = Field(description="CamelCase name of the scene.", examples=["Clipping"])
    title: Annotated[StrictStr, Field(max_length=200)] | None = Field(
        default=None, description="Optional on-screen title."
    )
    kind: Literal["clipping"] = Field(description="This scene kind.", examples=["clipping"])
    clip: PositiveNumber = Field(
        default=1.0, description="The clipping threshold c (Huber's delta).", examples=[1.0]
    )
    observations: ObservationsSpec = Field(
        default=ObservationsSpec(values=DEFAULT_VALUES),
        description="1-D data whose per-observation gradients are clipped.",
    )
    theta: Number | None = Field(
        default=None, description="Estimate at which the 1-D gradients are shown; default median."
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
    )
    start: Point = Field(default=(-3.5, 2.5), description="Start of the 2-D descent [x, y].")
    steps: Annotated[StrictInt, Field(ge=1, le=2000)] = Field(
        default=60, description="Steps of the 2-D descent."
    )
    narration: ClippingNarration = Field(default=ClippingNarration(), description="Captions.")
    timing: ClippingTiming = Field(default=ClippingTiming(), description="Durations.")


class InfluenceNarration(_Model):
    """Captions of the influence scene."""

    move: Caption = Field(default=None, description="While the outlier moves away.")
    influence: Caption = Field(default=None, description="With the influence curves.")


class InfluenceTiming(_Model):
    """Durations in seconds, each > 0."""

    intro: Seconds = Field(default=1.0, description="Title beat.")
    move: Seconds = Field(default=6.0, description="The outlier's journey.")
    hold: Seconds = Field(default=2.0, description="Held at the end.")


class InfluenceSceneSpec(_Model):
    """Bounded influence: ``kind: influence``; one observation moves from ``path[0]`` to
    ``path[1]``.
    """

    scene: SceneName = Field(description="CamelCase name of the scene.", examples=["Influence"])
    title: Annotated[StrictStr, Field(max_length=200)] | None = Field(
        default=None, description="Optional on-screen title."
    )
    kind: Literal["influence"] = Field(description="This scene kind.", examples=["influence"])
    observations: ObservationsSpec = Field(
        default=ObservationsSpec(values=DEFAULT_VALUES[:-1]),
        description="The fixed observations; the moving one is added to them.",
    )
    path: Annotated[tuple[Number, Number], Field()] = Field(
        default=(1.5, 30.0), description="Where the moving observation starts and ends."
    )
    frames: Annotated[StrictInt, Field(ge=2, le=2000)] = Field(
        default=120, description="Positions of the moving observation computed (and shown)."
    )
    delta: PositiveNumber = Field(default=1.0, description="Huber's delta.")
    c: PositiveNumber = Field(default=2.0, description="Threshold of the trimmed loss.")
    narration: InfluenceNarration = Field(default=InfluenceNarration(), description="Captions.")
    timing: InfluenceTiming = Field(default=InfluenceTiming(), description="Durations.")


SCENE_KINDS: dict[str, type[_Model]] = {
    "loss": SceneSpec,
    "clipping": ClippingSceneSpec,
    "influence": InfluenceSceneSpec,
}
"""The model validating each ``kind`` value; no ``kind`` means ``loss``."""

AnySceneSpec = SceneSpec | ClippingSceneSpec | InfluenceSceneSpec
