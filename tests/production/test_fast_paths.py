"""The render's fast paths change no pixel: the glyph copies of scenes/scene/speedups.py, the
formulas typeset in one TeX run (scenes/scene/tex_batch.py) and the held frames written as
copies of x264's settled frame (scenes/production/encoding.py). Both renders are lossless
(``LOSS_SCENES_LOSSLESS=1``), so every decoded frame is exactly what was drawn. The two renders
also run with different hash seeds, in different working folders: the same spec gives the same
frames and poster whatever the process (determinism).

One first render (empty caches) at low quality with the fast paths and one without
(``LOSS_SCENES_PLAIN=1``), frames decoded and compared; and, without rendering, what the fast
copy shares and what it does not.
"""

import copy
import hashlib
import os
import subprocess
import sys

import av
import numpy as np
import pytest
from helpers import CONFIG, cache_with_glyphs, fast_copy

from scenes.production import encoding
from scenes.scene import speedups

COUNTING_TEX_RUNS = """
import sys
from manim.utils import tex_file_writing

log = sys.argv.pop(1)
compile_tex = tex_file_writing.compile_tex


def counted(tex_file, *args, **kwargs):
    with open(log, "a", encoding="utf-8") as runs:
        runs.write(str(tex_file) + "\\n")
    return compile_tex(tex_file, *args, **kwargs)


tex_file_writing.compile_tex = counted
from scenes.cli import entry_point

sys.argv[0] = "loss-scenes"
entry_point()
"""
"""``python -c`` this, then a file and the command's arguments: the command, each formula Manim
typesets with a TeX run of its own written down in the file."""


def _frames(path) -> list[str]:
    with av.open(str(path)) as container:
        return [
            hashlib.sha256(frame.to_ndarray(format="rgb24").tobytes()).hexdigest()
            for frame in container.decode(video=0)
        ]


@pytest.mark.slow
def test_frames_with_and_without_fast_paths_are_identical(tmp_path):
    spec = fast_copy(CONFIG / "huber.yaml", tmp_path)
    frames, formulas, tex_runs = {}, {}, {}
    posters = {}
    for name, plain, seed in (("fast", "0", "97"), ("plain", "1", "98")):
        out = tmp_path / name
        # Each with no typeset formula: the fast one typesets them in one batch. The words'
        # glyphs (Pango, no fast path of this test) start from copies of the user's.
        home = cache_with_glyphs(tmp_path / name, kinds=("texts",))
        env = {
            **os.environ,
            speedups.PLAIN: plain,
            encoding.LOSSLESS: "1",
            "XDG_CACHE_HOME": str(home),
            "PYTHONHASHSEED": seed,
        }
        runs = tmp_path / f"{name}-tex-runs.txt"
        result = subprocess.run(
            [sys.executable, "-c", COUNTING_TEX_RUNS, str(runs)]
            + ["render", str(spec), "-q", "low", "-o", str(out)],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
        )
        assert result.returncode == 0, result.stderr
        frames[name] = _frames(out / "HuberLoss.mp4")
        posters[name] = hashlib.sha256((out / "HuberLoss.png").read_bytes()).hexdigest()
        formulas[name] = sorted(p.name for p in (home / "loss-scenes/Tex").iterdir())
        tex_runs[name] = runs.read_text().splitlines() if runs.exists() else []
    assert len(frames["fast"]) > 20
    assert len(set(frames["fast"])) > 10, "the frames should change over the video"
    assert frames["fast"] == frames["plain"]
    assert posters["fast"] == posters["plain"]
    assert len(formulas["fast"]) > 5
    assert formulas["fast"] == formulas["plain"]  # the same SVGs, and no stray file
    # Every formula came from the one batch: none was left to Manim's run of its own (the
    # formula pass found them all), while without the batch each formula is a run.
    assert tex_runs["fast"] == []
    assert len(tex_runs["plain"]) == len(formulas["plain"])


def _drawn(mobject) -> list[tuple]:
    """What Cairo reads of each family member: points, colours, widths, opacities."""
    return [
        (
            m.points.tobytes(),
            m.fill_rgbas.tobytes(),
            m.stroke_rgbas.tobytes(),
            float(m.stroke_width),
            m.background_stroke_rgbas.tobytes(),
        )
        for m in mobject.get_family()
    ]


def test_fast_copy_shares_only_the_source_paths(monkeypatch):
    from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

    from scenes.scene import typeset

    monkeypatch.delenv(speedups.PLAIN, raising=False)
    # Parsed here, not read back from the store of parsed glyphs (which keeps no source path).
    speedups.uninstall()
    caption = typeset.text("A caption of two lines\nto be copied", 30)
    try:
        plain = caption.copy()
        assert speedups.install()
        fast = caption.copy()
    finally:
        speedups.uninstall()
    glyphs = [m for m in caption.get_family() if isinstance(m, VMobjectFromSVGPath)]
    fast_glyphs = [m for m in fast.get_family() if isinstance(m, VMobjectFromSVGPath)]
    plain_glyphs = [m for m in plain.get_family() if isinstance(m, VMobjectFromSVGPath)]
    assert len(glyphs) > 10
    # The copy draws what the original and Manim's own copy draw ...
    assert _drawn(fast) == _drawn(caption) == _drawn(plain)
    # ... owns everything it draws (changing it leaves the original as it was) ...
    for original, copied in zip(glyphs, fast_glyphs, strict=True):
        assert copied is not original
        assert copied.points is not original.points
        assert copied.fill_rgbas is not original.fill_rgbas
        # ... and shares only the parsed source path, which Manim's copy duplicates.
        assert copied.path_obj is original.path_obj
    assert all(p.path_obj is not o.path_obj for p, o in zip(plain_glyphs, glyphs, strict=True))
    before = _drawn(caption)
    fast.set_color("#ff0000").shift(np.array([1.0, 0.0, 0.0]))
    assert _drawn(caption) == before
    # The shared source makes the same points again as Manim's own copy of it (generate_points
    # only reads it).
    shared, duplicated = copy.copy(fast_glyphs[0]), copy.copy(plain_glyphs[0])
    for glyph in (shared, duplicated):
        glyph.generate_points()
    assert shared.points.size > 0
    assert np.array_equal(shared.points, duplicated.points)


def test_plain_switch_turns_the_fast_paths_off(monkeypatch):
    from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

    speedups.uninstall()
    monkeypatch.setenv(speedups.PLAIN, "1")
    assert not speedups.install()
    assert "__deepcopy__" not in VMobjectFromSVGPath.__dict__
    monkeypatch.setenv(speedups.PLAIN, "0")
    assert speedups.install()
    assert "__deepcopy__" in VMobjectFromSVGPath.__dict__
    speedups.uninstall()
