"""The influence scene: one outlier walks away; mean, median, Huber and trimmed estimates follow
(or not), beside the influence curves (each loss's derivative, read as influence).
"""

import jax
import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Create,
    DecimalNumber,
    Dot,
    FadeIn,
    MathTex,
    Text,
    Triangle,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    linear,
)

from scenes import maths
from scenes.compute_kinds import InfluenceData
from scenes.maths.losses import derivative
from scenes.render import style
from scenes.render.axis_labels import axis_range
from scenes.render.builder import SceneBuilder
from scenes.render.shapes import data_line, point
from scenes.spec.timeline import Beat

LINE_Y = 1.2
LINE_LENGTH = 12.6
ESTIMATORS = ("mean", "median", "huber", "trimmed")
COLORS = {
    "mean": style.REFERENCE_COLORS["mean"],
    "median": style.REFERENCE_COLORS["median"],
    "huber": style.REFERENCE_COLORS["huber"],
    "trimmed": style.REFERENCE_COLORS["trimmed_mean"],
}
LABELS = {"mean": "mean", "median": "median", "huber": "Huber", "trimmed": "trimmed"}
TEX = {
    "mean": r"r",
    "median": r"\operatorname{sign} r",
    "huber": r"\operatorname{clip}(r, \pm\delta)",
    "trimmed": r"r\,[|r| \le c]",
}


class InfluenceSceneBuilder(SceneBuilder):
    data: InfluenceData

    def beat_intro(self, beat: Beat) -> None:
        self.animate(Write(self.make_title()), share=self.share(self.timing.intro))

    def beat_move(self, beat: Beat) -> None:
        """The scene appears, and the outlier walks the first half of its way."""
        self.build()
        appear = self.share(min(0.5, beat.seconds / 4))
        self.animate(FadeIn(self.static), FadeIn(self.moving), share=appear)
        self.walk_to(0.5)

    def beat_influence(self, beat: Beat) -> None:
        """The second half of the way, while the influence curves are read."""
        self.walk_to(1.0)

    def walk_to(self, fraction: float) -> None:
        last = len(self.data.frames.positions) - 1
        self.moving.add_updater(self.update)
        self.front([self.moving])
        self.animate(
            self.progress.animate.set_value(fraction * last),
            share=1.0 - self.beat_used,
            rate_func=linear,
        )
        self.moving.remove_updater(self.update)

    def build(self) -> None:
        f = self.data.frames
        y = self.data.observations
        values = np.concatenate([y, f.positions, f.mean])
        lo, hi, step = axis_range(float(values.min()) - 0.5, float(values.max()) + 0.5, ticks=12)
        self.line = data_line(lo, hi, step, LINE_LENGTH, 0, LINE_Y)
        self.lo, self.unit = lo, LINE_LENGTH / (hi - lo)
        dots = VGroup(
            *[Dot(point(self.to_x(v), LINE_Y), radius=0.07, color=style.OBSERVATION) for v in y]
        )
        self.outlier = Dot(radius=0.1, color=style.OBSERVATION)
        self.markers = {}
        self.numbers = {}
        legend = VGroup()
        for k, name in enumerate(ESTIMATORS):
            mark = (
                Triangle(color=COLORS[name], fill_opacity=1, stroke_width=0)
                .scale(0.1)
                .rotate(np.pi)
            )
            self.markers[name] = (mark, LINE_Y + 0.25 + 0.22 * k)
            number = DecimalNumber(
                0.0, num_decimal_places=3, font_size=style.LABEL_SIZE, color=COLORS[name]
            )
            label = Text(
                LABELS[name], font=style.FONT, font_size=style.LABEL_SIZE - 4, color=COLORS[name]
            )
            row = VGroup(label, number).arrange(RIGHT, buff=0.2)
            self.numbers[name] = number
            legend.add(row)
        legend.arrange(DOWN, aligned_edge=LEFT, buff=0.15).move_to(point(4.6, -1.35))
        self.progress = ValueTracker(0.0)
        self.plot = self.influence_plot()
        self.static = VGroup(self.line, dots, legend, self.plot)
        self.moving = VGroup(
            self.outlier,
            *[m for m, _ in self.markers.values()],
            *self.numbers.values(),
            self.curve_dots,
        )
        self.update(self.moving)

    def influence_plot(self) -> VGroup:
        spec = self.spec
        axes = Axes(
            x_range=(-6, 6, 2),
            y_range=(-3, 3, 1),
            x_length=6.4,
            y_length=3.2,
            tips=False,
            axis_config={
                "color": style.MUTED,
                "stroke_width": 2,
                "include_numbers": True,
                "font_size": style.SMALL_SIZE,
            },
        ).move_to(point(-2.9, -1.45))
        self.axes = axes
        r = np.linspace(-6, 6, 601)
        losses = {
            "mean": maths.make_loss("l2"),
            "median": maths.make_loss("l1"),
            "huber": maths.make_loss("huber", {"delta": spec.delta}),
            "trimmed": maths.make_loss("trimmed", {"c": spec.c}),
        }
        self.slopes = {name: jax.jit(derivative(loss)) for name, loss in losses.items()}
        group = VGroup(axes)
        # Reversed: the mean's unbounded line is drawn last, over the trimmed loss's middle part.
        for name in reversed(ESTIMATORS):
            values = np.asarray(self.slopes[name](r))
            jumps = np.flatnonzero(np.abs(np.diff(values)) > 0.5) + 1
            for seg in np.split(np.arange(len(r)), jumps):
                keep = seg[(values[seg] >= -3) & (values[seg] <= 3)]
                if len(keep) < 2:
                    continue
                piece = VMobject(stroke_color=COLORS[name], stroke_width=4 if name != "mean" else 3)
                piece.set_points_as_corners(
                    [axes.c2p(a, b) for a, b in zip(r[keep], values[keep], strict=True)]
                )
                group.add(piece)
        label = MathTex(
            r"\text{influence } \ell'(r) \text{ of the moving point}",
            font_size=style.SMALL_SIZE,
            color=style.TEXT,
        )
        label.next_to(axes, UP, buff=0.05)
        group.add(label)
        self.curve_dots = VGroup(*[Dot(radius=0.07, color=COLORS[name]) for name in ESTIMATORS])
        return group

    def to_x(self, v: float) -> float:
        return float(self.line.n2p(self.lo)[0] + (v - self.lo) * self.unit)

    def update(self, _m=None) -> None:
        f = self.data.frames
        s = self.progress.get_value()
        k = int(round(min(max(s, 0.0), len(f.positions) - 1)))
        x = f.positions[k]
        self.outlier.move_to(point(self.to_x(x), LINE_Y))
        for i, name in enumerate(ESTIMATORS):
            value = float(getattr(f, name)[k])
            mark, height = self.markers[name]
            mark.move_to(point(self.to_x(value), height))
            self.numbers[name].set_value(value)
            r = float(np.clip(x - value, -6, 6))
            pull = float(np.clip(self.slopes[name](np.array([x - value]))[0], -3, 3))
            self.curve_dots[i].move_to(self.axes.c2p(r, pull))


__all__ = ["LEFT", "Create", "InfluenceSceneBuilder"]
