"""The type system: sizes measured in pixels at 720p, and maths in the same family as words.

Heights are measured on the built mobjects (frame height 8 units = 720 px); the reference for the
maths font is the text font itself (Pango's DejaVu Sans), so a formula typeset in any other family
(Computer Modern's digits are 0.5 em wide, DejaVu's 0.64 em) fails.
"""

import subprocess
import sys

import numpy as np
import pytest

from scenes.scene import style
from scenes.scene.still import snapshot, still_config

PX_PER_UNIT = 720 / 8
SAMPLE_CAPTIONS = [
    # 42 characters each (spec-v2: captions are cues of at most 2 lines of 42 characters).
    "Huber's loss: a parabola near zero, lines.",
    "Each arrow is the pull of one observation.",
    "WHEN THE PULLS BALANCE, THETA STOPS MOVING",
]


@pytest.fixture(scope="module", autouse=True)
def frame():
    with still_config(720):
        yield


def test_every_size_has_lowercase_letters_at_least_18_px_high_at_720p():
    from scenes.scene import typeset

    for name, size in style.TYPE_SCALE.items():
        words = typeset.text("x", size)
        formula = typeset.maths("x", size)
        for kind, mob in (("text", words), ("maths", formula)):
            px = mob.height * PX_PER_UNIT
            assert px >= style.MIN_TEXT_PX, f"{name} {kind}: x-height {px:.1f} px"


def test_text_and_maths_letters_are_equally_high_at_every_size():
    from scenes.scene import typeset

    for size in style.TYPE_SCALE.values():
        words, formula = typeset.text("x", size), typeset.maths("x", size)
        assert formula.height == pytest.approx(words.height, rel=0.01)


def test_maths_digits_are_the_text_fonts_digits():
    from scenes.scene import typeset

    words = typeset.text("0123456789", style.SIZE_LABEL)
    formula = typeset.maths("0123456789", style.SIZE_LABEL)
    assert formula.height == pytest.approx(words.height, rel=0.01)
    assert formula.width == pytest.approx(words.width, rel=0.02)


def test_a_formula_with_cases_fractions_and_greek_typesets():
    from scenes.scene import typeset

    huber = typeset.maths(
        r"\ell(r) = \begin{cases} \tfrac{1}{2} r^2 & |r| \le \delta \\"
        r" \delta\,(|r| - \tfrac{1}{2}\delta) & |r| > \delta \end{cases}",
        style.SIZE_FORMULA,
        style.TEXT,
    )
    assert huber.height > 2 * typeset.maths("x", style.SIZE_FORMULA).height
    pixels = snapshot(huber)
    lit = np.abs(pixels.astype(int) - [15, 17, 23]).max(axis=-1) > 60
    assert lit.mean() > 0.003


def test_numbers_use_the_text_font_and_a_true_minus_sign():
    from scenes.scene import typeset

    value = typeset.number(-1.25, 2, style.SIZE_SMALL)
    words = typeset.text("\u22121.25", style.SIZE_SMALL)
    assert value.height == pytest.approx(words.height, rel=0.02)
    assert value.width == pytest.approx(words.width, rel=0.1)
    value.set_value(3.5)
    assert len(value) == 4  # "3.50": the number changes in place, as DecimalNumber does


def test_captions_of_42_characters_fit_the_title_safe_width():
    from scenes.scene import typeset

    safe_width = 14.222 * (1 - 2 * style.SAFE_MARGIN)
    for line in SAMPLE_CAPTIONS:
        assert len(line) == 42
        assert typeset.text(line, style.SIZE_CAPTION).width <= safe_width, line


def test_maths_keeps_mathtex_parts_and_colour_maps():
    from scenes.scene import typeset

    parts = typeset.SansMathTex(r"\ell(r)", "=", r"\tfrac{1}{2} r^2")
    assert len(parts) == 3
    coloured = typeset.maths(r"\ell(\theta) = r", tex_to_color_map={r"\theta": style.THETA})
    glyphs = {g.get_fill_color().to_hex().lower() for g in coloured.family_members_with_points()}
    assert glyphs == {style.TEXT, style.THETA}


def test_an_empty_glyph_file_is_drawn_again(tmp_path):
    """A 0-byte glyph in the text cache (seen under heavy load) is removed and drawn again, in a
    new process as a render would meet it, instead of failing the render."""
    make = (
        "from manim import tempconfig\n"
        "from scenes.scene import typeset\n"
        f"with tempconfig({{'text_dir': {str(tmp_path)!r}}}):\n"
        "    print(len(typeset.text('empty glyph', 30).submobjects))\n"
    )
    first = subprocess.run([sys.executable, "-c", make], capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    (glyph,) = tmp_path.glob("*.svg")
    glyph.write_bytes(b"")
    again = subprocess.run([sys.executable, "-c", make], capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout and glyph.stat().st_size > 0


@pytest.mark.parametrize("tex", [r"y_{x}", r"r^{x}", r"\hat\sigma_{\mathrm{x}}", r"\max_{x} r"])
def test_sub_and_superscripts_are_at_least_18_px_high_at_720p(tex):
    """The scripts' lowercase letters measured on the glyph itself (the script's ``x``, the
    formula's last glyph but for ``max``), at the smallest size: at least 18 px at 720p. TeX's
    own scripts (80% of the text in this maths font) gave 15.3 px at the small size."""
    from scenes.scene import typeset

    for size in style.TYPE_SCALE.values():
        glyphs = typeset.maths(tex, size).family_members_with_points()
        script = glyphs[3] if tex.startswith(r"\max") else glyphs[-1]
        text_x = typeset.maths("x", size).height
        px = script.height * PX_PER_UNIT
        assert px >= style.MIN_TEXT_PX, f"{tex} at {size}: script x-height {px:.1f} px"
        # The glyph measured is the script's x (smaller than the text's x, not another glyph).
        assert script.height == pytest.approx(0.95 * text_x, rel=0.03)
