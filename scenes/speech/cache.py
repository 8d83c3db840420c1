"""Speech cached by content: a phrase is synthesised once per voice, whatever else changes.

The key is a digest of the engine's identity (engine, voice, rate, model file digest, engine
version) and the text, so editing one narration line misses the cache for that line only, and a
new voice or engine version never replays old speech. Each entry is a 24-bit FLAC file and a small
JSON file beside it, under ``cache_dir()/speech``; the JSON is written last, so an entry without it
is unfinished and is made again. A clip with no sound at all (a phrase such as "..." that the voice
says as silence, a take of digital silence) is its JSON alone: a FLAC file of no samples is one
libsndfile writes but cannot read back.
"""

import hashlib
import json
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import soundfile

from scenes.files import atomic_path, cache_dir, write_text_atomic
from scenes.speech.audio import flac_bytes, read_audio
from scenes.speech.base import Clip, Word

FORMAT = 1
"""Part of every key: raise it when the way clips are made or stored changes (trimming,
resampling), so that no entry made the old way is ever read."""


def speech_key(identity: Mapping[str, str], text: str) -> str:
    payload = json.dumps(
        {"format": FORMAT, "identity": dict(identity), "text": text}, sort_keys=True
    )
    return hashlib.sha256(payload.encode()).hexdigest()


class SpeechCache:
    """Clips by (identity, text), in ``root`` (default: the loss-scenes cache folder)."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root if root is not None else cache_dir() / "speech"

    def _paths(self, key: str) -> tuple[Path, Path]:
        folder = self.root / key[:2]
        return folder / f"{key}.flac", folder / f"{key}.json"

    def get(self, identity: Mapping[str, str], text: str) -> Clip | None:
        audio, meta = self._paths(speech_key(identity, text))
        try:
            record = json.loads(meta.read_text(encoding="utf-8"))
            samples = (
                read_audio(audio.read_bytes())
                if record.get("samples") != 0
                else np.zeros(0, dtype=np.float32)
            )
        except (OSError, ValueError, soundfile.LibsndfileError):
            return None
        if record.get("samples") != len(samples):
            return None
        words = tuple(Word(start, end, word) for start, end, word in record.get("words", []))
        return Clip(samples, words)

    def clip(self, identity: Mapping[str, str], text: str, make: Callable[[], Clip]) -> Clip:
        """The cached clip for ``text`` in this voice, made by ``make()`` (and stored) if new.

        A fresh clip is returned as the cache will give it back later (24-bit), so a render is the
        same whether its speech came from the cache or not.
        """
        cached = self.get(identity, text)
        if cached is not None:
            return cached
        made = make()
        audio, meta = self._paths(speech_key(identity, text))
        if len(made.samples) == 0:
            clip = Clip(np.zeros(0, dtype=np.float32), made.words)
        else:
            data = flac_bytes(made.samples)
            clip = Clip(read_audio(data), made.words)
            with atomic_path(audio) as temp:
                temp.write_bytes(data)
        record = {
            "identity": dict(identity),
            "text": text,
            "samples": len(clip.samples),
            "words": [[word.start, word.end, word.text] for word in clip.words],
        }
        write_text_atomic(meta, json.dumps(record, indent=1, ensure_ascii=False) + "\n")
        return clip
