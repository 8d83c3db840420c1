"""Faults: renders killed at chosen points, interrupted, or pointed at an unwritable folder.

What must hold every time: the previous outputs stay intact, no file under a final name is ever
partial (each is byte for byte the old version or the new one; renders are deterministic, so
"the new one" is a complete render of the new spec), a signal exits with one line and no
traceback, and what a killed process leaves behind is hidden and swept by the next render.

Marked ``slow``: each case runs a real render (low quality, short timings) in a subprocess.
"""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import CONFIG, ROOT, SHORT_NARRATION, fast_copy, run_cli

from scenes.files import KILL_AFTER_COMMITS, staged_cache, sweep_stale

pytestmark = pytest.mark.slow

OLD_TO_NEW = {"curves:\n": "curves:\n  colors: {loss: RED}\n"}
NEW_HOLD = 'narration: {hold: "Done, in red."}\n'
"""The new version says something else too, so its subtitles differ from the old ones."""
LECTURE = "lecture: Lec\ntitle: Kill test\nscenes: [huber.yaml]\nrender: {quality: low}\n"
# Renames into place of a one-scene lecture: scene mp4, srt, png, then one still per beat (8 with
# the short timings: intro, three curves, data, estimate, arrival, hold); lecture mp4, srt;
# manifest.
SCENE_COMMITS = 3 + 8
COMMITS = SCENE_COMMITS + 3
KILL_POINTS = (0, 2, 5, SCENE_COMMITS, COMMITS - 1)
"""Where to kill: before anything, inside the scene's files, inside its stills, after the whole
scene (the lecture joined but not renamed), and before the last rename (the manifest). Each is
a render of its own (12 to 20 s), so neighbours of these points are left out: they take the
same code paths."""


def make_lecture(folder: Path, new: bool) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    scene = fast_copy(CONFIG / "huber.yaml", folder, **(OLD_TO_NEW if new else {}))
    if new:
        scene.write_text(scene.read_text().replace(SHORT_NARRATION, NEW_HOLD))
    lecture = folder / "lecture.yaml"
    lecture.write_text(LECTURE)
    return lecture


def digest(folder: Path) -> dict[str, str]:
    """Final-named files (not hidden, at any depth) and their SHA-256."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    }


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def render_cmd(spec: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "scenes", "render", str(spec), "-o", str(out)]


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """Complete renders of the old and the new lecture, and the new spec to render again."""
    base = tmp_path_factory.mktemp("kill")
    old_spec, new_spec = make_lecture(base / "old", False), make_lecture(base / "new", True)
    for spec, out in ((old_spec, base / "old_out"), (new_spec, base / "new_out")):
        result = run_cli("render", str(spec), "-o", str(out))
        assert result.returncode == 0, result.stderr
    old, new = digest(base / "old_out"), digest(base / "new_out")
    assert old.keys() == new.keys() and len(old) == COMMITS
    # Every output but the manifest and the intro's still (a title only) changes between the
    # versions, so "old or new" is a real test.
    assert sum(old[name] != new[name] for name in old) >= COMMITS - 2
    return base, new_spec, old, new


def fresh_copy_of_old(base: Path, name: str) -> Path:
    out = base / name
    shutil.copytree(base / "old_out", out)
    return out


def assert_each_file_old_or_new(out: Path, old: dict, new: dict) -> dict[str, str]:
    now = digest(out)
    assert now.keys() == old.keys(), "a final name appeared or vanished"
    for name, sha in now.items():
        assert sha in (old[name], new[name]), f"{name} is neither the old nor the new version"
    return now


@pytest.mark.parametrize("commits", KILL_POINTS)
def test_sigkill_between_any_two_renames_leaves_old_or_new_files(versions, commits):
    """Killed (SIGKILL) just before the (commits+1)-th rename: e.g. 0 = before anything is
    replaced, SCENE_COMMITS = the scene fully replaced and the lecture joined into its temporary
    file but not renamed, COMMITS - 1 = everything but the manifest."""
    base, new_spec, old, new = versions
    out = fresh_copy_of_old(base, f"killed_{commits}")
    env = {**os.environ, KILL_AFTER_COMMITS: str(commits)}
    result = subprocess.run(render_cmd(new_spec, out), capture_output=True, text=True, env=env)
    assert result.returncode == -signal.SIGKILL, result.stderr
    now = assert_each_file_old_or_new(out, old, new)
    replaced = sum(now[name] != old[name] for name in now)
    assert replaced <= commits
    if commits == 0:
        assert now == old
    assert hidden(out), "the killed render's scratch folder should still be there"
    if commits == SCENE_COMMITS:
        # A later render sweeps what the dead process left and completes the new version.
        again = run_cli("render", str(new_spec), "-o", str(out))
        assert again.returncode == 0, again.stderr
        assert digest(out) == new
    else:
        sweep_stale(out)
    assert hidden(out) == []


def start_render(spec: Path, out: Path, *extra: str) -> subprocess.Popen:
    # A new session, so a signal can go to the whole process group, as Ctrl-C in a terminal does
    # (latex and dvisvgm children included).
    return subprocess.Popen(
        [*render_cmd(spec, out), *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def wait_for_line(process: subprocess.Popen, prefix: str, timeout: float = 120) -> list[str]:
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        assert line, f"render ended before {prefix!r}: {''.join(lines)}"
        lines.append(line)
        if line.startswith(prefix):
            return lines
    raise AssertionError(f"no {prefix!r} line within {timeout} s")


@pytest.mark.parametrize(
    ("sig", "code", "line", "jobs"),
    [
        # A scene this short is drawn in the command's own process; -j 2 forces a pool.
        (signal.SIGINT, 130, "loss-scenes: interrupted", ()),
        (signal.SIGINT, 130, "loss-scenes: interrupted", ("-j", "2")),
        (signal.SIGTERM, 143, "loss-scenes: terminated", ()),
        (signal.SIGKILL, -signal.SIGKILL, None, ("-j", "2")),
    ],
    ids=["SIGINT", "SIGINT-pool", "SIGTERM", "SIGKILL-pool"],
)
def test_signal_while_manim_renders_the_first_scene(versions, sig, code, line, jobs):
    base, new_spec, old, new = versions
    out = fresh_copy_of_old(base, f"signal_{sig.name}_{len(jobs)}")
    process = start_render(new_spec, out, *jobs)
    wait_for_line(process, "rendering ")
    time.sleep(1.0)  # inside Manim: building mobjects, encoding frames
    os.killpg(process.pid, sig)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == code, stderr
    assert "Traceback" not in stderr
    assert stdout == ""  # no output path printed: nothing was finished
    assert digest(out) == old
    if line is not None:
        # One line, and the scratch folder is gone with the unwinding.
        assert stderr.splitlines() == [line], stderr
        assert hidden(out) == []
    else:
        assert hidden(out) and all(name.startswith(".loss-scenes-") for name in hidden(out))
        assert sweep_stale(out) and hidden(out) == []


def test_sigint_after_the_first_scene_is_written(versions, tmp_path):
    """A two-scene lecture interrupted once the first scene is in place: the first scene is new,
    the second is the old one, and the lecture video and manifest are untouched."""
    base, new_spec, old, new = versions
    folder = new_spec.parent
    two = folder / "two.yaml"
    second = fast_copy(CONFIG / "l2.yaml", tmp_path)
    # Other data than Huber's: scenes of one lecture showing the same data share one number
    # line (snapped to its ticks), which would make this HuberLoss another picture than the
    # reference's, rendered alone.
    text = second.read_text(encoding="utf-8").replace("[-1.8, -0.6,", "[-1.7, -0.6,")
    assert "[-1.7, -0.6," in text
    (folder / "l2.yaml").write_text(text, encoding="utf-8")
    two.write_text(LECTURE.replace("[huber.yaml]", "[huber.yaml, l2.yaml]"))
    out = fresh_copy_of_old(base, "sigint_two")
    # One process, so the scenes are rendered one after the other.
    process = start_render(two, out, "-j", "1")
    wait_for_line(process, "rendered HuberLoss")
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert stderr.splitlines()[-1] == "loss-scenes: interrupted"
    assert "Traceback" not in stderr
    # Drawn in one part here and in two for the reference, the new HuberLoss.mp4 is the same
    # video in other bytes: its frames are compared.
    now = digest(out)
    assert now.keys() == old.keys(), "a final name appeared or vanished"
    assert _frames(out / "HuberLoss.mp4") == _frames(base / "new_out" / "HuberLoss.mp4")
    rest = {name: sha for name, sha in now.items() if name != "HuberLoss.mp4"}
    for name, sha in rest.items():
        assert sha in (old[name], new[name]), f"{name} is neither the old nor the new version"
    assert {name for name in rest if rest[name] == new[name] != old[name]} >= {
        "HuberLoss.srt",
        "HuberLoss.png",
    }
    assert now["Lec.mp4"] == old["Lec.mp4"] and now["manifest.json"] == old["manifest.json"]
    assert hidden(out) == []


# --------------------------------------------------------------------------------------------------
# Unwritable and full output folders: exit 1, one clear line, nothing lost


def _frames(path: Path) -> list[bytes]:
    import av

    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24").tobytes() for frame in container.decode(video=0)]


def assert_clean_failure(result: subprocess.CompletedProcess, fragment: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    errors = [row for row in result.stderr.splitlines() if row.startswith("loss-scenes: error:")]
    assert len(errors) == 1 and fragment in errors[0], result.stderr
    # Paths are printed as each file lands: whatever was printed must exist, whole (the callers
    # check the contents).
    assert all(Path(line).is_file() for line in result.stdout.splitlines()), result.stdout


def test_output_folder_under_a_regular_file(versions, tmp_path):
    # A bad option, not a fault of the machine: exit 2 before anything is rendered (the same
    # line from every command: test_bad_input.test_output_folder_that_cannot_be_one).
    _, new_spec, _, _ = versions
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run_cli("render", str(new_spec), "-o", str(blocker / "out"))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (
        f"loss-scenes: error: {blocker / 'out'}: {blocker} is a file, so no folder can be made "
        "inside it\n"
    )
    assert blocker.read_text() == "not a folder"


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture
def mount_point(tmp_path):
    point = tmp_path / "mnt"
    point.mkdir()
    yield point
    subprocess.run(["umount", str(point)], capture_output=True)


def test_read_only_output_folder_keeps_previous_outputs(versions, mount_point):
    base, new_spec, old, _ = versions
    shutil.copytree(base / "old_out", mount_point / "out")
    if os.geteuid() != 0 or not (
        _mount("--bind", str(mount_point), str(mount_point))
        and _mount("-o", "remount,ro,bind", str(mount_point))
    ):
        pytest.skip("needs root and mount rights for a read-only bind mount")
    result = run_cli("render", str(new_spec), "-o", str(mount_point / "out"))
    assert_clean_failure(result, "Read-only file system")
    assert digest(mount_point / "out") == old


def test_full_output_folder(versions, mount_point):
    base, new_spec, old, new = versions
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount_point)):
        pytest.skip("needs root and mount rights for a small tmpfs")
    result = run_cli("render", str(new_spec), "-o", str(mount_point / "out"))
    assert_clean_failure(result, "No space left on device")
    # What fitted is complete (the new version), nothing is half-written under a final name,
    # and the scratch folder was cleaned up.
    out = mount_point / "out"
    now = digest(out)
    assert now != new, "400 KiB should not hold the whole lecture"
    assert all(new[name] == sha for name, sha in now.items()), now
    assert hidden(out) == []


# --------------------------------------------------------------------------------------------------
# The glyph cache: only finished files are ever published


def test_staged_cache_publishes_only_on_success(tmp_path):
    shared = tmp_path / "Tex"
    shared.mkdir()
    (shared / "old.svg").write_text("<svg/>")
    with staged_cache(shared) as staging:
        assert (staging / "old.svg").read_text() == "<svg/>"
        (staging / "new.svg").write_text("<svg>new</svg>")
        (staging / "new.tex").write_text("intermediate")
    assert (shared / "new.svg").read_text() == "<svg>new</svg>"
    assert not (shared / "new.tex").exists()
    with pytest.raises(KeyboardInterrupt), staged_cache(shared) as staging:
        (staging / "half.svg").write_text("<svg")  # dvisvgm killed mid-write
        raise KeyboardInterrupt
    assert not (shared / "half.svg").exists()
    assert hidden(shared) == []
    # An empty file in the shared cache is never handed out, and the next finished one replaces it.
    (shared / "empty.svg").write_text("")
    with staged_cache(shared) as staging:
        assert not (staging / "empty.svg").exists()
        (staging / "empty.svg").write_text("<svg>made again</svg>")
    assert (shared / "empty.svg").read_text() == "<svg>made again</svg>"


def test_sweep_removes_only_what_dead_processes_left(tmp_path):
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    ).stdout.strip()
    (tmp_path / f".loss-scenes-{dead}-abc").mkdir()
    (tmp_path / f".HuberLoss.{dead}.tmp-xyz.mp4").write_text("partial")
    (tmp_path / f".loss-scenes-{os.getpid()}-mine").mkdir()
    (tmp_path / "HuberLoss.mp4").write_text("final")
    (tmp_path / ".hidden-user-file").write_text("keep")
    sweep_stale(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f".loss-scenes-{os.getpid()}-mine", "HuberLoss.mp4", ".hidden-user-file"]
    )
