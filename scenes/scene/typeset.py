r"""One type system for every scene: DejaVu Sans for words and for mathematics.

Words are Pango ``Text`` in DejaVu Sans. Mathematics is typeset by XeLaTeX with ``unicode-math``:
its letters, Greek and digits come from the same DejaVu Sans files (oblique for variables, upright
for numbers and names), and its operators, delimiters, radicals and fraction bars from TeX Gyre
DejaVu Math, which was drawn to match DejaVu. So ``theta`` in a caption and ``\theta`` in a formula
are the same glyph, and a formula keeps TeX's spacing and layout (cases, fractions, roots).

Sizes are the type scale of :mod:`scenes.scene.style` and mean the same for both helpers: the
lowercase letters of ``text("x", size)`` and ``maths("x", size)`` are equally high.

Manim caches each formula's SVG on disk (``tex_dir``), keyed by the formula and this template, so
a formula is typeset once per machine; XeLaTeX with ``unicode-math`` takes about two seconds per
new formula (``benchmarks/typeset_cost.py`` measures it).
"""

import contextlib
import re
from functools import cache
from pathlib import Path
from typing import Any

from manim import LEFT, DecimalNumber, MathTex, NumberLine, Text, TexTemplate, config

from scenes.scene import style

MATHS_PREAMBLE = r"""
\usepackage{fontspec}
\usepackage{unicode-math}
\setmainfont{DejaVu Sans}
\setmathfont{TeX Gyre DejaVu Math}
\setmathfont{DejaVu Sans Oblique}[range={it/{latin,Latin,greek,Greek}}]
\setmathfont{DejaVu Sans}[range={up/{latin,Latin,num,greek,Greek}}]
\DeclareMathSizes{10}{10}{9.5}{9.5}
"""
# Sub- and superscripts (and \tfrac's digits) at 95% of the text, not TeX's 70% (80% from the
# maths font's own table): nothing, subscripts included, under 18 px at 720p at the smallest
# size (tests/scene/test_typeset_sizes.py measures the glyphs).

# Manim sizes Pango text and TeX differently: at the same ``font_size`` DejaVu Sans from Pango is
# this many times taller than the same glyph from TeX. Measured
# (tests/scene/test_typeset_sizes.py checks that the x-heights of text("x") and maths("x") agree).
PANGO_PER_TEX = 1.3375


@cache
def tex_template() -> TexTemplate:
    """The XeLaTeX template of every formula (one object, so Manim's caches see one template)."""
    template = TexTemplate(tex_compiler="xelatex", output_format=".xdv")
    template.add_to_preamble(MATHS_PREAMBLE)
    return template


_WORDS_IN_MATHS = re.compile(r"(\\(?:text|mathrm|operatorname)\{[^{}]*\})")


def ordinary_primes(tex: str) -> str:
    r"""``tex`` with each prime (``'``) set as a symbol beside its letter, not a superscript:
    with scripts at 95% (``MATHS_PREAMBLE``) a superscript prime floats high above the letter.
    Apostrophes in words (``\text{...}``, ``\mathrm``, ``\operatorname``) are left alone.
    """
    pieces = _WORDS_IN_MATHS.split(tex)
    return "".join(
        piece if k % 2 else piece.replace("'", r"{\mathord{\prime}}")
        for k, piece in enumerate(pieces)
    )


class SansMathTex(MathTex):
    """``MathTex`` in the scenes' type system; ``font_size`` is on the scale of :func:`text`.

    A class (not only :func:`maths`) because Manim builds tick labels and ``DecimalNumber`` digits
    by calling a class: pass ``mob_class=SansMathTex`` or ``label_constructor=SansMathTex``.
    """

    def __init__(self, *tex_strings: str, font_size: float = style.SIZE_LABEL, **kwargs: Any):
        kwargs.setdefault("tex_template", tex_template())
        tex_strings = tuple(ordinary_primes(tex) for tex in tex_strings)
        # MathTex sizes itself through the font_size setter below, which applies the factor.
        super().__init__(*tex_strings, font_size=font_size, **kwargs)

    @property
    def font_size(self) -> float:
        return float(MathTex.font_size.fget(self)) / PANGO_PER_TEX  # type: ignore[attr-defined]

    @font_size.setter
    def font_size(self, value: float) -> None:
        if value <= 0:
            raise ValueError("font_size must be greater than 0.")
        if self.height > 0:
            self.scale(value / self.font_size)


def text(s: str, size: float = style.SIZE_LABEL, color: str = style.TEXT, **kwargs: Any) -> Text:
    """Words (and numbers inside sentences) in the scenes' sans family."""
    return _sans_text(s, font_size=size, color=color, **kwargs)


def _sans_text(s: str, **kwargs: Any) -> Text:
    """``Text`` in DejaVu Sans; drawn once more if its glyph file came out empty.

    Under heavy parallel load a glyph file in the text cache is now and then empty (0 bytes), and
    Manim, which trusts any file it finds there, fails to parse it. An empty file is never a
    finished glyph: it is removed and the text drawn again.
    """
    from xml.etree.ElementTree import ParseError

    try:
        return Text(s, font=style.FONT, **kwargs)
    except ParseError:
        folder = Path(config.get_dir("text_dir"))
        for svg in folder.glob("*.svg"):
            with contextlib.suppress(OSError):
                if svg.stat().st_size == 0:
                    svg.unlink()
        return Text(s, font=style.FONT, **kwargs)


def maths(
    tex: str, size: float = style.SIZE_LABEL, color: str = style.TEXT, **kwargs: Any
) -> MathTex:
    """A formula (LaTeX maths mode) whose letters match :func:`text` at the same ``size``."""
    return SansMathTex(tex, font_size=size, color=color, **kwargs)


_decimal_mark = "."
"""The decimal mark of the language this process draws in (:func:`use_language`)."""


def use_language(lang: str | None) -> None:
    """Draw numbers as ``lang`` writes them from now on (a decimal comma in German); None or
    English: a decimal point. Set by the scene builder from its spec (spec-v3 section 16).
    """
    from scenes.numbers import DECIMAL_COMMA

    global _decimal_mark
    _decimal_mark = "," if lang in DECIMAL_COMMA else "."


def decimal_tex(tex: str) -> str:
    """A number in LaTeX maths with the language's decimal mark: ``0.5`` -> ``0{,}5`` (braced,
    so TeX sets no space after the comma as it would between list items).
    """
    if _decimal_mark == ".":
        return tex
    return re.sub(r"(?<=\d)\.(?=\d)", "{,}", tex)


class Number(DecimalNumber):
    """A ``DecimalNumber`` (a number that can change as it animates) in the scenes' type system.

    Its characters are DejaVu Sans from Pango, the same glyphs as :func:`text` and as the digits of
    :func:`maths`, with a true minus sign. Manim's own ``DecimalNumber`` caches one mobject per
    character string for every class at once, so mixing classes in one process would mix glyphs;
    this class keeps its own cache.
    """

    _glyphs: dict[str, Text] = {}

    def __init__(self, number: float = 0, **kwargs: Any) -> None:
        kwargs.setdefault("font_size", style.SIZE_SMALL)
        # DejaVu's digits carry side bearings that Pango would add; DecimalNumber packs ink boxes.
        kwargs.setdefault("digit_buff_per_font_unit", 0.003)
        super().__init__(number, **kwargs)

    def _string_to_mob(self, string: str, mob_class: Any = None, **kwargs: Any) -> Text:
        glyph = string.replace("-", "\u2212").replace(".", _decimal_mark)
        if glyph not in self._glyphs:
            self._glyphs[glyph] = _sans_text(glyph, font_size=style.SIZE_LABEL)
        mob = self._glyphs[glyph].copy()
        mob.font_size = self._font_size
        return mob


def number(
    value: float,
    decimals: int,
    size: float = style.SIZE_SMALL,
    color: str = style.TEXT,
    **kwargs: Any,
) -> Number:
    """A number that can change as it animates, in the type system."""
    return Number(value, num_decimal_places=decimals, font_size=size, color=color, **kwargs)


def tick_labels(
    line: NumberLine, values: list[float], decimals: int, size: float = style.SIZE_SMALL
) -> NumberLine:
    """Label ``line`` (made with ``include_numbers=False``) at ``values`` in the type system."""
    line.add_labels(
        {value: number(value, decimals, size, style.MUTED) for value in values},
        font_size=size,
    )
    for value, label in zip(values, line.labels, strict=True):
        if value < 0:
            # Centre the digits, not the minus sign, under the tick (as Manim's own labels do).
            label.shift(label[0].width / 2 * LEFT)
    return line
