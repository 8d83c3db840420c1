"""The piper voice: a neural voice model the user supplies (``.onnx`` and its ``.onnx.json``).

piper is an optional extra (``pip install 'loss-scenes[piper]'``) and the model is a file the
user names in the spec; nothing is ever downloaded. The model is loaded only when a phrase is
missing from the speech cache.
"""

import functools
import hashlib
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from scenes.speech.audio import to_mono_48k
from scenes.speech.base import Clip, SpeechError
from scenes.speech.cache import SpeechCache
from scenes.speech.checks import (
    PIPER_INSTALL,
    PIPER_PACKAGE,
    piper_config_path,
    piper_model_problem,
)
from scenes.speech.phrases import PhraseEngine

if TYPE_CHECKING:
    from scenes.spec.models import VoiceSpec

NATURAL_RATE = 160
"""Words per minute taken as the voice's own pace: ``rate`` scales piper's length scale by
``NATURAL_RATE / rate`` (piper voices are trained on read speech of about this pace)."""


class PiperEngine(PhraseEngine):
    name = "piper"

    def __init__(self, model: Path, rate: int, cache: SpeechCache) -> None:
        super().__init__(cache)
        problem = piper_model_problem(model)
        if problem is not None:
            raise SpeechError(problem)
        self.model = model
        self.rate = rate

    @functools.cached_property
    def _model_digest(self) -> str:
        digest = hashlib.sha256()
        for path in (self.model, piper_config_path(self.model)):
            digest.update(path.read_bytes())
        return digest.hexdigest()

    def identity(self) -> dict[str, str]:
        return {
            "engine": self.name,
            "model": self._model_digest,
            "rate": str(self.rate),
            "version": metadata.version(PIPER_PACKAGE),
        }

    @functools.cached_property
    def _voice(self) -> Any:
        try:
            from piper import PiperVoice
        except ImportError as error:
            raise SpeechError(
                f"engine piper needs the {PIPER_PACKAGE} package: {PIPER_INSTALL}"
            ) from error
        try:
            return PiperVoice.load(self.model, config_path=piper_config_path(self.model))
        except Exception as error:  # onnxruntime and json raise many kinds for a bad file
            raise SpeechError(f"piper cannot load voice model {self.model}: {error}") from error

    def synthesise(self, text: str) -> Clip:
        from piper import SynthesisConfig

        voice = self._voice
        config = SynthesisConfig(
            length_scale=voice.config.length_scale * NATURAL_RATE / self.rate,
            # Loudness is set once for the whole track; per-sentence peak scaling would make
            # sentences of one phrase differ in level.
            normalize_audio=False,
        )
        chunks = list(voice.synthesize(text, syn_config=config))
        if not chunks:
            return Clip(np.zeros(0, dtype=np.float32))
        samples = np.concatenate([chunk.audio_float_array for chunk in chunks])
        return Clip(to_mono_48k(samples, chunks[0].sample_rate))


def make(voice: "VoiceSpec", base_dir: Path, cache: SpeechCache) -> PiperEngine:
    assert voice.model is not None  # VoiceSpec requires it for this engine
    return PiperEngine(base_dir / voice.model, voice.rate, cache)
