"""The one timeline of a scene: its beats, their durations, captions and speech, computed once.

Every scene, of every kind, is a sequence of beats (spec-v2 section 8). A scene's model declares
its beats (:class:`BeatPlan`: id, minimum seconds from ``timing``, narration); this module lays
them out in time, from the plans, the speech (when the scene has a voice) and the caption rate:

- the narration of a beat is cut into caption-sized phrases (at most 2 lines of 42 characters);
- each phrase is one cue, shown from the moment its speech starts until the next one starts, and
  long enough to be read at the caption rate (15 characters per second by default);
- a beat lasts the largest of its ``timing`` minimum, its speech plus 0.3 s, and the reading time
  of its captions;
- a beat's ``pause`` (spec-v3 section 14) is silence at its end, after its speech and after its
  ``timing`` minimum (what the beat draws), so the picture holds while nothing is said; it
  replaces the 0.3 s after the speech when longer, it does not add to it.

The scene builders play this timeline; the part planner cuts it at beat boundaries; subtitles,
chapters, the site, the presenter and ``loss-scenes script`` read it. Nothing re-derives it.

No Manim, JAX or numpy here: ``check`` and ``script`` use it.
"""

import functools
import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from .voice import CaptionsSpec

__all__ = [
    "CAPTION_LINE",
    "CAPTION_LINES",
    "MIN_BEAT_SECONDS",
    "SPEECH_TAIL",
    "Beat",
    "BeatPlan",
    "Cue",
    "Timeline",
    "build_timeline",
    "caption_lines",
    "phrases",
]

CAPTION_LINE = 42
"""Characters per caption line (the usual limit for subtitles)."""
CAPTION_LINES = 2
SPEECH_TAIL = 0.3
"""Seconds a beat goes on after its speech ends, so the next beat does not start mid-breath."""
PHRASE_GAP = 0.15
"""Seconds of silence between two phrases of one beat said by a text-to-speech voice."""
MIN_BEAT_SECONDS = 0.3
"""Shortest beat: at 15 fps, a frame or more for each of the (at most four) animations a
beat plays."""


@dataclass(frozen=True)
class BeatPlan:
    """What a scene's spec says about one beat, before anything is laid out in time."""

    id: str
    minimum: float
    """Seconds from the spec's ``timing``: the beat lasts at least this long."""
    text: str | None = None
    """Narration (spoken and captioned); None or empty: a silent beat."""
    pause: float = 0.0
    """Seconds of silence at the beat's end, after its speech and its minimum (``pause``)."""


def fixed_beat_plans(
    ids: Sequence[str], timing: Any, narration: Any, pause: Any = None
) -> list[BeatPlan]:
    """The plans of a scene whose beats are always the same: each id's seconds, caption and
    pause are its ``timing``, ``narration`` and ``pause`` fields of the same name.
    """
    return [
        BeatPlan(id, getattr(timing, id), getattr(narration, id), getattr(pause, id, 0.0))
        for id in ids
    ]


@dataclass(frozen=True)
class Cue:
    """One caption, in seconds from the scene's start."""

    start: float
    end: float
    text: str

    @property
    def lines(self) -> list[str]:
        return caption_lines(self.text)


@dataclass(frozen=True)
class Beat:
    """One beat laid out in time; ``start`` and the cue times are seconds from the scene start."""

    id: str
    start: float
    seconds: float
    text: str
    cues: tuple[Cue, ...] = ()
    speech_starts: tuple[float, ...] = ()
    """Start (scene time) of each piece of this beat's speech, in the order of its pieces."""
    speech_seconds: float = 0.0
    """From the beat's start to the end of its last piece of speech (0: silent)."""
    pause: float = 0.0
    """Seconds at the beat's end in which nothing is said and the picture holds (included in
    ``seconds``)."""

    @property
    def end(self) -> float:
        return self.start + self.seconds


@dataclass(frozen=True)
class Timeline:
    """A scene's beats, in order and back to back from 0."""

    scene: str
    beats: tuple[Beat, ...]
    caption_rate: float = 15.0
    burn: bool = True
    """Whether the video frames show the captions (subtitle files are written either way)."""
    voice: dict[str, str] = field(default_factory=dict)
    """The voice's identity (engine, voice, rate, model digest); empty without a voice."""

    @property
    def seconds(self) -> float:
        return self.beats[-1].end if self.beats else 0.0

    @property
    def cues(self) -> list[Cue]:
        return [cue for beat in self.beats for cue in beat.cues]

    def beat(self, beat_id: str) -> Beat:
        for beat in self.beats:
            if beat.id == beat_id:
                return beat
        raise KeyError(f"{self.scene} has no beat {beat_id!r}")

    def index(self, beat_id: str) -> int:
        return [beat.id for beat in self.beats].index(beat_id)

    def rows(self) -> list[dict[str, Any]]:
        """The beats as ``loss-scenes script --json`` prints them."""
        return [
            {
                "scene": self.scene,
                "beat": beat.id,
                "start": round(beat.start, 3),
                "seconds": round(beat.seconds, 3),
                "text": beat.text,
                "pause": round(beat.pause, 3),
            }
            for beat in self.beats
        ]


# --------------------------------------------------------------------------------------------------
# Captions: narration -> phrases of at most two lines


def _clean(text: str) -> str:
    """One line of text: YAML block scalars keep newlines and blank lines, captions must not."""
    return " ".join(text.split())


def caption_lines(text: str) -> list[str]:
    """``text`` wrapped into lines of at most :data:`CAPTION_LINE` characters, balanced.

    Two lines of similar length read better than a full line and a stub, so the break is the
    one closest to the middle among those that keep both lines within the limit.
    """
    text = _clean(text)
    if len(text) <= CAPTION_LINE:
        return [text]
    lines = textwrap.wrap(text, CAPTION_LINE, break_on_hyphens=False)
    if len(lines) != 2:
        return lines
    words = text.split(" ")
    best: tuple[int, list[str]] | None = None
    for cut in range(1, len(words)):
        first, second = " ".join(words[:cut]), " ".join(words[cut:])
        if len(first) <= CAPTION_LINE and len(second) <= CAPTION_LINE:
            score = abs(len(first) - len(second))
            if best is None or score < best[0]:
                best = (score, [first, second])
    return best[1] if best is not None else lines


def _fits(text: str) -> bool:
    return len(textwrap.wrap(text, CAPTION_LINE, break_on_hyphens=False)) <= CAPTION_LINES


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_CLAUSE_END = (",", ";", ":", "—", "–")
_PHRASE_TARGET = 80
"""A sentence too long for one cue is cut into phrases of about equal length, near this."""


def phrases(text: str | None) -> list[str]:
    """Cut narration into caption-sized phrases, each at most 2 lines of 42 characters.

    Sentences are kept whole when they fit. A longer one is cut into phrases of about equal
    length, preferably after a comma, colon or other clause mark. Consecutive whole sentences
    that fit together share a phrase; a cut sentence never shares one with another.
    """
    if not text or not text.strip():
        return []
    merged: list[str] = []
    previous_whole = False
    for sentence in _SENTENCE_END.split(_clean(text)):
        cut = _cut(sentence)
        whole = len(cut) == 1
        if whole and previous_whole and _fits(f"{merged[-1]} {sentence}"):
            merged[-1] = f"{merged[-1]} {sentence}"
        else:
            merged.extend(cut)
        previous_whole = whole
    return merged


def _cut_badness(words: list[str], n: int, target: float) -> float:
    """How bad a cut after ``n`` words is: far from the target length, unless at a clause mark."""
    clause = words[n - 1].endswith(_CLAUSE_END)
    return abs(len(" ".join(words[:n])) - target) - (20 if clause else 0)


def _cut(sentence: str) -> list[str]:
    out: list[str] = []
    words = sentence.split(" ")
    while words:
        rest = " ".join(words)
        if _fits(rest):
            out.append(rest)
            break
        target = len(rest) / -(-len(rest) // _PHRASE_TARGET)
        fitting = [n for n in range(1, len(words)) if _fits(" ".join(words[:n]))] or [1]
        n = min(fitting, key=functools.partial(_cut_badness, words, target=target))
        out.append(" ".join(words[:n]))
        words = words[n:]
    return out


# --------------------------------------------------------------------------------------------------
# Layout


class _PieceLike(Protocol):
    @property
    def seconds(self) -> float: ...

    @property
    def phrase_spans(self) -> tuple[tuple[float, float], ...]: ...


class _BeatSpeechLike(Protocol):
    @property
    def pieces(self) -> Sequence[_PieceLike]: ...


def build_timeline(
    scene: str,
    plans: Sequence[BeatPlan],
    *,
    speech: Mapping[str, _BeatSpeechLike | None] | None = None,
    caption_rate: float = 15.0,
    burn: bool = True,
    voice: Mapping[str, str] | None = None,
) -> Timeline:
    """Lay out ``plans`` back to back: durations, cues and where each piece of speech starts.

    ``speech`` maps beat ids to what the voice says in them (see ``scenes.speech.base``); its
    pieces must cover the beat's :func:`phrases` in order. Without it the scene is silent and
    captions are paced by ``caption_rate`` alone.
    """
    beats: list[Beat] = []
    start = 0.0
    for plan in plans:
        text = _clean(plan.text or "")
        beat_speech = (speech or {}).get(plan.id) if text else None
        beat = _lay_out(plan, text, start, beat_speech, caption_rate)
        beats.append(beat)
        start = beat.end
    return Timeline(
        scene=scene,
        beats=tuple(beats),
        caption_rate=caption_rate,
        burn=burn,
        voice=dict(voice or {}),
    )


def _lay_out(
    plan: BeatPlan, text: str, start: float, speech: _BeatSpeechLike | None, rate: float
) -> Beat:
    said = phrases(text)
    minimum = max(plan.minimum, MIN_BEAT_SECONDS)
    pause = plan.pause
    if not said:
        return Beat(plan.id, start, minimum + pause, text, pause=pause)
    reading = [len(phrase) / rate for phrase in said]
    cue_starts: list[float] = []
    piece_starts: list[float] = []
    speech_end = 0.0
    if speech is not None and speech.pieces:
        count = sum(len(piece.phrase_spans) for piece in speech.pieces)
        if count != len(said):
            raise ValueError(
                f"beat {plan.id!r}: the speech covers {count} phrases, the narration has "
                f"{len(said)}"
            )
        at = 0.0
        phrase = 0
        for piece in speech.pieces:
            # A piece starts once the previous one has been said and its captions read; within
            # a piece (one recording) the phrases come when they are said.
            if phrase:
                at = max(at, cue_starts[-1] + reading[phrase - 1])
            piece_starts.append(at)
            for span_start, _span_end in piece.phrase_spans:
                cue_starts.append(at + span_start)
                phrase += 1
            speech_end = at + piece.seconds
            at = speech_end + PHRASE_GAP
        tail = speech_end + max(SPEECH_TAIL, pause)
    else:
        # Without speech each caption is up for its reading time.
        at = 0.0
        for seconds in reading:
            cue_starts.append(at)
            at += seconds
        # Captions read without a voice: the pause comes after the reading.
        tail = max(minimum, cue_starts[-1] + reading[-1]) + pause
    seconds = max(minimum + pause, tail, cue_starts[-1] + reading[-1])
    if speech is None or not speech.pieces:
        # A beat longer than its reading time spreads the captions over it (but not over its
        # pause), so the last one does not sit for seconds after the others flashed by.
        stretch = (seconds - pause) / (cue_starts[-1] + reading[-1])
        cue_starts = [t * stretch for t in cue_starts]
    ends = [*cue_starts[1:], seconds]
    cues = tuple(
        Cue(start + t0, start + t1, phrase)
        for t0, t1, phrase in zip(cue_starts, ends, said, strict=True)
    )
    return Beat(
        plan.id,
        start,
        seconds,
        text,
        cues,
        speech_starts=tuple(start + t for t in piece_starts),
        speech_seconds=speech_end,
        pause=pause,
    )


def scene_timeline(
    spec: Any,
    *,
    speech: Mapping[str, _BeatSpeechLike | None] | None = None,
    generated: Mapping[str, str] | None = None,
    voice: Mapping[str, str] | None = None,
) -> Timeline:
    """The timeline of a scene spec of any kind (its model's ``beat_plans``).

    ``generated`` holds computed narration (the result a scene arrives at, say) for beats whose
    narration the spec leaves out.
    """
    captions = spec.captions or CaptionsSpec()
    plans = [
        plan
        if plan.text or not (generated or {}).get(plan.id)
        else BeatPlan(plan.id, plan.minimum, (generated or {})[plan.id], plan.pause)
        for plan in spec.beat_plans()
    ]
    return build_timeline(
        spec.scene,
        plans,
        speech=speech,
        caption_rate=captions.rate,
        burn=captions.burn,
        voice=voice,
    )
