"""Readable number-line labels for any data: offsets and powers of ten when plain labels fail.

Observations near 1e12 that differ by 1, or near 1 that differ by 1e-9, would need a dozen digits
per tick label; a dozen such labels overlap into a grey smear. Like a plotting library's offset
notation, the ticks are then labelled ``(value - offset) / unit`` with small numbers, and one note
by the line says what to add and multiply: ``×10⁻¹⁰ + 0.9999999985``. The numbers themselves
are written by :mod:`scenes.numbers`, as every number on screen and in speech.
"""

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from scenes.numbers import at_resolution, fixed

# A tick label may show at most this many significant digits before an offset is used.
MAX_LABEL_DIGITS = 4
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def nice_step(span: float, ticks: int = 8) -> float:
    """A 1-2-5 tick step giving about ``ticks`` ticks over ``span``."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1.0, 2.0, 5.0, 10.0):
        if raw <= factor * power:
            return factor * power
    return 10.0 * power


def axis_range(lo: float, hi: float, ticks: int = 8) -> tuple[float, float, float]:
    """Widen ``[lo, hi]`` to whole tick steps, for an axis whose ticks land on round numbers."""
    step = nice_step(hi - lo, ticks)
    return math.floor(lo / step) * step, math.ceil(hi / step) * step, step


@dataclass(frozen=True)
class LineLabels:
    """How a number line over ``[lo, hi]`` (ticks every ``step``) is labelled.

    A tick at value ``v`` is labelled ``(v - offset) / unit`` with ``decimals`` decimal places;
    ``note`` (None for plain labels) tells the viewer how to read them.
    """

    lo: float
    hi: float
    step: float
    offset: float
    unit: float
    decimals: int
    note: str | None

    @property
    def label_range(self) -> tuple[float, float, float]:
        """The line's range in label units, for Manim's ``NumberLine(x_range=...)``."""
        return (
            (self.lo - self.offset) / self.unit,
            (self.hi - self.offset) / self.unit,
            self.step / self.unit,
        )

    def to_label(self, value: float) -> float:
        return (value - self.offset) / self.unit

    def ticks(self) -> list[float]:
        """The tick values (multiples of ``step``) inside ``[lo, hi]``."""
        first = math.ceil(self.lo / self.step - 1e-9)
        last = math.floor(self.hi / self.step + 1e-9)
        return [k * self.step for k in range(first, last + 1)]

    def text(self, value: float) -> str:
        """The label of the tick at ``value``: a few digits, read through ``note``."""
        label = round(self.to_label(value), self.decimals) + 0.0  # + 0.0: no "-0"
        return fixed(label, self.decimals)


def line_labels(lo: float, hi: float, ticks: int = 12) -> LineLabels:
    """Tick-aligned range and labelling for data spanning ``[lo, hi]``."""
    lo, hi, step = axis_range(lo, hi, ticks)
    return labelling(lo, hi, step, first=lo)


def labelling(lo: float, hi: float, step: float, first: float | None = None) -> LineLabels:
    """How to label ticks every ``step`` over ``[lo, hi]`` (an axis of a given range) so that no
    label needs more than a few digits: huge or tiny ranges, and ranges far from 0, get a power
    of ten and an offset in one note instead of long numbers that run into each other.
    ``first`` is the first tick (the offset, if one is needed); by default the first multiple of
    ``step`` in the range.
    """
    if first is None:
        first = math.ceil(lo / step - 1e-9) * step
    exponent = math.floor(math.log10(step) + 1e-9)
    magnitude = max(abs(lo), abs(hi))
    # Digits a plain label needs to tell neighbouring ticks apart.
    digits = max(math.floor(math.log10(magnitude) + 1e-9), exponent) - exponent + 1
    offset = first if digits > MAX_LABEL_DIGITS + 1 else 0.0
    if offset == 0.0 and -2 <= exponent <= 4:
        return LineLabels(lo, hi, step, 0.0, 1.0, max(0, -exponent), None)
    span_exponent = math.floor(math.log10(max(hi - offset, abs(lo - offset))) + 1e-9)
    # Keep labels like 0.5 or 250 as they are; only a step far from 1 gets a power of ten.
    use_unit = not (-2 <= exponent and span_exponent <= 4)
    unit = 10.0**exponent if use_unit else 1.0
    decimals = 0 if use_unit else max(0, -exponent)
    parts = []
    if use_unit:
        parts.append(f"×10{str(exponent).translate(_SUPERSCRIPT)}")
    if offset != 0.0:
        sign = "+" if offset > 0 else "−"
        parts.append(f"{sign} {at_resolution(abs(offset), step / 10)}")
    return LineLabels(lo, hi, step, offset, unit, decimals, " ".join(parts))


def decimals(step: float) -> int:
    """Decimal places that show a tick step exactly: 0 for 2, 1 for 0.5, 2 for 0.25."""
    for places in range(0, 10):
        if abs(round(step, places) - step) <= 1e-9 * step:
            return places
    return 10


def padded_extent(values: Any, asked: tuple[float, float] | None = None) -> tuple[float, float]:
    """The stretch of a number line that shows ``values`` with a margin of 4 % on each side,
    widened to hold ``asked`` (a spec's or a lecture's ``observations.line``): one rule for every
    scene, the summary card and the lecture's shared line, so they agree to the pixel.
    """
    array = np.asarray(values, dtype=np.float64)
    lo, hi = float(array.min()), float(array.max())
    # Equal values: a span that doubles still resolve (1e12 + 1e-3 would not).
    span = hi - lo or max(abs(lo) * 1e-6, 1.0)
    lo, hi = lo - 0.04 * span, hi + 0.04 * span
    if asked is not None:
        lo, hi = min(lo, asked[0]), max(hi, asked[1])
    return lo, hi
