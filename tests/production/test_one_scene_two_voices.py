"""One scene in two lectures that render it differently cannot share one output (issue 23)."""

import shutil
import subprocess
import sys

from scenes.compute.resolve import load_resolved
from scenes.production.plan import output_name_clashes


def _lectures(tmp_path, second_voice):
    shutil.copy("config/l2.yaml", tmp_path / "l2.yaml")
    (tmp_path / "a.yaml").write_text(
        "lecture: LectureA\ntitle: A\nscenes: [l2.yaml]\n"
        "voice: {engine: espeak-ng, voice: en-us, rate: 145}\n",
        encoding="utf-8",
    )
    (tmp_path / "b.yaml").write_text(
        f"lecture: LectureB\ntitle: B\nscenes: [l2.yaml]\nvoice: {second_voice}\n",
        encoding="utf-8",
    )
    return [tmp_path / "a.yaml", tmp_path / "b.yaml"]


def test_two_voices_for_one_scene_are_a_clash_at_the_second_lecture(tmp_path):
    paths = _lectures(tmp_path, "{engine: espeak-ng, voice: en-gb, rate: 120}")
    loaded = [load_resolved(path) for path in paths]
    [problem] = output_name_clashes([str(p) for p in paths], loaded, "low", tmp_path / "out")
    assert problem.file == str(paths[1])
    assert (problem.line, problem.column) == (3, 10)  # the scene's entry in b.yaml's list
    assert "'SquaredLoss'" in problem.message and str(paths[0]) in problem.message


def test_the_same_voice_twice_renders_one_video(tmp_path):
    paths = _lectures(tmp_path, "{engine: espeak-ng, voice: en-us, rate: 145}")
    loaded = [load_resolved(path) for path in paths]
    assert output_name_clashes([str(p) for p in paths], loaded, "low", tmp_path / "out") == []


def test_render_refuses_before_writing_anything(tmp_path):
    paths = _lectures(tmp_path, "{engine: espeak-ng, voice: en-gb, rate: 120}")
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "scenes", "render", *map(str, paths), "-q", "low", "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2, done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith(f"{paths[1]}:3:10: error: scene 'SquaredLoss'")
    assert not out.exists()
