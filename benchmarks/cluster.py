"""Cluster benchmark: the default lecture on two one-core Dask workers against the local `-j 2`.

    .venv/bin/python benchmarks/cluster.py                       # low quality (a few minutes)
    .venv/bin/python benchmarks/cluster.py --quality low medium
    .venv/bin/python benchmarks/cluster.py --cost huber.yaml     # CPU s per s of video at high

A scheduler and two workers (``dask worker --nthreads 1 --nworkers 1``) are started on this
machine, so cluster and local render use the same two cores. Every render writes a fresh folder
(nothing reused); one untimed local render first fills the TeX, text and speech caches. Then, per
quality, local and cluster renders alternate (``--rounds`` each), and the overhead is the
cluster's wall time over the local one's, minus one. The first cluster render of a quality is on
workers that have not drawn anything yet (they import Manim during their first part, as the local
pool's processes do on every render); later ones on warm workers, as a department's long-running
workers are. Wall times on a shared machine are noisy: compare within one run.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run import PYTHON, ROOT, timed  # benchmarks/run.py: one way to time a command

LECTURE = ROOT / "config" / "lecture.yaml"


def render(spec: Path, quality: str, out: Path, *extra: str) -> tuple[float, float]:
    """Wall and CPU seconds of one render command (CPU: the command and its processes)."""
    command = [PYTHON, "-m", "scenes", "render", str(spec), "-q", quality, "-o", str(out)]
    # No cluster from the environment for the local renders.
    return timed([*command, "--quiet", *extra], env={"LOSS_SCENES_CLUSTER": ""})


class LocalWorkers:
    """A scheduler and ``workers`` one-thread workers on 127.0.0.1, stopped on exit."""

    def __init__(self, folder: Path, workers: int = 2) -> None:
        self.folder = folder
        self.workers = workers
        self.processes: list[subprocess.Popen] = []

    def __enter__(self) -> "LocalWorkers":
        scheduler_file = self.folder / "scheduler.json"
        self._start("scheduler", "--host", "127.0.0.1", "--port", "0")
        deadline = time.monotonic() + 60
        while not scheduler_file.exists():
            if time.monotonic() > deadline:
                sys.exit("the scheduler did not start")
            time.sleep(0.2)
        self.address = json.loads(scheduler_file.read_text())["address"]
        for _ in range(self.workers):
            self.add_worker()
        return self

    def add_worker(self) -> None:
        from distributed import Client

        self._start(
            "worker",
            "--scheduler-file",
            str(self.folder / "scheduler.json"),
            "--host",
            "127.0.0.1",
            "--nthreads",
            "1",
            "--nworkers",
            "1",
        )
        with Client(self.address, timeout=30) as client:
            client.wait_for_workers(len(self.processes) - 1, timeout=60)

    def _start(self, command: str, *options: str) -> None:
        # The scheduler writes its address (port chosen by the system) to the scheduler file.
        if command == "scheduler":
            options = (*options, "--scheduler-file", str(self.folder / "scheduler.json"))
        self.processes.append(
            subprocess.Popen(
                [PYTHON, "-m", "dask", command, "--no-dashboard", *options],
                cwd=self.folder,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        )

    def cpu_seconds(self) -> float:
        """CPU time used so far by the scheduler and the workers (the nannies' children too)."""
        import psutil

        total = 0.0
        for process in self.processes:
            family = psutil.Process(process.pid)
            for member in [family, *family.children(recursive=True)]:
                times = member.cpu_times()
                total += times.user + times.system
        return total

    def __exit__(self, *_exc: object) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def compare(qualities: list[str], rounds: int, folder: Path) -> None:
    render(LECTURE, qualities[0], folder / "warm-up", "-j", "2")
    print(
        "| quality | round | workers | local -j 2: wall s | cluster: wall s | wall overhead "
        "| local CPU s | cluster CPU s (client + scheduler + workers) | CPU overhead |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    with LocalWorkers(folder) as cluster:
        for quality in qualities:
            for round_ in range(1, rounds + 1):
                local, local_cpu = render(
                    LECTURE, quality, folder / f"local-{quality}-{round_}", "-j", "2"
                )
                before = cluster.cpu_seconds()
                wall, client_cpu = render(
                    LECTURE,
                    quality,
                    folder / f"cluster-{quality}-{round_}",
                    "--cluster",
                    cluster.address,
                )
                cpu = client_cpu + cluster.cpu_seconds() - before
                state = "fresh" if round_ == 1 and quality == qualities[0] else "warm"
                print(
                    f"| {quality} | {round_} | {state} | {local:.1f} | {wall:.1f} | "
                    f"{wall / local - 1:+.1%} | {local_cpu:.1f} | {cpu:.1f} | "
                    f"{cpu / local_cpu - 1:+.1%} |",
                    flush=True,
                )
    print(
        f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on "
        f"{os.cpu_count()} cores"
    )


def cost(scene: str, folder: Path) -> None:
    """CPU seconds per second of video of one scene at high quality (1080p60), one process."""
    sys.path.insert(0, str(ROOT))
    from scenes.production.video import probe

    spec = ROOT / "config" / scene
    out = folder / "cost"
    wall, cpu = render(spec, "high", out, "-j", "1")
    movie = next(out.glob("*.mp4"))
    seconds = probe(movie).duration
    size = movie.stat().st_size
    print(
        f"{scene} at high (1080p60), -j 1: {seconds:.1f} s of video, {wall:.1f} s wall, "
        f"{cpu:.1f} s CPU = {cpu / seconds:.2f} CPU s per s of video; "
        f"MP4 {size / 1e6:.2f} MB = {size / seconds / 1e3:.0f} kB per s of video"
    )
    # The same scene cut into four parts: each part replays the scene's construction.
    wall, cpu_parts = render(spec, "high", folder / "cost-parts", "-j", "4")
    print(
        f"{scene} at high in 4 parts (-j 4): {wall:.1f} s wall, {cpu_parts:.1f} s CPU = "
        f"{(cpu_parts - cpu) / 3:.1f} CPU s per extra part"
    )


def part_cost(scene: str, folder: Path) -> None:
    """CPU seconds of one more part on warm cluster workers: a scene at high quality in one part
    (one worker), then in two (two workers), each after an untimed low-quality render that
    warms the workers (Manim imported, glyphs cached).
    """
    spec = ROOT / "config" / scene
    with LocalWorkers(folder, workers=1) as cluster:
        figures = []
        for workers in (1, 2):
            if workers == 2:
                cluster.add_worker()
            render(spec, "low", folder / f"warm-{workers}", "--cluster", cluster.address)
            before = cluster.cpu_seconds()
            wall, client_cpu = render(
                spec, "high", folder / f"parts-{workers}", "--cluster", cluster.address
            )
            figures.append(client_cpu + cluster.cpu_seconds() - before)
            print(
                f"{scene} at high on {workers} warm worker(s), {workers} part(s): {wall:.1f} s "
                f"wall, {figures[-1]:.1f} s CPU (client + scheduler + workers)",
                flush=True,
            )
    print(f"one more part on warm workers: {figures[1] - figures[0]:+.1f} CPU s")


def estimate(cpu_per_second: float, part_cpu: float, client_seconds: float, lectures: int) -> None:
    """Hours for ``lectures`` lectures at 1080p60 on N one-core workers, from measured costs.

    A lecture is the default one (its scenes' real beat durations), or five times its scenes
    (about ten minutes). Its parts are planned as ``render --cluster`` plans them for N workers;
    a part costs ``cpu_per_second`` per second of video plus ``part_cpu`` for each part beyond a
    scene's first (the replay of the scene's construction), and the parts are handed out longest
    first to the first free worker. One ``render`` takes the lectures one after the other, each
    adding ``client_seconds`` on the client (preparing, joining, publishing).
    """
    import heapq
    import math

    sys.path.insert(0, str(ROOT))
    import scenes
    from scenes.compute.prepare import prepare_scene
    from scenes.production.plan import plan_parts

    lecture = scenes.load(LECTURE)
    beats = [[b.seconds for b in prepare_scene(spec).timeline.beats] for _, spec in lecture.scenes]
    print(
        "| workers | "
        + " | ".join(
            f"{lectures} x {sum(map(sum, beats)) * copies:.0f} s of video" for copies in (1, 5)
        )
        + " |"
    )
    print("| --- | --- | --- |")
    for workers in (1, 2, 4, 8, 16, 32, 64):
        cells = []
        for copies in (1, 5):
            parts = plan_parts(beats * copies, workers)
            costs = [p.seconds * cpu_per_second + (part_cpu if p.index > 0 else 0.0) for p in parts]
            free = [0.0] * workers  # when each worker is next free
            for cost_ in costs:  # plan_parts gives them longest first
                heapq.heappush(free, heapq.heappop(free) + cost_)
            lecture_seconds = max(free) + client_seconds
            total = lectures * lecture_seconds
            cells.append(
                f"{math.floor(total / 3600)} h {round(total % 3600 / 60):02d} min "
                f"({len(parts)} parts, {sum(costs) / 3600 * lectures:.1f} CPU h)"
            )
        print(f"| {workers} | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", nargs="+", default=["low"], choices=["low", "medium", "high"])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--cost", metavar="SCENE", help="a config/ scene to measure at high")
    parser.add_argument(
        "--part-cost", metavar="SCENE", help="a config/ scene: CPU of one more part on the cluster"
    )
    parser.add_argument(
        "--estimate",
        nargs=4,
        type=float,
        metavar=("CPU_PER_S", "PART_CPU", "CLIENT_S", "LECTURES"),
        help="print the on-paper table of docs/cluster.md from these measured costs",
    )
    parser.add_argument("--no-compare", action="store_true", help="only the cost figures")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="loss-scenes-cluster-bench-"))
    try:
        if not args.no_compare:
            compare(args.quality, args.rounds, folder)
        if args.cost:
            cost(args.cost, folder)
        if args.part_cost:
            part_cost(args.part_cost, folder)
        if args.estimate:
            cpu_per_second, part_cpu, client_seconds, lectures = args.estimate
            estimate(cpu_per_second, part_cpu, client_seconds, int(lectures))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
