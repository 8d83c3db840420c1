"""The render folder's ``manifest.json``: what each render wrote, as typed models.

This module is the only reader and writer of the file (manim-slides' ``PresentationConfig`` is
the model: a pydantic model with ``read`` and ``write``). Renders record their videos here; reuse
(:mod:`scenes.production.keys`) and the site export (:mod:`scenes.site`) read them back.

Every time is in seconds of the video its entry describes: a scene's beats and cues in scene
time, a lecture's in lecture time (shifted once, when the lecture is joined; see
:func:`lecture_beats`), so no reader adds offsets or parses subtitle files.
"""

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError, model_validator

from scenes.files import locked, write_text_atomic

FILE_NAME = "manifest.json"


class _Model(BaseModel):
    # Written by one version and read by another: a field this version does not know is dropped,
    # never a reason to call the whole manifest damaged.
    model_config = ConfigDict(extra="ignore")


class Cue(_Model):
    """One caption: from ``start`` to ``end`` (seconds of the video), ``text`` as written."""

    start: float
    end: float
    text: str

    @model_validator(mode="before")
    @classmethod
    def _from_triple(cls, value: Any) -> Any:
        # Manifests before version 3 stored a cue as [start, end, text].
        if isinstance(value, list | tuple) and len(value) == 3:
            return {"start": value[0], "end": value[1], "text": value[2]}
        return value


class Beat(_Model):
    """One beat as played: its scene, its id there, where it plays, what is said and captioned."""

    scene: str
    id: str
    start: float
    end: float
    text: str = ""
    cues: list[Cue] = Field(default_factory=list)


class RenderedVideo(_Model):
    """What one render wrote for one video (a scene or a lecture), as the manifest records it."""

    name: str
    kind: Literal["scene", "lecture"]
    files: dict[str, str] = Field(default_factory=dict)
    """Format (mp4, webm, gif) -> file name."""
    subtitles: str | None = None
    """File name of the SRT subtitles (None: nothing is said or captioned)."""
    poster: str | None = None
    """File name of the last full picture (PNG)."""
    duration: float = 0.0
    width: int = 0
    height: int = 0
    fps: float = 0.0
    scenes: list[str] = Field(
        default_factory=list, validation_alias=AliasChoices("scenes", "parts")
    )
    """A lecture's scene videos, in the order they were joined (empty for a scene)."""
    scene_seconds: list[float] = Field(
        default_factory=list, validation_alias=AliasChoices("scene_seconds", "part_durations")
    )
    """The duration of each of ``scenes``: where each one ends in the lecture adds up from them."""
    title: str | None = None
    key: str | None = None
    """The render key (:mod:`scenes.production.keys`); None: never reused."""
    checksums: dict[str, str] = Field(default_factory=dict)
    """File name -> SHA-256 of every file above, as it was written."""
    beats: list[Beat] = Field(default_factory=list)
    """The timeline as played, in seconds of this video (a lecture's: of the lecture)."""
    number_line: tuple[float, float] | None = None
    """The range of a scene's number line when a lecture shares it (None: the scene's own)."""
    stills: dict[str, str] = Field(default_factory=dict)
    """Beat id -> file name of the beat's last frame (PNG); a lecture's beats find theirs in
    their scene's entry."""

    def paths(self, out_dir: Path) -> list[Path]:
        """The files a render prints: videos, subtitles, last frame. The beats' stills (one per
        beat, in ``<Scene>.beats/``) are listed in the manifest instead of flooding stdout.
        """
        names = [*self.files.values(), self.subtitles, self.poster]
        return [out_dir / name for name in names if name]

    def written_files(self) -> list[str]:
        """Every file this entry names (videos, subtitles, poster, stills): what checksums cover."""
        names = [*self.files.values(), self.subtitles, self.poster, *self.stills.values()]
        return [name for name in names if name]

    def scene_spans(self) -> list[tuple[str, float, float]]:
        """A lecture's scenes as (name, start, end) in lecture time: joined in order, each
        starts where the durations before it add up to.
        """
        spans = []
        start = 0.0
        for name, seconds in zip(self.scenes, self.scene_seconds, strict=True):
            spans.append((name, start, start + seconds))
            start += seconds
        return spans


def lecture_beats(scenes: list[RenderedVideo]) -> list[Beat]:
    """The beats of a lecture joined from ``scenes`` (in order): each scene's beats and cues,
    moved to where its frames land in the lecture.
    """
    lecture = RenderedVideo(
        name="",
        kind="lecture",
        scenes=[scene.name for scene in scenes],
        scene_seconds=[scene.duration for scene in scenes],
    )
    beats = []
    for scene, (_, offset, finish) in zip(scenes, lecture.scene_spans(), strict=True):
        # A scene's timeline may run a few milliseconds past its last frame (the frames are
        # whole); cut there, so a scene's last caption never overlaps the next scene's first.
        for beat in scene.beats:
            cues = [
                Cue(start=cue.start + offset, end=min(cue.end + offset, finish), text=cue.text)
                for cue in beat.cues
                if cue.start + offset < finish
            ]
            beats.append(
                beat.model_copy(
                    update={
                        "start": beat.start + offset,
                        "end": min(beat.end + offset, finish),
                        "cues": cues,
                    }
                )
            )
    return beats


class Manifest(_Model):
    """A render folder's record: the quality of its last render and every video rendered there."""

    quality: str = ""
    videos: dict[str, RenderedVideo] = Field(default_factory=dict)

    def lecture(self, name: str) -> RenderedVideo:
        """The lecture ``name`` (ValueError if this folder holds no lecture of that name)."""
        video = self.videos.get(name)
        if video is None or video.kind != "lecture":
            raise ValueError(f"the render manifest has no lecture named {name!r}")
        return video

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), indent=2) + "\n"


def read(folder: Path) -> Manifest:
    """The manifest of ``folder``; an empty one when it is missing or unreadable.

    An entry this version cannot read (damaged, or from an incompatible version) is left out:
    it cannot be reused, and the next render of that video records it afresh.
    """
    try:
        data = json.loads((folder / FILE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Manifest()
    if not isinstance(data, dict) or not isinstance(data.get("videos"), dict):
        # Not ours or damaged: start afresh rather than fail a finished render.
        return Manifest()
    videos = {}
    for name, entry in data["videos"].items():
        try:
            videos[name] = RenderedVideo.model_validate(entry)
        except ValidationError:
            continue
    quality = data.get("quality")
    return Manifest(quality=quality if isinstance(quality, str) else "", videos=videos)


def write(folder: Path, rendered: Iterable[RenderedVideo], *, quality: str) -> Path:
    """Record ``rendered`` in ``folder``'s manifest, merged with what earlier renders recorded.

    Read, merge and write happen under the folder's lock: another render into the same folder
    may be merging its own entries, and without the lock the second to write would drop the
    first one's. The file is replaced atomically.
    """
    path = folder / FILE_NAME
    with locked(folder):
        manifest = read(folder)
        manifest.quality = quality
        for video in rendered:
            manifest.videos[video.name] = video
        write_text_atomic(path, manifest.to_json())
    return path
