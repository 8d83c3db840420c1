"""The spec layer returns what the user wrote, and checking a spec without a formula stays light.

design-v3: ``load_*`` gives the models the user wrote (plus a lecture's voice and captions);
``scenes.compute.resolve`` adds what needs maths. So a scene file is one model alone and in a
lecture, and ``check`` imports neither JAX nor Manim unless a formula has to be computed.
"""

import json
import subprocess
import sys

import pytest
from helpers import CONFIG, ROOT

from scenes.compute.resolve import load_resolved
from scenes.spec import Course, ExprLoss, Lecture, load_any, load_scene

SPECS = sorted(CONFIG.glob("*.yaml"))


def _scenes(loaded):
    if isinstance(loaded, Course):
        return [item for lecture in loaded.lectures for item in lecture.scenes]
    if isinstance(loaded, Lecture):
        return list(loaded.scenes)
    return [(None, loaded)]


def _has_formula(spec):
    losses = [getattr(spec, "loss", None), *(getattr(spec, "losses", None) or [])]
    return any(isinstance(loss, ExprLoss) for loss in losses)


def _without_formula():
    return [
        path for path in SPECS if not any(_has_formula(spec) for _, spec in _scenes(load_any(path)))
    ]


def test_config_has_specs_with_and_without_formulas():
    plain = _without_formula()
    assert plain and len(plain) < len(SPECS)
    assert CONFIG / "full-lecture.yaml" in plain


def test_check_without_formula_imports_neither_jax_nor_manim():
    # One process checks every such file (a module once imported stays): the same work as one
    # `check` each, and a tenth of the time.
    paths = [str(path) for path in _without_formula()]
    code = (
        "import json, sys\n"
        "from scenes.cli import main\n"
        "status = main(['check', *sys.argv[1:]])\n"
        "print(json.dumps([status, sorted({'jax', 'manim'} & set(sys.modules))]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, *paths], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == [0, []], result.stderr
    assert result.stderr.count(": ok (") == len(paths)


def test_loading_a_lecture_imports_no_maths():
    code = (
        "import sys\n"
        "from scenes.spec import load_any\n"
        "load_any(sys.argv[1])\n"
        "print(sorted({'jax', 'manim', 'numpy', 'scenes.maths', 'scenes.formula',"
        " 'scenes.compute', 'scenes.speech'} & set(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(CONFIG / "course.yaml")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "path", [p for p in SPECS if isinstance(load_any(p), Lecture | Course)], ids=lambda p: p.name
)
def test_a_scene_file_loads_alike_alone_and_in_a_lecture(path):
    lectures = load_any(path)
    lectures = lectures.lectures if isinstance(lectures, Course) else [lectures]
    for lecture in lectures:
        for scene_path, scene in lecture.scenes:
            alone = load_scene(scene_path)
            # Only what a lecture hands down may differ: its voice and captions, where the
            # scene sets none of its own.
            inherited = {
                key: getattr(lecture.spec, key)
                for key in ("voice", "captions")
                if getattr(alone, key) is None and getattr(lecture.spec, key) is not None
            }
            if "voice" in inherited:
                assert scene.voice is not None and scene.voice.engine == lecture.spec.voice.engine
                inherited["voice"] = scene.voice  # its paths made absolute
            assert scene == alone.model_copy(update=inherited), scene_path


def _number_lines(lecture):
    """The ``observations.line`` of each scene drawn on a number line."""
    return [
        scene.observations.line
        for _, scene in lecture.scenes
        if "line" in getattr(type(getattr(scene, "observations", None)), "model_fields", {})
    ]


def test_resolving_shares_the_number_line_that_loading_leaves_alone():
    loaded = _number_lines(load_any(CONFIG / "lecture.yaml"))
    resolved = _number_lines(load_resolved(CONFIG / "lecture.yaml"))
    assert len(loaded) >= 2 and set(loaded) == {None}
    assert len(set(resolved)) == 1 and resolved[0] is not None
