"""The lecture's cards: a title card that opens it and a summary that closes it.

The summary draws the data on the same number line, in the same place, as the loss scenes of
the lecture (``number_line.number_line_for``; a lecture gives the scenes that share their data
one range), so the estimates land where the student saw each scene settle.
"""

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, DashedLine, FadeIn, Rectangle, VGroup, VMobject, Write

from scenes.compute.cards import CardData, SummaryData, value_words
from scenes.compute.loss_table import LOSS_TABLE
from scenes.compute.translation import SHARED_SCREEN, language_of, translate
from scenes.scene import style, typeset
from scenes.scene.builder import SAFE_LEFT, SAFE_TOP, SceneBuilder
from scenes.scene.number_line import LINE_Y, number_line_for
from scenes.scene.shapes import axis_line, interval_bar, open_spans, point
from scenes.scene.strokes import mark_obstacle, marker
from scenes.spec.card_fit import (
    BULLET,
    CARD_BOTTOM,
    CARD_HEIGHT,
    CARD_WIDTH,
    RULE_GAP,
    SUBTITLE_LINE_GAP,
    TITLE_LINE_GAP,
    TITLE_SUBTITLE_GAP,
    card_fit,
    item_pitch,
    wrapped_pitch,
)
from scenes.spec.timeline import Beat

# Which marker and colour stands for each loss's minimiser: the roles of the loss scenes' keys.
ROLE_FOR_TARGET = {"mean": "mean", "median": "median"}
MARK_ROW_Y = LINE_Y + 0.38
MARK_ROW_STEP = 0.25
TABLE_ROW = 0.46


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


LEADER_CLEARANCE = 0.05
"""Room a leader leaves above and below a marker it passes (scene units)."""
SHORTEST_DASH = 0.05
SAME_X = 0.02
"""Markers whose centres are closer than this (scene units) mark the same value."""


def leader_pieces(
    x: float, bottom: float, top: float, marks: list[tuple[float, float, float, float]]
) -> list[tuple[float, float]]:
    """The spans of a vertical leader at ``x`` from ``bottom`` to ``top`` that miss every marker
    box (left, right, bottom, top) it would cross, with :data:`LEADER_CLEARANCE` around each;
    pieces shorter than a dash are left out. A marker centred on the same ``x`` below already
    carries the leader down to the line: this one starts above it (a column of equal values).
    """
    for left, right, low, high in marks:
        if abs((left + right) / 2 - x) < SAME_X and low < top:
            bottom = max(bottom, high + LEADER_CLEARANCE)
    cuts = [
        (low - LEADER_CLEARANCE, high + LEADER_CLEARANCE)
        for left, right, low, high in marks
        if left <= x <= right and high > bottom and low < top
    ]
    return open_spans(bottom, top, cuts, SHORTEST_DASH)


class CardSceneBuilder(SceneBuilder):
    """The title, a subtitle under it, then the list of what the lecture covers."""

    data: CardData

    def beat_intro(self, beat: Beat) -> None:
        spec = self.spec
        # The sizes and line breaks that fit the frame (``check`` refused what fits at none).
        fit = card_fit(spec.title, spec.subtitle, list(spec.items))
        title = VGroup(*[typeset.text(line, fit.title_size) for line in fit.title_lines])
        title.arrange(DOWN, buff=TITLE_LINE_GAP * fit.title_size)
        parts = VGroup(title)
        if fit.subtitle_lines:
            sub = VGroup(*[typeset.text(line, fit.subtitle_size) for line in fit.subtitle_lines])
            sub.arrange(DOWN, buff=SUBTITLE_LINE_GAP * fit.subtitle_size).set_color(style.MUTED)
            parts.add(sub)
        parts.arrange(DOWN, buff=TITLE_SUBTITLE_GAP * fit.spacing)
        rule = axis_line(point(-2.5, 0), point(2.5, 0))
        wrapped = wrapped_pitch(fit.item_size, fit.spacing)
        items = VGroup(*[self.item(lines, fit.item_size, wrapped) for lines in fit.item_lines])
        gap = RULE_GAP * fit.spacing
        if len(items):
            # One line pitch (not ink boxes, which differ with descenders) between items.
            pitch = item_pitch(fit.item_size, fit.spacing)
            baseline = 0.0
            for item in items:
                # Aligned by their bullets (the first glyph of each item's first row).
                item.shift(point(0, baseline) - item[0][0].get_center())
                baseline -= pitch + wrapped * (len(item) - 1)
            card = VGroup(parts, rule, items).arrange(DOWN, buff=gap)
        else:
            card = VGroup(parts, rule).arrange(DOWN, buff=gap)
        if card.height > CARD_HEIGHT or card.width > CARD_WIDTH:
            # Only a translation longer than the text ``check`` measured gets here: drawn
            # smaller rather than off the frame.
            card.scale(min(CARD_HEIGHT / card.height, CARD_WIDTH / card.width))
        # Centred in the room the captions leave.
        card.move_to(point(0, (SAFE_TOP + CARD_BOTTOM) / 2))
        self.items = items
        self.animate(Write(title), share=0.6)
        rest = [FadeIn(part) for part in parts[1:]]
        self.animate(*rest, FadeIn(rule), share=0.4)

    @staticmethod
    def item(lines: list[str], size: float, pitch: float) -> VGroup:
        """One listed item: a bullet, then its lines, the wrapped ones under the first's words.

        Every row is typeset after a bullet, so rows line up by their bullets (same baseline
        step, same left edge of the words); the bullets of the wrapped rows are then dropped.
        """
        rows = []
        for k, line in enumerate(lines):
            row = typeset.text(BULLET + line, size)
            row.shift(-row[0].get_center() + (-pitch * k) * UP)
            if k:
                row.remove(row[0])
            rows.append(row)
        return VGroup(*rows)

    def beat_items(self, beat: Beat) -> None:
        if len(self.items):
            # Sliding in sideways: from above, each item crossed the one before it.
            self.animate(FadeIn(self.items, lag_ratio=0.5, shift=0.3 * RIGHT), share=0.8)


class SummarySceneBuilder(SceneBuilder):
    """Each loss's minimiser on one number line of the data, and listed with its value."""

    data: SummaryData

    def screen_words(self, text_id: str, **values: str) -> str:
        """Words of every summary (``screen/<text id>`` in the catalogue), in its language."""
        source = SHARED_SCREEN["summary"][text_id]
        return translate(f"screen/{text_id}", source, language_of(self.spec), **values)

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
        """The estimates one after another: each fades in (in 0.6 s) as its sentence begins,
        when the narration gives one caption per estimate (the generated one does), else at
        even steps over the beat; then it stands (a row held is one picture).
        """
        rows = self.estimate_rows()
        begin = self.beat_end - self.beat_frames
        spans = self.captions.spans
        cues = sorted(start for start, _, _ in spans if begin <= start < self.beat_end)
        if rows and len(cues) == len(rows):
            starts = [(cue - begin) / self.beat_frames for cue in cues]
        else:
            each = 0.85 / max(len(rows), 1)
            starts = [number * each for number in range(len(rows))]
        for row, start in zip(rows, starts, strict=True):
            self.hold(until=start)
            self.animate(FadeIn(row), share=self.share(0.6))

    def place_mark(
        self, ref, role: str, color: str, rows: list[list[tuple[float, float]]]
    ) -> VGroup:
        """A minimiser's marker above the line (a bar over a whole interval of minimisers) with
        a dashed leader down to the line; a marker that would touch another goes up a row (the
        lowest row where it touches none, whatever order the markers come in). The leader
        stops short of each marker below it and goes on above it, never across it.
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
        leader = VGroup()
        for bottom, top in leader_pieces(x, LINE_Y + 0.06, y - 0.12, self.placed_marks):
            piece = DashedLine(
                point(x, bottom),
                point(x, top),
                stroke_color=color,
                stroke_width=2,
                dash_length=0.06,
            )
            mark_obstacle(piece)
            leader.add(piece)
        self.placed_marks.append(
            (mark.get_left()[0], mark.get_right()[0], mark.get_bottom()[1], mark.get_top()[1])
        )
        return VGroup(leader, mark)

    def estimate_rows(self) -> list[VGroup]:
        """For each loss: its marker above the line at its minimiser (a bar over a whole interval
        of minimisers), a dashed leader down to the line, and a row of the table that names it.
        Markers that would touch go up a row.
        """
        rows = []
        mark_rows: list[list[tuple[float, float]]] = []
        self.placed_marks: list[tuple[float, float, float, float]] = []
        drawn: set[tuple[str, float, float]] = set()
        lang = language_of(self.spec)
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
            value = value_words(shown, lang)
            # The target's name as the summary's narration says it (``words/target.<key>``).
            target_key = LOSS_TABLE[estimate.loss].target if estimate.loss in LOSS_TABLE else ""
            target = translate(f"words/target.{target_key}", estimate.target, lang)
            note = None
            if lowest is not None:
                # The minimum reached from the median is only a local one: both are drawn, the
                # lowest is the loss's answer, the local one is named as such.
                marks.append(self.place_mark(ref, role, color, mark_rows))
                value = self.screen_words("lowest", value=value)
                where = target if estimate.target else self.screen_words("from_median")
                note = self.screen_words("local", where=where, value=value_words(ref, lang))
            elif named:
                value = self.screen_words("named", target=target, value=value)
            elif estimate.target:
                value = self.screen_words("with_target", target=target, value=value)
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
