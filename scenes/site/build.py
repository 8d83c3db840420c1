"""Export a lecture as a course-site folder: render, convert the media, write pages, swap in.

Everything is built in a temporary folder beside the target; only a finished site is swapped in
(atomically where the system allows), so a failed or interrupted export leaves the previous site
as it was.
"""

import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from scenes.files import folder_problem, replace_dir_atomic

from .model import MEDIA, Site, plan_site
from .pages import iframe_snippet, render_pages

MARKER = "site.json"
GENERATOR = "loss-scenes export"

Progress = Callable[[str], None]


class ExportError(Exception):
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
    if not any(out_dir.iterdir()):
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
    progress: Progress = lambda _: None,
) -> tuple[Site, dict[str, int]]:
    """Turn a render folder (videos plus ``manifest.json``) into a site in ``site_dir``."""
    from scenes.render.driver import MANIFEST
    from scenes.render.subtitles import parse_srt
    from scenes.render.video import concatenate, faststart, transcode, web_gif

    manifest = json.loads((render_dir / MANIFEST).read_text(encoding="utf-8"))
    videos = manifest["videos"]
    if lecture_name not in videos:
        raise ValueError(f"{render_dir / MANIFEST}: no video named {lecture_name!r}")
    lecture = videos[lecture_name]
    scenes = [videos[name] for name in lecture["parts"]]
    media = site_dir / MEDIA
    media.mkdir(parents=True, exist_ok=True)

    webms = []
    for entry in scenes:
        name = entry["name"]
        mp4 = render_dir / entry["files"]["mp4"]
        progress(f"export: {name}: MP4 (faststart), WebM (VP9){', GIF' if gif else ''} ...")
        faststart(mp4, media / f"{name}.mp4")
        transcode(mp4, media / f"{name}.webm", "webm")
        webms.append(media / f"{name}.webm")
        if entry.get("poster"):
            shutil.copyfile(render_dir / entry["poster"], media / f"{name}.png")
        if gif:
            web_gif(mp4, media / f"{name}.gif")
    progress(f"export: {lecture_name}: MP4 (faststart), WebM joined from the scenes ...")
    faststart(render_dir / lecture["files"]["mp4"], media / f"{lecture_name}.mp4")
    # The scene WebMs share every encoder setting, so joining their packets gives the lecture
    # without a second, slow VP9 encode.
    concatenate(webms, media / f"{lecture_name}.webm")

    cues = {
        entry["name"]: parse_srt((render_dir / entry["subtitles"]).read_text(encoding="utf-8"))
        for entry in (*scenes, lecture)
        if entry.get("subtitles")
    }
    # Captions are sizes too (they are offered for download): write them before measuring.
    draft = plan_site(manifest, lecture_name, cues, {}, gif=gif)
    for path, text in render_pages(draft).items():
        if path.endswith(".vtt"):
            _write(site_dir / path, text)
    site = plan_site(manifest, lecture_name, cues, _sizes(site_dir), gif=gif)
    for path, text in render_pages(site).items():
        _write(site_dir / path, text)
    files = _sizes(site_dir)
    marker = {
        "generator": GENERATOR,
        "lecture": lecture_name,
        "quality": manifest.get("quality"),
        "files": files,
    }
    _write(site_dir / MARKER, json.dumps(marker, indent=2) + "\n")
    return site, _sizes(site_dir)


def export_site(
    lecture,
    out_dir: Path,
    *,
    quality: str | None = None,
    gif: bool = False,
    progress: Progress = lambda _: None,
    jobs: int = 1,
    render_dir: Path | None = None,
) -> ExportResult:
    """Render ``lecture`` (a loaded ``scenes.spec.Lecture``) and export it to ``out_dir``.

    With ``render_dir`` the videos are rendered there, reusing what an earlier ``render`` or
    export left unchanged; without it they are rendered afresh in a temporary folder.
    """
    from scenes.render.driver import render

    out_dir = Path(out_dir).absolute()
    check_target(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-export-", dir=out_dir.parent))
    try:
        videos = Path(render_dir) if render_dir is not None else staging / "render"
        # render() yields each file as it lands; the export needs them all before it starts.
        for _ in render(
            [lecture],
            quality=quality,
            out_dir=videos,
            formats=["mp4"],
            progress=progress,
            jobs=jobs,
        ):
            pass
        site_dir = staging / "site"
        site, files = build_site(videos, lecture.spec.lecture, site_dir, gif=gif, progress=progress)
        replace_dir_atomic(site_dir, out_dir)
    finally:
        # After the swap this holds the previous site; on failure, the partial one.
        shutil.rmtree(staging, ignore_errors=True)
    # The folder name goes into a URL: a space, # or ? in it must not end the path there.
    prefix = f"{quote(out_dir.name)}/"
    return ExportResult(
        index=out_dir / "index.html",
        snippets=[iframe_snippet(video, prefix) for video in site.scenes],
        files=files,
        site=site,
    )


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _sizes(folder: Path) -> dict[str, int]:
    return {
        path.relative_to(folder).as_posix(): path.stat().st_size
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
