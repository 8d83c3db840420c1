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
from dataclasses import dataclass

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
