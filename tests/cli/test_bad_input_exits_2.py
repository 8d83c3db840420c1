"""Every bad input through the real command line: exit 2, one `FILE:LINE:COLUMN: error:` line per
problem, no traceback, nothing on stdout, nothing written in `-o DIR`.

The CLI runs in-process (``scenes.cli.main``), which is what ``python -m scenes`` calls; a few cases
are repeated in a subprocess by ``tests/cli/test_command_line.py``. Cases come from three tables (in
``spec_cases.py`` and ``bad_input_cases.py``): the spec layer's table (``BAD``), every numeric field
given every kind of non-number, and the file-, list-, name- and lecture-level cases below.
"""

import json
import os

import pytest
from bad_input_cases import (
    ERROR_LINE,
    HEAD,
    LECTURE_CASES,
    NUMERIC_CASES,
    SCENE_CASES,
    V,
    assert_clean_exit_2,
    check_everywhere,
    lecture_folder,
    mutated_spec,
    run,
    scene_text,
)
from hypothesis import HealthCheck, given, settings
from spec_cases import BAD, MINIMAL

# --------------------------------------------------------------------------------------------------
# 1. The spec layer's table, through the CLI


@pytest.mark.parametrize("case", BAD, ids=[case[0] for case in BAD])
def test_spec_table_through_the_cli(capsys, tmp_path, case):
    _, text, line, column, fragment = case
    spec = tmp_path / "s.yaml"
    spec.write_text(text, encoding="utf-8")
    check_everywhere(capsys, tmp_path, spec, fragment)
    code, out, err = run(capsys, "check", str(spec))
    first = ERROR_LINE.match(err.splitlines()[0])
    assert (int(first["line"]), int(first["column"])) == (line, column), err


# --------------------------------------------------------------------------------------------------
# 2. Every numeric field, given every kind of non-number


@pytest.mark.parametrize(
    ("path", "text"), [c[1:] for c in NUMERIC_CASES], ids=[c[0] for c in NUMERIC_CASES]
)
def test_every_numeric_field_refuses_non_numbers(capsys, tmp_path, path, text):
    spec = tmp_path / "s.yaml"
    spec.write_text(text)
    fragment = f"error: {path}: expected"
    if "[1, , 3]" in text or "[, 5]" in text:
        fragment = "YAML syntax error"  # an empty item in a flow list is not YAML at all
    check_everywhere(capsys, tmp_path, spec, fragment)


# --------------------------------------------------------------------------------------------------
# 3. Files, lists, names, lectures, limits


@pytest.mark.parametrize(
    ("content", "fragment"), [c[1:] for c in SCENE_CASES], ids=[c[0] for c in SCENE_CASES]
)
def test_bad_scene_files(capsys, tmp_path, content, fragment):
    spec = tmp_path / "s.yaml"
    if isinstance(content, bytes):
        spec.write_bytes(content)
    else:
        spec.write_text(content, encoding="utf-8")
    check_everywhere(capsys, tmp_path, spec, fragment)


# Control characters, written as YAML escapes inside double quotes, in every kind of text field.
CONTROLS = {"NUL": "\\0", "bell": "\\a", "escape": "\\e", "DEL": "\\x7f", "NEL": "\\N"}
TEXT_FIELDS = {
    "title": ("title", HEAD + 'title: "aXb"\n' + V, 3, 8),
    "narration": ("narration.loss", HEAD + V + 'narration: {loss: "aXb"}\n', 4, 19),
    "expr": ("loss.expr", 'scene: A\nloss: {name: expr, expr: "rX**2"}\n' + V, 2, 26),
    "clipping narration": (
        "narration.clip",
        'scene: A\nkind: clipping\nnarration: {clip: "aXb"}\n',
        3,
        19,
    ),
}


@pytest.mark.parametrize("control", CONTROLS.values(), ids=CONTROLS.keys())
@pytest.mark.parametrize("field", TEXT_FIELDS.values(), ids=TEXT_FIELDS.keys())
def test_control_characters_in_text_are_refused_at_the_text(capsys, tmp_path, field, control):
    path, template, line, column = field
    spec = tmp_path / "s.yaml"
    spec.write_text(template.replace("X", control))
    check_everywhere(capsys, tmp_path, spec, f"{path}: character 2 is the control character U+")
    code, out, err = run(capsys, "check", str(spec))
    [match] = assert_clean_exit_2(code, out, err, str(spec))
    assert (int(match["line"]), int(match["column"])) == (line, column)


def test_tabs_and_line_breaks_in_text_are_fine(capsys, tmp_path):
    spec = tmp_path / "s.yaml"
    spec.write_text(HEAD + 'title: "a\\tb"\n' + V + 'narration: {loss: "one\\ntwo"}\n')
    assert run(capsys, "check", str(spec))[0] == 0


@pytest.mark.parametrize(
    ("lecture", "files", "fragment"),
    [c[1:] for c in LECTURE_CASES],
    ids=[c[0] for c in LECTURE_CASES],
)
def test_bad_lectures(capsys, tmp_path, lecture, files, fragment):
    spec = lecture_folder(tmp_path, lecture, files)
    folder = spec.parent
    # A problem in a scene file is reported in that file.
    where = folder / "a.yaml" if fragment.startswith("a.yaml:") else spec
    check_everywhere(capsys, tmp_path, spec, fragment, scene=False, file=where)
    if "a lecture lists scene specs" in fragment:  # one line, not the scene model's five
        assert len(run(capsys, "check", str(spec))[2].splitlines()) == 1


def test_paths_through_a_subfolder_that_stay_inside_are_accepted(capsys, tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.yaml").write_text(scene_text("A"))
    (tmp_path / "sub" / "b.yaml").write_text(scene_text("B"))
    spec = tmp_path / "lecture.yaml"
    spec.write_text("lecture: L\nscenes: [./sub/../a.yaml, sub/./b.yaml, sub/../sub/b.yaml]\n")
    code, out, err = run(capsys, "check", str(spec))
    # The third is b.yaml again: refused for its name, not for its path.
    [match] = assert_clean_exit_2(code, out, err, str(spec))
    assert "scenes[2]: scene name 'B' is already used by sub/./b.yaml" in match["message"]
    spec.write_text("lecture: L\nscenes: [./sub/../a.yaml, sub/./b.yaml]\n")
    code, out, err = run(capsys, "check", str(spec))
    assert code == 0, err


def test_compute_refuses_a_lecture_cleanly(capsys, tmp_path):
    (tmp_path / "a.yaml").write_text(scene_text("A"))
    spec = tmp_path / "lecture.yaml"
    spec.write_text("# the course\nlecture: L\nscenes: [a.yaml]\n")
    code, out, err = run(capsys, "compute", str(spec))
    [match] = assert_clean_exit_2(code, out, err, str(spec))
    assert (match["line"], match["column"]) == ("2", "1")
    assert match["message"] == (
        "this is a lecture spec (it has `lecture:`), not a scene spec; compute takes a scene"
    )


def test_two_specs_writing_the_same_files_are_refused(capsys, tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(scene_text("Same"))
    b.write_text(scene_text("Same"))
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "render", str(a), str(b), "-q", "low", "-o", str(out_dir))
    [match] = assert_clean_exit_2(code, out, err, str(b))
    assert (match["line"], match["column"]) == ("1", "8")
    assert "'Same' is also the name of a video from" in match["message"]
    assert not out_dir.exists()


def test_two_specs_whose_names_differ_only_in_case_are_refused(capsys, tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(scene_text("HuberLoss"))
    b.write_text(scene_text("Huberloss"))
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "render", str(a), str(b), "-q", "low", "-o", str(out_dir))
    [match] = assert_clean_exit_2(code, out, err, str(b))
    assert (match["line"], match["column"]) == ("1", "8")
    assert match["message"] == (
        f"scene: 'Huberloss' is also the name of a video from {a} as 'HuberLoss', and names "
        "that differ only in case name the same files on macOS and Windows; both would be "
        f"written to {out_dir / 'HuberLoss'}.*: give them different names"
    )
    # A lecture and a scene given alongside it, likewise.
    lecture = tmp_path / "lecture.yaml"
    lecture.write_text("lecture: Hubercourse\nscenes: [a.yaml]\n")
    c = tmp_path / "c.yaml"
    c.write_text(scene_text("HuberCourse"))
    code, out, err = run(capsys, "render", str(lecture), str(c), "-q", "low", "-o", str(out_dir))
    [match] = assert_clean_exit_2(code, out, err, str(c))
    assert "as 'Hubercourse'" in match["message"]
    assert not out_dir.exists()


@pytest.mark.parametrize(
    "command",
    [
        ["render", "CONFIG/l2.yaml", "-o"],
        ["export", "CONFIG/lecture.yaml", "-o"],
        ["export", "CONFIG/lecture.yaml", "-o", "site", "--render-dir"],
        ["watch", "CONFIG/l2.yaml", "-o"],
    ],
    ids=["render -o", "export -o", "export --render-dir", "watch -o"],
)
def test_output_folder_that_cannot_be_one(tmp_path, command):
    """A file given as an output folder, or a folder inside a file: the same line everywhere."""
    from helpers import CONFIG, run_cli

    blocker = tmp_path / "videos.mp4"
    blocker.write_bytes(b"keep")
    argv = [part.replace("CONFIG", str(CONFIG)) for part in command]
    for target, why in (
        (blocker, "exists and is not a folder"),
        (blocker / "sub", f"{blocker} is a file, so no folder can be made inside it"),
    ):
        result = run_cli(*argv, str(target), cwd=tmp_path, timeout=60)
        assert result.returncode == 2, result.stderr
        assert result.stdout == ""
        assert result.stderr == f"loss-scenes: error: {target}: {why}\n"
    assert blocker.read_bytes() == b"keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["videos.mp4"]


def test_a_file_that_is_not_a_spec_and_a_missing_file(capsys, tmp_path):
    for path, fragment in ((tmp_path, "a folder"), (tmp_path / "nope.yaml", "file not found")):
        code, out, err = run(capsys, "check", str(path))
        assert_clean_exit_2(code, out, err, str(path))
        assert fragment in err


def test_bad_options_exit_2_without_traceback(capsys):
    for argv in (["render", "-q", "ultra"], ["render", "--format", "avi"], ["nope"], []):
        code, out, err = run(capsys, *argv)
        assert code == 2 and "Traceback" not in err and out == ""


def test_unreadable_spec(capsys, tmp_path):
    spec = tmp_path / "s.yaml"
    spec.write_text(MINIMAL)
    if os.geteuid() == 0:
        # Root reads anything; a path through a regular file fails for everyone.
        spec = spec / "inner.yaml"
    else:  # pragma: no cover
        spec.chmod(0)
    code, out, err = run(capsys, "check", str(spec))
    assert_clean_exit_2(code, out, err, str(spec))


# --------------------------------------------------------------------------------------------------
# 4. Property: mutated specs through the CLI either succeed or exit 2 cleanly


FUZZ_COUNTS = {"examples": 0, "valid": 0, "invalid": 0}


@pytest.mark.slow  # 250 fuzzed specs through check and compute: the full suite only
@settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=mutated_spec())
def test_fuzzed_specs_succeed_or_exit_2_cleanly(capsys, tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("fuzz")
    spec = folder / "s.yaml"
    spec.write_bytes(text.encode("utf-8", "surrogatepass"))
    FUZZ_COUNTS["examples"] += 1
    code, out, err = run(capsys, "check", str(spec))
    assert "Traceback" not in err
    if code == 2:
        FUZZ_COUNTS["invalid"] += 1
        assert_clean_exit_2(code, out, err, str(spec))
        out_dir = folder / "out"
        code, out, err = run(capsys, "render", str(spec), "-q", "low", "-o", str(out_dir))
        assert_clean_exit_2(code, out, err, str(spec))
        assert not out_dir.exists()
        return
    assert code == 0, err
    FUZZ_COUNTS["valid"] += 1
    code, out, err = run(capsys, "compute", str(spec))
    assert code == 0, err
    assert "Traceback" not in err
    document = json.loads(out)  # strict JSON: NaN or Infinity would not parse back as numbers
    assert all(v is not None for v in document["trajectory"])
    for line in err.splitlines():
        assert line.startswith("warning: "), err


@pytest.fixture(scope="module", autouse=True)
def _report_fuzz_counts():
    yield
    if FUZZ_COUNTS["examples"]:
        print(f"\nfuzz through the CLI: {FUZZ_COUNTS}")


# --------------------------------------------------------------------------------------------------
# 5. Files that are not regular files: the size limit holds for every read


def test_endless_devices_are_refused_after_one_mib():
    from helpers import run_cli

    for device in ("/dev/zero", "/dev/urandom"):
        result = run_cli("check", device, timeout=60)
        assert result.returncode == 2, result.stderr
        assert result.stderr == f"{device}:1:1: error: the file is larger than 1024 KiB\n"


def test_pipes_are_read_up_to_the_limit(tmp_path):
    import threading

    from helpers import run_cli

    fifo = tmp_path / "spec.fifo"

    def feed(payload: bytes, endless: bool) -> None:
        # The whole block: closing the pipe flushes what is buffered, and that too can find
        # the reader gone.
        try:
            with open(fifo, "wb") as pipe:
                pipe.write(payload)
                while endless:
                    pipe.write(b"# " + b"x" * 65536 + b"\n")
        except BrokenPipeError:
            pass  # the reader stopped at the limit, as it should

    for payload, endless, code in ((MINIMAL.encode(), False, 0), (b"scene: A\n", True, 2)):
        os.mkfifo(fifo)
        writer = threading.Thread(target=feed, args=(payload, endless), daemon=True)
        writer.start()
        result = run_cli("check", str(fifo), timeout=60)
        writer.join(timeout=10)
        assert result.returncode == code, result.stderr
        if code == 2:
            assert "larger than 1024 KiB" in result.stderr
        fifo.unlink()
