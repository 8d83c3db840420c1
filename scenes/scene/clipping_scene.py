"""The clipping scene: clipped gradients are Huber's derivative (1-D), norm clipping in 2-D.

Layout (scene units; text inside the title-safe area, above the captions):

- left column, 1-D: the formula under the title, a key, then a number line with the
  observations. Each observation's pull ``y_i - theta`` is an arrow from theta to its dot (rows
  stacked above the line, a stem down to the dot); clipping then cuts every arrow at the band
  ``theta +- c``: the arrow keeps its part inside the band and the rest turns grey, still reaching
  its observation. Huber's derivative, by autodiff, is then compared with the clipped arrows
  (the largest difference is computed and shown).
- right column, 2-D: a coordinate plane (grid, ticks, labels) in a fixed panel. From mu, each
  example's gradient ``p_i - mu`` is an arrow to its point; the circle of radius c cuts it (grey
  beyond). The mean of the raw and of the clipped gradients are arrows from mu. During the
  descent the plane's view zooms from all the data onto mu, always keeping mu and its circle in
  view (:class:`PlaneView`); at the end, mu and the plain mean are marked with their values.

The view is a pure function of the descent's progress, so a part of the scene rendered from a
later beat starts on exactly the view the whole render shows there.
"""

import math
from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Circle,
    Create,
    DashedVMobject,
    FadeIn,
    Line,
    Mobject,
    Rectangle,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    linear,
    smooth,
)

from scenes.compute.side_scenes import ClippingData
from scenes.maths.axis import decimals, line_labels, nice_step
from scenes.maths.results import clip_rows_by_norm
from scenes.numbers import SENTENCE_DIGITS, common_decimals, fixed, power_of_ten, significant
from scenes.scene import style, typeset
from scenes.scene.builder import SAFE_LEFT, SAFE_RIGHT, SAFE_TOP, SceneBuilder
from scenes.scene.number_line import labelled_line
from scenes.scene.shapes import (
    ArrowField,
    SegmentField,
    VectorArrows,
    clip_segments,
    point,
    step_blend,
    threshold_band,
)
from scenes.scene.strokes import line_beziers, marker
from scenes.spec.timeline import Beat

# --- geometry ---------------------------------------------------------------------------------

LINE_LEFT = SAFE_LEFT + 0.3
LINE_RIGHT = 0.0
LINE_Y = -1.45
ROWS_BOTTOM = LINE_Y + 0.25
ROWS_TOP = 0.25
THETA_LABEL_Y = ROWS_TOP + 0.22

# The plane's panel (scene units); its tick labels sit left of it and under it.
PANEL_LEFT = 1.35
PANEL_RIGHT = SAFE_RIGHT - 0.05
PANEL_TOP = 2.2
PANEL_BOTTOM = -1.9
PANEL_LO = np.array([PANEL_LEFT, PANEL_BOTTOM])
PANEL_HI = np.array([PANEL_RIGHT, PANEL_TOP])
# Scene units kept free under the end view for the closing legend (three rows of small type).
LEGEND_ROOM = 1.4
# Scene units kept free between mu's circle and the panel's edge at every frame.
VIEW_MARGIN = 0.3
GRID_TICKS = 8
# Scene units between neighbouring tick labels' centres, at least.
MIN_TICK_GAP = 0.8
# Tick labels closer than this to a panel corner are left out (they would meet the other axis').
CORNER_ROOM = 0.35


class Segments(VMobject):
    """Many straight stroked segments as one VMobject, updated from numpy arrays (N, 2)."""

    def set_segments(self, starts: np.ndarray, ends: np.ndarray) -> "Segments":
        if len(starts) == 0:
            self.clear_points()
            return self
        zeros = np.zeros((len(starts), 1))
        self.set_points(line_beziers(np.hstack([starts, zeros]), np.hstack([ends, zeros])))
        return self


# --- 2-D view -----------------------------------------------------------------------------------


def _box(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p = np.atleast_2d(points)
    return p.min(axis=0), p.max(axis=0)


@dataclass(frozen=True)
class PlaneView:
    """Which part of the data plane the panel shows at each moment of the descent.

    At the start, a box around all the data (points, the start, the whole path, the mean); at
    the settled step, a box around mu's circle, the plain mean and the points near mu; in
    between the box eases from one to the other and is then widened as needed so that mu's
    circle (plus a margin) is always inside. Data x and y share one scale.
    """

    data: ClippingData

    @property
    def clip(self) -> float:
        return float(self.data.spec.clip)

    def mu(self, progress: float) -> np.ndarray:
        two = self.data.two_d
        k, k1, f = step_blend(progress, self.data.settled_at)
        return (1 - f) * two.trajectory[k] + f * two.trajectory[k1]

    def start_box(self) -> tuple[np.ndarray, np.ndarray]:
        two = self.data.two_d
        shown = two.trajectory[: self.data.settled_at + 1]
        lo, hi = _box(np.vstack([two.points, shown, two.points.mean(axis=0)[None]]))
        pad = 0.08 * float((hi - lo).max()) + self.clip * 0.2
        return lo - pad, hi + pad

    def end_box(self) -> tuple[np.ndarray, np.ndarray]:
        two = self.data.two_d
        mu = two.trajectory[self.data.settled_at]
        mean = two.points.mean(axis=0)
        reach = 2.0 * max(self.clip, float(np.linalg.norm(mean - mu)))
        near = two.points[np.linalg.norm(two.points - mu, axis=1) <= reach]
        lo, hi = _box(np.vstack([mu - self.clip, mu + self.clip, mean[None], near]))
        pad = 0.25 * self.clip
        return lo - pad, hi + pad

    def window(self, progress: float) -> tuple[np.ndarray, float]:
        """The data point at the panel's centre and the scale (scene units per data unit)."""
        settled = max(self.data.settled_at, 1)
        fraction = float(np.clip(progress / settled, 0.0, 1.0))
        ease = smooth(fraction)
        center0, scale0 = self.fit(*self.start_box(), legend_room=0.0)
        center1, scale1 = self.fit(*self.end_box(), legend_room=LEGEND_ROOM)
        # Zoom at an even pace to the eye: the scale is interpolated geometrically.
        scale = float(np.exp((1 - ease) * np.log(scale0) + ease * np.log(scale1)))
        center = (1 - ease) * center0 + ease * center1
        panel = PANEL_HI - PANEL_LO
        # Follow mu: widen (zoom out) until its circle fits with the margin, then shift to it.
        mu = self.mu(progress)
        for _ in range(2):
            need = np.abs(mu - center) + self.clip
            room = (panel / 2 - VIEW_MARGIN) / scale
            if np.all(need <= room):
                break
            scale = float(np.min((panel / 2 - VIEW_MARGIN) / np.maximum(need, 1e-9)))
        room = (panel / 2 - VIEW_MARGIN) / scale
        center = np.clip(center, mu + self.clip - room, mu - self.clip + room)
        return center, scale

    @staticmethod
    def fit(lo: np.ndarray, hi: np.ndarray, legend_room: float) -> tuple[np.ndarray, float]:
        """Centre and scale that show the box ``lo..hi`` in the panel, with the margin, above a
        strip ``legend_room`` high kept free at the panel's bottom.
        """
        room = PANEL_HI - PANEL_LO - 2 * VIEW_MARGIN - np.array([0.0, legend_room])
        scale = float(np.min(room / np.maximum(hi - lo, 1e-9)))
        return (lo + hi) / 2 - np.array([0.0, legend_room / 2 / scale]), scale

    def to_scene(self, p: np.ndarray, progress: float) -> np.ndarray:
        center, scale = self.window(progress)
        return (PANEL_LO + PANEL_HI) / 2 + (np.atleast_2d(p) - center) * scale


class Plane(VGroup):
    """The 2-D picture, redrawn from three trackers: ``grow`` (raw arrows reaching out from mu,
    0..1), ``cut`` (the circle cutting them, 0..1) and ``progress`` (descent steps).
    """

    def __init__(self, data: ClippingData) -> None:
        super().__init__()
        self.data = data
        self.view = PlaneView(data)
        self.grow = ValueTracker(0.0)
        self.cut = ValueTracker(0.0)
        self.progress = ValueTracker(0.0)
        n = len(data.two_d.points)
        self.border = Rectangle(
            width=PANEL_RIGHT - PANEL_LEFT,
            height=PANEL_TOP - PANEL_BOTTOM,
            stroke_color=style.MUTED,
            stroke_width=2,
        ).move_to(point(*(PANEL_LO + PANEL_HI) / 2))
        self.grid = Segments(stroke_color=style.MUTED, stroke_width=1, stroke_opacity=0.35)
        self.axes = Segments(stroke_color=style.MUTED, stroke_width=2.5)
        self.labels = self.make_labels()
        self.dots = VGroup(*[marker("observation", 0.16) for _ in range(n)])
        self.excess = Segments(stroke_color=style.CLIPPED, stroke_width=3.5)
        self.arrows = VectorArrows(n, style.DERIVATIVE, shaft=0.05, head=0.17)
        self.circle_base = DashedVMobject(
            Circle(radius=1.0, stroke_color=style.MUTED, stroke_width=2.5), num_dashes=40
        )
        self.circle = self.circle_base.copy()
        self.mean_raw = VectorArrows(1, style.MEAN, shaft=0.07, head=0.24)
        self.mean_clipped = VectorArrows(1, style.BALANCE, shaft=0.07, head=0.24)
        self.trace = Segments(stroke_color=style.THETA, stroke_width=2, stroke_opacity=0.7)
        self.mu = marker("theta", 0.24)
        self.add(
            self.grid,
            self.axes,
            self.border,
            self.labels,
            self.trace,
            self.excess,
            self.circle,
            self.dots,
            self.arrows,
            self.mean_raw,
            self.mean_clipped,
            self.mu,
        )
        self.redraw()

    # tick labels: one mobject per (axis, value, decimals) any frame shows, placed or hidden

    def ticks(self, progress: float) -> tuple[float, list[float], list[float], int]:
        center, scale = self.view.window(progress)
        half = (PANEL_HI - PANEL_LO) / 2 / scale
        # The finest 1-2-5 step whose labels stay apart on screen.
        ticks = GRID_TICKS
        step = nice_step(float(2 * half.max()), ticks)
        while step * scale < MIN_TICK_GAP and ticks > 2:
            ticks -= 1
            step = nice_step(float(2 * half.max()), ticks)
        places = decimals(step)
        per_axis = []
        for axis in range(2):
            lo, hi = center[axis] - half[axis], center[axis] + half[axis]
            first = np.ceil(lo / step - 1e-9)
            last = np.floor(hi / step + 1e-9)
            per_axis.append([round(k * step, places + 2) for k in np.arange(first, last + 1)])
        return step, per_axis[0], per_axis[1], places

    def make_labels(self) -> VGroup:
        self.label_pool: dict[tuple[int, float, int], VMobject] = {}
        samples = np.linspace(0.0, float(self.data.settled_at), 4 * self.data.settled_at + 2)
        for progress in samples:
            _, xs, ys, places = self.ticks(float(progress))
            for axis, values in ((0, xs), (1, ys)):
                for v in values:
                    key = (axis, v, places)
                    if key not in self.label_pool:
                        self.label_pool[key] = typeset.number(v, places, color=style.MUTED)
        return VGroup(*self.label_pool.values())

    # one frame

    def redraw(self, _mobject: Mobject | None = None) -> None:
        two = self.data.two_d
        progress = self.progress.get_value()
        center, scale = self.view.window(progress)
        mid = (PANEL_LO + PANEL_HI) / 2

        def to_scene(p: np.ndarray) -> np.ndarray:
            return mid + (np.atleast_2d(p) - center) * scale

        self.draw_grid(progress, to_scene)
        k, k1, f = step_blend(progress, self.data.settled_at)
        mu = (1 - f) * two.trajectory[k] + f * two.trajectory[k1]
        raw = two.points - mu
        # Clipped at mu itself (not blended between steps), so every frame shows |g_i| <= c.
        clipped = clip_rows_by_norm(raw, self.data.spec.clip)
        grow, cut = self.grow.get_value(), self.cut.get_value()
        shown = grow * (raw + cut * (clipped - raw))
        m = to_scene(mu)[0]
        n = len(raw)
        tips = m + shown * scale
        self.arrows.set_vectors(np.tile(m, (n, 1)), tips)
        # What clipping takes away: from the arrow's tip on to its point, cut to the panel.
        far = m + grow * raw * scale
        a, b = clip_segments(tips, far, PANEL_LO, PANEL_HI)
        self.excess.set_segments(a, b)
        inside = np.all((to_scene(two.points) >= PANEL_LO) & (to_scene(two.points) <= PANEL_HI), 1)
        for dot, p, visible in zip(self.dots, to_scene(two.points), inside, strict=True):
            dot.move_to(point(*p)).set_fill(opacity=1.0 if visible else 0.0)
        radius = self.data.spec.clip * scale
        for dash, base in zip(self.circle.submobjects, self.circle_base.submobjects, strict=True):
            dash.points = base.points * radius + point(*m)
        self.circle.set_stroke(opacity=cut)
        self.mean_raw.set_vectors(m[None], (m + raw.mean(axis=0) * scale)[None])
        self.mean_clipped.set_vectors(m[None], (m + clipped.mean(axis=0) * scale)[None])
        self.mu.move_to(point(*m))
        # mu's path so far, cut to the panel (it starts outside once the view has zoomed in).
        path = to_scene(np.vstack([two.trajectory[: k + 1], mu[None]]))
        self.trace.set_segments(*clip_segments(path[:-1], path[1:], PANEL_LO, PANEL_HI))

    def draw_grid(self, progress: float, to_scene) -> None:
        step, xs, ys, places = self.ticks(progress)
        grid_from: list[list[float]] = []
        grid_to: list[list[float]] = []
        axes_from: list[list[float]] = []
        axes_to: list[list[float]] = []
        for x in xs:
            sx = to_scene(np.array([x, 0.0]))[0, 0]
            (axes_from if x == 0 else grid_from).append([sx, PANEL_BOTTOM])
            (axes_to if x == 0 else grid_to).append([sx, PANEL_TOP])
        for y in ys:
            sy = to_scene(np.array([0.0, y]))[0, 1]
            (axes_from if y == 0 else grid_from).append([PANEL_LEFT, sy])
            (axes_to if y == 0 else grid_to).append([PANEL_RIGHT, sy])
        self.grid.set_segments(np.array(grid_from).reshape(-1, 2), np.array(grid_to).reshape(-1, 2))
        self.axes.set_segments(np.array(axes_from).reshape(-1, 2), np.array(axes_to).reshape(-1, 2))
        for label in self.label_pool.values():
            label.set_opacity(0.0)
        for x in xs:
            sx = to_scene(np.array([x, 0.0]))[0, 0]
            if PANEL_LEFT + CORNER_ROOM <= sx <= PANEL_RIGHT - 0.1:
                label = self.label_pool[(0, x, places)]
                label.set_opacity(1.0)
                label.move_to(point(sx, PANEL_BOTTOM - 0.1 - label.height / 2))
        for y in ys:
            sy = to_scene(np.array([0.0, y]))[0, 1]
            if PANEL_BOTTOM + CORNER_ROOM <= sy <= PANEL_TOP - 0.1:
                label = self.label_pool[(1, y, places)]
                label.set_opacity(1.0)
                label.move_to(point(PANEL_LEFT - 0.1 - label.width / 2, sy))

    def settled_scene_point(self, p: np.ndarray) -> np.ndarray:
        return self.view.to_scene(p, float(self.data.settled_at))[0]


# --- 1-D ----------------------------------------------------------------------------------------


class OneDimension(VGroup):
    """The number line with each observation's pull arrow from theta, the band theta +- c, and
    the greyed part that clipping takes away; ``grow`` and ``cut`` (0..1) animate them.
    """

    def __init__(self, data: ClippingData) -> None:
        super().__init__()
        self.data = data
        d = data.one_d
        y = data.observations
        c = float(data.spec.clip)
        labels = line_labels(
            float(min(y.min(), d.theta - c)), float(max(y.max(), d.theta + c)), ticks=8
        )
        self.line, line_map = labelled_line(
            labels, LINE_RIGHT - LINE_LEFT, ((LINE_LEFT + LINE_RIGHT) / 2, LINE_Y), DOWN, 0.5
        )
        self.unit, self.lo, self.left = line_map.unit, line_map.lo, line_map.left
        n = len(y)
        rank = np.empty(n, dtype=int)
        rank[np.argsort(y, kind="stable")] = np.arange(n)
        row_height = (ROWS_TOP - ROWS_BOTTOM) / max(n, 1)
        self.rows = ROWS_BOTTOM + row_height * (rank + 0.5)
        self.theta_x = self.to_x(d.theta)
        self.dot_x = self.to_x(y)
        self.dots = VGroup(
            *[marker("observation", 0.15).move_to(point(x, LINE_Y)) for x in self.dot_x]
        )
        self.stems = VGroup(
            *[
                Line(
                    point(x, LINE_Y),
                    point(x, row),
                    stroke_color=style.OBSERVATION,
                    stroke_width=1.2,
                    stroke_opacity=0.45,
                )
                for x, row in zip(self.dot_x, self.rows, strict=True)
            ]
        )
        self.arrows = ArrowField(n, row_height, style.DERIVATIVE)
        self.excess = SegmentField(n, self.arrows.shaft, style.CLIPPED)
        theta_line = Line(
            point(self.theta_x, LINE_Y),
            point(self.theta_x, ROWS_TOP + 0.02),
            stroke_color=style.THETA,
            stroke_width=3,
        )
        theta_label = typeset.maths(r"\theta", style.SIZE_LABEL, style.THETA)
        theta_label.move_to(point(self.theta_x, THETA_LABEL_Y))
        self.theta = VGroup(theta_line, theta_label)
        self.band = self.make_band(c)
        self.grow = ValueTracker(0.0)
        self.cut = ValueTracker(0.0)
        # One group carries the updater (Manim runs updaters of mobjects in the scene only).
        self.moving = VGroup(self.excess, self.arrows)
        self.add(self.line, self.band, self.stems, self.dots, self.moving, self.theta)
        self.redraw()

    def to_x(self, value):
        return self.left + (np.asarray(value, dtype=float) - self.lo) * self.unit

    def make_band(self, c: float) -> VGroup:
        width = 2 * c * self.unit
        shade, edges = threshold_band(self.theta_x, width, LINE_Y, ROWS_TOP)
        words = VGroup(
            typeset.maths(r"\theta - c", style.SIZE_SMALL, style.MUTED),
            typeset.maths(r"\theta + c", style.SIZE_SMALL, style.MUTED),
        )
        # Each edge's name above it, outside the band (theta's own label stands in between).
        words[0].move_to(point(self.theta_x - width / 2 - 0.05 - words[0].width / 2, THETA_LABEL_Y))
        words[1].move_to(point(self.theta_x + width / 2 + 0.05 + words[1].width / 2, THETA_LABEL_Y))
        return VGroup(shade, edges, words)

    def pulls(self) -> np.ndarray:
        d = self.data.one_d
        return self.grow.get_value() * (d.raw + self.cut.get_value() * (d.clipped - d.raw))

    def redraw(self, _mobject: Mobject | None = None) -> None:
        d = self.data.one_d
        tips = self.theta_x + self.pulls() * self.unit
        n = len(tips)
        self.arrows.set_arrows(np.full(n, self.theta_x), tips, self.rows)
        reach = self.theta_x + self.grow.get_value() * d.raw * self.unit
        self.excess.set_segments(tips, reach, self.rows)


# --- the builder --------------------------------------------------------------------------------


def tex_number(value: float) -> str:
    """``value`` to two significant digits in TeX, as a power of ten when very small or large."""
    if value == 0 or 1e-3 <= abs(value) < 1e4:
        return significant(value, 2)
    mantissa, exponent = power_of_ten(value, 2)
    return rf"{mantissa} \times 10^{{{exponent}}}"


def length_tex(length: float, points: np.ndarray) -> str:
    """The balance's length to the precision the coordinates are shown at: a length far below
    the points' last shown digit is 0 there (not ``8.4 x 10^-10``, which reads as a measurement).
    """
    scale = float(np.abs(points).max()) or 1.0
    last_digit = 10.0 ** (math.floor(math.log10(scale)) - SENTENCE_DIGITS + 1)
    if abs(length) < last_digit / 2:
        return "0"
    return tex_number(length)


def point_tex(p: np.ndarray) -> str:
    """A point of the plane's coordinates in TeX, to the digits of a number in a sentence."""
    decimals = common_decimals([float(p[0]), float(p[1])], SENTENCE_DIGITS)
    return rf"{fixed(p[0], decimals)},\ {fixed(p[1], decimals)}"


def arrow_sample(color: str) -> ArrowField:
    sample = ArrowField(1, 0.2, color)
    return sample.set_arrows(np.array([0.0]), np.array([0.5]), np.array([0.0]))


def key_row(sample: VMobject, tex: str, color: str) -> VGroup:
    return VGroup(sample, typeset.maths(tex, style.SIZE_SMALL, color)).arrange(RIGHT, buff=0.15)


class ClippingSceneBuilder(SceneBuilder):
    data: ClippingData

    def beat_intro(self, beat: Beat) -> None:
        self.title = self.make_title()
        self.formula = self.make_formula()
        self.animate(
            Write(self.title),
            FadeIn(self.formula, shift=0.2 * DOWN),
            share=self.share(self.timing.intro),
        )

    def make_formula(self) -> Mobject:
        """Under the title (it may reach over the plane's key column, which starts lower right):
        clipping the squared loss's pull is Huber's derivative.
        """
        tex = r"\operatorname{clip}(y_i - \theta,\, -c,\, c) = \ell'_{\mathrm{Huber}}(y_i - \theta)"
        room = PANEL_LEFT - 0.15 - SAFE_LEFT
        formula = typeset.maths(tex, style.SIZE_FORMULA)
        if formula.width > room:
            formula = typeset.maths(tex, style.SIZE_SMALL)
        return formula.next_to(self.title, DOWN, buff=0.2, aligned_edge=LEFT)

    # --- 1-D ------------------------------------------------------------------------------------

    def beat_clip(self, beat: Beat) -> None:
        """The raw pulls grow from theta to their observations; the band theta +- c appears and
        cuts them (the cut-off parts turn grey); then Huber's derivative, by autodiff, is
        compared with the clipped pulls.
        """
        d = self.data.one_d
        self.one = OneDimension(self.data)
        key = VGroup(
            key_row(arrow_sample(style.DERIVATIVE), r"\text{pull } y_i - \theta", style.DERIVATIVE),
            key_row(
                SegmentField(1, 0.05, style.CLIPPED).set_segments(
                    np.array([0.0]), np.array([0.5]), np.array([0.0])
                ),
                r"\text{clipped away}",
                style.MUTED,
            ),
        ).arrange(RIGHT, buff=0.5)
        key.next_to(self.formula, DOWN, buff=0.15, aligned_edge=LEFT)
        # Computed, not asserted: the autodiff derivative against the clipped pulls.
        difference = float(np.max(np.abs(d.clipped - d.huber))) if len(d.huber) else 0.0
        verdict = r"\text{identical}" if difference == 0 else r"\text{not identical}"
        shown = significant(difference, SENTENCE_DIGITS)
        words = (
            rf"\ell'_{{\mathrm{{Huber}}}},\ \delta = c = {significant(self.spec.clip)},\ "
            r"\text{by autodiff:}\ ",
            rf"\max\nolimits_i |\text{{difference}}| = {shown}\text{{: }}" + verdict,
        )
        room = LINE_RIGHT + 0.7 - SAFE_LEFT
        check: Mobject = typeset.maths("".join(words), style.SIZE_SMALL, style.TEXT)
        if check.width > room:
            check = VGroup(
                *[typeset.maths(w, style.SIZE_SMALL, style.TEXT) for w in words]
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.08)
        check.next_to(key, DOWN, buff=0.1, aligned_edge=LEFT)
        self.check = check
        # Paced to the narration's three sentences: the pulls, the cut, the autodiff check.
        one = self.one
        self.animate(Create(one.line), FadeIn(one.dots), FadeIn(one.theta), FadeIn(key), share=0.08)
        self.scene.add(one.moving)
        one.moving.add_updater(one.redraw)
        self.front([one.moving, one.theta])
        self.animate(one.grow.animate.set_value(1.0), FadeIn(one.stems), share=0.25)
        self.hold(0.36)
        self.animate(FadeIn(one.band), share=0.05)
        self.front([one.moving, one.theta])
        self.animate(one.cut.animate.set_value(1.0), share=0.25)
        one.moving.remove_updater(one.redraw)
        self.hold(0.68)
        self.animate(FadeIn(check), share=0.12)

    # --- 2-D ------------------------------------------------------------------------------------

    def beat_vectors(self, beat: Beat) -> None:
        """The plane, the points and mu; each example's gradient grows from mu to its point; the
        circle of radius c cuts them; the means of the raw and clipped gradients.
        """
        plane = self.plane = Plane(self.data)
        self.plane_key = self.make_plane_key()
        # Paced to the narration: the gradients reach out, then the circle cuts them.
        self.animate(
            Create(plane.border),
            FadeIn(plane.grid),
            FadeIn(plane.axes),
            FadeIn(plane.labels),
            FadeIn(plane.dots),
            FadeIn(plane.mu),
            FadeIn(self.plane_key[0]),
            share=0.12,
        )
        plane.mean_raw.set_opacity(0.0)
        plane.mean_clipped.set_opacity(0.0)
        # The parts were brought in one by one; the whole group (with its updater) replaces them.
        self.scene.remove(*plane.submobjects)
        self.scene.add(plane)
        plane.add_updater(plane.redraw)
        self.front([plane])
        self.animate(plane.grow.animate.set_value(1.0), share=0.25)
        self.hold(0.45)
        self.animate(plane.cut.animate.set_value(1.0), share=0.25)
        plane.remove_updater(plane.redraw)
        self.animate(
            plane.mean_raw.animate.set_opacity(1.0),
            plane.mean_clipped.animate.set_opacity(1.0),
            FadeIn(self.plane_key[1:]),
            share=0.12,
        )

    def make_plane_key(self) -> VGroup:
        """Over the plane: what its arrows are."""
        rows = VGroup(
            key_row(
                arrow_sample(style.DERIVATIVE),
                r"g_i = p_i - \theta,\ \text{cut at } c",
                style.DERIVATIVE,
            ),
            key_row(arrow_sample(style.MEAN), r"\text{mean of } g_i", style.MEAN),
            key_row(arrow_sample(style.BALANCE), r"\text{mean of clipped } g_i", style.BALANCE),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.04)
        # Beside the title when it fits there (right-aligned), else under it; above the panel.
        beside = self.title.get_right()[0] + 0.2 <= SAFE_RIGHT - rows.width
        top = SAFE_TOP if beside else self.title.get_bottom()[1] - 0.1
        rows.move_to(point(SAFE_RIGHT - rows.width / 2, top - rows.height / 2))
        if rows.get_bottom()[1] < PANEL_TOP + 0.08:
            rows.shift(UP * (PANEL_TOP + 0.08 - rows.get_bottom()[1]))
        return rows

    def beat_descent(self, beat: Beat) -> None:
        """Mu descends on the mean of the clipped gradients; the view zooms in on it."""
        plane = self.plane
        plane.add_updater(plane.redraw)
        self.front([plane])
        self.animate(
            plane.progress.animate.set_value(float(self.data.settled_at)), rate_func=linear
        )
        plane.remove_updater(plane.redraw)

    def beat_hold(self, beat: Beat) -> None:
        """Where clipped descent settles, and the plain mean: markers, and a legend with their
        values in the panel's emptiest corner.
        """
        two = self.data.two_d
        last = two.trajectory[-1]  # the value the closing caption says
        mean = two.points.mean(axis=0)
        balance = float(np.linalg.norm(two.mean_clipped[-1]))
        plane = self.plane
        mean_mark = marker("mean", 0.24).move_to(point(*plane.settled_scene_point(mean)))
        legend = VGroup(
            VGroup(
                marker("theta", 0.22),
                typeset.maths(rf"\theta = ({point_tex(last)})", style.SIZE_SMALL, style.THETA),
            ).arrange(RIGHT, buff=0.15),
            VGroup(
                marker("mean", 0.22),
                typeset.maths(rf"\text{{mean }}({point_tex(mean)})", style.SIZE_SMALL, style.MEAN),
            ).arrange(RIGHT, buff=0.15),
            # Why mu stops: the clipped gradients sum to (nearly) nothing there.
            VGroup(
                arrow_sample(style.BALANCE),
                # What has that length (a bare "length 0" had no subject): the mean of the
                # clipped pulls, named as the loss scenes name theirs; one row, as the room kept
                # under the end view is for three.
                typeset.maths(
                    r"\text{mean pull: length } " + length_tex(balance, two.points),
                    style.SIZE_SMALL,
                    style.BALANCE,
                ),
            ).arrange(RIGHT, buff=0.15),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        legend.add_background_rectangle(color=style.BACKGROUND, opacity=0.85, buff=0.08)
        taken = np.vstack(
            [
                plane.settled_scene_point(p)
                for p in [*two.points, mean, two.trajectory[self.data.settled_at]]
            ]
        )
        pad = 0.15
        corners = [
            np.array([x, y])
            for x in (PANEL_LEFT + pad + legend.width / 2, PANEL_RIGHT - pad - legend.width / 2)
            for y in (PANEL_BOTTOM + pad + legend.height / 2, PANEL_TOP - pad - legend.height / 2)
        ]

        def clearance(c: np.ndarray) -> float:
            # The nearest drawn point to the legend's box (0 inside it).
            half = np.array([legend.width, legend.height]) / 2
            outside = np.maximum(np.abs(taken - c) - half, 0.0)
            return float(np.linalg.norm(outside, axis=1).min())

        legend.move_to(point(*max(corners, key=clearance)))
        self.animate(FadeIn(mean_mark), FadeIn(legend), share=self.share(1.0))
