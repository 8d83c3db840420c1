"""The lecture's shared number line snaps to half its tick step (issue 22): a small edit of one
scene leaves the line, and so the other scenes' pictures and render keys, as they were."""

import math
import shutil
from pathlib import Path

import pytest
import yaml

from scenes.compute.resolve import _line_needs, load_resolved
from scenes.maths.axis import nice_step
from scenes.production.keys import scene_key
from scenes.spec.loading import resolved_scene_dict

CONFIG = Path("config")


def _lecture_with_delta(tmp_path: Path, delta: float):
    folder = tmp_path / f"delta-{delta}"
    shutil.copytree(CONFIG, folder, ignore=shutil.ignore_patterns("takes", "locale"))
    huber = yaml.safe_load((folder / "huber.yaml").read_text(encoding="utf-8"))
    huber["loss"]["delta"] = delta
    (folder / "huber.yaml").write_text(yaml.safe_dump(huber, allow_unicode=True), "utf-8")
    return load_resolved(folder / "lecture.yaml")


def _lines(lecture):
    return {
        spec.scene: spec.observations.line
        for _, spec in lecture.scenes
        if getattr(getattr(spec, "observations", None), "line", None) is not None
    }


def test_the_line_holds_every_scene_and_ends_on_half_ticks(tmp_path):
    lecture = _lecture_with_delta(tmp_path, 1.0)
    lines = set(_lines(lecture).values())
    assert len(lines) == 1
    [(lo, hi)] = lines
    grain = nice_step(hi - lo) / 2
    for value in (lo, hi):
        assert math.isclose(value / grain, round(value / grain), abs_tol=1e-9)
    for _, spec in lecture.scenes:
        if hasattr(spec, "estimate"):
            need_lo, need_hi = _line_needs(spec)
            assert lo <= need_lo and need_hi <= hi


@pytest.mark.parametrize("delta", [1.2, 1.5])
def test_editing_delta_keeps_the_line_and_the_other_scenes_keys(tmp_path, delta):
    before = _lecture_with_delta(tmp_path, 1.0)
    after = _lecture_with_delta(tmp_path, delta)
    assert _lines(before) == _lines(after)

    def keys(lecture):
        return {
            spec.scene: scene_key(resolved_scene_dict(spec), "low", ["mp4"], {})
            for _, spec in lecture.scenes
        }

    changed = {name for name, key in keys(after).items() if keys(before)[name] != key}
    # Huber itself, nothing else (the summary card names its own losses and parameters).
    assert changed == {"HuberLoss"}


def test_a_moved_line_is_said_in_the_progress_line(tmp_path, monkeypatch):
    from scenes.production import manifest, run

    lecture = _lecture_with_delta(tmp_path, 1.0)
    [spec] = [s for _, s in lecture.scenes if s.scene == "SquaredLoss"]
    out = tmp_path / "out"
    out.mkdir()
    earlier = manifest.RenderedVideo(
        name="SquaredLoss", kind="scene", key="old", number_line=(-5.0, 6.5)
    )
    manifest.write(out, [earlier], quality="low")
    assert manifest.read(out).videos["SquaredLoss"].number_line == (-5.0, 6.5)

    class Stop(Exception):
        pass

    def stop(_spec):
        raise Stop

    monkeypatch.setattr(run, "prepare_scene", stop)
    said: list[str] = []
    with pytest.raises(Stop):
        run.render_scenes([spec], "low", out, ["mp4"], tmp_path, progress=said.append)
    assert said[0] == (
        "SquaredLoss: the lecture's shared number line moved from [-5, 6.5] to [-6, 7] (a "
        "scene's data, start or band changed), so this scene is drawn again"
    )
