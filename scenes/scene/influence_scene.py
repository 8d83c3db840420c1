"""The influence scene: one outlier walks away; mean, median, Huber and trimmed estimates follow
(or not), above the influence curve of each (its loss's derivative, read as influence).

Layout (scene units; the frame is 14.2 x 8, text inside the title-safe area, above the captions):

- top: the number line of the data. Its range holds the fixed observations and every estimate
  along the walk, so the data stay readable; where the outlier walks past the end, the line is
  broken and the outlier stands beyond the break with its value. Each estimate has its own row
  of markers above the line (its colour and marker shape), so equal estimates do not hide
  each other.
- below: four stacked panels, one per estimator, sharing one r axis and one y scale (the caps
  of the bounded curves at the same heights, the mean's line leaving its panel above them: the
  difference between unbounded and capped is seen, not read off tick numbers). A marker on each
  curve sits at the moving point's residual ``r = x - estimate``; once the mean's is above its
  panel it stands on the panel's top edge under an arrow, with its height (``l'(r) = r``) beside
  it. The r axis follows the outlier: its range grows with the largest residual and its ticks
  are labelled again; the y scale never changes, so nothing drawn on it moves.
- right of each panel, its direct label: marker, name, current estimate, formula.

Beats: the line and the estimates appear with the walk ("one observation walks away"); the
panels when the influence is named; during the hold a bar moves to each estimate as the
narration says it, and the trimmed note appears when the narration reaches it. Every number
drawn comes from ``scenes.compute.side_scenes`` (computed once, not per frame).
"""

import math

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    FadeIn,
    Line,
    NumberLine,
    Transform,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    linear,
)

from scenes.compute.loss_table import LOSS_TABLE
from scenes.compute.side_scenes import (
    ESTIMATE_DECIMALS,
    INFLUENCE_ESTIMATORS,
    INFLUENCE_LOSSES,
    OUTLIER_DECIMALS,
    InfluenceData,
)
from scenes.maths.axis import axis_range, decimals, nice_step
from scenes.maths.results import jump_indices
from scenes.numbers import fixed
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

ESTIMATORS = INFLUENCE_ESTIMATORS
# The palette role of each estimator: its colour and its marker shape.
ROLES = {"mean": "mean", "median": "median", "huber": "estimate", "trimmed": "trimmed_mean"}
COLORS = {name: style.PALETTE[role] for name, role in ROLES.items()}
# The built-in loss each estimator minimises.
LOSS_OF = INFLUENCE_LOSSES
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
# The largest cap (1, delta, c) stands at this share of a panel's half height.
CAP_SHARE = 0.6
HIGHLIGHT_SECONDS = 0.4  # the hold's box moving from one label to the next


class InfluenceSceneBuilder(SceneBuilder):
    data: InfluenceData

    def beat_intro(self, beat: Beat) -> None:
        self.animate(Write(self.make_title()), share=self.share(self.timing.intro))

    def beat_move(self, beat: Beat) -> None:
        """The data and the estimates appear, and the outlier walks the first half of its way."""
        self.build()
        appear = self.share(min(0.5, beat.seconds / 4))
        self.animate(FadeIn(self.static), FadeIn(self.moving), share=appear)
        self.walk_to(0.5)

    def beat_influence(self, beat: Beat) -> None:
        """The panels appear as the influence is named; then the second half of the way."""
        appear = self.share(min(0.6, beat.seconds / 4))
        self.animate(FadeIn(self.panels), share=appear)
        self.walk_to(1.0)

    def beat_hold(self, beat: Beat) -> None:
        """A bar moves to each estimate's label as the narration says its name, then to the
        trimmed note (which appears then): the picture follows the words instead of standing.
        """
        stops: list[tuple[float, VMobject, VMobject | None]] = []
        for name, label in zip(ESTIMATORS, self.labels, strict=True):
            at = self.said_at(beat, f"{LABELS[name]} ", first=True)
            if at is not None:
                stops.append((at, label, None))
        if self.note is not None:
            at = self.said_at(beat, "several minima", first=False)
            if at is not None:
                stops.append((at, self.note, self.note))
        if self.note is not None and not any(appears is not None for _, _, appears in stops):
            self.animate(FadeIn(self.note), share=self.share(HIGHLIGHT_SECONDS))
        box: VMobject | None = None
        for at, target, appears in sorted(stops, key=lambda stop: stop[0]):
            share = self.share(HIGHLIGHT_SECONDS)
            self.hold(until=min(max(at / beat.seconds, self.beat_used), 1.0 - share))
            frame = self.highlight(target)
            moves = [FadeIn(appears)] if appears is not None else []
            if box is None:
                box = frame
                self.animate(FadeIn(box), *moves, share=share)
            else:
                self.animate(Transform(box, frame), *moves, share=share)

    @staticmethod
    def said_at(beat: Beat, words: str, first: bool) -> float | None:
        """Seconds from the beat's start to where its narration says ``words`` (read from the
        caption cues' times, spread over their characters), or None when it does not.
        """
        for cue in beat.cues:
            found = cue.text.find(words) if first else cue.text.rfind(words)
            if found >= 0:
                share = found / max(len(cue.text), 1)
                return cue.start + share * (cue.end - cue.start) - beat.start
        return None

    @staticmethod
    def highlight(target: VMobject) -> VMobject:
        """A bar left of ``target``, as tall as it (a box would cross the labels above and
        below: they stand 0.1 apart).
        """
        x = float(target.get_left()[0]) - 0.14
        return Line(
            point(x, float(target.get_bottom()[1])),
            point(x, float(target.get_top()[1])),
            stroke_color=style.MUTED,
            stroke_width=6,
        )

    def walk_to(self, fraction: float) -> None:
        last = len(self.data.frames.positions) - 1
        self.moving.add_updater(self.update)
        shown = [self.moving]
        if self.panels in self.scene.mobjects:
            shown.append(self.panel_moving)
        self.front(shown)
        self.animate(
            self.progress.animate.set_value(fraction * last),
            share=1.0 - self.beat_used,
            rate_func=linear,
        )
        self.moving.remove_updater(self.update)

    # --- building -------------------------------------------------------------------------------

    def build(self) -> None:
        self.progress = ValueTracker(0.0)
        self.make_number_line()
        self.make_panels()
        # The data and the estimates (the labels' heads) first; the panels, their formulas and
        # what moves on them when the influence is named; the trimmed note in the hold.
        self.static = VGroup(self.line_group, *(label[0] for label in self.labels))  # type: ignore[arg-type]
        self.note = self.trimmed_note()
        self.moving = VGroup(
            self.outlier,
            self.outlier_value,
            *self.markers.values(),
            *self.values.values(),
        )
        self.panel_moving = VGroup(self.panel_content, *self.curve_markers.values(), self.off_scale)
        self.panels = VGroup(
            self.panel_frames,
            *(label[1] for label in self.labels),  # type: ignore[arg-type]
            self.panel_moving,
        )
        self.drawn_range: tuple[float, float] | None = None
        self.tick_labels: dict[tuple[str, float, int], Number] = {}
        self.update()

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
            0.0, OUTLIER_DECIMALS, style.SIZE_SMALL, style.OBSERVATION, include_sign=False
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
        # One y scale for every panel: the largest cap at CAP_SHARE of the half height.
        reach = max(1.0, float(spec.delta), float(spec.c)) / CAP_SHARE
        self.y_range = (-reach, reach)
        self.panel_frames = VGroup()
        for name in ESTIMATORS:
            bottom = self.bottoms[name]
            self.panel_frames.add(
                axis_line(point(PANEL_LEFT, bottom), point(PANEL_LEFT, bottom + PANEL_HEIGHT))
            )
        # The mean's panel: the largest whole number on the shared scale, both signs.
        whole = float(math.floor(reach))
        # Ticks at both signs, labelled above 0 only: on one scale the caps near 0 leave no room
        # for two labels (the curves are odd: the lower tick mirrors the labelled one).
        tick_tex = {
            "mean": (whole, fixed(whole, 0)),
            "median": (1.0, "1"),
            "huber": (spec.delta, r"\delta"),
            "trimmed": (spec.c, "c"),
        }
        for name, (value, tex) in tick_tex.items():
            for sign in (-1, 1):
                self.panel_frames.add(self.y_tick(float(self.panel_y(name, sign * value))))
            y = float(self.panel_y(name, value))
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
        # Inside the mean's panel, under its top edge: an arrow up beside its marker (pinned to
        # the edge) and the height the marker would have.
        self.off_arrow = Arrow(
            point(0, 0),
            point(0, 0.28),
            buff=0,
            color=COLORS["mean"],
            stroke_width=4,
            max_tip_length_to_length_ratio=0.5,
            # Manim thins a short arrow's stem to 5x its length: here it would be a hairline.
            max_stroke_width_to_length_ratio=20,
        )
        self.off_value = typeset.number(0.0, 1, style.SIZE_SMALL, COLORS["mean"])
        self.off_scale = VGroup(self.off_arrow, self.off_value)
        self.labels = VGroup()
        self.values = {}
        for name in ESTIMATORS:
            value = typeset.number(0.0, ESTIMATE_DECIMALS, style.SIZE_LABEL, COLORS[name])
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
        lo, hi = self.y_range
        return self.bottoms[name] + (np.asarray(value) - lo) / (hi - lo) * PANEL_HEIGHT

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
        lo, hi = self.data.r_ranges[k]
        self.r_range = (float(lo), float(hi))
        if self.r_range != self.drawn_range:
            swap_children(self.panel_content, list(self.draw_panels()))
            self.drawn_range = self.r_range
        for name in ESTIMATORS:
            r, pull = x - estimates[name], float(self.data.pulls[name][k])
            # Beyond the panel (the mean's only), the marker stands inside its edge.
            half = self.curve_markers[name].height / 2
            low, high = self.bottoms[name] + half, self.bottoms[name] + PANEL_HEIGHT - half
            y = min(max(float(self.panel_y(name, pull)), low), high)
            self.curve_markers[name].move_to(point(float(self.panel_x(r)), y))
        self.place_off_scale(x - estimates["mean"], float(self.data.pulls["mean"][k]))

    def place_off_scale(self, r: float, pull: float) -> None:
        """The mean's influence beyond its panel's top: an arrow up beside its marker (which
        stands on the top edge) and the height it would have, left of the arrow, inside the
        panel's upper half (hidden while the marker is inside the panel).
        """
        if pull <= self.y_range[1]:
            self.off_scale.set_opacity(0.0)
            return
        x = float(self.panel_x(r)) - MARKER_SIZE / 2 - 0.12
        edge = self.bottoms["mean"] + PANEL_HEIGHT
        self.off_arrow.put_start_and_end_on(point(x, edge - 0.32), point(x, edge - 0.02))
        self.show_value(self.off_value, pull)
        self.off_value.next_to(point(x - 0.06, edge - 0.155), LEFT, buff=0.05)
        self.off_scale.set_opacity(1.0)
        # The panel's zero line runs under the value: a rim of background colour around the
        # digits keeps them whole where the line passes (as map labels cross roads).
        self.off_value.set_stroke(style.BACKGROUND, width=6, opacity=1.0, background=True)

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
        inside = (self.data.curve_r >= lo) & (self.data.curve_r <= hi)
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
            self.curves[name] = self.curve(name, inside)
            group.add(self.curves[name])
        self.r_labels = self.r_axis(bottom)
        group.add(self.r_labels)
        return group

    def curve(self, name: str, inside: np.ndarray) -> VGroup:
        """The influence curve over the current r range, cut at the panel's top and bottom
        (only the mean's leaves its panel), from the samples computed once.
        """
        top = self.y_range[1]
        values = self.data.curves[name]
        keep = inside & (np.abs(values) <= top)
        r, values = self.data.curve_r[keep], values[keep]
        pieces = VGroup()
        bounds = np.concatenate([[0], jump_indices(values) + 1, [len(r)]])
        for start, stop in zip(bounds[:-1], bounds[1:], strict=True):
            if stop - start < 2:
                continue
            xs, ys = r[start:stop], values[start:stop]
            points = np.stack([self.panel_x(xs), self.panel_y(name, ys), np.zeros(len(xs))], axis=1)
            pieces.add(fast_stroked_curve(points, style.INFLUENCE_STROKES[name], COLORS[name]))
        return pieces

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
