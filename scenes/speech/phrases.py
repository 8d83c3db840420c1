"""Text-to-speech engines: each phrase synthesised apart, trimmed, cached by content.

Saying each phrase as its own clip times every caption cue exactly (its phrase starts when its
clip does), and lets the cache keep one entry per phrase, so editing one phrase synthesises one.
"""

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence

from scenes.speech.audio import trim_silence
from scenes.speech.base import BeatSpeech, Clip, Piece
from scenes.speech.cache import SpeechCache
from scenes.speech.lexicon import spoken


class PhraseEngine(ABC):
    """What espeak-ng and piper share; subclasses give ``name``, ``identity``, ``synthesise``."""

    name = ""

    def __init__(
        self,
        cache: SpeechCache,
        lexicon: Mapping[str, str] | None = None,
        language: str | None = "en",
    ) -> None:
        self.cache = cache
        self.lexicon = dict(lexicon or {})
        """The spec's ``voice.lexicon``, said over the package's (:mod:`scenes.speech.lexicon`)."""
        self.language = language
        """The language the voice speaks (ISO 639-1), which picks the package's lexicon."""
        self.warnings: list[str] = []

    @abstractmethod
    def identity(self) -> dict[str, str]:
        """What makes this voice sound as it does (the speech cache's key with the text)."""

    @abstractmethod
    def synthesise(self, text: str) -> Clip:
        """``text`` spoken, as it comes from the engine (at 48 kHz, silence not yet trimmed)."""

    def phrase_clip(self, text: str) -> Clip:
        # The engine gets the text respelled (its cache key too); captions keep the written one.
        said = spoken(text, self.lexicon, self.language)
        return self.cache.clip(self.identity(), said, lambda: self._trimmed(said))

    def _trimmed(self, text: str) -> Clip:
        # Word timings (none yet from either engine) would have to shift with the trim.
        return Clip(trim_silence(self.synthesise(text).samples))

    def beat_speech(self, scene: str, beat: str, phrases: Sequence[str]) -> BeatSpeech | None:
        if not phrases:
            return None
        pieces = []
        for phrase in phrases:
            clip = self.phrase_clip(phrase)
            pieces.append(Piece(clip, ((0.0, clip.seconds),)))
        return BeatSpeech(tuple(pieces))
