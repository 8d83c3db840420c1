"""Issue 23, spec and authoring: what ``check`` accepted must render, and ``new`` / ``init`` must
not write what the user did not mean (one test per line of the issue).
"""

import errno
import tempfile
from pathlib import Path

import pytest
from bad_input_cases import assert_clean_exit_2, check_everywhere, run
from helpers import CONFIG, fast_copy

from scenes.package_data import SCHEMA_NAME

SUMMARY = """\
scene: Closing
kind: summary
observations:
  values: [-1.8, -0.6, -0.2, 0.1, 0.4, 0.9, 1.3, 6.0]
losses:
  - {name: l2}
  - {name: expr, expr: "-r**2"}
"""


def _one_error(err: str) -> str:
    [line] = err.splitlines()
    return line


# --- kind: summary with a formula that has no minimum ------------------------------------------


def test_a_summary_formula_with_no_minimum_fails_check_at_the_formula(capsys, tmp_path):
    """``-r**2`` has no minimum: as for a loss scene, exit 2 at ``losses[1].expr`` (7:24), alone
    and in a lecture, before anything is computed or rendered.
    """
    spec = tmp_path / "closing.yaml"
    spec.write_text(SUMMARY)
    check_everywhere(capsys, tmp_path, spec, "finds none", scene=False)
    code, out, err = run(capsys, "check", str(spec))
    assert _one_error(err).startswith(f"{spec}:7:24: error: losses[1].expr: the search for its")

    lecture = tmp_path / "lecture.yaml"
    lecture.write_text("lecture: Talk\ntitle: Talk\nscenes: [closing.yaml]\n")
    code, out, err = run(capsys, "check", str(lecture))
    assert_clean_exit_2(code, out, err, str(spec))
    assert f"{spec}:7:24: error: losses[1].expr" in err

    # log(cosh(r)) overflows at residuals beyond about 710, which data in the thousands meet.
    spec.write_text(SUMMARY.replace("6.0]", "2000.0]").replace('"-r**2"', '"log(cosh(r))"'))
    code, out, err = run(capsys, "check", str(spec))
    assert_clean_exit_2(code, out, err, str(spec))
    assert "losses[1].expr: the loss or its slope is not finite at r = " in err

    # A formula with a minimum still passes (and settles where the built-in does).
    spec.write_text(SUMMARY.replace('"-r**2"', '"r**2 / 2"'))
    code, out, err = run(capsys, "check", str(spec))
    assert code == 0, err


# --- ranges too narrow to plot -----------------------------------------------------------------


@pytest.mark.parametrize("narrow", ["[0, 1e-300]", "[0, 5e-324]", "[-1e-13, 1e-13]"])
@pytest.mark.parametrize("field", ["x_range", "y_range", "line"])
def test_a_range_too_narrow_to_plot_is_refused(capsys, tmp_path, narrow, field):
    """These passed check, then failed drawing (``float division by zero``, ``math domain
    error``): every range must be at least 1e-12 wide.
    """
    replacements = {
        "x_range": {"x_range: [-5, 5]": f"x_range: {narrow}"},
        "y_range": {"x_range: [-5, 5]": f"x_range: [-5, 5]\n  y_range: {narrow}"},
        "line": {"observations:\n": f"observations:\n  line: {narrow}\n"},
    }[field]
    spec = fast_copy(CONFIG / "l2.yaml", tmp_path, **replacements)
    check_everywhere(capsys, tmp_path, spec, "is too narrow to plot")
    code, out, err = run(capsys, "check", str(spec))
    assert "hi - lo must be at least 1e-12" in _one_error(err)
    assert f".{field}: " in err


def test_a_range_1e_12_wide_is_accepted(capsys, tmp_path):
    spec = fast_copy(CONFIG / "l2.yaml", tmp_path, **{"x_range: [-5, 5]": "x_range: [0, 1e-12]"})
    code, out, err = run(capsys, "check", str(spec))
    assert code == 0, err


# --- a course's names that differ only in case -------------------------------------------------


def test_lectures_named_alike_but_for_case_are_refused_in_a_course(capsys, tmp_path):
    for name in ("Alpha", "ALPHA"):
        scene = fast_copy(CONFIG / "l2.yaml", tmp_path, **{"scene: SquaredLoss": f"scene: S{name}"})
        scene.rename(tmp_path / f"s{name}.yaml")
        (tmp_path / f"{name}.yaml").write_text(
            f"lecture: {name}\ntitle: {name}\nscenes: [s{name}.yaml]\n"
        )
    course = tmp_path / "course.yaml"
    course.write_text("course: Course\ntitle: C\nlectures: [Alpha.yaml, ALPHA.yaml]\n")
    check_everywhere(capsys, tmp_path, course, "differ only in case", scene=False)
    code, out, err = run(capsys, "check", str(course))
    assert _one_error(err) == (
        f"{course}:3:24: error: lectures[1]: lecture name 'ALPHA' is already used by lectures[0] "
        "(Alpha.yaml) as 'Alpha', and names that differ only in case name the same files on "
        "macOS and Windows; names must be unique in a course (each names a video, a lecture "
        "also its folder of the course site)"
    )


# --- new and init: names -----------------------------------------------------------------------


def test_new_refuses_a_scene_name_the_folder_already_has(capsys, tmp_path):
    code, out, err = run(capsys, "new", "my_huber", "--dir", str(tmp_path))
    assert code == 0, err
    code, out, err = run(capsys, "new", "my-huber", "--dir", str(tmp_path))
    assert (code, out) == (2, "")
    assert err == (
        f"loss-scenes: error: the scene name 'MyHuber' is already used by "
        f"{tmp_path / 'my_huber.yaml'}; choose another NAME\n"
    )
    (tmp_path / "shout.yaml").write_text("lecture: MYLECTURE\n")
    code, out, err = run(capsys, "new", "my_lecture", "--dir", str(tmp_path))
    assert code == 2 and "as 'MYLECTURE', and names that differ only in case" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "my_huber.yaml",
        "shout.yaml",
        SCHEMA_NAME,
    ]


def test_new_keeps_a_camel_case_name_as_written(capsys, tmp_path):
    code, out, err = run(capsys, "new", "ABC", "--dir", str(tmp_path))
    assert code == 0, err
    assert "scene: ABC  #" in (tmp_path / "abc.yaml").read_text()
    code, out, err = run(capsys, "new", "MyHuber", "--dir", str(tmp_path))
    assert "scene: MyHuber  #" in (tmp_path / "my_huber.yaml").read_text()


def test_init_names_a_course_after_a_folder_with_accents_in_ascii(capsys, tmp_path):
    code, out, err = run(capsys, "init", str(tmp_path / "über"))
    assert code == 0, err
    assert "course: Uber\n" in (tmp_path / "über" / "config" / "course.yaml").read_text()

    code, out, err = run(capsys, "init", str(tmp_path / "课程"))
    assert (code, out) == (2, "")
    assert err == (
        "loss-scenes: error: the course is named after its folder, and '课程' has letters with "
        "no ASCII form (课程); a course name is CamelCase ASCII: choose a folder name in ASCII "
        "letters and digits\n"
    )
    assert not (tmp_path / "课程").exists()


def test_init_refuses_an_empty_folder_name(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "init", "")
    assert (code, out) == (2, "")
    assert err == (
        "loss-scenes: error: DIR is empty; name the folder for the course (. for this one)\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_init_says_in_one_line_why_it_cannot_write_the_target(capsys, tmp_path, monkeypatch):
    code, out, err = run(capsys, "init", "/proc/x")
    assert (code, out) == (2, "")
    assert err == (
        "loss-scenes: error: cannot write the starter course into /proc/x: No such file or "
        "directory\n"
    )

    # A read-only folder (simulated: the tests may run as root, who may write anywhere): the
    # error names a temporary file of the atomic write, which the user never asked for.
    def refuse(*args, dir=None, **kwargs):
        name = Path(dir or ".") / ".README.md.tmp-x1y2"
        raise PermissionError(errno.EACCES, "Permission denied", str(name))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    target = tmp_path / "readonly"
    code, out, err = run(capsys, "init", str(target))
    assert (code, out) == (2, "")
    assert err == (
        f"loss-scenes: error: cannot write the starter course into {target}: Permission denied\n"
    )
    assert not target.exists()


# --- new and a neighbour's $schema -------------------------------------------------------------


@pytest.mark.parametrize(
    "reference", ["../../victim.txt", "/etc/passwd", f"../{SCHEMA_NAME}", "notes.txt"]
)
def test_new_follows_only_a_schema_file_inside_the_folder(capsys, tmp_path, reference):
    """Anything else would be named in "loss-scenes schema > THAT_PATH", which overwrites it."""
    folder = tmp_path / "course" / "config"
    folder.mkdir(parents=True)
    for victim in (
        tmp_path / "victim.txt",
        tmp_path / "course" / SCHEMA_NAME,
        folder / "notes.txt",
    ):
        victim.write_text("keep me\n")
    (folder / "a.yaml").write_text(f"# yaml-language-server: $schema={reference}\n")
    code, out, err = run(capsys, "new", "mine", "--dir", str(folder))
    assert code == 0, err
    first = (folder / "mine.yaml").read_text().splitlines()[0]
    assert first == f"# yaml-language-server: $schema={SCHEMA_NAME}"
    assert err == f"wrote the JSON Schema {folder / SCHEMA_NAME}\n"
    assert reference not in err
    assert (tmp_path / "victim.txt").read_text() == "keep me\n"


def test_new_follows_a_json_schema_outside_the_folder(capsys, tmp_path):
    """This repository's config/ names ../assets/schema/spec-v1.schema.json: a real JSON Schema,
    which `loss-scenes schema >` may replace, so a new spec there says the same."""
    from scenes.package_data import packaged_schema_text

    folder = tmp_path / "config"
    folder.mkdir()
    schema = tmp_path / "assets" / "schema" / SCHEMA_NAME
    schema.parent.mkdir(parents=True)
    schema.write_text(packaged_schema_text())
    reference = f"../assets/schema/{SCHEMA_NAME}"
    (folder / "a.yaml").write_text(f"# yaml-language-server: $schema={reference}\n")
    code, out, err = run(capsys, "new", "mine", "--dir", str(folder))
    assert code == 0, err
    assert (folder / "mine.yaml").read_text().splitlines()[0] == (
        f"# yaml-language-server: $schema={reference}"
    )
    assert not (folder / SCHEMA_NAME).exists()
