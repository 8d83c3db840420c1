"""Video encoding for scene renders: Manim's segment writer, made cheaper per frame.

Profiling a 1080p60 render (py-spy) showed the encoder thread costing about half as much CPU as
the drawing: per frame, PyAV's ``VideoFrame.from_ndarray`` takes about 4 ms for 8 MB of RGBA,
swscale converts RGBA to YUV 4:2:0 (about 8 ms) and libx264 at its default ``medium`` preset
analyses the frame (about 8 ms). Held frames (``wait``) pay all three once per repeated frame.

Here a frame is copied into the AVFrame with one numpy assignment, a held frame is converted
once and handed to the encoder again with new timestamps, and x264 runs at the ``superfast``
preset with Manim's CRF 23: measured on this lecture at 1080p60, PSNR against the lossless
frames equal to Manim's default encode (46.97 dB against 46.94 dB) with about half the CPU.
Files come out larger (about 1.5x); ``ENCODER_OPTIONS`` is the one place to trade that back.

A segment that is one held frame (Manim's ``wait`` without updaters: about half the frames of
the default lecture) would still cost x264 about 5.6 ms of CPU per repeat at 1080p: it analyses
every frame, identical or not. Instead x264 codes the picture once as a key frame, then a few P
frames of that key frame's own decoded picture (nothing left to correct: every macroblock is
skipped), and the last of those packets, renumbered (:mod:`scenes.production.h264`), stands for
every further repeat. The stream stays constant-frame-rate H.264 with x264's own parameter sets,
every frame coded and seekable; the held picture is also truly still (x264 coding each repeat
made it flicker by a level or two from frame to frame). The copies are decoded before they are
written and must give the held picture bit for bit; if not, x264 codes every frame.
``LOSS_SCENES_PLAIN=1`` switches the path off, as the other fast paths.
"""

import functools
import io
import os
from contextlib import suppress
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
from av.video.frame import PictureType
from manim import Scene
from manim._config.video_encoder import VideoEncoderSpec
from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder

from scenes.production import h264
from scenes.production.video import ensure_faststart
from scenes.scene import speedups

# Same rate control as Manim's default (CRF 23), a faster search. Measured on the Huber scene at
# 1080p60 against its lossless frames: "medium" (Manim's default) 46.94 dB PSNR, "superfast"
# 46.97 dB with 1.48x the bytes, "veryfast" 45.05 dB (smaller, but visibly softer edges).
# B frames placed at fixed spots (b-adapt=0) and no look-ahead: x264's look-ahead only served
# that placement here (300 drawn 1080p frames of the Huber scene: 8.4 ms of CPU a frame with it,
# 5.4 ms without, 408 759 bytes against 416 427, PSNR 49.91 dB against 49.87 dB).
ENCODER_OPTIONS = {
    "crf": "23",
    "preset": "superfast",
    "x264-params": "b-adapt=0:rc-lookahead=0",
}
# LOSS_SCENES_LOSSLESS=1: every frame decodes to exactly what was drawn (x264's lossless mode),
# for masters and for the tests that compare two renders' frames bit for bit.
LOSSLESS = "LOSS_SCENES_LOSSLESS"
LOSSLESS_OPTIONS = {"crf": "0", "preset": "superfast"}  # CRF 0 is lossless at 8 bits


def encoder_options() -> dict[str, str]:
    """The x264 options of a render: :data:`ENCODER_OPTIONS`, or lossless (:data:`LOSSLESS`)."""
    return dict(LOSSLESS_OPTIONS if os.environ.get(LOSSLESS) == "1" else ENCODER_OPTIONS)


# A hold shorter than this is left to x264 (the probe would cost as much as it saves).
STILL_MIN_FRAMES = 12
# x264 codes at most this many frames of a hold while it settles; then it codes them all.
STILL_PROBE_FRAMES = 48
# A hold's encoder runs without adaptive quantisation: with it, x264 re-codes the chroma of some
# pictures on every P frame and never settles (measured on the Huber scene's last holds: 59 of
# 59 frames changed; without it, none after the 10th). The parameter sets are the same either
# way (checked at run time), and the held picture comes out closer to the drawing (mean error
# 0.08-0.10 levels instead of 0.19-0.23).
STILL_OPTIONS = {"aq-mode": "0"}


class StillDidNotSettle(Exception):
    """x264 kept changing the held picture, or its stream is not one h264 can renumber."""


def _video_stream(
    container: av.container.OutputContainer, spec: VideoEncoderSpec
) -> av.VideoStream:
    """A stream of ``container`` set up as Manim's segment encoder sets up its own."""
    stream = container.add_stream(spec.codec, rate=spec.frame_rate, options=dict(spec.options))
    assert isinstance(stream, av.VideoStream)
    stream.pix_fmt = spec.pixel_format
    stream.width = spec.width
    stream.height = spec.height
    return stream


@functools.lru_cache(maxsize=8)
def parameter_sets(spec: VideoEncoderSpec) -> bytes:
    """The SPS and PPS an encoder of ``spec`` writes (what a joined video keeps of its parts)."""
    with av.open(io.BytesIO(), "w", format=spec.container_format) as container:
        stream = _video_stream(container, spec)
        stream.encode(av.VideoFrame(spec.width, spec.height, spec.pixel_format))
        return bytes(stream.codec_context.extradata or b"")


def reconstruction(spec: VideoEncoderSpec, picture: av.VideoFrame) -> av.VideoFrame:
    """``picture`` as a decoder sees it after an encoder of ``spec`` coded it as a key frame."""
    with av.open(io.BytesIO(), "w", format=spec.container_format) as container:
        stream = _video_stream(container, spec)
        picture.pts = 0
        picture.pict_type = PictureType.I
        packets = [*stream.encode(picture), *stream.encode(None)]
        decoder = av.CodecContext.create("h264", "r")
        decoder.extradata = stream.codec_context.extradata
        pictures = [p for packet in packets for p in decoder.decode(av.Packet(bytes(packet)))]
        pictures += decoder.decode(None)
    if len(pictures) != 1:
        raise StillDidNotSettle("the key frame did not decode to one picture")
    return pictures[0]


def still_spec(spec: VideoEncoderSpec) -> VideoEncoderSpec:
    """``spec`` with :data:`STILL_OPTIONS`."""
    return replace(spec, options=tuple(sorted({**dict(spec.options), **STILL_OPTIONS}.items())))


class _StillRun:
    """How many decoded pictures in a row, up to the last, are the same picture."""

    def __init__(self) -> None:
        self.pictures = 0
        self.run = 0
        self._last: np.ndarray | None = None

    def see(self, picture: av.VideoFrame) -> None:
        pixels = picture.to_ndarray()
        self.pictures += 1
        same = self._last is not None and np.array_equal(self._last, pixels)
        self.run = self.run + 1 if same else 1
        self._last = pixels


class FastSegmentEncoder(VideoSegmentEncoder):
    """Manim's segment encoder with a cheap RGBA copy, held frames converted only once, and a
    segment that is one held frame written as x264's settled frame copied (module docstring).
    """

    def __init__(self, *, target: Path, spec: VideoEncoderSpec) -> None:
        super().__init__(target=target, spec=spec)
        self._segment_spec = spec
        self._held: tuple[np.ndarray, int] | None = None
        self._converter: ChangedRowsConverter | None = None
        self._time_base = Fraction(spec.frame_rate.denominator, spec.frame_rate.numerator)
        # Counted for the benchmarks and tests: frames x264 coded, frames written as copies.
        self.frames_coded = 0
        self.frames_copied = 0

    def write_frame(self, pixels: np.ndarray, *, repeat: int = 1) -> None:
        self._validate_frame(pixels, repeat)
        if (
            self._next_pts == 0
            and self._held is None
            and repeat >= STILL_MIN_FRAMES
            and self.spec.codec == "libx264"
            and speedups.enabled()
        ):
            # Maybe the whole segment: known only when the next call is finish().
            self._held = (pixels, repeat)
            return
        self._code_held_frames()
        self._code(pixels, repeat)

    def _code_held_frames(self) -> None:
        if self._held is not None:
            pixels, repeat = self._held
            self._held = None
            self._code(pixels, repeat)

    def _code(self, pixels: np.ndarray, repeat: int) -> None:
        try:
            frame = self._yuv_frame(pixels)
            for _ in range(repeat):
                # x264 copies the picture on submission, so one converted frame can be sent
                # again with the next timestamp.
                frame.pts = self._next_pts
                frame.time_base = self._time_base
                self._next_pts += 1
                self.frames_coded += 1
                for packet in self._stream.encode(frame):  # type: ignore[union-attr,arg-type]
                    self._container.mux(packet)
        except BaseException as error:
            raise self._operation_error("encode", error) from error

    def finish(self) -> None:
        if self._held is not None and not self._closed:
            pixels, repeat = self._held
            self._held = None
            try:
                self._start_again(still_spec(self._segment_spec))
                self._write_still(pixels, repeat)
                return
            except StillDidNotSettle:
                self._start_again(self._segment_spec)
                self._code(pixels, repeat)
            except BaseException as error:
                raise self._operation_error("encode", error) from error
        super().finish()

    def _start_again(self, spec: VideoEncoderSpec) -> None:
        """A fresh container and encoder of ``spec`` for this segment."""
        with suppress(Exception):
            self._container.close()
        self.target.unlink(missing_ok=True)
        segment_spec, frames_coded = self._segment_spec, self.frames_coded
        VideoSegmentEncoder.__init__(self, target=self.target, spec=spec)
        self._segment_spec, self.frames_coded = segment_spec, frames_coded

    def _write_still(self, pixels: np.ndarray, repeat: int) -> None:
        """Write ``repeat`` copies of one frame: x264 codes the first ones (an IDR frame, then P
        frames) until the picture it decodes to has stopped changing for longer than the
        decoder's reference window; its last packet, renumbered, is every later frame. A copy
        is decoded before any is written: it must give the held picture bit for bit. Since
        every reference frame is then that picture, every later copy gives it too.
        """
        held = _StillRun()
        packets: list[av.Packet] = []
        decoder = av.CodecContext.create("h264", "r")

        def take(new: list[av.Packet]) -> None:
            # The encoder opens (and writes its parameter sets) at the first frame.
            if decoder.extradata is None:
                decoder.extradata = self._stream.codec_context.extradata
            for packet in new:
                packets.append(packet)
                for picture in decoder.decode(av.Packet(bytes(packet))):
                    held.see(picture)

        source = self._yuv_frame(pixels)
        # After the key frame, x264 is shown the key frame's own decoded picture: nothing is
        # left to correct, so it writes P frames that skip every macroblock. (Shown the source
        # again, it kept re-coding a few macroblocks of some pictures back and forth for good.)
        settled = reconstruction(self.spec, source)
        fed = 0
        window = 3  # read from the parameter sets once the encoder has written them
        # A few frames past the window: x264 still holds some frames when it is flushed.
        while fed < min(repeat, STILL_PROBE_FRAMES) and held.run < window + 2:
            frame = source if fed == 0 else settled
            frame.pts = fed
            frame.time_base = self._time_base
            frame.pict_type = PictureType.I if fed == 0 else PictureType.P
            fed += 1
            take(self._stream.encode(frame))  # type: ignore[union-attr,arg-type]
            if fed == 1:
                if self._stream.codec_context.extradata != parameter_sets(self._segment_spec):
                    raise StillDidNotSettle("a hold's encoder wrote other parameter sets")
                layout = self._layout()
                window = layout.max_num_ref_frames + 1
        take(self._stream.encode(None))  # type: ignore[union-attr]
        self.frames_coded += fed
        if fed == repeat:
            self._mux_and_close(packets, [])
            return
        copies = self._copies(layout, packets, repeat - fed)
        for picture in decoder.decode(av.Packet(bytes(copies[0]))):
            held.see(picture)
        for picture in decoder.decode(None):
            held.see(picture)
        if held.pictures != len(packets) + 1 or held.run < window + 1:
            raise StillDidNotSettle(f"x264 did not settle within {fed} frames")
        self.frames_copied += len(copies)
        self._mux_and_close(packets, copies)

    def _layout(self) -> h264.SliceLayout:
        extradata = self._stream.codec_context.extradata
        if not extradata or not extradata.startswith((b"\x00\x00\x01", b"\x00\x00\x00\x01")):
            raise StillDidNotSettle("no Annex B parameter sets")
        try:
            return h264.slice_layout(extradata)
        except h264.UnsupportedStream as error:
            raise StillDidNotSettle(str(error)) from error

    @staticmethod
    def _copies(layout: h264.SliceLayout, packets: list[av.Packet], count: int) -> list[av.Packet]:
        """``count`` copies of the last packet, numbered on from the last two packets' steps."""
        if len(packets) < 2 or packets[-1].is_keyframe or packets[-2].is_keyframe:
            raise StillDidNotSettle("no two P frames to number on from")
        before, last = packets[-2], packets[-1]
        if last.pts is None or last.dts is None:
            raise StillDidNotSettle("x264's packet has no timestamps")
        try:
            first, second = (h264.packet_numbers(bytes(p), layout)[0] for p in (before, last))
        except h264.UnsupportedStream as error:
            raise StillDidNotSettle(str(error)) from error
        frame_step = (second.frame_num - first.frame_num) % layout.max_frame_num
        poc_step = 0
        if second.poc_lsb is not None and first.poc_lsb is not None:
            poc_step = (second.poc_lsb - first.poc_lsb) % layout.max_poc_lsb
        template = bytes(last)
        copies = []
        for number in range(1, count + 1):
            data = h264.renumbered(
                template,
                layout,
                second.frame_num + number * frame_step,
                None if second.poc_lsb is None else second.poc_lsb + number * poc_step,
            )
            copy = av.Packet(data)
            copy.pts = last.pts + number
            copy.dts = last.dts + number
            copy.time_base = last.time_base
            copy.duration = last.duration
            copies.append(copy)
        return copies

    def _mux_and_close(self, packets: list[av.Packet], copies: list[av.Packet]) -> None:
        for packet in [*packets, *copies]:
            packet.stream = self._stream
            self._container.mux(packet)
        self._next_pts = len(packets) + len(copies)
        self._closed = True
        self._container.close()

    def _yuv_frame(self, pixels: np.ndarray) -> av.VideoFrame:
        if self._converter is None:
            self._converter = ChangedRowsConverter(
                self.spec.pixel_format, only_changed=speedups.enabled()
            )
        return self._converter.convert(pixels)


def _rgba_frame(pixels: np.ndarray) -> av.VideoFrame:
    """``pixels`` (height x width x 4) in an AVFrame, by one numpy assignment."""
    height, width = pixels.shape[:2]
    frame = av.VideoFrame(width, height, "rgba")
    plane = frame.planes[0]
    # VideoPlane exposes the buffer protocol; the stubs do not say so.
    rows = np.frombuffer(plane, dtype=np.uint8).reshape(  # type: ignore[call-overload]
        height, plane.line_size
    )
    rows[:, : width * 4].reshape(height, width, 4)[...] = pixels
    return frame


def _plane_rows(plane: Any) -> np.ndarray:
    """A plane's pixels as rows (a view into the frame's buffer, without the line padding)."""
    rows = np.frombuffer(plane, dtype=np.uint8).reshape(plane.height, plane.line_size)
    return rows[:, : plane.width]


class ChangedRowsConverter:
    """RGBA frames to YUV 4:2:0, converting again only the rows that changed since the last one.

    Converting a 1080p frame costs about 4.3 ms of CPU (swscale), as much as x264 then spends on
    it, though from one drawn frame to the next most rows are as they were (the curves, labels
    and axes stand while a marker moves). Here the rows that differ from the last frame are
    found (about 0.4 ms for 1080p); one band from the first to the last of them, widened by
    :data:`FILTER_REACH` rows (swscale's vertical chroma filter carries a row's change to its
    neighbours' chroma), is converted with :data:`BAND_MARGIN` more rows of the frame above and
    below as context, and only the band's own rows are taken into the last frame's planes. The
    planes come out as a conversion of the whole frame (tests/production/test_changed_rows.py).
    """

    # Twice what the test's random frames needed: reach 2 with margin 4 matched the whole
    # frame's conversion everywhere, reach 2 with margin 2 did not.
    FILTER_REACH = 4
    """Rows above and below a changed row whose chroma the conversion may change."""
    BAND_MARGIN = 8
    """Rows of context converted above and below a band, then left out."""

    def __init__(self, pixel_format: str, *, only_changed: bool = True) -> None:
        self.pixel_format = pixel_format
        self.only_changed = only_changed
        self._last: np.ndarray | None = None
        self._planes: list[np.ndarray] = []
        # Rows converted and rows in all frames (for the benchmarks and tests).
        self.rows_converted = 0
        self.rows_seen = 0

    def convert(self, pixels: np.ndarray) -> av.VideoFrame:
        height, width = pixels.shape[:2]
        self.rows_seen += height
        band = self._changed_band(pixels)
        if band is None:
            converted = _rgba_frame(pixels).reformat(format=self.pixel_format)
            self._planes = [_plane_rows(plane).copy() for plane in converted.planes]
            self.rows_converted += height
        elif band[0] < band[1]:
            self._convert_band(pixels, *band)
        self._last = pixels
        frame = av.VideoFrame(width, height, self.pixel_format)
        for plane, rows in zip(frame.planes, self._planes, strict=True):
            _plane_rows(plane)[...] = rows
        return frame

    def _changed_band(self, pixels: np.ndarray) -> tuple[int, int] | None:
        """The rows (first, end) to convert again, even-aligned; None: the whole frame."""
        last = self._last
        height, width = pixels.shape[:2]
        if (
            not self.only_changed
            or self.pixel_format != "yuv420p"
            or last is None
            or last.shape != pixels.shape
            or height % 2
            or width % 2
            or not pixels.flags.c_contiguous
            or not last.flags.c_contiguous
        ):
            return None
        # Whole 8-byte words (a row of RGBA at an even width is a whole number of them).
        now = pixels.reshape(height, -1).view(np.uint64)
        before = last.reshape(height, -1).view(np.uint64)
        changed = np.flatnonzero((now != before).any(axis=1))
        if changed.size == 0:
            return (0, 0)
        # A changed row also changes the chroma of the rows its vertical filter reaches.
        reach = self.FILTER_REACH
        return max(0, (int(changed[0]) - reach) & ~1), min(
            height, (int(changed[-1]) + reach + 2) & ~1
        )

    def _convert_band(self, pixels: np.ndarray, first: int, end: int) -> None:
        height = pixels.shape[0]
        top = max(0, first - self.BAND_MARGIN)
        bottom = min(height, end + self.BAND_MARGIN)
        converted = _rgba_frame(np.ascontiguousarray(pixels[top:bottom])).reformat(
            format=self.pixel_format
        )
        self.rows_converted += bottom - top
        for index, (plane, rows) in enumerate(zip(converted.planes, self._planes, strict=True)):
            step = 1 if index == 0 else 2  # the chroma planes have half the rows
            rows[first // step : end // step] = _plane_rows(plane)[
                (first - top) // step : (end - top) // step
            ]


class FastSceneFileWriter(SceneFileWriter):
    """Manim's file writer, encoding with :class:`FastSegmentEncoder`; its MP4s are faststart.

    Its segments are joined by copying packets file by file, not through FFmpeg's concat
    demuxer: Manim writes each path into the concat list inside single quotes, unescaped, so one
    apostrophe anywhere in the output folder (``Lecturer's videos``) made every render fail with
    "No such file or directory: '<none>'", and no quoting survives a newline in a path.
    """

    def combine_files(  # noqa: D102 - Manim's method
        self,
        input_files: list[str],
        output_file: Path,
        create_gif: bool = False,
        includes_sound: bool = False,
    ) -> None:
        if create_gif:  # loss-scenes asks Manim for MP4 only; GIFs are converted afterwards
            super().combine_files(input_files, output_file, create_gif, includes_sound)
            return
        from scenes.production.video import concatenate

        # Segments never hold sound (Manim adds it to the joined file afterwards), so copying
        # their video packets is the whole join.
        output_file.parent.mkdir(parents=True, exist_ok=True)
        concatenate([Path(name) for name in input_files], output_file)

    def _create_segment_encoder(self, target):  # noqa: ANN001 - Manim's signature
        if self.video_encoder is None:
            return super()._create_segment_encoder(target)
        if self.video_encoder.pixel_format != "yuv420p":
            return super()._create_segment_encoder(target)
        return FastSegmentEncoder(target=target, spec=self.video_encoder)

    def combine_to_movie(self) -> None:
        # Manim writes the index (moov) last, and again last when it adds a sound track.
        super().combine_to_movie()
        try:
            movie = Path(self.movie_file_path)
        except AttributeError:  # Manim was asked for images only
            return
        if movie.suffix == ".mp4" and movie.is_file():
            ensure_faststart(movie)


def fast_renderer():
    """A Cairo renderer whose file writer is :class:`FastSceneFileWriter`."""
    from manim.renderer.cairo_renderer import CairoRenderer

    return CairoRenderer(file_writer_class=FastSceneFileWriter)


def with_fast_writer(scene_class: type[Scene]) -> type[Scene]:
    """``scene_class`` rendering through :func:`fast_renderer` when Manim's own command line
    constructs it (which passes no renderer), so plain ``manim`` writes faststart MP4s too.
    """

    def __init__(self, renderer=None, **kwargs):  # noqa: ANN001 - Manim's signature
        scene_class.__init__(self, renderer=renderer or fast_renderer(), **kwargs)

    return type(
        scene_class.__name__,
        (scene_class,),
        {"__init__": __init__, "__module__": scene_class.__module__},
    )
