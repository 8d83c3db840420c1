"""Render specs to files: scenes, lectures, extra formats, posters, subtitles, a manifest.

Manim writes into a private temporary folder inside the output folder; finished files are then
renamed into place one by one, so an interrupted render never leaves a partial file under a final
name and never destroys the previous output.
"""

import contextlib
import json
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from scenes.files import (
    cache_dir,
    locked,
    move_atomic,
    staged_cache,
    sweep_stale,
    write_text_atomic,
)
from scenes.files import work_dir as scratch_dir
from scenes.options import FORMATS, QUALITIES
from scenes.spec import SceneSpec

if TYPE_CHECKING:
    from scenes.production.cluster import Cluster

MANIFEST = "manifest.json"


def default_output_dir(quality: str) -> Path:
    return Path("renders") / quality


@dataclass
class RenderedVideo:
    """What one render wrote, as recorded in the output folder's manifest."""

    name: str
    kind: str  # "scene" or "lecture"
    files: dict[str, str] = field(default_factory=dict)  # format -> file name
    subtitles: str | None = None
    poster: str | None = None
    duration: float = 0.0
    width: int = 0
    height: int = 0
    fps: float = 0.0
    parts: list[str] = field(default_factory=list)
    part_durations: list[float] = field(default_factory=list)
    title: str | None = None
    key: str | None = None  # render key (scenes.production.incremental); None: never reused
    checksums: dict[str, str] = field(default_factory=dict)  # file name -> SHA-256
    beats: list[dict] = field(default_factory=list)
    """The timeline as played: id, start, end (seconds of this video), text, cues."""
    stills: dict[str, str] = field(default_factory=dict)
    """Beat id -> file name of the beat's last frame (PNG)."""

    def paths(self, out_dir: Path) -> list[Path]:
        """The files a render prints: videos, subtitles, last frame. The beats' stills (one per
        beat, in ``<Scene>.beats/``) are listed in the manifest instead of flooding stdout.
        """
        names = [*self.files.values(), self.subtitles, self.poster]
        return [out_dir / name for name in names if name]


Progress = Callable[[str], None]


def stage_formats(video: RenderedVideo, movie: Path, media: Path, formats: list[str]) -> dict:
    """The video in every asked format, converted from ``movie`` into ``media``: source -> name."""
    from scenes.production.video import transcode
    from scenes.speech.mux import add_audio, read_audio_track

    staged: dict[Path, str] = {}
    sound = read_audio_track(movie) if "webm" in formats else None
    for fmt in formats:
        target = movie if fmt == "mp4" else media / f"{video.name}.{fmt}"
        if fmt == "webm" and sound is not None:
            # VP9 picture from the MP4's frames, then its narration again, as Opus.
            silent = media / f"{video.name}.silent.webm"
            transcode(movie, silent, fmt)
            add_audio(silent, sound, target)
        elif fmt != "mp4":
            transcode(movie, target, fmt)
        staged[target] = f"{video.name}.{fmt}"
        video.files[fmt] = f"{video.name}.{fmt}"
    return staged


def publish(video: RenderedVideo, staged: dict[Path, str], out_dir: Path) -> RenderedVideo:
    """Record each staged file's checksum, then rename it into ``out_dir``."""
    from scenes.production.video import ensure_faststart

    for path in (path for path in staged if path.suffix == ".mp4"):
        ensure_faststart(path)  # usually already: a check of the top-level boxes
    video.checksums = {name: _sha256(path) for path, name in staged.items()}
    for source, name in staged.items():
        move_atomic(source, out_dir / name)
    return video


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextlib.contextmanager
def _manim_config(quality: str, media_dir: Path):
    from manim import config, tempconfig

    cache = cache_dir()
    settings = {
        "quality": QUALITIES[quality],
        "media_dir": str(media_dir),
        "tex_dir": str(cache / "Tex"),
        "text_dir": str(cache / "texts"),
        # Manim's play cache hashes mobjects' __dict__; ours are rebuilt from the spec each time,
        # and a hash collision would replay a stale video. The render is cheap enough without it.
        "disable_caching": True,
        "write_to_movie": True,
        "format": "mp4",
        "progress_bar": "none",
        # Our own progress lines speak for the render; Manim's warnings (a beat shorter than a
        # frame, say) are about choices the spec already made.
        "verbosity": "ERROR",
        "background_color": "#0f1117",
    }
    # Staged: a render killed mid-way must not leave a truncated glyph in the shared cache.
    with (
        staged_cache(cache / "Tex") as tex,
        staged_cache(cache / "texts") as texts,
    ):
        settings.update(tex_dir=str(tex), text_dir=str(texts))
        with tempconfig(settings):
            config.verbosity = "ERROR"
            # Manim logs to stdout; stdout is reserved for output paths.
            with contextlib.redirect_stdout(sys.stderr):
                yield


def render_scene_files(
    spec: SceneSpec, quality: str, out_dir: Path, formats: list[str], work_dir: Path
) -> RenderedVideo:
    """Render one scene spec into ``out_dir``: video(s), subtitles, last frame as PNG."""
    from scenes.production.pipeline import render_scenes

    return render_scenes([spec], quality, out_dir, formats, work_dir, jobs=1, reuse=False)[0]


def render_lecture_files(
    name: str,
    title: str | None,
    scenes: list[RenderedVideo],
    out_dir: Path,
    formats: list[str],
    work_dir: Path,
) -> RenderedVideo:
    """Join already rendered scene videos into the lecture video, with joined subtitles."""
    from scenes.production import subtitles
    from scenes.production.video import concatenate, probe

    media = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=work_dir))
    parts = [out_dir / s.files["mp4"] if "mp4" in s.files else None for s in scenes]
    if any(part is None for part in parts):
        raise ValueError("a lecture needs its scenes as mp4 to join them")
    movie = media / f"{name}.mp4"
    concatenate([p for p in parts if p is not None], movie)
    info = probe(movie)
    result = RenderedVideo(
        name=name,
        kind="lecture",
        duration=info.duration,
        width=info.width,
        height=info.height,
        fps=info.fps,
        title=title,
        parts=[s.name for s in scenes],
        part_durations=[s.duration for s in scenes],
    )
    staged = stage_formats(result, movie, media, formats)
    cues: list[subtitles.Cue] = []
    offset = 0.0
    for scene in scenes:
        # Each scene's beats as played, moved to where its frames land in the lecture.
        for beat in scene.beats:
            result.beats.append(
                {
                    **beat,
                    "scene": scene.name,
                    "start": beat["start"] + offset,
                    "end": beat["end"] + offset,
                    "cues": [[a + offset, b + offset, text] for a, b, text in beat["cues"]],
                }
            )
            cues += [subtitles.Cue(a + offset, b + offset, text) for a, b, text in beat["cues"]]
        offset += scene.duration
    srt = media / f"{name}.srt"
    srt.write_text(subtitles.format_srt(cues), encoding="utf-8")
    staged[srt] = f"{name}.srt"
    result.subtitles = f"{name}.srt"
    return publish(result, staged, out_dir)


def _sha256(path: Path) -> str:
    from scenes.production.incremental import file_sha256

    return file_sha256(path)


def _video_from_entry(entry: dict) -> RenderedVideo:
    from dataclasses import fields

    names = {f.name for f in fields(RenderedVideo)}
    return RenderedVideo(**{k: v for k, v in entry.items() if k in names})


def update_manifest(out_dir: Path, rendered: list[RenderedVideo], quality: str) -> Path:
    """Record what was rendered (merged with earlier renders into the same folder)."""
    path = out_dir / MANIFEST
    with locked(out_dir):  # another render into this folder may be merging its own entries
        manifest: dict = {}
        if path.exists():
            try:
                manifest = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                manifest = {}
        if not isinstance(manifest, dict) or not isinstance(manifest.get("videos"), dict):
            # Not ours or damaged: start afresh rather than fail a finished render.
            manifest = {"videos": {}}
        manifest["quality"] = quality
        for video in rendered:
            manifest["videos"][video.name] = asdict(video)
        write_text_atomic(path, json.dumps(manifest, indent=2) + "\n")
    return path


def render(
    specs: list,
    *,
    quality: str | None,
    out_dir: Path | None,
    formats: list[str] | None,
    progress: Progress | None = _stderr,
    jobs: int = 1,
    reuse: bool = True,
    cluster: str | None = None,
) -> Iterator[Path]:
    """Render scene specs and lectures; yield every file as soon as it is in place.

    ``specs`` holds loaded ``SceneSpec``s, ``Lecture``s and ``Course``s (each of its lectures).
    Command-line ``quality`` and ``formats`` override a lecture's ``render`` section. ``jobs``
    processes render a lecture's scenes; with ``reuse``, unchanged scenes whose files are whole
    are not rendered again. With ``cluster`` (a Dask scheduler's address) the scenes' parts
    render on its workers instead of in local processes.
    """
    from scenes.production.cluster import connect

    say = progress or (lambda _message: None)
    # Connected (and every worker's version checked) before the first scene is prepared.
    with connect(cluster) as workers:
        yield from _render_items(specs, quality, out_dir, formats, say, jobs, reuse, workers)


def _render_items(
    specs: list,
    quality: str | None,
    out_dir: Path | None,
    formats: list[str] | None,
    say: Progress,
    jobs: int,
    reuse: bool,
    workers: "Cluster | None",
) -> Iterator[Path]:
    from scenes.production import incremental
    from scenes.production.pipeline import render_scenes
    from scenes.spec import Lecture, expand_courses

    for item in expand_courses(specs):
        if isinstance(item, Lecture):
            item_quality = quality or item.spec.render.quality
            asked = formats or list(item.spec.render.formats)
            scene_specs = [spec for _, spec in item.scenes]
        else:
            item_quality = quality or "high"
            asked = formats or ["mp4"]
            scene_specs = [item]
        # MP4 is always written (the other formats are made from it, and a lecture is joined
        # from its scenes' MP4s); webm and gif come in addition.
        item_formats = scene_formats = sorted(set(asked) | {"mp4"}, key=FORMATS.index)
        target = out_dir or default_output_dir(item_quality)
        target.mkdir(parents=True, exist_ok=True)
        rendered: list[RenderedVideo] = []
        sweep_stale(target)
        with scratch_dir(target) as work:
            rendered = render_scenes(
                scene_specs,
                item_quality,
                target,
                scene_formats,
                Path(work),
                jobs=jobs,
                progress=say,
                reuse=reuse,
                cluster=workers,
            )
            for video in rendered:
                yield from video.paths(target)
            if isinstance(item, Lecture):
                started = time.perf_counter()
                key = incremental.lecture_key(
                    item.spec.lecture,
                    item.spec.title,
                    [video.key or "" for video in rendered],
                    item_quality,
                    item_formats,
                )
                manifest = incremental.read_manifest(target) if reuse else {}
                entry = incremental.reusable_entry(manifest, target, item.spec.lecture, key)
                if entry is not None and all(video.key for video in rendered):
                    lecture = _video_from_entry(entry)
                    say(f"{lecture.name}: unchanged, reused")
                else:
                    lecture = render_lecture_files(
                        item.spec.lecture,
                        item.spec.title,
                        rendered,
                        target,
                        item_formats,
                        Path(work),
                    )
                    lecture.key = key
                    say(
                        f"joined {lecture.name}: {lecture.duration:.1f} s of video in "
                        f"{time.perf_counter() - started:.1f} s"
                    )
                rendered.append(lecture)
                yield from lecture.paths(target)
        yield update_manifest(target, rendered, item_quality)
