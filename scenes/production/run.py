"""Run: render specs to files, the scenes' parts in a process pool or on a Dask cluster.

:func:`render` is the entry point (the command line, the Python API and the site export call
it): for each scene or lecture it reuses what is unchanged (:mod:`scenes.production.keys`),
prepares the rest (maths and speech, once per scene, here), plans their parts
(:mod:`scenes.production.plan`), has them drawn (:mod:`scenes.production.worker`, in this
process, a pool or :mod:`scenes.production.cluster`), publishes the files
(:mod:`scenes.production.publish`) and records them in the manifest.
"""

import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scenes.compute.prepare import PreparedScene, prepare_scene, print_warnings, voice_identity
from scenes.files import sweep_stale
from scenes.files import work_dir as scratch_dir
from scenes.numbers import significant
from scenes.options import FORMATS
from scenes.production import keys, manifest
from scenes.production.cluster import Cluster, ClusterPart, connect
from scenes.production.manifest import RenderedVideo
from scenes.production.plan import (
    Part,
    automatic_jobs,
    beat_costs,
    pieces_per_scene,
    plan_parts,
    split_scene,
)
from scenes.production.publish import publish_lecture, publish_scene, shared_line
from scenes.production.worker import PartResult, render_part, warm_up
from scenes.spec import SceneSpec, resolved_scene_dict
from scenes.spec.timeline import scene_timeline

Progress = Callable[[str], None]


def default_output_dir(quality: str) -> Path:
    return Path("renders") / quality


def say_on_stderr(message: str) -> None:
    """The default progress: one line on stderr (stdout is reserved for output paths)."""
    print(message, file=sys.stderr, flush=True)


def render(
    specs: list,
    *,
    quality: str | None,
    out_dir: Path | None,
    formats: list[str] | None,
    progress: Progress | None = say_on_stderr,
    jobs: int | None = 1,
    reuse: bool = True,
    cluster: str | None = None,
) -> Iterator[Path]:
    """Render scene specs and lectures; yield every file as soon as it is in place.

    ``specs`` holds loaded ``SceneSpec``s, ``Lecture``s and ``Course``s (each of its lectures).
    Command-line ``quality`` and ``formats`` override a lecture's ``render`` section. ``jobs``
    processes render a lecture's scenes (None: as many as the work is worth,
    :func:`scenes.production.plan.automatic_jobs`); with ``reuse``, unchanged scenes whose
    files are whole are not rendered again. With ``cluster`` (a Dask scheduler's address) the
    scenes' parts render on its workers instead of in local processes.
    """
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
    jobs: int | None,
    reuse: bool,
    workers: Cluster | None,
) -> Iterator[Path]:
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
                key = keys.lecture_key(
                    item.spec.lecture,
                    item.spec.title,
                    [video.key or "" for video in rendered],
                    item_quality,
                    item_formats,
                )
                recorded = manifest.read(target) if reuse else manifest.Manifest()
                reused = keys.reusable(recorded, target, item.spec.lecture, key)
                if reused is not None and all(video.key for video in rendered):
                    lecture = reused
                    say(f"{lecture.name}: unchanged, reused")
                else:
                    lecture = publish_lecture(
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
        yield manifest.write(target, rendered, quality=item_quality)


# --- the scenes of one item: reuse, schedule, publish ------------------------------------------


@dataclass
class _Waiting:
    """A scene to render, not prepared yet (maths, speech)."""

    spec: Any
    key: str
    estimate: list[float]
    """Its beats' costs on its timeline without speech."""


@dataclass
class _SceneJob:
    """A scene to render: prepared, keyed, and the parts drawn so far (of ``count``)."""

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
    jobs: int | None = 1,
    progress: Progress | None = None,
    reuse: bool = True,
    cluster: Cluster | None = None,
) -> list[RenderedVideo]:
    """Render (or reuse) every scene into ``out_dir``; return their ``RenderedVideo``s in order.

    With a ``cluster`` the parts render on its workers (as many at once as they have threads,
    whatever ``jobs`` says); the joining and publishing stay here.
    """
    say = progress or (lambda _message: None)
    recorded = manifest.read(out_dir) if reuse else manifest.Manifest()
    results: list[Any] = [None] * len(specs)
    todo: list[_SceneJob] = []
    waiting: list[_Waiting] = []
    for index, spec in enumerate(specs):
        # The key needs no maths and no speech: an unchanged scene is reused without either.
        key = keys.scene_key(resolved_scene_dict(spec), quality, formats, voice_identity(spec))
        reused = keys.reusable(recorded, out_dir, spec.scene, key)
        if reused is not None:
            results[index] = reused
            say(f"{spec.scene}: unchanged, reused {reused.files.get('mp4', '')}")
            continue
        earlier = recorded.videos.get(spec.scene)
        line = shared_line(spec)
        if earlier is not None and earlier.number_line is not None and line is not None:
            if tuple(earlier.number_line) != line:
                was = ", ".join(significant(value) for value in earlier.number_line)
                now = ", ".join(significant(value) for value in line)
                say(
                    f"{spec.scene}: the lecture's shared number line moved from [{was}] to "
                    f"[{now}] (a scene's data, start or band changed), so this scene is drawn again"
                )
        # What it will cost, from its beats without speech (no maths, no voice yet): enough to
        # choose between this process and a pool, and to start the pool's workers at once.
        waiting.append(_Waiting(spec, key, beat_costs(scene_timeline(spec).beats)))
    if not waiting:
        return results

    estimates = [scene.estimate for scene in waiting]
    if cluster is not None:
        jobs = cluster.threads
    elif jobs is None:
        jobs = automatic_jobs(estimates, quality)
    in_pool = cluster is None and jobs > 1 and len(plan_parts(estimates, jobs)) > 1
    started = time.perf_counter()
    finished: dict[int, Any] = {}

    def finish(job_index: int) -> None:
        job = todo[job_index]
        parts = [job.parts[i] for i in sorted(job.parts)]
        video = publish_scene(job.prepared, parts, job.key, out_dir, formats, work_dir)
        finished[job_index] = video
        work = sum(p.seconds for p in job.parts.values())
        say(
            f"rendered {job.spec.scene}: {video.duration:.1f} s of video "
            f"({job.count} part{'s' if job.count > 1 else ''}, {work:.1f} s of work; "
            f"{time.perf_counter() - started:.1f} s since start)"
        )

    if in_pool:
        # Each scene is prepared (maths, speech) while the workers draw the ones before it.
        _render_in_pool(waiting, todo, quality, work_dir, jobs, finish, say)
    else:
        _render_prepared_first(waiting, todo, quality, work_dir, jobs, cluster, finish, say)

    order = [specs.index(job.spec) for job in todo]
    for job_index, video in finished.items():
        results[order[job_index]] = video
    return results


def _render_prepared_first(
    waiting: list[_Waiting],
    todo: list[_SceneJob],
    quality: str,
    work_dir: Path,
    jobs: int,
    cluster: Cluster | None,
    finish: Callable[[int], None],
    say: Progress,
) -> None:
    """Prepare every scene, then draw their parts on the cluster or here, one after another."""
    for scene in waiting:
        say(f"preparing {scene.spec.scene} ...")
        prepared = prepare_scene(scene.spec)
        print_warnings(prepared)
        todo.append(_SceneJob(prepared, scene.key))
    plan = plan_parts([beat_costs(job.prepared.timeline.beats) for job in todo], jobs)
    for part in plan:
        todo[part.scene].count += 1
    if cluster is not None:
        _render_on_cluster(cluster, todo, plan, quality, work_dir, finish, say)
        return
    for job_index, job in enumerate(todo):
        say(f"rendering {job.spec.scene} ({quality}) ...")
        for part in (p for p in plan if p.scene == job_index):
            media = tempfile.mkdtemp(prefix=f"{job.spec.scene}-{part.index}-", dir=work_dir)
            job.parts[part.index] = render_part(job.prepared, quality, media, part.first, part.last)
        finish(job_index)


def _render_in_pool(
    waiting: list[_Waiting],
    todo: list[_SceneJob],
    quality: str,
    work_dir: Path,
    jobs: int,
    finish: Callable[[int], None],
    say: Progress,
) -> None:
    """Start the workers, then prepare each scene (its maths and speech) and hand its parts out
    at once, the scenes estimated longest first (so the pool's greedy order balances them).
    Nothing is published before every scene is prepared: a scene that its speech makes too
    long stops the render with nothing written.
    """
    import multiprocessing

    # spawn, not fork: the parent has JAX (and its threads) loaded, which fork does not survive.
    context = multiprocessing.get_context("spawn")
    pieces = pieces_per_scene(len(waiting), jobs)
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=warm_up)
    pending: dict[Future, Part] = {}
    try:
        for scene in sorted(waiting, key=lambda scene: -sum(scene.estimate)):
            say(f"preparing {scene.spec.scene} ...")
            prepared = prepare_scene(scene.spec)
            print_warnings(prepared)
            job = _SceneJob(prepared, scene.key)
            todo.append(job)
            runs = split_scene(beat_costs(prepared.timeline.beats), pieces)
            job.count = len(runs)
            for index, (first, last, cost) in enumerate(runs):
                part = Part(len(todo) - 1, index, first, last, cost)
                media = tempfile.mkdtemp(prefix=f"{job.spec.scene}-{index}-", dir=work_dir)
                future = pool.submit(render_part, prepared, quality, media, first, last)
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
    cluster: Cluster,
    todo: list[_SceneJob],
    plan: list[Part],
    quality: str,
    work_dir: Path,
    finish: Callable[[int], None],
    say: Progress,
) -> None:
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


def _collect(
    pending: dict[Future, Part],
    todo: list[_SceneJob],
    finish: Callable[[int], None],
    *,
    block: bool,
) -> None:
    done, _ = wait(list(pending), timeout=None if block else 0, return_when=FIRST_COMPLETED)
    for future in done:
        part = pending.pop(future)
        job = todo[part.scene]
        job.parts[part.index] = future.result()
        if len(job.parts) == job.count:
            finish(part.scene)
