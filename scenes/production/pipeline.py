"""Rendering a lecture's scenes: reuse what is unchanged, render the rest in parallel parts.

A scene is cut at beat boundaries of its timeline into parts (a part replays the earlier beats
without drawing them: their Manim sections are skipped), the parts are rendered in separate
processes, and their videos, all encoded with identical settings, are joined by copying packets.
Three scenes on two cores would otherwise leave one core idle for a third of the time; cut in
halves, six parts keep both busy. Every beat ends on the frame the timeline says, so parts join
exactly and the subtitles come from the timeline, not from what each part happened to record.

The maths (JAX) and the speech run once per scene in the parent while the workers import Manim;
the workers get the prepared scene (arrays and timeline).
"""

import math
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scenes.compute.prepare import (
    PreparedScene,
    narration_track,
    prepare_scene,
    print_warnings,
    voice_identity,
)
from scenes.production import incremental
from scenes.spec import SceneSpec, resolved_scene_dict
from scenes.spec.timeline import Timeline

if TYPE_CHECKING:
    from scenes.production.cluster import Cluster

Progress = Callable[[str], None]

# Below this many seconds of video a scene is not worth cutting: each part replays the scene's
# construction (texts, formulas) and costs a process hand-over.
MIN_PART_SECONDS = 1.0


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Part:
    """Beats ``first`` to ``last`` (inclusive; ``last`` -1: to the end) of one scene."""

    scene: int
    index: int
    first: int
    last: int
    seconds: float


def split_scene(durations: list[float], parts: int) -> list[tuple[int, int, float]]:
    """Cut a scene's beats (their durations, in order) into at most ``parts`` runs of similar
    total duration; the last run is open-ended.
    """
    total = sum(durations)
    parts = max(1, min(parts, len(durations), int(total // MIN_PART_SECONDS) or 1))
    cuts: list[int] = []
    elapsed = 0.0
    for index, duration in enumerate(durations[:-1]):
        elapsed += duration
        wanted = total * (len(cuts) + 1) / parts
        next_elapsed = elapsed + durations[index + 1]
        # Cut after this animation if that lands nearer the wanted boundary than cutting later.
        if len(cuts) < parts - 1 and abs(elapsed - wanted) <= abs(next_elapsed - wanted):
            cuts.append(index + 1)
    runs = []
    starts = [0, *cuts]
    ends = [*(c - 1 for c in cuts), -1]
    for first, last in zip(starts, ends, strict=True):
        seconds = sum(durations[first : (last + 1 if last >= 0 else None)])
        runs.append((first, last, seconds))
    return runs


def plan_parts(scene_durations: list[list[float]], jobs: int) -> list[Part]:
    """Parts for every scene, longest first (so the pool's greedy scheduling balances them)."""
    if jobs <= 1 or not scene_durations:
        pieces = 1
    else:
        pieces = min(jobs, math.ceil(2 * jobs / len(scene_durations)))
    parts = []
    for scene, durations in enumerate(scene_durations):
        for index, (first, last, seconds) in enumerate(split_scene(durations, pieces)):
            parts.append(Part(scene, index, first, last, seconds))
    return sorted(parts, key=lambda p: -p.seconds)


# --- work done in a worker (or in this process with -j 1) -----------------------------------------


@dataclass
class PartResult:
    movie: str
    poster: str | None
    seconds: float  # wall time spent rendering
    frames: int
    fps: float
    stills: dict[str, str] = field(default_factory=dict)
    """Beat id -> PNG of the beat's last frame, for the beats this part drew."""


def _die_with_parent() -> None:
    """On Linux, have the kernel kill this worker when the render that started it dies.

    A render killed outright (SIGKILL, the OOM killer) cannot stop its pool; its workers would
    live on, idle, holding the render's stdout and stderr open, so whoever waits for the
    render's output would wait forever.
    """
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):
        return  # not Linux: the workers end when their call queue closes, as before
    if os.getppid() == 1:  # the parent died before the call took effect
        os._exit(1)


def _warm_up() -> None:
    """Pool initializer: pay Manim's import once per worker, while the parent computes.

    Ctrl-C reaches every process of the terminal's group; only the parent answers it (it stops
    the workers and says so in one line), so a worker ignores it instead of printing a traceback.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    import scenes.production.encoding  # noqa: F401
    import scenes.scene.scene_classes  # noqa: F401


def render_part(prepared: Any, quality: str, media_dir: str, first: int, last: int) -> PartResult:
    """Render beats ``first``..``last`` (-1: to the end) of a prepared scene into ``media_dir``.

    Manim runs ``dvisvgm`` without looking at its exit status and then parses whatever SVG is
    there; under heavy parallel load a conversion now and then leaves an empty file, and the
    part fails with "no element found". Such a file is never published to the shared cache
    (:func:`scenes.files.staged_cache`), so one more try, in a fresh staging folder, makes it
    again; a second failure is reported as it is.
    """
    from xml.etree.ElementTree import ParseError

    try:
        return _render_part(prepared, quality, media_dir, first, last)
    except ParseError as error:
        print(
            f"warning: a glyph file was unreadable ({error}); drawing the part again",
            file=sys.stderr,
            flush=True,
        )
        shutil.rmtree(media_dir, ignore_errors=True)
        Path(media_dir).mkdir(parents=True, exist_ok=True)
        return _render_part(prepared, quality, media_dir, first, last)


def _render_part(prepared: Any, quality: str, media_dir: str, first: int, last: int) -> PartResult:
    from manim import config

    from scenes.production.driver import _manim_config
    from scenes.production.encoding import ENCODER_OPTIONS, fast_renderer
    from scenes.production.video import probe
    from scenes.scene.scene_classes import spec_scene_class

    started = time.perf_counter()
    media = Path(media_dir)
    beats = (first, len(prepared.timeline.beats) - 1 if last < 0 else last)
    with _manim_config(quality, media):
        config.video_encoder_options = dict(ENCODER_OPTIONS)
        stills = media / "stills"
        scene_class = spec_scene_class(prepared.spec, prepared, beats=beats, stills=stills)
        scene = scene_class(renderer=fast_renderer())
        scene.render()
        movie = Path(scene.renderer.file_writer.movie_file_path)
        poster = None
        if last < 0:
            # The last full picture (the last beat's still, taken before the scene fades out).
            poster = media / "last.png"
            shutil.copyfile(stills / f"{prepared.timeline.beats[-1].id}.png", poster)
        fps = float(config.frame_rate)
        frames = probe(movie).frames
    return PartResult(
        movie=str(movie),
        poster=str(poster) if poster else None,
        seconds=time.perf_counter() - started,
        frames=frames,
        fps=fps,
        stills={path.stem: str(path) for path in sorted(stills.glob("*.png"))},
    )


# --- the parent: reuse, schedule, join ------------------------------------------------------------


@dataclass
class _SceneJob:
    prepared: PreparedScene
    key: str
    parts: dict[int, PartResult] = field(default_factory=dict)
    count: int = 0

    @property
    def spec(self) -> Any:
        return self.prepared.spec


def render_scenes(
    specs: list[SceneSpec],
    quality: str,
    out_dir: Path,
    formats: list[str],
    work_dir: Path,
    *,
    jobs: int = 1,
    progress: Progress | None = None,
    reuse: bool = True,
    cluster: "Cluster | None" = None,
) -> list:
    """Render (or reuse) every scene into ``out_dir``; return their ``RenderedVideo``s in order.

    With a ``cluster`` the parts render on its workers (as many at once as they have threads,
    whatever ``jobs`` says); the joining and publishing stay here.
    """
    say = progress or (lambda _message: None)
    manifest = incremental.read_manifest(out_dir) if reuse else {}
    results: list[Any] = [None] * len(specs)
    todo: list[_SceneJob] = []
    for index, spec in enumerate(specs):
        # The key needs no maths and no speech: an unchanged scene is reused without either.
        key = incremental.scene_key(
            resolved_scene_dict(spec), quality, formats, voice_identity(spec)
        )
        entry = incremental.reusable_entry(manifest, out_dir, spec.scene, key)
        if entry is not None:
            from scenes.production.driver import _video_from_entry

            results[index] = _video_from_entry(entry)
            say(f"{spec.scene}: unchanged, reused {entry['files'].get('mp4', '')}")
            continue
        say(f"preparing {spec.scene} ...")
        prepared = prepare_scene(spec)
        print_warnings(prepared)
        todo.append(_SceneJob(prepared, key))
    if not todo:
        return results

    order = [specs.index(job.spec) for job in todo]
    if cluster is not None:
        jobs = cluster.threads
    plan = plan_parts([[b.seconds for b in job.prepared.timeline.beats] for job in todo], jobs)
    for part in plan:
        todo[part.scene].count += 1
    started = time.perf_counter()
    finished: dict[int, Any] = {}

    def finish(job_index: int) -> None:
        job = todo[job_index]
        video = _finish_scene(job, quality, out_dir, formats, work_dir)
        finished[job_index] = video
        work = sum(p.seconds for p in job.parts.values())
        say(
            f"rendered {job.spec.scene}: {video.duration:.1f} s of video "
            f"({job.count} part{'s' if job.count > 1 else ''}, {work:.1f} s of work; "
            f"{time.perf_counter() - started:.1f} s since start)"
        )

    if cluster is not None:
        _render_on_cluster(cluster, todo, plan, quality, work_dir, finish, say)
    elif jobs <= 1 or len(plan) == 1:
        for job_index, job in enumerate(todo):
            say(f"rendering {job.spec.scene} ({quality}) ...")
            for part in (p for p in plan if p.scene == job_index):
                media = tempfile.mkdtemp(prefix=f"{job.spec.scene}-{part.index}-", dir=work_dir)
                job.parts[part.index] = render_part(
                    job.prepared, quality, media, part.first, part.last
                )
            finish(job_index)
    else:
        _render_in_pool(todo, plan, quality, work_dir, jobs, finish, say)

    for job_index, video in finished.items():
        results[order[job_index]] = video
    return results


def _render_in_pool(
    todo: list[_SceneJob],
    plan: list[Part],
    quality: str,
    work_dir: Path,
    jobs: int,
    finish: Callable[[int], None],
    say: Progress,
) -> None:
    import multiprocessing

    # spawn, not fork: the parent has JAX (and its threads) loaded, which fork does not survive.
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=min(jobs, len(plan)), mp_context=context, initializer=_warm_up
    )
    pending: dict[Future, Part] = {}
    try:
        # Parts are handed out longest first.
        for part in plan:
            job = todo[part.scene]
            media = tempfile.mkdtemp(prefix=f"{job.spec.scene}-{part.index}-", dir=work_dir)
            future = pool.submit(render_part, job.prepared, quality, media, part.first, part.last)
            pending[future] = part
        say(f"rendering {len(todo)} scene{'s' if len(todo) > 1 else ''} ({quality}) ...")
        while pending:
            _collect(pending, todo, finish, block=True)
    except BaseException:
        # Interrupted or failed: stop the workers now rather than wait for their parts.
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _render_on_cluster(
    cluster: "Cluster",
    todo: list[_SceneJob],
    plan: list[Part],
    quality: str,
    work_dir: Path,
    finish: Callable[[int], None],
    say: Progress,
) -> None:
    from scenes.production.cluster import ClusterPart

    parts = [
        ClusterPart(
            label=f"{todo[part.scene].spec.scene} {part.index + 1}/{todo[part.scene].count}",
            prepared=todo[part.scene].prepared,
            first=part.first,
            last=part.last,
        )
        for part in plan
    ]

    def media_dir(index: int) -> Path:
        part = plan[index]
        prefix = f"{todo[part.scene].spec.scene}-{part.index}-"
        return Path(tempfile.mkdtemp(prefix=prefix, dir=work_dir))

    def done(index: int, result: PartResult) -> None:
        part = plan[index]
        job = todo[part.scene]
        job.parts[part.index] = result
        if len(job.parts) == job.count:
            finish(part.scene)

    cluster.render(parts, quality, media_dir, done, say)


def _collect(pending: dict[Future, Part], todo, finish, *, block: bool) -> None:
    done, _ = wait(list(pending), timeout=None if block else 0, return_when=FIRST_COMPLETED)
    for future in done:
        part = pending.pop(future)
        job = todo[part.scene]
        job.parts[part.index] = future.result()
        if len(job.parts) == job.count:
            finish(part.scene)


def _finish_scene(job: _SceneJob, quality: str, out_dir: Path, formats: list[str], work_dir: Path):
    """Join a scene's parts and move its files into ``out_dir``; record key and checksums."""
    from scenes.production import subtitles
    from scenes.production.driver import RenderedVideo, publish, stage_formats
    from scenes.production.video import concatenate, probe

    spec = job.spec
    ordered = [job.parts[i] for i in sorted(job.parts)]
    last = ordered[-1]
    media = Path(tempfile.mkdtemp(prefix=f"{spec.scene}-", dir=work_dir))
    if len(ordered) == 1:
        movie = Path(last.movie)
    else:
        movie = media / f"{spec.scene}.mp4"
        concatenate([Path(p.movie) for p in ordered], movie)
    if job.prepared.speech:
        # The parts were drawn silent; the narration is laid on the joined scene in one piece.
        from scenes.speech.mux import add_audio

        narrated = media / f"{spec.scene}.narrated.mp4"
        add_audio(movie, narration_track(job.prepared, probe(movie).frames / last.fps), narrated)
        movie = narrated
    info = probe(movie)
    video = RenderedVideo(
        name=spec.scene,
        kind="scene",
        duration=info.duration,
        width=info.width,
        height=info.height,
        fps=info.fps,
        title=spec.title,
    )
    timeline = job.prepared.timeline
    video.beats = beat_rows(timeline, last.fps)
    staged = stage_formats(video, movie, media, formats)
    cues = [subtitles.Cue(c.start, c.end, c.text) for c in timeline.cues]
    if cues:
        srt = media / f"{spec.scene}.srt"
        srt.write_text(subtitles.format_srt(cues), encoding="utf-8")
        staged[srt] = f"{spec.scene}.srt"
        video.subtitles = f"{spec.scene}.srt"
    if last.poster:
        staged[Path(last.poster)] = f"{spec.scene}.png"
        video.poster = f"{spec.scene}.png"
    for part in ordered:
        for beat_id, still in part.stills.items():
            name = f"{spec.scene}.beats/{beat_id}.png"
            staged[Path(still)] = name
            video.stills[beat_id] = name
    video.key = job.key
    return publish(video, staged, out_dir)


def beat_rows(timeline: Timeline, fps: float) -> list[dict[str, Any]]:
    """The beats as the manifest records them, in seconds of the video: each beat ends on the
    frame the builder ended it on (``round(end * fps)``).
    """
    return [
        {
            "id": beat.id,
            "start": round(beat.start * fps) / fps,
            "end": round(beat.end * fps) / fps,
            "text": beat.text,
            "cues": [[cue.start, cue.end, cue.text] for cue in beat.cues],
        }
        for beat in timeline.beats
    ]
