"""How a number is written for a person: on a label, in a caption, in a card, in speech.

Every number the videos show or say goes through here, so a change of precision is made in one
place. Pure Python: any layer may import it (the spec layer's messages, the maths layer's axis
labels, compute's narration, the drawing's labels).

The precisions are those the project used before this module existed, named for where they are
used; they are not a recommendation.
"""

import math

__all__ = [
    "MESSAGE_DIGITS",
    "SENTENCE_DIGITS",
    "VALUE_DIGITS",
    "at_resolution",
    "fixed",
    "interval",
    "pair",
    "power_of_ten",
    "significant",
]

SENTENCE_DIGITS = 3
"""Significant digits of a number inside a sentence, said or shown: the summary's narration and
labels (``Huber loss, δ = 1.35``), the side scenes' narration."""
VALUE_DIGITS = 4
"""Significant digits of a value shown on its own: a card's estimate, a parameter in a formula."""
MESSAGE_DIGITS = 6
"""Significant digits of a number in a warning or error message (Python's ``{:g}``)."""


def significant(value: float, digits: int = MESSAGE_DIGITS) -> str:
    """``value`` with at most ``digits`` significant digits, trailing zeros dropped (``%g``)."""
    return f"{value:.{digits}g}"


def fixed(value: float, decimals: int) -> str:
    """``value`` with exactly ``decimals`` decimal places (a tick label: ``0.50``)."""
    return f"{value:.{decimals}f}"


def interval(lo: float, hi: float, digits: int = VALUE_DIGITS) -> str:
    """``[0.1, 0.4]``: a closed interval of numbers."""
    return f"[{significant(lo, digits)}, {significant(hi, digits)}]"


def pair(x: float, y: float, digits: int = SENTENCE_DIGITS) -> str:
    """``(0.5, -1.2)``: a point of the plane."""
    return f"({significant(x, digits)}, {significant(y, digits)})"


def at_resolution(value: float, resolution: float | None = None) -> str:
    """A value with as many digits as tell it apart at ``resolution`` (at least 4 significant).

    Without a resolution: 4 significant digits below 1e4, 8 above (the historical default).
    """
    if resolution is None or resolution <= 0 or not math.isfinite(resolution):
        return significant(value, VALUE_DIGITS) if abs(value) < 1e4 else significant(value, 8)
    if value == 0 or not math.isfinite(value):
        return significant(value)
    digits = math.floor(math.log10(abs(value))) - math.floor(math.log10(resolution)) + 1
    return significant(value, min(max(digits, VALUE_DIGITS), 17))


def power_of_ten(value: float, digits: int) -> tuple[str, int]:
    """``value`` as a mantissa of ``digits`` significant digits and an exponent of ten (``1.5e-7``
    is ``("1.5", -7)``), for a number written as ``1.5 x 10^-7``.
    """
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    return mantissa, int(exponent)
