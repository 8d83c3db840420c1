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

The builder is built in layers, each in its own module: :mod:`scenes.scene.curve_panels` (the
panels), :mod:`scenes.scene.number_line` (the line every scene of a lecture shares),
:mod:`scenes.scene.loss_line` (the data, the reference estimates and their key),
:mod:`scenes.scene.loss_pulls` (theta and the pulls); this module plays the beats.
"""

from collections.abc import Callable
from dataclasses import replace

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
    ReplacementTransform,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    linear,
    smooth,
)

from scenes.compute.translation import SCREEN, language_of, source_scene, translate
from scenes.maths.results import Curves
from scenes.numbers import at_resolution, fixed, with_minus_signs
from scenes.scene import formulas, style, typeset
from scenes.scene.builder import SAFE_LEFT, SAFE_RIGHT, SAFE_TOP
from scenes.scene.curve_panels import FULL_PANELS, SMALL_PANELS, CurvePanels
from scenes.scene.layout_check import TEXT_CLASSES
from scenes.scene.loss_line import BALANCE_Y
from scenes.scene.loss_pulls import PullsBuilder
from scenes.scene.number_line import LINE_Y, number_line_for
from scenes.scene.shapes import ArrowField, open_spans, point, step_blend
from scenes.scene.strokes import mark_obstacle
from scenes.spec.timeline import Beat


def balance_scale(room: float) -> float:
    """The largest of 1, 1/2, 1/3, ... 1/20 at most ``room`` (the summed pulls' drawing scale)."""
    for denominator in range(1, 21):
        if 1 / denominator <= room:
            return 1 / denominator
    return 1 / 20


def taken_out_texts(group: Mobject) -> list[VMobject]:
    """The words and numbers in ``group``'s family (what the layout check counts as text), taken
    out of it.
    """
    texts: list[VMobject] = []
    inside: set[int] = set()  # the parts of a text taken out stay in it
    for parent in group.get_family():  # parents before their children
        if id(parent) in inside:
            inside.update(id(part) for part in parent.submobjects)
            continue
        for child in list(parent.submobjects):
            if isinstance(child, TEXT_CLASSES):
                parent.remove(child)
                texts.append(child)
                inside.add(id(child))
    return texts


class LossSceneBuilder(PullsBuilder):
    """Plays one loss scene onto a Manim ``Scene`` from precomputed :class:`SceneData`."""

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
        if r"\qquad" not in tex:
            return whole
        definition, parameters = tex.split(r"\qquad", 1)
        # Both forms are made whichever is shown, so that a first render's formula pass (which
        # lays the scene out with small stand-ins, where every formula fits) finds both and
        # typesets them in its one TeX run; asked for only when too wide, the two lines cost
        # Manim two runs of their own (1.7 s of the cold Huber scene).
        lines = VGroup(typeset.maths(definition, size), typeset.maths(parameters, size))
        if whole.width <= max_width:
            return whole
        return lines.arrange(DOWN, aligned_edge=LEFT, buff=0.08)

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
        self.small_box = box
        self.make_number_line()
        whole = self.share(self.timing.data)
        # The panels' parts were brought in one by one; the whole group is replaced at once.
        self.scene.remove(*self.panels.submobjects)
        self.scene.add(self.panels)

        # The formula fades out in place first, then the panels shrink towards their corner
        # and fade out (past where the formula stood), then the small panels and the formula
        # under the title fade in: a glyph morph slid the formula's second line through its
        # first and across the title, and a morph between the panel layouts scrambles labels,
        # dashes and ticks.
        def staged(start: float, end: float) -> Callable[[float], float]:
            return lambda t: smooth(min(1.0, max(0.0, (t - start) / (end - start))))

        # The old panels' words and numbers leave first, in place: moving, they would cross
        # the formula, and half drawn over the new panels' words they read as a smudge. Then
        # the lines shrink towards the corner while the small panels fade in (where the two
        # cross, each is about a fifth drawn: no frame shows the title alone), and last the
        # formula under the title.
        shrink = {
            "shift": small.get_center() - self.panels.get_center(),
            "scale": small.width / self.panels.width,
        }
        old_words = VGroup(*taken_out_texts(self.panels))
        self.animate(
            FadeOut(self.formula, rate_func=staged(0.0, 0.25)),
            FadeOut(old_words, rate_func=staged(0.0, 0.25)),
            FadeOut(self.panels, **shrink, rate_func=staged(0.2, 0.6)),
            FadeIn(small, rate_func=staged(0.35, 0.85)),
            FadeIn(formula_target, rate_func=staged(0.6, 1.0)),
            share=0.4 * whole,
        )
        self.panels = small
        self.formula = formula_target
        # The line and the points as they are said ("eight observations"). Theta and its pulls
        # come with the next beat's words about them; the reference estimates (markers, key)
        # wait for the arrival: shown now, they would give the answer away before theta moves.
        rest = 1.0 - 0.4 * whole
        self.animate(
            Create(self.number_line),
            FadeIn(self.dots, lag_ratio=0.3),
            share=0.6 * rest,
        )
        self.place_estimate()
        self.key = self.make_key(self.pull_key)
        self.keep_band_label_off(self.key)
        # The second start's answer is told in its own beat; its row's place is kept free.
        self.key.remove(*self.later_key)

    def beat_estimate(self, beat: Beat) -> None:
        """Theta and its pulls appear as they are named; then theta moves by the precomputed
        descent, one step per equal slice of the rest of the beat, until it has settled (the
        steps after that change nothing that can be seen).
        """
        self.animate(*[FadeIn(m) for m in self.estimate_parts], share=0.12)
        self.moving.add_updater(self.update_descent)
        self.front([self.moving])
        self.animate(self.progress.animate.set_value(float(self.data.settled_at)), rate_func=linear)
        self.moving.remove_updater(self.update_descent)

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
        # Both sums at one scale, their true length in the line's units when they fit between the
        # safe area's left edge and the key column, else at a simple fraction of it that the
        # label states (a schematic pair of arrows would hide how large the sums are).
        room = [
            (self.column_left - 0.3 - x) / (right * self.unit) if right > 0 else np.inf,
            (x - SAFE_LEFT) / (-left * self.unit) if left < 0 else np.inf,
        ]
        scale = balance_scale(float(min(room)))
        arrows = ArrowField(2, 0.34, style.BALANCE)
        arrows.set_arrows(
            np.array([x, x]),
            np.array([x + left * self.unit * scale, x + right * self.unit * scale]),
            np.array([BALANCE_Y, BALANCE_Y]),
        )
        # A tick at theta: two pulls leaving one point, not one interval.
        # It stops short of theta's label under it (reaching down into it, "θ" read as struck).
        theta_top = self.theta_marker[2].get_top()[1]
        tick = Line(
            point(x, max(BALANCE_Y - 0.17, theta_top + 0.06)),
            point(x, BALANCE_Y + 0.17),
            stroke_color=style.BALANCE,
            stroke_width=4,
        )
        mark_obstacle(tick)
        sums = VGroup(arrows, tick)
        lang = language_of(self.spec)
        fmt = lambda value: at_resolution(value, self.resolution, lang)  # noqa: E731
        words = translate(
            f"{source_scene(self.spec)}/pulls",
            SCREEN["loss"]["pulls"],
            lang,
            left=fmt(left),
            right=fmt(right),
        ).replace("-", "\u2212")
        if scale < 1:
            # The scale, said where the arrows are: beyond the left arrow's tip, on its line
            # (the right one reaches to the key column), or under the sums where there is none.
            # In full-size digits: DejaVu's one-glyph fractions (½, ⅓) are 14-15 px at 720p.
            fraction = f"1/{round(1 / scale)}"
            note = typeset.text(
                self.screen_words("scale", fraction=fraction), style.SIZE_SMALL, style.BALANCE
            )
            tip = x + left * self.unit * scale
            if tip - 0.15 - note.width >= SAFE_LEFT:
                note.move_to(point(tip - 0.15 - note.width / 2, BALANCE_Y))
                sums.add(note)
            else:
                words += "; " + self.screen_words("scale_words", fraction=fraction)
        label = typeset.text(words, style.SIZE_SMALL, style.BALANCE)
        # Over the balance, kept left of the key column (a word's gap from it: 0.3, 27 px at
        # 720p) and inside the safe area.
        label.move_to(point(x, BALANCE_Y + 0.22 + label.height / 2))
        label.shift(LEFT * max(0.0, label.get_right()[0] - (self.column_left - 0.3)))
        label.shift(RIGHT * max(0.0, SAFE_LEFT - label.get_left()[0]))
        # Under a tall formula, but never over the arrows it labels.
        room = self.formula.get_bottom()[1] - 0.1 - label.get_top()[1]
        if room < 0:
            label.shift(UP * max(room, BALANCE_Y + 0.2 - label.get_bottom()[1]))
        self.balance = VGroup(sums, label)
        # Theta has arrived: now the references that prove where it stopped.
        self.animate(FadeIn(self.references), FadeIn(self.key), share=self.share(0.8))
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
        lang = language_of(self.spec)
        # The changing numbers are typeset as the labels around them are (Pango's DejaVu Sans,
        # on their line's baseline), drawn again whenever their digits change.
        spread_words = self.screen_words("spread")
        spread = VGroup(typeset.text(f"{spread_words}{fixed(1.0, 2, lang)}", style.SIZE_SMALL))
        delta_row = typeset.maths(
            typeset.decimal_tex(
                r"\delta = 1.345\,\hat\sigma_{\mathrm{MAD}} = " + "0" * len(shown.replace(".", ""))
            ),
            style.SIZE_SMALL,
            style.TEXT,
        )
        # The placeholder digits set where delta's value stands; the value replaces them.
        digits = len(shown.replace(".", ""))
        slot = delta_row[0][-digits:]
        slot.set_opacity(0)
        delta_value = VGroup()
        delta_row.add(delta_value)
        drawn: dict[str, Mobject] = {}

        def redraw(group: VGroup, words: str, left: float, bottom: float) -> None:
            if words not in drawn:
                drawn[words] = typeset.text(words, style.SIZE_SMALL)
            mob = drawn[words].copy()
            mob.shift((left - mob.get_left()[0]) * RIGHT + (bottom - mob.get_bottom()[1]) * UP)
            # Manim lists the moving mobjects' families once, when an animation begins, and
            # draws that list on every frame: a replaced child would still be drawn where it
            # was. Emptied, it draws nothing.
            for old in group.submobjects:
                for member in old.get_family():
                    member.reset_points()
            group.submobjects = [mob]  # type: ignore[list-item]

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
        redraw(
            delta_value,
            fixed(float(adapt.deltas[0]), decimals, lang),
            slot.get_left()[0],
            slot.get_bottom()[1],
        )
        readout = VGroup(spread, delta_row)
        self.readout = readout
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
            redraw(
                spread,
                f"{spread_words}{fixed(float(blend(adapt.factors)), 2, lang)}",
                spread.get_left()[0],
                spread.get_bottom()[1],
            )
            redraw(
                delta_value, fixed(delta, decimals, lang), slot.get_left()[0], slot.get_bottom()[1]
            )

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
        # The small curves change with delta: they end drawn for the last delta, as the formula
        # says it (a fixed inset would still show the first delta's kinks).
        assert adapt.final_curves is not None  # compute samples them for every adapt beat
        final = self.panels_for_delta(float(adapt.deltas[-1]), adapt.final_curves)
        self.animate(
            progress.animate.set_value(float(last)),
            FadeOut(self.panels),
            FadeIn(final),
            rate_func=smooth,
        )
        self.panels = final
        moving.remove_updater(update)

    def beat_hold(self, beat: Beat) -> None:
        """The result stands; after the threshold adapted, theta's new value is written under
        the readout, as the narration says it (the key of estimates left with the old data).
        """
        adapt = self.data.adaptation
        if adapt is None or getattr(self, "readout", None) is None:
            return
        value = at_resolution(float(adapt.estimates[-1]), self.resolution)
        label = typeset.maths(
            typeset.decimal_tex(rf"\theta = {value}"), style.SIZE_SMALL, style.THETA
        )
        label.next_to(self.readout[0], DOWN, buff=0.15, aligned_edge=LEFT)
        self.animate(FadeIn(label), share=self.share(0.6))

    def panels_for_delta(self, delta: float, curves: Curves) -> CurvePanels:
        """The small curve panels of this loss with its threshold at ``delta`` (``curves``, as
        compute sampled them for it), in their place.
        """
        data = self.data
        params = {**data.loss_params, "delta": delta}
        return CurvePanels(replace(data, loss_params=params, curves=curves), self.small_box)

    def broken_line(self, line: DashedLine, x: float, *others: VMobject) -> VMobject:
        """The first answer's dashed line, interrupted where it would cross text that stands
        there at the end (the second answer's label, theta's label and the band's name at the
        second answer): a gap of 0.08 above and below each.
        """
        bottom, top = line.get_bottom()[1], line.get_top()[1]
        assert self.data.restart is not None  # a restart beat has its second descent
        second = self.to_x(self.data.restart.descent.estimate)
        boxes = [
            (o.get_left()[0], o.get_right()[0], o.get_bottom()[1], o.get_top()[1]) for o in others
        ]
        shift = second - self.theta_marker_x
        texts = [self.theta_marker[2]]
        if self.band is not None:
            texts.append(self.band[2])
        for text in texts:
            boxes.append(
                (
                    text.get_left()[0] + shift,
                    text.get_right()[0] + shift,
                    text.get_bottom()[1],
                    text.get_top()[1],
                )
            )
        gaps = [
            (lo - 0.08, hi + 0.08)
            for left, right, lo, hi in boxes
            if left - 0.06 <= x <= right + 0.06
        ]
        if not gaps:
            mark_obstacle(line)
            return line
        return VGroup(
            *[self.dashed_piece(x, a, b) for a, b in open_spans(bottom, top, gaps, shortest=0.1)]
        )

    @staticmethod
    def dashed_piece(x: float, y0: float, y1: float) -> DashedLine:
        piece = DashedLine(
            point(x, y0),
            point(x, y1),
            stroke_color=style.MUTED,
            stroke_width=3,
            dash_length=0.08,
        )
        mark_obstacle(piece)
        return piece

    def beat_restart(self, beat: Beat) -> None:
        """A second descent from ``estimate.second_start``: the first answer stays as a ghost
        with its value; theta descends again and its answer is labelled and keyed beside it.
        """
        restart = self.data.restart
        assert restart is not None
        fmt = lambda value: with_minus_signs(self.value_text(value))  # noqa: E731
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
        ghost_label = typeset.text(
            self.screen_words("from_start", start=fmt(first_start), value=fmt(first)),
            style.SIZE_SMALL,
        )
        new_label = typeset.text(
            self.screen_words("from_start", start=fmt(restart.start), value=fmt(second)),
            style.SIZE_SMALL,
        )
        label_y = BALANCE_Y + 0.1
        for label, x, leftwards in (
            (ghost_label, ghost_x, left_first),
            (new_label, new_x, not left_first),
        ):
            side = -1 if leftwards else 1
            label.move_to(point(x + side * (0.1 + label.width / 2), label_y))
            label.shift(RIGHT * max(0.0, SAFE_LEFT - label.get_left()[0]))
            # Well clear of the key: 0.15 read as one line with the key row beside it.
            label.shift(LEFT * max(0.0, label.get_right()[0] - (self.column_left - 0.4)))
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
        ghost_drawn = self.broken_line(ghost_line, ghost_x, new_label)
        # The balance belongs to the first answer; it goes before the labels come, at its place.
        self.animate(FadeOut(self.balance), share=self.share(0.4))
        self.animate(Create(ghost_drawn), FadeIn(ghost_label), share=self.share(0.6))
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
