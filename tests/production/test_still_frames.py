"""A segment that is one held frame: x264 codes its first frames, the rest are copies of its
settled P frame (scenes/production/encoding.py). Checked by decoding with FFmpeg's own H.264
decoder: the frame count, timestamps, seeking, the picture against the drawing and against an
encode of every frame, bit-exactness when lossless, and the join of such segments.
"""

from fractions import Fraction

import av
import numpy as np
import pytest

pytest.importorskip("manim")

from manim._config.video_encoder import VideoEncoderSpec  # noqa: E402

from scenes.production import encoding, h264  # noqa: E402
from scenes.production.encoding import (  # noqa: E402
    ENCODER_OPTIONS,
    LOSSLESS_OPTIONS,
    STILL_PROBE_FRAMES,
    FastSegmentEncoder,
    parameter_sets,
)
from scenes.production.video import concatenate  # noqa: E402
from scenes.scene.speedups import PLAIN  # noqa: E402

WIDTH, HEIGHT = 640, 360


def _spec(options=ENCODER_OPTIONS, rate=60):
    return VideoEncoderSpec(
        container_format="mp4",
        codec="libx264",
        pixel_format="yuv420p",
        width=WIDTH,
        height=HEIGHT,
        frame_rate=Fraction(rate),
        options=tuple(sorted(options.items())),
    )


def scene_like_picture(seed: int) -> np.ndarray:
    """A dark frame with anti-aliased coloured strokes and discs, like a drawn scene."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    picture = np.zeros((HEIGHT, WIDTH, 3), np.float32) + np.array([14, 16, 21], np.float32)
    for _ in range(14):
        colour = rng.integers(60, 256, 3).astype(np.float32)
        cx, cy, r = rng.uniform(0, WIDTH), rng.uniform(0, HEIGHT), rng.uniform(2, 40)
        if rng.random() < 0.5:  # a disc
            cover = np.clip(r - np.hypot(x - cx, y - cy) + 0.5, 0, 1)
        else:  # a thin slanted line
            angle = rng.uniform(0, np.pi)
            distance = np.abs((x - cx) * np.sin(angle) - (y - cy) * np.cos(angle))
            cover = np.clip(1.5 - distance, 0, 1) * (np.hypot(x - cx, y - cy) < 5 * r)
        picture = picture * (1 - cover[..., None]) + colour * cover[..., None]
    rgba = np.full((HEIGHT, WIDTH, 4), 255, np.uint8)
    rgba[..., :3] = np.round(picture).astype(np.uint8)
    return rgba


def _decoded(path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [frame.to_ndarray() for frame in container.decode(video=0)]


def _encode(path, spec, writes, monkeypatch, plain=False):
    monkeypatch.setenv(PLAIN, "1" if plain else "0")
    encoder = FastSegmentEncoder(target=path, spec=spec)
    for picture, repeat in writes:
        encoder.write_frame(picture, repeat=repeat)
    encoder.finish()
    return encoder


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    error = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return float("inf") if error == 0 else 10 * np.log10(255**2 / error)


def _yuv(picture: np.ndarray) -> np.ndarray:
    return (
        av.VideoFrame.from_ndarray(picture, format="rgba").reformat(format="yuv420p").to_ndarray()
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_held_frame_is_coded_until_it_settles_then_copied(tmp_path, monkeypatch, seed):
    picture = scene_like_picture(seed)
    spec = _spec()
    still = _encode(tmp_path / "still.mp4", spec, [(picture, 240)], monkeypatch)
    plain = _encode(tmp_path / "plain.mp4", spec, [(picture, 240)], monkeypatch, plain=True)

    assert plain.frames_copied == 0 and plain.frames_coded == 240
    assert still.frames_coded <= STILL_PROBE_FRAMES
    assert still.frames_copied == 240 - still.frames_coded

    frames = _decoded(tmp_path / "still.mp4")
    assert len(frames) == 240
    # From where x264 stopped coding, every frame is the same picture, bit for bit.
    settled = frames[still.frames_coded - 1]
    assert all(np.array_equal(settled, frame) for frame in frames[still.frames_coded :])
    # As close to the drawing as x264 coding every frame gets (no flicker either).
    source = _yuv(picture)
    plain_frames = _decoded(tmp_path / "plain.mp4")
    assert _psnr(settled, source) >= min(_psnr(f, source) for f in plain_frames[-30:]) - 0.5
    assert _psnr(settled, source) > 38

    with av.open(str(tmp_path / "plain.mp4")) as container:
        plain_parameter_sets = bytes(container.streams.video[0].codec_context.extradata)
    with av.open(str(tmp_path / "still.mp4")) as container:
        stream = container.streams.video[0]
        assert stream.average_rate == 60 and stream.frames == 240
        # The same SPS and PPS as the frame-by-frame encode: the two join.
        assert bytes(stream.codec_context.extradata) == plain_parameter_sets
        packets = [p for p in container.demux(stream) if p.size]
        step = 1 / (stream.average_rate * stream.time_base)
    assert sorted(round(p.pts / step) for p in packets) == list(range(240))
    assert sum(p.is_keyframe for p in packets) == 1
    assert max(p.size for p in packets[still.frames_coded :]) < 400
    # Each copy is numbered as the next frame (frame_num and picture order count own counts).
    layout = h264.slice_layout(parameter_sets(spec))
    numbers = [h264.packet_numbers(_annex_b(bytes(p)), layout)[0] for p in packets]
    assert [n.frame_num for n in numbers] == [i % layout.max_frame_num for i in range(240)]
    if layout.poc_type == 0:
        assert [n.poc_lsb for n in numbers] == [2 * i % layout.max_poc_lsb for i in range(240)]


def _annex_b(sample: bytes) -> bytes:
    """An MP4 sample (NAL units behind 4-byte lengths) as an Annex B byte stream."""
    out, at = bytearray(), 0
    while at < len(sample):
        length = int.from_bytes(sample[at : at + 4], "big")
        out += b"\x00\x00\x00\x01" + sample[at + 4 : at + 4 + length]
        at += 4 + length
    return bytes(out)


def test_lossless_hold_is_bit_identical_to_coding_every_frame(tmp_path, monkeypatch):
    picture = scene_like_picture(7)
    spec = _spec(LOSSLESS_OPTIONS)
    still = _encode(tmp_path / "still.mp4", spec, [(picture, 90)], monkeypatch)
    _encode(tmp_path / "plain.mp4", spec, [(picture, 90)], monkeypatch, plain=True)
    assert still.frames_copied > 40
    frames, plain_frames = _decoded(tmp_path / "still.mp4"), _decoded(tmp_path / "plain.mp4")
    assert len(frames) == len(plain_frames) == 90
    assert all(np.array_equal(a, b) for a, b in zip(frames, plain_frames, strict=True))
    assert np.array_equal(frames[-1], _yuv(picture))


def test_seeking_into_a_copied_hold_gives_the_held_picture(tmp_path, monkeypatch):
    picture = scene_like_picture(5)
    still = _encode(tmp_path / "still.mp4", _spec(), [(picture, 300)], monkeypatch)
    held = _decoded(tmp_path / "still.mp4")[-1]
    with av.open(str(tmp_path / "still.mp4")) as container:
        stream = container.streams.video[0]
        target = 200  # frames, well inside the copies
        assert target > still.frames_coded
        container.seek(int(target / stream.average_rate / stream.time_base), stream=stream)
        frame = next(f for f in container.decode(stream) if f.pts * stream.time_base >= target / 60)
        assert np.array_equal(frame.to_ndarray(), held)


def test_a_segment_that_goes_on_after_its_hold_codes_every_frame(tmp_path, monkeypatch):
    first, second = scene_like_picture(1), scene_like_picture(2)
    encoder = _encode(tmp_path / "mixed.mp4", _spec(), [(first, 30), (second, 20)], monkeypatch)
    assert encoder.frames_copied == 0 and encoder.frames_coded == 50
    frames = _decoded(tmp_path / "mixed.mp4")
    assert len(frames) == 50
    assert _psnr(frames[10], _yuv(first)) > 35 and _psnr(frames[40], _yuv(second)) > 35


def test_short_holds_and_the_plain_switch_code_every_frame(tmp_path, monkeypatch):
    picture = scene_like_picture(3)
    short = _encode(tmp_path / "short.mp4", _spec(), [(picture, 8)], monkeypatch)
    plain = _encode(tmp_path / "plain.mp4", _spec(), [(picture, 100)], monkeypatch, plain=True)
    assert (short.frames_copied, plain.frames_copied) == (0, 0)
    assert len(_decoded(tmp_path / "short.mp4")) == 8


def test_a_hold_that_never_settles_is_coded_frame_by_frame(tmp_path, monkeypatch):
    # Pretend x264 never settles: each decoded picture counts as new.
    monkeypatch.setattr(encoding._StillRun, "see", _never_the_same)
    picture = scene_like_picture(4)
    encoder = _encode(tmp_path / "still.mp4", _spec(), [(picture, 120)], monkeypatch)
    assert encoder.frames_copied == 0
    assert len(_decoded(tmp_path / "still.mp4")) == 120


def _never_the_same(self, picture):
    self.pictures += 1
    self.run = 1


def test_held_and_drawn_segments_join_frame_for_frame(tmp_path, monkeypatch):
    spec = _spec(LOSSLESS_OPTIONS, rate=30)
    pictures = [scene_like_picture(seed) for seed in (11, 12, 13)]
    writes = [[(pictures[0], 1), (pictures[1], 1)], [(pictures[1], 45)], [(pictures[2], 3)]]
    parts = []
    for number, segment in enumerate(writes):
        path = tmp_path / f"part{number}.mp4"
        _encode(path, spec, segment, monkeypatch)
        parts.append(path)
    joined = tmp_path / "joined.mp4"
    concatenate(parts, joined)
    expected = [_yuv(p) for segment in writes for p, repeat in segment for _ in range(repeat)]
    frames = _decoded(joined)
    assert len(frames) == len(expected) == 50
    assert all(np.array_equal(a, b) for a, b in zip(frames, expected, strict=True))


def test_joining_parts_of_other_parameter_sets_is_refused(tmp_path, monkeypatch):
    picture = scene_like_picture(9)
    first, second = tmp_path / "a.mp4", tmp_path / "b.mp4"
    _encode(first, _spec(), [(picture, 3)], monkeypatch)
    _encode(second, _spec({"crf": "30", "preset": "superfast"}), [(picture, 3)], monkeypatch)
    with pytest.raises(ValueError, match="other parameter sets"):
        concatenate([first, second], tmp_path / "joined.mp4")
