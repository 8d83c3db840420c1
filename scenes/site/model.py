"""What a course site shows, as plain data derived from the render manifest.

The manifest holds every time the pages need (a lecture's beats and captions in lecture time),
so nothing here shifts a time or reads a subtitle file.

Every path here is relative to the site folder, with forward slashes: the pages only ever use
relative URLs, so the folder works from ``file://`` and under any sub-path of a web server.
"""

from dataclasses import dataclass, field

from scenes.production.manifest import Manifest, RenderedVideo
from scenes.production.subtitles import Cue, shown

MEDIA = "media"
EMBED = "embed"


@dataclass(frozen=True)
class Chapter:
    title: str
    start: float
    end: float
    anchor: str  # id of the scene's own section on the index page


@dataclass(frozen=True)
class Beat:
    """One beat of the lecture: where it plays in the lecture video, what is said, its still."""

    number: int  # 1-based, across the lecture: present.html#N
    scene: str  # the scene's name
    id: str  # the beat's id within its scene
    start: float
    end: float
    text: str  # the narration
    still: str | None  # the beat's last frame (PNG), if the render saved it

    @property
    def cue_id(self) -> str:
        """The beat's id in ``<Lecture>.beats.vtt``: ``Scene/beat``."""
        return f"{self.scene}/{self.id}"


@dataclass(frozen=True)
class Download:
    label: str
    path: str
    size: int


@dataclass(frozen=True)
class SiteVideo:
    """One video as the pages show it: sources, poster, text tracks, downloads."""

    name: str
    title: str
    duration: float
    width: int
    height: int
    mp4: str
    webm: str
    poster: str
    captions: str
    cues: tuple[Cue, ...]
    embed: str
    gif: str | None = None
    chapters: tuple[Chapter, ...] = ()
    chapters_file: str | None = None
    downloads: tuple[Download, ...] = ()

    @property
    def element_id(self) -> str:
        return f"video-{self.name}"

    @property
    def anchor(self) -> str:
        return f"scene-{self.name}"

    @property
    def description(self) -> str:
        """The narration as running text: the transcript and the GIF's alt text."""
        return " ".join(cue.text for cue in self.cues)


@dataclass(frozen=True)
class Site:
    title: str
    lang: str
    quality: str
    lecture: SiteVideo
    scenes: tuple[SiteVideo, ...] = field(default_factory=tuple)
    beats: tuple[Beat, ...] = field(default_factory=tuple)
    """Every beat of the lecture in order: the presenter's steps, the handout's stills."""
    fps: float = 0.0
    handout: bool = False  # whether the site offers handout.html and handout.pdf

    @property
    def beats_file(self) -> str:
        return media_path(self.lecture.name, ".beats.vtt")

    def scene_beats(self, scene: SiteVideo) -> tuple[Beat, ...]:
        return tuple(beat for beat in self.beats if beat.scene == scene.name)


def media_path(name: str, suffix: str) -> str:
    return f"{MEDIA}/{name}{suffix}"


def plan_site(
    manifest: Manifest,
    lecture_name: str,
    sizes: dict[str, int],
    *,
    gif: bool,
    lang: str = "en",
    handout: bool = False,
) -> Site:
    """The site for ``lecture_name`` in a render manifest (:mod:`scenes.production.manifest`).

    ``sizes`` maps site paths to byte counts (for the download links; paths missing from it are
    not offered for download). Times, beats and captions are the manifest's, as recorded: a
    lecture's are already in lecture time.
    """
    lecture = manifest.lecture(lecture_name)
    scene_entries = [manifest.videos[name] for name in lecture.scenes]

    def video(entry: RenderedVideo, **extra) -> SiteVideo:
        name = entry.name
        paths = {
            "MP4 (H.264)": media_path(name, ".mp4"),
            "WebM (VP9)": media_path(name, ".webm"),
            "Captions (WebVTT)": media_path(name, ".vtt"),
        }
        if extra.get("gif"):
            paths["Animated GIF"] = extra["gif"]
        downloads = tuple(
            Download(label, path, sizes[path]) for label, path in paths.items() if path in sizes
        )
        cues = (Cue(cue.start, cue.end, cue.text) for beat in entry.beats for cue in beat.cues)
        return SiteVideo(
            name=name,
            title=entry.title or name,
            duration=entry.duration,
            width=entry.width,
            height=entry.height,
            mp4=paths["MP4 (H.264)"],
            webm=paths["WebM (VP9)"],
            poster=extra.pop("poster", None) or media_path(name, ".png"),
            captions=paths["Captions (WebVTT)"],
            cues=tuple(shown(cues)),
            embed=f"{EMBED}/{name}.html",
            downloads=downloads,
            **extra,
        )

    scenes = tuple(
        video(entry, gif=media_path(entry.name, ".gif") if gif else None) for entry in scene_entries
    )
    by_name = {scene.name: scene for scene in scenes}
    chapters = tuple(
        Chapter(by_name[name].title, start, end, by_name[name].anchor)
        for name, start, end in lecture.scene_spans()
    )
    beats = tuple(
        Beat(
            number=number,
            scene=row.scene,
            id=row.id,
            start=row.start,
            end=row.end,
            text=row.text,
            still=_still(manifest.videos[row.scene], row.id),
        )
        for number, row in enumerate(lecture.beats, start=1)
    )
    return Site(
        title=lecture.title or lecture_name,
        lang=lang,
        quality=manifest.quality,
        lecture=video(
            lecture,
            # The lecture opens on the first scene, so its poster is that scene's.
            poster=scenes[0].poster if scenes else None,
            chapters=chapters,
            chapters_file=media_path(lecture_name, ".chapters.vtt"),
        ),
        scenes=scenes,
        beats=beats,
        fps=lecture.fps,
        # A render from before beats were recorded has nothing to step through or hand out.
        handout=handout and bool(beats),
    )


def _still(scene: RenderedVideo, beat_id: str) -> str | None:
    """The site path of a beat's last frame (PNG), if the render saved one."""
    still = scene.stills.get(beat_id)
    return f"{MEDIA}/{still}" if still else None
