"""Subtitle cues: read Manim's SRT, shift and join them for a lecture, write SRT or WebVTT."""

import re
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


def parse_srt(text: str) -> list[Cue]:
    return [
        Cue(_seconds(*match.groups()[:4]), _seconds(*match.groups()[4:8]), match.group(9).strip())
        for match in _CUE.finditer(text.replace("\r\n", "\n"))
    ]


def _stamp(seconds: float, separator: str) -> str:
    millis = round(seconds * 1000)
    h, rest = divmod(millis, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{separator}{ms:03d}"


def _lines(text: str) -> str:
    """A cue's text as at most two lines of at most 42 characters, as burned into the frames."""
    return "\n".join(caption_lines(text))


def format_srt(cues: list[Cue]) -> str:
    blocks = [
        f"{index}\n{_stamp(cue.start, ',')} --> {_stamp(cue.end, ',')}\n{_lines(cue.text)}\n"
        for index, cue in enumerate(cues, start=1)
    ]
    return "\n".join(blocks)


def format_vtt(cues: list[Cue]) -> str:
    blocks = [
        f"{_stamp(cue.start, '.')} --> {_stamp(cue.end, '.')}\n{_lines(cue.text)}\n" for cue in cues
    ]
    return "WEBVTT\n\n" + "\n".join(blocks)


def shifted(cues: list[Cue], offset: float) -> list[Cue]:
    return [Cue(cue.start + offset, cue.end + offset, cue.text) for cue in cues]
