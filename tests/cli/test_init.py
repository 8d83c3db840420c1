"""``loss-scenes init DIR``: a starter course that passes check, and never overwrites."""

import json
import re
from pathlib import Path

import jsonschema
import yaml
from helpers import ROOT, run_cli

from scenes.spec import load_course

SCHEMA_FILE = ROOT / "assets" / "schema" / "spec-v1.schema.json"
WRITTEN = [
    "README.md",
    ".gitignore",
    "config/lecture.yaml",
    "config/squared.yaml",
    "config/huber.yaml",
    "config/course.yaml",
    "config/spec-v1.schema.json",
    "manim_scenes.py",
]


def _tree(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_init_writes_a_narrated_course_that_passes_check(tmp_path):
    folder = tmp_path / "stat157"
    result = run_cli("init", str(folder))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [str(folder / name) for name in WRITTEN]
    assert _tree(folder) == sorted(WRITTEN)

    check = run_cli("check", str(folder / "config" / "course.yaml"))
    assert check.returncode == 0, check.stderr
    course = load_course(folder / "config" / "course.yaml")
    assert course.spec.course == "Stat157" and course.spec.title == "stat157"
    [lecture] = course.lectures
    assert lecture.spec.voice is not None and lecture.spec.voice.engine == "espeak-ng"
    assert all(scene.narration.estimate for _, scene in lecture.scenes)

    # Every spec names the schema beside it, which is this version's, and validates against it.
    schema = folder / "config" / "spec-v1.schema.json"
    assert schema.read_text() == SCHEMA_FILE.read_text()
    validator = jsonschema.Draft202012Validator(json.loads(schema.read_text()))
    for spec in (folder / "config").glob("*.yaml"):
        first = spec.read_text().splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match and (spec.parent / match[1]).resolve() == schema.resolve(), spec
        validator.validate(yaml.safe_load(spec.read_text()))

    assert (folder / "manim_scenes.py").read_text() == (ROOT / "scenes/manim_scenes.py").read_text()
    assert "/renders/" in (folder / ".gitignore").read_text()
    readme = (folder / "README.md").read_text()
    assert readme.startswith("# stat157\n")
    assert "loss-scenes export config/course.yaml -o site" in readme
    assert "manim -ql manim_scenes.py HuberLoss" in readme


def test_new_in_an_initialised_course_uses_the_schema_beside_it(tmp_path):
    folder = tmp_path / "course"
    assert run_cli("init", str(folder)).returncode == 0
    result = run_cli("new", "cauchy_scene", "--loss", "cauchy", "--dir", str(folder / "config"))
    assert result.returncode == 0, result.stderr
    text = (folder / "config" / "cauchy_scene.yaml").read_text()
    assert text.splitlines()[0] == "# yaml-language-server: $schema=spec-v1.schema.json"
    assert "wrote the JSON Schema" not in result.stderr


def test_init_never_overwrites_and_then_writes_nothing(tmp_path):
    folder = tmp_path / "course"
    (folder / "config").mkdir(parents=True)
    (folder / "config" / "huber.yaml").write_text("keep me\n")
    before = _tree(folder)
    result = run_cli("init", str(folder))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() == (
        f"loss-scenes: error: {folder / 'config' / 'huber.yaml'} exists; init never "
        "overwrites, so it wrote nothing"
    )
    assert _tree(folder) == before
    assert (folder / "config" / "huber.yaml").read_text() == "keep me\n"


def test_init_into_a_file_or_under_one_is_refused(tmp_path):
    target = tmp_path / "taken"
    target.write_text("x")
    for folder in (target, target / "below"):
        result = run_cli("init", str(folder))
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        assert target.read_text() == "x"


def test_the_course_is_named_after_any_folder_name(tmp_path):
    folder = tmp_path / '2024 ML "robust" course'
    assert run_cli("init", str(folder)).returncode == 0
    course = load_course(folder / "config" / "course.yaml")
    assert course.spec.course == "Course2024MLRobustCourse"
    assert course.spec.title == '2024 ML "robust" course'
