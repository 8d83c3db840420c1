"""A scene that lasts longer than 600 s once spoken is exit 2 at its narration, before anything
is drawn (issue 23: only the silent timeline was measured)."""

import shutil

import numpy as np
import pytest
import soundfile
import yaml
from helpers import run_cli

from scenes.spec.yaml_loader import load_yaml_file

# Each test writes minutes of takes and runs the command line twice.
pytestmark = pytest.mark.slow

BEATS = ("intro", "loss", "density", "derivative", "data", "estimate", "arrival")


def _scene_with_takes(tmp_path, seconds_each: float):
    spec = yaml.safe_load(open("config/l2.yaml", encoding="utf-8"))
    spec["voice"] = {"engine": "recorded", "folder": "takes"}
    path = tmp_path / "l2.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    folder = tmp_path / "takes" / spec["scene"]
    folder.mkdir(parents=True)
    rate = 8000
    t = np.arange(int(seconds_each * rate)) / rate
    # A quiet hum, not silence: a take that says something.
    take = (0.1 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    for beat in BEATS:
        soundfile.write(folder / f"{beat}.wav", take, rate)
    return path


def test_takes_that_make_the_scene_too_long_are_exit_2_at_the_narration(tmp_path):
    path = _scene_with_takes(tmp_path, 90.0)  # 7 takes of 90 s: 630 s with the pauses
    for command in ("script", "render"):
        out = tmp_path / f"out-{command}"
        extra = ["-q", "low", "-o", str(out)] if command == "render" else []
        result = run_cli(command, str(path), *extra)
        assert result.returncode == 2, result.stderr
        line = result.stderr.strip().splitlines()[-1]  # after the progress lines
        at = load_yaml_file(path).value_pos(("narration",))
        assert line.startswith(f"{path}:{at.line}:{at.column}: error: narration:"), line
        assert "once spoken" in line and "at most 600 s" in line
        assert not out.exists() or not any(out.glob("*.mp4"))


def test_takes_within_the_limit_are_fine(tmp_path):
    path = _scene_with_takes(tmp_path, 60.0)
    result = run_cli("script", str(path))
    assert result.returncode == 0, result.stderr
    shutil.rmtree(tmp_path / "takes")
