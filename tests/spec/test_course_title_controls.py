"""A course title is shown text: control characters are refused at it (issue 23: NUL and ESC
passed in a course title)."""

import shutil

import pytest

from scenes.spec import SpecError, load_any


@pytest.mark.parametrize("char", ["\\0", "\\x1b"])
def test_a_control_character_in_a_course_title_is_refused_at_the_title(tmp_path, char):
    shutil.copytree("config", tmp_path / "config", ignore=shutil.ignore_patterns("locale"))
    course = tmp_path / "config" / "course.yaml"
    text = course.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("title:")]
    at = next(i for i, line in enumerate(lines) if line.startswith("course:")) + 1
    lines.insert(at, f'title: "a{char}b"')
    course.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_any(course)
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (at + 1, 8)
    assert "control character" in problem.message
