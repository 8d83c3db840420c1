"""Parallel parts, reuse of unchanged scenes, progress and start-up cost of the command line."""

import json
import os
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest
from helpers import CONFIG, ROOT, fast_copy, loss_lecture, run_cli

from scenes.production.plan import automatic_jobs, plan_parts, split_scene

# --- planning (pure) ------------------------------------------------------------------------------


def test_split_scene_covers_every_beat_once_and_balances():
    durations = [0.75, 0.75, 2.0, 2.0, 2.0, 0.6, 0.45, 0.45, 6.0, 2.0]
    runs = split_scene(durations, 2)
    assert [(first, last) for first, last, _ in runs] == [(0, 6), (7, -1)]
    assert [seconds for *_, seconds in runs] == pytest.approx([8.55, 8.45])
    assert split_scene(durations, 1) == [(0, -1, pytest.approx(17.0))]
    three = split_scene(durations, 3)
    covered = []
    for first, last, _ in three:
        covered += list(range(first, len(durations) if last < 0 else last + 1))
    assert covered == list(range(len(durations)))


def test_split_scene_keeps_short_scenes_whole():
    assert split_scene([0.2, 0.2, 0.2, 0.2], 4) == [(0, -1, pytest.approx(0.8))]


def test_plan_parts_one_job_means_whole_scenes_and_longest_first_otherwise():
    scenes = [[1.0, 8.0, 1.0], [2.0, 2.0, 2.0, 2.0], [4.0, 4.0]]
    assert [(p.scene, p.first, p.last) for p in plan_parts(scenes, 1)] == [
        (0, 0, -1),
        (1, 0, -1),
        (2, 0, -1),
    ]
    parts = plan_parts(scenes, 2)
    assert len(parts) == 6
    assert [p.seconds for p in parts] == sorted((p.seconds for p in parts), reverse=True)
    assert sum(p.seconds for p in parts) == pytest.approx(26.0)


def test_a_pool_only_for_work_that_pays_for_it():
    # A loss scene of the default lecture: about 34 units of work at high (1080p60).
    scene = [1.4 * 3, 0.35 * 20, 0.8 * 8, 1.0 * 12, 0.6 * 4, 0.05 * 40]
    # Five scenes at high: a part each, of 34 units; one at high: two parts of 17.
    assert automatic_jobs([scene] * 5, "high", cores=2) == 2
    assert automatic_jobs([scene], "high", cores=2) == 2
    assert automatic_jobs([scene] * 5, "4k", cores=8) == 8
    # At medium (0.4 of the cost per second) the parts carry under 10 units: one process.
    assert automatic_jobs([scene] * 3, "medium", cores=2) == 1
    assert automatic_jobs([scene] * 5, "low", cores=2) == 1
    # A short scene at high, one core, nothing to draw.
    assert automatic_jobs([[2.0] * 5], "high", cores=2) == 1
    assert automatic_jobs([scene] * 5, "high", cores=1) == 1
    assert automatic_jobs([], "high", cores=2) == 1


# --- against real renders (slow) ------------------------------------------------------------------


def _frames(path):
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


@pytest.fixture(scope="module")
def lecture(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lecture")
    for name in ("l2.yaml", "l1.yaml", "huber.yaml"):
        # Long enough (2.8 s) to be cut into two parts.
        spec = fast_copy(CONFIG / name, folder)
        spec.write_text(spec.read_text().replace("estimate: 0.6", "estimate: 1.5"))
    loss_lecture(folder)
    return folder


@pytest.mark.slow
def test_parallel_parts_give_the_same_video_as_one_process(lecture, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    spec = str(lecture / "l1.yaml")
    result = run_cli("render", spec, "-q", "low", "-o", str(one), "-j", "1")
    assert result.returncode == 0, result.stderr
    assert "1 part," in result.stderr
    result = run_cli("render", spec, "-q", "low", "-o", str(two), "-j", "2")
    assert result.returncode == 0, result.stderr
    assert "2 parts" in result.stderr
    a, b = _frames(one / "AbsoluteLoss.mp4"), _frames(two / "AbsoluteLoss.mp4")
    assert len(a) == len(b) > 10
    # Same pixels, up to the encoder's treatment of the first frame after the join (a key frame).
    worst = max(
        float(np.abs(x.astype(int) - y.astype(int)).mean()) for x, y in zip(a, b, strict=True)
    )
    assert worst < 1.0
    assert (one / "AbsoluteLoss.srt").read_text() == (two / "AbsoluteLoss.srt").read_text()
    assert np.array_equal(
        np.asarray(_image(one / "AbsoluteLoss.png")), np.asarray(_image(two / "AbsoluteLoss.png"))
    )


def _image(path):
    from PIL import Image

    with Image.open(path) as image:
        return image.convert("RGB").copy()


def _mtimes(folder):
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if p.suffix != ".json"}


@pytest.mark.slow
def test_unchanged_scenes_are_reused_and_changed_or_damaged_ones_rendered(lecture, tmp_path):
    out = tmp_path / "out"
    spec = str(lecture / "lecture.yaml")
    first = run_cli("render", spec, "-q", "low", "-o", str(out), "-j", "2")
    assert first.returncode == 0, first.stderr
    stdout_paths = first.stdout.split()
    assert all(os.path.exists(p) for p in stdout_paths) and len(stdout_paths) == 12
    before = _mtimes(out)

    # How fast a reuse is belongs to the benchmark (d); here: nothing is rendered or rewritten.
    again = run_cli("render", spec, "-q", "low", "-o", str(out))
    assert again.returncode == 0, again.stderr
    assert again.stderr.count("unchanged, reused") == 4, again.stderr
    assert again.stdout.split() == stdout_paths
    assert _mtimes(out) == before

    # One scene edited: only it and the lecture are made again. (An edit that changes what the
    # shared number line must hold, such as delta, would redraw the scenes that share it.)
    huber = lecture / "huber.yaml"
    huber.write_text(huber.read_text().replace("robust loss", "robust loss, edited"))
    edited = run_cli("render", spec, "-q", "low", "-o", str(out))
    assert edited.returncode == 0, edited.stderr
    assert "rendered HuberLoss" in edited.stderr
    assert "SquaredLoss: unchanged" in edited.stderr
    assert "AbsoluteLoss: unchanged" in edited.stderr
    assert "joined LossFunctions" in edited.stderr
    after = _mtimes(out)
    assert after["SquaredLoss.mp4"] == before["SquaredLoss.mp4"]
    assert after["HuberLoss.mp4"] != before["HuberLoss.mp4"]

    # A damaged file is never handed out again: truncated, it is rendered anew.
    video = out / "AbsoluteLoss.mp4"
    video.write_bytes(video.read_bytes()[: video.stat().st_size // 2])
    repaired = run_cli("render", spec, "-q", "low", "-o", str(out), "--quiet")
    assert repaired.returncode == 0, repaired.stderr
    assert "rendered" not in repaired.stderr and "reused" not in repaired.stderr
    assert len(_frames(video)) == len(_frames(out / "SquaredLoss.mp4"))

    # Another quality is another video.
    medium = run_cli("render", str(huber), "-q", "medium", "-o", str(out))
    assert "rendered HuberLoss" in medium.stderr, medium.stderr


def test_jobs_must_be_positive():
    result = run_cli("render", str(CONFIG / "huber.yaml"), "-j", "0")
    assert result.returncode == 2
    assert "at least 1" in result.stderr


@pytest.mark.parametrize("command", ["check", "compute"])
def test_check_and_compute_do_not_import_manim(command):
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "scenes", command, str(CONFIG / "huber.yaml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    assert "scenes.spec" in imported
    assert not {name for name in imported if name.split(".")[0] in ("manim", "cairo", "av")}
    if command == "check":
        assert "jax" not in imported


def _imported_by_check(spec: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "scenes", "check", str(CONFIG / spec)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}


@pytest.mark.parametrize(
    "spec", ["l2.yaml", "quantile.yaml", "clipping.yaml", "influence.yaml", "lecture.yaml"]
)
def test_check_without_formulas_imports_neither_manim_nor_jax(spec):
    tops = {name.split(".")[0] for name in _imported_by_check(spec)}
    assert "scenes" in tops
    assert not tops & {"manim", "cairo", "av", "jax", "jaxlib"}


def test_check_of_a_formula_runs_its_maths():
    """The other side: a formula's check runs the descent (JAX), which is why it may be slow."""
    assert "jax" in _imported_by_check("expr.yaml")


# --- the manifest, shared by renders into one folder ----------------------------------------------


def _record_many(out_dir: str, prefix: str, count: int, barrier) -> None:
    from scenes.production import manifest

    barrier.wait(timeout=60)  # both processes write at the same time
    for index in range(count):
        video = manifest.RenderedVideo(name=f"{prefix}{index}", kind="scene")
        manifest.write(Path(out_dir), [video], quality="low")


def test_concurrent_manifest_updates_lose_no_entry(tmp_path):
    # Two processes each merge 100 entries into one manifest as fast as they can; read-modify-write
    # without a lock loses some of them nearly every time.
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    workers = [
        context.Process(target=_record_many, args=(str(tmp_path), prefix, 100, barrier))
        for prefix in "AB"
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert sorted(manifest["videos"]) == sorted(f"{p}{i}" for p in "AB" for i in range(100))
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.json"]  # no lock file left


@pytest.mark.slow
def test_two_renders_into_one_folder_both_land_in_the_manifest(tmp_path):
    specs = [fast_copy(CONFIG / name, tmp_path) for name in ("l2.yaml", "l1.yaml")]
    out = tmp_path / "out"
    command = [sys.executable, "-m", "scenes", "render", "-q", "low", "-j", "1", "-o", str(out)]
    processes = [
        subprocess.Popen([*command, str(spec)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        for spec in specs
    ]
    for process in processes:
        process.communicate(timeout=300)
        assert process.returncode == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(manifest["videos"]) == {"SquaredLoss", "AbsoluteLoss"}
