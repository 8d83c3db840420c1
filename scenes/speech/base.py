"""What every voice engine gives the timeline and the mixer: clips of speech, and their phrases.

A scene's narration is cut into caption-sized phrases (``scenes.spec.timeline``). An engine
turns one beat's phrases into :class:`BeatSpeech`: one or more continuous recordings
(:class:`Piece`), each saying some of the phrases, with where in the recording each phrase is
said. Text-to-speech engines say one phrase per piece, so a caption's cue starts exactly when its
phrase does; a lecturer's own recording of a beat is one piece carrying all its phrases.

The timeline reads only durations and phrase spans; the mixer reads the samples.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from scenes.errors import LossScenesError

if TYPE_CHECKING:
    import numpy as np

SAMPLE_RATE = 48_000
"""Every clip, track and encoded stream is mono or stereo at 48 kHz (spec-v2 section 9)."""


@dataclass(frozen=True)
class Word:
    """One word of a clip, in seconds from the clip's start."""

    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Clip:
    """Mono speech as float32 samples in [-1, 1] at :data:`SAMPLE_RATE`."""

    samples: "np.ndarray"
    words: tuple[Word, ...] = ()

    @property
    def seconds(self) -> float:
        return len(self.samples) / SAMPLE_RATE

    def digest(self) -> str:
        """A digest of the sound (samples and word timings), for reuse keys."""
        digest = hashlib.sha256(self.samples.astype("<f4").tobytes())
        digest.update(repr(self.words).encode())
        return digest.hexdigest()


@dataclass(frozen=True)
class Piece:
    """A continuous recording and, for each phrase it says, ``(start, end)`` within it."""

    clip: Clip
    phrase_spans: tuple[tuple[float, float], ...]

    @property
    def seconds(self) -> float:
        return self.clip.seconds


@dataclass(frozen=True)
class BeatSpeech:
    """What is said in one beat: pieces in order, covering the beat's phrases in order."""

    pieces: tuple[Piece, ...]

    @property
    def phrase_count(self) -> int:
        return sum(len(piece.phrase_spans) for piece in self.pieces)

    def digest(self) -> str:
        """A digest of everything the video and its sound take from this speech: a render key
        that includes it changes exactly when what is heard (or when it is heard) changes.
        """
        digest = hashlib.sha256()
        for piece in self.pieces:
            digest.update(piece.clip.digest().encode())
            digest.update(repr(piece.phrase_spans).encode())
        return digest.hexdigest()


class SpeechError(LossScenesError, traceback_hint=True):
    """A voice that cannot speak: a missing program, package or file. The message is one line
    that says what to install or which file is missing.

    Shown with its type and the traceback hint: the machine lacks something, and the traceback
    says which step of the speech looked for it.
    """


class Engine(Protocol):
    """A voice: turns a beat's phrases into speech.

    ``identity`` is everything the sound depends on besides the text (engine, voice, rate, model
    file digest, engine version): with the text it is the speech cache's key and part of a scene's
    render key.
    """

    name: str
    warnings: list[str]
    """Things the renderer should print (e.g. a recorded take that is missing)."""

    def identity(self) -> dict[str, str]: ...

    def beat_speech(self, scene: str, beat: str, phrases: Sequence[str]) -> BeatSpeech | None:
        """The speech of one beat, or None when the beat is silent."""
        ...
