"""Voices: engines that turn a beat's phrases into speech, its cache, the narration track, audio
in the video files.

Importing this package imports no numpy: the spec layer runs :mod:`scenes.speech.checks`
through it while checking a spec.

A new engine is one module with ``make(voice, base_dir, cache) -> Engine`` and one line in
:data:`ENGINES` (and its name in ``VoiceSpec.engine``).
"""

import importlib
from pathlib import Path
from typing import TYPE_CHECKING

from scenes.speech.base import Engine, SpeechError

if TYPE_CHECKING:
    from scenes.spec.models import VoiceSpec
    from scenes.speech.cache import SpeechCache

ENGINES: dict[str, str] = {
    "espeak-ng": "scenes.speech.espeak",
    "piper": "scenes.speech.piper",
    "recorded": "scenes.speech.recorded",
    "none": "scenes.speech.silent",
}
"""Engine name -> the module that makes it (imported only when that engine is used)."""


def engine_for(
    voice: "VoiceSpec | None", base_dir: Path, cache: "SpeechCache | None" = None
) -> Engine:
    """The engine that speaks for ``voice`` (no voice: the silent one).

    Paths in ``voice`` are relative to ``base_dir``, the folder of the spec that names them.
    Raises :class:`SpeechError` when the engine cannot run here (program, package or file missing).
    """
    from scenes.speech.cache import SpeechCache

    name = voice.engine if voice is not None else "none"
    module = importlib.import_module(ENGINES[name])
    engine: Engine = module.make(voice, base_dir, cache if cache is not None else SpeechCache())
    return engine


__all__ = ["ENGINES", "Engine", "SpeechError", "engine_for"]
