"""The authoring loop: schema and its committed copies, starter specs, the watcher."""

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import jsonschema
import pytest
import yaml
from helpers import CONFIG, FAST_TIMING, ROOT, fast_copy, run_cli

from scenes.spec.reference import reference_markdown, schema_text
from scenes.spec.schema import json_schema

SCHEMA_FILE = ROOT / "assets" / "schema" / "spec-v1.schema.json"
REFERENCE_FILE = ROOT / "docs" / "spec-reference.md"
SCHEMA_LINE = "# yaml-language-server: $schema=../assets/schema/spec-v1.schema.json"


def test_committed_schema_is_current():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "regenerate: python -c 'from scenes.spec.reference import schema_text; "
        'open("assets/schema/spec-v1.schema.json", "w").write(schema_text())\''
    )


def test_committed_reference_page_is_current():
    assert REFERENCE_FILE.read_text(encoding="utf-8") == reference_markdown(), (
        "regenerate: python -m scenes.spec.reference > docs/spec-reference.md"
    )


def test_schema_is_draft_2020_12_with_description_and_example_for_every_field():
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    fields = 0
    for model in schema["$defs"].values():
        for name, node in model.get("properties", {}).items():
            fields += 1
            assert node.get("description"), name
            assert node.get("examples"), name
    assert fields > 30


def test_every_config_file_names_the_schema_and_validates_against_it():
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text()))
    files = sorted(CONFIG.glob("*.yaml"))
    assert len(files) >= 4
    for path in files:
        assert path.read_text().splitlines()[0] == SCHEMA_LINE, path
        assert (path.parent / "../assets/schema/spec-v1.schema.json").resolve() == SCHEMA_FILE
        validator.validate(yaml.safe_load(path.read_text()))


def test_schema_rejects_what_the_loader_rejects():
    validator = jsonschema.Draft202012Validator(json_schema())
    good = yaml.safe_load((CONFIG / "huber.yaml").read_text())
    assert validator.is_valid(good)
    assert not validator.is_valid({**good, "typo": 1})
    assert not validator.is_valid({**good, "scene": "lowercase"})
    assert not validator.is_valid({**good, "loss": {"name": "huber", "delta": -1}})


def test_schema_command_prints_the_committed_schema():
    result = run_cli("schema")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(SCHEMA_FILE.read_text())


@pytest.mark.parametrize("loss", ["huber", "l1", "l2", "quantile", "expr", "tukey"])
def test_new_writes_a_commented_starter_that_passes_check(tmp_path, loss):
    result = run_cli("new", "my_scene", "--loss", loss, "--dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    target = tmp_path / "my_scene.yaml"
    assert result.stdout.strip() == str(target)
    text = target.read_text()
    assert text.startswith("# yaml-language-server: $schema=")
    # In a folder without a schema, the schema goes next to the spec, as `init` puts it.
    schema_ref = text.splitlines()[0].split("$schema=", 1)[1]
    assert schema_ref == "spec-v1.schema.json"
    assert (tmp_path / schema_ref).read_text() == SCHEMA_FILE.read_text()
    assert text.count("#") > 10
    check = run_cli("check", str(target))
    assert check.returncode == 0, check.stderr
    if loss in ("huber", "l1", "l2"):  # the losses the maths layer implements so far
        computed = run_cli("compute", str(target))
        assert computed.returncode == 0, computed.stderr
        assert json.loads(computed.stdout)["scene"] == "MyScene"
        assert json.loads(computed.stdout)["loss"]["name"] == loss
    assert sorted(tmp_path.iterdir()) == [target, tmp_path / "spec-v1.schema.json"]
    jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text())).validate(
        yaml.safe_load(text)
    )


def test_new_uses_the_schema_its_neighbours_use(tmp_path):
    """A schema file that the specs there name: the same line, no copy (a file that is not a
    schema is not followed: tests/cli/test_issue23_authoring_and_limits.py).
    """
    folder = tmp_path / "config"
    (folder / "schemas").mkdir(parents=True)
    (folder / "schemas" / "spec-v1.schema.json").write_text(SCHEMA_FILE.read_text())
    (folder / "a.yaml").write_text("# yaml-language-server: $schema=schemas/spec-v1.schema.json\n")
    result = run_cli("new", "mine", "--dir", str(folder))
    assert result.returncode == 0, result.stderr
    assert "note:" not in result.stderr
    first = (folder / "mine.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=schemas/spec-v1.schema.json"
    assert sorted(p.name for p in folder.iterdir()) == ["a.yaml", "mine.yaml", "schemas"]
    # An out-of-date copy is used (never overwritten) but named on stderr.
    (folder / "schemas" / "spec-v1.schema.json").write_text("{}")
    result = run_cli("new", "other", "--dir", str(folder))
    assert result.returncode == 0, result.stderr
    assert "is not the schema of this loss-scenes version" in result.stderr
    assert (folder / "schemas" / "spec-v1.schema.json").read_text() == "{}"


@pytest.mark.parametrize("name", ["", ".yaml", "é", "a b", "1abc", "../up", "a" * 65])
def test_new_refuses_names_that_make_no_scene_name(tmp_path, name):
    result = run_cli("new", name, "--dir", str(tmp_path))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (
        f"loss-scenes: error: {name!r} cannot name a scene: use up to 64 letters, digits, _ or "
        "-, starting with a letter (for example my_huber or MyHuber)\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_new_refuses_to_overwrite(tmp_path):
    target = tmp_path / "mine.yaml"
    target.write_text("keep me\n")
    result = run_cli("new", "mine", "--dir", str(tmp_path))
    assert result.returncode == 2
    assert "exists" in result.stderr
    assert target.read_text() == "keep me\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.yaml"]


# --- watch -------------------------------------------------------------------------------------


class Watcher:
    """``loss-scenes watch`` in a subprocess, its stdout and stderr read line by line."""

    def __init__(self, spec: Path, out: Path, cwd: Path = ROOT) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "scenes", "watch", str(spec), "-o", str(out)],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self.lines: queue.Queue = queue.Queue()
        for name in ("stdout", "stderr"):
            stream = getattr(self.process, name)
            threading.Thread(target=self._pump, args=(name, stream), daemon=True).start()

    def _pump(self, name, stream):
        for line in stream:
            self.lines.put((name, line.rstrip("\n")))

    def wait_for(self, predicate, timeout=120.0):
        deadline = time.monotonic() + timeout
        seen = []
        while time.monotonic() < deadline:
            try:
                item = self.lines.get(timeout=0.5)
            except queue.Empty:
                continue
            seen.append(item)
            if predicate(*item):
                return item, seen
        raise AssertionError(f"timed out; saw {seen}")

    def wait_for_each(self, *predicates, timeout=120.0):
        """The first line meeting each predicate, in any order: stdout and stderr come through
        two pipes, so a path printed before a message on stderr may arrive after it.
        """
        deadline = time.monotonic() + timeout
        found: list = [None] * len(predicates)
        seen = []
        while None in found and time.monotonic() < deadline:
            try:
                item = self.lines.get(timeout=0.5)
            except queue.Empty:
                continue
            seen.append(item)
            for index, predicate in enumerate(predicates):
                if found[index] is None and predicate(*item):
                    found[index] = item
                    break
        if None in found:
            raise AssertionError(f"timed out; saw {seen}")
        return found, seen

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _png(name, line):
    return name == "stdout" and line.endswith(".png")


@pytest.mark.slow
def test_watch_previews_good_edits_reports_bad_ones_and_keeps_going(tmp_path):
    spec = fast_copy(CONFIG / "l2.yaml", tmp_path)
    out = tmp_path / "preview"
    watcher = Watcher(spec, out)
    try:
        ((_, first), _), _ = watcher.wait_for_each(
            _png, lambda name, line: name == "stderr" and line.startswith("watching")
        )
        assert Path(first) == out / "SquaredLoss.png"
        stamp = Path(first).stat().st_mtime_ns

        # A good edit: a new preview.
        spec.write_text(spec.read_text().replace("Squared loss: the mean", "Squares"))
        (_, second), _ = watcher.wait_for(_png)
        assert Path(second).stat().st_mtime_ns > stamp
        assert (out / "SquaredLoss.mp4").stat().st_size > 0

        # A bad edit: one error line with its position; the watcher lives on.
        good = spec.read_text()
        spec.write_text(good.replace("steps: 100", 'steps: "many"'))
        (_, error), seen = watcher.wait_for(lambda name, line: "error:" in line)
        line_number = good.splitlines().index("  steps: 100") + 1
        assert error.startswith(f"{spec}:{line_number}:10: error: "), error
        assert not any(_png(*item) for item in seen)
        time.sleep(1.0)
        assert watcher.process.poll() is None

        # The fix: a preview again.
        spec.write_text(good.replace("steps: 100", "steps: 50"))
        watcher.wait_for(_png)
        assert watcher.process.poll() is None
    finally:
        watcher.stop()


def _wait_until(predicate, timeout=120.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.mark.slow
def test_watch_never_loses_an_edit_saved_while_the_first_render_runs(tmp_path):
    folder = tmp_path / 'Jane\'s "Vorlesung" é'
    folder.mkdir()
    spec = fast_copy(CONFIG / "l2.yaml", folder)
    out = folder / "preview 'x'"
    watcher = Watcher(spec, out, cwd=folder)
    try:
        # The render's work folder appears after the spec was read: edit it now.
        _wait_until(lambda: out.is_dir() and any(p.name.startswith(".") for p in out.iterdir()))
        spec.write_text(spec.read_text().replace("scene: SquaredLoss", "scene: EditedLoss"))
        (_, first), _ = watcher.wait_for(_png)
        assert Path(first) == out / "SquaredLoss.png"
        (_, second), _ = watcher.wait_for(_png)
        assert Path(second) == out / "EditedLoss.png" and Path(second).is_file()
    finally:
        watcher.stop()


@pytest.mark.slow
def test_watch_follows_only_its_files_and_prints_only_paths_and_errors(tmp_path):
    for name in ("l2.yaml", "l1.yaml"):
        fast_copy(CONFIG / name, tmp_path)
    lecture = tmp_path / "lecture.yaml"
    lecture.write_text("lecture: Lec\nscenes: [l2.yaml]\n")
    scene = tmp_path / "l2.yaml"
    good = scene.read_text()
    # A lecture whose scene file is broken from the start: the fix to that file must be seen.
    scene.write_text(good.replace("steps: 100", 'steps: "many"'))
    log = tmp_path / "watch.log"
    watcher = Watcher(lecture, tmp_path / "preview")
    stop = threading.Event()
    try:
        (_, error), _ = watcher.wait_for(lambda name, line: "error:" in line)
        assert error.startswith(f"{scene}:"), error
        watcher.wait_for(lambda name, line: line.startswith("watching"))
        scene.write_text(good)
        (_, first), _ = watcher.wait_for(lambda name, line: line.endswith("Lec.mp4"))

        # Other files in the folder, however busy, never wake the watcher: a log written every
        # 20 ms, another spec saved, the preview folder itself.
        def scribble():
            with log.open("a") as file:
                while not stop.is_set():
                    file.write("x\n")
                    file.flush()
                    time.sleep(0.02)

        threading.Thread(target=scribble, daemon=True).start()
        other = tmp_path / "l1.yaml"
        other.write_text(other.read_text().replace("steps: 100", "steps: 90"))
        with pytest.raises(AssertionError, match="timed out"):
            watcher.wait_for(lambda name, line: True, timeout=4.0)
        # The scene file is one of the lecture's: saving it renders again.
        scene.write_text(good.replace("steps: 100", "steps: 80"))
        (_, again), seen = watcher.wait_for(lambda name, line: line.endswith("Lec.mp4"))
    finally:
        stop.set()
        watcher.stop()
    lines = []
    while not watcher.lines.empty():
        lines.append(watcher.lines.get())
    for name, line in seen + lines:
        if name == "stdout":
            assert Path(line).is_file(), line  # paths only
        else:
            # Diagnostics only: errors, warnings (a part drawn again after a glyph file came out
            # empty under load, say) and watch's own status lines.
            assert (
                "error:" in line
                or line.startswith(("watching", "warning: "))
                or line.endswith("interrupted")
            )


def test_fast_timing_helper_is_what_the_watch_test_edits():
    # The watch test edits "steps: 100" and the title of l2.yaml; keep them there.
    text = (CONFIG / "l2.yaml").read_text()
    assert "  steps: 100" in text and "Squared loss: the mean" in text
    assert "timing" in FAST_TIMING


def test_watch_preview_survives_a_failed_render(tmp_path, capsys):
    # The render runs while its generator is consumed; a failure there must not end the watcher.
    from scenes.cli.watch import preview

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert preview(CONFIG / "l2.yaml", blocker, "low") is False
    assert "preview failed" in capsys.readouterr().err
