"""The curve panels of the loss scene: the loss, its density and its derivative, stacked on one
shared r axis, each on its own y range (so each fills its panel), labelled directly at its right
end; kinks such as Huber's +-delta are dashed guides through every panel, labelled on the
derivative's axis. Full size in the curve beats; small, at the top right, from the data beat on.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from manim import DOWN, LEFT, RIGHT, Mobject, NumberLine, VGroup, VMobject

from scenes.compute.loss import SceneData
from scenes.compute.loss_table import LOSS_TABLE, PARAMETERS
from scenes.compute.translation import SHARED_SCREEN, language_of, translate
from scenes.maths import jump_indices
from scenes.maths.axis import labelling, nice_step
from scenes.scene import formulas, style, typeset
from scenes.scene.builder import SAFE_TOP
from scenes.scene.shapes import (
    axis_line,
    clip_polyline,
    faint_line,
    guide_line,
    label_axis,
    point,
)
from scenes.scene.strokes import stroked_curve


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

RESIDUAL_CLEARANCE = 0.17
"""Above the bottom panel's bottom, what the r axis's name (centred on the axis) needs."""

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
        # Panels flattened under a long title: every label the symbol alone, as compact panels
        # show it (two lines would reach into the next panel's label, or down to the r axis's
        # name).
        self.symbols_only = box.compact or any(
            self.named_label(name).height > box.height + box.gap - RESIDUAL_CLEARANCE
            for name in names
        )
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

    def curve_word(self, name: str) -> str:
        """The curve's name in the scene's language (``screen/curve.<name>``)."""
        text_id = f"curve.{name}"
        source = SHARED_SCREEN["loss"][text_id]
        return translate(f"screen/{text_id}", source, language_of(self.data.spec))

    def named_label(self, name: str) -> VMobject:
        """The curve's name over its symbol."""
        color = getattr(self.data.spec.curves.colors, name)
        return VGroup(
            typeset.text(self.curve_word(name), style.SIZE_LABEL, color),
            typeset.maths(CURVE_SYMBOLS[name], style.SIZE_LABEL, color),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)

    def make_label(self, name: str, curve: VGroup) -> VMobject:
        """The curve's name right of its panel, at the height where the curve ends."""
        color = getattr(self.data.spec.curves.colors, name)
        label: VMobject
        if self.symbols_only:
            label = typeset.maths(CURVE_SYMBOLS[name], style.SIZE_LABEL, color)
        else:
            label = self.named_label(name)
        right = self.box.left + self.box.width
        values = getattr(self.data.curves, name)
        lo, hi = self.ranges[name]
        end = float(np.clip(values[-1], lo, hi)) if np.isfinite(values[-1]) else hi
        bottom = self.bottoms[name]
        half = label.height / 2
        low, high = bottom + half, bottom + self.box.height - half
        if not self.box.compact and bottom == min(self.bottoms.values()):
            # Clear of the r axis's name, level with the bottom panel's zero line (panels
            # flattened under a long title are lower than the label is tall: it stands higher).
            low += RESIDUAL_CLEARANCE
            high = max(high, low)
        # A label taller than its panel is aligned with the panel's top.
        y = min(max(float(self.to_y(name, end)), low), high)
        label.move_to(point(right + 0.25 + label.width / 2, y))
        return label
