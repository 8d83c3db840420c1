"""The espeak-ng voice: the Debian program, run once per phrase (deterministic, no model files)."""

import functools
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from scenes.languages import voice_language
from scenes.speech.audio import read_audio
from scenes.speech.base import Clip, SpeechError
from scenes.speech.cache import SpeechCache
from scenes.speech.checks import ESPEAK_MISSING, espeak_program
from scenes.speech.phrases import PhraseEngine

if TYPE_CHECKING:
    from scenes.spec.models import VoiceSpec

WORDS_PER_SPEED = 1.054
"""Words per minute said while speaking (pauses of 0.25 s or more left out) per unit of espeak-ng's
``-s``: measured on the default lecture's 40 phrases, 143.3 at ``-s 136`` (167.3 at 160). So
``rate`` is the pace heard, not espeak-ng's nominal one (``benchmarks/voice_report.py``)."""


def speed(rate: int) -> int:
    """espeak-ng's ``-s`` for ``rate`` words per minute while speaking."""
    return max(80, round(rate / WORDS_PER_SPEED))


def program() -> str:
    path = espeak_program()
    if path is None:
        raise SpeechError(ESPEAK_MISSING)
    return path


@functools.cache
def version(path: str) -> str:
    """The version line without the data folder, e.g. ``eSpeak NG text-to-speech: 1.51``."""
    result = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
    return result.stdout.split("Data at:")[0].strip()


class EspeakEngine(PhraseEngine):
    name = "espeak-ng"

    def __init__(
        self, voice: str, rate: int, cache: SpeechCache, lexicon: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(cache, lexicon, voice_language("espeak-ng", voice))
        self.program = program()
        self.voice = voice
        self.rate = rate

    def identity(self) -> dict[str, str]:
        return {
            "engine": self.name,
            "voice": self.voice,
            "rate": str(self.rate),
            "speed": str(speed(self.rate)),
            "version": version(self.program),
        }

    def synthesise(self, text: str) -> Clip:
        # The text goes in on stdin (--stdin reads it whole), so nothing in it is read as an option;
        # -b 1: the input is UTF-8.
        pace = str(speed(self.rate))
        command = [self.program, "-v", self.voice, "-s", pace, "-b", "1", "--stdin"]
        result = subprocess.run(
            [*command, "--stdout"], input=text.encode("utf-8"), capture_output=True, check=False
        )
        if result.returncode != 0 or not result.stdout.startswith(b"RIFF"):
            reason = result.stderr.decode("utf-8", "replace").strip().splitlines()
            raise SpeechError(
                f"espeak-ng could not speak with voice {self.voice!r}: "
                f"{reason[0] if reason else f'exit code {result.returncode}'}"
            )
        return Clip(read_audio(result.stdout))


def make(voice: "VoiceSpec", base_dir: Path, cache: SpeechCache) -> EspeakEngine:
    return EspeakEngine(voice.voice, voice.rate, cache, voice.lexicon)
