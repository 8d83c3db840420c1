"""How a number is written for a person: on a label, in a caption, in a card, in speech.

Every number the videos show or say goes through here, so a change of precision is made in one
place. Pure Python: any layer may import it (the spec layer's messages, the maths layer's axis
labels, compute's narration, the drawing's labels).

The precisions are those the project used before this module existed, named for where they are
used; they are not a recommendation.
"""

import math
import re

__all__ = [
    "MESSAGE_DIGITS",
    "SENTENCE_DIGITS",
    "VALUE_DIGITS",
    "at_resolution",
    "DECIMAL_COMMA",
    "common_decimals",
    "fixed",
    "in_locale",
    "interval",
    "pair",
    "power_of_ten",
    "significant",
    "with_minus_signs",
]

SENTENCE_DIGITS = 3
"""Significant digits of a number inside a sentence, said or shown: the summary's narration and
labels (``Huber loss, δ = 1.35``), the side scenes' narration."""
VALUE_DIGITS = 4
"""Significant digits of a value shown on its own: a card's estimate, a parameter in a formula."""
MESSAGE_DIGITS = 6
"""Significant digits of a number in a warning or error message (Python's ``{:g}``)."""


DECIMAL_COMMA = frozenset({"de", "fr", "es", "it", "nl", "pt", "pl", "ru", "sv", "da", "fi", "nb"})
"""Languages (ISO 639-1) that write a decimal comma: ``1,35`` (spec-v3 section 16)."""


def in_locale(number: str, locale: str | None = None) -> str:
    """A number written by this module (``1.35``, ``[0.1, 0.4]``, ``(0.50, -1.20)``) as the
    language ``locale`` writes it: decimal comma and ``;`` between numbers where the comma is
    the decimal mark. ``None`` or English: unchanged.
    """
    if locale not in DECIMAL_COMMA:
        return number
    return re.sub(r"(?<=\d)\.(?=\d)", ",", number.replace(", ", "; "))


def significant(value: float, digits: int = MESSAGE_DIGITS, locale: str | None = None) -> str:
    """``value`` with at most ``digits`` significant digits, trailing zeros dropped (``%g``)."""
    return in_locale(f"{value:.{digits}g}", locale)


def fixed(value: float, decimals: int, locale: str | None = None) -> str:
    """``value`` with exactly ``decimals`` decimal places (a tick label: ``0.50``)."""
    return in_locale(f"{value:.{decimals}f}", locale)


def interval(lo: float, hi: float, digits: int = VALUE_DIGITS) -> str:
    """``[0.1, 0.4]``: a closed interval of numbers."""
    return f"[{significant(lo, digits)}, {significant(hi, digits)}]"


def common_decimals(values: "list[float]", digits: int = SENTENCE_DIGITS) -> int:
    """Decimals that give the largest of ``values`` ``digits`` significant digits: one stated
    precision for numbers shown together (not ``(0.348, 0.0204)``).
    """
    largest = max((abs(v) for v in values if math.isfinite(v)), default=0.0)
    if largest == 0:
        return 0
    return max(0, digits - 1 - math.floor(math.log10(largest)))


def pair(x: float, y: float, digits: int = SENTENCE_DIGITS) -> str:
    """``(0.50, −1.20)``: a point of the plane, both coordinates to one count of decimals (the
    larger one to ``digits`` significant digits), with minus signs.
    """
    decimals = common_decimals([x, y], digits)
    return with_minus_signs(f"({fixed(x, decimals)}, {fixed(y, decimals)})")


def at_resolution(value: float, resolution: float | None = None, locale: str | None = None) -> str:
    """A value with as many digits as tell it apart at ``resolution`` (at least 4 significant),
    written as the language ``locale`` writes numbers.

    Without a resolution: 4 significant digits below 1e4, 8 above (the historical default).
    """
    return in_locale(_at_resolution(value, resolution), locale)


def _at_resolution(value: float, resolution: float | None) -> str:
    if resolution is None or resolution <= 0 or not math.isfinite(resolution):
        return significant(value, VALUE_DIGITS) if abs(value) < 1e4 else significant(value, 8)
    if value == 0 or not math.isfinite(value):
        return significant(value)
    digits = math.floor(math.log10(abs(value))) - math.floor(math.log10(resolution)) + 1
    return significant(value, min(max(digits, VALUE_DIGITS), 17))


_HYPHEN_MINUS = re.compile(r"(?<![\w.])-(?=\.?\d)")


def with_minus_signs(text: str) -> str:
    """``text`` with each hyphen that stands for minus before a number written as a minus sign
    (U+2212): on screen and in captions a hyphen is never a minus; espeak-ng and Piper say
    "minus" for either. Hyphens inside words (``Huber-like``, ``1e-3``) are kept.
    """
    return _HYPHEN_MINUS.sub("\u2212", text)


def power_of_ten(value: float, digits: int) -> tuple[str, int]:
    """``value`` as a mantissa of ``digits`` significant digits and an exponent of ten (``1.5e-7``
    is ``("1.5", -7)``), for a number written as ``1.5 x 10^-7``.
    """
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    return mantissa, int(exponent)
