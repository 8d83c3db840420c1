"""What a course site shows, as plain data derived from the render manifest.

The manifest holds every time the pages need (a lecture's beats and captions in lecture time),
so nothing here shifts a time or reads a subtitle file.

Every path here is relative to the site folder, with forward slashes: the pages only ever use
relative URLs, so the folder works from ``file://`` and under any sub-path of a web server.
"""

from dataclasses import dataclass, field

from scenes.production.manifest import Manifest, RenderedVideo
from scenes.production.subtitles import Cue, shown

SOURCE_LANGUAGE = "en"
"""The language the specs are written in: its files keep their plain names."""

MEDIA = "media"
EMBED = "embed"
EXPLORE = "explore"
TRANSCRIPT = "transcript.html"
DESCRIPTION_SECONDS = 0.5
"""A description's cue covers the last this-many seconds of its beat (or the whole of a shorter
one): the player pauses there, when the beat's speech and animation are over, to read it."""


LANGUAGE_NAMES = {
    "en": "English",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
    "it": "Italiano",
    "nl": "Nederlands",
    "pt": "Português",
    "pl": "Polski",
    "sv": "Svenska",
    "da": "Dansk",
    "fi": "Suomi",
    "nb": "Norsk bokmål",
    "ru": "Русский",
}
"""Each language by its own name (the language switch shows a language as its readers call
it); a code not listed is shown as the code."""


@dataclass(frozen=True)
class Language:
    """One language of a lecture's site: its copy of the site is the folder ``prefix`` leads
    to from this site's folder (``""`` itself, ``"de/"`` from the source's, ``"../"`` back).

    The source language's site is the lecture's folder; each other language's is a complete
    copy in the subfolder named by its code (``de/index.html``, ``de/present.html``, ...).
    """

    code: str
    prefix: str
    current: bool = False

    @property
    def name(self) -> str:
        return LANGUAGE_NAMES.get(self.code, self.code)


@dataclass(frozen=True)
class Track:
    """Another language's captions on this video: its cues laid on this video's beats."""

    lang: str
    path: str
    cues: tuple[Cue, ...]

    @property
    def label(self) -> str:
        return LANGUAGE_NAMES.get(self.lang, self.lang)


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
    cues: tuple[Cue, ...] = ()  # its captions, in lecture time: the transcript's lines

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
    descriptions: tuple[Cue, ...] = ()
    """What only the picture shows, one cue at the end of each described beat (in this video's
    time): the ``kind="descriptions"`` track."""
    descriptions_file: str | None = None
    lang: str = SOURCE_LANGUAGE
    """The language spoken and captioned (``srclang`` of the captions track)."""
    descriptions_lang: str = SOURCE_LANGUAGE
    """The language of the descriptions track (English where no describer speaks ``lang``)."""
    other_captions: tuple[Track, ...] = ()
    """The other languages' captions, each language's cues laid on this video's beats."""

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
class ExplorePage:
    """A loss scene's explorable page (spec-v3 section 15): ``explore/<name>.html`` and its
    generated script ``explore/<name>.js`` (:mod:`scenes.site.explore` makes ``script``).
    """

    name: str
    title: str
    words: str  # the loss in words: "Huber", "squared"
    script: str

    @property
    def path(self) -> str:
        return f"{EXPLORE}/{self.name}.html"

    @property
    def script_path(self) -> str:
        return f"{EXPLORE}/{self.name}.js"


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
    explore: tuple[ExplorePage, ...] = ()
    """The explorable pages of the lecture's loss scenes."""
    formulas: dict[str, str] = field(default_factory=dict)
    """Scene name -> its loss formula as MathML (the video's LaTeX): shown in the transcript."""
    languages: tuple[Language, ...] = ()
    """Every language of the lecture (empty: one language only): the language switch."""
    source_lang: str = SOURCE_LANGUAGE
    """The language the specs are written in: its names carry no ``.<lang>`` suffix."""

    def video_name(self, name: str, lang: str) -> str:
        """``name`` (a video of this site) as the site of ``lang`` names it."""
        base = name
        if self.lang != self.source_lang and name.endswith(f".{self.lang}"):
            base = name[: -len(self.lang) - 1]
        return base if lang == self.source_lang else f"{base}.{lang}"

    def page_in(self, page: str, language: Language) -> str:
        """The path, from this site's folder, of ``page`` (a path in this site) in the site of
        ``language``: embedded players and explorable pages are named by their video.
        """
        folder, _, file = page.rpartition("/")
        if folder in (EMBED, EXPLORE) and file.endswith(".html"):
            file = self.video_name(file.removesuffix(".html"), language.code) + ".html"
        return language.prefix + (f"{folder}/{file}" if folder else file)

    @property
    def transcript(self) -> str | None:
        """``transcript.html``, when there are beats to list."""
        return TRANSCRIPT if self.beats else None

    def explore_page(self, scene: SiteVideo) -> ExplorePage | None:
        """The explorable page of a scene, if it has one."""
        return next((page for page in self.explore if page.name == scene.name), None)

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
    explore: tuple[ExplorePage, ...] = (),
    descriptions: dict[str, dict[str, str]] | None = None,
    formulas: dict[str, str] | None = None,
    languages: tuple[Language, ...] = (),
    source_lang: str = SOURCE_LANGUAGE,
    descriptions_lang: str | None = None,
) -> Site:
    """The site for ``lecture_name`` in a render manifest (:mod:`scenes.production.manifest`).

    ``sizes`` maps site paths to byte counts (for the download links; paths missing from it are
    not offered for download). Times, beats and captions are the manifest's, as recorded: a
    lecture's are already in lecture time. ``descriptions`` (scene name -> beat id -> text, in
    the language ``lang``) become each video's descriptions track; ``formulas`` (scene name ->
    MathML) are shown in the transcript; ``descriptions_lang`` is the language they are in
    (default ``lang``). With ``languages`` (the lecture's, this site's marked ``current``) each
    video also carries the other languages' captions, from the same manifest (their videos are
    ``<name>.<lang>``), laid on this video's beats.
    """
    described = descriptions or {}
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
        said = [
            Cue(max(beat.start, beat.end - DESCRIPTION_SECONDS), beat.end, text)
            for beat in entry.beats
            if (text := described.get(beat.scene, {}).get(beat.id))
        ]
        told = descriptions_lang or lang
        suffix = ".descriptions.vtt" if told == SOURCE_LANGUAGE else f".{told}.descriptions.vtt"
        others = tuple(
            Track(
                language.code,
                media_path(name, f".captions.{language.code}.vtt"),
                tuple(shown(on_beats(entry, manifest.videos[other]))),
            )
            for language in languages
            if not language.current
            and (other := _named(name, lang, language.code, source_lang)) in manifest.videos
        )
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
            descriptions=tuple(said),
            descriptions_file=media_path(name, suffix) if said else None,
            lang=lang,
            descriptions_lang=told,
            other_captions=others,
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
            cues=tuple(shown(Cue(c.start, c.end, c.text) for c in row.cues)),
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
        explore=tuple(page for page in explore if page.name in by_name),
        formulas={name: text for name, text in (formulas or {}).items() if name in by_name},
        languages=languages,
        source_lang=source_lang,
    )


def _named(name: str, lang: str, other: str, source: str) -> str:
    """The video ``name`` of the ``lang`` render as the ``other`` language's render names it."""
    base = name[: -len(lang) - 1] if lang != source and name.endswith(f".{lang}") else name
    return base if other == source else f"{base}.{other}"


def on_beats(video: RenderedVideo, other: RenderedVideo) -> list[Cue]:
    """``other``'s captions (the same video in another language, with its own timeline) laid on
    ``video``'s: each cue keeps its place within its beat, the beat stretched to this video's
    beat of the same scene and id. A beat only one of them has carries no cues.
    """

    def key(beat) -> tuple[str, str]:  # noqa: ANN001
        return (beat.scene.rpartition(".")[0] or beat.scene, beat.id)

    here = {key(beat): beat for beat in video.beats}
    cues = []
    for beat in other.beats:
        mine = here.get(key(beat))
        if mine is None:
            continue
        span = beat.end - beat.start
        scale = (mine.end - mine.start) / span if span > 0 else 0.0
        for cue in beat.cues:
            start = mine.start + (cue.start - beat.start) * scale
            end = mine.start + (cue.end - beat.start) * scale
            cues.append(Cue(start, min(end, mine.end), cue.text))
    return cues


def _still(scene: RenderedVideo, beat_id: str) -> str | None:
    """The site path of a beat's last frame (PNG), if the render saved one."""
    still = scene.stills.get(beat_id)
    return f"{MEDIA}/{still}" if still else None
