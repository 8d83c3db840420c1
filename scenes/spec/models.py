"""Pydantic models of scene specs (spec-v1 sections 3 and 4): the one source of truth.

The models are strict: unknown keys are errors, a quoted number or a boolean is not a number
(an integer is), floats must be finite, and validated specs are frozen. Field names and defaults
are those of spec-v1; fields marked "extension" are additions the contract allows.

This module holds the loss scene (:class:`SceneSpec`) and its parts; the building blocks are in
:mod:`.fields`, the losses in :mod:`.losses`, the data in :mod:`.observations`, voice and
captions in :mod:`.voice`, lectures and courses in :mod:`.lectures`. Every name is also importable
from here, as before the split.

Messages: validators raise :class:`pydantic_core.PydanticCustomError` with the plain-words text
the user sees, without the field path; :mod:`scenes.spec.messages` adds the path and position.
"""

from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import ConfigDict, Field, StrictInt, field_validator, model_validator

from .beats import (
    EXTRA_BEAT_SECONDS,
    LOSS_BEATS,
    BeatFields,
    Beats,
    Seconds,
    narration_fields,
    pause_fields,
    timing_fields,
)
from .colors import DEFAULT_COLORS
from .fields import (
    CAMEL_CASE,
    MAX_CAPTION,
    MAX_EXPR,
    MAX_LECTURE_SCENES,
    MAX_LECTURE_SECONDS,
    MAX_MAGNITUDE,
    MAX_NAME,
    MAX_OBSERVATIONS,
    MAX_PATH,
    MAX_TITLE,
    MAX_VIDEO_SECONDS,
    MIN_POSITIVE,
    SHOWABLE_PATTERN,
    WHOLE,
    Caption,
    Color,
    Drawable,
    Number,
    PositiveNumber,
    Range,
    SceneName,
    Showable,
    SpecModel,
    Title,
    at,
    describe_value,
    expected,
    fail,
    no_null,
)
from .lectures import (
    MAX_COURSE_LECTURES,
    CourseSpec,
    LectureSpec,
    RenderSpec,
    scene_path_problem,
)
from .losses import (
    LOSS_MODELS,
    LOSS_NAMES,
    CauchyLoss,
    EpsilonInsensitiveLoss,
    ExprLoss,
    HuberLoss,
    L1Loss,
    L2Loss,
    LogCoshLoss,
    LossSpec,
    PseudoHuberLoss,
    QuantileLoss,
    TrimmedLoss,
    TukeyLoss,
)
from .observations import LossObservationsSpec, ObservationsSpec, SampleSpec
from .voice import (
    VOICE_ENGINES,
    AudioSpec,
    CaptionsSpec,
    SceneAudio,
    SceneCaptions,
    SceneVoice,
    VoiceSpec,
)

if TYPE_CHECKING:
    from .timeline import BeatPlan

__all__ = [
    "CAMEL_CASE",
    "LOSS_MODELS",
    "LOSS_NAMES",
    "MAX_CAPTION",
    "MAX_COURSE_LECTURES",
    "MAX_EXPR",
    "MAX_LECTURE_SCENES",
    "MAX_LECTURE_SECONDS",
    "MAX_MAGNITUDE",
    "MAX_NAME",
    "MAX_OBSERVATIONS",
    "MAX_PATH",
    "MAX_TITLE",
    "MAX_VIDEO_SECONDS",
    "MIN_POSITIVE",
    "SHOWABLE_PATTERN",
    "VOICE_ENGINES",
    "WHOLE",
    "AudioSpec",
    "Caption",
    "CaptionsSpec",
    "CauchyLoss",
    "Color",
    "ColorsSpec",
    "CourseSpec",
    "CurvesSpec",
    "Drawable",
    "EpsilonInsensitiveLoss",
    "EstimateSpec",
    "ExprLoss",
    "HuberLoss",
    "L1Loss",
    "L2Loss",
    "LectureSpec",
    "LogCoshLoss",
    "LossObservationsSpec",
    "LossSpec",
    "NarrationSpec",
    "Number",
    "ObservationsSpec",
    "PauseSpec",
    "PositiveNumber",
    "PseudoHuberLoss",
    "QuantileLoss",
    "Range",
    "RenderSpec",
    "SampleSpec",
    "SceneAudio",
    "SceneCaptions",
    "SceneName",
    "SceneSpec",
    "SceneVoice",
    "Seconds",
    "Showable",
    "TimingSpec",
    "Title",
    "TrimmedLoss",
    "TukeyLoss",
    "VoiceSpec",
    "SpecModel",
    "at",
    "describe_value",
    "expected",
    "fail",
    "no_null",
    "scene_path_problem",
]


# The names the scene kinds' modules import from here (scene_kinds, card_kinds, beats), from the
# time these building blocks were private to this module: use the public ones of .fields instead.


# --------------------------------------------------------------------------------------------------
# Curves


class ColorsSpec(SpecModel):
    """Curve colours; each is resolved to a lowercase ``#rrggbb`` string."""

    loss: Color = Field(
        default=DEFAULT_COLORS["loss"], description="Colour of the loss curve.", examples=["BLUE"]
    )
    density: Color = Field(
        default=DEFAULT_COLORS["density"],
        description="Colour of the density curve.",
        examples=["GREEN"],
    )
    derivative: Color = Field(
        default=DEFAULT_COLORS["derivative"],
        description="Colour of the derivative curve.",
        examples=["ORANGE", "#ff862f"],
    )


CurveName = Literal["loss", "density", "derivative"]


class CurvesSpec(SpecModel):
    """What is plotted against the residual ``r``."""

    x_range: Range = Field(
        default=(-5.0, 5.0),
        description="Residual axis and density normalisation interval [lo, hi]; finite, lo < hi.",
        examples=[[-5, 5]],
    )
    y_range: Annotated[Range | None, no_null("[lo, hi]")] = Field(
        default=None,
        description="Vertical axis [lo, hi]; chosen automatically when absent.",
        examples=[[-1.5, 3.5]],
    )
    show: Annotated[list[CurveName], Field(min_length=1)] = Field(
        default=["loss", "density", "derivative"],
        description="Curves to draw, in drawing order; each at most once.",
        examples=[["loss", "density", "derivative"], ["loss"]],
        json_schema_extra={"uniqueItems": True},
    )
    colors: ColorsSpec = Field(
        default=ColorsSpec(),
        description=(
            "Curve colours: Manim colour names (any case), palette roles (loss, density, ...) or "
            "'#rrggbb'; the palette's loss, density and derivative colours when left out."
        ),
        examples=[{"loss": "BLUE", "density": "GREEN", "derivative": "ORANGE"}],
    )

    @field_validator("show")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        for i, name in enumerate(value):
            if name in value[:i]:
                raise fail(f"{name!r} is listed twice; list each curve at most once")
        return value


# --------------------------------------------------------------------------------------------------
# Estimate, narration, timing


class EstimateSpec(SpecModel):
    """The gradient-descent animation of the estimate ``theta``."""

    start: Annotated[Number | None, no_null("a number")] = Field(
        default=None,
        description="theta_0; default: a point left of all observations.",
        examples=[-4.0],
    )
    steps: Annotated[StrictInt, Field(ge=1, le=10000), WHOLE] = Field(
        default=100, description="Descent iterations animated, 1 to 10000.", examples=[60]
    )
    target: Literal["auto", "mean", "median", "huber", "quantile", "epsilon", "numeric"] = Field(
        default="auto",
        description="Reference the estimate is meant to reach; auto: the loss's own minimiser. "
        "Extension: quantile (the tau-quantile), epsilon (the epsilon-insensitive minimisers), "
        "numeric (the local minimum reached downhill from the start).",
        examples=["auto"],
    )
    second_start: Annotated[Number | None, no_null("a number")] = Field(
        default=None,
        description="A second start: after the first descent has arrived, theta descends again "
        "from here (the beat `restart`), and both answers stay on screen. For a loss that is not "
        "convex (trimmed, Tukey, Cauchy) the start can decide which minimum theta reaches.",
        examples=[3.0],
    )


@narration_fields(LOSS_BEATS)
class NarrationSpec(BeatFields):
    """What is said (and captioned) in each beat of a loss scene; keys are beat ids."""


@timing_fields(LOSS_BEATS)
class TimingSpec(BeatFields):
    """Minimum seconds per beat, each > 0; a beat lasts longer when what is said needs it.

    A scene's total length is checked on its timeline (``scenes.spec.timeline``), for every kind.
    """


@pause_fields(LOSS_BEATS)
class PauseSpec(BeatFields):
    """Seconds of silence after each beat of a loss scene, the picture holding; keys are beat
    ids. By default about a second after each reveal (a curve, the data) and 1.5 s after the
    arrival.
    """


# --------------------------------------------------------------------------------------------------
# The loss scene


def _sets(section: str, key: str, value: dict[str, Any]) -> Any:
    """JSON Schema: ``section.key`` is given, as ``value`` says."""
    return {
        "required": [section],
        "properties": {section: {"type": "object", "required": [key], "properties": {key: value}}},
    }


_ADAPTS: Any = {
    "required": ["loss"],
    "properties": {
        "loss": {
            "type": "object",
            "required": ["name", "delta"],
            "properties": {"name": {"const": "huber"}, "delta": {"const": "auto"}},
        }
    },
}
_RESTARTS: Any = {
    "required": ["estimate"],
    "properties": {
        "estimate": {
            "type": "object",
            "required": ["second_start"],
            "properties": {"second_start": {}},
        }
    },
}


class SceneSpec(SpecModel):
    """One scene: a loss, its curves, the data and the descent (spec-v1 section 3)."""

    beats: ClassVar[Beats] = LOSS_BEATS

    # The checks of _beats_exist, for editors: narration or timing of a beat the scene has not.
    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                {"if": _sets(section, beat, value), "then": needs}
                for beat, needs in (("adapt", _ADAPTS), ("restart", _RESTARTS))
                for section, value in (
                    ("narration", {"type": "string"}),
                    ("timing", {"type": "number"}),
                    ("pause", {"type": "number"}),
                )
            ]
        }
    )

    scene: SceneName = Field(
        description="CamelCase identifier, unique in a lecture; names the Scene class and the "
        "output files.",
        examples=["HuberLoss"],
    )
    title: Title | None = Field(
        default=None, description="Optional on-screen title.", examples=["Huber's robust loss"]
    )
    kind: Literal["loss"] = Field(
        default="loss",
        description="Kind of scene: loss (the default), clipping, influence, card or summary.",
        examples=["loss"],
    )
    loss: LossSpec = Field(
        description=f"The loss: `name` (one of {', '.join(LOSS_NAMES)}) and its parameters.",
        examples=[{"name": "huber", "delta": 1.0}, {"name": "l2"}],
    )
    curves: CurvesSpec = Field(
        default=CurvesSpec(),
        description="Curves plotted against the residual.",
        examples=[{"x_range": [-5, 5], "show": ["loss", "density", "derivative"]}],
    )
    observations: LossObservationsSpec = Field(
        description="The data: exactly one of `values` or `sample`; optionally the number "
        "line's range.",
        examples=[{"values": [-1.8, -0.6, -0.2, 0.1, 0.4, 0.9, 1.3, 6.0]}],
    )
    estimate: EstimateSpec = Field(
        default=EstimateSpec(),
        description="The gradient-descent animation.",
        examples=[{"start": -4.0, "steps": 60, "target": "auto"}],
    )
    narration: NarrationSpec = Field(
        default=NarrationSpec(),
        description="Captions, one per beat.",
        examples=[{"loss": "The blue curve is one half of y minus y hat, squared."}],
    )
    timing: TimingSpec = Field(
        default=TimingSpec(),
        description="Durations in seconds.",
        examples=[{"curve": 2.0, "estimate": 6.0, "hold": 1.0}],
    )
    pause: PauseSpec = Field(
        default=PauseSpec(),
        description="Seconds of silence after a beat's speech, per beat.",
        examples=[{"loss": 1.0, "arrival": 1.5}],
    )
    voice: SceneVoice
    audio: SceneAudio
    captions: SceneCaptions

    @property
    def adapts(self) -> bool:
        """Whether the scene has the beat ``adapt``: Huber's delta adapting to wider data."""
        return self.loss.params().get("delta") == "auto" and self.loss.name == "huber"

    @property
    def restarts(self) -> bool:
        """Whether the scene has the beat ``restart``: a second descent from another start."""
        return self.estimate.second_start is not None

    def beat_plans(self) -> list["BeatPlan"]:
        """The beats of a loss scene: intro, one per curve shown, data, estimate, arrival,
        ``adapt`` (delta: auto), ``restart`` (estimate.second_start), hold.
        """
        from .timeline import BeatPlan

        timing, said, pause = self.timing, self.narration, self.pause

        def plan(name: str, seconds: float) -> BeatPlan:
            return BeatPlan(name, seconds, getattr(said, name), getattr(pause, name))

        curves = [plan(name, getattr(timing, name) or timing.curve) for name in self.curves.show]
        extra = [
            plan(name, getattr(timing, name) or EXTRA_BEAT_SECONDS)
            for name, present in (("adapt", self.adapts), ("restart", self.restarts))
            if present
        ]
        return [
            plan("intro", timing.intro),
            *curves,
            plan("data", timing.data),
            plan("estimate", timing.estimate),
            plan("arrival", timing.arrival),
            *extra,
            plan("hold", timing.hold),
        ]

    @model_validator(mode="after")
    def _beats_exist(self) -> "SceneSpec":
        # Narration or timing for a beat the scene does not have would be silently ignored.
        for name, present, needs in (
            ("adapt", self.adapts, "loss huber with delta: auto"),
            ("restart", self.restarts, "estimate.second_start"),
        ):
            if present:
                continue
            if getattr(self.narration, name) is not None:
                raise at(("narration", name), f"there is no beat {name!r} without {needs}")
            if getattr(self.timing, name) is not None:
                raise at(("timing", name), f"there is no beat {name!r} without {needs}")
            # (A zero pause changes nothing: a resolved spec lists every beat's.)
            if getattr(self.pause, name) > 0:
                raise at(("pause", name), f"there is no beat {name!r} without {needs}")
        return self
