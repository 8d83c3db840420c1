"""Formulas typeset together in one XeTeX run (scenes/scene/tex_batch.py) come out as Manim
typesets each alone: same glyph outlines at the same places, same groups, after Manim parses them.

The reference is Manim's own path (one XeLaTeX run and one dvisvgm run per formula) into one
empty folder; the batch writes into another.
"""

import numpy as np
import pytest
from manim import tempconfig

from scenes.scene import tex_batch, typeset, xdv

FORMULAS = [
    r"\theta \pm \delta",
    r"\ell(r) = \begin{cases} \tfrac{1}{2} r^2 & |r| \le \delta \\"
    r" \delta\,(|r| - \tfrac{1}{2}\delta) & |r| > \delta \end{cases}",
    r"r = y - \theta",
    r"\delta = 1",
    r"\text{mean }(1.25)",
    r"\sqrt{1 + (r/\delta)^2} - 1",
]


def _formulas(folder) -> list:
    with tempconfig({"tex_dir": str(folder), "verbosity": "ERROR"}):
        return [typeset.maths(tex, 30) for tex in FORMULAS]


def _outlines(mob) -> list[bytes]:
    return [m.points.tobytes() for m in mob.family_members_with_points()]


@pytest.mark.slow
def test_batch_typesets_what_manim_typesets_one_by_one(tmp_path):
    alone, batch = tmp_path / "alone", tmp_path / "batch"
    batch.mkdir()
    reference = _formulas(alone)
    with tempconfig({"tex_dir": str(batch), "verbosity": "ERROR"}):
        with tex_batch.collecting() as collected:
            stand_ins = [typeset.maths(tex, 30) for tex in FORMULAS]
        assert len(collected.tex_files) == len(FORMULAS)
        assert all(m.height > 0 for m in stand_ins)
        assert not list(batch.glob("*.svg")), "nothing is typeset while collecting"
        assert tex_batch.typeset(collected.tex_files) == len(FORMULAS)
    made = _formulas(batch)  # found in the cache: no TeX run
    for tex, ours, theirs in zip(FORMULAS, made, reference, strict=True):
        assert _outlines(ours) == _outlines(theirs), tex
        assert np.allclose(ours.get_center(), theirs.get_center()), tex
        assert [len(part) for part in ours] == [len(part) for part in theirs], tex
    # Without the batch, Manim would have left one SVG per formula, and so does the batch.
    assert sorted(p.name for p in batch.glob("*.svg")) == sorted(
        p.name for p in alone.glob("*.svg")
    )


def test_watching_stops_at_the_first_missing_formula(tmp_path, monkeypatch):
    from scenes.scene import speedups

    monkeypatch.delenv(speedups.PLAIN, raising=False)
    with tempconfig({"tex_dir": str(tmp_path), "verbosity": "ERROR"}):
        with tex_batch.watching(), pytest.raises(tex_batch.FormulaMissing):
            typeset.maths(r"\theta_{\text{never typeset}}", 30)
    assert not list(tmp_path.glob("*.svg"))


@pytest.mark.slow
def test_a_bad_formula_leaves_the_batch_to_manim(tmp_path):
    with tempconfig({"tex_dir": str(tmp_path), "verbosity": "ERROR"}):
        with tex_batch.collecting() as collected:
            typeset.maths(r"\notacommand x", 30)  # a TeX error: the stand-in does not care
            typeset.maths(r"x + 1", 30)
        assert len(collected.tex_files) == 2
        # xelatex halts on the error: nothing written, and Manim reports it when it meets it.
        assert tex_batch.typeset(collected.tex_files) == 0
        assert not list(tmp_path.glob("*.svg"))
        with pytest.raises(ValueError, match="xelatex error"):
            typeset.maths(r"\notacommand x", 30)


def test_xdv_reader_rejects_what_is_not_xdv():
    with pytest.raises(xdv.XdvError):
        xdv.split(b"%PDF-1.5 not a DVI file")
