"""Render-speed benchmark: prints a Markdown table of (a)-(f) of issue 4.

    .venv/bin/python benchmarks/run.py                 # medium and high (several minutes)
    .venv/bin/python benchmarks/run.py --quality medium

Every figure is one run on this machine; wall times on a shared machine are noisy, so compare
the ratios within one run (and the CPU seconds, which depend less on other load). Each render is
cold (a fresh output folder); the TeX and text caches are warm for the tool and the peer alike.
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

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MANIM = str(Path(PYTHON).with_name("manim"))
PEER = ROOT / "benchmarks" / "peer" / "lecture_peer.py"
PEER_SCENES = ["SquaredPeer", "AbsolutePeer", "HuberPeer"]
MANIM_FLAGS = {"low": "-ql", "medium": "-qm", "high": "-qh"}
PEER_FOLDERS = {"low": "480p15", "medium": "720p30", "high": "1080p60"}


def timed(
    command: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, children included) of one command."""
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
    return wall, cpu


def render(spec: Path, quality: str, out: Path, *extra: str) -> tuple[float, float]:
    return timed(
        [PYTHON, "-m", "scenes", "render", str(spec), "-q", quality, "-o", str(out), "--quiet"]
        + list(extra)
    )


def duration(path: Path) -> float:
    sys.path.insert(0, str(ROOT))
    from scenes.production.video import probe

    return probe(path).duration


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", action="append", choices=list(MANIM_FLAGS))
    parser.add_argument("--no-peer", action="store_true", help="skip (f)")
    args = parser.parse_args()
    qualities = args.quality or ["medium", "high"]
    jobs = os.cpu_count() or 1
    rows: list[tuple[str, str, str]] = []

    def row(name: str, value: str, note: str = "") -> None:
        rows.append((name, value, note))
        print(f"  {name}: {value} {note}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="loss-scenes-bench-") as tmp:
        work = Path(tmp)
        config = work / "config"
        shutil.copytree(ROOT / "config", config)
        lecture = config / "lecture.yaml"
        cold: dict[str, tuple[float, float, float]] = {}
        for quality in qualities:
            out = work / f"cold-{quality}"
            wall, cpu = render(lecture, quality, out)
            video = duration(out / "LossFunctions.mp4")
            cold[quality] = (wall, cpu, video)
            row(
                f"(a) cold render, {quality}, -j {jobs}",
                f"{wall:.1f} s for {video:.1f} s of video = **{wall / video:.2f}x** real time",
                f"(CPU {cpu:.1f} s)",
            )

        quality = qualities[0]
        one = render(lecture, quality, work / "j1")
        two = render(lecture, quality, work / "j2", "-j", "2")
        row(
            f"(b) -j 1 against -j 2, {quality}",
            f"{one[0]:.1f} s against {two[0]:.1f} s = **{one[0] / two[0]:.2f}x** faster",
            f"(CPU {one[1]:.1f} s / {two[1]:.1f} s; cores busy on average "
            f"{one[1] / one[0]:.2f} / {two[1] / two[0]:.2f})",
        )

        out = work / f"cold-{quality}"
        huber = config / "huber.yaml"
        before = huber.read_text()
        edited = before.replace(
            'intro: "Huber\'s robust loss."', 'intro: "Huber\'s loss, up close."'
        )
        # An edit that no longer matches the spec would time an unchanged re-render instead.
        if edited == before:
            sys.exit("benchmark: the edit of config/huber.yaml matches nothing; update it")
        huber.write_text(edited)
        edit = render(lecture, quality, out)
        row(
            f"(c) re-render after editing 1 of 3 scenes, {quality}",
            f"{edit[0]:.1f} s against {cold[quality][0]:.1f} s cold = "
            f"**{edit[0] / cold[quality][0]:.2f}x**",
        )
        same = render(lecture, quality, out)
        row(f"(d) re-render, nothing changed, {quality}", f"**{same[0]:.2f} s**")

        probe_script = (
            "import time, json\n"
            "from scenes.spec import load_any\n"
            "t = time.perf_counter(); from scenes.compute.loss import compute_scene\n"
            "imported = time.perf_counter() - t\n"
            "out = {'import': imported}\n"
            "for name in ['l2', 'l1', 'huber']:\n"
            "    spec = load_any(f'config/{name}.yaml')\n"
            "    t = time.perf_counter(); compute_scene(spec); first = time.perf_counter() - t\n"
            "    t = time.perf_counter(); compute_scene(spec); warm = time.perf_counter() - t\n"
            "    out[name] = [first, warm]\n"
            "print(json.dumps(out))\n"
        )
        import json

        result = subprocess.run(
            [PYTHON, "-c", probe_script], cwd=ROOT, capture_output=True, text=True, check=True
        )
        computed = json.loads(result.stdout)
        for name in ("l2", "l1", "huber"):
            first, warm = computed[name]
            row(
                f"(e) compute {name}.yaml",
                f"first call {first:.2f} s (JIT), warm {warm * 1000:.1f} ms",
                f"(in order l2, l1, huber; JAX import {computed['import']:.2f} s before)",
            )
        wall, _ = timed([PYTHON, "-m", "scenes", "compute", "config/huber.yaml"])
        row("(e) `loss-scenes compute config/huber.yaml`, whole command", f"{wall:.2f} s")
        wall, _ = timed([PYTHON, "-m", "scenes", "check", "config/lecture.yaml"])
        row("start-up: `loss-scenes check config/lecture.yaml`, whole command", f"{wall:.2f} s")

        if not args.no_peer:
            for quality in qualities:
                media = work / f"peer-{quality}"
                wall, cpu = timed(
                    [MANIM, MANIM_FLAGS[quality], "--media_dir", str(media), str(PEER)]
                    + PEER_SCENES,
                    cwd=work,
                )
                folder = media / "videos" / "lecture_peer" / PEER_FOLDERS[quality]
                video = sum(duration(folder / f"{name}.mp4") for name in PEER_SCENES)
                peer_rate = wall / video
                ours = cold[quality][0] / cold[quality][2]
                size_peer = sum((folder / f"{n}.mp4").stat().st_size for n in PEER_SCENES)
                size_ours = sum(
                    (work / f"cold-{quality}" / f"{n}.mp4").stat().st_size
                    for n in ("SquaredLoss", "AbsoluteLoss", "HuberLoss")
                )
                row(
                    f"(f) hand-made Manim peer, {quality}",
                    f"{wall:.1f} s for {video:.1f} s of video = {peer_rate:.2f}x real time; "
                    f"tool/peer per second of video = **{ours / peer_rate:.2f}**",
                    f"(CPU {cpu:.1f} s; files {size_ours / 1e6:.2f} MB tool, "
                    f"{size_peer / 1e6:.2f} MB peer)",
                )

    print("| measurement | result | notes |")
    print("| --- | --- | --- |")
    for name, value, note in rows:
        print(f"| {name} | {value} | {note} |")
    print()
    print(f"{os.cpu_count()} cores; load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
