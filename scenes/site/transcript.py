"""What the transcript and the described video need from the specs, computed at export.

The descriptions (what only the picture shows, per beat) are compute's
(:func:`scenes.compute.descriptions.describe`); each loss scene's formula is the video's own
LaTeX (:func:`scenes.scene.formulas.loss_formula`, which imports no Manim) as MathML, so a
screen reader reads it. Both are computed from the resolved specs the videos were rendered from,
one computation per scene.
"""

import html
import xml.etree.ElementTree as ElementTree
from typing import Any

from scenes.compute.descriptions import SOURCE_LANGUAGE, describe
from scenes.kinds import kind_of

__all__ = ["MATHML_TAGS", "formula_mathml", "lecture_extras", "safe_mathml"]

MATHML_TAGS = frozenset(
    "math semantics annotation mrow mi mn mo mtext mspace ms mfrac msqrt mroot mstyle merror "
    "mpadded mphantom mfenced menclose msub msup msubsup munder mover munderover mmultiscripts "
    "mprescripts none mtable mtr mtd mlabeledtr maligngroup malignmark".split()
)
MATHML_ATTRIBUTES = frozenset(
    "display xmlns stretchy fence form separator lspace rspace width height depth "
    "displaystyle scriptlevel columnalign rowalign columnspacing rowspacing columnlines "
    "rowlines frame mathvariant linethickness accent accentunder movablelimits largeop "
    "symmetric minsize maxsize notation open close separators alttext".split()
)


def safe_mathml(mathml: str) -> bool:
    r"""Whether ``mathml`` is well-formed and holds nothing but MathML presentation elements and
    attributes (latex2mathml copies ``\text{...}`` verbatim, markup included).
    """
    try:
        root = ElementTree.fromstring(mathml)
    except ElementTree.ParseError:
        return False
    for element in root.iter():
        if element.tag.rpartition("}")[2] not in MATHML_TAGS:
            return False
        if any(name.rpartition("}")[2] not in MATHML_ATTRIBUTES for name in element.attrib):
            return False
    return True


def formula_mathml(latex: str) -> str:
    """``latex`` as a block of MathML with the LaTeX as its ``alttext``; when it cannot be
    converted safely, the LaTeX as escaped text in a ``<code>`` element.
    """
    from latex2mathml.converter import convert

    try:
        mathml = convert(latex, display="block")
    except Exception:  # noqa: BLE001 - any failure of the converter: show the source instead
        mathml = ""
    if mathml.startswith("<math ") and safe_mathml(mathml):
        return mathml.replace("<math ", f'<math alttext="{html.escape(latex)}" ', 1)
    return f'<code class="formula">{html.escape(latex)}</code>'


def lecture_extras(
    lecture: Any, lang: str = SOURCE_LANGUAGE
) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Per scene of a loaded (resolved) lecture: its beats' descriptions in ``lang`` (beat id ->
    text), and its loss formula as MathML (loss scenes only).
    """
    from scenes.scene.formulas import loss_formula

    descriptions: dict[str, dict[str, str]] = {}
    formulas: dict[str, str] = {}
    for _, spec in lecture.scenes:
        data = kind_of(spec).compute(spec)
        descriptions[spec.scene] = describe(data, [p.id for p in spec.beat_plans()], lang)
        if getattr(spec, "kind", "loss") == "loss":
            formulas[spec.scene] = formula_mathml(loss_formula(data))
    return descriptions, formulas
