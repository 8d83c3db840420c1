"""Plan: a render's scenes cut into parts at beat boundaries, to spread over the cores.

A scene is cut at beat boundaries of its timeline into parts (a part replays the earlier beats
without drawing them: their Manim sections are skipped), the parts are rendered in separate
processes (:mod:`scenes.production.run`), and their videos, all encoded with identical settings,
are joined by copying packets (:mod:`scenes.production.publish`). Three scenes on two cores would
otherwise leave one core idle for a third of the time; cut in halves, six parts keep both busy.
Every beat ends on the frame the timeline says, so parts join exactly and the subtitles come from
the timeline, not from what each part happened to record.
"""

import math
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scenes.spec import Course, Lecture, Problem, SceneSpec, SpecError
from scenes.spec.loading import case_clash, name_key
from scenes.spec.yaml_loader import Pos, load_yaml_file

# Below this much work (in BEAT_COST units: about CPU seconds at 1080p60) a scene is not worth
# cutting: each part replays the scene's construction (texts, formulas) and costs a process
# hand-over.
MIN_PART_SECONDS = 1.0

# What one second of each beat costs to draw and encode, relative to the others: CPU seconds
# per second of video at 1080p60, measured beat by beat on config/huber.yaml and config/l2.yaml
# (`-j 1`, one process). A hold is one picture coded once and copied (0.05); the curves are drawn
# once and held while they are described (0.35); a descent redraws theta and its pulls at every
# frame (1.0); the intro pays for making the scene's texts and formulas (1.4). Parts are cut
# where the work, not the video, is halved: cut by seconds, the Huber scene's second half (data,
# descent, arrival) took twice as long as its first (curves).
BEAT_COST = {
    "intro": 1.4,
    "loss": 0.35,
    "density": 0.35,
    "derivative": 0.35,
    "data": 0.8,
    "estimate": 1.0,
    "arrival": 0.6,
    "hold": 0.05,
}
DEFAULT_BEAT_COST = 0.5


# What a second of video costs at each quality, relative to high (1080p60): the same scene
# (config/l2.yaml, -j 1, warm caches) took 4.0 s of work at low, 6.6 s at medium, 16.4 s at
# high. 4k has four times high's pixels at the same frame rate.
QUALITY_COST = {"low": 0.25, "medium": 0.4, "high": 1.0, "4k": 3.5}

# A pool of worker processes pays for itself only when each of its parts carries at least this
# much work (BEAT_COST units at the render's quality: about CPU seconds); below, the scenes are
# drawn in the render's own process, one after another. One process already keeps a second core
# busy part of the time (the encoder has its own thread), while a pool pays each worker's start
# (importing Manim again), each part's replay of its scene's construction, and two processes
# contending for two cores. Measured on this 2-core machine, one process against two: the three
# loss scenes at medium (6 parts of about 4.7 units) 24.2 and 24.9 s against 33.4 and 35.5 s
# (30.6 against 59.9 s of CPU); at high (6 parts of about 11.5) 53.7 and 54.5 s against 55.4
# and 55.9 s (75 against 101 s of CPU); the Huber scene alone at high after an edit (2 parts of
# about 12.5) 36.0 s against 29.9 s; the cold default lecture at high (5 parts of about 20)
# 107.2 s against 85.4 s. So small renders (previews, low and medium quality) stay in one
# process and the loss scenes at high keep their pool. ``-j N`` asks for N processes whatever
# this says.
MIN_PART_WORK = 10.0


def automatic_jobs(costs: list[list[float]], quality: str, cores: int | None = None) -> int:
    """How many processes to draw scenes with these beat costs (:func:`beat_costs`) at
    ``quality``: the cores when the parts they would be cut into carry enough work each
    (:data:`MIN_PART_WORK`), else one.
    """
    cores = cores or default_jobs()
    if cores <= 1 or not costs:
        return 1
    scale = QUALITY_COST.get(quality, 1.0)
    parts = plan_parts([[cost * scale for cost in scene] for scene in costs], cores)
    work = sum(part.seconds for part in parts)
    return cores if len(parts) > 1 and work / len(parts) >= MIN_PART_WORK else 1


def beat_costs(beats: Iterable[Any]) -> list[float]:
    """The drawing cost of each beat (``id`` and ``seconds``) of a timeline (:data:`BEAT_COST`)."""
    return [beat.seconds * BEAT_COST.get(beat.id, DEFAULT_BEAT_COST) for beat in beats]


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


def pieces_per_scene(scenes: int, jobs: int) -> int:
    """Into how many parts (at most) each of ``scenes`` scenes is cut for ``jobs`` processes:
    enough for about two parts per process, so that the last ones balance the load.
    """
    if jobs <= 1 or scenes == 0:
        return 1
    return min(jobs, math.ceil(2 * jobs / scenes))


def plan_parts(scene_durations: list[list[float]], jobs: int) -> list[Part]:
    """Parts for every scene, longest first (so the pool's greedy scheduling balances them).

    ``scene_durations`` are the beats' lengths, or better their costs (:func:`beat_costs`).
    """
    pieces = pieces_per_scene(len(scene_durations), jobs)
    parts = []
    for scene, durations in enumerate(scene_durations):
        for index, (first, last, seconds) in enumerate(split_scene(durations, pieces)):
            parts.append(Part(scene, index, first, last, seconds))
    return sorted(parts, key=lambda p: -p.seconds)


def videos_to_render(
    paths: list[str], loaded: list, quality: str | None, output: Path | None
) -> list[SceneSpec | Lecture]:
    """The scenes and lectures of ``loaded`` (``paths`` name their files), courses expanded.

    Raises :class:`SpecError` when two of them would write the same files.
    """
    pairs: list[tuple[str, SceneSpec | Lecture]] = []
    for path, item in zip(paths, loaded, strict=True):
        if isinstance(item, Course):  # a course is its lectures, each with its own file
            pairs += [(str(lecture.path), lecture) for lecture in item.lectures]
        else:
            pairs.append((path, item))
    clashes = output_name_clashes(
        [path for path, _ in pairs], [item for _, item in pairs], quality, output
    )
    if clashes:
        raise SpecError(clashes)
    return [item for _, item in pairs]


def output_name_clashes(
    paths: list[str], loaded: list, quality: str | None, output: Path | None
) -> list[Problem]:
    """Problems for videos of one command that would be written to the same file.

    Two specs naming the same scene (or a scene and a lecture sharing a name) would overwrite
    each other's output in one folder; each later one is reported at its name.
    """
    seen: dict[tuple[Path, str], tuple[str, str, object, str]] = {}
    problems: list[Problem] = []
    for path, item in zip(paths, loaded, strict=True):
        # (file, key, name, resolved spec, where the name stands in the owner's file)
        named: list[tuple[str, str, str, object, tuple]]
        if isinstance(item, Lecture):
            folder = output or Path("renders") / (quality or item.spec.render.quality)
            named = [(str(item.path), "lecture", item.spec.lecture, item.spec, ("lecture",))]
            named += [
                (str(scene_path), "scene", spec.scene, spec, ("scenes", index))
                for index, (scene_path, spec) in enumerate(item.scenes)
            ]
            owner = str(item.path)
        else:
            folder = output or Path("renders") / (quality or "high")
            named = [(path, "scene", item.scene, item, ("scene",))]
            owner = path
        for file, key, name, spec, where in named:
            earlier, earlier_name, earlier_spec, earlier_owner = seen.setdefault(
                (folder.resolve(), name_key(name)), (file, name, spec, owner)
            )
            if Path(earlier).resolve() == Path(file).resolve():
                # The same file given twice (alone and in a lecture) renders the same video,
                # unless the lectures make it another (their voices, their number lines).
                if earlier_spec == spec or owner == earlier_owner:
                    continue
                pos = _position(owner, where)
                problems.append(
                    Problem(
                        owner,
                        pos.line,
                        pos.column,
                        f"{key} {name!r} ({file}) is rendered differently here and in "
                        f"{earlier_owner} (another voice or number line); both would be written "
                        f"to {folder / earlier_name}.*: render them into different folders (-o) "
                        "or give the scene the same settings in both",
                    )
                )
                continue
            pos = _position(file, (key,))
            problems.append(
                Problem(
                    file,
                    pos.line,
                    pos.column,
                    f"{key}: {name!r} is also the name of a video from {earlier}"
                    f"{case_clash(name, earlier_name)}; both would be written to "
                    f"{folder / earlier_name}.*: give them different names",
                )
            )
    return problems


def _position(file: str, keys: tuple) -> Pos:
    """Where ``keys`` stand in ``file``; a spec made in Python (scenes.render_specs) has no file."""
    if not Path(file).is_file():
        return Pos(1, 1)
    try:
        return load_yaml_file(file).value_pos(keys)
    except (KeyError, IndexError, TypeError):
        return Pos(1, 1)
