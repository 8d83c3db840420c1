"""Curves and markers drawn in their role's stroke and shape, so each reads without its colour.

The patterns and shapes are constants of :mod:`scenes.scene.style` (``CURVE_STROKES``,
``MARKERS``); this module turns them into Manim objects.
"""

import numpy as np
from manim import (
    Dot,
    RegularPolygon,
    Square,
    Star,
    Triangle,
    VMobject,
)
from manim.constants import CapStyleType

from scenes.scene import style


def line_beziers(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Cubic Bezier control points for straight segments ``starts[k] -> ends[k]``: (4K, 3)."""
    delta = ends - starts
    controls = np.stack([starts, starts + delta / 3.0, ends - delta / 3.0, ends], axis=-2)
    return controls.reshape(-1, 3)


def stroked_curve(points: np.ndarray, role: str, color: str | None = None) -> VMobject:
    """The polyline through ``points`` (N, 3) in the stroke of ``role`` (``style.CURVE_STROKES``),
    as one VMobject (:func:`fast_stroked_curve`).

    Dashes are laid out along the drawn length, so a dashed curve looks the same whatever its
    scale; a curve shorter than one dash period is drawn solid.
    """
    return fast_stroked_curve(points, style.CURVE_STROKES[role], color or style.PALETTE[role])


def fast_stroked_curve(points: np.ndarray, stroke: style.Stroke, color: str) -> VMobject:
    """The polyline through ``points`` (N, 3) in ``stroke``, as one VMobject: each dash a
    straight subpath from one arc length to the next.

    Manim's ``DashedVMobject`` makes a mobject per dash: about 0.1 s for a few hundred dashes,
    and a transform between two such curves aligns every dash (seconds). On densely sampled
    curves a dash is short beside the curve's bends, so a straight dash looks the same.
    """
    line = VMobject(stroke_color=color, stroke_width=stroke.width)
    period = stroke.dash + stroke.gap
    along = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(points, axis=0), axis=1))])
    if stroke.pattern == "solid" or along[-1] < period:
        return line.set_points_as_corners(points)
    # The pattern is stretched a little so the curve begins and ends with a dash: a dashed curve
    # reaches both ends of its axis, as a solid one does.
    count = max(1, round((along[-1] - stroke.dash) / period))
    starts = np.arange(count + 1) * ((along[-1] - stroke.dash) / count)
    ends = np.minimum(starts + stroke.dash, along[-1])

    def at(lengths: np.ndarray) -> np.ndarray:
        return np.stack([np.interp(lengths, along, points[:, k]) for k in range(3)], axis=1)

    line.set_points(line_beziers(at(starts), at(ends)))
    if stroke.pattern == "dotted":
        line.set_cap_style(CapStyleType.ROUND)
    return line


_OPTICAL_SIZE = {"triangle": 1.15, "diamond": 1.2, "star": 1.35, "square": 0.9}


def marker(role: str, size: float = 0.16, color: str | None = None) -> VMobject:
    """The filled marker of ``role`` (``style.MARKERS``), ``size`` scene units across."""
    shape = style.MARKERS[role]
    fill = color or style.PALETTE[role]
    mobject: VMobject
    if shape == "dot":
        mobject = Dot(radius=size / 2)
    elif shape == "triangle":
        mobject = Triangle()
    elif shape == "diamond":
        mobject = Square().rotate(np.pi / 4)
    elif shape == "square":
        mobject = Square()
    elif shape == "star":
        mobject = Star(n=5, outer_radius=1.0)
    elif shape == "hexagon":
        mobject = RegularPolygon(n=6)
    else:
        raise ValueError(f"no marker shape {shape!r}")
    mobject.set_fill(fill, opacity=1.0).set_stroke(width=0)
    if shape != "dot":
        # Pointed shapes cover less of their box than a square: enlarged to look as big.
        mobject.scale_to_fit_width(size * _OPTICAL_SIZE.get(shape, 1.0))
    # Text must keep off it (scenes.scene.layout_check.check_obstacles).
    return mark_obstacle(mobject)


def mark_obstacle(mobject: VMobject, obstacle: bool = True) -> VMobject:
    """Mark ``mobject`` as a drawing text must keep off (or, with False, one it may sit on):
    read by :mod:`scenes.scene.layout_check`.
    """
    setattr(mobject, "layout_obstacle", obstacle)  # noqa: B010 - Manim mobjects take attributes
    return mobject
