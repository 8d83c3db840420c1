"""The lecturer's takes on disk: ``FOLDER/<Scene>/<beat>.wav`` and the words each was recorded for.

Every take that ``loss-scenes record`` or ``loss-scenes takes`` writes gets a sidecar beside it,
``<beat>.json``: the narration it was recorded for, the SHA-256 of the take it describes and, when
known, where each word is said in it. When the beat's narration changes, the take is stale
(:func:`stale`): ``check`` warns and ``script`` marks the beat. A take without a sidecar (made by
hand, or by an older version) is never called stale; neither is one whose sidecar describes
another file (the take was replaced by hand), since nothing is known of what it says.

The take is written first, then its sidecar, each atomically: a process killed between the two
leaves the new take with the old sidecar, whose digest no longer matches, so it is not trusted.
"""

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from scenes.files import atomic_path, write_text_atomic
from scenes.speech.base import SAMPLE_RATE, Word

if TYPE_CHECKING:
    from scenes.speech.alignment import Found

SIDECAR_SUFFIX = ".json"


def take_path(folder: Path, scene: str, beat: str) -> Path:
    return folder / scene / f"{beat}.wav"


def sidecar_path(take: Path) -> Path:
    return take.with_suffix(SIDECAR_SUFFIX)


def same_words(a: str, b: str) -> bool:
    """Whether two narrations are the same words (line breaks and spacing aside)."""
    return a.split() == b.split()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_take(
    folder: Path,
    scene: str,
    beat: str,
    samples: np.ndarray,
    text: str,
    words: Sequence[Word] = (),
) -> Path:
    """Write a take (mono float samples at 48 kHz) and its sidecar; return the take's path."""
    import soundfile

    path = take_path(folder, scene, beat)
    with atomic_path(path) as temp:
        soundfile.write(temp, samples, SAMPLE_RATE, subtype="PCM_24", format="WAV")
        digest = _digest(temp)
    record = {
        "text": " ".join(text.split()),
        "take": digest,
        "words": [[round(w.start, 3), round(w.end, 3), w.text] for w in words],
    }
    write_text_atomic(sidecar_path(path), json.dumps(record, indent=1, ensure_ascii=False) + "\n")
    return path


def _record(take: Path) -> dict | None:
    """The sidecar of ``take`` if there is one and it describes this very file."""
    try:
        record = json.loads(sidecar_path(take).read_text(encoding="utf-8"))
        if not isinstance(record, dict) or record.get("take") != _digest(take):
            return None
    except (OSError, ValueError):
        return None
    return record


def recorded_text(take: Path) -> str | None:
    """The narration ``take`` was recorded for, or None when that is not known."""
    record = _record(take)
    text = record.get("text") if record else None
    return text if isinstance(text, str) else None


def recorded_words(take: Path) -> tuple[Word, ...]:
    """Where each word is said in ``take`` (seconds from its start), when its sidecar knows."""
    record = _record(take)
    try:
        return tuple(Word(float(a), float(b), str(w)) for a, b, w in (record or {})["words"])
    except (KeyError, TypeError, ValueError):
        return ()


def stale(folder: Path, scene: str, beat: str, text: str | None) -> bool:
    """Whether the take of ``scene``'s ``beat`` was recorded for other words than ``text``."""
    path = take_path(folder, scene, beat)
    if not path.is_file():
        return False
    said = recorded_text(path)
    return said is not None and not same_words(said, text or "")


# --------------------------------------------------------------------------------------------------
# One reading of the whole script, cut into takes

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def sentences(text: str) -> list[str]:
    return [part for part in _SENTENCE_END.split(" ".join(text.split())) if part]


@dataclass(frozen=True)
class BeatCut:
    """One beat found in a reading: where (seconds in the reading) and its take."""

    scene: str
    beat: str
    text: str
    start: float
    end: float
    confidence: float
    samples: np.ndarray
    words: tuple[Word, ...]


class MissingBeat(Exception):
    def __init__(self, scene: str, beat: str) -> None:
        super().__init__(f"{scene}/{beat}")
        self.scene = scene
        self.beat = beat


EDGE = 0.05
"""Seconds of the reading kept before a beat's first word and after its last."""
LONGEST_GAP = 0.6
"""A pause between two sentences of one beat is kept up to this long."""


def _spans(sentence: "Found") -> list[tuple[float, float, tuple[Word, ...]]]:
    """A sentence's words in pieces, cut where the reader paused longer than :data:`LONGEST_GAP`
    between two words: ``(start, end, words)`` in seconds of the reading.
    """
    if not sentence.words:
        return [(sentence.start, sentence.end, ())]
    spans = [[sentence.words[0]]]
    for word in sentence.words[1:]:
        if word.start - spans[-1][-1].end > LONGEST_GAP:
            spans.append([])
        spans[-1].append(word)
    return [(span[0].start, span[-1].end, tuple(span)) for span in spans]


def cut_reading(samples: np.ndarray, beats: Sequence[tuple[str, str, str]]) -> list[BeatCut]:
    """Find each ``(scene, beat, text)`` in the reading (mono, 48 kHz) and cut its take.

    A beat's take is its sentences as they were read, each the last time it was said, with the
    pauses between them (at most :data:`LONGEST_GAP`; a longer one, between sentences or inside
    one, becomes half that); a stumble or a repeat between them is left out. Raises
    :class:`MissingBeat` for the first beat not found.
    """
    from scenes.speech.alignment import Missing, find_sentences, to_16k

    owners: list[int] = []
    said: list[str] = []
    for index, (_, _, text) in enumerate(beats):
        for written in sentences(text):
            owners.append(index)
            said.append(written)
    try:
        found = find_sentences(to_16k(samples), said)
    except Missing as missing:
        scene, beat, _ = beats[owners[missing.index]]
        raise MissingBeat(scene, beat) from None
    cuts = []
    for index, (scene, beat, text) in enumerate(beats):
        mine = [f for f, owner in zip(found, owners, strict=True) if owner == index]
        if not mine:
            continue
        pieces: list[np.ndarray] = []
        words: list[Word] = []
        at = 0.0
        said_until: float | None = None  # where the last piece's words end, in the reading
        for number, sentence in enumerate(mine):
            for part, (first, last, spoken) in enumerate(_spans(sentence)):
                start = max(0.0, first - EDGE)
                end = last + EDGE
                if said_until is not None:
                    read_on = (
                        part == 0 and sentence.stretches[0] <= mine[number - 1].stretches[1] + 1
                    )
                    if read_on and first - said_until <= LONGEST_GAP + 2 * EDGE:
                        start = said_until + EDGE  # the pause as it was read
                    else:  # something left out, or a long pause: a short one instead
                        pieces.append(np.zeros(int(LONGEST_GAP / 2 * SAMPLE_RATE), np.float32))
                        at += LONGEST_GAP / 2
                piece = samples[round(start * SAMPLE_RATE) : round(end * SAMPLE_RATE)]
                words += [Word(at + w.start - start, at + w.end - start, w.text) for w in spoken]
                pieces.append(piece)
                at += len(piece) / SAMPLE_RATE
                said_until = last
        cuts.append(
            BeatCut(
                scene,
                beat,
                text,
                mine[0].start,
                mine[-1].end,
                float(np.mean([f.confidence for f in mine])),
                np.concatenate(pieces).astype(np.float32),
                tuple(words),
            )
        )
    return cuts
