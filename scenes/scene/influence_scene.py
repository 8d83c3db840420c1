"""The influence scene: one outlier walks away; mean, median, Huber and trimmed estimates follow
(or not), above the influence curve of each (its loss's derivative, read as influence).

Layout (scene units; the frame is 14.2 x 8, text inside the title-safe area, above the captions):

- top: the number line of the data. Its range holds the fixed observations and every estimate
  along the walk, so the data stay readable; where the outlier walks past the end, the line is
  broken and the outlier stands beyond the break with its value. Each estimate has its own row
  of markers above the line (its colour and marker shape), so equal estimates do not hide
  each other.
- below: four stacked panels, one per estimator, sharing one r axis and each on its own y range
  (so every curve fills its panel). A marker on each curve sits at the moving point's residual
  ``r = x - estimate``. The r axis follows the outlier: its range grows with the largest residual
  and its ticks are labelled again, and the mean's y range is the r range itself, so the mean's
  marker is never clamped: its unbounded influence is read off its growing y axis.
- right of each panel, its direct label: marker, name, current estimate, formula.
"""

import math

import jax
import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    FadeIn,
    Line,
    NumberLine,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    linear,
)

from scenes import maths
from scenes.compute.loss_table import LOSS_TABLE
from scenes.compute.side_scenes import InfluenceData
from scenes.maths.axis import axis_range, decimals, nice_step
from scenes.maths.curves import jump_indices
from scenes.maths.influence import influence_curve
from scenes.maths.losses import derivative
from scenes.scene import style, typeset
from scenes.scene.builder import SAFE_LEFT, SAFE_RIGHT, SAFE_TOP, SceneBuilder
from scenes.scene.shapes import (
    axis_line,
    faint_line,
    guide_line,
    label_axis,
    place_line,
    point,
    swap_children,
)
from scenes.scene.strokes import fast_stroked_curve, marker
from scenes.scene.typeset import Number
from scenes.spec.timeline import Beat

ESTIMATORS = ("mean", "median", "huber", "trimmed")
# The palette role of each estimator: its colour and its marker shape.
ROLES = {"mean": "mean", "median": "median", "huber": "estimate", "trimmed": "trimmed_mean"}
COLORS = {name: style.PALETTE[role] for name, role in ROLES.items()}
# The built-in loss each estimator minimises.
LOSS_OF = {"mean": "l2", "median": "l1", "huber": "huber", "trimmed": "trimmed"}
# Named as the loss table names them: the mean and the median by what they are (their losses'
# targets), the others by their loss's words ("Huber", "trimmed").
LABELS = {
    name: entry.target if entry.target in ("mean", "median") else entry.words
    for name, entry in ((name, LOSS_TABLE[loss]) for name, loss in LOSS_OF.items())
}
TEX = {
    "mean": r"\ell'(r) = r",
    "median": r"\ell'(r) = \operatorname{sign} r",
    "huber": r"\ell'(r) = \operatorname{clip}(r, \pm\delta)",
    "trimmed": r"\ell'(r) = r\,[|r| \le c]",
}
# What scenes.maths.influence computes for the trimmed estimate, said on screen.
TRIMMED_NOTE = ("trimmed: of its several minima,", "the one reached from the median")

# --- geometry ---------------------------------------------------------------------------------

LINE_Y = 2.05
LINE_MARGIN = 0.25  # from the safe area's sides to the ends of the number line
FAR_WIDTH = 1.5  # room beyond a break in the line for the outlier and its value
MARKER_SIZE = 0.18
ROW_FIRST = 0.27  # the lowest row of estimate markers, above the line
ROW_STEP = 0.2

PANEL_LEFT = -5.35
PANEL_WIDTH = 6.85
PANEL_TOP = 1.37
PANEL_HEIGHT = 0.68
PANEL_GAP = 0.1
LABEL_LEFT = PANEL_LEFT + PANEL_WIDTH + 0.5
# Below this |r| the r axis stops shrinking: the kinks at +-delta and +-c stay wide apart.
R_SPAN_FACTOR = 1.6
R_MARGIN = 1.1  # the r axis reaches this times the largest residual: no marker on its edge
SAMPLES = 801


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

    # --- building -------------------------------------------------------------------------------

    def build(self) -> None:
        spec = self.spec
        params = {"huber": {"delta": spec.delta}, "trimmed": {"c": spec.c}}
        losses = {name: maths.make_loss(LOSS_OF[name], params.get(name)) for name in ESTIMATORS}
        self.slopes = {name: jax.jit(derivative(loss)) for name, loss in losses.items()}
        self.progress = ValueTracker(0.0)
        self.make_number_line()
        self.make_panels()
        self.static = VGroup(self.line_group, self.panel_frames, self.labels)
        note = self.trimmed_note()
        if note is not None:
            self.static.add(note)
        self.moving = VGroup(
            self.outlier,
            self.outlier_value,
            *self.markers.values(),
            *self.values.values(),
            self.panel_content,
            *self.curve_markers.values(),
        )
        self.drawn_range: tuple[float, float] | None = None
        self.tick_labels: dict[tuple[str, float, int], Number] = {}
        self.update(self.moving)

    def make_number_line(self) -> None:
        """The data's number line; beyond a break at either end, room for the far outlier."""
        f = self.data.frames
        y = self.data.observations
        core = np.concatenate([y, [f.positions[0]], f.mean, f.median, f.huber, f.trimmed])
        lo, hi, step = axis_range(float(core.min()) - 0.3, float(core.max()) + 0.3, ticks=10)
        self.line_lo, self.line_hi = lo, hi
        self.far_left = bool(f.positions.min() < lo)
        self.far_right = bool(f.positions.max() > hi)
        left = SAFE_LEFT + LINE_MARGIN + (FAR_WIDTH if self.far_left else 0.0)
        right = SAFE_RIGHT - LINE_MARGIN - (FAR_WIDTH if self.far_right else 0.0)
        self.line = NumberLine(x_range=(lo, hi, step), length=right - left, color=style.MUTED)
        note = label_axis(self.line, lo, hi, step, font_size=style.SIZE_SMALL)
        if note is not None:
            note.next_to(self.line.get_left(), UP, buff=0.22, aligned_edge=LEFT)
        place_line(self.line, (left + right) / 2, LINE_Y)
        self.line_group = VGroup(self.line)
        for side, far in ((-1, self.far_left), (1, self.far_right)):
            if far:
                self.line_group.add(self.far_zone(side))
        self.line_group.add(
            *[marker("observation", 0.14).move_to(point(self.to_x(v), LINE_Y)) for v in y]
        )
        self.outlier = marker("observation", 0.2)
        self.outlier_value = typeset.number(
            0.0, 1, style.SIZE_SMALL, style.OBSERVATION, include_sign=False
        )
        self.markers = {name: marker(ROLES[name], MARKER_SIZE, COLORS[name]) for name in ESTIMATORS}

    def far_zone(self, side: int) -> VGroup:
        """A break mark (two slashes) after the line's end and a stub with an arrow beyond it:
        the line goes on, out of scale, to where the outlier is.
        """
        end = float(self.line.n2p(self.line_hi if side > 0 else self.line_lo)[0])
        group = VGroup()
        for offset in (0.16, 0.28):
            x = end + side * offset
            group.add(
                Line(
                    point(x - 0.06, LINE_Y - 0.14),
                    point(x + 0.06, LINE_Y + 0.14),
                    stroke_color=style.MUTED,
                    stroke_width=3,
                )
            )
        stub_start, stub_end = end + side * 0.45, end + side * (FAR_WIDTH - 0.05)
        group.add(
            Line(point(stub_start, LINE_Y), point(stub_end, LINE_Y), stroke_color=style.MUTED)
            .set_stroke(width=2)
            .add_tip(tip_length=0.16, tip_width=0.16)
        )
        return group

    def far_x(self, side: int) -> float:
        """Where the outlier stands beyond the break on ``side``."""
        end = float(self.line.n2p(self.line_hi if side > 0 else self.line_lo)[0])
        return end + side * 0.85

    def make_panels(self) -> None:
        """The four panels' fixed parts (zero lines, frames' left edges, y labels of the bounded
        curves) and the holder of what is drawn again as the r axis follows the outlier.
        """
        spec = self.spec
        self.bottoms = {
            name: PANEL_TOP - PANEL_HEIGHT - k * (PANEL_HEIGHT + PANEL_GAP)
            for k, name in enumerate(ESTIMATORS)
        }
        # Bounded curves: a fixed y range with the bound at 60% of the half height.
        bounds = {"median": 1.0, "huber": float(spec.delta), "trimmed": float(spec.c)}
        self.y_ranges: dict[str, tuple[float, float]] = {
            name: (-bound / 0.6, bound / 0.6) for name, bound in bounds.items()
        }
        self.panel_frames = VGroup()
        for name in ESTIMATORS:
            bottom = self.bottoms[name]
            self.panel_frames.add(
                axis_line(point(PANEL_LEFT, bottom), point(PANEL_LEFT, bottom + PANEL_HEIGHT))
            )
        tick_tex = {
            "median": ((1.0, "1"), (-1.0, "-1")),
            "huber": ((spec.delta, r"\delta"), (-spec.delta, r"-\delta")),
            "trimmed": ((spec.c, "c"), (-spec.c, "-c")),
        }
        for name, ticks in tick_tex.items():
            for value, tex in ticks:
                y = float(self.panel_y(name, value))
                self.panel_frames.add(self.y_tick(y))
                self.panel_frames.add(
                    typeset.maths(tex, style.SIZE_SMALL, style.MUTED).next_to(
                        point(PANEL_LEFT - 0.1, y), LEFT, buff=0.08
                    )
                )
        # What r is, level with the r axis's tick labels, right of them (fixed: it is words).
        r_name = typeset.maths(
            r"r = \text{outlier} - \text{estimate}", style.SIZE_SMALL, style.MUTED
        )
        r_name.move_to(point(LABEL_LEFT + r_name.width / 2, self.bottoms[ESTIMATORS[-1]] - 0.31))
        self.panel_frames.add(r_name)
        self.panel_content = VGroup()
        self.curve_markers = {
            name: marker(ROLES[name], MARKER_SIZE, COLORS[name]) for name in ESTIMATORS
        }
        self.labels = VGroup()
        self.values = {}
        for name in ESTIMATORS:
            value = typeset.number(0.0, 3, style.SIZE_LABEL, COLORS[name])
            head = VGroup(
                marker(ROLES[name], MARKER_SIZE, COLORS[name]),
                typeset.text(LABELS[name], style.SIZE_LABEL, COLORS[name]),
            ).arrange(RIGHT, buff=0.15)
            formula = typeset.maths(TEX[name], style.SIZE_SMALL, COLORS[name])
            label = VGroup(head, formula).arrange(DOWN, aligned_edge=LEFT, buff=0.08)
            middle = self.bottoms[name] + PANEL_HEIGHT / 2
            label.move_to(point(LABEL_LEFT + label.width / 2, middle))
            value.next_to(head, RIGHT, buff=0.3)
            self.values[name] = value
            self.labels.add(label)

    def trimmed_note(self) -> VMobject | None:
        """Which minimum the trimmed estimate is (its loss has several; the trimmed scene may
        settle on another): top right, beside the title, where nothing else stands. A title too
        long to leave room for it leaves it to the closing narration, which says it too.
        """
        note = VGroup(
            *[typeset.text(words, style.SIZE_SMALL, COLORS["trimmed"]) for words in TRIMMED_NOTE]
        ).arrange(DOWN, aligned_edge=RIGHT, buff=0.1)
        # The title as beat_intro shows it (the same words, wrapped the same way).
        if self.make_title().get_right()[0] + 0.4 > SAFE_RIGHT - note.width:
            return None
        return note.move_to(point(SAFE_RIGHT - note.width / 2, SAFE_TOP - note.height / 2))

    @staticmethod
    def y_tick(y: float) -> Line:
        return axis_line(point(PANEL_LEFT - 0.08, y), point(PANEL_LEFT, y))

    # --- coordinates ----------------------------------------------------------------------------

    def to_x(self, v: float) -> float:
        return float(self.line.n2p(v)[0])

    def panel_x(self, r: np.ndarray | float) -> np.ndarray:
        lo, hi = self.r_range
        return PANEL_LEFT + (np.asarray(r) - lo) / (hi - lo) * PANEL_WIDTH

    def panel_y(self, name: str, value: np.ndarray | float) -> np.ndarray:
        lo, hi = self.y_ranges[name]
        return self.bottoms[name] + (np.asarray(value) - lo) / (hi - lo) * PANEL_HEIGHT

    def r_range_at(self, residuals: np.ndarray) -> tuple[float, float]:
        """The shared r axis for these residuals of the moving point: never narrower than the
        kinks need, and wide enough that every residual is inside with a margin.
        """
        floor = R_SPAN_FACTOR * max(self.spec.delta, self.spec.c, 1.0)
        return (
            min(-floor, R_MARGIN * float(residuals.min())),
            max(floor, R_MARGIN * float(residuals.max())),
        )

    # --- every frame ----------------------------------------------------------------------------

    def frame_index(self) -> int:
        last = len(self.data.frames.positions) - 1
        return int(round(min(max(self.progress.get_value(), 0.0), last)))

    def update(self, _m=None) -> None:
        f = self.data.frames
        k = self.frame_index()
        x = float(f.positions[k])
        estimates = {name: float(getattr(f, name)[k]) for name in ESTIMATORS}
        self.place_outlier(x)
        for row, name in enumerate(ESTIMATORS):
            y = LINE_Y + ROW_FIRST + ROW_STEP * row
            self.markers[name].move_to(point(self.to_x(estimates[name]), y))
            self.show_value(self.values[name], estimates[name])
        residuals = {name: x - value for name, value in estimates.items()}
        self.r_range = self.r_range_at(np.array(list(residuals.values())))
        # The mean's influence is r itself: its y range is the r range, so it is never clamped.
        self.y_ranges["mean"] = self.r_range
        if self.r_range != self.drawn_range:
            swap_children(self.panel_content, list(self.draw_panels()))
            self.drawn_range = self.r_range
        for name, r in residuals.items():
            pull = float(self.slopes[name](np.array([r]))[0])
            self.curve_markers[name].move_to(
                point(float(self.panel_x(r)), float(self.panel_y(name, pull)))
            )

    def show_value(self, number: Number, value: float) -> None:
        """Set a number that changes as the outlier walks, only when what it shows changes
        (setting one typesets its digits again: tens of milliseconds each frame).
        """
        shown = round(value, number.num_decimal_places)
        if shown != round(number.number, number.num_decimal_places):
            number.set_value(value)

    def tick_label(self, axis: str, value: float, places: int) -> Number:
        """The label of ``value`` on ``axis`` ("r" or "mean"), made once and reused as the r axis
        follows the outlier (one per axis: both may show the same value at once).
        """
        key = (axis, round(value, places), places)
        if key not in self.tick_labels:
            self.tick_labels[key] = typeset.number(value, places, style.SIZE_SMALL, style.MUTED)
        return self.tick_labels[key]

    def place_outlier(self, x: float) -> None:
        """On the line when inside its range; else beyond the break, with its value above it
        (below are the line's tick labels; above the break no estimate ever stands).
        """
        if self.line_lo <= x <= self.line_hi:
            self.outlier.move_to(point(self.to_x(x), LINE_Y))
            self.outlier_value.set_opacity(0.0)
            return
        side = 1 if x > self.line_hi else -1
        far = self.far_x(side)
        self.outlier.move_to(point(far, LINE_Y))
        self.show_value(self.outlier_value, x)
        self.outlier_value.set_opacity(1.0)
        self.outlier_value.next_to(point(far, LINE_Y), UP, buff=0.2)

    def draw_panels(self) -> VGroup:
        """What depends on the r range: zero lines, the r axis, the curves, the kinks' guides,
        the mean's y labels.
        """
        lo, hi = self.r_range
        group = VGroup()
        self.curves: dict[str, VGroup] = {}
        right = PANEL_LEFT + PANEL_WIDTH
        x0 = float(self.panel_x(0.0))
        bottom = self.bottoms[ESTIMATORS[-1]]
        group.add(faint_line(point(x0, bottom), point(x0, PANEL_TOP)))
        r = np.union1d(np.linspace(lo, hi, SAMPLES), [0.0])
        kinks = {"huber": float(self.spec.delta), "trimmed": float(self.spec.c)}
        for name in ESTIMATORS:
            zero = float(self.panel_y(name, 0.0))
            group.add(axis_line(point(PANEL_LEFT, zero), point(right, zero)))
            if name in kinks:
                for sign in (-1, 1):
                    gx = float(self.panel_x(sign * kinks[name]))
                    group.add(
                        guide_line(
                            point(gx, self.bottoms[name]),
                            point(gx, self.bottoms[name] + PANEL_HEIGHT),
                        )
                    )
            self.curves[name] = self.curve(name, r)
            group.add(self.curves[name])
        self.mean_labels = self.mean_axis_labels()
        self.r_labels = self.r_axis(bottom)
        group.add(self.mean_labels, self.r_labels)
        return group

    def curve(self, name: str, r: np.ndarray) -> VGroup:
        values = influence_curve(self.slopes[name], r)
        pieces = VGroup()
        bounds = np.concatenate([[0], jump_indices(values) + 1, [len(r)]])
        for start, stop in zip(bounds[:-1], bounds[1:], strict=True):
            if stop - start < 2:
                continue
            xs, ys = r[start:stop], values[start:stop]
            points = np.stack([self.panel_x(xs), self.panel_y(name, ys), np.zeros(len(xs))], axis=1)
            pieces.add(fast_stroked_curve(points, style.INFLUENCE_STROKES[name], COLORS[name]))
        return pieces

    def mean_axis_labels(self) -> VGroup:
        """The mean's y axis: one labelled tick, the round value furthest from 0 in its range,
        on the side the outlier went (its range changes with the r axis, so this number is what
        shows the influence growing).
        """
        lo, hi = self.y_ranges["mean"]
        reach = max(hi, -lo)  # > 0: the r axis always reaches past the kinks on both sides
        # Three ticks' worth: the step is under the reach, so the tick is not 0.
        step = nice_step(reach, 3)
        extreme = math.floor(reach / step) * step * (1 if hi >= -lo else -1)
        y = float(self.panel_y("mean", extreme))
        label = self.tick_label("mean", extreme, decimals(step))
        label.next_to(point(PANEL_LEFT - 0.1, y), LEFT, buff=0.08)
        return VGroup(self.y_tick(y), label)

    def r_axis(self, bottom: float) -> VGroup:
        """The shared r axis under the last panel, its ticks labelled for the current range."""
        lo, hi = self.r_range
        right = PANEL_LEFT + PANEL_WIDTH
        group = VGroup(axis_line(point(PANEL_LEFT, bottom), point(right, bottom)))
        step = nice_step(hi - lo, 7)
        for k in range(math.ceil(lo / step), math.floor(hi / step) + 1):
            v = k * step
            x = float(self.panel_x(v))
            group.add(axis_line(point(x, bottom), point(x, bottom - 0.08)))
            label = self.tick_label("r", v, decimals(step))
            label.next_to(point(x, bottom - 0.08), DOWN, buff=0.08)
            if v < 0:
                # Centre the digits, not the minus sign, under the tick.
                label.shift(label[0].width / 2 * LEFT)
            group.add(label)
        return group


__all__ = ["InfluenceSceneBuilder"]
