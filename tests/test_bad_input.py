"""Every bad input through the real command line: exit 2, one `FILE:LINE:COLUMN: error:` line per
problem, no traceback, nothing on stdout, nothing written in `-o DIR`.

The CLI runs in-process (``scenes.cli.main``), which is what ``python -m scenes`` calls; a few
cases are repeated in a subprocess by ``test_cli.py``. Cases come from three tables: the spec
layer's table (``test_spec.BAD``), every numeric field given every kind of non-number, and the
file-, list-, name- and lecture-level cases below.
"""

import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_spec import BAD, MINIMAL, SPEC_V1_EXAMPLE

from scenes.cli import main

ERROR_LINE = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<column>\d+): error: (?P<message>.+)$")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def assert_clean_exit_2(code: int, out: str, err: str, file: str) -> list[re.Match]:
    assert code == 2, err
    assert "Traceback" not in err, err
    assert out == ""
    matches = [ERROR_LINE.match(row) for row in err.splitlines()]
    assert matches and all(matches), err
    assert any(m["file"] == file for m in matches), err
    for m in matches:
        assert int(m["line"]) >= 1 and int(m["column"]) >= 1
    return matches


def check_everywhere(
    capsys, tmp_path: Path, spec: Path, fragment: str, scene: bool = True, file: Path | None = None
):
    """check, compute (scenes) and render all refuse ``spec`` the same way and write nothing."""
    out_dir = tmp_path / "out"
    commands = [["check", str(spec)], ["render", str(spec), "-q", "low", "-o", str(out_dir)]]
    if scene:
        commands.append(["compute", str(spec)])
    for command in commands:
        code, out, err = run(capsys, *command)
        assert_clean_exit_2(code, out, err, str(file or spec))
        assert fragment in err, (command, err)
    assert not out_dir.exists(), "an invalid spec must write nothing"


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


def numeric_field_specs() -> list[tuple[str, str]]:
    """(field path, spec text with the placeholder X where the field's value goes)."""
    obs = "observations: {values: [1, 2, 3]}\n"
    head = "scene: A\nloss: {name: l2}\n"
    return [
        ("loss.delta", "scene: A\nloss: {name: huber, delta: X}\n" + obs),
        ("observations.values[1]", head + "observations: {values: [1, X, 3]}\n"),
        ("observations.sample.n", head + "observations: {sample: {n: X}}\n"),
        ("observations.sample.seed", head + "observations: {sample: {n: 3, seed: X}}\n"),
        ("observations.sample.loc", head + "observations: {sample: {n: 3, loc: X}}\n"),
        ("observations.sample.scale", head + "observations: {sample: {n: 3, scale: X}}\n"),
        (
            "observations.sample.df",
            head + "observations: {sample: {n: 3, dist: student_t, df: X}}\n",
        ),
        (
            "observations.sample.outliers[0]",
            head + "observations: {sample: {n: 3, outliers: [X]}}\n",
        ),
        ("curves.x_range[0]", head + "curves: {x_range: [X, 5]}\n" + obs),
        ("curves.y_range[1]", head + "curves: {y_range: [-1, X]}\n" + obs),
        ("estimate.start", head + "estimate: {start: X}\n" + obs),
        ("estimate.steps", head + "estimate: {steps: X}\n" + obs),
        *[
            (f"timing.{key}", head + f"timing: {{{key}: X}}\n" + obs)
            for key in ("intro", "curve", "data", "estimate", "hold")
        ],
    ]


NOT_NUMBERS = {
    "nan": ".nan",
    "infinity": ".inf",
    "minus infinity": "-.inf",
    "overflowing literal": "1e400",
    "overflowing negative literal": "-1.5e999",
    "beyond 1e15": "1e16",
    "quoted number": "'2.5'",
    "word": "two",
    "boolean": "true",
    "null": "null",
    "empty value": "",
    "list": "[1]",
    "mapping": "{a: 1}",
}
# Within the float range but beyond a field's own limit is covered by "beyond 1e15"; for the
# integer fields (n, seed, steps) a float is refused as not whole, so every row must fail.
NUMERIC_CASES = [
    (f"{path} = {label}", path, template.replace("X", literal))
    for path, template in numeric_field_specs()
    for label, literal in NOT_NUMBERS.items()
    # Inside a flow list, nothing at all is no item rather than an empty one.
    if not (label == "empty value" and "X]" in template)
]


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

V = "observations: {values: [1, 2, 3]}\n"
HEAD = "scene: A\nloss: {name: l2}\n"


def bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


SCENE_CASES = [
    # (id, text or bytes, fragment)
    ("empty file", "", "the file is empty"),
    ("only comments", "# a\n# b\n", "the file is empty"),
    ("only whitespace", "\n   \n\n", "the file is empty"),
    ("not UTF-8", b"scene: A\ntitle: caf\xe9\n", "not valid UTF-8"),
    ("UTF-16", "scene: A\n".encode("utf-16"), "not valid UTF-8"),
    ("binary", bytes(range(256)), "error:"),
    ("huge file", "# " + "x" * (1024 * 1024) + "\n", "larger than 1024 KiB"),
    ("alias bomb", bomb(), "anchors (&a) are not allowed"),
    ("python object tag", "scene: !!python/object/apply:os.system ['true']\n", "not allowed"),
    ("custom tag", HEAD + "title: !secret x\n" + V, "not allowed"),
    ("set tag", HEAD + "title: !!set {a}\n" + V, "not allowed"),
    ("tab indentation", "scene: A\nloss:\n\tname: l2\n" + V, "tabs"),
    ("duplicate nested key", "scene: A\nloss: {name: l2, name: l1}\n" + V, "duplicate key 'name'"),
    ("unclosed quote", HEAD + "title: 'abc\n" + V, "YAML syntax error"),
    ("top level is a string", "just text\n", "expected a mapping"),
    ("top level is a number", "42\n", "expected a mapping"),
    ("scene is a number", "scene: 42\nloss: {name: l2}\n" + V, "scene: expected text"),
    ("loss is a list", "scene: A\nloss: [l2]\n" + V, "loss: expected a mapping"),
    ("observations is a list", HEAD + "observations: [1, 2]\n", "observations: expected a mapping"),
    ("values is a mapping", HEAD + "observations: {values: {a: 1}}\n", "expected a list"),
    ("values is a number", HEAD + "observations: {values: 3}\n", "expected a list"),
    ("curves.show is text", HEAD + "curves: {show: loss}\n" + V, "expected a list"),
    ("missing observations", HEAD, "observations: required key is missing"),
    ("missing loss", "scene: A\n" + V, "loss: required key is missing"),
    ("missing scene", "loss: {name: l2}\n" + V, "scene: required key is missing"),
    ("missing sample.n", HEAD + "observations: {sample: {seed: 1}}\n", "n: required key"),
    ("unknown key did you mean", HEAD + V + "timng: {hold: 1}\n", "did you mean 'timing'"),
    ("unknown nested key", HEAD + V + "estimate: {stpes: 3}\n", "did you mean 'steps'"),
    ("empty values", HEAD + "observations: {values: []}\n", "expected at least 1 item"),
    ("empty show", HEAD + "curves: {show: []}\n" + V, "expected at least 1 item"),
    (
        "1001 values",
        HEAD + "observations: {values: [" + ", ".join(["1"] * 1001) + "]}\n",
        "expected at most 1000 items",
    ),
    ("sample n 1001", HEAD + "observations: {sample: {n: 1001}}\n", "expected a number <= 1000"),
    ("steps 10001", HEAD + "estimate: {steps: 10001}\n" + V, "expected a number <= 10000"),
    ("steps huge", HEAD + "estimate: {steps: 99999999999999999999}\n" + V, "<= 10000"),
    ("video over 600 s", HEAD + "timing: {estimate: 598}\n" + V, "at most 600 s"),
    ("one beat over 600 s", HEAD + "timing: {hold: 601}\n" + V, "expected a number <= 600"),
    (
        "x_range too narrow",
        HEAD + "curves: {x_range: [1e12, 1.0000000000001e12]}\n" + V,
        "too narrow",
    ),
    ("delta below 1e-12", "scene: A\nloss: {name: huber, delta: 1e-13}\n" + V, "at least 1e-12"),
    (
        "sample beyond 1e15",
        HEAD + "observations: {sample: {n: 3, scale: 1e15, loc: 1e15}}\n",
        "beyond +-1e15",
    ),
    ("scene name with a slash", "scene: ../Evil\nloss: {name: l2}\n" + V, "CamelCase"),
    ("scene name absolute", "scene: /tmp/Evil\nloss: {name: l2}\n" + V, "CamelCase"),
    ("scene name with a dot", "scene: A.b\nloss: {name: l2}\n" + V, "CamelCase"),
    ("scene name dot-dot", "scene: '..'\nloss: {name: l2}\n" + V, "CamelCase"),
    ("scene name with a space", "scene: A b\nloss: {name: l2}\n" + V, "CamelCase"),
    ("scene name with a NUL", 'scene: "A\\0b"\nloss: {name: l2}\n' + V, "CamelCase"),
    ("scene name non-ASCII", "scene: Ärger\nloss: {name: l2}\n" + V, "CamelCase"),
    ("scene name empty", "scene: ''\nloss: {name: l2}\n" + V, "CamelCase"),
    ("scene name lower case", "scene: huber\nloss: {name: l2}\n" + V, "CamelCase"),
    ("scene name 65 chars", "scene: A" + "b" * 64 + "\nloss: {name: l2}\n" + V, "at most 64"),
]


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


def scene_text(name: str, timing: str = "") -> str:
    return f"scene: {name}\nloss: {{name: l2}}\n{V}{timing}"


LECTURE_CASES = [
    # (id, lecture text, {file: text}, fragment)
    (
        "missing scene file",
        "lecture: L\nscenes: [a.yaml, nope.yaml]\n",
        {},
        "'nope.yaml' not found",
    ),
    (
        "path leaves the folder",
        "lecture: L\nscenes: [../x.yaml]\n",
        {},
        "leaves the lecture's folder",
    ),
    (
        "path through a folder and back out",
        "lecture: L\nscenes: [sub/../../x.yaml]\n",
        {"sub/": ""},
        "leaves the lecture's folder",
    ),
    ("absolute path", "lecture: L\nscenes: [/etc/passwd]\n", {}, "absolute path"),
    ("windows absolute path", "lecture: L\nscenes: ['C:\\x.yaml']\n", {}, "absolute path"),
    (
        "backslash dot-dot",
        "lecture: L\nscenes: ['..\\x.yaml']\n",
        {},
        "leaves the lecture's folder",
    ),
    (
        "link out of the folder",
        "lecture: L\nscenes: [link.yaml]\n",
        {"link": True},
        "through a link",
    ),
    ("scene path is a folder", "lecture: L\nscenes: [sub]\n", {"sub/": ""}, "not found"),
    ("empty path", "lecture: L\nscenes: ['']\n", {}, "expected a file name"),
    (
        "control character in a path",
        'lecture: L\nscenes: ["a\\0.yaml"]\ntitle: "T\\x01"\n',
        {},
        "control character U+0000",
    ),
    ("no scenes", "lecture: L\nscenes: []\n", {}, "expected at least 1 item"),
    (
        "101 scenes",
        "lecture: L\nscenes: [" + ", ".join(["a.yaml"] * 101) + "]\n",
        {},
        "at most 100 items",
    ),
    (
        "duplicate scene names",
        "lecture: L\nscenes: [a.yaml, b.yaml]\n",
        {"b.yaml": scene_text("A")},
        "scene name 'A' is already used by a.yaml",
    ),
    (
        "scene names equal but for case",
        "lecture: L\nscenes: [a.yaml, b.yaml]\n",
        {"a.yaml": scene_text("SceneB"), "b.yaml": scene_text("Sceneb")},
        "scene name 'Sceneb' is already used by a.yaml (scenes[0]) as 'SceneB', and names that "
        "differ only in case name the same files on macOS and Windows",
    ),
    (
        "lecture named like a scene but for case",
        "lecture: Sceneb\nscenes: [a.yaml]\n",
        {"a.yaml": scene_text("SceneB")},
        "lecture: 'Sceneb' is also the scene name of a.yaml (scenes[0]) as 'SceneB'",
    ),
    (
        "lecture named like a scene",
        "lecture: A\nscenes: [a.yaml]\n",
        {},
        "lecture: 'A' is also the scene name of a.yaml",
    ),
    (
        "lecture listed as a scene",
        "lecture: L\nscenes: [a.yaml, inner.yaml]\n",
        {"inner.yaml": "lecture: Inner\nscenes: [a.yaml]\n"},
        "lecture.yaml:2:18: error: scenes[1]: inner.yaml is a lecture spec (it has `lecture:`), "
        "not a scene spec; a lecture lists scene specs",
    ),
    (
        "lecture over an hour",
        "lecture: L\nscenes: [" + ", ".join(f"s{i}.yaml" for i in range(8)) + "]\n",
        {f"s{i}.yaml": scene_text(f"S{i}", "timing: {estimate: 500}\n") for i in range(8)},
        "a lecture may last at most 3600 s",
    ),
    ("lecture name not CamelCase", "lecture: ../L\nscenes: [a.yaml]\n", {}, "CamelCase"),
    (
        "bad quality",
        "lecture: L\nscenes: [a.yaml]\nrender: {quality: ultra}\n",
        {},
        "expected one of",
    ),
    (
        "empty formats",
        "lecture: L\nscenes: [a.yaml]\nrender: {formats: []}\n",
        {},
        "at least 1 item",
    ),
    (
        "bad scene inside a lecture",
        "lecture: L\nscenes: [a.yaml]\n",
        {"a.yaml": "scene: A\nloss: {name: l2}\nobservations: {values: [.nan]}\n"},
        "a.yaml:3:25: error: observations.values[0]: expected a finite number",
    ),
]


def lecture_folder(tmp_path: Path, lecture: str, files: dict) -> Path:
    """A lecture file beside the scene a.yaml (scene A), with ``files``; x.yaml one folder up."""
    folder = tmp_path / "lec"
    folder.mkdir()
    (folder / "a.yaml").write_text(scene_text("A"))
    (tmp_path / "x.yaml").write_text(scene_text("X"))
    for name, text in files.items():
        if name == "link":
            (folder / "link.yaml").symlink_to(tmp_path / "x.yaml")
        elif name.endswith("/"):
            (folder / name).mkdir()
        else:
            (folder / name).write_text(text)
    spec = folder / "lecture.yaml"
    spec.write_text(lecture)
    return spec


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

SAMPLE = (
    "scene: Sampled\nloss: {name: huber, delta: auto}\nobservations:\n"
    "  sample: {n: 9, seed: 3, dist: laplace, outliers: [7.5]}\nestimate: {steps: 30}\n"
)
SEEDS = [MINIMAL, SPEC_V1_EXAMPLE, SAMPLE]
MUTATIONS = list(":-[]{},#&*!|>'\"\t\n ?%@`") + [
    "1e-6",
    "1e400",
    "-1e16",
    "yes",
    "null",
    "~",
    ".nan",
    "-.inf",
    "!!python/",
    "0x1F",
    "'",
    "é",
    "\x00",
    "\ufeff",
    "..",
    "/",
    "scene: B\n",
    "  x: 1\n",
    "<<: ",
    "*a",
    "&a ",
]


NUMBER = re.compile(r"(?<![\w.])-?\d+(\.\d+)?(e-?\d+)?(?![\w.])")
ODD_NUMBERS = [
    "0",
    "-0.0",
    "1",
    "2",
    "1e-12",
    "1e-13",
    "5e-324",
    "1e-300",
    "1e15",
    "-1e15",
    "1e16",
    "123456789012.5",
    "1.0000000001",
    "0x10",
    "0o7",
    "1_000",
    "10000",
    "10001",
    "+3",
    ".5",
]


@st.composite
def renumbered_spec(draw) -> str:
    """A valid spec with some of its numbers replaced: mostly still valid, so compute runs."""
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 3))):
        spans = [m.span() for m in NUMBER.finditer(text)]
        i, j = draw(st.sampled_from(spans))
        new = draw(
            st.one_of(
                st.sampled_from(ODD_NUMBERS),
                st.floats(-1e15, 1e15, allow_nan=False).map(repr),
                st.integers(-(10**6), 10**6).map(str),
            )
        )
        text = text[:i] + new + text[j:]
    return text


@st.composite
def mutated_spec(draw) -> str:
    if draw(st.booleans()):
        return draw(renumbered_spec())
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 8)))
        insert = draw(st.one_of(st.sampled_from(MUTATIONS), st.text(max_size=4)))
        text = text[:i] + insert + text[j:]
    return text


FUZZ_COUNTS = {"examples": 0, "valid": 0, "invalid": 0}


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
        with open(fifo, "wb") as pipe:
            try:
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
