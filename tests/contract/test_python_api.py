"""The Python API (spec-v2 section 13): ``import scenes``, and the README's example as written."""

import json
import pkgutil
import re
import subprocess
import sys

import numpy as np
import pytest
from helpers import CONFIG, ROOT, decode_frames, fast_copy, run_cli

import scenes
from scenes.spec import Course, Lecture, SceneSpec


def test_import_scenes_loads_neither_manim_nor_jax():
    code = (
        "import sys, scenes\n"
        "heavy = [m for m in ('manim', 'jax', 'numpy', 'pydantic') if m in sys.modules]\n"
        "print(heavy)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "[]"


def test_no_api_name_is_also_a_subpackage():
    """``import scenes.render`` would replace a function named ``render`` on the package."""
    submodules = {module.name for module in pkgutil.iter_modules(scenes.__path__)}
    assert submodules and not submodules & set(scenes.__all__)


def test_load_gives_scenes_lectures_and_courses():
    assert isinstance(scenes.load(CONFIG / "huber.yaml"), SceneSpec)
    assert isinstance(scenes.load(str(CONFIG / "lecture.yaml")), Lecture)
    assert isinstance(scenes.load(CONFIG / "course.yaml"), Course)


def test_load_raises_spec_error_with_the_position(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("scene: A\nloss: {name: l2}\nobservations: {values: [1, x]}\n")
    with pytest.raises(scenes.SpecError, match=r"bad.yaml:3:28: error: observations.values\[1\]"):
        scenes.load(bad)


def test_compute_scene_and_to_json_are_the_compute_command():
    command = run_cli("compute", str(CONFIG / "huber.yaml"))
    assert command.returncode == 0, command.stderr
    for spec in (CONFIG / "huber.yaml", scenes.load(CONFIG / "huber.yaml")):
        data = scenes.compute_scene(spec)
        assert json.loads(json.dumps(scenes.to_json(data))) == json.loads(command.stdout)
    clipping = scenes.to_json(scenes.compute_scene(CONFIG / "clipping.yaml"))
    assert clipping["kind"] == "clipping"


def test_compute_scene_refuses_lectures_and_courses():
    for name, kind in (("lecture.yaml", "a lecture"), ("course.yaml", "a course")):
        with pytest.raises(TypeError, match=f"compute_scene takes a scene spec, not {kind}"):
            scenes.compute_scene(CONFIG / name)


def test_render_specs_checks_its_options_and_names_before_rendering(tmp_path):
    with pytest.raises(ValueError, match="quality must be one of"):
        scenes.render_specs(CONFIG / "huber.yaml", quality="ultra", output=tmp_path)
    with pytest.raises(ValueError, match="formats must be among"):
        scenes.render_specs(CONFIG / "huber.yaml", formats=["avi"], output=tmp_path)
    twin = tmp_path / "twin.yaml"
    twin.write_text((CONFIG / "huber.yaml").read_text())
    with pytest.raises(scenes.SpecError, match="'HuberLoss' is also the name of a video"):
        scenes.render_specs([CONFIG / "huber.yaml", twin], output=tmp_path / "out")
    with pytest.raises(scenes.SpecError, match="<HuberLoss>"):
        scenes.render_specs([CONFIG / "huber.yaml", scenes.load(twin)], output=tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_render_specs_returns_the_files_it_wrote(tmp_path):
    spec = fast_copy(CONFIG / "l2.yaml", tmp_path)
    lines = []
    written = scenes.render_specs(
        scenes.load(spec), quality="low", output=tmp_path / "out", jobs=1, progress=lines.append
    )
    names = sorted(path.name for path in written)
    assert names == ["SquaredLoss.mp4", "SquaredLoss.png", "SquaredLoss.srt", "manifest.json"]
    assert all(path.is_file() for path in written)
    assert any("SquaredLoss" in line for line in lines)


def readme_example() -> str:
    """The README's Python block that uses scenes.play: the code the test runs, unchanged."""
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    [block] = [b for b in blocks if "scenes.play(" in b]
    return block


def test_readme_example_uses_every_documented_function():
    code = readme_example()
    for name in ("scenes.load", "scenes.play", "scenes.compute_scene", "scenes.to_json"):
        assert name in code
    assert "manim -ql huber_remark.py HuberWithRemark" in (ROOT / "README.md").read_text()


@pytest.mark.slow
def test_readme_example_runs_as_written(tmp_path, glyph_config):
    (tmp_path / "config").mkdir()
    fast_copy(CONFIG / "huber.yaml", tmp_path / "config")
    (tmp_path / "huber_remark.py").write_text(readme_example())
    media = tmp_path / "media"
    command = ["manim", "-ql", "--media_dir", str(media), "huber_remark.py", "HuberWithRemark"]
    command[2:2] = ["--config_file", str(glyph_config)]  # formulas typeset before: not again
    result = subprocess.run(
        [sys.executable, "-m", *command], cwd=tmp_path, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (video,) = media.rglob("HuberWithRemark.mp4")
    frames = decode_frames(video)
    # The Huber scene plays first (its beats add up to 1.6 s with the short timings, at 15 fps),
    # then the remark: a fade, the writing and a 1 s wait, ending on the text alone.
    assert len(frames) >= 15 * (1.6 + 1 + 1 + 1)
    first, last = frames[0].astype(int), frames[-1].astype(int)
    text = last.min(axis=2) > 200  # white pixels: the letters
    assert 200 < text.sum() < 0.05 * text.size
    assert np.abs(first - last).mean() > 1  # the opening frame is the Huber scene, not the text
