"""The clipping scene: clipped gradients are Huber's derivative (1-D), norm clipping in 2-D."""

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UL,
    UR,
    Circle,
    Create,
    Dot,
    FadeIn,
    Line,
    MathTex,
    Text,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    linear,
)

from scenes.compute_kinds import ClippingData
from scenes.render import style
from scenes.render.axis_labels import axis_range
from scenes.render.builder import FRAME_WIDTH, SceneBuilder
from scenes.render.shapes import ArrowField, data_line, line_beziers, point, step_blend
from scenes.spec import DEFAULT_COLORS
from scenes.spec.timeline import Beat

DERIVATIVE = DEFAULT_COLORS["derivative"]

LEFT_CENTER = -3.55
PANEL_WIDTH = 6.2
PLANE_CENTER = np.array(point(3.7, -0.35))
PLANE_SIZE = 5.4


class Segments(VMobject):
    """Many straight segments as one VMobject, updated from numpy arrays."""

    def set_segments(self, starts: np.ndarray, ends: np.ndarray) -> "Segments":
        self.set_points(line_beziers(starts, ends))
        return self


class ClippingSceneBuilder(SceneBuilder):
    data: ClippingData

    def beat_intro(self, beat: Beat) -> None:
        title = self.make_title()
        formula = MathTex(
            r"\operatorname{clip}(y_i - \theta,\,-c,\,c) = \ell'_{\mathrm{Huber}}(y_i - \theta)",
            rf"\quad \delta = c = {self.spec.clip:g}",
            font_size=style.FORMULA_SIZE - 4,
            color=style.TEXT,
        ).to_corner(UR, buff=0.45)
        if formula.width > FRAME_WIDTH - title.width - 1.0:
            formula.scale_to_fit_width(FRAME_WIDTH - title.width - 1.0).to_corner(UR, buff=0.45)
        self.animate(Write(title), FadeIn(formula), share=self.share(self.timing.intro))

    # --- 1-D: two panels with the same theta ------------------------------------------------

    def panel(self, top: float, label: str, pulls: np.ndarray, raw: np.ndarray | None) -> VGroup:
        d = self.data.one_d
        y = self.data.observations
        values = np.concatenate([y, [d.theta]])
        lo, hi, step = axis_range(float(values.min()) - 0.5, float(values.max()) + 0.5, ticks=8)
        line = data_line(lo, hi, step, PANEL_WIDTH, LEFT_CENTER, top - 2.05)
        unit = PANEL_WIDTH / (hi - lo)

        def to_x(v):
            return line.n2p(lo)[0] + (np.asarray(v) - lo) * unit

        n = len(y)
        rank = np.empty(n, dtype=int)
        rank[np.argsort(y, kind="stable")] = np.arange(n)
        row_height = 1.6 / n
        rows = top - 1.85 + row_height * (rank + 0.5)
        x0 = np.full(n, float(to_x(d.theta)))
        group = VGroup(line)
        if raw is not None:
            ghost = ArrowField(n, row_height, style.MUTED)
            ghost.set_arrows(x0, x0 + raw * unit, rows)
            ghost.set_fill(opacity=0.45)
            group.add(ghost)
        arrows = ArrowField(n, row_height, DERIVATIVE)
        arrows.set_arrows(x0, x0 + pulls * unit, rows)
        dots = VGroup(
            *[
                Dot(
                    point(float(to_x(v)), line.n2p(lo)[1]),
                    radius=0.06,
                    color=style.OBSERVATION,
                )
                for v in y
            ]
        )
        theta = Line(
            point(x0[0], line.n2p(lo)[1]),
            point(x0[0], top - 0.2),
            stroke_color=style.THETA,
            stroke_width=3,
        )
        band = Line(
            point(x0[0] - self.spec.clip * unit, top - 0.1),
            point(x0[0] + self.spec.clip * unit, top - 0.1),
            stroke_color=style.THETA,
            stroke_width=6,
            stroke_opacity=0.5,
        )
        text = MathTex(label, font_size=style.LABEL_SIZE, color=DERIVATIVE)
        text.move_to(point(LEFT_CENTER, top + 0.12))
        group.add(arrows, dots, theta, band, text)
        return group

    def beat_clip(self, beat: Beat) -> None:
        d = self.data.one_d
        upper = self.panel(
            2.3,
            r"\operatorname{clip}(y_i - \theta, \pm c)\ \text{(grey: unclipped)}",
            d.clipped,
            d.raw,
        )
        lower = self.panel(
            -0.75, r"\ell'_{\mathrm{Huber}}(y_i - \theta)\ \text{by autodiff}", d.huber, None
        )
        same = bool(np.array_equal(d.clipped, d.huber))
        check = MathTex(
            r"\text{identical}" if same else r"\text{differ}",
            font_size=style.LABEL_SIZE,
            color=style.THETA,
        ).next_to(lower[-1], RIGHT, buff=0.3)
        whole = self.share(self.timing.clip)
        self.animate(FadeIn(upper), share=0.45 * whole)
        self.animate(FadeIn(lower), FadeIn(check), share=0.55 * whole)

    # --- 2-D ---------------------------------------------------------------------------------

    def setup_plane(self) -> None:
        two = self.data.two_d
        everything = np.vstack([two.points, two.trajectory])
        lo = everything.min(axis=0) - 0.6
        hi = everything.max(axis=0) + 0.6
        span = float((hi - lo).max())
        center = (lo + hi) / 2
        self.scale = PLANE_SIZE / span
        self.center = center

    def to_scene(self, p: np.ndarray) -> np.ndarray:
        p = np.atleast_2d(p)
        xy = PLANE_CENTER[:2] + (p - self.center) * self.scale
        return np.column_stack([xy, np.zeros(len(xy))])

    def beat_vectors(self, beat: Beat) -> None:
        self.setup_plane()
        two = self.data.two_d
        frame = VMobject(stroke_color=style.MUTED, stroke_width=1.5)
        half = PLANE_SIZE / 2 + 0.1
        corners = PLANE_CENTER + np.array(
            [
                point(-half, -half),
                point(half, -half),
                point(half, half),
                point(-half, half),
                point(-half, -half),
            ]
        )
        frame.set_points_as_corners(corners)
        dots = VGroup(
            *[Dot(p, radius=0.07, color=style.OBSERVATION) for p in self.to_scene(two.points)]
        )
        target = self.to_scene(self.data.target)[0]
        mean_point = self.to_scene(two.points.mean(axis=0))[0]
        marks = VGroup(
            Text("×", font=style.FONT, font_size=30, color=style.REFERENCE_COLORS["mean"]).move_to(
                mean_point
            ),
            Text("×", font=style.FONT, font_size=30, color=style.THETA).move_to(target),
        )
        self.progress = ValueTracker(0.0)
        self.raw = Segments(stroke_color=style.MUTED, stroke_width=2, stroke_opacity=0.6)
        self.clipped = Segments(stroke_color=DERIVATIVE, stroke_width=5)
        self.mean_raw = Segments(stroke_color=style.REFERENCE_COLORS["mean"], stroke_width=6)
        self.mean_clipped = Segments(stroke_color=style.THETA, stroke_width=7)
        self.circle = Circle(
            radius=self.spec.clip * self.scale, stroke_color=style.THETA, stroke_width=2.5
        )
        self.mu = Dot(radius=0.09, color=style.THETA)
        self.trace = VMobject(stroke_color=style.THETA, stroke_width=2, stroke_opacity=0.7)
        key = VGroup(
            MathTex(r"\text{per-example } g_i", font_size=style.SMALL_SIZE, color=DERIVATIVE),
            MathTex(
                r"\text{mean } \bar g",
                font_size=style.SMALL_SIZE,
                color=style.REFERENCE_COLORS["mean"],
            ),
            MathTex(r"\text{mean of clipped}", font_size=style.SMALL_SIZE, color=style.THETA),
            MathTex(r"|g_i| \le c", font_size=style.SMALL_SIZE, color=style.THETA),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        key.move_to(frame.get_corner(UL) + np.array(point(0.15, -0.15)), aligned_edge=UL)
        self.moving = VGroup(
            self.trace,
            self.raw,
            self.circle,
            self.clipped,
            self.mean_raw,
            self.mean_clipped,
            self.mu,
        )
        self.update(self.moving)
        whole = self.share(self.timing.vectors)
        self.animate(Create(frame), FadeIn(dots), FadeIn(marks), share=0.4 * whole)
        self.animate(FadeIn(self.moving), FadeIn(key), share=0.6 * whole)

    def update(self, _m=None) -> None:
        two = self.data.two_d
        k, k1, f = step_blend(self.progress.get_value(), self.data.settled_at)
        mu = (1 - f) * two.trajectory[k] + f * two.trajectory[k1]
        raw = (1 - f) * two.raw[k] + f * two.raw[k1]
        clipped = (1 - f) * two.clipped[k] + f * two.clipped[k1]
        m = self.to_scene(mu)[0]
        n = len(raw)
        self.raw.set_segments(
            np.tile(m, (n, 1)), m + np.column_stack([raw * self.scale, np.zeros(n)])
        )
        self.clipped.set_segments(
            np.tile(m, (n, 1)), m + np.column_stack([clipped * self.scale, np.zeros(n)])
        )
        for seg, vec in (
            (self.mean_raw, raw.mean(axis=0)),
            (self.mean_clipped, clipped.mean(axis=0)),
        ):
            seg.set_segments(m[None], (m + np.append(vec * self.scale, 0.0))[None])
        self.circle.move_to(m)
        self.mu.move_to(m)
        path = self.to_scene(np.vstack([two.trajectory[: k + 1], mu[None]]))
        if len(path) >= 2:
            self.trace.set_points_as_corners(path)

    def beat_descent(self, beat: Beat) -> None:
        self.moving.add_updater(self.update)
        self.front([self.moving])
        self.animate(self.progress.animate.set_value(float(self.data.settled_at)), rate_func=linear)
        self.moving.remove_updater(self.update)
