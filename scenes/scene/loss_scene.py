"""The loss scene: title and formula, the three curves in stacked panels, then descent on a
number line where every observation's pull is an arrow attached to it.

Layout (scene units; the frame is 14.2 x 8 and text stays inside the title-safe area,
``style.SAFE_MARGIN`` from each edge, above the captions):

- curve beats: three stacked panels sharing one r axis, each curve on its own y range (so each
  fills its panel), labelled directly at its right end; kinks such as Huber's +-delta are dashed
  guides through every panel, labelled on the derivative's axis.
- from the data beat: the panels shrink to the top right; the formula and a key of the
  reference estimates (marker, name, value) stand under the title; the number line runs across
  the lower half, each observation's arrow stacked above its dot.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import cast

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    DashedLine,
    FadeIn,
    FadeOut,
    Line,
    MathTex,
    Mobject,
    NumberLine,
    Rectangle,
    ReplacementTransform,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    linear,
    smooth,
)

from scenes.compute.loss import LINE_TICKS, SceneData
from scenes.compute.loss_table import LOSS_TABLE, PARAMETERS
from scenes.maths import Reference, jump_indices
from scenes.maths.axis import labelling, line_labels, nice_step
from scenes.numbers import at_resolution
from scenes.scene import formulas, style, typeset
from scenes.scene.builder import SAFE_LEFT, SAFE_RIGHT, SAFE_TOP, SceneBuilder
from scenes.scene.shapes import (
    ArrowField,
    SegmentField,
    axis_line,
    clip_polyline,
    faint_line,
    guide_line,
    label_axis,
    place_line,
    point,
    step_blend,
)
from scenes.scene.strokes import marker, stroked_curve
from scenes.spec.timeline import Beat

# --- geometry ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PanelBox:
    """Where the stacked curve panels go: the top panel's top left corner, each panel's size,
    the gap between panels; ``compact`` panels carry no numbers (the full ones did).
    """

    left: float
    top: float
    width: float
    height: float
    gap: float
    compact: bool


FULL_PANELS = PanelBox(left=-5.1, top=2.2, width=8.4, height=1.15, gap=0.2, compact=False)
SMALL_PANELS = PanelBox(
    left=2.0, top=SAFE_TOP - 0.05, width=3.0, height=0.45, gap=0.12, compact=True
)

LINE_Y = -1.3
LINE_LENGTH = 12.0
BAND_BOTTOM = LINE_Y + 0.26
BAND_TOP = -0.15
THETA_LABEL_Y = BAND_TOP + 0.33
BALANCE_Y = THETA_LABEL_Y + 0.32
REFERENCE_ROW_Y = LINE_Y - 0.66
REFERENCE_ROW_STEP = 0.22
MAX_STEMS = 40
# The key of reference estimates stands in the right column, under the small panels.
KEY_WIDTH = SAFE_RIGHT - SMALL_PANELS.left - 0.4

CURVE_WORDS = {"loss": "loss", "density": "density", "derivative": "derivative"}
CURVE_SYMBOLS = {"loss": r"\ell(r)", "density": r"p(r)", "derivative": r"\ell'(r)"}


def curve_range(values: np.ndarray, fixed: tuple[float, float] | None) -> tuple[float, float]:
    """A y range showing ``values`` (and 0) with a little air, or the spec's fixed range."""
    if fixed is not None:
        return fixed
    finite = values[np.isfinite(values)]
    lo = min(0.0, float(finite.min()) if len(finite) else 0.0)
    hi = max(0.0, float(finite.max()) if len(finite) else 1.0)
    pad = 0.08 * (hi - lo or 1.0)
    return lo - (pad if lo < 0 else 0.0), hi + pad


def threshold(data: SceneData) -> tuple[float, str] | None:
    """The loss's threshold (value, TeX symbol) where its curves change shape, if it has one."""
    # Only a kink (or the edge of what is counted) is drawn as a guide: the loss table says which.
    key = LOSS_TABLE[data.spec.loss.name].threshold
    if key is None:
        return None
    symbol = PARAMETERS[key].latex
    value = data.loss_params.get(key)
    return (float(value), symbol) if value else None


class CurvePanels(VGroup):
    """One panel per shown curve, stacked on one shared r axis, each on its own y range.

    ``panels[name]`` maps a curve's (r, value) to the scene (``to_scene``); ``curves[name]`` is
    the drawn curve, ``labels[name]`` its direct label.
    """

    def __init__(self, data: SceneData, box: PanelBox) -> None:
        super().__init__()
        spec = data.spec
        self.data = data
        self.box = box
        self.x_lo, self.x_hi = spec.curves.x_range
        self.ranges: dict[str, tuple[float, float]] = {}
        self.bottoms: dict[str, float] = {}
        self.curves: dict[str, VMobject] = {}
        self.labels: dict[str, Mobject] = {}
        self.frames: dict[str, VGroup] = {}
        names = list(spec.curves.show)
        for k, name in enumerate(names):
            values = getattr(data.curves, name)
            fixed = spec.curves.y_range if name != "density" else None
            self.ranges[name] = curve_range(values, fixed)
            self.bottoms[name] = box.top - box.height - k * (box.height + box.gap)
        self.guides = self.make_guides(names)
        self.add(self.guides)
        for name in names:
            frame = self.make_frame(name, is_bottom=name == names[-1])
            curve = self.make_curve(name)
            label = self.make_label(name, curve)
            self.frames[name], self.curves[name], self.labels[name] = frame, curve, label
            self.add(frame, curve, label)

    # coordinates

    def to_x(self, r: np.ndarray | float) -> np.ndarray:
        return (
            self.box.left + (np.asarray(r) - self.x_lo) / (self.x_hi - self.x_lo) * self.box.width
        )

    def to_y(self, name: str, value: np.ndarray | float) -> np.ndarray:
        lo, hi = self.ranges[name]
        return self.bottoms[name] + (np.asarray(value) - lo) / (hi - lo) * self.box.height

    @property
    def top(self) -> float:
        return self.box.top

    @property
    def bottom(self) -> float:
        return min(self.bottoms.values())

    # parts

    def make_frame(self, name: str, is_bottom: bool) -> VGroup:
        """The panel's zero line, its y axis at the left with a few labels (full panels), and
        for the bottom panel the shared r axis with its labels.
        """
        box, lo, hi = self.box, *self.ranges[name]
        left, right = box.left, box.left + box.width
        bottom = self.bottoms[name]
        frame = VGroup()
        zero_y = float(self.to_y(name, 0.0)) if lo <= 0 <= hi else bottom
        frame.add(axis_line(point(left, zero_y), point(right, zero_y)))
        if box.compact:
            frame.add(axis_line(point(left, bottom), point(left, bottom + box.height)))
            return frame
        y_axis = NumberLine(
            x_range=(lo, hi, nice_step(hi - lo, 2)),
            length=box.height,
            rotation=math.pi / 2,
            color=style.MUTED,
            stroke_width=2,
            include_tip=False,
            include_ticks=False,
            label_direction=LEFT,
        )
        y_axis.shift(point(left, bottom + box.height / 2) - y_axis.get_center())
        crossing = threshold(self.data)
        if (
            name == "derivative"
            and crossing is not None
            and LOSS_TABLE[self.data.spec.loss.name].clips
        ):
            # The clip level (the trimmed loss's last pull before it drops to 0) is what this
            # panel shows: its ticks are -delta and +delta (-c and +c), named.
            delta, symbol = crossing
            y_axis.add_labels(
                {
                    v: typeset.maths(tex, style.SIZE_SMALL, style.MUTED)
                    for v, tex in ((-delta, "-" + symbol), (delta, symbol))
                    if lo <= v <= hi
                },
                font_size=style.SIZE_SMALL,
            )
            for v in (-delta, delta):
                if lo <= v <= hi:
                    y = float(self.to_y(name, v))
                    frame.add(guide_line(point(left, y), point(right, y)))
        else:
            step = nice_step(hi - lo, 3)
            label_axis(y_axis, lo, hi, step, font_size=style.SIZE_SMALL, skip_zero=True)
            for v in labelling(lo, hi, step).ticks():
                y = float(self.to_y(name, v))
                frame.add(axis_line(point(left - 0.08, y), point(left, y)))
        frame.add(y_axis)
        self.y_axes = {**getattr(self, "y_axes", {}), name: y_axis}
        if is_bottom:
            step = nice_step(self.x_hi - self.x_lo, 10)
            x_axis = NumberLine(
                x_range=(self.x_lo, self.x_hi, step),
                length=box.width,
                color=style.MUTED,
                stroke_width=2,
                include_tip=False,
                include_ticks=False,
            )
            for v in labelling(self.x_lo, self.x_hi, step).ticks():
                x = float(self.to_x(v))
                frame.add(axis_line(point(x, bottom), point(x, bottom - 0.08)))
            x_axis.shift(
                point(left + box.width / 2, bottom) - x_axis.n2p((self.x_lo + self.x_hi) / 2)
            )
            note = label_axis(x_axis, self.x_lo, self.x_hi, step, font_size=style.SIZE_SMALL)
            if note is not None:
                note.next_to(x_axis.get_left(), DOWN, buff=0.55, aligned_edge=LEFT)
            residual = typeset.maths(formulas.RESIDUAL, style.SIZE_SMALL, style.MUTED)
            residual.next_to(x_axis.get_right(), RIGHT, buff=0.2)
            frame.add(x_axis, residual)
            self.x_axis = x_axis
        return frame

    def make_guides(self, names: Sequence[str]) -> VGroup:
        """A faint vertical at r = 0 through every panel, and the threshold's dashed verticals
        (labelled above the top panel on full panels).
        """
        guides = VGroup()
        top, bottom = self.top, self.bottom
        if self.x_lo < 0 < self.x_hi:
            x0 = float(self.to_x(0.0))
            guides.add(faint_line(point(x0, bottom), point(x0, top)))
        crossing = threshold(self.data)
        if crossing is None:
            return guides
        value, symbol = crossing
        for sign, tex in ((-1, "-" + symbol), (1, "+" + symbol)):
            r = sign * value
            if not self.x_lo < r < self.x_hi:
                continue
            x = float(self.to_x(r))
            guides.add(guide_line(point(x, bottom), point(x, top)))
            if not self.box.compact:
                # Inside the top panel, beside its guide: where the loss is near its low point.
                label = typeset.maths(tex, style.SIZE_SMALL, style.MUTED)
                side = sign
                if (
                    not self.box.left
                    < x + sign * (0.1 + label.width)
                    < self.box.left + self.box.width
                ):
                    side = -sign  # inside the guides when outside would leave the panel
                label.move_to(point(x + side * (0.1 + label.width / 2), top - 0.22))
                guides.add(label)
        return guides

    def make_curve(self, name: str) -> VGroup:
        x = self.data.curves.x
        values = getattr(self.data.curves, name)
        color = getattr(self.data.spec.curves.colors, name)
        pieces = VGroup()
        bounds = np.concatenate([[0], jump_indices(values) + 1, [len(x)]])
        for start, stop in zip(bounds[:-1], bounds[1:], strict=True):
            for xs, ys in clip_polyline(x[start:stop], values[start:stop], *self.ranges[name]):
                if len(xs) < 2:
                    continue
                points = np.stack([self.to_x(xs), self.to_y(name, ys), np.zeros(len(xs))], axis=1)
                pieces.add(stroked_curve(points, name, color))
        return pieces

    def make_label(self, name: str, curve: VGroup) -> VMobject:
        """The curve's name right of its panel, at the height where the curve ends."""
        color = getattr(self.data.spec.curves.colors, name)
        if self.box.compact:
            label: VMobject = typeset.maths(CURVE_SYMBOLS[name], style.SIZE_LABEL, color)
        else:
            label = VGroup(
                typeset.text(CURVE_WORDS[name], style.SIZE_LABEL, color),
                typeset.maths(CURVE_SYMBOLS[name], style.SIZE_LABEL, color),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        right = self.box.left + self.box.width
        values = getattr(self.data.curves, name)
        lo, hi = self.ranges[name]
        end = float(np.clip(values[-1], lo, hi)) if np.isfinite(values[-1]) else hi
        bottom = self.bottoms[name]
        half = label.height / 2
        y = float(np.clip(self.to_y(name, end), bottom + half, bottom + self.box.height - half))
        label.move_to(point(right + 0.25 + label.width / 2, y))
        return label


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


# --- the builder --------------------------------------------------------------------------------


def number_line_for(extent: tuple[float, float]) -> "tuple[NumberLine, LineMap]":
    """The number line of the data over ``extent`` and where values go on it, in the place every
    scene of a lecture draws it (``LINE_Y``, ``LINE_LENGTH``), its ticks labelled in small
    numbers (with a note such as "x 10^3" when the values are large).
    """
    labels = line_labels(*extent, ticks=LINE_TICKS)
    # Ticks are labelled in label units (small numbers); positions below stay in data units.
    line = NumberLine(
        x_range=labels.label_range,
        length=LINE_LENGTH,
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
    place_line(line, 0, LINE_Y)
    if labels.note is not None:
        note = typeset.text(labels.note, style.SIZE_SMALL, style.MUTED)
        note.next_to(line.get_right(), UP, buff=0.15, aligned_edge=RIGHT)
        line.add(note)
    per_label = line.n2p(label_lo + label_step)[0] - line.n2p(label_lo)[0]
    unit = float(per_label) / (label_step * labels.unit)
    left = float(line.n2p(label_lo)[0])
    return line, LineMap(left=left, lo=labels.lo, hi=labels.hi, unit=unit)


class LossSceneBuilder(SceneBuilder):
    """Plays one loss scene onto a Manim ``Scene`` from precomputed :class:`SceneData`."""

    data: SceneData

    # --- title, formula, curves ---------------------------------------------------------------

    def beat_intro(self, beat: Beat) -> None:
        self.title = self.make_title()
        self.formula = self.place_formula()
        box = FULL_PANELS
        formula_bottom = self.formula.get_bottom()[1]
        if formula_bottom - 0.3 < box.top:
            # A tall formula: the panels start lower and share the rest of the height.
            bottom = box.top - 3 * box.height - 2 * box.gap
            top = formula_bottom - 0.3
            box = replace(box, top=top, height=(top - bottom - 2 * box.gap) / 3)
        self.panels = CurvePanels(self.data, box)
        half = self.share(self.timing.intro / 2)
        self.animate(Write(self.title), FadeIn(self.formula, shift=0.2 * DOWN), share=half)
        self.animate(
            Create(self.panels.guides),
            *[Create(f) for f in self.panels.frames.values()],
            share=half,
        )

    def formula_mobject(self, size: float, max_width: float) -> Mobject:
        """The loss's formula at ``size``; when wider than ``max_width``, its parameters (after
        the quad space) go on a second line.
        """
        tex = formulas.loss_formula(self.data)
        whole = typeset.maths(tex, size)
        if whole.width <= max_width or r"\qquad" not in tex:
            return whole
        definition, parameters = tex.split(r"\qquad", 1)
        return VGroup(typeset.maths(definition, size), typeset.maths(parameters, size)).arrange(
            DOWN, aligned_edge=LEFT, buff=0.08
        )

    def place_formula(self) -> Mobject:
        """The formula beside the title (at the top right), at the formula size or else the
        smallest; when it fits neither way, under the title.
        """
        room = SAFE_RIGHT - self.title.get_right()[0] - 0.5
        for size in (style.SIZE_FORMULA, style.SIZE_SMALL):
            formula = self.formula_mobject(size, room)
            if formula.width <= room:
                return formula.move_to(
                    point(SAFE_RIGHT - formula.width / 2, SAFE_TOP - formula.height / 2)
                )
        formula = self.formula_mobject(style.SIZE_SMALL, SAFE_RIGHT - SAFE_LEFT)
        return formula.next_to(self.title, DOWN, buff=0.2, aligned_edge=LEFT)

    def beat_curve(self, beat: Beat) -> None:
        name = beat.id
        self.animate(
            Create(self.panels.curves[name]),
            FadeIn(self.panels.labels[name], shift=0.2 * LEFT),
            share=self.share(getattr(self.timing, name) or self.timing.curve),
            rate_func=smooth,
        )

    # --- observations and descent ------------------------------------------------------------

    def beat_data(self, beat: Beat) -> None:
        """Make room for the number line: the formula moves under the title, the panels shrink
        to the top right; then the line, the dots and the key of the reference estimates.
        """
        formula_target = self.formula_mobject(style.SIZE_SMALL, SMALL_PANELS.left - 0.3 - SAFE_LEFT)
        formula_target.next_to(self.title, DOWN, buff=0.15, aligned_edge=LEFT)
        box = SMALL_PANELS
        if self.title.get_right()[0] > box.left - 0.2:
            # A long title reaches over the top right: the small panels sit under it, flatter.
            # (flat enough that the key under them stays above the arrows' top row)
            box = replace(box, top=self.title.get_bottom()[1] - 0.12, height=0.3, gap=0.08)
        small = CurvePanels(self.data, box)
        self.make_number_line()
        whole = self.share(self.timing.data)
        # The panels' parts were brought in one by one; the whole group is replaced at once.
        self.scene.remove(*self.panels.submobjects)
        self.scene.add(self.panels)
        # Glyph to glyph: the formula may change from two lines to one, and Manim would match a
        # group of two formulas to one formula by copying glyphs by the thousand.
        old_glyphs = VGroup(*cast(list[VMobject], self.formula.family_members_with_points()))
        new_glyphs = VGroup(*cast(list[VMobject], formula_target.family_members_with_points()))
        self.scene.remove(self.formula)
        self.scene.add(old_glyphs)
        # The panels shrink towards their corner and fade out, then the small ones fade in
        # there: a morph between the two layouts scrambles labels, dashes and ticks, and a
        # cross-fade shows both at once.
        self.animate(
            ReplacementTransform(old_glyphs, new_glyphs),
            FadeOut(
                self.panels,
                shift=small.get_center() - self.panels.get_center(),
                scale=small.width / self.panels.width,
                rate_func=lambda t: smooth(min(1.0, 2 * t)),
            ),
            FadeIn(small, rate_func=lambda t: smooth(max(0.0, 2 * t - 1))),
            share=0.4 * whole,
        )
        self.scene.remove(new_glyphs)
        self.scene.add(formula_target)
        self.panels = small
        self.formula = formula_target
        self.animate(
            Create(self.number_line),
            FadeIn(self.dots, lag_ratio=0.1),
            FadeIn(self.references),
            share=0.3 * whole,
        )
        self.place_estimate()
        self.key = self.make_key()
        # The second start's answer is told in its own beat; its row's place is kept free.
        self.key.remove(*self.later_key)
        self.estimate_parts.append(self.key)
        self.animate(*[FadeIn(m) for m in self.estimate_parts], share=0.3 * whole)

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
        if self.data.trimmed_mean is not None:
            entries.append(("trimmed_mean", self.data.trimmed_mean, None))
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
            return "mean within c"
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
                mark: VMobject = Rectangle(
                    width=max(x_hi - x_lo, 0.06),
                    height=0.14,
                    fill_color=color,
                    fill_opacity=1.0,
                    stroke_width=0,
                )
                half = mark.width / 2
            else:
                mark = marker(self.marker_role(name), 0.2, color)
                half = mark.width / 2
            row = 0
            while row < len(row_right) and row_right[row] > x - half - 0.04:
                row += 1
            if row == len(row_right):
                row_right.append(-math.inf)
            row_right[row] = x + half
            y = REFERENCE_ROW_Y - REFERENCE_ROW_STEP * row
            mark.move_to(point(x, y))
            if interval is not None:
                bands.add(self.minimiser_band(interval, color))
                marks.add(mark)
                continue
            leader = DashedLine(
                point(x, LINE_Y - 0.05),
                point(x, y + 0.1),
                stroke_color=color,
                stroke_width=1.5,
                dash_length=0.05,
            )
            if self.deferred(group):
                self.later_references.add(leader, mark)
                continue
            lines.add(leader)
            marks.add(mark)
        return VGroup(bands, lines, marks)

    @staticmethod
    def interval_of(group: list) -> Reference | None:
        """The interval of minimisers among coinciding references, if one is an interval."""
        return next((e[2] for e in group if e[2] is not None and e[2].lo != e[2].hi), None)

    def minimiser_band(self, ref: Reference, color: str) -> VGroup:
        """Every theta in [lo, hi] minimises the loss: a band over the line and the arrows, with
        solid edges, labelled as the set of minimisers.
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
        return VGroup(shade, edges)

    def make_key(self) -> VGroup:
        """Marker, name and value of each reference, under the formula (shapes, not only
        colours, tell them apart); an interval is named as the set of minimisers.
        """
        rows = VGroup()
        self.later_key = VGroup()
        for group in self.reference_groups():
            name, value = group[0][0], group[0][1]
            color = self.reference_color(name)
            names = " = ".join(self.reference_label(e[0]) for e in group)
            interval = self.interval_of(group)
            if interval is not None:
                fmt = lambda v: at_resolution(v, self.resolution)  # noqa: E731
                swatch = Rectangle(
                    width=0.2,
                    height=0.2,
                    fill_color=color,
                    fill_opacity=0.3,
                    stroke_color=color,
                    stroke_width=3,
                )
                lines = [f"{names} [{fmt(interval.lo)}, {fmt(interval.hi)}]"]
                if name == self.data.target_name:
                    # What theta is looking for: any point of the band, not its midpoint.
                    lines.append("= set of minimisers")
                words = VGroup(*[typeset.text(line, style.SIZE_SMALL, color) for line in lines])
                words.arrange(DOWN, aligned_edge=LEFT, buff=0.1)
                rows.add(VGroup(swatch, words).arrange(RIGHT, buff=0.15, aligned_edge=UP))
                continue
            mark = marker(self.marker_role(name), 0.2, color)
            what = f"{names} {at_resolution(value, self.resolution)}"
            words = VGroup(typeset.text(what, style.SIZE_SMALL, color))
            if words.width > KEY_WIDTH and len(group) > 1:
                # Coinciding estimates: the first with its value, the others named below it.
                first = self.reference_label(group[0][0])
                others = " = ".join(self.reference_label(e[0]) for e in group[1:])
                words = VGroup(
                    typeset.text(
                        f"{first} {at_resolution(value, self.resolution)}", style.SIZE_SMALL, color
                    ),
                    typeset.text(f"= {others}", style.SIZE_SMALL, color),
                ).arrange(DOWN, aligned_edge=LEFT, buff=0.1)
                rows.add(VGroup(mark, words).arrange(RIGHT, buff=0.15, aligned_edge=UP))
                continue
            row = VGroup(mark, words).arrange(RIGHT, buff=0.15)
            rows.add(row)
            if self.deferred(group):
                self.later_key.add(row)
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.06)
        # In the right column, under the small panels.
        top = self.pull_key.get_bottom()[1] - 0.08
        # A row too wide for the column moves the whole key left, never past the safe area.
        left = min(SMALL_PANELS.left, SAFE_RIGHT - rows.width)
        rows.move_to(point(left + rows.width / 2, top - rows.height / 2))
        self.column_left = min(SMALL_PANELS.left, left)
        self.keep_band_label_off(rows)
        return rows

    def place_estimate(self) -> None:
        """Theta, one arrow per observation stacked above its dot, the greyed clipped parts, the
        net pull and, for Huber, the band of unclipped points.
        """
        data = self.data
        n = len(data.observations)
        order = np.argsort(data.observations, kind="stable")
        row_height = (BAND_TOP - BAND_BOTTOM) / max(n, 1)
        self.row_y = BAND_BOTTOM + row_height * (np.arange(n) + 0.5)
        self.rank = np.empty(n, dtype=int)
        self.rank[order] = np.arange(n)
        arrow_color = self.spec.curves.colors.derivative
        self.arrows = ArrowField(n, row_height, arrow_color)
        self.clipped = SegmentField(n, self.arrows.shaft * 0.6, style.CLIPPED)
        self.net_arrow = ArrowField(1, 0.3, style.BALANCE)
        stems = VGroup()
        if n <= MAX_STEMS:
            # Ties each arrow to its observation: a thin line from the dot up to the arrow's row.
            for i, value in enumerate(data.observations):
                x = self.to_x(value)
                stems.add(
                    Line(
                        point(x, LINE_Y),
                        point(x, self.row_y[self.rank[i]]),
                        stroke_color=style.OBSERVATION,
                        stroke_width=1.2,
                        stroke_opacity=0.45,
                    )
                )
        self.progress = ValueTracker(0.0)
        theta_line = Line(
            point(0, LINE_Y), point(0, BAND_TOP + 0.02), stroke_color=style.THETA, stroke_width=3
        )
        theta_mark = marker("theta", 0.2).rotate(math.pi).move_to(point(0, BAND_TOP + 0.1))
        theta_label = typeset.maths(r"\theta", style.SIZE_LABEL, style.THETA)
        theta_label.move_to(point(0, THETA_LABEL_Y))
        self.theta_marker = VGroup(theta_line, theta_mark, theta_label)
        self.theta_marker_x = 0.0
        self.band: VGroup | None = None
        if data.band is not None:
            self.band = self.make_band(data.band)
        sample = ArrowField(1, 0.2, arrow_color)
        sample.set_arrows(np.array([0.0]), np.array([0.5]), np.array([0.0]))
        words = typeset.maths(
            r"\text{pull on } \theta\text{: } \ell'(y_i - \theta)", style.SIZE_SMALL, arrow_color
        )
        key = VGroup(sample, words).arrange(RIGHT, buff=0.15)
        # In the right column, under the small panels and over the key of estimates.
        below = min(self.panels.bottom, self.panels.get_bottom()[1])
        key.move_to(point(SMALL_PANELS.left + key.width / 2, below - 0.25))
        self.pull_key = key
        # One group carries the updater, so Manim redraws all of it every frame (it caches
        # mobjects without updaters as a static background).
        self.moving = VGroup(
            *([self.band] if self.band is not None else []),
            self.clipped,
            self.arrows,
            self.net_arrow,
            self.theta_marker,
        )
        self.stems = stems
        self.run = (data.descent, data.settled_at)
        self.update_descent(self.moving)
        self.estimate_parts = [stems, self.moving, key]

    def make_band(self, half_width: float) -> VGroup:
        """Theta +- the threshold (Huber's delta, the trimmed loss's c): the points inside it
        count whole; shaded, with dashed edges and its name beside theta's label.
        """
        width = 2 * half_width * self.unit
        self.band_half = half_width
        shade = Rectangle(
            width=width,
            height=BAND_TOP - LINE_Y,
            fill_color=style.MUTED,
            fill_opacity=0.14,
            stroke_width=0,
        )
        shade.move_to(point(0, (BAND_TOP + LINE_Y) / 2))
        edges = VGroup(
            *[
                guide_line(point(s * width / 2, LINE_Y), point(s * width / 2, BAND_TOP))
                for s in (-1, 1)
            ]
        )
        crossing = threshold(self.data)
        symbol = crossing[1] if crossing is not None else r"\delta"
        # The value (and whether it adapts) is in the formula; the band says what it is.
        label = typeset.maths(rf"\theta \pm {symbol}", style.SIZE_SMALL, style.MUTED)
        # Beside theta's label, moving with it: on its left when that stays on screen all the
        # way (the key stands to the right), else on its right.
        side = 1 if self.fits_right_of_theta(label.width + 0.25) else -1
        label.move_to(point(side * (0.25 + label.width / 2), THETA_LABEL_Y))
        self.band_shade, self.band_edges = shade, edges
        return VGroup(shade, edges, label)

    def widen_band(self, half_width: float) -> None:
        """Give the band (centred on theta) the half-width ``half_width`` (data units) at the
        line's scale now.
        """
        if self.band is None:
            return
        x = self.theta_marker_x
        self.band_shade.stretch_to_fit_width(2 * half_width * self.unit)
        self.band_shade.set_x(x)
        for sign, edge in zip((-1, 1), self.band_edges, strict=True):
            edge.shift((x + sign * half_width * self.unit - edge.get_x()) * RIGHT)
        self.band_half = half_width

    def keep_band_label_off(self, key: VGroup) -> None:
        """Put the band's name left of theta when, right of it, theta's travels would take it
        under the key (a key moved left for a long row reaches down to theta's label).
        """
        if self.band is None:
            return
        label = self.band[2]
        if label.get_x() < self.theta_marker_x or key.get_bottom()[1] > label.get_top()[1]:
            return
        reach = float(self.to_xs(self.theta_places()).max()) + 0.25 + label.width
        if reach > self.column_left - 0.1:
            label.shift(LEFT * (2 * (label.get_x() - self.theta_marker_x)))

    def fits_right_of_theta(self, width: float) -> bool:
        """Whether ``width`` right of theta stays in the safe area all along the descent."""
        return float(self.to_xs(self.theta_places()).max()) + width <= SAFE_RIGHT

    def theta_places(self) -> np.ndarray:
        """Every place theta visits on screen: the descent, the second one, the adapting one."""
        data = self.data
        places = [data.shown_trajectory]
        if data.restart is not None:
            places.append(data.restart.descent.trajectory[: data.restart.settled_at + 1])
        if data.adaptation is not None:
            places.append(data.adaptation.estimates)
        return np.concatenate(places)

    def beat_estimate(self, beat: Beat) -> None:
        """Theta moves by the precomputed descent, one step per equal slice of the beat, until it
        has settled (the steps after that change nothing that can be seen).
        """
        self.moving.add_updater(self.update_descent)
        self.front([self.moving])
        self.animate(self.progress.animate.set_value(float(self.data.settled_at)), rate_func=linear)
        self.moving.remove_updater(self.update_descent)

    def update_descent(self, _mobject: Mobject) -> None:
        """Place theta, its band, every observation's arrow and its greyed clipped part, at the
        current step of the descent being played (``self.run``: the first, or the second start's).
        """
        descent, settled_at = self.run
        k, k1, frac = step_blend(self.progress.get_value(), settled_at)
        theta = (1 - frac) * descent.trajectory[k] + frac * descent.trajectory[k1]
        pulls = (1 - frac) * descent.pulls[k] + frac * descent.pulls[k1]
        self.show_pulls(float(theta), pulls, self.data.observations)

    def show_pulls(self, theta: float, pulls: np.ndarray, observations: np.ndarray) -> None:
        """Theta at ``theta`` with its band, and each observation's arrow of length its pull."""
        data = self.data
        x = float(self.to_x(theta))
        x_lo, x_hi = self.line_ends()
        heads = self.to_xs(observations)
        # Each arrow ends at its observation and is as long as its pull (data units), pointing
        # the way it pulls theta; one that would leave the line is cut at the line's end.
        tails = np.clip(heads - pulls * self.unit, x_lo, x_hi)
        ys = self.row_y[self.rank]
        self.arrows.set_arrows(tails, heads, ys)
        # A loss whose pull is the residual cut short: the rest of the residual is drawn greyed.
        if LOSS_TABLE[data.spec.loss.name].clips:
            # The residual runs from theta to the point; what the loss does not count is grey.
            residual = heads - x
            cut = np.abs(residual) > np.abs(pulls * self.unit) + 1e-9
            self.clipped.set_segments(np.where(cut, np.clip(x, x_lo, x_hi), tails), tails, ys)
        else:
            self.clipped.set_segments(tails, tails, ys)
        net_end = float(np.clip(x + pulls.mean() * self.unit, x_lo, x_hi))
        self.net_arrow.set_arrows(np.array([x]), np.array([net_end]), np.array([LINE_Y + 0.14]))
        shift = x - self.theta_marker_x
        if shift:
            self.theta_marker.shift(shift * RIGHT)
            if self.band is not None:
                self.band.shift(shift * RIGHT)
            self.theta_marker_x = x

    def beat_arrival(self, beat: Beat) -> None:
        """Why theta stops here: the pulls to the left and to the right, each summed, cancel
        (drawn as two arrows from theta, as long as the sums).
        """
        data = self.data
        last = len(data.descent.trajectory) - 1
        if last > data.settled_at:
            # The rest of the descent, too small to see, so that the sums are those of where
            # theta ends (at the settled step they still differ in the last digits shown).
            self.run = (data.descent, last)
            self.moving.add_updater(self.update_descent)
            self.front([self.moving])
            self.animate(self.progress.animate.set_value(float(last)), share=0.2, rate_func=linear)
            self.moving.remove_updater(self.update_descent)
        pulls = data.descent.pulls[last]
        left = float(pulls[pulls < 0].sum())
        right = float(pulls[pulls > 0].sum())
        x = self.to_x(data.descent.trajectory[last])
        # Both sums at one scale (they are equal and opposite), short enough to stay between
        # the safe area's left edge and the key column.
        room = [
            (self.column_left - 0.3 - x) / (right * self.unit) if right > 0 else np.inf,
            (x - SAFE_LEFT) / (-left * self.unit) if left < 0 else np.inf,
        ]
        scale = float(min(1.0, *room))
        arrows = ArrowField(2, 0.34, style.BALANCE)
        arrows.set_arrows(
            np.array([x, x]),
            np.array([x + left * self.unit * scale, x + right * self.unit * scale]),
            np.array([BALANCE_Y, BALANCE_Y]),
        )
        # A tick at theta: two pulls leaving one point, not one interval.
        tick = Line(
            point(x, BALANCE_Y - 0.17),
            point(x, BALANCE_Y + 0.17),
            stroke_color=style.BALANCE,
            stroke_width=4,
        )
        sums = VGroup(arrows, tick)
        fmt = lambda value: at_resolution(value, self.resolution)  # noqa: E731
        words = f"pulls: left {fmt(left)}, right {fmt(right)}".replace("-", "\u2212")
        label = typeset.text(words, style.SIZE_SMALL, style.BALANCE)
        # Over the balance, kept left of the key column and inside the safe area.
        label.move_to(point(x, BALANCE_Y + 0.22 + label.height / 2))
        label.shift(LEFT * max(0.0, label.get_right()[0] - (self.column_left - 0.15)))
        label.shift(RIGHT * max(0.0, SAFE_LEFT - label.get_left()[0]))
        # Under a tall formula, but never over the arrows it labels.
        room = self.formula.get_bottom()[1] - 0.1 - label.get_top()[1]
        if room < 0:
            label.shift(UP * max(room, BALANCE_Y + 0.2 - label.get_bottom()[1]))
        self.balance = VGroup(sums, label)
        self.animate(FadeIn(sums), FadeIn(label), share=self.share(1.0))

    # --- after the arrival: the threshold adapting, a second start ----------------------------

    def beat_adapt(self, beat: Beat) -> None:
        """The data spread out about their median; delta (1.345 x their MAD, recomputed at each
        frame), the band theta +- delta and theta (their Huber estimate) follow; a readout in the
        right column says how wide the data are and what delta is.
        """
        adapt = self.data.adaptation
        assert adapt is not None
        # As many decimals as the formula gives delta.
        shown = at_resolution(float(adapt.deltas[0]), self.resolution)
        decimals = len(shown.split(".")[1]) if "." in shown else 0
        spread_words = typeset.text("data spread ×", style.SIZE_SMALL, style.TEXT)
        spread_value = typeset.number(1.0, 2, style.SIZE_SMALL, style.TEXT)
        spread = VGroup(spread_words, spread_value).arrange(RIGHT, buff=0.1)
        delta_words = typeset.maths(
            r"\delta = 1.345\,\hat\sigma_{\mathrm{MAD}} =", style.SIZE_SMALL, style.TEXT
        )
        delta_value = typeset.number(float(adapt.deltas[0]), decimals, style.SIZE_SMALL, style.TEXT)
        delta_row = VGroup(delta_words, delta_value).arrange(RIGHT, buff=0.12)
        # The spread in the right column, where the key stood (its values belong to the data
        # before they spread).
        top = self.pull_key.get_bottom()[1] - 0.08
        spread.move_to(point(self.column_left + spread.width / 2, top - spread.height / 2))
        stale: list[Mobject] = [self.key, self.references, self.balance]
        formula = self.formula
        if isinstance(formula, VGroup) and not isinstance(formula, MathTex) and len(formula) == 2:
            # delta's line under the formula gives way to delta as it changes.
            delta_row.move_to(formula[1].get_left() + RIGHT * delta_row.width / 2)
            stale.append(formula[1])
        else:
            delta_row.next_to(spread, DOWN, buff=0.12, aligned_edge=LEFT)
        readout = VGroup(spread, delta_row)
        # The line zooms out first, to hold the data twice as wide (the earlier beats kept the
        # range the other scenes of these data use).
        wide_line, wide_map = number_line_for(self.data.line_extent(adapted=True))
        zoom = ValueTracker(0.0)
        progress = ValueTracker(0.0)
        last = len(adapt.factors) - 1

        def update(_mobject: Mobject) -> None:
            if self.zoom is not None:
                self.zoom = (zoom.get_value(), wide_map)
            k, k1, frac = step_blend(progress.get_value(), last)
            blend = lambda a: (1 - frac) * a[k] + frac * a[k1]  # noqa: E731
            observations = blend(adapt.observations)
            xs = self.to_xs(observations)
            for dot, x in zip(self.dots, xs, strict=True):
                dot.set_x(float(x))
            for i, stem in enumerate(self.stems):
                stem.put_start_and_end_on(
                    point(xs[i], LINE_Y), point(xs[i], self.row_y[self.rank[i]])
                )
            self.show_pulls(float(blend(adapt.estimates)), blend(adapt.pulls), observations)
            delta = float(blend(adapt.deltas))
            self.widen_band(delta)
            spread_value.set_value(float(blend(adapt.factors)))
            delta_value.set_value(delta)

        # The readout joins the updated group only once it has faded in: a number changing
        # under a fade would be drawn from the fade's copy, out of place.
        moving = VGroup(self.dots, self.stems, self.moving)
        self.zoom = (0.0, wide_map)
        moving.add_updater(update)
        self.front([moving])
        self.animate(
            *[FadeOut(m) for m in stale],
            ReplacementTransform(self.number_line, wide_line),
            zoom.animate.set_value(1.0),
            share=self.share(1.2),
            rate_func=smooth,
        )
        self.number_line, self.line_map, self.zoom = wide_line, wide_map, None
        moving.remove_updater(update)
        # Once what it replaces has gone: the digits of a Number do not fade with the words.
        self.animate(FadeIn(readout), share=self.share(0.4))
        moving.add(readout).add_updater(update)
        self.front([moving])
        self.animate(progress.animate.set_value(float(last)), rate_func=smooth)
        moving.remove_updater(update)

    def beat_restart(self, beat: Beat) -> None:
        """A second descent from ``estimate.second_start``: the first answer stays as a ghost
        with its value; theta descends again and its answer is labelled and keyed beside it.
        """
        restart = self.data.restart
        assert restart is not None
        fmt = lambda value: at_resolution(value, self.resolution)  # noqa: E731
        # The answers as computed (the JSON's estimates): theta stands within the tolerance of
        # them, less than a pixel away, from the settled steps on.
        first = self.data.estimate
        second = restart.descent.estimate
        first_start = float(self.data.descent.trajectory[0])
        ghost_x, new_x = self.to_x(first), self.to_x(second)
        ghost_line = DashedLine(
            point(ghost_x, LINE_Y),
            point(ghost_x, BALANCE_Y - 0.05),
            # Grey: yellow is theta's alone, and theta is now the second run.
            stroke_color=style.MUTED,
            stroke_width=3,
            dash_length=0.08,
        )
        # Each answer's label on its own side of its line, away from the other one.
        left_first = first <= second
        ghost_label = typeset.maths(
            rf"\text{{from }} {{{fmt(first_start)}}}\text{{: }} {{{fmt(first)}}}",
            style.SIZE_SMALL,
            style.TEXT,
        )
        new_label = typeset.maths(
            rf"\text{{from }} {{{fmt(restart.start)}}}\text{{: }} {{{fmt(second)}}}",
            style.SIZE_SMALL,
            style.TEXT,
        )
        label_y = BALANCE_Y + 0.1
        for label, x, leftwards in (
            (ghost_label, ghost_x, left_first),
            (new_label, new_x, not left_first),
        ):
            side = -1 if leftwards else 1
            label.move_to(point(x + side * (0.1 + label.width / 2), label_y))
            label.shift(RIGHT * max(0.0, SAFE_LEFT - label.get_left()[0]))
            label.shift(LEFT * max(0.0, label.get_right()[0] - (self.column_left - 0.15)))
        left_label, right_label = (
            (ghost_label, new_label) if left_first else (new_label, ghost_label)
        )
        if right_label.get_left()[0] - left_label.get_right()[0] < 0.4:
            # Too close to read as two: the first answer's label goes a row up, its line with it.
            rise = ghost_label.height + 0.15
            ghost_label.shift(UP * rise)
            ghost_line.put_start_and_end_on(
                point(ghost_x, LINE_Y), point(ghost_x, BALANCE_Y - 0.05 + rise)
            )
        # The balance belongs to the first answer; it goes before the labels come, at its place.
        self.animate(FadeOut(self.balance), share=self.share(0.4))
        self.animate(Create(ghost_line), FadeIn(ghost_label), share=self.share(0.6))
        self.run = (restart.descent, restart.settled_at)
        self.progress.set_value(0.0)
        self.moving.add_updater(self.update_descent)
        self.front([self.moving])
        self.animate(
            self.progress.animate.set_value(float(restart.settled_at)),
            rate_func=linear,
            share=0.8 * (1 - self.beat_used),
        )
        self.moving.remove_updater(self.update_descent)
        self.animate(
            FadeIn(new_label),
            FadeIn(self.later_references),
            FadeIn(self.later_key),
            share=self.share(0.8),
        )
