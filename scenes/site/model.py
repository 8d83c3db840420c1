"""What a course site shows, as plain data derived from the render manifest.

Every path here is relative to the site folder, with forward slashes: the pages only ever use
relative URLs, so the folder works from ``file://`` and under any sub-path of a web server.
"""

from dataclasses import dataclass, field

from scenes.production.subtitles import Cue

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
    manifest: dict,
    lecture_name: str,
    cues: dict[str, list[Cue]],
    sizes: dict[str, int],
    *,
    gif: bool,
    lang: str = "en",
    handout: bool = False,
) -> Site:
    """The site for ``lecture_name`` in a render manifest (``driver.update_manifest``'s format).

    ``cues`` maps each video name to its caption cues; ``sizes`` maps site paths to byte counts
    (for the download links; paths missing from it are not offered for download).
    """
    videos = manifest["videos"]
    if lecture_name not in videos or videos[lecture_name].get("kind") != "lecture":
        raise ValueError(f"the render manifest has no lecture named {lecture_name!r}")
    lecture = videos[lecture_name]
    scene_entries = [videos[name] for name in lecture["parts"]]

    def video(entry: dict, **extra) -> SiteVideo:
        name = entry["name"]
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
        return SiteVideo(
            name=name,
            title=entry.get("title") or name,
            duration=float(entry["duration"]),
            width=int(entry["width"]),
            height=int(entry["height"]),
            mp4=paths["MP4 (H.264)"],
            webm=paths["WebM (VP9)"],
            poster=extra.pop("poster", None) or media_path(name, ".png"),
            captions=paths["Captions (WebVTT)"],
            cues=tuple(cues.get(name, ())),
            embed=f"{EMBED}/{name}.html",
            downloads=downloads,
            **extra,
        )

    scenes = tuple(
        video(entry, gif=media_path(entry["name"], ".gif") if gif else None)
        for entry in scene_entries
    )
    chapters = []
    beats: list[Beat] = []
    start = 0.0
    # The lecture was joined from the scene videos in this order, so each chapter (and each of
    # its beats) starts where the previous scenes' durations add up to.
    for scene, entry, duration in zip(
        scenes, scene_entries, lecture["part_durations"], strict=True
    ):
        chapters.append(Chapter(scene.title, start, start + duration, scene.anchor))
        stills = entry.get("stills") or {}
        for row in entry.get("beats") or ():
            beats.append(
                Beat(
                    number=len(beats) + 1,
                    scene=scene.name,
                    id=row["id"],
                    start=start + float(row["start"]),
                    end=start + float(row["end"]),
                    text=row.get("text") or "",
                    still=f"{MEDIA}/{stills[row['id']]}" if row["id"] in stills else None,
                )
            )
        start += duration
    return Site(
        title=lecture.get("title") or lecture_name,
        lang=lang,
        quality=manifest.get("quality", ""),
        lecture=video(
            lecture,
            # The lecture opens on the first scene, so its poster is that scene's.
            poster=scenes[0].poster if scenes else None,
            chapters=tuple(chapters),
            chapters_file=media_path(lecture_name, ".chapters.vtt"),
        ),
        scenes=scenes,
        beats=tuple(beats),
        fps=float(lecture.get("fps") or 0.0),
        # A render from before beats were recorded has nothing to step through or hand out.
        handout=handout and bool(beats),
    )
