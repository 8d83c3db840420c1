"""Who speaks a scene's narration, and how its captions are shown (spec-v2 section 9).

A lecture's ``voice`` and ``captions`` are inherited by its scenes that set none of their own;
that is done when a lecture is loaded (:mod:`scenes.spec.loading`), as it needs no maths. Whether
a voice can speak here (its program, model file, takes) is checked when a spec is resolved
(:mod:`scenes.compute.resolve`, with :mod:`scenes.speech.checks`).
"""

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StrictBool, StrictInt, StrictStr, model_validator

from .fields import MAX_PATH, WHOLE, Number, Showable, SpecModel, at, fail, no_null

__all__ = ["VOICE_ENGINES", "CaptionsSpec", "SceneCaptions", "SceneVoice", "VoiceSpec"]

VOICE_ENGINES = ("espeak-ng", "piper", "recorded", "none")


def _engine_is(engine: str) -> dict[str, Any]:
    return {"required": ["engine"], "properties": {"engine": {"const": engine}}}


class VoiceSpec(SpecModel):
    """Who speaks the narration: a text-to-speech engine, the lecturer's own takes, or nobody.

    Paths (``model``, ``folder``) are relative to the spec file that names them.
    """

    # The checks of _needs, for editors.
    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                {"if": _engine_is("piper"), "then": {"required": ["model"]}},
                {"if": _engine_is("recorded"), "then": {"required": ["folder"]}},
            ],
            "dependentSchemas": {"model": _engine_is("piper"), "folder": _engine_is("recorded")},
        }
    )

    engine: Literal["espeak-ng", "piper", "recorded", "none"] = Field(
        default="none",
        description="espeak-ng (installed by the set-up), piper (needs `model`), recorded (the "
        "lecturer's takes in `folder`) or none.",
        examples=["espeak-ng"],
    )
    voice: Annotated[
        StrictStr, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_+\-]+$")
    ] = Field(default="en-us", description="espeak-ng voice name.", examples=["en-us"])
    rate: Annotated[StrictInt, Field(ge=80, le=450), WHOLE] = Field(
        default=160, description="Words per minute (espeak-ng, piper).", examples=[160]
    )
    model: Annotated[
        Annotated[StrictStr, Field(min_length=1, max_length=MAX_PATH), Showable] | None,
        no_null("a file name"),
    ] = Field(
        default=None,
        description="piper: the voice model file (.onnx) the user supplies; never downloaded.",
        examples=["voices/en_US-lessac-medium.onnx"],
    )
    folder: Annotated[
        Annotated[StrictStr, Field(min_length=1, max_length=MAX_PATH), Showable] | None,
        no_null("a folder name"),
    ] = Field(
        default=None,
        description="recorded: folder of takes, FOLDER/<Scene>/<beat>.wav or .flac.",
        examples=["voice/"],
    )

    @model_validator(mode="after")
    def _needs(self) -> "VoiceSpec":
        if self.engine == "piper" and self.model is None:
            raise fail("engine piper needs `model`: the path of a voice model file (.onnx)")
        if self.engine == "recorded" and self.folder is None:
            raise fail("engine recorded needs `folder`: where the takes <Scene>/<beat>.wav are")
        if self.model is not None and self.engine != "piper":
            raise at(
                ("model",), f"model applies only to engine piper (this voice is {self.engine})"
            )
        if self.folder is not None and self.engine != "recorded":
            raise at(
                ("folder",), f"folder applies only to engine recorded (this voice is {self.engine})"
            )
        return self


class CaptionsSpec(SpecModel):
    """How captions are shown and paced."""

    burn: StrictBool = Field(
        default=True,
        description="Draw captions on the video frames; subtitle files are written either way.",
        examples=[True],
    )
    rate: Annotated[Number, Field(ge=5, le=17)] = Field(
        default=15.0,
        description="Characters per second used to pace captions (5 to 17).",
        examples=[15],
    )


SceneVoice = Annotated[
    VoiceSpec | None,
    no_null("a voice mapping"),
    Field(
        default=None,
        description="Who speaks the narration; default: the lecture's voice, else none.",
        examples=[{"engine": "espeak-ng", "voice": "en-us", "rate": 160}],
    ),
]
"""A scene's ``voice``, the same in every kind."""

SceneCaptions = Annotated[
    CaptionsSpec | None,
    no_null("a captions mapping"),
    Field(
        default=None,
        description="Caption settings; default: the lecture's, else burn: true, rate: 15.",
        examples=[{"burn": True, "rate": 15}],
    ),
]
"""A scene's ``captions``, the same in every kind."""
