"""Video files: probing, joining scene videos into a lecture, converting to WebM and GIF (PyAV)."""

import os
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import NamedTuple

import av

from scenes import interrupt
from scenes.files import temp_beside

# VP9 for the WebMs (site export and ``--format webm``): libvpx's real-time mode, no look-ahead,
# row-based multithreading. Measured on the Huber scene at 1080p60 against the MP4 frames it is
# made from (FFmpeg's psnr and ssim filters; benchmarks/export.py), one thread, a loaded machine:
# the previous "good" mode at cpu-used 4 and CRF 32 gave 54.91 dB PSNR, SSIM 0.99952 and 1.14 MB
# for 85 s of CPU; this gives 55.74 dB, SSIM 0.99949 and 1.53 MB for 18 s. (Real time at
# cpu-used 8 and CRF 32: 53.80 dB, 0.99915, 1.72 MB, 16.5 s.)
WEBM_OPTIONS = {
    "crf": "30",
    "b": "0",
    "deadline": "realtime",
    "cpu-used": "6",
    "lag-in-frames": "0",
    "row-mt": "1",
}
WEBM_THREADS = 2
GIF_OPTIONS = {"width": 640, "fps": 10, "colors": 256}


class ChapterMark(NamedTuple):
    """A chapter as players list it: title, start and end in seconds."""

    title: str
    start: float
    end: float


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


def concatenate(parts: list[Path], output: Path, language: str | None = None) -> None:
    """Join videos with identical encoding settings into one, copying video packets (no
    re-encoding); their sound, if any, stays in step (:func:`scenes.speech.mux.join_with_audio`)
    and is tagged with ``language`` (None: the parts' own tag).

    The container format follows ``output``'s suffix (``.mp4`` or ``.webm``).
    """
    from scenes.speech.mux import join_with_audio

    join_with_audio(parts, output, language)


def transcode(source: Path, output: Path, fmt: str, language: str | None = None) -> None:
    """Convert an MP4 to ``webm`` (VP9, audio as Opus) or ``gif`` (at most 15 fps, no sound).

    The audio keeps the source's language tag, or takes ``language`` (ISO 639-1 or 639-2).
    """
    from scenes.languages import iso639_2
    from scenes.speech.mux import AUDIO_CODECS

    with av.open(str(source)) as container:
        in_stream = container.streams.video[0]
        in_stream.thread_type = "AUTO"
        fps = Fraction(in_stream.average_rate or 30)
        if fmt == "webm":
            with _open_output(output, "webm") as out:
                stream = out.add_stream("libvpx-vp9", rate=fps)
                stream.width = in_stream.codec_context.width
                stream.height = in_stream.codec_context.height
                stream.pix_fmt = "yuv420p"
                stream.options = dict(WEBM_OPTIONS)
                stream.codec_context.thread_count = WEBM_THREADS
                encoders: dict = {in_stream: stream}
                codec, bit_rate = AUDIO_CODECS["webm"]
                for in_audio in container.streams.audio:
                    audio = out.add_stream(codec, rate=48000)
                    audio.layout = in_audio.codec_context.layout
                    audio.bit_rate = bit_rate
                    tag = language or in_audio.metadata.get("language")
                    if tag:
                        audio.metadata["language"] = iso639_2(tag)
                    encoders[in_audio] = audio
                for packet in container.demux(*encoders):
                    interrupt.check()  # may run in a thread, which Ctrl-C does not reach
                    encoder = encoders[packet.stream]
                    for frame in packet.decode():
                        if isinstance(frame, av.VideoFrame) and frame.format.name != "yuv420p":
                            frame = frame.reformat(format="yuv420p")
                        out.mux(encoder.encode(frame))
                for encoder in encoders.values():
                    out.mux(encoder.encode(None))
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


def remux(source: Path, output: Path, *, chapters: Sequence[ChapterMark] | None = None) -> None:
    """Copy every video and audio stream of ``source`` into ``output``, packets untouched.

    The container follows ``output``'s suffix. An MP4 comes out faststart: Manim, like most
    encoders, writes the index (the moov box) after the media data (mdat), and a browser then has
    to fetch the end of the file before it can start playing. ``chapters`` (title, start, end in
    seconds) replace the source's chapter list; without them it is kept.
    """
    with av.open(str(source)) as container:
        sources = _media_streams(container)
        with _open_output(output) as out:
            streams = {s: out.add_stream_from_template(s) for s in sources}
            for source_stream, copy in streams.items():
                # The audio's language tag (ISO 639-2) goes with it.
                if tag := source_stream.metadata.get("language"):
                    copy.metadata["language"] = tag
            out.set_chapters(container.chapters() if chapters is None else _chapter_list(chapters))
            periods = {s: _frame_period(s) for s in sources}
            for packet in container.demux(sources):
                if packet.dts is None:
                    continue
                # A Matroska block may carry no duration; without one the last frame would
                # count for nothing and the copy would come out a frame short.
                if not packet.duration and periods[packet.stream]:
                    packet.duration = periods[packet.stream]
                packet.stream = streams[packet.stream]
                out.mux(packet)
        spoken = [s.metadata.get("language") for s in sources if s.type == "audio"]
    if output.suffix.lower() == ".mp4" and spoken and spoken[0]:
        tag_chapter_track(output, spoken[0])


def tag_chapter_track(path: Path, language: str) -> int:
    """Give the chapter text track of the MP4 at ``path`` the language ``language`` (ISO 639-2,
    as its audio): FFmpeg's muxer writes it as language 0, which players read as English (the
    old Macintosh code), so a German lecture offered its German chapter titles as "English".
    Two bytes of each text track's ``mdhd`` box are rewritten in place; returns how many.
    """
    code = language.lower()
    if len(code) != 3 or not all("a" <= c <= "z" for c in code):
        return 0
    packed = ((ord(code[0]) - 0x60) << 10) | ((ord(code[1]) - 0x60) << 5) | (ord(code[2]) - 0x60)
    with open(path, "r+b") as file:
        moov = _find_box(file, 0, os.fstat(file.fileno()).st_size, b"moov")
        if moov is None:
            return 0
        tagged = 0
        for trak in _boxes(file, moov[0], moov[1], b"trak"):
            mdia = next(iter(_boxes(file, trak[0], trak[1], b"mdia")), None)
            if mdia is None:
                continue
            hdlr = next(iter(_boxes(file, mdia[0], mdia[1], b"hdlr")), None)
            mdhd = next(iter(_boxes(file, mdia[0], mdia[1], b"mdhd")), None)
            if hdlr is None or mdhd is None:
                continue
            file.seek(hdlr[0] + 8)  # past version, flags and pre_defined: the handler type
            if file.read(4) != b"text":
                continue
            file.seek(mdhd[0])
            version = file.read(1)[0]
            # version, flags; creation and modification times, time scale, duration.
            file.seek(mdhd[0] + 4 + (28 if version == 1 else 16))
            file.write(packed.to_bytes(2, "big"))
            tagged += 1
        return tagged


def _boxes(file, start: int, end: int, kind: bytes):
    """(content start, content end) of each box of type ``kind`` between ``start`` and ``end``."""
    offset = start
    while offset + 8 <= end:
        file.seek(offset)
        header = file.read(8)
        size, found = int.from_bytes(header[:4], "big"), header[4:8]
        body = offset + 8
        if size == 1:
            size = int.from_bytes(file.read(8), "big")
            body += 8
        elif size == 0:
            size = end - offset
        if size < 8:
            return
        if found == kind:
            yield body, offset + size
        offset += size


def _find_box(file, start: int, end: int, kind: bytes) -> tuple[int, int] | None:
    return next(iter(_boxes(file, start, end, kind)), None)


def is_faststart(path: Path) -> bool:
    boxes = mp4_boxes(path)
    return "moov" in boxes and "mdat" in boxes and boxes.index("moov") < boxes.index("mdat")


def ensure_faststart(path: Path) -> None:
    """Make the MP4 at ``path`` faststart in place (a cheap packet copy; nothing if it already is).

    For files in a work folder on their way to publication: the replacement is one rename, but
    not a counted commit (see :mod:`scenes.files`).
    """
    if is_faststart(path):
        return
    # With the usual mode: Manim's own file was readable by everyone, so must its copy be.
    temp = temp_beside(path)
    try:
        remux(path, temp)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def chapters(path: Path) -> list[ChapterMark]:
    """A file's chapters as (title, start, end) in seconds, as players read them."""
    with av.open(str(path)) as container:
        return [
            ChapterMark(
                chapter["metadata"].get("title", ""),
                float(chapter["start"] * (chapter["time_base"] or 1)),
                float(chapter["end"] * (chapter["time_base"] or 1)),
            )
            for chapter in container.chapters()
        ]


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


def _media_streams(container) -> list:
    """The streams worth copying: video and audio (an MP4's chapter text track is rebuilt from
    the chapter list by the muxer).
    """
    return [s for s in container.streams if s.type in ("video", "audio")]


def _frame_period(stream) -> int:
    """One frame of a video stream in its time base (0 for audio or an unknown rate)."""
    rate = stream.average_rate if stream.type == "video" else None
    return round(1 / (rate * stream.time_base)) if rate and stream.time_base else 0


def _open_output(output: Path, fmt: str | None = None):
    fmt = fmt or output.suffix.lstrip(".") or "mp4"
    # bitexact: no random identifiers (Matroska's UIDs), so the same input gives the same bytes.
    options = {"fflags": "+bitexact"}
    if fmt == "mp4":
        options["movflags"] = "+faststart"
    return av.open(str(output), "w", format=fmt, options=options)


def _chapter_list(marks: Sequence[ChapterMark]) -> list:
    # Milliseconds: what Matroska and the MP4 chapter boxes (nero chpl) store anyway.
    return [
        {
            "id": number,
            "start": round(start * 1000),
            "end": round(end * 1000),
            "time_base": Fraction(1, 1000),
            "metadata": {"title": title},
        }
        for number, (title, start, end) in enumerate(marks, start=1)
    ]


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
            interrupt.check()  # may run in a thread, which Ctrl-C does not reach
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
