"""Bad course specs and the course folder they are tried in, shared by the course and schema
tests."""

from pathlib import Path

from bad_input_cases import scene_text


def course_folder(tmp_path: Path, course: str, files: dict[str, str]) -> Path:
    """course.yaml beside two lectures, lec.yaml (Lec: a.yaml) and lec2.yaml (Lec2: b.yaml), and
    their scenes A and B; ``files`` adds or replaces files. x.yaml is one folder up.
    """
    folder = tmp_path / "course"
    folder.mkdir()
    (tmp_path / "x.yaml").write_text("lecture: X\nscenes: [a.yaml]\n")
    defaults = {
        "a.yaml": scene_text("A"),
        "b.yaml": scene_text("B"),
        "lec.yaml": "lecture: Lec\nscenes: [a.yaml]\n",
        "lec2.yaml": "lecture: Lec2\nscenes: [b.yaml]\n",
    }
    for name, text in {**defaults, **files}.items():
        (folder / name).write_text(text)
    spec = folder / "course.yaml"
    spec.write_text(course)
    return spec


GOOD = "course: C\nlectures: [lec.yaml, lec2.yaml]\n"


COURSE_CASES = [
    # (id, course text, files, (file, line, column) of the first problem, fragment)
    ("missing lectures", "course: C\n", {}, ("course.yaml", 1, 1), "lectures: required key"),
    ("no lectures", "course: C\nlectures: []\n", {}, ("course.yaml", 2, 11), "at least 1 item"),
    ("name not CamelCase", "course: c\nlectures: [lec.yaml]\n", {}, ("course.yaml", 1, 9), "Camel"),
    (
        "unknown key",
        "course: C\nlectures: [lec.yaml]\nlecturs: []\n",
        {},
        ("course.yaml", 3, 1),
        "did you mean 'lectures'",
    ),
    (
        "lectures is text",
        "course: C\nlectures: lec.yaml\n",
        {},
        ("course.yaml", 2, 11),
        "expected a list",
    ),
    (
        "missing lecture file",
        "course: C\nlectures: [lec.yaml, nope.yaml]\n",
        {},
        ("course.yaml", 2, 22),
        "lecture file 'nope.yaml' not found next to the course file",
    ),
    (
        "path leaves the folder",
        "course: C\nlectures: [../x.yaml]\n",
        {},
        ("course.yaml", 2, 12),
        "leaves the course's folder: lecture files must be inside it",
    ),
    (
        "absolute path",
        "course: C\nlectures: [/etc/passwd]\n",
        {},
        ("course.yaml", 2, 12),
        "absolute path: give a path relative to the course file",
    ),
    ("empty path", "course: C\nlectures: ['']\n", {}, ("course.yaml", 2, 12), "a file name"),
    (
        "a scene listed as a lecture",
        "course: C\nlectures: [a.yaml]\n",
        {},
        ("course.yaml", 2, 12),
        "lectures[0]: a.yaml is not a lecture spec",
    ),
    (
        "a lecture listed twice",
        "course: C\nlectures: [lec.yaml, lec.yaml]\n",
        {},
        ("course.yaml", 2, 22),
        "lectures[1]: lecture name 'Lec' is already used by lectures[0] (lec.yaml)",
    ),
    (
        "two lectures with one name",
        GOOD,
        {"lec2.yaml": "lecture: Lec\nscenes: [b.yaml]\n"},
        ("course.yaml", 2, 22),
        "lecture name 'Lec' is already used by lectures[0] (lec.yaml)",
    ),
    (
        "one scene name in two files",
        GOOD,
        {"b.yaml": scene_text("A")},
        ("course.yaml", 2, 22),
        "scene name 'A' is already used by lectures[0] (lec.yaml)",
    ),
    (
        "a lecture named like another lecture's scene",
        GOOD,
        {"lec2.yaml": "lecture: A\nscenes: [b.yaml]\n"},
        ("course.yaml", 2, 22),
        "lecture name 'A' is already used by lectures[0] (lec.yaml)",
    ),
    (
        "a bad lecture inside",
        GOOD,
        {"lec2.yaml": "lecture: Lec2\nscenes: [nope.yaml]\n"},
        ("lec2.yaml", 2, 10),
        "scenes[0]: scene file 'nope.yaml' not found next to the lecture file",
    ),
    (
        "a bad scene inside a lecture inside",
        GOOD,
        {"b.yaml": "scene: B\nloss: {name: l2}\nobservations: {values: [.nan]}\n"},
        ("b.yaml", 3, 25),
        "observations.values[0]: expected a finite number",
    ),
    (
        "101 lectures",
        "course: C\nlectures: [" + ", ".join(["lec.yaml"] * 101) + "]\n",
        {},
        ("course.yaml", 2, 11),
        "at most 100 items",
    ),
]
