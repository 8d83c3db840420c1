"""Whether a title card's text fits on the frame, and at which type sizes.

A card holds a title, a subtitle and up to eight items of up to 200 characters each: at the
sizes of a short title such text runs off the frame. So the card steps down a ladder of sizes
(:data:`CARD_SIZES`, never below the smallest size of the scale), wrapping every line to the
card's width, and takes the first rung where everything fits; ``check`` refuses a card that does
not fit even on the last rung, at the field that made it too long.

Widths come from the font's own advance widths (fontTools reads the DejaVu Sans file that Pango
draws with), converted to scene units by a measured factor, so this decides without Manim.
"""

import functools
import math
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from scenes.spec.typography import (
    FONT,
    SAFE_LEFT,
    SAFE_RIGHT,
    SAFE_TOP,
    SIZE_DISPLAY,
    SIZE_LABEL,
    SIZE_SMALL,
    SIZE_TITLE,
)

__all__ = [
    "BULLET",
    "CARD_BOTTOM",
    "CARD_HEIGHT",
    "CARD_SIZES",
    "CARD_WIDTH",
    "ITEM_PITCH",
    "RULE_GAP",
    "SUBTITLE_LINE_GAP",
    "TITLE_LINE_GAP",
    "TITLE_SUBTITLE_GAP",
    "WRAPPED_PITCH",
    "CardFit",
    "Rung",
    "item_pitch",
    "wrapped_pitch",
    "card_fit",
    "card_room_problem",
    "text_width",
    "wrap",
]

CARD_WIDTH = SAFE_RIGHT - SAFE_LEFT - 1.0
CARD_BOTTOM = -2.1
"""The card's lowest edge: a little above the top of a two-line caption."""
CARD_HEIGHT = SAFE_TOP - CARD_BOTTOM


@dataclass(frozen=True)
class Rung:
    """One step of the ladder: the sizes of the title, subtitle and items, and how much of the
    usual space between the parts and between items is kept.
    """

    title: float
    subtitle: float
    items: float
    spacing: float = 1.0


# Largest first; the last two close the gaps up as well.
CARD_SIZES = (
    Rung(SIZE_DISPLAY, SIZE_LABEL, SIZE_LABEL),
    Rung(SIZE_TITLE, SIZE_LABEL, SIZE_LABEL),
    Rung(SIZE_TITLE, SIZE_SMALL, SIZE_SMALL),
    # Closer spacing before a smaller title: the title keeps standing out from the items.
    Rung(SIZE_TITLE, SIZE_SMALL, SIZE_SMALL, spacing=0.7),
    Rung(SIZE_LABEL, SIZE_SMALL, SIZE_SMALL, spacing=0.7),
)
# The most lines the title may take at each title size (a display title of five lines reads as
# a wall; a smaller one reads better).
TITLE_MOST_LINES: dict[float, float] = {SIZE_DISPLAY: 2, SIZE_TITLE: 4}

BULLET = "\u2022  "
# Gaps of the card's layout (scene units), used by the scene builder too. The gaps between a
# title's or subtitle's own lines are per point of their size (0.2 at the display size).
TITLE_LINE_GAP = 0.2 / SIZE_DISPLAY
SUBTITLE_LINE_GAP = 0.12 / SIZE_LABEL
TITLE_SUBTITLE_GAP = 0.35
RULE_GAP = 0.4
ITEM_PITCH = 0.58
"""From one item's first baseline to the next's, at the label size (scaled with the size)."""
MIN_PITCH_LINES = 1.2
"""However tight the spacing, lines keep this many line heights from baseline to baseline."""
WRAPPED_PITCH = 0.8
"""A wrapped item's own lines sit closer than two items: this share of the item pitch."""

# Measured on Manim's Text in DejaVu Sans (sizes 28 to 60): ink width is at most 0.0138 scene
# units per em of advance per point of font size, and a line with ascenders and descenders is
# 0.01346 units high per point.
UNITS_PER_EM_POINT = 0.0138
LINE_HEIGHT_PER_POINT = 0.0135
MISSING_GLYPH_EMS = 1.1
"""A character DejaVu Sans lacks (an emoji drawn from Symbola) is counted this wide."""
UNKNOWN_FONT_EMS = 0.65
"""Each character's width when the font file cannot be found (a wide average)."""


@functools.cache
def _advances() -> tuple[dict[int, float], bool]:
    """Advance width in ems of each character of the scenes' font; (empty, False) without it."""
    path = _font_file()
    if path is None:
        return {}, False
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True)
    per_em = font["head"].unitsPerEm
    metrics = font["hmtx"]
    widths = {code: metrics[name][0] / per_em for code, name in font.getBestCmap().items()}
    font.close()
    return widths, True


def _font_file() -> Path | None:
    """The file fontconfig gives for the scenes' font (what Pango draws with), if any."""
    if shutil.which("fc-match"):
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", FONT], capture_output=True, text=True, check=False
        ).stdout.strip()
        if found and Path(found).is_file():
            return Path(found)
    fallback = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    return fallback if fallback.is_file() else None


def text_width(text: str, size: float) -> float:
    """How wide ``text`` is drawn at ``size`` (scene units), at most: its advance widths."""
    widths, known = _advances()
    ems = sum(widths.get(ord(c), MISSING_GLYPH_EMS) if known else UNKNOWN_FONT_EMS for c in text)
    return ems * size * UNITS_PER_EM_POINT


def line_height(size: float) -> float:
    return size * LINE_HEIGHT_PER_POINT


def wrap(text: str, size: float, width: float) -> list[str]:
    """``text`` broken between words into lines at most ``width`` wide at ``size`` (a word wider
    than a line is broken inside); blank text gives one empty line.
    """
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        while text_width(word, size) > width:
            cut = max(1, _longest_prefix(word, size, width))
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current or not lines:
        lines.append(current)
    return lines


def _longest_prefix(word: str, size: float, width: float) -> int:
    for cut in range(len(word), 0, -1):
        if text_width(word[:cut], size) <= width:
            return cut
    return 0


@dataclass(frozen=True)
class CardFit:
    """The card's sizes and its text broken into lines; ``fits`` is False only on the last
    rung when even that is too tall (``check`` refuses such a card; a translation that grew
    too long is drawn smaller by the scene instead).
    """

    title_size: float
    subtitle_size: float
    item_size: float
    spacing: float
    title_lines: list[str]
    subtitle_lines: list[str]
    item_lines: list[list[str]]
    height: float
    fits: bool


def card_fit(title: str, subtitle: str | None, items: list[str]) -> CardFit:
    """The first rung of :data:`CARD_SIZES` where the card's text fits (width and height)."""
    fit = None
    for rung in CARD_SIZES:
        title_size, subtitle_size, item_size = rung.title, rung.subtitle, rung.items
        title_lines = wrap(title, title_size, CARD_WIDTH)
        subtitle_lines = wrap(subtitle, subtitle_size, CARD_WIDTH) if subtitle else []
        indent = text_width(BULLET, item_size)
        item_lines = [wrap(item, item_size, CARD_WIDTH - indent) for item in items]
        height = _height(rung, title_lines, subtitle_lines, item_lines)
        most = TITLE_MOST_LINES.get(title_size, math.inf)
        fits = height <= CARD_HEIGHT
        fit = CardFit(
            title_size,
            subtitle_size,
            item_size,
            rung.spacing,
            title_lines,
            subtitle_lines,
            item_lines,
            height,
            fits,
        )
        if fits and len(title_lines) <= most:
            return fit
    assert fit is not None
    return fit


def item_pitch(size: float, spacing: float) -> float:
    """From one item's first baseline to the next's at ``size`` and ``spacing``."""
    return max(ITEM_PITCH * size / SIZE_LABEL * spacing, MIN_PITCH_LINES * line_height(size))


def wrapped_pitch(size: float, spacing: float) -> float:
    """From one line of a wrapped item to its next."""
    return max(item_pitch(size, spacing) * WRAPPED_PITCH, MIN_PITCH_LINES * line_height(size))


def _height(
    rung: Rung, title_lines: list[str], subtitle_lines: list[str], item_lines: list[list[str]]
) -> float:
    height = len(title_lines) * line_height(rung.title)
    height += TITLE_LINE_GAP * rung.title * (len(title_lines) - 1)
    if subtitle_lines:
        height += TITLE_SUBTITLE_GAP * rung.spacing
        height += len(subtitle_lines) * line_height(rung.subtitle)
        height += SUBTITLE_LINE_GAP * rung.subtitle * (len(subtitle_lines) - 1)
    height += RULE_GAP * rung.spacing  # the rule under the title, a line without height
    if item_lines:
        pitch = item_pitch(rung.items, rung.spacing)
        wrapped = wrapped_pitch(rung.items, rung.spacing)
        steps = len(item_lines) - 1
        height += RULE_GAP * rung.spacing + steps * pitch + line_height(rung.items)
        height += wrapped * sum(len(lines) - 1 for lines in item_lines)
    return height


def card_room_problem(title: str, subtitle: str | None, items: list[str]) -> str | None:
    """Why the card cannot be drawn inside the frame, or None when it can."""
    fit = card_fit(title, subtitle, items)
    if fit.fits:
        return None
    share = fit.height / CARD_HEIGHT
    lines = len(fit.title_lines) + len(fit.subtitle_lines) + sum(map(len, fit.item_lines))
    return (
        f"the card's text does not fit on the frame: even at the smallest type size its "
        f"{lines} lines need {share:.0%} of the room above the captions; shorten the title, "
        "the subtitle or the items, or use fewer items"
    )
