"""Subtitle cues: the timeline's captions written as SRT or WebVTT, and read back."""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from scenes.spec.timeline import caption_lines

_TIME = r"(\d+):(\d\d):(\d\d)[,.](\d\d\d)"
_CUE = re.compile(rf"{_TIME}\s*-->\s*{_TIME}\s*\n(.*?)(?:\n\s*\n|\Z)", re.S)


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


def _seconds(h: str, m: str, s: str, ms: str) -> float:
    return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


# SRT has no escapes, but players read markup in it: HTML-like tags (<i>, <font ...>) and ASS
# override blocks ({\an8}). A zero-width space after the "<" or "{" that would open one shows
# nothing and leaves no markup; parse_srt takes it out again.
_ZWSP = "\u200b"
_SRT_MARKUP = re.compile(r"([<{])(?=[A-Za-z/\\!])")
_SRT_DEFUSED = re.compile(rf"([<{{]){_ZWSP}(?=[A-Za-z/\\!])")


def _lines(text: str) -> str:
    """The cue text as burned into the frames: at most two lines of at most 42 characters, and
    never a blank line (which ends a cue in SRT and WebVTT alike).
    """
    return "\n".join(caption_lines(text)) if text.strip() else ""


def srt_text(text: str) -> str:
    """Cue text as SRT: no blank lines, no markup (the text is shown as written)."""
    return _SRT_MARKUP.sub(rf"\1{_ZWSP}", _lines(text))


def vtt_text(text: str) -> str:
    """Cue text as WebVTT, where it is markup: "<" opens a tag and "&" an entity, and "-->" must
    not appear; escaping & < > covers all three.
    """
    return _lines(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def parse_srt(text: str) -> list[Cue]:
    return [
        Cue(
            _seconds(*match.groups()[:4]),
            _seconds(*match.groups()[4:8]),
            _SRT_DEFUSED.sub(r"\1", match.group(9).strip()),
        )
        for match in _CUE.finditer(text.replace("\r\n", "\n"))
    ]


def _stamp(seconds: float, separator: str) -> str:
    millis = round(seconds * 1000)
    h, rest = divmod(millis, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{separator}{ms:03d}"


def vtt_stamp(seconds: float) -> str:
    return _stamp(seconds, ".")


def format_srt(cues: list[Cue]) -> str:
    """SubRip text; cues without any text are left out (nothing to show)."""
    shown = [cue for cue in cues if _lines(cue.text)]
    blocks = [
        f"{index}\n{_stamp(cue.start, ',')} --> {_stamp(cue.end, ',')}\n{srt_text(cue.text)}\n"
        for index, cue in enumerate(shown, start=1)
    ]
    return "\n".join(blocks)


def format_vtt(cues: list[Cue]) -> str:
    """WebVTT text of plain-text cues (escaped here); cues without any text are left out."""
    blocks = [
        f"{_stamp(cue.start, '.')} --> {_stamp(cue.end, '.')}\n{vtt_text(cue.text)}\n"
        for cue in cues
        if _lines(cue.text)
    ]
    return "WEBVTT\n\n" + "\n".join(blocks)


def shown(cues: Iterable[Cue]) -> list[Cue]:
    """The cues as a subtitle file shows them: the text wrapped into caption lines, the times to
    the millisecond, the cues without any text left out (what :func:`parse_srt` reads back).
    """
    return [
        Cue(round(cue.start, 3), round(cue.end, 3), _lines(cue.text))
        for cue in cues
        if _lines(cue.text)
    ]
