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
"""

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from manim import Scene
from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder

from scenes.production.video import ensure_faststart

# Same rate control as Manim's default (CRF 23), a faster search. Measured on the Huber scene at
# 1080p60 against its lossless frames: "medium" (Manim's default) 46.94 dB PSNR, "superfast"
# 46.97 dB with 1.48x the bytes, "veryfast" 45.05 dB (smaller, but visibly softer edges).
ENCODER_OPTIONS = {"crf": "23", "preset": "superfast"}


class FastSegmentEncoder(VideoSegmentEncoder):
    """Manim's segment encoder with a cheap RGBA copy and held frames converted only once."""

    def write_frame(self, pixels: np.ndarray, *, repeat: int = 1) -> None:
        self._validate_frame(pixels, repeat)
        time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
        try:
            frame = self._yuv_frame(pixels)
            for _ in range(repeat):
                # x264 copies the picture on submission, so one converted frame can be sent
                # again with the next timestamp.
                frame.pts = self._next_pts
                frame.time_base = time_base
                self._next_pts += 1
                for packet in self._stream.encode(frame):  # type: ignore[union-attr,arg-type]
                    self._container.mux(packet)
        except BaseException as error:
            raise self._operation_error("encode", error) from error

    def _yuv_frame(self, pixels: np.ndarray) -> av.VideoFrame:
        height, width = pixels.shape[:2]
        frame = av.VideoFrame(width, height, "rgba")
        plane = frame.planes[0]
        # VideoPlane exposes the buffer protocol; the stubs do not say so.
        rows = np.frombuffer(plane, dtype=np.uint8).reshape(  # type: ignore[call-overload]
            height, plane.line_size
        )
        rows[:, : width * 4].reshape(height, width, 4)[...] = pixels
        return frame.reformat(format=self.spec.pixel_format)


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
