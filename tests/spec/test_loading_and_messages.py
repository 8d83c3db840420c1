"""Tests of the spec layer (scenes.spec): YAML loading, validation, positions and messages.

Expected positions were worked out by hand from the YAML texts (lines and columns are 1-based).
"""

import json
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from spec_cases import BAD, MINIMAL, SPEC_V1_EXAMPLE

from scenes.spec import (
    DEFAULT_COLORS,
    LOSS_MODELS,
    MANIM_COLORS,
    HuberLoss,
    Lecture,
    LectureSpec,
    Problem,
    SceneSpec,
    SpecError,
    load_any,
    load_lecture,
    load_scene,
    parse_scene_text,
    resolved_scene_dict,
)


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(SpecError) as info:
        parse_scene_text(text, "s.yaml")
    return info.value.problems


# --------------------------------------------------------------------------------------------------
# Valid specs


def test_spec_v1_example_loads_with_its_values():
    spec = parse_scene_text(SPEC_V1_EXAMPLE)
    assert spec.scene == "HuberLoss"
    assert spec.title == "Huber's robust loss"
    assert isinstance(spec.loss, HuberLoss)
    assert spec.loss.params() == {"delta": 1.0}
    assert spec.curves.x_range == (-5.0, 5.0)
    assert spec.curves.y_range == (-1.5, 3.5)
    assert spec.curves.colors.loss == "#58c4dd"
    assert spec.observations.values == [-1.8, -0.6, -0.2, 0.1, 0.4, 0.9, 1.3, 6.0]
    assert spec.estimate.start == -4.0
    assert spec.estimate.steps == 60


def test_minimal_spec_gets_every_default():
    # Defaults from spec-v1 section 3 (plus the timing extensions intro and data).
    assert resolved_scene_dict(parse_scene_text(MINIMAL)) == {
        "scene": "L2Loss",
        "title": None,
        "kind": "loss",
        "loss": {"name": "l2"},
        "curves": {
            "x_range": [-5.0, 5.0],
            "y_range": None,
            "show": ["loss", "density", "derivative"],
            "colors": DEFAULT_COLORS,  # the palette's (tests/scene/test_palette.py)
        },
        "observations": {"values": [1.0, 2.0, 4.0], "sample": None, "line": None},
        "estimate": {"start": None, "steps": 100, "target": "auto", "second_start": None},
        "narration": {
            key: None
            for key in ("intro", "loss", "density", "derivative", "data", "estimate")
            + ("arrival", "adapt", "restart", "hold")
        },
        "timing": {
            "intro": 1.0,
            "curve": 2.0,
            "loss": None,
            "density": None,
            "derivative": None,
            "data": 1.0,
            "estimate": 6.0,
            "arrival": 2.0,
            "adapt": None,
            "restart": None,
            "hold": 1.0,
        },
        # spec-v3 section 14: about a second after each reveal, 1.5 s after the arrival and
        # after the result (the hold), before the picture fades.
        "pause": {
            "intro": 0.0,
            "loss": 1.0,
            "density": 1.0,
            "derivative": 1.0,
            "data": 1.0,
            "estimate": 0.0,
            "arrival": 1.5,
            "adapt": 0.0,
            "restart": 0.0,
            "hold": 1.5,
        },
        "voice": None,
        "audio": None,
        "captions": None,
    }


@pytest.mark.parametrize("text", [MINIMAL, SPEC_V1_EXAMPLE])
def test_resolved_dict_round_trips(text):
    spec = parse_scene_text(text)
    data = resolved_scene_dict(spec)
    assert json.loads(json.dumps(data)) == data
    assert SceneSpec.model_validate(data) == spec
    assert resolved_scene_dict(SceneSpec.model_validate(data)) == data


def test_integers_are_numbers_and_are_stored_as_floats():
    spec = parse_scene_text(MINIMAL)
    assert all(type(v) is float for v in spec.observations.values)


@pytest.mark.parametrize(
    ("literal", "value"),
    [("1e-6", 1e-6), ("2E3", 2000.0), ("+1.5e+2", 150.0), (".5", 0.5), ("3", 3.0)],
)
def test_yaml_1_2_numbers(literal, value):
    spec = parse_scene_text(MINIMAL.replace("name: l2", f"name: huber\n  delta: {literal}"))
    assert spec.loss.delta == value


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "y", "n"])
def test_yaml_1_1_booleans_stay_strings(word):
    assert parse_scene_text(f"title: {word}\n" + MINIMAL).title == word


def test_huber_delta_auto_and_loss_params():
    spec = parse_scene_text(MINIMAL.replace("name: l2", "name: huber\n  delta: auto"))
    assert spec.loss.params() == {"delta": "auto"}
    assert parse_scene_text(MINIMAL).loss.params() == {}
    huber_default = parse_scene_text(MINIMAL.replace("name: l2", "name: huber"))
    assert huber_default.loss.params() == {"delta": 1.0}


@pytest.mark.parametrize(
    ("loss_yaml", "params"),
    [
        ("{name: l1}", {}),
        ("{name: pseudo_huber}", {"delta": 1.0}),
        ("{name: log_cosh}", {}),
        ("{name: cauchy, c: 2}", {"c": 2.0}),
        ("{name: tukey}", {"c": 4.685}),
        ("{name: trimmed}", {"c": 2.0}),
        ("{name: quantile, tau: 0.9}", {"tau": 0.9}),
        ("{name: epsilon_insensitive, epsilon: 0}", {"epsilon": 0.0}),
        ("{name: expr, expr: 'a * r**2', params: {a: 0.5}}", {"expr": "a * r**2", "a": 0.5}),
    ],
)
def test_section_4_losses(loss_yaml, params):
    spec = parse_scene_text(MINIMAL.replace("loss:\n  name: l2", f"loss: {loss_yaml}"))
    assert spec.loss.params() == params


def test_colours_any_case_and_hex_resolve_to_lowercase_hex():
    text = MINIMAL + "curves:\n  colors: {loss: blue_c, density: Orange, derivative: '#ABCDEF'}\n"
    colors = parse_scene_text(text).curves.colors
    assert (colors.loss, colors.density, colors.derivative) == ("#58c4dd", "#ff862f", "#abcdef")


def test_colour_table_matches_installed_manim():
    manim_colors = pytest.importorskip("manim.utils.color.manim_colors")
    from manim.utils.color.core import ManimColor

    expected = {
        name: value.to_hex().lower()
        for name, value in vars(manim_colors).items()
        if isinstance(value, ManimColor) and name.isupper()
    }
    assert MANIM_COLORS == expected


# --------------------------------------------------------------------------------------------------
# Observations


SAMPLE = MINIMAL.replace("values: [1, 2, 4]", "sample: {n: 9, seed: 3, outliers: [7.5]}")


def test_sample_is_deterministic_and_appends_outliers():
    first = parse_scene_text(SAMPLE).observations.resolve()
    second = parse_scene_text(SAMPLE).observations.resolve()
    assert first.dtype == np.float64
    assert first.shape == (10,)
    np.testing.assert_array_equal(first, second)
    assert first[-1] == 7.5
    # Same generator, same calls: the documented recipe.
    expected = np.random.default_rng(3).normal(0.0, 1.0, 9)
    np.testing.assert_array_equal(first[:9], expected)
    other = parse_scene_text(SAMPLE.replace("seed: 3", "seed: 4")).observations.resolve()
    assert not np.array_equal(first, other)


@pytest.mark.parametrize("dist", ["normal", "uniform", "laplace", "student_t"])
def test_every_distribution_draws_finite_values(dist):
    text = SAMPLE.replace("seed: 3", f"seed: 3, dist: {dist}, loc: 2, scale: 0.5")
    values = parse_scene_text(text).observations.resolve()
    assert values.shape == (10,) and np.all(np.isfinite(values))


def test_values_resolve_in_order_as_float64():
    values = parse_scene_text(MINIMAL).observations.resolve()
    assert values.dtype == np.float64
    np.testing.assert_array_equal(values, [1.0, 2.0, 4.0])


def test_close_doubles_stay_distinct():
    text = MINIMAL.replace("[1, 2, 4]", "[10000.000001, 10000.000002]")
    values = parse_scene_text(text).observations.resolve()
    assert values[0] != values[1]


# --------------------------------------------------------------------------------------------------
# Invalid specs: exact position and a message fragment


@pytest.mark.parametrize(
    ("text", "line", "column", "fragment"),
    [case[1:] for case in BAD],
    ids=[case[0] for case in BAD],
)
def test_bad_spec_is_reported_at_the_node(text, line, column, fragment):
    problems = problems_of(text)
    first = problems[0]
    assert fragment in first.message, "\n".join(map(str, problems))
    assert (first.line, first.column) == (line, column), "\n".join(map(str, problems))
    assert first.file == "s.yaml"


def test_misspelt_key_is_not_also_reported_missing():
    problems = problems_of("scene: A\nloss: {name: l2}\nobservation:\n  values: [1]\n")
    assert len(problems) == 1


def test_problems_are_sorted_and_capped():
    extra = "".join(f"x{i}: 1\n" for i in range(15))
    problems = problems_of("scene: a\n" + extra)
    assert [(p.line, p.column) for p in problems] == sorted((p.line, p.column) for p in problems)
    assert len(problems) == 11
    # 18 problems: the scene name, 15 unknown keys, missing `loss` and `observations`.
    assert "and 8 more problems" in problems[-1].message


def test_problem_and_error_format():
    problem = Problem("config/l2.yaml", 3, 5, "loss.delta: expected a number")
    assert str(problem) == "config/l2.yaml:3:5: error: loss.delta: expected a number"
    error = SpecError([problem, Problem("a.yaml", 1, 1, "x")])
    assert str(error) == f"{problem}\na.yaml:1:1: error: x"


def test_alias_bomb_is_refused_fast():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    start = time.perf_counter()
    problems = problems_of("\n".join(lines) + "\n")
    assert time.perf_counter() - start < 1.0
    assert (problems[0].line, problems[0].column) == (1, 4)
    assert "anchors" in problems[0].message


def test_file_over_one_mebibyte_is_refused(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text(MINIMAL + "#" * (1024 * 1024) + "\n")
    with pytest.raises(SpecError, match="larger than 1024 KiB"):
        load_scene(path)
    with pytest.raises(SpecError, match="larger than 1024 KiB"):
        parse_scene_text(MINIMAL + "#" * (1024 * 1024))


def test_non_utf8_file_is_refused_at_the_byte(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(MINIMAL.encode() + "title: caf\xe9\n".encode("latin-1"))
    with pytest.raises(SpecError) as info:
        load_scene(path)
    [problem] = info.value.problems
    assert (problem.file, problem.line, problem.column) == (str(path), 6, 11)
    assert "not valid UTF-8" in problem.message


def test_utf8_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert load_scene(path).scene == "L2Loss"


def test_missing_file(tmp_path):
    with pytest.raises(SpecError, match="file not found"):
        load_scene(tmp_path / "nope.yaml")


# --------------------------------------------------------------------------------------------------
# Lectures


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def scene_text(name: str, loss: str = "l2") -> str:
    return f"scene: {name}\nloss: {{name: {loss}}}\nobservations: {{values: [1, 2, 3]}}\n"


def test_lecture_loads_its_scenes_in_order(tmp_path):
    write(tmp_path, "l2.yaml", scene_text("L2Loss"))
    write(tmp_path, "sub/huber.yaml", scene_text("HuberLoss", "huber"))
    lecture_path = write(
        tmp_path,
        "lecture.yaml",
        "lecture: LossFunctions\ntitle: Loss functions\nscenes: [l2.yaml, sub/huber.yaml]\n",
    )
    lecture = load_lecture(lecture_path)
    assert isinstance(lecture, Lecture)
    assert lecture.spec.render.quality == "high"
    assert lecture.spec.render.formats == ["mp4"]
    assert [p for p, _ in lecture.scenes] == [tmp_path / "l2.yaml", tmp_path / "sub/huber.yaml"]
    assert [s.scene for _, s in lecture.scenes] == ["L2Loss", "HuberLoss"]
    assert isinstance(load_any(lecture_path), Lecture)
    assert isinstance(load_any(tmp_path / "l2.yaml"), SceneSpec)


def lecture_problems(folder: Path, text: str) -> list[Problem]:
    path = write(folder, "lecture.yaml", text)
    with pytest.raises(SpecError) as info:
        load_lecture(path)
    return info.value.problems


def test_lecture_missing_scene_file(tmp_path):
    write(tmp_path, "l2.yaml", scene_text("L2Loss"))
    [problem] = lecture_problems(tmp_path, "lecture: L\nscenes:\n  - l2.yaml\n  - l1.yaml\n")
    assert (problem.line, problem.column) == (4, 5)
    assert "scenes[1]: scene file 'l1.yaml' not found" in problem.message


@pytest.mark.parametrize(
    ("entry", "fragment"),
    [("../outside.yaml", "leaves the lecture's folder"), ("/etc/passwd", "absolute path")],
)
def test_lecture_paths_must_stay_inside_the_folder(tmp_path, entry, fragment):
    inner = tmp_path / "lec"
    write(tmp_path, "outside.yaml", scene_text("Outside"))
    [problem] = lecture_problems(inner, f"lecture: L\nscenes: ['{entry}']\n")
    assert (problem.line, problem.column) == (2, 10)
    assert fragment in problem.message


def test_lecture_duplicate_scene_names(tmp_path):
    write(tmp_path, "a.yaml", scene_text("Same"))
    write(tmp_path, "b.yaml", scene_text("Same", "l1"))
    [problem] = lecture_problems(tmp_path, "lecture: L\nscenes:\n  - a.yaml\n  - b.yaml\n")
    assert (problem.line, problem.column) == (4, 5)
    assert "scene name 'Same' is already used by a.yaml (scenes[0])" in problem.message


def test_lecture_reports_problems_of_every_file(tmp_path):
    write(tmp_path, "a.yaml", scene_text("A").replace("l2", "l3"))
    problems = lecture_problems(
        tmp_path, "lecture: L\nscenes: [a.yaml, b.yaml]\nrender: {quality: ultra}\n"
    )
    found = {(Path(p.file).name, p.line, p.column) for p in problems}
    assert found == {("lecture.yaml", 2, 18), ("lecture.yaml", 3, 19), ("a.yaml", 2, 14)}


def test_lecture_render_formats_unique_and_known(tmp_path):
    write(tmp_path, "a.yaml", scene_text("A"))
    problems = lecture_problems(
        tmp_path, "lecture: L\nscenes: [a.yaml]\nrender: {formats: [mp4, mp4, avi]}\n"
    )
    messages = " | ".join(p.message for p in problems)
    assert "render.formats[2]: expected one of mp4, webm, gif" in messages


def test_lecture_spec_without_context_checks_only_path_shape():
    spec = LectureSpec.model_validate({"lecture": "L", "scenes": ["a.yaml"]})
    assert spec.scenes == ["a.yaml"]


# --------------------------------------------------------------------------------------------------
# Schema and import hygiene


def test_json_schema_is_generated():
    scene_schema = SceneSpec.model_json_schema()
    lecture_schema = LectureSpec.model_json_schema()
    assert "scene" in scene_schema["required"]
    assert "lecture" in lecture_schema["required"]
    json.dumps(scene_schema)


def _all_models():
    seen, todo = set(), [SceneSpec, LectureSpec, *LOSS_MODELS]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for info in model.model_fields.values():
            # The models live in several modules of scenes.spec (models, voice, observations...).
            for module, arg in re.findall(r"(scenes\.spec\.\w+)\.(\w+)", repr(info.annotation)):
                found = getattr(sys.modules[module], arg)
                if isinstance(found, type) and issubclass(found, BaseModel):
                    todo.append(found)
    return seen


@pytest.mark.parametrize("model", sorted(_all_models(), key=lambda m: m.__name__), ids=str)
def test_every_field_has_description_and_example(model):
    for name, info in model.model_fields.items():
        assert info.description, f"{model.__name__}.{name}"
        assert info.examples, f"{model.__name__}.{name}"


def test_spec_package_imports_neither_manim_nor_jax():
    code = "import sys, scenes.spec; print(sorted({'manim', 'jax'} & set(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# --------------------------------------------------------------------------------------------------
# Property: any mutation of a valid spec either loads or raises SpecError


PROBLEM_LINE = re.compile(r"^s\.yaml:\d+:\d+: error: .+$")
MUTATION_CHARS = list(":-[]{},#&*!|>'\"\t\n ?%@`") + ["1e-6", "yes", "null", ".nan", "!!python/"]


@st.composite
def mutated_spec(draw):
    text = draw(st.sampled_from([MINIMAL, SPEC_V1_EXAMPLE, SAMPLE]))
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 8)))
        insert = draw(st.one_of(st.sampled_from(MUTATION_CHARS), st.text(max_size=4)))
        text = text[:i] + insert + text[j:]
    return text


# More examples than the shared "ci" profile: each one only parses a few lines of YAML.
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_spec())
def test_mutated_specs_load_or_raise_spec_error(text):
    try:
        spec = parse_scene_text(text, "s.yaml")
    except SpecError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.line >= 1 and problem.column >= 1
            assert PROBLEM_LINE.match(str(problem)), str(problem)
    else:
        assert isinstance(spec, SceneSpec)
        resolved_scene_dict(spec)
