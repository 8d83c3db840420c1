"""Media files without Manim: faststart, chapters, joins and conversions keep every stream.

The videos are tiny real ones made here with PyAV, with an AAC sound track (a 440 Hz tone), as
the narrated videos will have; everything is read back with PyAV and by walking the MP4 boxes.
"""

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from scenes.production.video import (
    ChapterMark,
    chapters,
    concatenate,
    ensure_faststart,
    is_faststart,
    mp4_boxes,
    remux,
    transcode,
)

FPS = 10
RATE = 48000


def tiny_video(path: Path, seconds: float, shade: int, *, audio: bool = True) -> None:
    """An MP4 as most encoders write it (index last), optionally with an AAC tone."""
    with av.open(str(path), "w", format="mp4") as out:
        video = out.add_stream("libx264", rate=Fraction(FPS))
        video.width, video.height, video.pix_fmt = 64, 36, "yuv420p"
        sound = out.add_stream("aac", rate=RATE) if audio else None
        if sound is not None:
            sound.layout = "mono"
        for index in range(round(seconds * FPS)):
            image = np.full((36, 64, 3), shade, np.uint8)
            image[:, index % 64] = 255
            out.mux(video.encode(av.VideoFrame.from_ndarray(image, format="rgb24")))
        out.mux(video.encode(None))
        if sound is not None:
            samples = round(seconds * RATE)
            tone = (0.3 * np.sin(2 * np.pi * 440 * np.arange(samples) / RATE)).astype(np.float32)
            for start in range(0, samples, 1024):
                frame = av.AudioFrame.from_ndarray(
                    tone[None, start : start + 1024], format="fltp", layout="mono"
                )
                frame.sample_rate, frame.pts = RATE, start
                out.mux(sound.encode(frame))
            out.mux(sound.encode(None))


def box_paths(path: Path) -> list[str]:
    """Every box of an MP4 as a path ("moov/udta/chpl"), walking the containers that matter."""
    data = path.read_bytes()
    found: list[str] = []

    def walk(start: int, end: int, prefix: str) -> None:
        while start + 8 <= end:
            size = int.from_bytes(data[start : start + 4], "big")
            kind = data[start + 4 : start + 8].decode("latin-1")
            header = 8
            if size == 1:
                size, header = int.from_bytes(data[start + 8 : start + 16], "big"), 16
            elif size == 0:
                size = end - start
            found.append(prefix + kind)
            if kind in {"moov", "trak", "udta", "tref", "mdia"}:
                walk(start + header, start + size, f"{prefix}{kind}/")
            start += size

    walk(0, len(data), "")
    return found


def streams(path: Path) -> list[tuple[str, str]]:
    with av.open(str(path)) as container:
        return [
            (stream.type, stream.codec_context.name)
            for stream in container.streams
            if stream.type in ("video", "audio")
        ]


def audio_seconds(path: Path) -> float:
    with av.open(str(path)) as container:
        return sum(frame.samples for frame in container.decode(audio=0)) / RATE


def video_frames(path: Path) -> int:
    with av.open(str(path)) as container:
        return sum(1 for _ in container.decode(video=0))


@pytest.fixture
def parts(tmp_path):
    paths = []
    for index, seconds in enumerate((1.0, 1.5, 2.0)):
        path = tmp_path / f"part{index}.mp4"
        tiny_video(path, seconds, 40 * index)
        paths.append(path)
    return paths


MARKS = [ChapterMark("Squared loss: the mean", 0.0, 1.0), ChapterMark("Huber's é", 1.0, 2.5)]


def test_the_test_videos_are_not_faststart(parts):
    # Otherwise every faststart test below would pass on files that never needed the fix.
    boxes = mp4_boxes(parts[0])
    assert boxes.index("mdat") < boxes.index("moov") and not is_faststart(parts[0])


def test_remux_is_faststart_and_keeps_video_and_sound(parts, tmp_path):
    out = tmp_path / "out.mp4"
    remux(parts[1], out)
    boxes = mp4_boxes(out)
    assert boxes.index("moov") < boxes.index("mdat")
    assert streams(out) == [("video", "h264"), ("audio", "aac")]
    assert video_frames(out) == video_frames(parts[1]) == 15
    assert audio_seconds(out) == pytest.approx(audio_seconds(parts[1]), abs=1e-9)
    with av.open(str(parts[1])) as a, av.open(str(out)) as b:
        # Packets are copied, not re-encoded: the same bytes in the same order.
        assert [bytes(p) for p in a.demux(video=0) if p.size] == [
            bytes(p) for p in b.demux(video=0) if p.size
        ]


def test_ensure_faststart_fixes_in_place_and_leaves_nothing_behind(parts, tmp_path):
    path = parts[0]
    ensure_faststart(path)
    assert is_faststart(path)
    assert streams(path) == [("video", "h264"), ("audio", "aac")]
    before = path.stat().st_mtime_ns
    ensure_faststart(path)  # already faststart: untouched
    assert path.stat().st_mtime_ns == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["part0.mp4", "part1.mp4", "part2.mp4"]


@pytest.mark.parametrize("suffix", [".mp4", ".webm"])
def test_chapters_are_container_metadata(parts, tmp_path, suffix):
    source = parts[2]
    if suffix == ".webm":
        source = tmp_path / "source.webm"
        transcode(parts[2], source, "webm")
    out = tmp_path / f"out{suffix}"
    remux(source, out, chapters=MARKS)
    # Read back by libavformat (what mpv and VLC's FFmpeg demuxer use).
    assert chapters(out) == MARKS
    with av.open(str(out)) as container:
        assert [c["metadata"]["title"] for c in container.chapters()] == [m.title for m in MARKS]
    # Copied along by a later remux.
    again = tmp_path / f"again{suffix}"
    remux(out, again)
    assert chapters(again) == MARKS
    if suffix == ".mp4":
        boxes = box_paths(out)
        # Nero chapters (udta/chpl) and a QuickTime chapter track (tref/chap): both kinds that
        # players read.
        assert "moov/udta/chpl" in boxes
        assert any(box.endswith("tref/chap") for box in boxes)
        assert streams(out) == [("video", "h264"), ("audio", "aac")]


@pytest.mark.parametrize("suffix", [".mp4", ".webm"])
def test_concatenate_joins_picture_and_sound_in_order(parts, tmp_path, suffix):
    sources = parts
    if suffix == ".webm":
        sources = [tmp_path / f"{p.stem}.webm" for p in parts]
        for mp4, webm in zip(parts, sources, strict=True):
            transcode(mp4, webm, "webm")
    out = tmp_path / f"joined{suffix}"
    concatenate(sources, out)
    assert [kind for kind, _ in streams(out)] == ["video", "audio"]
    if suffix == ".mp4":
        assert is_faststart(out)
    assert video_frames(out) == 45
    with av.open(str(out)) as container:
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
        assert container.duration / 1e6 == pytest.approx(4.5, abs=0.05)
    # Each part's frames in order: shade 0, 40, 80 (the parts' backgrounds), 10, 15, 20 frames.
    shades = [int(np.median(frame[:, 32:34, 0].astype(int))) for frame in frames]
    assert shades[0] < 20 and 25 < shades[10] < 55 and 65 < shades[25] < 95
    assert audio_seconds(out) == pytest.approx(4.5, abs=0.03)


def test_webm_is_vp9_with_opus_sound(parts, tmp_path):
    out = tmp_path / "out.webm"
    transcode(parts[2], out, "webm")
    assert streams(out) == [("video", "vp9"), ("audio", "opus")]
    assert video_frames(out) == 20
    assert audio_seconds(out) == pytest.approx(2.0, abs=0.03)
    with av.open(str(out)) as container:
        sound = np.concatenate(
            [frame.to_ndarray().reshape(-1) for frame in container.decode(audio=0)]
        )
    # The tone survives: its spectrum peaks at 440 Hz (numpy's FFT as the reference).
    spectrum = np.abs(np.fft.rfft(sound[RATE // 4 : RATE // 4 + RATE]))
    assert np.argmax(spectrum) == pytest.approx(440, abs=2)
