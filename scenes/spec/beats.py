"""Every scene kind's beats, declared once: id, minimum seconds, what is said when, who draws it.

Everything else about a beat is derived from its kind's :class:`Beats`: the ``narration``,
``timing`` and ``pause`` models with one field per beat (:func:`narration_fields`,
:func:`timing_fields`, :func:`pause_fields`, the pauses' defaults declared here too; their
JSON Schema, ``check`` messages, defaults and the spec reference come from those), the beat plans
of a scene, and the builder method that draws the beat (``tests/scene/test_beats.py`` checks
every builder against its kind's declaration).

A new beat is one :class:`BeatDeclaration` here and one ``beat_<id>`` method in its builder.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, cast

from pydantic import BaseModel, Field, create_model

from .fields import MAX_VIDEO_SECONDS, Caption, Number, SpecModel

__all__ = [
    "CARD_BEATS",
    "CLIPPING_BEATS",
    "EXTRA_BEAT_SECONDS",
    "INFLUENCE_BEATS",
    "LOSS_BEATS",
    "SUMMARY_BEATS",
    "ARRIVAL_PAUSE",
    "MAX_PAUSE",
    "REVEAL_PAUSE",
    "BeatDeclaration",
    "BeatFields",
    "Beats",
    "Seconds",
    "SharedMinimum",
    "narration_fields",
    "pause_fields",
    "timing_fields",
]

Seconds = Annotated[Number, Field(gt=0, le=MAX_VIDEO_SECONDS)]

REVEAL_PAUSE = 1.0
"""Seconds of silence after a reveal (a curve drawn, the data shown): time to look at what
appeared before the voice goes on (spec-v3 section 14)."""
ARRIVAL_PAUSE = 1.5
"""Seconds of silence after the arrival: where theta stopped, and why, is the point of a scene."""
MAX_PAUSE = 10.0
"""Longest ``pause`` of one beat: a longer silence is a beat of its own (``timing``)."""


@dataclass(frozen=True)
class BeatDeclaration:
    """One beat of a scene kind, and what its ``narration`` and ``timing`` fields say."""

    id: str
    minimum: float | None
    """Default of ``timing.<id>`` in seconds; None: the scene's spec supplies it (a
    :class:`SharedMinimum`, or a beat only some scenes have)."""
    timed: str
    """What the minimum covers, ending "At least this many seconds ..." (the schema's words)."""
    said: str
    """When the narration is said, ending "Said and captioned ..." (the schema's words)."""
    example: str
    """A caption for the schema's examples. There is no default caption: a beat is silent, or
    says what ``compute`` found, unless the spec gives it words."""
    drawn_by: str | None = None
    """Its builder method is ``beat_<drawn_by>``; default ``beat_<id>``. Beats that differ only in
    what they draw share one (the loss scene's curves)."""
    pause: float = 0.0
    """Default of ``pause.<id>``: seconds of silence at the beat's end, after both its speech and
    its ``timing`` minimum (the reveal's animation), while the picture holds."""

    @property
    def method(self) -> str:
        return f"beat_{self.drawn_by or self.id}"


@dataclass(frozen=True)
class SharedMinimum:
    """A ``timing`` field that is no beat: the minimum of the beats that leave their own out
    (the loss scene's ``curve``).
    """

    name: str
    minimum: float
    timed: str


@dataclass(frozen=True)
class Beats:
    """A scene kind's beats, in the order of its ``narration`` fields, with its shared minimums
    among them in the order of its ``timing`` fields.

    It is the order the beats play, but for the loss scene's curves: they are drawn in the order
    ``curves.show`` lists them (``SceneSpec.beat_plans``).
    """

    entries: tuple[BeatDeclaration | SharedMinimum, ...]

    def __post_init__(self) -> None:
        names = [entry.id if isinstance(entry, BeatDeclaration) else entry.name for entry in self]
        assert len(set(names)) == len(names), f"a beat or timing name is declared twice: {names}"

    def __iter__(self) -> Iterator[BeatDeclaration | SharedMinimum]:
        return iter(self.entries)

    @property
    def declared(self) -> tuple[BeatDeclaration, ...]:
        return tuple(entry for entry in self.entries if isinstance(entry, BeatDeclaration))

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(beat.id for beat in self.declared)

    def method(self, beat_id: str) -> str:
        """The name of the builder method that draws the beat ``beat_id``."""
        for beat in self.declared:
            if beat.id == beat_id:
                return beat.method
        raise KeyError(f"no beat {beat_id!r} is declared (beats: {', '.join(self.ids)})")


# --------------------------------------------------------------------------------------------------
# The models derived from a declaration


def _caption(what: str, example: str) -> Any:
    return Field(default=None, description=f"Said and captioned {what}.", examples=[example])


def _minimum(what: str, default: float | None) -> Any:
    return Field(
        default=default,
        description=f"At least this many seconds {what}; a beat lasts longer when its speech or "
        "captions need it.",
        examples=[default if default is not None else 2.0],
    )


class BeatFields(SpecModel):
    """A scene kind's ``narration`` or ``timing``: one field per beat of its declaration."""

    if TYPE_CHECKING:
        # The fields are made at run time from the declaration; a type checker sees them here.
        def __getattr__(self, name: str) -> Any: ...


_M = TypeVar("_M", bound=BeatFields)


def _with_fields(fields: dict[str, Any]) -> Callable[[type[_M]], type[_M]]:
    def derive(cls: type[_M]) -> type[_M]:
        # The class statement names the model and gives its docstring (the schema's title and
        # description); its fields all come from the beats.
        assert not cls.model_fields, f"{cls.__name__}: the fields come from its beats"
        model: type[BaseModel] = create_model(
            cls.__name__,
            __base__=cls.__bases__,
            __doc__=cls.__doc__,
            __module__=cls.__module__,
            __qualname__=cls.__qualname__,
            **fields,
        )
        return cast(type[_M], model)

    return derive


def narration_fields(beats: Beats) -> Callable[[type[_M]], type[_M]]:
    """Class decorator: the model gets one caption per declared beat, absent by default."""
    return _with_fields(
        {beat.id: (Caption, _caption(beat.said, beat.example)) for beat in beats.declared}
    )


def timing_fields(beats: Beats) -> Callable[[type[_M]], type[_M]]:
    """Class decorator: the model gets the minimum seconds of each declared beat and shared
    minimum, in their order; a beat declared without a default may be left out (None).
    """
    fields: dict[str, Any] = {}
    for entry in beats:
        if isinstance(entry, SharedMinimum):
            fields[entry.name] = (Seconds, _minimum(entry.timed, entry.minimum))
        else:
            kind = Seconds if entry.minimum is not None else Seconds | None
            fields[entry.id] = (kind, _minimum(entry.timed, entry.minimum))
    return _with_fields(fields)


def pause_fields(beats: Beats) -> Callable[[type[_M]], type[_M]]:
    """Class decorator: the model gets the pause (seconds, >= 0) after each declared beat,
    defaulting to the declaration's.
    """
    pause = Annotated[Number, Field(ge=0, le=MAX_PAUSE)]
    return _with_fields(
        {
            beat.id: (
                pause,
                Field(
                    default=beat.pause,
                    description="Seconds of silence after the beat's speech (and after what it "
                    f"draws), the picture holding; default {beat.pause:g}.",
                    examples=[beat.pause or REVEAL_PAUSE],
                ),
            )
            for beat in beats.declared
        }
    )


# --------------------------------------------------------------------------------------------------
# The beats of each kind

_HOLD_RESULT = "at the end; default: the result, as computed"

EXTRA_BEAT_SECONDS = 5.0
"""Default minimum of the loss scene's beats ``adapt`` and ``restart``, which only some scenes
have."""

LOSS_BEATS = Beats(
    (
        BeatDeclaration(
            "intro",
            minimum=1.0,
            timed="for the title and formula",
            said="while the title and formula appear",
            example="The squared loss.",
        ),
        SharedMinimum("curve", minimum=2.0, timed="for each curve (loss, density, derivative)"),
        BeatDeclaration(
            "loss",
            minimum=None,
            timed="for the loss curve (default: curve)",
            said="while the loss curve is drawn",
            example="A parabola: far points cost a lot.",
            drawn_by="curve",
            pause=REVEAL_PAUSE,
        ),
        BeatDeclaration(
            "density",
            minimum=None,
            timed="for the density (default: curve)",
            said="while the density is drawn",
            example="Its density is the Gaussian.",
            drawn_by="curve",
            pause=REVEAL_PAUSE,
        ),
        BeatDeclaration(
            "derivative",
            minimum=None,
            timed="for the derivative (default: curve)",
            said="while the derivative is drawn",
            example="The pull grows with r.",
            drawn_by="curve",
            pause=REVEAL_PAUSE,
        ),
        BeatDeclaration(
            "data",
            minimum=1.0,
            timed="for the observations to appear",
            said="while the observations appear",
            example="Eight observations, one far out.",
            pause=REVEAL_PAUSE,
        ),
        BeatDeclaration(
            "estimate",
            minimum=6.0,
            timed="for the descent, until theta has converged",
            said="during the descent",
            example="Each point pulls theta with its arrow.",
        ),
        BeatDeclaration(
            "arrival",
            minimum=2.0,
            timed="for the balance of the pulls where theta stops",
            said="when theta has stopped: why it stops there",
            example="Left and right pulls now cancel.",
            pause=ARRIVAL_PAUSE,
        ),
        BeatDeclaration(
            "adapt",
            minimum=None,
            timed="for the data to spread out while delta adapts (Huber with delta: auto only; "
            f"default {EXTRA_BEAT_SECONDS:g})",
            said="while the data spread out and delta follows them (Huber with delta: auto "
            "only); default: what delta became, as computed",
            example="Spread the data out, and delta grows with them.",
        ),
        BeatDeclaration(
            "restart",
            minimum=None,
            timed="for the second descent, from estimate.second_start (only with it; default "
            f"{EXTRA_BEAT_SECONDS:g})",
            said="during the second descent, from estimate.second_start (only with it); "
            "default: both answers, as computed",
            example="Start theta elsewhere and it settles elsewhere.",
        ),
        BeatDeclaration(
            "hold",
            minimum=1.0,
            timed="held at the end",
            said=_HOLD_RESULT,
            example="Theta has settled on the mean.",
            # The result is the last thing said: the picture stays on it before the fade.
            pause=ARRIVAL_PAUSE,
        ),
    )
)
"""The loss scene: a scene plays the curves it shows, and ``adapt`` and ``restart`` only when
its spec asks for them (``SceneSpec.beat_plans``)."""

CLIPPING_BEATS = Beats(
    (
        BeatDeclaration(
            "intro",
            minimum=1.0,
            timed="for the title",
            said="while the title appears",
            example="Gradient clipping, seen as a loss.",
        ),
        BeatDeclaration(
            "clip",
            minimum=3.0,
            timed="for the 1-D comparison",
            said="during the 1-D comparison",
            example="Clipping each gradient at plus or minus c gives exactly the Huber derivative.",
        ),
        BeatDeclaration(
            "vectors",
            minimum=3.0,
            timed="for the 2-D clipping",
            said="during the 2-D norm clipping",
            example="In 2-D, each example's gradient is scaled back onto a circle of radius c.",
        ),
        BeatDeclaration(
            "descent",
            minimum=5.0,
            timed="for the 2-D descent",
            said="during the 2-D descent",
            example="Descent with clipped gradients settles where they balance.",
        ),
        BeatDeclaration(
            "hold",
            minimum=1.5,
            timed="held at the end",
            said=_HOLD_RESULT,
            example="It stopped.",
            pause=ARRIVAL_PAUSE,
        ),
    )
)
"""Gradient clipping (``kind: clipping``): every scene plays them all."""

INFLUENCE_BEATS = Beats(
    (
        BeatDeclaration(
            "intro",
            minimum=1.0,
            timed="for the title",
            said="while the title appears",
            example="Bounded influence.",
        ),
        BeatDeclaration(
            "move",
            minimum=3.0,
            timed="for the first half of the outlier's journey",
            said="while the outlier starts moving away",
            example="The mean follows the outlier; median and Huber barely move.",
        ),
        BeatDeclaration(
            "influence",
            minimum=3.0,
            timed="for the second half, beside the influence curves",
            said="while it moves on, beside the influence curves",
            example="Read as influence, the derivative shows who is bounded.",
        ),
        BeatDeclaration(
            "hold",
            minimum=2.0,
            timed="held at the end",
            said=_HOLD_RESULT,
            example="It stopped.",
            pause=ARRIVAL_PAUSE,
        ),
    )
)
"""Bounded influence (``kind: influence``): every scene plays them all."""

CARD_BEATS = Beats(
    (
        BeatDeclaration(
            "intro",
            minimum=1.5,
            timed="for the title",
            said="while the title appears",
            example="Loss functions.",
        ),
        BeatDeclaration(
            "items",
            minimum=2.0,
            timed="for the list",
            said="while the list appears",
            example="Three losses, one set of data.",
        ),
        BeatDeclaration(
            "hold",
            minimum=1.0,
            timed="held at the end",
            said="at the end",
            example="Let's start with the squared loss.",
        ),
    )
)
"""The title card (``kind: card``): every card plays them all."""

SUMMARY_BEATS = Beats(
    (
        BeatDeclaration(
            "intro",
            minimum=1.5,
            timed="for the title",
            said="while the title appears",
            example="Same data, three answers.",
        ),
        BeatDeclaration(
            "data",
            minimum=1.5,
            timed="for the data",
            said="while the data appears",
            example="The same eight observations.",
        ),
        BeatDeclaration(
            "compare",
            minimum=4.0,
            timed="for the estimates, one after the other",
            said="while each loss's estimate appears; default: the estimates, as computed",
            example="The mean follows the outlier; the median and Huber do not.",
        ),
        BeatDeclaration(
            "hold",
            minimum=2.0,
            timed="held at the end",
            said="at the end",
            example="Choose the loss by how much you trust the far points.",
            # The lecture's last words: the card stays on screen after them, as a loss scene's
            # result does, instead of the video stopping on the last syllable.
            pause=ARRIVAL_PAUSE,
        ),
    )
)
"""The closing summary (``kind: summary``): every summary plays them all."""
