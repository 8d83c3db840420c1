"""Split a many-page XDV file (XeTeX's DVI) into one file per page, each as XeTeX would have
written it for that page alone.

Used to typeset many formulas in one XeTeX run (:mod:`scenes.scene.tex_batch`) and still hand
``dvisvgm`` one page at a time: ``dvisvgm`` draws a glyph that a file uses at several sizes from
one outline scaled, and picks that outline from the file's font definitions, so a page of a long
file would come out with differently rounded outlines than the same formula typeset alone. A
page's file keeps only the fonts that page uses (defined before their first use, as DVI asks),
listed in its postamble in the order of the whole file.

The format is DVI (Knuth, "The DVI format") with XeTeX's opcodes 252 (native font definition)
and 253 (glyph array); see xetex's ``xdvipdfmx`` (``dvi.c``) for their layout.
"""

import struct
from dataclasses import dataclass, field

PRE, POST, POST_POST, BOP, EOP = 247, 248, 249, 139, 140
NATIVE_FONT_DEF, GLYPHS, TEXT_AND_GLYPHS = 252, 253, 254
FNT_DEF = range(243, 247)
FNT_NUM = range(171, 235)
FNT = range(235, 239)
SPECIAL = range(239, 243)
"""``xxx1``..``xxx4`` of the DVI format: a \\special's bytes, skipped."""

# Opcodes with a fixed number of parameter bytes (besides the ones handled one by one).
_FIXED: dict[int, int] = {132: 8, 137: 8, 138: 0, 141: 0, 142: 0, 147: 0, 152: 0, 161: 0, 166: 0}
for _first, _sizes in ((128, 4), (133, 4), (143, 4), (148, 4), (153, 4), (157, 4), (162, 4)):
    for _i in range(_sizes):
        _FIXED[_first + _i] = _i + 1
for _first in (167,):
    for _i in range(4):
        _FIXED[_first + _i] = _i + 1

# XeTeX's native font flags that add parameters to its definition.
_FLAG_BYTES = ((0x0200, 4), (0x1000, 4), (0x2000, 4), (0x4000, 4))


class XdvError(ValueError):
    """The file is not an XDV file this module can read."""


@dataclass
class Page:
    counts: bytes  # the 40 bytes of c0..c9 of its bop
    ops: list[tuple[int, bytes]] = field(default_factory=list)  # (font defined or -1, bytes)
    fonts: list[int] = field(default_factory=list)  # fonts selected, in order of first use


@dataclass
class Xdv:
    preamble: bytes
    post_numbers: bytes  # num, den, mag of the postamble (12 bytes)
    max_height_width: bytes  # l, u (8 bytes)
    stack_depth: int
    identification: int
    pages: list[Page]
    font_defs: dict[int, bytes]  # font number -> its definition's bytes (opcode included)
    font_order: list[int]  # in the postamble's order


def _uint(data: bytes, at: int, size: int) -> int:
    return int.from_bytes(data[at : at + size], "big")


def _font_def_length(data: bytes, at: int) -> int:
    """Length in bytes of the font definition starting at ``at`` (opcode included)."""
    op = data[at]
    if op in FNT_DEF:
        k = op - 242
        a = data[at + 1 + k + 12]
        length = data[at + 1 + k + 13]
        return 1 + k + 14 + a + length
    if op == NATIVE_FONT_DEF:
        flags = _uint(data, at + 9, 2)
        name_length = data[at + 11]
        size = 1 + 4 + 4 + 2 + 1 + name_length + 4
        for flag, extra in _FLAG_BYTES:
            if flags & flag:
                size += extra
        return size
    raise XdvError(f"not a font definition: opcode {op}")


def _font_number(data: bytes, at: int) -> int:
    op = data[at]
    if op in FNT_DEF:
        return _uint(data, at + 1, op - 242)
    return _uint(data, at + 1, 4)


def _op_length(data: bytes, at: int) -> int:
    op = data[at]
    if op < 128 or op in FNT_NUM:
        return 1
    if op in _FIXED:
        return 1 + _FIXED[op]
    if op in FNT:
        return 1 + (op - 234)
    if op in SPECIAL:
        k = op - 238
        return 1 + k + _uint(data, at + 1, k)
    if op in FNT_DEF or op == NATIVE_FONT_DEF:
        return _font_def_length(data, at)
    if op == GLYPHS:
        n = _uint(data, at + 5, 2)
        return 1 + 4 + 2 + n * 10
    if op == TEXT_AND_GLYPHS:
        chars = _uint(data, at + 1, 2)
        n = _uint(data, at + 3 + 2 * chars + 4, 2)
        return 1 + 2 + 2 * chars + 4 + 2 + n * 10
    raise XdvError(f"unknown opcode {op} at byte {at}")


def read(data: bytes) -> Xdv:
    if not data or data[0] != PRE:
        raise XdvError("no DVI preamble")
    comment = data[14]
    preamble = data[: 15 + comment]
    # The postamble: from the end, skip the 223s, read q (pointer to post).
    end = len(data) - 1
    while end > 0 and data[end] == 223:
        end -= 1
    identification = data[end]
    post = _uint(data, end - 4, 4)
    if data[post] != POST:
        raise XdvError("no postamble")
    post_numbers = data[post + 5 : post + 17]
    max_height_width = data[post + 17 : post + 25]
    stack_depth = _uint(data, post + 25, 2)
    font_defs: dict[int, bytes] = {}
    font_order: list[int] = []
    at = post + 29
    while data[at] != POST_POST:
        length = _font_def_length(data, at)
        number = _font_number(data, at)
        font_defs[number] = data[at : at + length]
        font_order.append(number)
        at += length
    pages: list[Page] = []
    at = len(preamble)
    page: Page | None = None
    while at < post:
        op = data[at]
        if op == BOP:
            page = Page(counts=data[at + 1 : at + 41])
            at += 45
            continue
        if op == EOP:
            if page is None:
                raise XdvError("eop outside a page")
            pages.append(page)
            page = None
            at += 1
            continue
        length = _op_length(data, at)
        if page is None:
            if op not in FNT_DEF and op != NATIVE_FONT_DEF and op != 138:
                raise XdvError(f"opcode {op} outside a page")
        else:
            if op in FNT_DEF or op == NATIVE_FONT_DEF:
                page.ops.append((_font_number(data, at), data[at : at + length]))
            else:
                if op in FNT_NUM:
                    number = op - 171
                elif op in FNT:
                    number = _uint(data, at + 1, op - 234)
                else:
                    number = -1
                if number >= 0 and number not in page.fonts:
                    page.fonts.append(number)
                page.ops.append((-1, data[at : at + length]))
        at += length
    return Xdv(
        preamble,
        post_numbers,
        max_height_width,
        stack_depth,
        identification,
        pages,
        font_defs,
        font_order,
    )


def page_file(xdv: Xdv, index: int) -> bytes:
    """Page ``index`` (from 0) of ``xdv`` as a file of its own."""
    page = xdv.pages[index]
    used = set(page.fonts)
    out = bytearray(xdv.preamble)
    bop = len(out)
    out += bytes([BOP]) + page.counts + struct.pack(">i", -1)
    defined: set[int] = set()
    for font, chunk in page.ops:
        if font >= 0:
            if font in used and font not in defined:
                out += chunk
                defined.add(font)
            continue
        op = chunk[0]
        number = -1
        if op in FNT_NUM:
            number = op - 171
        elif op in FNT:
            number = _uint(chunk, 1, op - 234)
        if number >= 0 and number not in defined:
            # Defined on an earlier page of the long file: defined here before its first use.
            out += xdv.font_defs[number]
            defined.add(number)
        out += chunk
    out += bytes([EOP])
    post = len(out)
    out += bytes([POST]) + struct.pack(">i", bop) + xdv.post_numbers + xdv.max_height_width
    out += struct.pack(">HH", xdv.stack_depth, 1)
    for font in xdv.font_order:
        if font in used:
            out += xdv.font_defs[font]
    out += bytes([POST_POST]) + struct.pack(">i", post) + bytes([xdv.identification])
    out += bytes([223]) * (4 + (-(len(out) + 4)) % 4)
    return bytes(out)


def split(data: bytes) -> list[bytes]:
    """Every page of an XDV file as a file of its own."""
    xdv = read(data)
    return [page_file(xdv, index) for index in range(len(xdv.pages))]
