"""The loss scene's number line: the data as dots, the reference estimates under the line, and
their key (marker, name, value) in the right column.

Over the line (scene units) stand the rows of pull arrows (``BAND_BOTTOM`` to ``BAND_TOP``,
one row per observation), theta's label, and the balance of the pulls; the reference markers
stand under it, in rows where they would touch.
"""

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    DashedLine,
    DecimalNumber,
    Line,
    Mobject,
    Rectangle,
    VGroup,
    VMobject,
)

from scenes.compute.loss import SceneData
from scenes.compute.loss_table import LOSS_TABLE, PARAMETERS
from scenes.compute.translation import SHARED_SCREEN, language_of, translate
from scenes.maths import Reference
from scenes.numbers import DECIMAL_COMMA, at_resolution, with_minus_signs
from scenes.scene import style, typeset
from scenes.scene.builder import SAFE_RIGHT, SceneBuilder
from scenes.scene.curve_panels import SMALL_PANELS
from scenes.scene.number_line import LINE_Y, LineMap, number_line_for
from scenes.scene.shapes import free_row, interval_bar, point
from scenes.scene.strokes import mark_obstacle, marker

BAND_BOTTOM = LINE_Y + 0.26
BAND_TOP = -0.15
THETA_LABEL_Y = BAND_TOP + 0.33
BALANCE_Y = THETA_LABEL_Y + 0.32
REFERENCE_ROW_Y = LINE_Y - 0.66
REFERENCE_ROW_STEP = 0.22
# The key of reference estimates stands in the right column, under the small panels.
KEY_WIDTH = SAFE_RIGHT - SMALL_PANELS.left - 0.4


class LossLineBuilder(SceneBuilder):
    """The number line of a loss scene, with the reference estimates and their key: where the
    data and theta are drawn (the loss scene's builder builds on it).
    """

    data: SceneData

    def screen_words(self, text_id: str, **values: str) -> str:
        """Words every loss scene draws (``screen/<text id>`` in the catalogue), in the scene's
        language.
        """
        source = SHARED_SCREEN["loss"][text_id]
        return translate(f"screen/{text_id}", source, language_of(self.spec), **values)

    def value_text(self, value: float) -> str:
        """A value in the key, at the line's resolution, as the scene's language writes it."""
        return at_resolution(value, self.resolution, language_of(self.spec))

    def make_number_line(self) -> None:
        self.number_line, self.line_map = number_line_for(self.data.line_extent())
        self.resolution = self.data.resolution
        self.zoom: tuple[float, LineMap] | None = None
        self.dots = VGroup(
            *[
                marker("observation", 0.15).move_to(point(self.to_x(v), LINE_Y))
                for v in self.data.observations
            ]
        )
        self.references = self.make_references()

    @property
    def unit(self) -> float:
        """Scene units per data unit, now (it changes while the line zooms out)."""
        if self.zoom is None:
            return self.line_map.unit
        z, target = self.zoom
        return (1 - z) * self.line_map.unit + z * target.unit

    def line_ends(self) -> tuple[float, float]:
        """Scene x of the number line's ends, now."""
        ends = self.line_map.xs(np.array([self.line_map.lo, self.line_map.hi]))
        if self.zoom is not None:
            z, target = self.zoom
            ends = (1 - z) * ends + z * target.xs(np.array([target.lo, target.hi]))
        return float(ends[0]), float(ends[1])

    def to_x(self, value: float) -> float:
        """Scene x of a value on the number line."""
        return float(self.to_xs(np.asarray(value)))

    def to_xs(self, value: np.ndarray) -> np.ndarray:
        """Scene x of values on the number line (vectorised); while the line zooms out, the
        blend of the old and the new line's places.
        """
        xs = self.line_map.xs(value)
        if self.zoom is None:
            return xs
        z, target = self.zoom
        return (1 - z) * xs + z * target.xs(value)

    def reference_groups(self) -> list[list[tuple[str, float, Reference | None]]]:
        """The references (mean, median, Huber, trimmed mean, ...) grouped where they coincide,
        in order along the line.
        """
        entries: list[tuple[str, float, Reference | None]] = [
            (name, ref.value, ref) for name, ref in self.data.references.items()
        ]
        # No "mean within δ" entry: beside Huber's estimate it read as a rule ("Huber = mean
        # within δ"), true only where the clipped pulls cancel, as on these data.
        restart = self.data.restart
        if restart is not None and restart.target.distance(self.data.target.value) > 0:
            entries.append(("restart", restart.target.value, restart.target))
        order = [*style.REFERENCE_LABELS, "restart"]
        entries.sort(key=lambda e: (e[1], order.index(e[0])))
        groups: list[list[tuple]] = []
        tolerance = 1e-9 * max(self.data.spread, 1e-300)
        for entry in entries:
            if groups and abs(groups[-1][0][1] - entry[1]) <= tolerance:
                groups[-1].append(entry)
            else:
                groups.append([entry])
        for group in groups:
            group.sort(key=lambda e: order.index(e[0]))
        return groups

    def marker_role(self, name: str) -> str:
        if name == "restart":
            name = self.data.target_name
        return name if name in style.MARKERS else "estimate"

    def reference_color(self, name: str) -> str:
        """A reference's colour; the second start's answer is the same kind as the first's."""
        return style.REFERENCE_COLORS[self.data.target_name if name == "restart" else name]

    def reference_label(self, name: str) -> str:
        """A reference's name in the key (the second start's answer is named as the first's;
        the labels on the line say which start each came from). A trimmed loss's minimum is
        named for what proves it: the mean of the points within c of it.
        """
        if name == "restart":
            name = self.data.target_name
        if name == "numeric" and self.spec.loss.name == "trimmed":
            return self.screen_words("key.within", symbol="c")
        if name == "trimmed_mean":
            # Not "trimmed mean", a term the lecture never defines: what it is, in the band's
            # own symbol (theta +- delta is drawn around theta).
            key = LOSS_TABLE[self.spec.loss.name].threshold
            symbol = PARAMETERS[key].text if key in PARAMETERS else "the band"
            return self.screen_words("key.within", symbol=symbol)
        if f"key.{name}" in SHARED_SCREEN["loss"]:
            return self.screen_words(f"key.{name}")
        return style.REFERENCE_LABELS[name]

    @staticmethod
    def deferred(group: list) -> bool:
        """A group shown only in the beat ``restart``: the second start's answer alone."""
        return all(entry[0] == "restart" for entry in group)

    def make_references(self) -> VGroup:
        """Each reference as its marker under the line (a dashed leader up to its place); an
        interval of minimisers (the median of an even count) as a band over the line, labelled.
        Markers that would touch go on a second row.
        """
        lines, marks, bands = VGroup(), VGroup(), VGroup()
        self.later_references = VGroup()
        row_right: list[float] = []
        for group in self.reference_groups():
            name, value = group[0][0], group[0][1]
            x = self.to_x(value)
            color = self.reference_color(name)
            interval = self.interval_of(group)
            if interval is not None:
                # Every point of the interval is a minimiser: a bar over all of it, no midpoint.
                x_lo, x_hi = self.to_x(interval.lo), self.to_x(interval.hi)
                mark: VMobject = interval_bar(x_lo, x_hi, 0.14, color)
            else:
                mark = marker(self.marker_role(name), 0.2, color)
            half = mark.width / 2
            row = free_row(row_right, x - half - 0.04, x + half)
            y = REFERENCE_ROW_Y - REFERENCE_ROW_STEP * row
            mark.move_to(point(x, y))
            if interval is not None:
                bands.add(self.minimiser_band(interval, color))
                marks.add(mark)
                continue
            leader = self.leader_past_ticks(x, LINE_Y - 0.05, y + 0.1, color)
            if self.deferred(group):
                self.later_references.add(leader, mark)
                continue
            lines.add(leader)
            marks.add(mark)
        return VGroup(bands, lines, marks)

    def leader_past_ticks(self, x: float, top: float, bottom: float, color: str) -> VGroup:
        """A marker's dashed leader from the line down to it, with a gap where a tick label of
        the line stands in its way (the leader ran through the "0").
        """
        labels = [
            mob
            for mob in self.number_line.get_family()
            if isinstance(mob, DecimalNumber)
            and mob.get_left()[0] - 0.04 <= x <= mob.get_right()[0] + 0.04
        ]
        spans = [(top, bottom)]
        for label in labels:
            upper, lower = label.get_top()[1] + 0.04, label.get_bottom()[1] - 0.04
            spans = [
                piece
                for a, b in spans
                for piece in ((a, max(b, upper)), (min(a, lower), b))
                if piece[0] - piece[1] > 0.04
            ]
        leader = VGroup()
        for a, b in spans:
            piece = DashedLine(
                point(x, a), point(x, b), stroke_color=color, stroke_width=1.5, dash_length=0.05
            )
            mark_obstacle(piece)
            leader.add(piece)
        return leader

    @staticmethod
    def interval_of(group: list) -> Reference | None:
        """The interval of minimisers among coinciding references, if one is an interval."""
        return next((e[2] for e in group if e[2] is not None and e[2].lo != e[2].hi), None)

    def minimiser_band(self, ref: Reference, color: str) -> VGroup:
        """Every theta in [lo, hi] minimises the loss: a band over the line, with solid edges,
        labelled as the set of minimisers. It lies under everything else: theta settles inside
        it, so the pulls start in it, and they stay whole on top of it.
        """
        x_lo, x_hi = self.to_x(ref.lo), self.to_x(ref.hi)
        height = BAND_TOP - LINE_Y
        shade = Rectangle(
            width=x_hi - x_lo, height=height, fill_color=color, fill_opacity=0.16, stroke_width=0
        )
        shade.move_to(point((x_lo + x_hi) / 2, LINE_Y + height / 2))
        edges = VGroup(
            *[
                Line(point(x, LINE_Y), point(x, BAND_TOP), stroke_color=color, stroke_width=3)
                for x in (x_lo, x_hi)
            ]
        )
        return VGroup(shade, edges).set_z_index(-1)

    def make_key(self, pull_key: Mobject) -> VGroup:
        """Marker, name and value of each reference, under the key of the pulls ``pull_key``
        (shapes, not only colours, tell them apart); an interval is named as the set of
        minimisers.
        """
        rows = VGroup()
        self.later_key = VGroup()
        # With a second start, the two answers share a name: each is keyed with its start.
        starts: dict[str, float] = {}
        if self.data.restart is not None:
            starts[self.data.target_name] = float(self.data.descent.trajectory[0])
            starts["restart"] = float(self.data.restart.start)

        def named(entry_name: str) -> str:
            label = self.reference_label(entry_name)
            if entry_name not in starts:
                return label
            start = with_minus_signs(self.value_text(starts[entry_name]))
            return self.screen_words("key.from", name=label, start=start)

        for group in self.reference_groups():
            name, value = group[0][0], group[0][1]
            color = self.reference_color(name)
            names = " = ".join(named(e[0]) for e in group)
            interval = self.interval_of(group)
            if interval is not None:
                fmt = self.value_text
                # The bar drawn under the line over the interval, in small.
                swatch = Rectangle(
                    width=0.3, height=0.14, fill_color=color, fill_opacity=1.0, stroke_width=0
                )
                # As the language writes a list of numbers: [0.1, 0.4], or [0,1; 0,4].
                between = "; " if language_of(self.spec) in DECIMAL_COMMA else ", "
                lines = [f"{names} [{fmt(interval.lo)}{between}{fmt(interval.hi)}]"]
                if name == self.data.target_name:
                    # What theta is looking for: any point of the band, not its midpoint.
                    lines.append(self.screen_words("key.set"))
                words = VGroup(*[typeset.text(line, style.SIZE_SMALL, color) for line in lines])
                words.arrange(DOWN, aligned_edge=LEFT, buff=0.1)
                row = VGroup(swatch, words).arrange(RIGHT, buff=0.15, aligned_edge=UP)
                # Level with the middle of its first line's letters, as the markers are.
                swatch.set_y(words[0].get_center()[1])
                rows.add(row)
                continue
            mark = marker(self.marker_role(name), 0.2, color)
            # An answer of a start is named with its start; its value is on its label above the
            # line ("from 2: 0.3167"), not said twice.
            started = all(e[0] in starts for e in group)
            what = names if started else f"{names} {self.value_text(value)}"
            words = VGroup(typeset.text(what, style.SIZE_SMALL, color))
            if words.width > KEY_WIDTH and len(group) > 1:
                # Coinciding estimates: the first with its value, the others named below it.
                first = named(group[0][0])
                others = " = ".join(named(e[0]) for e in group[1:])
                words = VGroup(
                    typeset.text(f"{first} {self.value_text(value)}", style.SIZE_SMALL, color),
                    typeset.text(f"= {others}", style.SIZE_SMALL, color),
                ).arrange(DOWN, aligned_edge=LEFT, buff=0.1)
                rows.add(VGroup(mark, words).arrange(RIGHT, buff=0.15, aligned_edge=UP))
                continue
            row = VGroup(mark, words).arrange(RIGHT, buff=0.15)
            rows.add(row)
            if self.deferred(group):
                self.later_key.add(row)
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.02)
        # In the right column, under the small panels.
        top = pull_key.get_bottom()[1] - 0.08
        # A row too wide for the column moves the whole key left, never past the safe area.
        left = min(SMALL_PANELS.left, SAFE_RIGHT - rows.width)
        rows.move_to(point(left + rows.width / 2, top - rows.height / 2))
        self.column_left = min(SMALL_PANELS.left, left)
        return rows
