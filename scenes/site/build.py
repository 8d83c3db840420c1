"""Export a lecture (or a course of lectures) as a site folder: render, convert the media, write
pages, swap in.

Everything is built in a temporary folder beside the target (inside it when the target is a mount
point); only a finished site is swapped in (atomically where the system allows), so a failed or
interrupted export leaves the previous site as it was.
"""

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from scenes.errors import EXIT_INVALID, LossScenesError
from scenes.files import (
    WORK_PREFIX,
    atomic_path,
    folder_problem,
    is_mount_point,
    replace_dir_atomic,
    replace_dir_contents,
    sweep_stale,
)
from scenes.production import manifest as render_manifest
from scenes.production.manifest import RenderedVideo
from scenes.production.plan import default_jobs

from .model import MEDIA, SOURCE_LANGUAGE, ExplorePage, Language, Site, plan_site
from .pages import check_assets, iframe_snippet, render_course_pages, render_pages

MARKER = "site.json"
CACHE = "site-media"  # inside the render folder
GENERATOR = "loss-scenes export"

Progress = Callable[[str], None]


class ExportError(LossScenesError, exit_code=EXIT_INVALID):
    """The export cannot start (a bad target folder): reported as invalid input, exit 2."""


@dataclass(frozen=True)
class ExportResult:
    index: Path
    snippets: list[str]
    files: dict[str, int]  # path in the site -> size in bytes
    site: Site


def check_target(out_dir: Path) -> None:
    """Refuse to replace anything but an earlier export: the swap deletes the old folder."""
    problem = folder_problem(out_dir)
    if problem is not None:
        raise ExportError(f"{out_dir}: {problem}")
    if not out_dir.exists():
        return
    # A mount point holds the scratch folder of an export into it (one killed may leave it).
    if all(entry.name.startswith(WORK_PREFIX) for entry in out_dir.iterdir()):
        return
    try:
        marker = json.loads((out_dir / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        marker = None
    if not isinstance(marker, dict) or marker.get("generator") != GENERATOR:
        raise ExportError(
            f"{out_dir}: folder is not empty and is not an earlier export (no {MARKER}); "
            "choose a new folder, an empty one or a previous site"
        )


def build_site(
    render_dir: Path,
    lecture_name: str,
    site_dir: Path,
    *,
    gif: bool = False,
    handout: bool = True,
    progress: Progress = lambda _: None,
    jobs: int | None = 1,
    explore: tuple[ExplorePage, ...] = (),
    descriptions: dict[str, dict[str, str]] | None = None,
    formulas: dict[str, str] | None = None,
    lang: str = SOURCE_LANGUAGE,
    languages: tuple[Language, ...] = (),
    source_lang: str = SOURCE_LANGUAGE,
    descriptions_lang: str | None = None,
) -> tuple[Site, dict[str, int]]:
    """Turn a render folder (videos plus ``manifest.json``) into a site in ``site_dir``.

    The slow conversions (a WebM and a GIF per scene) are kept in ``render_dir/site-media`` and
    reused while their scene's render key and the encoder settings are unchanged; ``jobs``
    conversions run at once. With ``handout``, ``handout.pdf`` is printed (headless Chromium)
    from ``handout.html``, and reused while that page and its stills are unchanged.
    """
    from scenes.production.video import ChapterMark, concatenate, remux

    manifest = render_manifest.read(render_dir)
    if lecture_name not in manifest.videos:
        raise ValueError(
            f"{render_dir / render_manifest.FILE_NAME}: no video named {lecture_name!r}"
        )
    lecture = manifest.videos[lecture_name]
    scenes = [manifest.videos[name] for name in lecture.scenes]
    media = site_dir / MEDIA
    media.mkdir(parents=True, exist_ok=True)
    extras: dict[str, Any] = {
        "descriptions": descriptions,
        "formulas": formulas,
        "lang": lang,
        "languages": languages,
        "source_lang": source_lang,
        "descriptions_lang": descriptions_lang,
    }
    draft = plan_site(
        manifest, lecture_name, {}, gif=gif, handout=handout, explore=explore, **extras
    )
    marks = [ChapterMark(c.title, c.start, c.end) for c in draft.lecture.chapters]

    conversions = []
    for entry in scenes:
        name, mp4 = entry.name, render_dir / entry.files["mp4"]
        _publish_mp4(mp4, media / f"{name}.mp4")
        if entry.poster:
            shutil.copyfile(render_dir / entry.poster, media / f"{name}.png")
        for still in entry.stills.values():
            (media / still).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(render_dir / still, media / still)
        for suffix in (".webm", ".gif") if gif else (".webm",):
            conversions.append(Conversion(entry, suffix, mp4, media / f"{name}{suffix}"))
    cache = MediaCache(render_dir / CACHE)
    cache.convert(conversions, progress, jobs or default_jobs())
    progress(f"export: {lecture_name}: MP4 and WebM with chapters, joined from the scenes ...")
    remux(render_dir / lecture.files["mp4"], media / f"{lecture_name}.mp4", chapters=marks)
    # The joined WebM depends on its scenes' WebMs (their keys are in the lecture's) and the
    # chapters; joining re-encodes the sound, which takes seconds, so it is kept too.
    chapter_rows = [[mark.title, mark.start, mark.end] for mark in marks]
    lecture_webm = cache.path(lecture, ".webm", extra={"chapters": chapter_rows})
    if lecture_webm is not None and lecture_webm.is_file():
        progress(f"export: {lecture_name}.webm: unchanged, reused")
    else:
        # The scene WebMs share every encoder setting, so joining their packets gives the
        # lecture without a second, slow VP9 encode; a packet copy then adds the chapters.
        joined = site_dir / f".{lecture_name}.joined.webm"
        concatenate([media / f"{entry.name}.webm" for entry in scenes], joined)
        with atomic_path(lecture_webm or media / f"{lecture_name}.webm") as temp:
            remux(joined, temp, chapters=marks)
        joined.unlink()
    if lecture_webm is not None:
        cache.keep_only(lecture_webm)
        shutil.copyfile(lecture_webm, media / f"{lecture_name}.webm")

    # Captions are sizes too (they are offered for download): write them before measuring.
    for path, text in render_pages(draft).items():
        if path.endswith(".vtt"):
            _write(site_dir / path, text)
    site = plan_site(
        manifest,
        lecture_name,
        _sizes(site_dir),
        gif=gif,
        handout=handout,
        explore=explore,
        **extras,
    )
    for path, text in render_pages(site).items():
        _write(site_dir / path, text)
    if site.handout:
        progress(f"export: {lecture_name}: handout.pdf ...")
        _print_handout(site_dir, render_dir / CACHE, progress)
    files = _sizes(site_dir)
    marker = {
        "generator": GENERATOR,
        "lecture": lecture_name,
        "quality": manifest.quality,
        "files": files,
    }
    _write(site_dir / MARKER, json.dumps(marker, indent=2) + "\n")
    return site, _sizes(site_dir)


def _print_handout(site_dir: Path, cache: Path, progress: Progress) -> None:
    """Print ``handout.html`` to ``handout.pdf``; reuse the last print of the same page and stills.

    The digest covers the page's text and every image it shows, so a reused PDF is the one
    Chromium would print now.
    """
    from .printing import print_pdf

    page = site_dir / "handout.html"
    digest = hashlib.sha256(page.read_bytes())
    for path in sorted((site_dir / MEDIA).rglob("*.png")):
        digest.update(path.relative_to(site_dir).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    cached = cache / f"handout.{digest.hexdigest()[:16]}.pdf"
    if cached.is_file():
        progress("export: handout.pdf: unchanged, reused")
    else:
        cache.mkdir(parents=True, exist_ok=True)
        print_pdf(page, cached)
        for old in cache.glob("handout.*.pdf"):
            if old != cached:
                old.unlink(missing_ok=True)
    shutil.copyfile(cached, site_dir / "handout.pdf")


def _publish_mp4(source: Path, target: Path) -> None:
    """Renders publish faststart MP4s; an older render's file is made so on the way."""
    from scenes.production.video import is_faststart, remux

    if is_faststart(source):
        shutil.copyfile(source, target)
    else:
        remux(source, target)


@dataclass(frozen=True)
class Conversion:
    entry: RenderedVideo  # the scene as the render manifest records it
    suffix: str  # ".webm" or ".gif"
    mp4: Path  # the rendered video
    target: Path  # where the site wants the file


class MediaCache:
    """Slow conversions of rendered scenes, kept beside the render and reused.

    A file's name carries a digest of its source's render key (which already covers the spec,
    the quality, the package's code and Manim's version) and of the encoder settings, so a file
    found under its name is the right one; it is written under a temporary name and renamed into
    place, so a file found is whole. A scene without a render key is never reused: its file is
    converted straight into the site.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        sweep_stale(folder)

    def path(self, entry: RenderedVideo, suffix: str, extra: dict | None = None) -> Path | None:
        """Where the file made from ``entry`` (and ``extra``, what else it depends on) is kept."""
        if not entry.key:
            return None
        settings = {"render": entry.key, "settings": conversion_settings(suffix), **(extra or {})}
        digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()
        return self.folder / f"{entry.name}.{digest[:16]}{suffix}"

    def convert(self, conversions: list[Conversion], progress: Progress, jobs: int) -> None:
        """Put every conversion's file at its target: reused, or converted (``jobs`` at once)."""
        todo = []
        for conversion in conversions:
            cached = self.path(conversion.entry, conversion.suffix)
            label = f"{conversion.entry.name}{conversion.suffix}"
            if cached is not None and cached.is_file():
                progress(f"export: {label}: unchanged, reused")
            else:
                progress(f"export: {label}: converting ...")
                todo.append((conversion.mp4, cached or conversion.target))
            if cached is not None:
                self.keep_only(cached)
        # In threads: the encoders release the GIL, and each stops at Ctrl-C (interrupt.check).
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            for future in [pool.submit(_convert, mp4, target) for mp4, target in todo]:
                future.result()
        for conversion in conversions:
            cached = self.path(conversion.entry, conversion.suffix)
            if cached is not None:
                shutil.copyfile(cached, conversion.target)

    def keep_only(self, kept: Path) -> None:
        """Older versions of the same file (another render key or other settings) go."""
        name = kept.name.split(".")[0]
        for path in self.folder.glob(f"{name}.*{kept.suffix}"):
            if path != kept:
                path.unlink(missing_ok=True)


def conversion_settings(suffix: str) -> dict:
    from scenes.production.video import GIF_OPTIONS, WEBM_OPTIONS
    from scenes.speech.mux import AUDIO_CODECS

    if suffix == ".webm":
        return {"vp9": WEBM_OPTIONS, "audio": AUDIO_CODECS["webm"]}
    return {"gif": GIF_OPTIONS}


def _convert(mp4: Path, target: Path) -> None:
    from scenes.production.video import GIF_OPTIONS, transcode, web_gif

    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(target) as temp:
        if target.suffix == ".webm":
            transcode(mp4, temp, "webm")
        else:
            web_gif(mp4, temp, **GIF_OPTIONS)


@contextlib.contextmanager
def _staged(out_dir: Path, *, handout: bool) -> Iterator[Path]:
    """A scratch folder whose ``site`` folder becomes the site at ``out_dir`` at the end.

    The target, the installed templates and (for the handout) the browser are checked first,
    before anything is rendered. A symbolic link at ``out_dir`` stays: the folder it points to
    is the one replaced. The scratch folder is beside that folder, on its file system, so the
    swap is one rename; a mount point (a USB stick, a container volume) cannot be renamed, so
    there the scratch folder is inside it and the swap moves the entries, never across devices.
    """
    check_target(out_dir)
    check_assets()
    if handout:
        from .printing import find_chromium

        find_chromium()
    # Renaming onto the link would put a real folder in its place and drop the user's link.
    target = out_dir.resolve() if out_dir.is_symlink() else out_dir
    if target.is_dir() and is_mount_point(target):
        sweep_stale(target)  # what a killed export left inside it
        staging = Path(tempfile.mkdtemp(prefix=f"{WORK_PREFIX}{os.getpid()}-export-", dir=target))
        try:
            yield staging
            replace_dir_contents(staging / "site", target, staging / "previous")
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-export-", dir=target.parent))
    try:
        yield staging
        replace_dir_atomic(staging / "site", target)
    finally:
        # After the swap this holds the previous site; on failure, the partial one.
        shutil.rmtree(staging, ignore_errors=True)


def default_render_dir(quality: str) -> Path:
    """Where ``export`` renders by default: beside ``render``'s ``renders/QUALITY``, not in it.

    The site's videos carry no burned-in captions, so they are other videos than ``render``'s
    (other render keys); in one folder each command would replace the other's files in turn.
    """
    return Path("renders") / "site" / quality


def without_burned_captions(lecture):
    """The lecture with every scene's ``captions.burn`` off: on the site the WebVTT tracks are
    the captions, which a viewer can switch off, and the transcript is beside the video.
    """
    from dataclasses import replace

    from scenes.spec.models import CaptionsSpec

    def unburned(spec):
        captions = (spec.captions or CaptionsSpec()).model_copy(update={"burn": False})
        return spec.model_copy(update={"captions": captions})

    scenes = [(path, unburned(spec)) for path, spec in lecture.scenes]
    return replace(lecture, scenes=scenes)


def _render(
    lecture,
    videos: Path,
    quality: str | None,
    progress: Progress,
    jobs: int | None,
    cluster: str | None,
) -> None:
    from scenes.production.run import render

    # render() yields each file as it lands; the export needs them all before it starts.
    for _ in render(
        [without_burned_captions(lecture)],
        quality=quality,
        out_dir=videos,
        formats=["mp4"],
        progress=progress,
        jobs=jobs,
        cluster=cluster,
    ):
        pass


def export_site(
    lecture,
    out_dir: Path,
    *,
    quality: str | None = None,
    gif: bool = False,
    handout: bool = True,
    progress: Progress = lambda _: None,
    jobs: int | None = 1,
    render_dir: Path | None = None,
    cluster: str | None = None,
) -> ExportResult:
    """Render ``lecture`` (a loaded ``scenes.spec.Lecture``) and export it to ``out_dir``.

    With ``render_dir`` the videos are rendered there, reusing what an earlier ``render`` or
    export left unchanged; without it they are rendered afresh in a temporary folder. With
    ``cluster`` (a Dask scheduler's address) the scenes render on its workers.
    """
    out_dir = Path(out_dir).absolute()
    with _staged(out_dir, handout=handout) as staging:
        videos = Path(render_dir) if render_dir is not None else staging / "render"
        options: dict[str, Any] = {
            "gif": gif,
            "handout": handout,
            "progress": progress,
            "jobs": jobs,
        }
        site, _ = _export_languages(lecture, videos, staging / "site", quality, cluster, **options)
        files = _sizes(staging / "site")
    # The folder name goes into a URL: a space, # or ? in it must not end the path there.
    prefix = f"{quote(out_dir.name)}/"
    return ExportResult(
        index=out_dir / "index.html",
        snippets=[iframe_snippet(video, prefix) for video in site.scenes],
        files=files,
        site=site,
    )


@dataclass(frozen=True)
class CourseExportResult:
    index: Path
    snippets: list[str]
    files: dict[str, int]  # path in the site -> size in bytes
    sites: list[Site]


def export_course(
    course,
    out_dir: Path,
    *,
    quality: str | None = None,
    gif: bool = False,
    handout: bool = True,
    progress: Progress = lambda _: None,
    jobs: int | None = 1,
    render_dir: Callable[[str], Path | None] = lambda _quality: None,
    cluster: str | None = None,
) -> CourseExportResult:
    """Render and export every lecture of ``course`` (a loaded ``scenes.spec.Course``).

    ``out_dir/<Lecture>/`` is each lecture's site, as :func:`export_site` makes it, and
    ``out_dir/index.html`` the course page linking them; the whole folder is swapped in at once.
    ``render_dir(quality)`` is where videos of that quality are rendered and reused from (None:
    afresh in a temporary folder). ``cluster``: as for :func:`export_site`.
    """
    out_dir = Path(out_dir).absolute()
    with _staged(out_dir, handout=handout) as staging:
        site_dir = staging / "site"
        sites = []
        for lecture in course.lectures:
            item_quality = quality or lecture.spec.render.quality
            videos = render_dir(item_quality) or staging / "render" / item_quality
            name = lecture.spec.lecture
            options: dict[str, Any] = {
                "gif": gif,
                "handout": handout,
                "progress": progress,
                "jobs": jobs,
            }
            site, _ = _export_languages(
                lecture,
                videos,
                site_dir / name,
                quality,
                cluster,
                languages=list(course.spec.languages or []),
                **options,
            )
            sites.append(site)
        title = course.spec.title or course.spec.course
        for path, text in render_course_pages(title, [(s.lecture.name, s) for s in sites]).items():
            _write(site_dir / path, text)
        marker = {
            "generator": GENERATOR,
            "course": course.spec.course,
            "lectures": [site.lecture.name for site in sites],
            "files": _sizes(site_dir),
        }
        _write(site_dir / MARKER, json.dumps(marker, indent=2) + "\n")
        files = _sizes(site_dir)
    return CourseExportResult(
        index=out_dir / "index.html",
        snippets=[
            iframe_snippet(video, f"{quote(out_dir.name)}/{quote(site.lecture.name)}/")
            for site in sites
            for video in site.scenes
        ],
        files=files,
        sites=sites,
    )


def language_prefix(here: str, there: str, source: str) -> str:
    """The path from the site of language ``here`` to the site of ``there``: the source
    language's site is the lecture's folder, every other language's its subfolder ``<code>/``.
    """
    if here == there:
        return ""
    up = "" if here == source else "../"
    return up if there == source else f"{up}{there}/"


def _spoken_language(lecture) -> str:  # noqa: ANN001
    """The language a one-language lecture's voice speaks (its pages' ``lang``), else English."""
    from scenes.languages import voice_language

    voice = lecture.spec.voice
    if voice is None:
        return SOURCE_LANGUAGE
    spoken = voice_language(
        voice.engine, getattr(voice, "voice", None), getattr(voice, "model", None)
    )
    return spoken or SOURCE_LANGUAGE


def _export_languages(
    lecture,
    videos: Path,
    site_dir: Path,
    quality: str | None,
    cluster: str | None,
    *,
    languages: list[str] | None = None,
    progress: Progress,
    jobs: int | None,
    **options,
) -> tuple[Site, dict[str, int]]:
    """Render and build the site of ``lecture`` in each of its ``languages`` (spec-v3 section
    16): the source language's in ``site_dir``, each other's in ``site_dir/<code>/``, every
    page with a switch to the same page in the others, every player with each language's
    captions. Returns the source language's site.
    """
    from scenes.compute.descriptions import DESCRIBERS
    from scenes.compute.translation import lecture_languages, translated_item

    codes = lecture_languages(lecture) or languages or []
    source = codes[0] if codes else _spoken_language(lecture)
    copies = [(lang, translated_item(lecture, lang)) for lang in codes[1:]]
    copies.append((source, lecture))  # last: its site.json lists the other languages' files
    for _, item in copies:
        _render(item, videos, quality, progress, jobs, cluster)
    built: tuple[Site, dict[str, int]] | None = None
    for lang, item in copies:
        switch = tuple(
            Language(code, language_prefix(lang, code, source), code == lang) for code in codes
        )
        # Descriptions in the page's language where a describer speaks it, else in English,
        # and the page says so (the track's srclang and the button).
        told = lang if lang in DESCRIBERS else SOURCE_LANGUAGE
        built = build_site(
            videos,
            item.spec.lecture,
            site_dir if lang == source else site_dir / lang,
            progress=progress,
            jobs=jobs,
            explore=_explore(item, progress),
            **_described(item, progress, told),
            lang=lang,
            languages=switch if len(codes) > 1 else (),
            source_lang=source,
            descriptions_lang=told,
            **options,
        )
    assert built is not None
    return built


def _explore(lecture, progress: Progress) -> tuple[ExplorePage, ...]:
    """The explorable pages of a lecture's loss scenes, from compute's numbers."""
    from .explore import explore_pages

    progress(f"export: {lecture.spec.lecture}: explorable pages ...")
    return explore_pages(lecture)


def _described(lecture, progress: Progress, lang: str = SOURCE_LANGUAGE) -> dict:
    """The descriptions track's text (in ``lang``) and the transcript's formulas, from
    compute's numbers.
    """
    from .transcript import lecture_extras

    progress(f"export: {lecture.spec.lecture}: described video and transcript ...")
    descriptions, formulas = lecture_extras(lecture, lang)
    return {"descriptions": descriptions, "formulas": formulas}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _sizes(folder: Path) -> dict[str, int]:
    return {
        path.relative_to(folder).as_posix(): path.stat().st_size
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
