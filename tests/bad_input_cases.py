"""Bad input through the command line, shared by the CLI, course and schema tests: the case
tables (every numeric field given every non-number, file-, list-, name- and lecture-level
cases), fuzzed specs, and the helpers that run a command and check its exit 2."""

import re
from pathlib import Path

from hypothesis import strategies as st
from spec_cases import MINIMAL, SPEC_V1_EXAMPLE

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
