"""The cheaper segment encoder: same pictures, right frame count, held frames repeated."""

from fractions import Fraction

import av
import numpy as np
import pytest

pytest.importorskip("manim")

from manim._config.video_encoder import VideoEncoderSpec  # noqa: E402

from scenes.production.encoding import ENCODER_OPTIONS, FastSegmentEncoder  # noqa: E402


def _spec(width=320, height=180, options=ENCODER_OPTIONS):
    return VideoEncoderSpec(
        container_format="mp4",
        codec="libx264",
        pixel_format="yuv420p",
        width=width,
        height=height,
        frame_rate=Fraction(30),
        options=tuple(sorted(options.items())),
    )


def _frames(path):
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24").astype(int) for frame in container.decode(video=0)]


def test_frames_and_held_frames_come_out_as_written(tmp_path):
    rng = np.random.default_rng(4)
    # Flat colour blocks, like a scene: smooth enough for CRF 23 to keep them close.
    pictures = []
    for _ in range(3):
        small = rng.integers(0, 256, size=(9, 16, 4), dtype=np.uint8)
        small[..., 3] = 255
        pictures.append(np.ascontiguousarray(small.repeat(20, axis=0).repeat(20, axis=1)))
    repeats = [1, 5, 2]
    target = tmp_path / "segment.mp4"
    encoder = FastSegmentEncoder(target=target, spec=_spec())
    for picture, repeat in zip(pictures, repeats, strict=True):
        encoder.write_frame(picture, repeat=repeat)
    encoder.finish()

    decoded = _frames(target)
    assert len(decoded) == sum(repeats)
    expected = [p for p, r in zip(pictures, repeats, strict=True) for _ in range(r)]
    for got, want in zip(decoded, expected, strict=True):
        # Block interiors (away from the 4:2:0 chroma edges) keep their colour.
        error = np.abs(got[5:-5:20, 5:-5:20] - want[5:-5:20, 5:-5:20, :3].astype(int))
        assert np.median(error) <= 6
    with av.open(str(target)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.pix_fmt == "yuv420p"
        pts = [p.pts for p in container.demux(stream) if p.size]
    assert len(set(pts)) == sum(repeats)  # every held frame has its own timestamp
