"""The loss scene: title and formula, the three curves, then descent on a number line."""

import math

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    RIGHT,
    UP,
    UR,
    Axes,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    Line,
    MathTex,
    Mobject,
    NumberLine,
    Rectangle,
    Text,
    Transform,
    Triangle,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    linear,
    smooth,
)

from scenes.compute import LINE_TICKS, SceneData
from scenes.maths import Reference, jump_indices
from scenes.render import formulas, style
from scenes.render.axis_labels import format_value, line_labels, nice_step
from scenes.render.builder import SceneBuilder
from scenes.render.shapes import (
    ArrowField,
    clip_polyline,
    label_axis,
    place_line,
    point,
    step_blend,
)
from scenes.spec.timeline import Beat

FRAME_WIDTH = 14.2
PLOT_CENTER = np.array([-1.5, -0.45, 0.0])
PLOT_SIZE = (9.2, 5.2)
SMALL_PLOT_SCALE = 0.56
LINE_Y = -1.75
LINE_LENGTH = 12.4
BAND_BOTTOM = LINE_Y + 0.32
BAND_TOP = 0.15
CAPTION_Y = -3.62
MAX_GHOSTS = 40


def auto_y_range(data: SceneData) -> tuple[float, float]:
    """A y range showing every drawn curve over the whole x range, with a little air."""
    shown = [getattr(data.curves, name) for name in data.spec.curves.show]
    lo = min(0.0, *(float(values.min()) for values in shown))
    hi = max(0.0, *(float(values.max()) for values in shown))
    pad = 0.06 * (hi - lo or 1.0)
    return lo - pad, hi + pad


class LossSceneBuilder(SceneBuilder):
    """Plays one loss scene onto a Manim ``Scene`` from precomputed :class:`SceneData`."""

    data: SceneData

    # --- beats -------------------------------------------------------------------------------

    def method_for(self, beat_id: str):
        if beat_id in ("loss", "density", "derivative"):
            return self.beat_curve
        return super().method_for(beat_id)

    def beat_intro(self, beat: Beat) -> None:
        self.title = self.make_title()
        self.formula = MathTex(
            formulas.loss_formula(self.data), font_size=style.FORMULA_SIZE, color=style.TEXT
        )
        self.formula.to_corner(UR, buff=0.4)
        if self.formula.width > FRAME_WIDTH - self.title.width - 1.2:
            self.formula.scale_to_fit_width(FRAME_WIDTH - self.title.width - 1.2)
            self.formula.to_corner(UR, buff=0.4)
        self.axes = self.make_axes()
        self.legend = VGroup()
        self.plot = VGroup(self.axes)
        half = self.share(self.timing.intro / 2)
        self.animate(Write(self.title), FadeIn(self.formula, shift=0.2 * DOWN), share=half)
        self.animate(Create(self.axes), share=half)

    def make_axes(self) -> VGroup:
        lo, hi = self.spec.curves.x_range
        y_lo, y_hi = self.spec.curves.y_range or auto_y_range(self.data)
        self.y_limits = (y_lo, y_hi)
        x_step = nice_step(hi - lo, 10)
        y_step = nice_step(y_hi - y_lo, 6)
        axes = Axes(
            x_range=(lo, hi, x_step),
            y_range=(y_lo, y_hi, y_step),
            x_length=PLOT_SIZE[0],
            y_length=PLOT_SIZE[1],
            tips=False,
            axis_config={"color": style.MUTED, "stroke_width": 2, "include_ticks": True},
        )
        # Tick labels of a few digits each, with a note for huge or far-off ranges.
        size = style.AXIS_NUMBER_SIZE
        x_note = label_axis(axes.x_axis, lo, hi, x_step, font_size=size, skip_zero=True)
        y_note = label_axis(axes.y_axis, y_lo, y_hi, y_step, font_size=size, skip_zero=True)
        if x_note is not None:
            x_note.next_to(axes.x_axis.get_left(), DOWN, buff=0.6, aligned_edge=LEFT)
        if y_note is not None:
            y_note.next_to(axes.y_axis.get_top(), UP, buff=0.15)
        axes.move_to(PLOT_CENTER)
        label = MathTex(formulas.RESIDUAL, font_size=style.LABEL_SIZE, color=style.MUTED)
        label.next_to(axes.x_axis.get_right(), DOWN + LEFT * 0.2, buff=0.35)
        return VGroup(axes, label)

    def curve_mobject(self, name: str) -> VGroup:
        axes = self.axes[0]
        x = self.data.curves.x
        values = getattr(self.data.curves, name)
        color = getattr(self.spec.curves.colors, name)
        origin = axes.c2p(0, 0)
        unit_x = axes.c2p(1, 0) - origin
        unit_y = axes.c2p(0, 1) - origin
        pieces = VGroup()
        bounds = np.concatenate([[0], jump_indices(values) + 1, [len(x)]])
        for start, stop in zip(bounds[:-1], bounds[1:], strict=True):
            for xs, ys in clip_polyline(x[start:stop], values[start:stop], *self.y_limits):
                if len(xs) < 2:
                    continue
                points = origin + np.outer(xs, unit_x) + np.outer(ys, unit_y)
                piece = VMobject(stroke_color=color, stroke_width=4)
                piece.set_points_as_corners(points)
                pieces.add(piece)
        return pieces

    def legend_entry(self, name: str) -> VGroup:
        color = getattr(self.spec.curves.colors, name)
        swatch = Line(ORIGIN, 0.5 * RIGHT, stroke_color=color, stroke_width=6)
        label = MathTex(formulas.CURVE_LABELS[name], font_size=style.LABEL_SIZE, color=style.TEXT)
        label.next_to(swatch, RIGHT, buff=0.2)
        return VGroup(swatch, label)

    def beat_curve(self, beat: Beat) -> None:
        name = beat.id
        curve = self.curve_mobject(name)
        entry = self.legend_entry(name)
        if len(self.legend) == 0:
            entry.next_to(self.axes[0], RIGHT, buff=0.35).align_to(self.axes[0], UP)
        else:
            entry.next_to(self.legend, DOWN, buff=0.3, aligned_edge=LEFT)
        self.legend.add(entry)
        self.plot.add(curve)
        self.animate(
            Create(curve),
            FadeIn(entry, shift=0.2 * LEFT),
            share=self.share(getattr(self.timing, name) or self.timing.curve),
            rate_func=smooth,
        )

    # --- observations and descent ------------------------------------------------------------

    def beat_data(self, beat: Beat) -> None:
        """Make room for the number line: formula and legend move under the title, the plot to
        the top right.
        """
        formula_target = self.formula.copy().scale(0.8)
        formula_target.next_to(self.title, DOWN, buff=0.3, aligned_edge=LEFT)
        legend_target = self.legend.copy().scale(0.85)
        legend_target.next_to(formula_target, DOWN, buff=0.3, aligned_edge=LEFT)
        plot_target = self.plot.copy().scale(SMALL_PLOT_SCALE).to_corner(UR, buff=0.3)
        self.make_number_line()
        whole = self.share(self.timing.data)
        self.animate(
            Transform(self.formula, formula_target),
            Transform(self.legend, legend_target),
            Transform(self.plot, plot_target),
            share=0.4 * whole,
        )
        self.animate(
            Create(self.number_line),
            FadeIn(self.dots, lag_ratio=0.1),
            FadeIn(self.references),
            share=0.3 * whole,
        )
        self.place_estimate()
        self.animate(*[FadeIn(m) for m in self.estimate_parts], share=0.3 * whole)

    def make_number_line(self) -> None:
        y = self.data.observations
        labels = line_labels(*self.data.line_extent(), ticks=LINE_TICKS)
        lo, hi = labels.lo, labels.hi
        # Ticks are labelled in label units (small numbers); positions below stay in data units.
        self.number_line = NumberLine(
            x_range=labels.label_range,
            length=LINE_LENGTH,
            color=style.MUTED,
            include_numbers=True,
            font_size=style.SMALL_SIZE,
            decimal_number_config={"num_decimal_places": labels.decimals},
        )
        place_line(self.number_line, 0, LINE_Y)
        label_lo, _, label_step = labels.label_range
        if labels.note is not None:
            note = Text(labels.note, font=style.FONT, font_size=style.SMALL_SIZE, color=style.MUTED)
            note.next_to(self.number_line.get_left(), UP, buff=0.22, aligned_edge=LEFT)
            self.number_line.add(note)
        self.resolution = self.data.resolution
        self.label_lo = label_lo
        per_label = (
            self.number_line.n2p(label_lo + label_step)[0] - self.number_line.n2p(label_lo)[0]
        )
        self.unit = float(per_label) / (label_step * labels.unit)
        self.line_lo, self.line_hi = lo, hi
        self.dots = VGroup(
            *[Dot(point(self.to_x(v), LINE_Y), radius=0.07, color=style.OBSERVATION) for v in y]
        )
        self.references = self.make_references()

    def to_x(self, value: float) -> float:
        """Scene x of a value on the number line."""
        return float(self.to_xs(np.asarray(value)))

    def to_xs(self, value: np.ndarray) -> np.ndarray:
        """Scene x of values on the number line (vectorised)."""
        left = self.number_line.n2p(self.label_lo)[0]
        return left + (np.asarray(value) - self.line_lo) * self.unit

    def make_references(self) -> VGroup:
        """Labelled ticks under the line for mean, median, Huber and trimmed mean.

        References that coincide (Huber and trimmed mean when the clipping is symmetric) share one
        label; labels whose text would overlap are stacked on lower rows.
        """
        entries: list[tuple[str, float, Reference | None]] = [
            (name, ref.value, ref) for name, ref in self.data.references.items()
        ]
        if self.data.trimmed_mean is not None:
            entries.append(("trimmed_mean", self.data.trimmed_mean, None))
        order = list(style.REFERENCE_LABELS)
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

        # Lines first, labels last: a label (on a background patch) is never crossed by a line.
        lines, labels = VGroup(), VGroup()
        row_right_edges: list[float] = []
        for group in groups:
            value = group[0][1]
            x = float(self.to_x(value))
            color = style.REFERENCE_COLORS[group[0][0]]
            names = " = ".join(style.REFERENCE_LABELS[e[0]] for e in group)
            label = Text(
                f"{names} {format_value(value, self.resolution)}",
                font=style.FONT,
                font_size=style.SMALL_SIZE,
                color=color,
            )
            label.add_background_rectangle(color=style.BACKGROUND, opacity=1.0, buff=0.04)
            row = 0
            while row < len(row_right_edges) and row_right_edges[row] > x - label.width / 2 - 0.15:
                row += 1
            if row == len(row_right_edges):
                row_right_edges.append(-math.inf)
            label_y = LINE_Y - 0.62 - 0.3 * row
            label.move_to(point(x, label_y))
            label.shift(RIGHT * max(0.0, -6.9 - label.get_left()[0]))
            label.shift(LEFT * max(0.0, label.get_right()[0] - 6.9))
            row_right_edges[row] = label.get_right()[0]
            tick = Line(
                point(x, LINE_Y + 0.16), point(x, LINE_Y - 0.16), stroke_color=color, stroke_width=5
            )
            leader = DashedLine(
                point(x, LINE_Y - 0.18),
                point(x, label_y + 0.12),
                stroke_color=color,
                stroke_width=1.5,
                dash_length=0.05,
            )
            lines.add(leader, tick)
            labels.add(label)
            for entry in group:
                ref = entry[2]
                if ref is not None and ref.lo != ref.hi:
                    interval = Line(
                        point(self.to_x(ref.lo), LINE_Y),
                        point(self.to_x(ref.hi), LINE_Y),
                        stroke_color=color,
                        stroke_width=9,
                        stroke_opacity=0.6,
                    )
                    lines.add(interval)
        return VGroup(lines, labels)

    def place_estimate(self) -> None:
        """Theta, its arrows (one per observation) and, for Huber, the band of unclipped points."""
        data = self.data
        n = len(data.observations)
        order = np.argsort(data.observations, kind="stable")
        row_height = (BAND_TOP - BAND_BOTTOM) / max(n, 1)
        self.row_y = BAND_BOTTOM + row_height * (np.arange(n) + 0.5)
        self.rank = np.empty(n, dtype=int)
        self.rank[order] = np.arange(n)
        arrow_color = self.spec.curves.colors.derivative
        self.arrows = ArrowField(n, row_height, arrow_color)
        self.net_arrow = ArrowField(1, 0.3, style.NET_PULL)
        ghosts = VGroup()
        if n <= MAX_GHOSTS:
            for i, value in enumerate(data.observations):
                ghosts.add(
                    Dot(
                        point(self.to_x(value), self.row_y[self.rank[i]]),
                        radius=0.045,
                        color=style.OBSERVATION,
                        fill_opacity=0.35,
                    )
                )
        self.progress = ValueTracker(0.0)
        theta_line = Line(
            point(0, LINE_Y), point(0, BAND_TOP + 0.05), stroke_color=style.THETA, stroke_width=3
        )
        theta_mark = Triangle(color=style.THETA, fill_opacity=1, stroke_width=0).scale(0.09)
        theta_mark.move_to(point(0, LINE_Y - 0.2))
        theta_label = MathTex(r"\theta", font_size=style.LABEL_SIZE, color=style.THETA)
        theta_label.move_to(point(0, BAND_TOP + 0.28))
        self.theta_marker = VGroup(theta_line, theta_mark, theta_label)
        self.theta_marker_x = 0.0
        self.band: VGroup | None = None
        if data.band is not None:
            shade = Rectangle(
                width=2 * data.band * self.unit,
                height=BAND_TOP - LINE_Y + 0.1,
                fill_color=style.THETA,
                fill_opacity=0.09,
                stroke_width=0,
            )
            shade.move_to(point(0, (BAND_TOP + LINE_Y) / 2))
            delta_label = MathTex(
                formulas.band_label(data), font_size=style.SMALL_SIZE, color=style.THETA
            )
            if data.spec.loss.params().get("delta") == "auto":
                # The longer adaptive label would cover theta's label above the band.
                delta_label.next_to(shade, LEFT, buff=0.1).align_to(shade, UP)
            else:
                delta_label.next_to(shade, UP, buff=0.05, aligned_edge=RIGHT)
            self.band = VGroup(shade, delta_label)
        key = MathTex(
            r"\text{pull } \ell'(y_i - \theta)", font_size=style.SMALL_SIZE, color=arrow_color
        )
        key.move_to(point(0, BAND_TOP + 0.28)).to_edge(RIGHT, buff=0.4)
        self.key = key
        # One group carries the updater, so Manim redraws all of it every frame (it caches
        # mobjects without updaters as a static background).
        self.moving = VGroup(
            *([self.band] if self.band is not None else []),
            self.arrows,
            self.net_arrow,
            self.theta_marker,
        )
        self.update_descent(self.moving)
        self.estimate_parts = [self.moving, ghosts, key]

    def beat_estimate(self, beat: Beat) -> None:
        """Theta moves by the precomputed descent, one step per equal slice of the beat, until it
        has settled (the steps after that change nothing that can be seen).
        """
        self.moving.add_updater(self.update_descent)
        self.front([self.moving])
        self.animate(self.progress.animate.set_value(float(self.data.settled_at)), rate_func=linear)
        self.moving.remove_updater(self.update_descent)

    def update_descent(self, _mobject: Mobject) -> None:
        """Place theta, its band and every arrow for the current (fractional) step."""
        descent = self.data.descent
        k, k1, frac = step_blend(self.progress.get_value(), self.data.settled_at)
        theta = (1 - frac) * descent.trajectory[k] + frac * descent.trajectory[k1]
        pulls = (1 - frac) * descent.pulls[k] + frac * descent.pulls[k1]
        x = float(self.to_x(theta))
        x_lo, x_hi = float(self.to_x(self.line_lo)), float(self.to_x(self.line_hi))
        # An arrow is as long as its pull in data units; one that would leave the line is cut at
        # its end so it never runs off the screen.
        ends = np.clip(x + pulls * self.unit, x_lo, x_hi)
        self.arrows.set_arrows(np.full(len(pulls), x), ends, self.row_y[self.rank])
        net_end = float(np.clip(x + pulls.mean() * self.unit, x_lo, x_hi))
        self.net_arrow.set_arrows(np.array([x]), np.array([net_end]), np.array([LINE_Y + 0.17]))
        shift = x - self.theta_marker_x
        if shift:
            self.theta_marker.shift(shift * RIGHT)
            if self.band is not None:
                self.band.shift(shift * RIGHT)
            self.theta_marker_x = x

    def beat_arrival(self, beat: Beat) -> None:
        """Why theta stops here: the pulls to the left and to the right, each summed, cancel."""
        data = self.data
        pulls = data.descent.pulls[data.settled_at]
        n = len(pulls)
        left = float(pulls[pulls < 0].sum()) / n
        right = float(pulls[pulls > 0].sum()) / n
        x = self.to_x(data.descent.trajectory[data.settled_at])
        y = BAND_TOP + 0.75
        sums = ArrowField(2, 0.34, style.NET_PULL)
        sums.set_arrows(
            np.array([x, x]),
            np.array([x + left * self.unit, x + right * self.unit]),
            np.array([y, y]),
        )
        fmt = lambda value: format_value(value, self.resolution)  # noqa: E731
        label = MathTex(
            rf"\tfrac{{1}}{{n}}\textstyle\sum_{{\text{{left}}}} = {fmt(left)}"
            rf"\qquad \tfrac{{1}}{{n}}\textstyle\sum_{{\text{{right}}}} = {fmt(right)}",
            font_size=style.SMALL_SIZE,
            color=style.NET_PULL,
        )
        label.next_to(point(x, y), UP, buff=0.2)
        label.shift(RIGHT * max(0.0, -6.7 - label.get_left()[0]))
        label.shift(LEFT * max(0.0, label.get_right()[0] - 6.7))
        self.animate(FadeIn(sums), FadeIn(label), share=self.share(1.0))
