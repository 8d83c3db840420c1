"""No voice: every beat is silent, and the timeline paces captions by reading time alone."""

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from scenes.speech.base import BeatSpeech

if TYPE_CHECKING:
    from scenes.spec.models import VoiceSpec
    from scenes.speech.cache import SpeechCache


class SilentEngine:
    name = "none"

    def __init__(self) -> None:
        self.warnings: list[str] = []

    def identity(self) -> dict[str, str]:
        return {"engine": self.name}

    def beat_speech(self, scene: str, beat: str, phrases: Sequence[str]) -> BeatSpeech | None:
        return None


def make(voice: "VoiceSpec", base_dir: Path, cache: "SpeechCache") -> SilentEngine:
    return SilentEngine()
