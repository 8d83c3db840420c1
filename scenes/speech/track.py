"""The narration track of a scene: clips laid at their times, then brought to broadcast loudness.

Loudness is measured with pyloudnorm (ITU-R BS.1770) and true peak with FFmpeg's ``ebur128``
filter (4x oversampling, as BS.1770 specifies), through PyAV; peaks are limited with FFmpeg's
``alimiter``. The loudness target is the spec's ``audio.loudness`` profile (spec-v3 section 14).
Loudness range (EBU Tech 3342), which pyloudnorm lacks, is :func:`loudness_range`, our own code
(tested against FFmpeg's ``ebur128``); it only measures.
"""

import math
import warnings
from fractions import Fraction

import av
import numpy as np
import pyloudnorm
from av.filter import Graph
from scipy.signal import lfilter

from scenes.speech.audio import pcm_frames
from scenes.speech.base import SAMPLE_RATE, Clip

TARGET_LUFS = -16.0
"""Integrated loudness of a narration track by default (spec-v2 section 9: within 1 LU); the
``audio.loudness`` profile sets another (``scenes.spec.voice.LOUDNESS_TARGETS``)."""
MAX_TRUE_PEAK_DBTP = -1.0
"""No true peak above this (spec-v2 section 9)."""
ACCEPT_DBTP = MAX_TRUE_PEAK_DBTP - 1.0
"""A track whose true peak is at most this is done: 1 dB of room for AAC and Opus coding, which
raised the true peak of config/huber.yaml's espeak-ng narration by 0.8 dB (AAC, 96 kbit/s) and
0.3 dB (Opus, 64 kbit/s); 0.3 dB of room, as before, let the AAC file reach -0.5 dBTP."""
LIMIT_CEILING_DBTP = -2.2
"""Where the limiter first sets its ceiling: below :data:`ACCEPT_DBTP`, because a sample-peak
limiter lets true (inter-sample) peaks through slightly, and AAC or Opus coding adds a little."""


def narration_track(
    placements: list[tuple[float, Clip]],
    seconds: float,
    *,
    normalise: bool = True,
    target_lufs: float = TARGET_LUFS,
) -> np.ndarray:
    """Mono float32 samples at 48 kHz, ``round(seconds * 48000)`` of them: each clip starting at
    its time (in seconds), silence elsewhere; then, unless ``normalise`` is false, brought to
    ``target_lufs`` with true peaks at most -1 dBTP (:func:`normalised`).

    Clips that overlap are added. A clip may run past the end by at most 10 ms (rounding of beat
    times); further is a timeline error and raises ``ValueError``.
    """
    length = round(seconds * SAMPLE_RATE)
    track = np.zeros(length, dtype=np.float32)
    for start_seconds, clip in placements:
        start = round(start_seconds * SAMPLE_RATE)
        end = start + len(clip.samples)
        if start < 0 or end > length + SAMPLE_RATE // 100:
            raise ValueError(
                f"a clip of {clip.seconds:.3f} s at {start_seconds:.3f} s does not fit in a "
                f"track of {seconds:.3f} s"
            )
        track[start : min(end, length)] += clip.samples[: max(0, length - start)]
    return normalised(track, target_lufs) if normalise else track


def integrated_loudness(samples: np.ndarray) -> float:
    """Integrated loudness in LUFS (ITU-R BS.1770-4, gated), -inf for silence."""
    if len(samples) < SAMPLE_RATE // 2:
        # BS.1770's gating blocks are 400 ms; pad a short clip with silence (which the gate drops).
        samples = np.pad(samples, (0, SAMPLE_RATE // 2 - len(samples)))
    meter = pyloudnorm.Meter(SAMPLE_RATE)
    return float(meter.integrated_loudness(samples.astype(np.float64)))


def _filter(samples: np.ndarray, name: str, options: str) -> list[av.AudioFrame]:
    """``samples`` through one FFmpeg audio filter; the frames it gives back."""
    graph = Graph()
    source = graph.add_abuffer(
        format="flt", sample_rate=SAMPLE_RATE, layout="mono", time_base=Fraction(1, SAMPLE_RATE)
    )
    node = graph.add(name, options)
    sink = graph.add("abuffersink")
    source.link_to(node)
    node.link_to(sink)
    graph.configure()
    out: list[av.AudioFrame] = []

    def drain() -> None:
        while True:
            try:
                frame = graph.pull()
                assert isinstance(frame, av.AudioFrame)
                out.append(frame)
            except (av.BlockingIOError, av.EOFError):
                return

    for frame in pcm_frames(samples):
        graph.push(frame)
        drain()
    graph.push(None)
    drain()
    return out


def true_peak_dbtp(samples: np.ndarray) -> float:
    """True peak in dBTP (FFmpeg ``ebur128`` with ``peak=true``), -inf for silence."""
    if not np.any(samples):
        return -math.inf
    # The filter reports a running peak on each 100 ms block it completes, and its oversampler
    # lags a few samples: half a second of silence after the end lets the last peaks through.
    padded = np.concatenate([samples, np.zeros(SAMPLE_RATE // 2, dtype=np.float32)])
    peak = 0.0
    for frame in _filter(padded, "ebur128", "metadata=1:peak=true"):
        value = frame.metadata.get("lavfi.r128.true_peak")
        if value is not None:
            peak = max(peak, float(value))
    return 20 * math.log10(peak) if peak > 0 else -math.inf


def _limited(samples: np.ndarray, ceiling_db: float) -> np.ndarray:
    """``samples`` through FFmpeg's look-ahead limiter with its ceiling at ``ceiling_db`` dBFS.

    ``level=0`` keeps the limiter from raising the output back to full scale, ``latency=1``
    removes its look-ahead delay so speech stays where it was placed.
    """
    ceiling = 10 ** (ceiling_db / 20)
    options = f"limit={ceiling:.6f}:level=0:latency=1:attack=5:release=50"
    frames = _filter(samples, "alimiter", options)
    out = np.concatenate([frame.to_ndarray()[0] for frame in frames]).astype(np.float32)
    if len(out) < len(samples):
        out = np.pad(out, (0, len(samples) - len(out)))
    return out[: len(samples)]


def _gain(samples: np.ndarray, db: float) -> np.ndarray:
    return (samples * np.float32(10 ** (db / 20))).astype(np.float32)


def normalised(track: np.ndarray, target_lufs: float = TARGET_LUFS) -> np.ndarray:
    """``track`` at ``target_lufs`` integrated with true peaks at most -1 dBTP; silence stays
    silent.

    A gain sets the loudness; if that pushes true peaks over the limit, the limiter lowers them
    and the loudness it took away is given back, with a lower ceiling each round until both
    hold (speech needs one or two rounds).
    """
    loudness = integrated_loudness(track)
    if not math.isfinite(loudness):
        return track
    out = _gain(track, target_lufs - loudness)
    ceiling = LIMIT_CEILING_DBTP
    for _ in range(6):
        peak = true_peak_dbtp(out)
        if peak <= ACCEPT_DBTP:
            return out
        out = _limited(out, ceiling)
        out = _gain(out, target_lufs - integrated_loudness(out))
        ceiling -= 0.5
    # Sound that is all peaks (clicks, a DC offset, which BS.1770 does not hear) cannot be
    # made loud without making it louder at the peaks: keep the peak limit, give up loudness.
    out = _gain(out, ACCEPT_DBTP - true_peak_dbtp(out))
    warnings.warn(
        f"narration reaches only {integrated_loudness(out):.1f} LUFS below the true-peak limit",
        stacklevel=2,
    )
    return out


# --------------------------------------------------------------------------------------------------
# Loudness range (EBU Tech 3342)

# BS.1770's K-weighting at 48 kHz: a high shelf (+4 dB above ~1.5 kHz, the head's effect), then
# a high pass (RLB, ~38 Hz). The coefficients are the standard's own for 48 kHz.
_SHELF = (
    [1.53512485958697, -2.69169618940638, 1.19839281085285],
    [1.0, -1.69065929318241, 0.73248077421585],
)
_HIGH_PASS = ([1.0, -2.0, 1.0], [1.0, -1.99004745483398, 0.99007225036621])
LRA_WINDOW = 3.0
"""Seconds of the short-term loudness window (EBU Tech 3342, as EBU R 128's "S")."""
LRA_STEP = 0.1
"""Seconds between short-term measurements: Tech 3342 asks for at least 10 per second."""
LRA_ABSOLUTE_GATE = -70.0
LRA_RELATIVE_GATE = -20.0
"""LU below the power mean of the short-term values above the absolute gate (Tech 3342)."""


def short_term_loudness(samples: np.ndarray) -> np.ndarray:
    """Short-term loudness (LUFS) of mono 48 kHz ``samples``: over 3 s windows, one every 0.1 s,
    each ending at a multiple of 0.1 s from the first full window to the end.
    """
    x = np.asarray(samples, dtype=np.float64)
    weighted = lfilter(*_HIGH_PASS, lfilter(*_SHELF, x))
    window = round(LRA_WINDOW * SAMPLE_RATE)
    step = round(LRA_STEP * SAMPLE_RATE)
    if len(weighted) < window:
        return np.zeros(0)
    energy = np.concatenate([[0.0], np.cumsum(weighted**2)])
    ends = np.arange(window, len(weighted) + 1, step)
    power = (energy[ends] - energy[ends - window]) / window
    with np.errstate(divide="ignore"):
        return -0.691 + 10 * np.log10(power)


def loudness_range(samples: np.ndarray) -> float:
    """Loudness range in LU (EBU Tech 3342): the spread between the 10th and the 95th percentile
    of the short-term loudness, over the windows above -70 LUFS and at most 20 LU below their
    power mean. 0.0 for a signal shorter than one window or silent.
    """
    loudness = short_term_loudness(samples)
    loudness = loudness[loudness > LRA_ABSOLUTE_GATE]
    if len(loudness) == 0:
        return 0.0
    mean = 10 * np.log10(np.mean(10 ** (loudness / 10)))
    gated = loudness[loudness > mean + LRA_RELATIVE_GATE]
    low, high = np.percentile(gated, [10, 95])
    return float(high - low)
