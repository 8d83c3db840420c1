"""Rendering on a Dask cluster (spec-v2 section 12), against a real scheduler and real workers.

Each cluster is a ``dask scheduler`` and ``dask worker`` processes on 127.0.0.1 (ports chosen by
the system, found through the scheduler file); the renders go through ``loss-scenes render
--cluster`` in a subprocess, as a user runs it.
"""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import av
import numpy as np
import pytest
from distributed import Client
from helpers import CONFIG, ROOT, DaskCluster, fast_copy, loss_lecture, run_cli

import scenes
from scenes.production.cluster import ClusterError

pytestmark = pytest.mark.slow

VIDEOS = ("SquaredLoss.mp4", "AbsoluteLoss.mp4", "HuberLoss.mp4", "LossFunctions.mp4")


@pytest.fixture
def start_cluster(tmp_path_factory):
    clusters: list[DaskCluster] = []

    def start() -> DaskCluster:
        clusters.append(DaskCluster(tmp_path_factory.mktemp("cluster")))
        return clusters[-1]

    yield start
    for cluster in clusters:
        cluster.close()


@pytest.fixture(scope="module")
def lecture(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lecture")
    for name in ("l2.yaml", "l1.yaml", "huber.yaml"):
        fast_copy(CONFIG / name, folder)
    return loss_lecture(folder)


@pytest.fixture(scope="module")
def local_render(loss_lecture_render):
    """The same lecture rendered on this machine with `-j 2` (conftest: shared with the joining
    test, rendered once)."""
    return loss_lecture_render


def _decoded(path: Path) -> tuple[list[np.ndarray], np.ndarray]:
    """Every frame (RGB) and every audio sample of a video, decoded."""
    with av.open(str(path)) as container:
        frames = [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]
    with av.open(str(path)) as container:
        sound = [frame.to_ndarray() for frame in container.decode(audio=0)]
    return frames, np.concatenate(sound, axis=-1) if sound else np.zeros(0)


def _assert_same_videos(ours: Path, reference: Path) -> None:
    for name in VIDEOS:
        frames, sound = _decoded(ours / name)
        expected_frames, expected_sound = _decoded(reference / name)
        assert len(frames) == len(expected_frames) > 10, name
        assert all(np.array_equal(a, b) for a, b in zip(frames, expected_frames, strict=True))
        # The lecture is narrated (its voice applies to its scenes): there is sound to compare.
        assert expected_sound.size > 0, name
        assert np.array_equal(sound, expected_sound), name
        srt = name.replace(".mp4", ".srt")
        assert (ours / srt).read_text() == (reference / srt).read_text()


def _rendered_by(stderr: str) -> list[str]:
    """The worker named by each progress line of a part."""
    return [
        line.split(" rendered by ")[1].split()[0]
        for line in stderr.splitlines()
        if line.startswith("part ") and " rendered by " in line
    ]


def test_cluster_render_is_the_local_render(start_cluster, lecture, local_render, tmp_path):
    cluster = start_cluster()
    cluster.add_worker("one")
    cluster.add_worker("two")
    workers = cluster.wait_for_workers(2)
    out = tmp_path / "out"
    result = run_cli(
        "render", str(lecture), "-q", "low", "-o", str(out), "--cluster", cluster.address
    )
    assert result.returncode == 0, result.stderr
    _assert_same_videos(out, local_render)
    for scene in ("SquaredLoss", "AbsoluteLoss", "HuberLoss"):
        assert (out / f"{scene}.png").read_bytes() == (local_render / f"{scene}.png").read_bytes()
    # Same files, same checksums in the manifest: published exactly as the local render did.
    ours = json.loads((out / "manifest.json").read_text())["videos"]
    theirs = json.loads((local_render / "manifest.json").read_text())["videos"]
    assert {n: v["checksums"] for n, v in ours.items()} == {
        n: v["checksums"] for n, v in theirs.items()
    }
    # Two workers, three scenes: six parts, each named with the worker that drew it.
    named = _rendered_by(result.stderr)
    assert len(named) == 6, result.stderr
    assert set(named) <= set(workers.values()), (named, workers)


def test_a_worker_killed_mid_render_costs_its_part_not_the_render(
    start_cluster, lecture, local_render, tmp_path
):
    cluster = start_cluster()
    # No nanny: killing the process loses the worker for good (a nanny would restart it).
    cluster.add_worker("survivor", "--no-nanny")
    cluster.add_worker("victim", "--no-nanny")
    workers = cluster.wait_for_workers(2)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "scenes", "render", str(lecture), "-q", "low", "-o", str(out)]
    render = subprocess.Popen(
        [*command, "--cluster", cluster.address],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        with Client(cluster.address, timeout=30) as watcher:
            deadline = time.monotonic() + 90
            # Killed while drawing its first part, so that part has to be drawn again elsewhere.
            while not watcher.processing(workers=[workers["victim"]]).get(workers["victim"]):
                assert render.poll() is None and time.monotonic() < deadline
                time.sleep(0.1)
        time.sleep(1.0)
        cluster.kill("victim")
        stdout, stderr = render.communicate(timeout=240)
    finally:
        if render.poll() is None:
            render.kill()
    assert render.returncode == 0, stderr
    _assert_same_videos(out, local_render)
    named = _rendered_by(stderr)
    assert len(named) == 6 and set(named) == {workers["survivor"]}, stderr


def test_a_worker_with_another_version_is_one_line_and_exit_1(start_cluster, lecture, tmp_path):
    cluster = start_cluster()
    # The worker process imports loss-scenes and reports a version other than this one, as a
    # machine with an older install does.
    older = cluster.folder / "older_loss_scenes.py"
    older.write_text("import scenes.version\n\nscenes.version.__version__ = '0.0.9'\n")
    cluster.add_worker("older", "--preload", str(older))
    address = cluster.wait_for_workers(1)["older"]
    out = tmp_path / "out"
    # The address from the environment, as a department's login script sets it.
    result = run_cli(
        "render",
        str(lecture),
        "-q",
        "low",
        "-o",
        str(out),
        env={"LOSS_SCENES_CLUSTER": cluster.address},
    )
    assert result.returncode == 1
    message = (
        f"worker {address} runs loss-scenes 0.0.9, this machine {scenes.__version__}: "
        f"install loss-scenes {scenes.__version__} on every worker"
    )
    assert result.stderr.splitlines() == [f"loss-scenes: error: {message}"]
    assert not out.exists()  # refused before anything was prepared or written
    # The Python API says the same, as an exception.
    with pytest.raises(ClusterError) as raised:
        scenes.render_specs(lecture, quality="low", output=out, cluster=cluster.address)
    assert str(raised.value) == message
    assert not out.exists()


def test_ctrl_c_exits_130_and_leaves_no_task_on_the_cluster(start_cluster, lecture, tmp_path):
    cluster = start_cluster()
    cluster.add_worker("only")
    cluster.wait_for_workers(1)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "scenes", "render", str(lecture.parent / "l1.yaml")]
    render = subprocess.Popen(
        [*command, "-q", "low", "-o", str(out), "--cluster", cluster.address],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        with Client(cluster.address, timeout=30) as watcher:
            deadline = time.monotonic() + 90
            while not any(watcher.processing().values()):
                assert render.poll() is None and time.monotonic() < deadline
                time.sleep(0.1)
            render.send_signal(signal.SIGINT)
            _, stderr = render.communicate(timeout=60)
            assert render.returncode == 130, stderr
            assert stderr.splitlines()[-1] == "loss-scenes: interrupted"
            deadline = time.monotonic() + 10
            while watcher.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)):
                assert time.monotonic() < deadline, "the render's tasks stayed on the cluster"
                time.sleep(0.1)
    finally:
        if render.poll() is None:
            render.kill()
    assert not list(out.glob("*.mp4"))
