"""A render worker draws from the arrays compute made: it never imports JAX.

JAX costs a process about 1.2 s to import and starts threads; a worker that forks (the TeX
batch's formula pass) with JAX's threads running risks a deadlock. The prepared scene a worker
unpickles is plain arrays (``scenes.maths.results``), and the scenes draw without the maths'
JAX functions (the adapt beat's last curves come from compute; the clipping scene clips in
numpy).
"""

import pickle
import subprocess
import sys

import pytest
from helpers import CONFIG, ROOT

from scenes.compute.prepare import prepare_scene
from scenes.spec.loading import load_any

# The specs whose drawing could reach for maths: the loss scene with the adapt beat (its last
# curves), the clipping scene (norm clipping at every frame), the influence scene, the summary.
SPECS = ["huber_auto.yaml", "clipping.yaml", "influence.yaml", "lecture-summary.yaml"]

BUILD = """
import pickle, sys, tempfile
from pathlib import Path
from manim.renderer.cairo_renderer import CairoRenderer
from scenes.production.encoding import FastSceneFileWriter
from scenes.production.worker import manim_config
from scenes.scene.scene_classes import spec_scene_class

for path in sys.argv[1:]:
    prepared = pickle.loads(Path(path).read_bytes())
    beats = (0, len(prepared.timeline.beats) - 1)
    with manim_config("low", Path(tempfile.mkdtemp())):
        scene_class = spec_scene_class(
            prepared.spec, prepared, beats=beats, stills=Path(tempfile.mkdtemp())
        )
        renderer = CairoRenderer(file_writer_class=FastSceneFileWriter, skip_animations=True)
        scene_class(renderer=renderer).render()
    print(path, sorted(m for m in sys.modules if m.split(".")[0] in ("jax", "jaxlib")))
"""


@pytest.mark.slow
def test_a_worker_builds_every_kind_of_scene_without_jax(tmp_path):
    files = []
    for name in SPECS:
        prepared = prepare_scene(load_any(CONFIG / name), speak=False)
        path = tmp_path / f"{name}.pickle"
        path.write_bytes(pickle.dumps(prepared))
        files.append(str(path))
    result = subprocess.run(
        [sys.executable, "-c", BUILD, *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert len(lines) == len(SPECS), result.stdout
    for line in lines:
        assert line.endswith(" []"), line
