"""Video files: probing, joining scene videos into a lecture, converting to WebM and GIF (PyAV)."""

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np


@dataclass(frozen=True)
class VideoInfo:
    width: int
    height: int
    fps: float
    frames: int
    duration: float
    codec: str


def probe(path: Path) -> VideoInfo:
    """Resolution, frame rate, frame count and duration of a video's first video stream."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = stream.frames or sum(1 for _ in container.demux(stream) if _.size)
        rate = stream.average_rate or stream.guessed_rate
        fps = float(rate) if rate else 0.0
        if stream.duration is not None and stream.time_base is not None:
            duration = float(stream.duration * stream.time_base)
        else:
            duration = frames / fps if fps else 0.0
        return VideoInfo(
            stream.codec_context.width,
            stream.codec_context.height,
            fps,
            frames,
            duration,
            stream.codec_context.name,
        )


def concatenate(parts: list[Path], output: Path) -> None:
    """Join videos with identical encoding settings into one, copying packets (no re-encoding).

    The container format follows ``output``'s suffix (``.mp4`` or ``.webm``).
    """
    with av.open(str(parts[0])) as first:
        template = first.streams.video[0]
        with av.open(str(output), "w", format=output.suffix.lstrip(".") or "mp4") as out:
            stream = out.add_stream_from_template(template)
            offset = 0
            for part in parts:
                with av.open(str(part)) as container:
                    source = container.streams.video[0]
                    if source.time_base != template.time_base:
                        raise ValueError(
                            f"{part}: time base differs; cannot join without re-encoding"
                        )
                    last_end = 0
                    for packet in container.demux(source):
                        if packet.dts is None or packet.pts is None:
                            continue
                        packet.pts += offset
                        # The muxer derives decoding times from the presentation times. Shifted
                        # ones could run backwards where a part without frame reordering (two
                        # frames, no B-frames) meets one with it.
                        packet.dts = None
                        last_end = max(last_end, packet.pts + (packet.duration or 0))
                        packet.stream = stream
                        out.mux(packet)
                    offset = last_end


def transcode(source: Path, output: Path, fmt: str) -> None:
    """Convert an MP4 to ``webm`` (VP9) or ``gif`` (palette per frame, at most 15 fps)."""
    with av.open(str(source)) as container:
        in_stream = container.streams.video[0]
        fps = Fraction(in_stream.average_rate or 30)
        if fmt == "webm":
            with av.open(str(output), "w", format="webm") as out:
                stream = out.add_stream("libvpx-vp9", rate=fps)
                stream.width = in_stream.codec_context.width
                stream.height = in_stream.codec_context.height
                stream.pix_fmt = "yuv420p"
                stream.options = {
                    "crf": "32",
                    "b": "0",
                    "row-mt": "1",
                    "deadline": "good",
                    "cpu-used": "4",
                }
                for frame in container.decode(in_stream):
                    out.mux(stream.encode(frame.reformat(format="yuv420p")))
                out.mux(stream.encode(None))
        elif fmt == "gif":
            keep_every = max(1, round(float(fps) / 15))
            with av.open(str(output), "w", format="gif") as out:
                stream = out.add_stream("gif", rate=fps / keep_every)
                stream.width = in_stream.codec_context.width
                stream.height = in_stream.codec_context.height
                stream.pix_fmt = "rgb8"
                for index, frame in enumerate(container.decode(in_stream)):
                    if index % keep_every:
                        continue
                    out.mux(stream.encode(frame.reformat(format="rgb8")))
                out.mux(stream.encode(None))
        else:
            raise ValueError(f"unknown video format {fmt!r}")


def last_frame(path: Path) -> np.ndarray:
    """The last decoded frame as an RGB array (for tests and posters)."""
    with av.open(str(path)) as container:
        frames = list(container.decode(video=0))
    if not frames:
        raise ValueError(f"{path} has no frames")
    return frames[-1].to_ndarray(format="rgb24")


def faststart(source: Path, output: Path) -> None:
    """Copy an MP4 with its index (the moov box) moved before the media data (mdat).

    Manim, like most encoders, writes the index last; a browser then has to fetch the end of the
    file before it can start playing. Packets are copied, not re-encoded.
    """
    with av.open(str(source)) as container:
        source_stream = container.streams.video[0]
        with av.open(str(output), "w", format="mp4", options={"movflags": "+faststart"}) as out:
            stream = out.add_stream_from_template(source_stream)
            for packet in container.demux(source_stream):
                if packet.dts is None:
                    continue
                packet.stream = stream
                out.mux(packet)


def mp4_boxes(path: Path) -> list[str]:
    """The top-level box types of an MP4 file, in file order (e.g. to check for faststart)."""
    boxes: list[str] = []
    with open(path, "rb") as file:
        while header := file.read(8):
            if len(header) < 8:
                break
            size = int.from_bytes(header[:4], "big")
            boxes.append(header[4:8].decode("latin-1"))
            if size == 1:  # 64-bit size follows the type
                size = int.from_bytes(file.read(8), "big") - 8
            elif size == 0:  # box extends to the end of the file
                break
            file.seek(size - 8, 1)
    return boxes


def web_gif(
    source: Path, output: Path, *, width: int = 640, fps: int = 10, colors: int = 256
) -> None:
    """An animated GIF for slides and web pages: scaled down, one palette optimised for the video.

    One palette for all frames (built from a sample of frames) keeps colours stable between
    frames, which lets the encoder store only the changed rectangle of each frame; no dithering,
    because dither noise defeats that and the flat colours of the scenes need none. Octree rather
    than median cut: median cut weighs colours by area and drops small labels' colours (the
    purple "mean" label came out grey). 10 fps because GIF delays are whole centiseconds.
    """
    from PIL import Image

    with av.open(str(source)) as container:
        stream = container.streams.video[0]
        rate = float(stream.average_rate or 30)
        scale = min(1.0, width / stream.codec_context.width)
        size = (
            round(stream.codec_context.width * scale / 2) * 2,
            round(stream.codec_context.height * scale / 2) * 2,
        )
        images: list[Image.Image] = []
        next_time = 0.0
        for index, frame in enumerate(container.decode(stream)):
            if index / rate + 1e-9 < next_time:
                continue
            next_time += 1 / fps
            images.append(frame.to_image().convert("RGB").resize(size, Image.Resampling.LANCZOS))
    if not images:
        raise ValueError(f"{source} has no frames")
    sample = images[:: max(1, len(images) // 12)] + [images[-1]]
    strip = Image.new("RGB", (size[0], size[1] * len(sample)))
    for row, image in enumerate(sample):
        strip.paste(image, (0, row * size[1]))
    palette = strip.quantize(colors=colors, method=Image.Quantize.FASTOCTREE)
    frames = [image.quantize(palette=palette, dither=Image.Dither.NONE) for image in images]
    frames[0].save(
        output,
        format="GIF",
        save_all=True,
        append_images=frames[1:],
        duration=round(1000 / fps),
        loop=0,
        optimize=False,
    )
