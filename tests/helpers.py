"""Shared helpers for tests: running the CLI in a subprocess, short-timing specs."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "config"

FAST_TIMING = (
    "timing: {intro: 0.2, curve: 0.2, data: 0.2, estimate: 0.6, arrival: 0.2, hold: 0.2}\n"
)
SHORT_NARRATION = 'narration: {hold: "Done."}\n'
"""Without it the hold beat says the computed result, which takes seconds to read."""


def run_cli(
    *args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 300
) -> subprocess.CompletedProcess:
    """Run ``python -m scenes ARGS`` and capture its output."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "scenes", *args],
        cwd=cwd or ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _drop_block(text: str, key: str) -> str:
    out: list[str] = []
    skipping = False
    for line in text.splitlines(keepends=True):
        if line.startswith(f"{key}:"):
            skipping = True
            continue
        if skipping and line.startswith((" ", "\t")):
            continue
        skipping = False
        out.append(line)
    return "".join(out)


def fast_copy(spec: Path, folder: Path, *, narration: bool = False, **replacements: str) -> Path:
    """Copy a config spec into ``folder`` with short timings (and optional text replacements).

    Beats last as long as their narration takes to read, so the narration is replaced by one
    short line unless ``narration`` keeps it; the voice goes too.
    """
    text = spec.read_text()
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    text = _drop_block(_drop_block(text, "timing"), "voice")
    if not narration:
        text = _drop_block(text, "narration").rstrip("\n") + "\n" + SHORT_NARRATION
    target = folder / spec.name
    target.write_text(text.rstrip("\n") + "\n" + FAST_TIMING)
    return target


class DaskCluster:
    """A scheduler and worker processes on 127.0.0.1 started with the ``dask`` command (of
    ``python``'s environment), killed by :meth:`close`. Ports are the system's choice; the
    scheduler file tells the address.
    """

    def __init__(self, folder: Path, python: str = sys.executable, env: dict | None = None):
        self.folder = folder
        self.python = python
        self.env = env
        self.scheduler_file = folder / "scheduler.json"
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, IO[str]] = {}
        self._start("scheduler", "scheduler", "--host", "127.0.0.1", "--port", "0")
        deadline = time.monotonic() + 60
        while not self.scheduler_file.exists():
            assert time.monotonic() < deadline, (folder / "scheduler.log").read_text()
            time.sleep(0.2)
        self.address = json.loads(self.scheduler_file.read_text())["address"]

    def _start(self, name: str, *args: str) -> None:
        self.logs[name] = log = open(self.folder / f"{name}.log", "w")  # noqa: SIM115
        dask = [self.python, "-m", "dask", *args, "--no-dashboard"]
        if args[0] == "scheduler":
            dask += ["--scheduler-file", str(self.scheduler_file)]
        self.processes[name] = subprocess.Popen(
            dask,
            cwd=self.folder,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # the worker a nanny starts goes with it
        )

    def add_worker(self, name: str, *options: str) -> None:
        # One single-threaded worker process each: two of them are the two cores of `-j 2`.
        self._start(
            name,
            "worker",
            "--scheduler-file",
            str(self.scheduler_file),
            "--host",
            "127.0.0.1",
            "--nthreads",
            "1",
            "--nworkers",
            "1",
            "--name",
            name,
            *options,
        )

    def wait_for_workers(self, count: int) -> dict[str, str]:
        """Worker name -> address, once ``count`` workers have joined."""
        from distributed import Client

        with Client(self.address, timeout=30) as client:
            client.wait_for_workers(count, timeout=60)
            names = client.run(lambda dask_worker: dask_worker.name)
            return {name: address for address, name in names.items()}

    def kill(self, name: str) -> None:
        process = self.processes.pop(name)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        self.logs.pop(name).close()

    def close(self) -> None:
        for name in list(self.processes):
            self.kill(name)


def decode_frames(path: Path) -> list:
    """Every frame of a video's first video stream, as RGB numpy arrays."""
    import av

    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


def loss_lecture(folder: Path) -> Path:
    """``folder/lecture.yaml``: config/lecture.yaml with its three loss scenes only (no cards),
    in its own language only (no catalogue is copied), for tests about joining, parts and reuse
    that copy just those scenes.
    """
    import re

    text = (CONFIG / "lecture.yaml").read_text()
    text = re.sub(r"^scenes: .*$", "scenes: [l2.yaml, l1.yaml, huber.yaml]", text, flags=re.M)
    text = re.sub(r"^languages: .*\n", "", text, flags=re.M)
    path = folder / "lecture.yaml"
    path.write_text(text)
    return path


def cache_with_glyphs(folder: Path, kinds: tuple[str, ...] = ("Tex", "texts")) -> Path:
    """A fresh ``XDG_CACHE_HOME`` in ``folder`` that starts with copies of the user's typeset
    glyphs (the finished TeX and text SVGs; ``kinds`` of them), for a test that needs a cache of
    its own but has no reason to typeset every formula again. Copies, not links: nothing the
    test's renders do can reach the user's cache.
    """
    import shutil

    from scenes.files import cache_dir

    home = folder / "cache"
    for name in kinds:
        shared = cache_dir() / name
        own = home / "loss-scenes" / name
        own.mkdir(parents=True, exist_ok=True)
        for svg in shared.glob("*.svg") if shared.is_dir() else ():
            if svg.stat().st_size > 0:
                shutil.copyfile(svg, own / svg.name)
    return home
