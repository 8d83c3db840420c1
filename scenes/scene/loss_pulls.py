"""The loss scene's pulls: theta on the number line, one arrow per observation in a row above
its dot (from theta, as long as its pull, the greyed rest of the residual up to the dot), the net
pull, and the band theta +- the threshold; placed for any step of a descent.
"""

import math

import numpy as np
from manim import LEFT, RIGHT, Line, Mobject, ValueTracker, VGroup

from scenes.scene import style, typeset
from scenes.scene.builder import SAFE_RIGHT
from scenes.scene.curve_panels import SMALL_PANELS, CurvePanels, threshold
from scenes.scene.loss_line import (
    BAND_BOTTOM,
    BAND_TOP,
    THETA_LABEL_Y,
    LossLineBuilder,
)
from scenes.scene.number_line import LINE_Y
from scenes.scene.shapes import ArrowField, SegmentField, point, step_blend, threshold_band
from scenes.scene.strokes import mark_obstacle, marker

MAX_STEMS = 40
NET_ROW = 0.2
"""The mean pull's arrow: a row height of 0.2 gives a 0.16 head, between the dots and the rows."""
NET_Y = LINE_Y + 0.17
"""Its height: the head spans LINE_Y + 0.09 .. + 0.25, over the dots' tops (+0.075) and under
the lowest pull row (``BAND_BOTTOM`` = LINE_Y + 0.26)."""


def tex_words(words: str) -> str:
    r"""Words (a translation, say) safe inside LaTeX's ``\text{...}``."""
    special = {c: "\\" + c for c in "#$%&_{}"}
    special |= {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
    return "".join(special.get(c, c) for c in words)


class PullsBuilder(LossLineBuilder):
    """Theta and the pulls on it, over the number line (the loss scene's builder builds on it)."""

    # The small curve panels of the data beat on: the key of the pulls stands under them.
    panels: CurvePanels

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
        # Thinner than the pull rows' spacing allows and raised clear of the dots (radius
        # 0.075): at LINE_Y + 0.14 with a 0.22 head it covered the tops of the points it passed.
        self.net_arrow = ArrowField(1, NET_ROW, style.BALANCE)
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
        # Theta's pointer and its name are one sign (the name sits on the pointer's base).
        mark_obstacle(theta_mark, False)
        self.theta_marker = VGroup(theta_line, theta_mark, theta_label)
        self.theta_marker_x = 0.0
        self.band: VGroup | None = None
        if data.band is not None:
            self.band = self.make_band(data.band)
        sample = ArrowField(1, 0.2, arrow_color)
        sample.set_arrows(np.array([0.0]), np.array([0.5]), np.array([0.0]))
        pull_on = tex_words(self.screen_words("pull_on"))
        words = typeset.maths(
            rf"\text{{{pull_on} }} \theta\text{{: }} \ell'(y_i - \theta)",
            style.SIZE_SMALL,
            arrow_color,
        )
        key = VGroup(sample, words).arrange(RIGHT, buff=0.15)
        # In the right column, under the small panels and over the key of estimates. (The mean
        # pull's arrow has no row of its own: one more row pushed the key of estimates down
        # through the pull rows' lines; the estimate narration names it.)
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
        shade, edges = threshold_band(0, width, LINE_Y, BAND_TOP)
        crossing = threshold(self.data)
        symbol = crossing[1] if crossing is not None else r"\delta"
        # The value (and whether it adapts) is in the formula; the band says what it is.
        label = typeset.maths(rf"\theta \pm {symbol}", style.SIZE_SMALL, style.MUTED)
        # Beside theta's label, moving with it: on its left when that stays on screen all the
        # way (the key stands to the right), else on its right.
        # A space's width (0.2) clear of theta's label, so "θ θ ± δ" does not read "θθ ± δ".
        gap = self.theta_marker[2].width / 2 + 0.2
        side = 1 if self.fits_right_of_theta(label.width + gap) else -1
        label.move_to(point(side * (gap + label.width / 2), THETA_LABEL_Y))
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
        x = float(self.to_x(theta))
        x_lo, x_hi = self.line_ends()
        points = self.to_xs(observations)
        # One convention in every scene (the clipping scene's too): each arrow starts at theta
        # and points to its observation's side, as long as its pull (data units); the rest of
        # the residual, up to the observation, is grey: the part the loss does not count. An
        # arrow that would leave the line is cut at the line's end.
        tails = np.full(len(points), float(np.clip(x, x_lo, x_hi)))
        heads = np.clip(x + pulls * self.unit, x_lo, x_hi)
        ys = self.row_y[self.rank]
        self.arrows.set_arrows(tails, heads, ys)
        residual = points - x
        cut = np.abs(residual) > np.abs(pulls * self.unit) + 1e-9
        rest_from = np.where(np.sign(pulls) == np.sign(residual), heads, tails)
        self.clipped.set_segments(np.where(cut, rest_from, heads), np.where(cut, points, heads), ys)
        net_end = float(np.clip(x + pulls.mean() * self.unit, x_lo, x_hi))
        self.net_arrow.set_arrows(np.array([x]), np.array([net_end]), np.array([NET_Y]))
        shift = x - self.theta_marker_x
        if shift:
            self.theta_marker.shift(shift * RIGHT)
            if self.band is not None:
                self.band.shift(shift * RIGHT)
            self.theta_marker_x = x
