"""Sound in the video files: a narration track added to a silent video, videos joined with theirs.

Video packets are always copied, never re-encoded. Audio is AAC in MP4 and Opus in WebM, mono at
48 kHz. Joining decodes every part's audio to samples, lays each at its part's video start and
encodes one stream: joining compressed audio packets instead would carry each part's encoder
priming and end padding (about 20 ms for AAC) into the middle of the lecture and let sound drift
from picture by that much at every join.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from scenes.languages import iso639_2
from scenes.speech.audio import pcm_frames
from scenes.speech.base import SAMPLE_RATE

AUDIO_CODECS = {"mp4": ("aac", 96_000), "webm": ("libopus", 64_000)}
"""Container -> (encoder, bit rate); mono speech needs no more."""
AUDIO_OPTIONS = {"aac": {"aac_coder": "fast"}}
"""FFmpeg's default AAC coder searches twice as long for no audible gain on speech at 96 kbit/s."""


@dataclass(frozen=True)
class _Part:
    path: Path
    time_base: Fraction
    end: int
    """End of the part's last video frame, in ``time_base`` units from its start."""


def _format(output: Path) -> str:
    fmt = output.suffix.lstrip(".").lower() or "mp4"
    if fmt not in AUDIO_CODECS:
        raise ValueError(f"{output}: cannot carry audio (use .mp4 or .webm)")
    return fmt


def _probe_part(path: Path) -> _Part:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert stream.time_base is not None
        rate = stream.average_rate or stream.guessed_rate
        # WebM blocks carry no duration; the last frame then lasts one frame period.
        period = round(1 / (rate * stream.time_base)) if rate else 0
        end = 0
        for packet in container.demux(stream):
            if packet.pts is not None:
                end = max(end, packet.pts + (packet.duration or period))
        return _Part(path, stream.time_base, end)


def _fit(samples: np.ndarray, length: int) -> np.ndarray:
    """``samples`` cut or padded with silence to exactly ``length``."""
    if len(samples) >= length:
        return samples[:length]
    return np.pad(samples, (0, length - len(samples)))


def read_audio_track(path: Path) -> np.ndarray | None:
    """A video's first audio stream as mono float32 at 48 kHz (None if the video has none)."""
    with av.open(str(path)) as container:
        if not container.streams.audio:
            return None
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        chunks: list[np.ndarray] = []
        for frame in container.decode(container.streams.audio[0]):
            chunks.extend(out.to_ndarray()[0] for out in resampler.resample(frame))
        chunks.extend(out.to_ndarray()[0] for out in resampler.resample(None))
    if not chunks:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate(chunks).astype(np.float32)


def _encode(stream: av.AudioStream, track: np.ndarray) -> list[av.Packet]:
    packets: list[av.Packet] = []
    for frame in pcm_frames(track):
        packets.extend(stream.encode(frame))
    packets.extend(stream.encode(None))
    return packets


def audio_language(path: Path) -> str | None:
    """The language tag (ISO 639-2) of a video's first audio stream, if it has one."""
    with av.open(str(path)) as container:
        if not container.streams.audio:
            return None
        return container.streams.audio[0].metadata.get("language")


def _write(
    parts: list[_Part], track: np.ndarray | None, output: Path, language: str | None = None
) -> None:
    """Copy the parts' video packets one after another into ``output``, with ``track`` (if any)
    as its audio stream, the two interleaved by time; the audio stream tagged with ``language``
    (ISO 639-1 or 639-2; ``und`` where unknown).
    """
    fmt = output.suffix.lstrip(".").lower() or "mp4"
    options = {"movflags": "+faststart"} if fmt == "mp4" else {}
    with (
        av.open(str(parts[0].path)) as first,
        av.open(str(output), "w", format=fmt, options=options) as out,
    ):
        video = out.add_stream_from_template(first.streams.video[0])
        pending: Iterator[av.Packet] = iter(())
        next_audio = None
        if track is not None:
            codec, bit_rate = AUDIO_CODECS[_format(output)]
            audio = out.add_stream(
                codec, rate=SAMPLE_RATE, layout="mono", options=AUDIO_OPTIONS.get(codec, {})
            )
            assert isinstance(audio, av.AudioStream)
            audio.bit_rate = bit_rate
            audio.metadata["language"] = iso639_2(language)
            pending = iter(_encode(audio, track))
            next_audio = next(pending, None)
        offset = 0
        for part in parts:
            if part.time_base != parts[0].time_base:
                raise ValueError(f"{part.path}: time base differs; cannot join without re-encoding")
            with av.open(str(part.path)) as container:
                source = container.streams.video[0]
                # One set of H.264 parameter sets (SPS/PPS) is written for the joined stream.
                if source.codec_context.extradata != first.streams.video[0].codec_context.extradata:
                    raise ValueError(
                        f"{part.path}: encoded with other parameter sets than {parts[0].path};"
                        " cannot join without re-encoding"
                    )
                for packet in container.demux(source):
                    if packet.dts is None or packet.pts is None:
                        continue
                    packet.pts += offset
                    # The muxer derives decoding times from the presentation times. Shifted
                    # ones could run backwards where a part without frame reordering (two
                    # frames, no B-frames) meets one with it.
                    packet.dts = None
                    now = packet.pts * part.time_base
                    while (
                        next_audio is not None
                        and next_audio.pts is not None
                        and (next_audio.pts * next_audio.time_base <= now)
                    ):
                        out.mux(next_audio)
                        next_audio = next(pending, None)
                    packet.stream = video
                    out.mux(packet)
            offset += part.end
        while next_audio is not None:
            out.mux(next_audio)
            next_audio = next(pending, None)


def add_audio(video: Path, track: np.ndarray, output: Path, language: str | None = None) -> None:
    """``video`` with ``track`` (mono float32, 48 kHz) as its sound, written to ``output``;
    the sound's stream tagged with ``language`` (``de`` or ``deu``; None: ``und``).

    The picture is copied packet for packet. The track is cut or padded with silence to the
    video's length, so both streams end together; any sound ``video`` had is replaced. AAC for
    ``.mp4`` (faststart), Opus for ``.webm``; ``output`` must not be ``video``.
    """
    _format(output)
    if output.resolve() == video.resolve():
        raise ValueError(f"{output}: write the narrated video beside the silent one, not over it")
    part = _probe_part(video)
    length = round(part.end * part.time_base * SAMPLE_RATE)
    _write([part], _fit(np.asarray(track, dtype=np.float32), length), output, language)


def join_with_audio(parts: list[Path], output: Path, language: str | None = None) -> None:
    """Join videos of identical encoding settings, picture and sound in step at every join.

    Each part's sound (silence for a part without any) is laid from its first video frame to
    its last, so a sound at a part's start is heard with its first frame in the joined video.
    If no part has sound, the output has none either. The sound is tagged with ``language``
    (None: the language of the first part whose sound has one).
    """
    probed = [_probe_part(path) for path in parts]
    tracks = [read_audio_track(path) for path in parts]
    track = None
    if any(t is not None for t in tracks):
        _format(output)
        starts = [0]
        for part in probed:
            starts.append(starts[-1] + part.end)
        bounds = [round(start * probed[0].time_base * SAMPLE_RATE) for start in starts]
        track = np.zeros(bounds[-1], dtype=np.float32)
        for index, samples in enumerate(tracks):
            if samples is not None:
                lo, hi = bounds[index], bounds[index + 1]
                track[lo:hi] = _fit(samples, hi - lo)
        if language is None:
            voiced = [path for path, t in zip(parts, tracks, strict=True) if t is not None]
            tags = (audio_language(path) for path in voiced)
            language = next((tag for tag in tags if tag and tag != "und"), None)
    _write(probed, track, output, language)
