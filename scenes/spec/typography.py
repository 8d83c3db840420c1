"""The type scale and the frame: the facts a spec's text limits are checked against.

The scenes draw with them (:mod:`scenes.scene.style` and :mod:`scenes.scene.builder` take them
from here), and ``check`` uses them to refuse text that could not fit on the frame at any size of
the scale (:mod:`scenes.spec.card_fit`), so both sides agree on one set of numbers.
"""

__all__ = [
    "FONT",
    "FRAME_HEIGHT",
    "FRAME_WIDTH",
    "SAFE_BOTTOM",
    "SAFE_LEFT",
    "SAFE_MARGIN",
    "SAFE_RIGHT",
    "SAFE_TOP",
    "SIZE_CAPTION",
    "SIZE_DISPLAY",
    "SIZE_FORMULA",
    "SIZE_LABEL",
    "SIZE_SMALL",
    "SIZE_TITLE",
    "TYPE_SCALE",
]

FONT = "DejaVu Sans"
# The type scale, smallest first (Manim font_size of Text; typeset.maths matches it).
SIZE_SMALL = 28  # tick labels, keys, reference values: the smallest text anywhere
SIZE_LABEL = 30  # direct labels at curves and markers, theta
SIZE_CAPTION = 32  # captions (at most 2 lines)
SIZE_FORMULA = 32  # the loss's formula
SIZE_TITLE = 40  # slide titles
SIZE_DISPLAY = 60  # the title of a lecture's title card
TYPE_SCALE = {
    "small": SIZE_SMALL,
    "label": SIZE_LABEL,
    "caption": SIZE_CAPTION,
    "formula": SIZE_FORMULA,
    "title": SIZE_TITLE,
    "display": SIZE_DISPLAY,
}
# Title-safe area: text stays this fraction of the frame's width and height inside each edge.
SAFE_MARGIN = 0.05

# The title-safe area in scene units (Manim's frame is 8 high, 16:9): text stays inside it.
FRAME_HEIGHT = 8.0
FRAME_WIDTH = FRAME_HEIGHT * 16 / 9
SAFE_LEFT = -FRAME_WIDTH / 2 * (1 - 2 * SAFE_MARGIN)
SAFE_RIGHT = -SAFE_LEFT
SAFE_TOP = FRAME_HEIGHT / 2 * (1 - 2 * SAFE_MARGIN)
SAFE_BOTTOM = -SAFE_TOP
