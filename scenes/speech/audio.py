"""Samples in and out: any WAV or FLAC to mono float32 at 48 kHz, silence trimmed, FLAC bytes."""

import io
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import soundfile
from scipy.signal import resample_poly

from scenes.speech.base import SAMPLE_RATE

TRIM_FRAME = SAMPLE_RATE // 100
"""Silence is judged on 10 ms frames: short enough to keep speech starting within a frame of its
beat, long enough that one quiet sample inside a word does not count as silence."""
TRIM_BELOW_DB = -40.0
"""A frame is silence when its RMS is this far below the loudest frame's: room noise in a
lecturer's take sits well below it, the softest consonants above."""
QUIET_DB = -80.0
"""A take whose loudest frame is below this (dBFS) holds no speech at all."""
FRAME_SAMPLES = 4800
"""Samples per PyAV frame handed to FFmpeg filters and encoders (100 ms; encoders re-cut them)."""


def to_mono_48k(samples: np.ndarray, rate: int) -> np.ndarray:
    """``samples`` (frames, or frames x channels) at ``rate`` as mono float32 at 48 kHz."""
    mono = samples.mean(axis=1) if samples.ndim == 2 else samples
    mono = np.asarray(mono, dtype=np.float32)
    if rate != SAMPLE_RATE:
        common = np.gcd(rate, SAMPLE_RATE)
        mono = resample_poly(mono, SAMPLE_RATE // common, rate // common).astype(np.float32)
    return mono


def read_audio(source: Path | bytes) -> np.ndarray:
    """A WAV or FLAC file (a path, or its bytes) as mono float32 at 48 kHz."""
    data = io.BytesIO(source) if isinstance(source, bytes) else source
    samples, rate = soundfile.read(data, dtype="float32", always_2d=True)
    return to_mono_48k(samples, rate)


def trim_silence(samples: np.ndarray) -> np.ndarray:
    """``samples`` without the silence before the first and after the last sound.

    One frame of margin is kept on each side so that a soft onset or a fading end is not cut.
    A recording with no sound at all comes back empty.
    """
    start, end = silence_bounds(samples)
    return samples[start:end]


def silence_bounds(samples: np.ndarray) -> tuple[int, int]:
    """Where :func:`trim_silence` cuts ``samples``: ``(start, end)``, ``(0, 0)`` for no sound."""
    frames = len(samples) // TRIM_FRAME
    if frames == 0:
        return 0, 0
    blocks = samples[: frames * TRIM_FRAME].astype(np.float64).reshape(frames, TRIM_FRAME)
    rms = np.sqrt(np.mean(blocks**2, axis=1))
    loudest = float(rms.max())
    if loudest <= 10 ** (QUIET_DB / 20):
        return 0, 0
    loud = np.flatnonzero(rms >= loudest * 10 ** (TRIM_BELOW_DB / 20))
    start = max(0, int(loud[0]) - 1) * TRIM_FRAME
    end = min(len(samples), (int(loud[-1]) + 2) * TRIM_FRAME)
    return start, end


def flac_bytes(samples: np.ndarray) -> bytes:
    """Mono 48 kHz samples as a 24-bit FLAC file's bytes (samples beyond [-1, 1] are clipped)."""
    buffer = io.BytesIO()
    clipped = np.clip(samples, -1.0, 1.0)
    soundfile.write(buffer, clipped, SAMPLE_RATE, format="FLAC", subtype="PCM_24")
    return buffer.getvalue()


def pcm_frames(samples: np.ndarray) -> Iterator[av.AudioFrame]:
    """Mono 48 kHz samples as PyAV frames, timestamped in samples from the start."""
    for start in range(0, len(samples), FRAME_SAMPLES):
        chunk = np.ascontiguousarray(samples[start : start + FRAME_SAMPLES], dtype=np.float32)
        frame = av.AudioFrame.from_ndarray(chunk[None, :], format="flt", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        frame.pts = start
        frame.time_base = Fraction(1, SAMPLE_RATE)
        yield frame
