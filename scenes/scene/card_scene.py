"""The lecture's cards: a title card that opens it and a summary that closes it.

The summary draws the data on the same number line, in the same place, as the loss scenes of
the lecture (``number_line.number_line_for``; a lecture gives the scenes that share their data
one range), so the estimates land where the student saw each scene settle.
"""

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, DashedLine, FadeIn, Rectangle, VGroup, VMobject, Write

from scenes.compute.cards import CardData, SummaryData, value_words
from scenes.compute.loss_table import LOSS_TABLE
from scenes.scene import style, typeset
from scenes.scene.builder import SAFE_LEFT, SAFE_RIGHT, SAFE_TOP, SceneBuilder, wrapped_lines
from scenes.scene.number_line import LINE_Y, number_line_for
from scenes.scene.shapes import axis_line, interval_bar, point
from scenes.scene.strokes import mark_obstacle, marker
from scenes.spec.timeline import Beat

CARD_WIDTH = SAFE_RIGHT - SAFE_LEFT - 1.0
# Which marker and colour stands for each loss's minimiser: the roles of the loss scenes' keys.
ROLE_FOR_TARGET = {"mean": "mean", "median": "median"}
MARK_ROW_Y = LINE_Y + 0.38
MARK_ROW_STEP = 0.25
TABLE_ROW = 0.46
ITEM_PITCH = 0.58
CONTENT_BOTTOM = -2.1  # a little above the top of a two-line caption


def lowest_free_row(rows: list[list[tuple[float, float]]], left: float, right: float) -> int:
    """The lowest row (0 nearest the line) with no span overlapping ``left``..``right``, a new
    row when every row has one; the span is added to that row (``rows`` updated in place).
    """
    for level, spans in enumerate(rows):
        if all(right <= lo or left >= hi for lo, hi in spans):
            spans.append((left, right))
            return level
    rows.append([(left, right)])
    return len(rows) - 1


class CardSceneBuilder(SceneBuilder):
    """The title, a subtitle under it, then the list of what the lecture covers."""

    data: CardData

    def beat_intro(self, beat: Beat) -> None:
        spec = self.spec
        lines = wrapped_lines(spec.title, style.SIZE_DISPLAY, CARD_WIDTH)
        title = VGroup(*lines).arrange(DOWN, buff=0.2)
        parts = VGroup(title)
        if spec.subtitle:
            sub = VGroup(*wrapped_lines(spec.subtitle, style.SIZE_LABEL, CARD_WIDTH))
            sub.arrange(DOWN, buff=0.12).set_color(style.MUTED)
            parts.add(sub)
        parts.arrange(DOWN, buff=0.35)
        rule = axis_line(point(-2.5, 0), point(2.5, 0))
        items = VGroup(*[typeset.text(f"\u2022  {item}", style.SIZE_LABEL) for item in spec.items])
        if len(items):
            # One line pitch (not ink boxes, which differ with descenders) between items.
            for k, item in enumerate(items):
                item.align_to(point(0, 0), LEFT)
                item.shift((-ITEM_PITCH * k - item[0].get_center()[1]) * UP)
            card = VGroup(parts, rule, items).arrange(DOWN, buff=0.4)
        else:
            card = VGroup(parts, rule).arrange(DOWN, buff=0.4)
        # Centred in the room the captions leave.
        card.move_to(point(0, (SAFE_TOP + CONTENT_BOTTOM) / 2))
        self.items = items
        self.animate(Write(title), share=0.6)
        rest = [FadeIn(part) for part in parts[1:]]
        self.animate(*rest, FadeIn(rule), share=0.4)

    def beat_items(self, beat: Beat) -> None:
        if len(self.items):
            # Sliding in sideways: from above, each item crossed the one before it.
            self.animate(FadeIn(self.items, lag_ratio=0.5, shift=0.3 * RIGHT), share=0.8)


class SummarySceneBuilder(SceneBuilder):
    """Each loss's minimiser on one number line of the data, and listed with its value."""

    data: SummaryData
    # The closing card: the lecture ends on it, still, not on a fade to black.
    fades_out = False

    def beat_intro(self, beat: Beat) -> None:
        self.title = self.make_title()
        self.animate(Write(self.title), share=self.share(self.timing.intro))

    def beat_data(self, beat: Beat) -> None:
        number_line, self.line = number_line_for(self.data.line_extent())
        dots = VGroup(
            *[
                marker("observation", 0.15).move_to(point(x, LINE_Y))
                for x in self.line.xs(self.data.observations)
            ]
        )
        self.animate(FadeIn(number_line), FadeIn(dots, lag_ratio=0.1), share=0.6)

    def beat_compare(self, beat: Beat) -> None:
        rows = self.estimate_rows()
        each = 0.85 / max(len(rows), 1)
        for row in rows:
            self.animate(FadeIn(row), share=each)

    def place_mark(
        self, ref, role: str, color: str, rows: list[list[tuple[float, float]]]
    ) -> VGroup:
        """A minimiser's marker above the line (a bar over a whole interval of minimisers) with
        a dashed leader down to the line; a marker that would touch another goes up a row (the
        lowest row where it touches none, whatever order the markers come in).
        """
        x_lo, x_hi = (float(v) for v in self.line.xs(np.array([ref.lo, ref.hi])))
        if ref.lo != ref.hi:
            mark: VMobject = interval_bar(x_lo, x_hi, 0.16, color)
        else:
            mark = marker(role, 0.24, color)
        x = (x_lo + x_hi) / 2
        half = mark.width / 2
        level = lowest_free_row(rows, x - half - 0.06, x + half + 0.06)
        y = MARK_ROW_Y + MARK_ROW_STEP * level
        mark.move_to(point(x, y))
        leader = DashedLine(
            point(x, LINE_Y + 0.06),
            point(x, y - 0.12),
            stroke_color=color,
            stroke_width=2,
            dash_length=0.06,
        )
        mark_obstacle(leader)
        return VGroup(leader, mark)

    def estimate_rows(self) -> list[VGroup]:
        """For each loss: its marker above the line at its minimiser (a bar over a whole interval
        of minimisers), a dashed leader down to the line, and a row of the table that names it.
        Markers that would touch go up a row.
        """
        rows = []
        mark_rows: list[list[tuple[float, float]]] = []
        drawn: set[tuple[str, float, float]] = set()
        top = self.title.get_bottom()[1] - 0.45
        for estimate in self.data.estimates:
            role = ROLE_FOR_TARGET.get(estimate.target) or LOSS_TABLE[estimate.loss].summary_role
            color = style.PALETTE[role]
            ref = estimate.reference
            lowest = estimate.global_minimum
            shown = ref if lowest is None else lowest
            marks = []
            # The same minimiser with the same marker (Huber with δ = 1 and with its own δ) is
            # drawn once: a second marker a row up would only say the same thing higher.
            if (role, shown.lo, shown.hi) not in drawn:
                drawn.add((role, shown.lo, shown.hi))
                marks.append(self.place_mark(shown, role, color, mark_rows))
            named = estimate.target in ("mean", "median")
            value = value_words(shown)
            note = None
            if lowest is not None:
                # The minimum reached from the median is only a local one: both are drawn, the
                # lowest is the loss's answer, the local one is named as such.
                marks.append(self.place_mark(ref, role, color, mark_rows))
                value = f"{value} (lowest minimum)"
                where = estimate.target or "from the median"
                note = f"{where}: {value_words(ref)}, a local minimum"
            elif named:
                value = f"{estimate.target} {value}"
            elif estimate.target:
                value = f"{value} ({estimate.target})"
            key_mark = (
                Rectangle(width=0.3, height=0.16, fill_color=color, fill_opacity=1, stroke_width=0)
                if shown.lo != shown.hi
                else marker(role, 0.24, color)
            )
            words = typeset.text(f"{estimate.label} \u2192 {value}", style.SIZE_LABEL, color)
            entry = VGroup(key_mark, words).arrange(np.array([1.0, 0, 0]), buff=0.25)
            entry.move_to(point(SAFE_LEFT + 0.3 + entry.width / 2, top))
            top -= TABLE_ROW
            parts: list[VMobject] = [*marks, entry]
            if note is not None:
                line = typeset.text(note, style.SIZE_SMALL, color)
                line.next_to(words, DOWN, buff=0.06, aligned_edge=LEFT)
                top -= line.height + 0.06
                parts.append(line)
            rows.append(VGroup(*parts))
        return rows


__all__ = ["CardSceneBuilder", "SummarySceneBuilder"]
