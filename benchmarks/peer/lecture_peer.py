"""The lecture written by hand as plain, idiomatic Manim: the peer for benchmark (f).

Same beats, timings, data and picture as config/lecture.yaml, in the way a Manim user would write
it: ``Axes.plot`` for the curves, one ``always_redraw`` ``Arrow`` per observation, ``MathTex`` and
``Text``, Manim's default settings. Neither slowed down nor tuned. The numbers come from numpy
(hand-written derivatives, a fixed-step-halving descent), not from loss-scenes.

    manim -qm benchmarks/peer/lecture_peer.py SquaredPeer AbsolutePeer HuberPeer
"""

import numpy as np
from manim import (
    BLUE,
    DOWN,
    GREEN,
    LEFT,
    ORANGE,
    RIGHT,
    UL,
    UP,
    UR,
    WHITE,
    YELLOW,
    Arrow,
    Axes,
    Create,
    Dot,
    FadeIn,
    Line,
    MathTex,
    NumberLine,
    Scene,
    Text,
    Transform,
    ValueTracker,
    VGroup,
    Write,
    always_redraw,
    linear,
)

Y = np.array([-1.8, -0.6, -0.2, 0.1, 0.4, 0.9, 1.3, 6.0])
INTRO, CURVE, DATA, ESTIMATE, HOLD = 1.5, 2.0, 1.5, 6.0, 2.0
STEPS = 100


class LossPeer(Scene):
    title = ""
    formula = ""
    captions = ("", "", "", "")
    conclusion = ""

    def loss(self, r):
        raise NotImplementedError

    def grad(self, r):
        raise NotImplementedError

    def descend(self):
        theta, eta, trajectory, previous = -4.0, 0.5, [-4.0], 0.0
        for _ in range(STEPS):
            g = np.mean(self.grad(Y - theta))
            if g * previous < 0:
                eta *= 0.5
            previous = g
            theta = theta + eta * np.sign(g) * min(abs(g), 1.0) if g else theta
            trajectory.append(theta)
        return np.array(trajectory)

    def caption(self, text):
        if getattr(self, "_caption", None) is not None:
            self.remove(self._caption)
        self._caption = Text(text, font_size=22).move_to(3.62 * DOWN)
        if self._caption.width > 13:
            self._caption.scale_to_fit_width(13)
        self.add(self._caption)

    def construct(self):
        xs = np.linspace(-5, 5, 401)
        z = np.trapezoid(np.exp(-self.loss(xs)), xs)
        title = Text(self.title, font_size=36).to_corner(UL)
        formula = MathTex(self.formula, font_size=36).to_corner(UR)
        self.play(Write(title), FadeIn(formula, shift=0.2 * DOWN), run_time=INTRO / 2)
        axes = Axes(
            x_range=[-5, 5, 1], y_range=[-1.5, 3.5, 1], x_length=10, y_length=5.2, tips=False
        ).add_coordinates()
        axes.move_to([-0.9, -0.45, 0])
        self.play(Create(axes), run_time=INTRO / 2)
        plot = VGroup(axes)
        legend = VGroup()
        curves = [
            (lambda x: self.loss(x), BLUE, r"\ell(r)"),
            (lambda x: np.exp(-self.loss(x)) / z, GREEN, r"p(r)"),
            (lambda x: self.grad(x), ORANGE, r"\ell'(r)"),
        ]
        for (function, color, label), text in zip(curves, self.captions[:3], strict=True):
            graph = axes.plot(function, x_range=[-5, 5, 0.025], color=color, use_smoothing=False)
            entry = VGroup(Line(LEFT * 0.25, RIGHT * 0.25, color=color), MathTex(label))
            entry.arrange(RIGHT)
            if len(legend):
                entry.next_to(legend, DOWN, aligned_edge=LEFT)
            else:
                entry.next_to(axes, RIGHT).align_to(axes, UP)
            legend.add(entry)
            plot.add(graph)
            self.caption(text)
            self.play(Create(graph), FadeIn(entry, shift=0.2 * LEFT), run_time=CURVE)

        self.caption(" ")
        formula_target = formula.copy().scale(0.8).next_to(title, DOWN, aligned_edge=LEFT)
        legend_target = legend.copy().scale(0.85).next_to(formula_target, DOWN, aligned_edge=LEFT)
        self.play(
            Transform(formula, formula_target),
            Transform(legend, legend_target),
            Transform(plot, plot.copy().scale(0.56).to_corner(UR, buff=0.3)),
            run_time=0.4 * DATA,
        )
        line = NumberLine(x_range=[-5, 7, 1], length=12.4, include_numbers=True)
        line.move_to(1.75 * DOWN)
        dots = VGroup(*[Dot(line.n2p(y), color=WHITE) for y in Y])
        self.play(Create(line), FadeIn(dots, lag_ratio=0.1), run_time=0.3 * DATA)

        trajectory = self.descend()
        step = ValueTracker(0.0)

        def theta():
            s = step.get_value()
            k = min(int(s), STEPS - 1)
            return trajectory[k] + (s - k) * (trajectory[k + 1] - trajectory[k])

        rows = np.linspace(-1.3, 0.0, len(Y))
        arrows = [
            always_redraw(
                lambda i=i: Arrow(
                    [line.n2p(theta())[0], rows[i], 0],
                    [line.n2p(theta() + self.grad(Y[i] - theta()))[0], rows[i], 0],
                    buff=0,
                    color=ORANGE,
                    stroke_width=4,
                    max_tip_length_to_length_ratio=0.3,
                )
            )
            for i in range(len(Y))
        ]
        marker = always_redraw(
            lambda: VGroup(
                Line(
                    [line.n2p(theta())[0], -1.75, 0], [line.n2p(theta())[0], 0.2, 0], color=YELLOW
                ),
                MathTex(r"\theta", color=YELLOW).move_to([line.n2p(theta())[0], 0.45, 0]),
            )
        )
        self.play(FadeIn(marker), *[FadeIn(a) for a in arrows], run_time=0.3 * DATA)
        self.caption(self.captions[3])
        self.play(step.animate.set_value(STEPS), run_time=ESTIMATE, rate_func=linear)
        self.caption(self.conclusion.format(trajectory[-1]))
        self.wait(HOLD)


class SquaredPeer(LossPeer):
    title = "Squared loss: the mean"
    formula = r"\ell(r) = \tfrac{1}{2} r^2"
    captions = (
        "The blue curve is the loss: one half of y minus y hat, squared.",
        "Green is e to the minus loss, normalised over minus five to five: a Gaussian.",
        "Orange is its derivative, computed by JAX autodiff: y minus y hat.",
        "Each observation pulls theta by its gradient; descent settles where they balance: the mean.",  # noqa: E501
    )
    conclusion = "θ settled on the mean: {:.4g}"

    def loss(self, r):
        return 0.5 * r**2

    def grad(self, r):
        return r


class AbsolutePeer(LossPeer):
    title = "Absolute loss: the median"
    formula = r"\ell(r) = |r|"
    captions = (
        "The blue curve is the absolute value of y minus y hat.",
        "Exponentiated and normalised, it gives the green Laplace density.",
        "Its derivative, again from autodiff, is either minus one or one.",
        "Gradients balance with as many points left as right: statisticians call that the median.",
    )
    conclusion = "θ settled in the median interval: {:.4g}"

    def loss(self, r):
        return np.abs(r)

    def grad(self, r):
        return np.sign(r)


class HuberPeer(LossPeer):
    title = "Huber's robust loss"
    formula = r"\ell(r) = \begin{cases} r^2/2 & |r| \le \delta \\ \delta(|r| - \delta/2) & \text{else} \end{cases}"  # noqa: E501
    captions = (
        "A parabola in the middle, continued by straight lines: squint to see where it crosses over.",  # noqa: E501
        "The green density: Gaussian in the middle, Laplace in the tails.",
        "The orange derivative shows it at once: it is clipped at plus and minus delta.",
        "The extreme points pull with bounded force and cancel; the middle ones average out.",
    )
    conclusion = "θ settled on the Huber estimate: {:.4g}"

    def loss(self, r):
        a = np.abs(r)
        return np.where(a <= 1.0, 0.5 * r**2, a - 0.5)

    def grad(self, r):
        return np.clip(r, -1.0, 1.0)
