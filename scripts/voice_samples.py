"""Write the README's voice samples: one sentence said by espeak-ng and by the bundled piper voice.

    .venv/bin/python scripts/voice_samples.py   # docs/voice-espeak-ng.ogg, docs/voice-piper.ogg

Each is the sentence as a lecture says it (lexicon applied, default rate), at -16 LUFS, as
Ogg/Opus at 32 kbit/s mono (a few kilobytes a second).
"""

import tempfile
from pathlib import Path

import av
import numpy as np

from scenes.spec.voice import VoiceSpec
from scenes.speech import engine_for
from scenes.speech.audio import pcm_frames
from scenes.speech.base import SAMPLE_RATE
from scenes.speech.cache import SpeechCache
from scenes.speech.track import normalised

ROOT = Path(__file__).resolve().parent.parent
SENTENCE = "Huber's loss is a parabola in the middle. With JAX, θ settles on 0.3167."


def write_ogg(samples: np.ndarray, path: Path) -> None:
    with av.open(str(path), "w", format="ogg") as out:
        stream = out.add_stream("libopus", rate=SAMPLE_RATE, layout="mono")
        assert isinstance(stream, av.AudioStream)
        stream.bit_rate = 32_000
        for frame in pcm_frames(samples):
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def main() -> None:
    with tempfile.TemporaryDirectory() as cache:
        for engine_name, file_name in (("espeak-ng", "voice-espeak-ng"), ("piper", "voice-piper")):
            engine = engine_for(VoiceSpec(engine=engine_name), ROOT, SpeechCache(Path(cache)))
            clip = engine.phrase_clip(SENTENCE)
            silence = np.zeros(SAMPLE_RATE // 4, dtype=np.float32)
            samples = normalised(np.concatenate([silence, clip.samples, silence]))
            path = ROOT / "docs" / f"{file_name}.ogg"
            write_ogg(samples, path)
            print(f"{path.relative_to(ROOT)}: {clip.seconds:.1f} s, {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
