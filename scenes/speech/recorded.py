"""The lecturer's own voice: one recording per beat, ``FOLDER/<Scene>/<beat>.wav`` or ``.flac``.

A take carries all of its beat's phrases. Each phrase's span comes from where its words are said:
the take is force-aligned to the beat's words (:mod:`scenes.speech.alignment`, cached by the take's
digest and the words, so a render aligns a take once). When the alignment fails (a take that says
other words, a word with no pronunciation), a phrase's span is its share of the take by characters.
"""

import functools
import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from scenes.speech.audio import read_audio, trim_silence
from scenes.speech.base import BeatSpeech, Clip, Piece, SpeechError
from scenes.speech.cache import SpeechCache
from scenes.speech.checks import TAKE_SUFFIXES, audio_file_problem, take_candidates

if TYPE_CHECKING:
    from scenes.spec.models import VoiceSpec


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def phrase_spans(phrases: Sequence[str], seconds: float) -> tuple[tuple[float, float], ...]:
    """``seconds`` of speech shared among ``phrases`` in proportion to their lengths."""
    lengths = [max(1, len(phrase.strip())) for phrase in phrases]
    total = sum(lengths)
    spans = []
    done = 0
    for length in lengths:
        spans.append((seconds * done / total, seconds * (done + length) / total))
        done += length
    return tuple(spans)


ALIGNER = "pocketsphinx-1"
"""Part of a take's cache key: raise it when the alignment changes."""


def _aligned_take(path: Path, phrases: Sequence[str]) -> Clip:
    from scenes.speech.alignment import align_words, spoken_words, to_16k

    samples = trim_silence(read_audio(path))
    words = [word for phrase in phrases for word in spoken_words(phrase)]
    aligned = align_words(to_16k(samples), words) if len(samples) else None
    return Clip(samples, tuple(aligned or ()))


def word_phrase_spans(phrases: Sequence[str], clip: Clip) -> tuple[tuple[float, float], ...] | None:
    """Each phrase from its first word's start to its last word's end, from the clip's word
    times; None when they do not cover the phrases word for word.
    """
    from scenes.speech.alignment import spoken_words

    counts = [len(spoken_words(phrase)) for phrase in phrases]
    if not clip.words or 0 in counts or sum(counts) != len(clip.words):
        return None
    spans = []
    at = 0
    for count in counts:
        words = clip.words[at : at + count]
        spans.append((max(0.0, words[0].start), min(clip.seconds, words[-1].end)))
        at += count
    return tuple(spans)


class RecordedEngine:
    name = "recorded"

    def __init__(self, folder: Path, cache: SpeechCache) -> None:
        self.folder = folder
        self.cache = cache
        self.warnings: list[str] = []

    @functools.cached_property
    def _takes_digest(self) -> str:
        digest = hashlib.sha256()
        for path in sorted(self.folder.glob("*/*")):
            if path.suffix.lower() in TAKE_SUFFIXES and path.is_file():
                digest.update(f"{path.relative_to(self.folder).as_posix()}\0".encode())
                digest.update(file_digest(path).encode())
        return digest.hexdigest()

    def identity(self) -> dict[str, str]:
        # The takes are the voice: any take changing changes what is heard.
        return {"engine": self.name, "takes": self._takes_digest}

    def beat_speech(self, scene: str, beat: str, phrases: Sequence[str]) -> BeatSpeech | None:
        found = take_candidates(self.folder, scene, beat)
        if not phrases:
            if found:
                self.warnings.append(f"{found[0]}: beat {scene}/{beat} has no narration; not used")
            return None
        if not found:
            missing = self.folder / scene / f"{beat}.wav"
            self.warnings.append(f"{missing}: no take for {scene}/{beat}; that beat is silent")
            return None
        if len(found) > 1:
            raise SpeechError(f"{self.folder / scene} has both {beat}.wav and {beat}.flac")
        path = found[0]
        problem = audio_file_problem(path)
        if problem is not None:
            raise SpeechError(problem)
        identity = {"engine": self.name, "take": file_digest(path), "words": ALIGNER}
        clip = self.cache.clip(identity, " ".join(phrases), lambda: _aligned_take(path, phrases))
        if len(clip.samples) == 0:
            self.warnings.append(f"{path}: the take is silent; beat {scene}/{beat} is silent")
            return None
        spans = word_phrase_spans(phrases, clip) or phrase_spans(phrases, clip.seconds)
        return BeatSpeech((Piece(clip, spans),))


def make(voice: "VoiceSpec", base_dir: Path, cache: SpeechCache) -> RecordedEngine:
    assert voice.folder is not None  # VoiceSpec requires it for this engine
    return RecordedEngine(base_dir / voice.folder, cache)
