"""Checks of a frame's layout on the Manim objects themselves, before anything is rendered.

Given a scene's mobjects, :func:`check_layout` finds every piece of text (``Text``,
``MarkupText``, ``MathTex``, ``Tex``, ``DecimalNumber``, the helpers of
:mod:`scenes.scene.typeset`) and reports, as :class:`Problem` lines:

- ``safe-area``: text outside the title-safe area (``style.SAFE_MARGIN`` of the frame inside each
  edge);
- ``overlap``: two texts whose boxes overlap by more than a small tolerance;
- ``marker-overlap``: text over a drawing marked ``layout_obstacle`` (markers, minimisers'
  dashed leaders, the balance's tick);
- ``too-small``: text whose lowercase letters (x-height) are under ``style.MIN_TEXT_PX`` at 720p;
- ``contrast``: text whose colour has a WCAG contrast under 4.5:1 against what is behind it (its
  own background rectangle, else the slide);
- ``colour-vision``: two drawn colours (strokes and fills of everything that is not text) whose
  CIEDE2000 difference is under 10 in normal vision or under simulated deuteranopia, protanopia or
  tritanopia (Machado 2009, severity 100).

:func:`check_moving_overlaps` applies the overlap rule inside an animation (a relayout): texts
that have moved since its start against every other text, formulas in transit included (a builder
that animates a formula glyph by glyph marks the glyphs' group ``layout_text``).

The colour-vision check uses colour-science (a test dependency), imported only when it runs.
"""

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import combinations
from typing import Any, cast

import numpy as np
from manim import (
    BackgroundRectangle,
    DecimalNumber,
    MarkupText,
    Mobject,
    SingleStringMathTex,
    Text,
    VMobject,
    config,
)

from scenes.scene import style

TEXT_CLASSES = (Text, MarkupText, SingleStringMathTex, DecimalNumber)
MIN_CONTRAST = 4.5
MIN_DELTA_E = 10.0
VISIONS = ("normal", "Deuteranomaly", "Protanomaly", "Tritanomaly")
# Boxes may touch or overlap by this much (scene units, about 2 px at 720p) without a report.
OVERLAP_TOLERANCE = 0.02
# Fills fainter than this are washes (bands, shading), not colours a viewer must name.
MIN_DRAWN_OPACITY = 0.5
PROBE = "x"


@dataclass(frozen=True)
class Problem:
    """One layout rule broken: which rule, a sentence saying where and by how much, and the
    mobjects involved.
    """

    rule: str
    message: str
    mobjects: tuple[Mobject, ...] = field(default=(), compare=False)

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


# --- finding text ---------------------------------------------------------------------------


def text_mobjects(mobjects: Iterable[Mobject], in_transit: bool = False) -> list[Mobject]:
    """Every text mobject among ``mobjects`` and their submobjects (not looking inside a text);
    with ``in_transit``, also the groups of glyphs marked ``layout_text`` (a formula animated
    glyph by glyph), each as one text.
    """
    found: list[Mobject] = []
    seen: set[int] = set()

    def visit(mob: Mobject) -> None:
        if id(mob) in seen:
            return
        seen.add(id(mob))
        if isinstance(mob, TEXT_CLASSES) or (in_transit and getattr(mob, "layout_text", False)):
            if _visible(mob):
                found.append(mob)
            return
        for sub in mob.submobjects:
            visit(sub)

    for mob in mobjects:
        visit(mob)
    return found


def describe(mob: Mobject) -> str:
    """A short name for a text mobject in a report: its class and what it says."""
    # Text.text has its spaces removed; original_text is what was asked for.
    content = getattr(mob, "original_text", None) or getattr(mob, "tex_string", None)
    if content is None and isinstance(mob, DecimalNumber):
        content = f"{mob.number:.{mob.num_decimal_places}f}"
    shown = str(content).replace("\n", " ")
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return f"{type(mob).__name__}({shown!r})"


def _visible(mob: Mobject) -> bool:
    return any(_opacity(part) > 0 for part in mob.family_members_with_points())


def _opacity(mob: Mobject) -> float:
    if not isinstance(mob, VMobject):
        return 0.0
    fill = float(mob.get_fill_opacity())
    stroke = float(mob.get_stroke_opacity()) if mob.get_stroke_width() > 0 else 0.0
    return max(fill, stroke)


def _ink(mob: Mobject) -> Mobject:
    """The mobject without its background rectangle (which is not ink, and not text)."""
    parts = [sub for sub in mob.submobjects if not isinstance(sub, BackgroundRectangle)]
    if len(parts) == len(mob.submobjects):
        return mob
    group = Mobject()
    group.submobjects = parts
    return group


def _box(mob: Mobject) -> tuple[float, float, float, float]:
    ink = _ink(mob)
    left, bottom = ink.get_corner(np.array([-1, -1, 0]))[:2]
    right, top = ink.get_corner(np.array([1, 1, 0]))[:2]
    return float(left), float(bottom), float(right), float(top)


# --- the rules ------------------------------------------------------------------------------


def check_safe_area(
    texts: Sequence[Mobject],
    frame_width: float | None = None,
    frame_height: float | None = None,
    margin: float = style.SAFE_MARGIN,
) -> list[Problem]:
    """Text outside the title-safe area: ``margin`` of the frame inside each edge."""
    width = frame_width or config.frame_width
    height = frame_height or config.frame_height
    half_w, half_h = width / 2 - margin * width, height / 2 - margin * height
    problems = []
    for mob in texts:
        left, bottom, right, top = _box(mob)
        over = max(-half_w - left, right - half_w, -half_h - bottom, top - half_h)
        if over > 1e-6:
            problems.append(
                Problem(
                    "safe-area",
                    f"{describe(mob)} reaches {over:.2f} units past the title-safe area",
                    (mob,),
                )
            )
    return problems


def check_overlaps(texts: Sequence[Mobject], tolerance: float = OVERLAP_TOLERANCE) -> list[Problem]:
    """Pairs of texts whose boxes overlap by more than ``tolerance`` in both directions."""
    boxes = [_box(mob) for mob in texts]
    problems = []
    for (i, a), (j, b) in combinations(enumerate(boxes), 2):
        dx = min(a[2], b[2]) - max(a[0], b[0])
        dy = min(a[3], b[3]) - max(a[1], b[1])
        if dx > tolerance and dy > tolerance:
            problems.append(
                Problem(
                    "overlap",
                    f"{describe(texts[i])} and {describe(texts[j])} overlap by "
                    f"{dx:.2f} x {dy:.2f} units",
                    (texts[i], texts[j]),
                )
            )
    return problems


def obstacles(mobjects: Iterable[Mobject]) -> list[Mobject]:
    """Every visible drawing that text must keep off: the mobjects a builder marked
    ``layout_obstacle`` (markers, a minimiser's dashed leader, the balance's tick).
    """
    found: list[Mobject] = []
    seen: set[int] = set()

    def visit(mob: Mobject) -> None:
        if id(mob) in seen or isinstance(mob, TEXT_CLASSES):
            return
        seen.add(id(mob))
        if getattr(mob, "layout_obstacle", False):
            if _visible(mob):
                found.append(mob)
            return
        for sub in mob.submobjects:
            visit(sub)

    for mob in mobjects:
        visit(mob)
    return found


OBSTACLE_PAD = 0.01
"""Half a line's stroke (scene units): a dashed leader's box has no width of its own."""


def check_obstacles(
    texts: Sequence[Mobject], marks: Sequence[Mobject], tolerance: float = OVERLAP_TOLERANCE
) -> list[Problem]:
    """Texts over a marker or a line that must stay clear of them (``marker-overlap``): boxes
    overlapping at all across and by more than ``tolerance`` up and down.
    """
    problems = []
    boxes = [_box(mob) for mob in texts]
    for mark in marks:
        left, bottom, right, top = _box(mark)
        left, right = left - OBSTACLE_PAD, right + OBSTACLE_PAD
        for text, (t_left, t_bottom, t_right, t_top) in zip(texts, boxes, strict=True):
            dx = min(right, t_right) - max(left, t_left)
            dy = min(top, t_top) - max(bottom, t_bottom)
            if dx > 0 and dy > tolerance:
                problems.append(
                    Problem(
                        "marker-overlap",
                        f"{describe(text)} over a {type(mark).__name__} at "
                        f"({(left + right) / 2:.2f}, {(bottom + top) / 2:.2f}) by "
                        f"{dx:.2f} x {dy:.2f} units",
                        (text, mark),
                    )
                )
    return problems


Box = tuple[float, float, float, float]


def text_boxes(mobjects: Iterable[Mobject]) -> dict[int, Box]:
    """The box of every text (formulas in transit included), by the text's ``id``: what
    :func:`check_moving_overlaps` compares with to know what has moved.
    """
    return {id(mob): _box(mob) for mob in text_mobjects(mobjects, in_transit=True)}


def check_moving_overlaps(
    mobjects: Iterable[Mobject],
    start: dict[int, Box],
    tolerance: float = OVERLAP_TOLERANCE,
    moved: float = 1e-3,
) -> list[Problem]:
    """Overlapping pairs of texts of which at least one has moved (by more than ``moved``
    units) since ``start`` (:func:`text_boxes` at the animation's start), or appeared since.

    Two texts that say the same thing are not a pair: that is one label cross-fading into its
    new place (a zooming axis's tick labels, panels drawn again for a new threshold).
    """
    texts = text_mobjects(mobjects, in_transit=True)
    boxes = [_box(mob) for mob in texts]
    moving = [
        id(mob) not in start
        or max(abs(a - b) for a, b in zip(box, start[id(mob)], strict=True)) > moved
        for mob, box in zip(texts, boxes, strict=True)
    ]
    problems = []
    for (i, a), (j, b) in combinations(enumerate(boxes), 2):
        if not (moving[i] or moving[j]) or describe(texts[i]) == describe(texts[j]):
            continue
        dx = min(a[2], b[2]) - max(a[0], b[0])
        dy = min(a[3], b[3]) - max(a[1], b[1])
        if dx > tolerance and dy > tolerance:
            problems.append(
                Problem(
                    "overlap",
                    f"{describe(texts[i])} and {describe(texts[j])} overlap by "
                    f"{dx:.2f} x {dy:.2f} units while moving",
                    (texts[i], texts[j]),
                )
            )
    return problems


def check_caption_clear(
    mobjects: Sequence[Mobject], caption_bottom: float, tolerance: float = OVERLAP_TOLERANCE
) -> list[Problem]:
    """Drawn shapes (not text) under the caption: the texts that stand on ``caption_bottom``
    (where :class:`scenes.scene.captions.Captions` sets every caption) must have nothing drawn
    behind their lines.
    """
    texts = text_mobjects(mobjects)
    captions = [t for t in texts if abs(_box(t)[1] - caption_bottom) < 0.05]
    in_text = {id(part) for mob in texts for part in mob.get_family()}
    shapes = [
        part
        for mob in mobjects
        for part in mob.family_members_with_points()
        if id(part) not in in_text and _opacity(part) > 0
    ]
    problems = []
    for caption in captions:
        c = _box(caption)
        for shape in shapes:
            s = _box(shape)
            dx = min(c[2], s[2]) - max(c[0], s[0])
            dy = min(c[3], s[3]) - max(c[1], s[1])
            if dx > tolerance and dy > tolerance:
                problems.append(
                    Problem(
                        "under-caption",
                        f"a {type(shape).__name__} is drawn under the caption "
                        f"{describe(caption)} ({dx:.2f} x {dy:.2f} units)",
                        (caption, shape),
                    )
                )
    return problems


def x_height_px(mob: Mobject, frame_pixels: int = 720) -> float:
    """The height of ``mob``'s lowercase letters (x-height) in pixels on a ``frame_pixels`` high
    frame, whatever it says and however it was scaled since it was made.
    """
    ink_ratio = _ink(mob).height / mob.height if mob.height > 0 else 1.0
    size = float(cast(Any, mob).font_size) * ink_ratio
    units = size * _x_height_per_size(mob)
    return units * frame_pixels / config.frame_height


def check_text_size(
    texts: Sequence[Mobject], min_px: float = style.MIN_TEXT_PX, frame_pixels: int = 720
) -> list[Problem]:
    """Text whose x-height is under ``min_px`` pixels at ``frame_pixels`` (720p by default)."""
    problems = []
    for mob in texts:
        px = x_height_px(mob, frame_pixels)
        if px < min_px - 1e-6:
            problems.append(
                Problem(
                    "too-small",
                    f"{describe(mob)} has lowercase letters {px:.1f} px high at "
                    f"{frame_pixels}p (at least {min_px:g})",
                    (mob,),
                )
            )
    return problems


def check_text_contrast(
    texts: Sequence[Mobject],
    background: str = style.BACKGROUND,
    min_ratio: float = MIN_CONTRAST,
) -> list[Problem]:
    """Text whose colour has a contrast under ``min_ratio`` against what is behind it."""
    problems = []
    for mob in texts:
        behind = background
        for sub in mob.submobjects:
            if isinstance(sub, BackgroundRectangle) and sub.get_fill_opacity() >= 1:
                behind = sub.get_fill_color().to_hex()
        colours = {
            part.get_fill_color().to_hex().lower()
            for part in _ink(mob).family_members_with_points()
            if isinstance(part, VMobject) and part.get_fill_opacity() > 0
        }
        for colour in sorted(colours):
            ratio = contrast_ratio(colour, behind)
            if ratio < min_ratio:
                problems.append(
                    Problem(
                        "contrast",
                        f"{describe(mob)} in {colour} on {behind.lower()}: {ratio:.2f}:1 "
                        f"(at least {min_ratio:g}:1)",
                        (mob,),
                    )
                )
    return problems


def drawn_colours(mobjects: Iterable[Mobject], background: str = style.BACKGROUND) -> set[str]:
    """The stroke and fill colours of everything drawn that is not text (nor the background)."""
    texts = {id(part) for mob in text_mobjects(mobjects) for part in mob.get_family()}
    colours: set[str] = set()
    for mob in mobjects:
        for part in mob.family_members_with_points():
            if id(part) in texts or not isinstance(part, VMobject):
                continue
            if isinstance(part, BackgroundRectangle):
                continue
            stroke = part.get_stroke_color()
            if stroke is not None and part.get_stroke_width() > 0:
                if part.get_stroke_opacity() >= MIN_DRAWN_OPACITY:
                    colours.add(stroke.to_hex().lower())
            if part.get_fill_opacity() >= MIN_DRAWN_OPACITY:
                colours.add(part.get_fill_color().to_hex().lower())
    colours.discard(background.lower())
    return colours


def check_colour_pairs(colours: Iterable[str], min_delta_e: float = MIN_DELTA_E) -> list[Problem]:
    """Pairs of colours closer than ``min_delta_e`` (CIEDE2000) in any of ``VISIONS``."""
    ordered = sorted(set(colours))
    problems = []
    for a, b in combinations(ordered, 2):
        for vision in VISIONS:
            d = delta_e(a, b, vision)
            if d < min_delta_e:
                problems.append(
                    Problem(
                        "colour-vision",
                        f"{a} and {b} differ by CIEDE2000 {d:.1f} in {vision.lower()} vision "
                        f"(at least {min_delta_e:g})",
                    )
                )
    return problems


def check_layout(
    mobjects: Iterable[Mobject],
    background: str = style.BACKGROUND,
    colours: bool = True,
) -> list[Problem]:
    """Every rule above over ``mobjects`` (for a Scene: ``scene.mobjects``)."""
    mobjects = list(mobjects)
    texts = text_mobjects(mobjects)
    from scenes.scene.captions import SAFE_BOTTOM as CAPTION_BOTTOM

    problems = [
        *check_safe_area(texts),
        *check_overlaps(texts),
        *check_obstacles(texts, obstacles(mobjects)),
        *check_caption_clear(mobjects, CAPTION_BOTTOM),
        *check_text_size(texts),
        *check_text_contrast(texts, background),
    ]
    if colours:
        problems += check_colour_pairs(drawn_colours(mobjects, background))
    return problems


# --- colour measures --------------------------------------------------------------------------


def _rgb(hex_colour: str) -> np.ndarray:
    text = hex_colour.lstrip("#")
    return np.array([int(text[i : i + 2], 16) for i in (0, 2, 4)]) / 255.0


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    c = _rgb(hex_colour)
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(linear @ np.array([0.2126, 0.7152, 0.0722]))


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    la, lb = relative_luminance(a), relative_luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def simulate(hex_colour: str, vision: str) -> np.ndarray:
    """``hex_colour`` as seen in ``vision`` (``VISIONS``), as sRGB in [0, 1] (colour-science)."""
    colour = _colour_science()
    rgb = _rgb(hex_colour)
    if vision == "normal":
        return rgb
    linear = colour.models.eotf_sRGB(rgb)
    with warnings.catch_warnings():
        # colour-science notes that its tritanomaly matrices are an approximation (they are the
        # published Machado 2009 ones, as in colorspacious).
        warnings.simplefilter("ignore")
        matrix = colour.blindness.matrix_cvd_Machado2009(vision, 1.0)
    seen = np.clip(matrix @ linear, 0.0, 1.0)
    return np.asarray(colour.models.eotf_inverse_sRGB(seen))


def delta_e(a: str, b: str, vision: str = "normal") -> float:
    """CIEDE2000 difference of two colours as seen in ``vision`` (colour-science)."""
    colour = _colour_science()
    lab_a, lab_b = (colour.XYZ_to_Lab(colour.sRGB_to_XYZ(simulate(c, vision))) for c in (a, b))
    return float(colour.delta_E(lab_a, lab_b, method="CIE 2000"))


@cache
def _colour_science() -> Any:
    with warnings.catch_warnings():
        # colour-science warns at import that matplotlib (for its plots) is absent.
        warnings.simplefilter("ignore")
        import colour
    return colour


# --- x-height probes --------------------------------------------------------------------------

_X_HEIGHT_PER_SIZE: dict[tuple, float] = {}


def _x_height_per_size(mob: Mobject) -> float:
    """Height of an ``x`` per unit of ``font_size`` for mobjects made like ``mob`` (a probe is
    typeset once per class and font or TeX template).
    """
    size = 48.0
    template = getattr(mob, "tex_template", None)
    if isinstance(mob, DecimalNumber):
        key: tuple = ("number", type(mob), mob.mob_class)
    elif isinstance(mob, Text | MarkupText):
        key = ("text", type(mob), mob.font)
    else:
        key = ("tex", type(mob), id(template))
    if key not in _X_HEIGHT_PER_SIZE:
        probe: Any
        cls: Any = type(mob)
        if isinstance(mob, DecimalNumber):
            # A number's glyphs come from its own character factory: ask it for an x.
            number = cls(0, font_size=size, mob_class=mob.mob_class)
            probe = number._string_to_mob(PROBE)
            ratio = float(probe.height) / size
        else:
            if isinstance(mob, Text | MarkupText):
                probe = cls(PROBE, font=mob.font, font_size=size)
            else:
                probe = cls(PROBE, font_size=size, tex_template=template)
            ratio = float(probe.height) / float(probe.font_size)
        _X_HEIGHT_PER_SIZE[key] = ratio
    return _X_HEIGHT_PER_SIZE[key]
