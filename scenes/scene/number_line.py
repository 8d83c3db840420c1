"""The number line of the data: its ticks labelled in small numbers, and where values go on it.

Every loss scene and the lecture's summary card draw it in one place (``LINE_Y``,
``LINE_LENGTH``) over the range a lecture gives the scenes that share their data, so an estimate
lands where the student saw it settle; the clipping scene draws the same kind of line, shorter,
in its left column.
"""

from dataclasses import dataclass

import numpy as np
from manim import RIGHT, UP, NumberLine

from scenes.compute.loss import LINE_TICKS
from scenes.maths.axis import LineLabels, line_labels
from scenes.scene import style, typeset
from scenes.scene.shapes import place_line

LINE_Y = -1.3
LINE_LENGTH = 12.0


@dataclass(frozen=True)
class LineMap:
    """Where values go on a number line: ``lo`` at scene x ``left``, ``unit`` per data unit."""

    left: float
    lo: float
    hi: float
    unit: float

    def xs(self, value: np.ndarray | float) -> np.ndarray:
        # Relative to lo: at magnitudes like 1e12, value * unit - offset would lose the digits.
        return self.left + (np.asarray(value) - self.lo) * self.unit


def labelled_line(
    labels: LineLabels,
    length: float,
    centre: tuple[float, float],
    note_direction: np.ndarray,
    note_buff: float,
) -> tuple[NumberLine, LineMap]:
    """A number line ``length`` long, its middle at ``centre``, its ticks labelled in label units
    (small numbers) and the note of those units (such as "x 10^3") beside its right end, towards
    ``note_direction``; and where data values go on it.
    """
    # Ticks are labelled in label units (small numbers); positions below stay in data units.
    line = NumberLine(
        x_range=labels.label_range,
        length=length,
        color=style.MUTED,
        include_numbers=False,
    )
    label_lo, label_hi, label_step = labels.label_range
    count = round((label_hi - label_lo) / label_step) + 1
    typeset.tick_labels(
        line,
        [label_lo + k * label_step for k in range(count)],
        labels.decimals,
    )
    place_line(line, *centre)
    if labels.note is not None:
        note = typeset.text(labels.note, style.SIZE_SMALL, style.MUTED)
        note.next_to(line.get_right(), note_direction, buff=note_buff, aligned_edge=RIGHT)
        line.add(note)
    per_label = line.n2p(label_lo + label_step)[0] - line.n2p(label_lo)[0]
    unit = float(per_label) / (label_step * labels.unit)
    left = float(line.n2p(label_lo)[0])
    return line, LineMap(left=left, lo=labels.lo, hi=labels.hi, unit=unit)


def number_line_for(extent: tuple[float, float]) -> tuple[NumberLine, LineMap]:
    """The number line of the data over ``extent`` and where values go on it, in the place every
    scene of a lecture draws it (``LINE_Y``, ``LINE_LENGTH``), its ticks labelled in small
    numbers (with a note such as "x 10^3" when the values are large).
    """
    labels = line_labels(*extent, ticks=LINE_TICKS)
    return labelled_line(labels, LINE_LENGTH, (0, LINE_Y), UP, 0.15)
