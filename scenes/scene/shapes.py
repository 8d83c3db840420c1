"""Mobjects drawn straight from numpy arrays, cheap enough to update every frame."""

import math

import numpy as np
from manim import UP, Line, NumberLine, Rectangle, VGroup, VMobject

from scenes.scene import style
from scenes.scene.strokes import fast_stroked_curve, line_beziers


def point(x: float, y: float) -> np.ndarray:
    """A scene point (Manim wants 3-D float arrays)."""
    return np.array([float(x), float(y), 0.0])


def axis_line(start: np.ndarray, end: np.ndarray) -> Line:
    """An axis, a tick or a panel's edge: solid, muted."""
    return Line(start, end, stroke_color=style.MUTED, stroke_width=2)


GUIDE_STROKE = style.Stroke("dashed", width=2, dash=0.07, gap=0.07)


def guide_line(start: np.ndarray, end: np.ndarray) -> VMobject:
    """A threshold carried across a picture (delta, c): dashed, muted; one mobject (a
    ``DashedLine`` is one per dash, and a panel transform would align every dash).
    """
    return fast_stroked_curve(np.array([start, end], dtype=float), GUIDE_STROKE, style.MUTED)


def faint_line(start: np.ndarray, end: np.ndarray) -> Line:
    """A reference that must not compete with the curves (r = 0): thin and half see-through."""
    return Line(start, end, stroke_color=style.MUTED, stroke_width=1, stroke_opacity=0.6)


def place_line(line: NumberLine, x: float, y: float) -> NumberLine:
    """Centre a number line horizontally on ``x`` with the line itself (not its numbers) at ``y``.

    ``move_to`` centres the whole mobject, numbers included, which leaves the line (and every dot
    placed at ``y``) a little apart.
    """
    line.set_x(x)
    line.shift((y - line.n2p(line.x_range[0])[1]) * UP)
    return line


def threshold_band(x: float, width: float, bottom: float, top: float) -> tuple[Rectangle, VGroup]:
    """The band theta +- a threshold (delta, c) around scene x ``x``, ``width`` wide, from
    ``bottom`` to ``top``: a muted shade and its dashed edges.
    """
    shade = Rectangle(
        width=width,
        height=top - bottom,
        fill_color=style.MUTED,
        fill_opacity=0.14,
        stroke_width=0,
    ).move_to(point(x, (top + bottom) / 2))
    edges = VGroup(
        *[
            guide_line(point(x + s * width / 2, bottom), point(x + s * width / 2, top))
            for s in (-1, 1)
        ]
    )
    return shade, edges


def free_row(row_right: list[float], left: float, right: float) -> int:
    """The first row of markers (0 nearest the line) whose last marker ends before ``left``, a
    new row when none does; that row now ends at ``right``. ``row_right`` is updated in place.
    """
    row = 0
    while row < len(row_right) and row_right[row] > left:
        row += 1
    if row == len(row_right):
        row_right.append(-math.inf)
    row_right[row] = right
    return row


def open_spans(
    bottom: float, top: float, cuts: list[tuple[float, float]], shortest: float
) -> list[tuple[float, float]]:
    """The parts of ``bottom``..``top`` outside every ``(low, high)`` of ``cuts``, bottom first,
    each at least ``shortest`` long: a vertical line broken where something stands in its way.
    """
    pieces = []
    start = bottom
    for low, high in sorted(cuts):
        if low > start:
            pieces.append((start, min(low, top)))
        start = max(start, high)
    if start < top:
        pieces.append((start, top))
    return [(a, b) for a, b in pieces if b - a >= shortest]


def interval_bar(x_lo: float, x_hi: float, height: float, color: str) -> Rectangle:
    """A solid bar over ``x_lo``..``x_hi``: an interval of minimisers (never thinner than a
    marker's edge, so that a narrow interval stays visible).
    """
    return Rectangle(
        width=max(x_hi - x_lo, 0.06),
        height=height,
        fill_color=color,
        fill_opacity=1.0,
        stroke_width=0,
    )


def label_axis(
    axis: NumberLine,
    lo: float,
    hi: float,
    step: float,
    *,
    font_size: float,
    skip_zero: bool = False,
) -> VMobject | None:
    """Label ``axis``'s ticks with a few digits each (``skip_zero``: not the 0 where two axes
    cross); return the note that says how to read them ("×10¹⁴ + 3"), added to the axis for the
    caller to place, or None when plain numbers fit (:func:`~scenes.maths.axis.labelling`).

    Fifteen-digit tick labels of a huge or far-off range ran into each other.
    """
    from scenes.maths.axis import labelling
    from scenes.scene import style, typeset

    labels = labelling(lo, hi, step)
    shown = [
        v
        for v in labels.ticks()
        if not (skip_zero and labels.note is None and abs(v) < 1e-9 * step)
    ]
    axis.add_labels(
        {
            v: typeset.maths(typeset.decimal_tex(labels.text(v)), font_size, style.MUTED)
            for v in shown
        },
        font_size=font_size,
    )
    if labels.note is None:
        return None
    note = typeset.text(labels.note, font_size, style.MUTED)
    axis.add(note)
    return note


def swap_children(holder: VMobject, children: list[VMobject]) -> None:
    """Make ``children`` the submobjects of ``holder`` (drawn with it from the next frame on),
    the old ones drawn no more: their points are cleared.

    During an animation Manim draws the flattened family each moving mobject had when the
    animation began; a child only dropped from ``holder`` would still be drawn, under its
    replacement. The old children are therefore emptied, so pass new mobjects (copies of any
    that are kept for reuse).
    """
    kept = {id(part) for child in children for part in child.get_family()}
    for old in holder.get_family()[1:]:
        if id(old) not in kept:
            old.clear_points()
    holder.submobjects = list(children)


def step_blend(progress: float, steps: int) -> tuple[int, int, float]:
    """For a fractional step ``progress`` along ``steps + 1`` stored states: the two states it
    lies between and how far along (``(k, k + 1, f)``; states are blended as ``(1-f)*a + f*b``).
    """
    k = min(int(np.floor(progress)), max(steps - 1, 0))
    fraction = min(max(progress - k, 0.0), 1.0) if steps > 0 else 0.0
    return k, min(k + 1, steps), fraction


def polygon_points(corners: np.ndarray) -> np.ndarray:
    """Closed polygons (N, M, 3) as one point array; each polygon becomes its own subpath."""
    return line_beziers(corners, np.roll(corners, -1, axis=1))


class ArrowField(VMobject):
    """Many horizontal arrows as one filled VMobject, one closed subpath per arrow.

    ``always_redraw`` on Manim ``Arrow``s rebuilds every tip every frame; here one frame's update
    is a few numpy operations on a (N, 7, 3) array, whatever N is.
    """

    def __init__(self, count: int, row_height: float, color: str, **kwargs) -> None:
        super().__init__(fill_color=color, fill_opacity=1.0, stroke_width=0, **kwargs)
        self.count = count
        self.shaft = min(0.06, 0.3 * row_height)
        self.head_width = min(0.22, 0.8 * row_height)
        self.head_length = self.head_width * 1.1
        self.set_arrows(np.zeros(count), np.zeros(count), np.zeros(count))

    def set_arrows(self, start_x: np.ndarray, end_x: np.ndarray, y: np.ndarray) -> "ArrowField":
        """Point arrow ``k`` from ``(start_x[k], y[k])`` to ``(end_x[k], y[k])`` (scene units)."""
        length = end_x - start_x
        direction = np.sign(length)
        magnitude = np.abs(length)
        # An arrow shorter than its head is all head, scaled down, so tiny pulls stay visible
        # as small triangles instead of overshooting their length.
        head = np.minimum(self.head_length, magnitude)
        half_width = (
            0.5
            * self.head_width
            * np.where(magnitude < self.head_length, magnitude / self.head_length, 1.0)
        )
        half_shaft = np.minimum(0.5 * self.shaft, half_width)
        neck = end_x - direction * head
        xs = np.stack([start_x, neck, neck, end_x, neck, neck, start_x], axis=1)
        ys = np.stack(
            [
                y - half_shaft,
                y - half_shaft,
                y - half_width,
                y,
                y + half_width,
                y + half_shaft,
                y + half_shaft,
            ],
            axis=1,
        )
        corners = np.stack([xs, ys, np.zeros_like(xs)], axis=-1)
        self.points = polygon_points(corners)
        return self


class SegmentField(VMobject):
    """Many horizontal bars (``thickness`` high) as one filled VMobject, like :class:`ArrowField`
    without heads: the greyed, clipped parts of arrows.
    """

    def __init__(self, count: int, thickness: float, color: str, **kwargs) -> None:
        super().__init__(fill_color=color, fill_opacity=1.0, stroke_width=0, **kwargs)
        self.half = thickness / 2
        self.set_segments(np.zeros(count), np.zeros(count), np.zeros(count))

    def set_segments(self, start_x: np.ndarray, end_x: np.ndarray, y: np.ndarray) -> "SegmentField":
        """Bar ``k`` from ``start_x[k]`` to ``end_x[k]`` at height ``y[k]`` (zero length: none)."""
        xs = np.stack([start_x, end_x, end_x, start_x], axis=1)
        ys = np.stack([y - self.half, y - self.half, y + self.half, y + self.half], axis=1)
        corners = np.stack([xs, ys, np.zeros_like(xs)], axis=-1)
        self.points = polygon_points(corners)
        return self


def clip_polyline(
    x: np.ndarray, y: np.ndarray, lo: float, hi: float
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Split a sampled curve into the runs that lie within ``lo <= y <= hi``.

    Where a run leaves the band, the crossing point is interpolated so the curve ends exactly on
    the edge of the plot instead of stopping short or spilling over it.
    """
    inside = (y >= lo) & (y <= hi)
    runs: list[tuple[np.ndarray, np.ndarray]] = []
    i, n = 0, len(x)
    while i < n:
        if not inside[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and inside[j + 1]:
            j += 1
        xs, ys = list(x[i : j + 1]), list(y[i : j + 1])
        for outer, inner, at_start in ((i - 1, i, True), (j + 1, j, False)):
            if 0 <= outer < n:
                edge = hi if y[outer] > hi else lo
                t = (edge - y[inner]) / (y[outer] - y[inner])
                cross_x = x[inner] + t * (x[outer] - x[inner])
                if at_start:
                    xs.insert(0, cross_x)
                    ys.insert(0, edge)
                else:
                    xs.append(cross_x)
                    ys.append(edge)
        runs.append((np.asarray(xs), np.asarray(ys)))
        i = j + 1
    return runs


class VectorArrows(VMobject):
    """Many arrows in any direction as one filled VMobject (the 2-D sibling of
    :class:`ArrowField`): arrow ``k`` runs from ``starts[k]`` to ``ends[k]`` (scene x, y).
    """

    def __init__(self, count: int, color: str, shaft: float = 0.06, head: float = 0.2, **kwargs):
        super().__init__(fill_color=color, fill_opacity=1.0, stroke_width=0, **kwargs)
        self.shaft = shaft
        self.head_width = head
        self.head_length = head * 1.1
        self.set_vectors(np.zeros((count, 2)), np.zeros((count, 2)))

    def set_vectors(self, starts: np.ndarray, ends: np.ndarray) -> "VectorArrows":
        starts, ends = np.atleast_2d(starts)[:, :2], np.atleast_2d(ends)[:, :2]
        delta = ends - starts
        length = np.linalg.norm(delta, axis=1)
        along = np.where(length[:, None] > 0, delta / np.maximum(length, 1e-300)[:, None], [1, 0])
        across = np.column_stack([-along[:, 1], along[:, 0]])
        # As in ArrowField: an arrow shorter than its head is all head, scaled down.
        head = np.minimum(self.head_length, length)
        half_width = 0.5 * self.head_width * np.minimum(1.0, length / self.head_length)
        half_shaft = np.minimum(0.5 * self.shaft, half_width)
        neck = length - head
        zero = np.zeros_like(length)
        u = np.stack([zero, neck, neck, length, neck, neck, zero], axis=1)
        v = np.stack(
            [-half_shaft, -half_shaft, -half_width, zero, half_width, half_shaft, half_shaft],
            axis=1,
        )
        xy = (
            starts[:, None, :]
            + u[..., None] * along[:, None, :]
            + v[..., None] * across[:, None, :]
        )
        corners = np.concatenate([xy, np.zeros((*xy.shape[:2], 1))], axis=-1)
        self.points = polygon_points(corners)
        return self


def clip_segments(
    starts: np.ndarray, ends: np.ndarray, lo: np.ndarray, hi: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Segments ``starts[k] -> ends[k]`` (N, 2) cut to the box ``lo <= p <= hi`` (Liang-Barsky);
    a segment wholly outside becomes a zero-length segment at its clamped start.
    """
    delta = ends - starts
    t0 = np.zeros(len(starts))
    t1 = np.ones(len(starts))
    for axis in range(2):
        d = delta[:, axis]
        for bound, sign in ((lo[axis], -1.0), (hi[axis], 1.0)):
            p = sign * d
            q = sign * (bound - starts[:, axis])
            with np.errstate(divide="ignore", invalid="ignore"):
                t = q / p
            entering = p < 0
            leaving = p > 0
            t0 = np.where(entering, np.maximum(t0, t), t0)
            t1 = np.where(leaving, np.minimum(t1, t), t1)
            outside = (p == 0) & (q < 0)
            t1 = np.where(outside, -1.0, t1)
    empty = t1 < t0
    t0 = np.where(empty, 0.0, t0)
    t1 = np.where(empty, 0.0, t1)
    new_starts = starts + t0[:, None] * delta
    new_ends = starts + t1[:, None] * delta
    clamped = np.clip(starts, lo, hi)
    new_starts = np.where(empty[:, None], clamped, new_starts)
    new_ends = np.where(empty[:, None], clamped, new_ends)
    return new_starts, new_ends
