"""Which characters the video can draw: the union of the installed fonts' outlines (fontconfig).

Titles and captions are typeset by Pango, which falls back to any installed font for a character
the main font lacks. A character no font has comes out as an empty box with its hex code in it;
one only a colour emoji font has comes out as nothing at all (its glyphs are pictures, and
Manim keeps only outlines). ``check`` refuses both, so that what it accepts is what the video
shows. The answer depends on the machine's fonts (``scripts/install.sh`` installs Symbola for
emoji), and is asked of fontconfig once per process, only when a text holds a character beyond
ASCII.
"""

import bisect
import functools
import shutil
import subprocess
import unicodedata

__all__ = ["undrawable"]


@functools.cache
def _outline_ranges() -> tuple[list[int], list[int]] | None:
    """Merged ``[lo, hi]`` code point ranges of every outline font; None if unknown."""
    command = shutil.which("fc-list")
    if command is None:
        return None
    try:
        listing = subprocess.run(
            [command, "--format", "%{color}|%{charset}\n"],
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    ranges: list[tuple[int, int]] = []
    for line in listing.splitlines():
        color, _, charset = line.partition("|")
        if color.strip().lower() == "true":
            continue  # pictures, which Manim's text leaves out
        for item in charset.split():
            first, _, last = item.partition("-")
            try:
                ranges.append((int(first, 16), int(last or first, 16)))
            except ValueError:
                continue
    if not ranges:
        return None
    ranges.sort()
    starts: list[int] = []
    ends: list[int] = []
    for lo, hi in ranges:
        if starts and lo <= ends[-1] + 1:
            ends[-1] = max(ends[-1], hi)
        else:
            starts.append(lo)
            ends.append(hi)
    return starts, ends


def undrawable(text: str) -> tuple[int, str] | None:
    """The first character of ``text`` no installed font draws, with its 0-based index.

    Marks, joiners and variation selectors (which change the character before them) need no
    outline of their own. When fontconfig cannot be asked, nothing is refused.
    """
    if text.isascii():
        return None
    for index, char in enumerate(text):
        if char.isascii() or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        ranges = _outline_ranges()
        if ranges is None:
            return None
        starts, ends = ranges
        k = bisect.bisect_right(starts, ord(char)) - 1
        if k < 0 or ord(char) > ends[k]:
            return index, char
    return None
