"""Render-speed benchmark: prints the figures of issue 22 (spec-v3 section 17) as ratios.

    .venv/bin/python benchmarks/run.py                  # everything (a quarter of an hour or more)
    .venv/bin/python benchmarks/run.py --quality medium --no-lecture
    .venv/bin/python benchmarks/run.py --rounds 2       # tool and peer alternate twice
    .venv/bin/python benchmarks/run.py --before /path/to/older/checkout   # before/after table

From one run on this machine, each render into a fresh output folder:

- (a) the three loss scenes (``config/l2.yaml l1.yaml huber.yaml``) at each quality against the
  hand-written peer (``benchmarks/peer/lecture_peer.py``, one plain ``manim`` process), tool and
  peer alternating: wall seconds per second of video, tool / peer (target <= 0.5, stretch 0.3 at
  high). Glyph caches are warm for both (the peer's Manim caches its TeX too).
- (b) the narrated default lecture (``config/lecture.yaml``) at 1080p60 from empty caches (a
  fresh ``XDG_CACHE_HOME``: no glyphs, no speech, no JAX cache), wall / its length (target <= 0.35).
- (c) then ``delta`` of ``huber.yaml`` edited (1.0 -> 1.2) and the lecture rendered again into
  the same folder: scenes drawn again (target <= 2) and wall against (b) (target <= 0.4).

With ``--before DIR`` every tool render is made a second time by the ``scenes`` package of another
checkout (``PYTHONPATH=DIR``), alternating with this one, and each figure is printed for both.

Wall times on a shared machine are noisy: compare the ratios within one run, and the CPU seconds
(user + system, children included), which depend less on other load. The load average is printed.
"""

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MANIM = str(Path(PYTHON).with_name("manim"))
PEER = ROOT / "benchmarks" / "peer" / "lecture_peer.py"
PEER_SCENES = ["SquaredPeer", "AbsolutePeer", "HuberPeer"]
LOSS_SPECS = ["l2.yaml", "l1.yaml", "huber.yaml"]
LOSS_VIDEOS = ["SquaredLoss", "AbsoluteLoss", "HuberLoss"]
MANIM_FLAGS = {"low": "-ql", "medium": "-qm", "high": "-qh"}
PEER_FOLDERS = {"low": "480p15", "medium": "720p30", "high": "1080p60"}


def timed(
    command: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, children included) of one command."""
    wall, cpu, _ = timed_output(command, env, cwd)
    return wall, cpu


def timed_output(
    command: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT
) -> tuple[float, float, str]:
    """:func:`timed`, and the command's stderr."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})}
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, result.stderr


def render(
    specs: list[Path],
    quality: str,
    out: Path,
    *extra: str,
    env: dict[str, str] | None = None,
    checkout: Path | None = None,
) -> tuple[float, float, str]:
    """One ``loss-scenes render`` (of this checkout, or of ``checkout``'s ``scenes``)."""
    command = [PYTHON, "-m", "scenes", "render", *map(str, specs), "-q", quality, "-o", str(out)]
    env = dict(env or {})
    if checkout is not None:
        env["PYTHONPATH"] = str(checkout)
    return timed_output(command + list(extra), env=env, cwd=checkout or ROOT)


def duration(path: Path) -> float:
    sys.path.insert(0, str(ROOT))
    from scenes.production.video import probe

    return probe(path).duration


def drawn_scenes(progress: str) -> list[str]:
    """The scenes a render drew (its progress lines ``rendered NAME: ...``)."""
    return [
        line.split("rendered ", 1)[1].split(":", 1)[0]
        for line in progress.splitlines()
        if line.startswith("rendered ")
    ]


def load() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def _lecture(name: str, checkout: Path | None, work: Path, row: Any) -> None:
    """(b) and (c) for one tool: its own copy of the specs, empty caches, output folder."""
    config = work / f"config-{name}"
    shutil.copytree(ROOT / "config", config)
    caches = work / f"empty-cache-{name}"
    caches.mkdir()
    lecture = config / "lecture.yaml"
    out = work / f"lecture-{name}"
    env = {"XDG_CACHE_HOME": str(caches)}
    wall, cpu, progress = render([lecture], "high", out, env=env, checkout=checkout)
    video = duration(out / "LossFunctions.mp4")
    row(
        f"(b) {name}: narrated default lecture, 1080p60, empty caches",
        f"{wall:.1f} s for {video:.1f} s = **{wall / video:.2f}x** its length (target <= 0.35)",
        f"(CPU {cpu:.1f} s; {len(drawn_scenes(progress))} scenes drawn; load {load()})",
    )
    huber = config / "huber.yaml"
    before = huber.read_text()
    edited = before.replace("delta: 1.0", "delta: 1.2")
    # An edit that no longer matches the spec would time an unchanged re-render instead.
    if edited == before:
        sys.exit("benchmark: `delta: 1.0` not found in config/huber.yaml; update the edit")
    huber.write_text(edited)
    edit_wall, edit_cpu, progress = render([lecture], "high", out, env=env, checkout=checkout)
    drawn = drawn_scenes(progress)
    row(
        f"(c) {name}: huber delta 1.0 -> 1.2, lecture re-rendered, 1080p60",
        f"{len(drawn)} scenes drawn again ({', '.join(drawn) or 'none'}; target <= 2); "
        f"{edit_wall:.1f} s against {wall:.1f} s cold = **{edit_wall / wall:.2f}x** "
        "(target <= 0.4)",
        f"(CPU {edit_cpu:.1f} s; load {load()})",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", action="append", choices=list(MANIM_FLAGS))
    parser.add_argument("--rounds", type=int, default=1, help="tool/peer pairs per quality")
    parser.add_argument("--no-peer", action="store_true", help="skip the peer in (a)")
    parser.add_argument("--no-lecture", action="store_true", help="skip (b) and (c)")
    parser.add_argument(
        "--before", type=Path, help="another checkout whose tool runs too, alternating"
    )
    args = parser.parse_args()
    tools: list[tuple[str, Path | None]] = [("tool", None)]
    if args.before is not None:
        tools.append(("before", args.before.resolve()))
    qualities = args.quality or ["medium", "high"]
    rows: list[tuple[str, str, str]] = []
    started = time.perf_counter()

    def row(name: str, value: str, note: str = "") -> None:
        rows.append((name, value, note))
        print(f"  {name}: {value} {note}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="loss-scenes-bench-") as tmp:
        work = Path(tmp)
        config = work / "config"
        shutil.copytree(ROOT / "config", config)
        losses = [config / name for name in LOSS_SPECS]

        for quality in qualities:
            rates: dict[str, list[float]] = {name: [] for name, _ in tools}
            cpus: dict[str, list[float]] = {name: [] for name, _ in tools}
            rates["peer"], cpus["peer"] = [], []
            for round_ in range(args.rounds):
                for name, checkout in tools:
                    out = work / f"{name}-{quality}-{round_}"
                    wall, cpu, _ = render(losses, quality, out, checkout=checkout)
                    video = sum(duration(out / f"{video}.mp4") for video in LOSS_VIDEOS)
                    rates[name].append(wall / video)
                    cpus[name].append(cpu / video)
                    row(
                        f"(a) {name}, three loss scenes, {quality}, round {round_ + 1}",
                        f"{wall:.1f} s for {video:.1f} s of video = {wall / video:.2f}x real time",
                        f"(CPU {cpu:.1f} s; load {load()})",
                    )
                if args.no_peer:
                    continue
                media = work / f"peer-{quality}-{round_}"
                wall, cpu = timed(
                    [MANIM, MANIM_FLAGS[quality], "--media_dir", str(media), str(PEER)]
                    + PEER_SCENES,
                    cwd=work,
                )
                folder = media / "videos" / "lecture_peer" / PEER_FOLDERS[quality]
                video = sum(duration(folder / f"{name}.mp4") for name in PEER_SCENES)
                rates["peer"].append(wall / video)
                cpus["peer"].append(cpu / video)
                row(
                    f"(a) peer, hand-written Manim, {quality}, round {round_ + 1}",
                    f"{wall:.1f} s for {video:.1f} s of video = {wall / video:.2f}x real time",
                    f"(CPU {cpu:.1f} s; load {load()})",
                )
            for name, _ in tools:
                if not rates["peer"]:
                    break
                wall_ratio = sum(rates[name]) / sum(rates["peer"])
                cpu_ratio = sum(cpus[name]) / sum(cpus["peer"])
                row(
                    f"(a) {name} / peer per second of video, {quality}",
                    f"**{wall_ratio:.2f}** wall (target <= 0.5"
                    + (", stretch 0.3)" if quality == "high" else ")"),
                    f"(CPU per video second: {cpu_ratio:.2f})",
                )

        if not args.no_lecture:
            for name, checkout in tools:
                _lecture(name, checkout, work, row)

    print("| measurement | result | notes |")
    print("| --- | --- | --- |")
    for name, value, note in rows:
        print(f"| {name} | {value} | {note} |")
    print()
    print(
        f"{os.cpu_count()} cores; whole run {time.perf_counter() - started:.0f} s; "
        f"load average at the end: {load()}"
    )


if __name__ == "__main__":
    main()
