"""Lecture and course specs: files that list other spec files (spec-v1 section 5, spec-v2 11).

A listed path is checked where it is written (relative, inside the listing file's folder, an
existing file); the listed files themselves are loaded by :mod:`scenes.spec.loading`.
"""

import posixpath
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    Field,
    StrictStr,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from .fields import (
    MAX_LECTURE_SCENES,
    MAX_PATH,
    SHOWABLE_PATTERN,
    SceneName,
    Showable,
    SpecModel,
    Title,
    fail,
    no_null,
)
from .voice import AudioSpec, CaptionsSpec, LanguageCode, VoiceSpec

__all__ = [
    "MAX_COURSE_LECTURES",
    "MAX_LECTURE_SCENES",
    "CourseSpec",
    "LectureSpec",
    "RenderSpec",
    "scene_path_problem",
]

_HOLDER = {"scene": ("lecture", "l2.yaml"), "lecture": ("course", "lecture.yaml")}
"""For each kind of listed file: the kind of spec that lists it, and an example file name."""


def scene_path_problem(text: str, base_dir: Path | None, kind: str = "scene") -> str | None:
    """Why ``text`` is not an acceptable path of a scene file listed by a lecture in ``base_dir``
    (of a lecture file listed by a course, with ``kind="lecture"``); None if it is.

    Paths are relative to the listing file and must stay inside its folder, so a lecture (or a
    course) can be moved or shared as one folder.
    """
    holder, example = _HOLDER[kind]
    if not text.strip():
        return f"expected a file name such as {example}, got an empty string"
    if (
        PurePosixPath(text).is_absolute()
        or PureWindowsPath(text).is_absolute()
        or (PureWindowsPath(text).drive)
    ):
        return f"{text!r} is an absolute path: give a path relative to the {holder} file"
    # `sub/../a.yaml` stays inside; `../a.yaml` and `sub/../../a.yaml` do not.
    if posixpath.normpath(text.replace("\\", "/")).split("/")[0] == "..":
        return f"{text!r} leaves the {holder}'s folder: {kind} files must be inside it"
    if base_dir is None:
        return None
    try:
        target = (base_dir / text).resolve()
        inside = target.is_relative_to(base_dir.resolve())
        exists = (base_dir / text).is_file()
    except (OSError, ValueError):
        return f"{text!r} is not a usable file name"
    if not inside:
        return f"{text!r} leads outside the {holder}'s folder (through a link)"
    if not exists:
        return f"{kind} file {text!r} not found next to the {holder} file"
    return None


def _path_check(kind: str) -> AfterValidator:
    """Check a listed file's path with :func:`scene_path_problem`."""

    def check(value: str, info: ValidationInfo) -> str:
        base = (info.context or {}).get("base_dir")
        problem = scene_path_problem(value, Path(base) if base is not None else None, kind)
        if problem is not None:
            raise fail(problem)
        return value

    return AfterValidator(check)


# The schema says what it can: a file name is not empty nor too long; the file system does the
# rest.
_PATH_SCHEMA = WithJsonSchema(
    {"type": "string", "minLength": 1, "maxLength": MAX_PATH, "pattern": SHOWABLE_PATTERN}
)
ScenePath = Annotated[
    StrictStr, Field(max_length=MAX_PATH), Showable, _path_check("scene"), _PATH_SCHEMA
]
LecturePath = Annotated[
    StrictStr, Field(max_length=MAX_PATH), Showable, _path_check("lecture"), _PATH_SCHEMA
]


class RenderSpec(SpecModel):
    """How a lecture is rendered."""

    quality: Literal["low", "medium", "high", "4k"] = Field(
        default="high",
        description="low (480p15), medium (720p30), high (1080p60) or 4k (2160p60).",
        examples=["high"],
    )
    formats: Annotated[list[Literal["mp4", "webm", "gif"]], Field(min_length=1)] = Field(
        default=["mp4"],
        description="Video formats to write, each at most once.",
        examples=[["mp4"]],
        json_schema_extra={"uniqueItems": True},
    )

    @field_validator("formats")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        for i, name in enumerate(value):
            if name in value[:i]:
                raise fail(f"{name!r} is listed twice; list each format at most once")
        return value


def unique_languages(value: list[str] | None) -> list[str] | None:
    for i, name in enumerate(value or []):
        if name in (value or [])[:i]:
            raise fail(f"{name!r} is listed twice; list each language once")
    return value


class LectureSpec(SpecModel):
    """A lecture: scene files rendered in order and combined (spec-v1 section 5).

    Validate with ``context={"base_dir": folder}`` to check that the scene files exist.
    """

    lecture: SceneName = Field(
        description="CamelCase identifier; names the combined video.", examples=["LossFunctions"]
    )
    title: Title | None = Field(
        default=None, description="Optional title of the lecture.", examples=["Loss functions"]
    )
    scenes: Annotated[list[ScenePath], Field(min_length=1, max_length=MAX_LECTURE_SCENES)] = Field(
        description="Scene spec files, relative to this file and inside its folder; rendered in "
        "this order; scene names must be unique.",
        examples=[["l2.yaml", "l1.yaml", "huber.yaml"]],
    )
    render: RenderSpec = Field(
        default=RenderSpec(),
        description="Rendering options.",
        examples=[{"quality": "high", "formats": ["mp4"]}],
    )
    languages: Annotated[
        Annotated[list[LanguageCode], Field(min_length=1, max_length=50)] | None,
        no_null("a list of languages"),
    ] = Field(
        default=None,
        description="Languages the lecture is published in (ISO 639-1 codes); the first is the "
        "language the specs are written in, each other one is translated in "
        "`locale/<language>.po` next to this file (`loss-scenes translate`).",
        examples=[["en", "de"]],
        json_schema_extra={"uniqueItems": True},
    )

    @field_validator("languages")
    @classmethod
    def _unique_languages(cls, value: list[str] | None) -> list[str] | None:
        return unique_languages(value)

    voice: VoiceSpec | None = Field(
        default=None,
        description="Voice of every scene that does not set its own.",
        examples=[{"engine": "espeak-ng", "voice": "en-us", "rate": 145}],
    )
    audio: AudioSpec | None = Field(
        default=None,
        description="Loudness of every scene that does not set its own; default: the course's, "
        "else streaming (-16 LUFS).",
        examples=[{"loudness": "ebu-r128"}],
    )
    captions: CaptionsSpec | None = Field(
        default=None,
        description="Caption settings of every scene that does not set its own.",
        examples=[{"burn": True, "rate": 15}],
    )


MAX_COURSE_LECTURES = 100


class CourseSpec(SpecModel):
    """A course: lecture files rendered and published together (spec-v2 section 11).

    Validate with ``context={"base_dir": folder}`` to check that the lecture files exist.
    """

    course: SceneName = Field(
        description="CamelCase identifier; names the course.", examples=["Stat157"]
    )
    title: Annotated[StrictStr, Field(max_length=200), Showable] | None = Field(
        default=None,
        description="Optional title of the course.",
        examples=["Introduction to machine learning"],
    )
    lectures: Annotated[list[LecturePath], Field(min_length=1, max_length=MAX_COURSE_LECTURES)] = (
        Field(
            description="Lecture spec files, relative to this file and inside its folder; "
            "published in this order; lecture names must be unique.",
            examples=[["lecture.yaml", "full-lecture.yaml"]],
        )
    )
    languages: Annotated[
        Annotated[list[LanguageCode], Field(min_length=1, max_length=50)] | None,
        no_null("a list of languages"),
    ] = Field(
        default=None,
        description="Languages the course is published in (ISO 639-1 codes); the first is the "
        "language the specs are written in, each other one is translated in "
        "`locale/<language>.po` next to this file (`loss-scenes translate`).",
        examples=[["en", "de"]],
        json_schema_extra={"uniqueItems": True},
    )

    @field_validator("languages")
    @classmethod
    def _unique_languages(cls, value: list[str] | None) -> list[str] | None:
        return unique_languages(value)

    voice: VoiceSpec | None = Field(
        default=None,
        description="Voice of every lecture (and its scenes) that does not set its own.",
        examples=[{"engine": "piper", "rate": 145}],
    )
    audio: AudioSpec | None = Field(
        default=None,
        description="Loudness of every lecture (and its scenes) that does not set its own.",
        examples=[{"loudness": "ebu-r128"}],
    )
