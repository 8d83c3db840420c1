"""What the voice costs: CPU seconds to narrate a 60 s scene of 10 phrases at 1080p60.

    .venv/bin/python benchmarks/speech_cost.py

Synthesises 10 phrases with espeak-ng (cold cache, then warm), lays them on a 60 s track and
brings it to -16 LUFS / -1 dBTP, and muxes it into a silent 1080p60 video (H.264 in MP4 and VP9
in WebM, made here with flat frames; making them is not counted). CPU seconds are user + system
of this process and its children (espeak-ng runs as a subprocess). One run, this machine.
"""

import resource
import sys
import tempfile
import time
from pathlib import Path

import av
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scenes.spec.models import VoiceSpec  # noqa: E402
from scenes.speech import engine_for  # noqa: E402
from scenes.speech.cache import SpeechCache  # noqa: E402
from scenes.speech.mux import add_audio, join_with_audio  # noqa: E402
from scenes.speech.track import integrated_loudness, narration_track, true_peak_dbtp  # noqa: E402

SECONDS = 60
FPS = 60
PHRASES = [
    "The blue curve is the loss of one point, as theta moves.",
    "Near the point it is a parabola, like the squared loss.",
    "Far from it the curve goes on as two straight lines.",
    "The red curve is its slope: the pull of the point on theta.",
    "The pull grows with the distance, up to delta, and no further.",
    "Here are twenty points, and one of them is far away.",
    "Gradient descent starts theta at zero and follows the pulls.",
    "Each step moves theta by the sum of the pulls, times the rate.",
    "The far point pulls no harder than a near one would.",
    "So theta settles near the median, where the pulls balance.",
]


def cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def silent_video(path: Path) -> None:
    fmt = path.suffix.lstrip(".")
    with av.open(str(path), "w", format=fmt) as out:
        if fmt == "mp4":
            stream = out.add_stream("libx264", rate=FPS, options={"preset": "ultrafast"})
        else:
            stream = out.add_stream(
                "libvpx-vp9", rate=FPS, options={"deadline": "realtime", "cpu-used": "8"}
            )
        stream.width, stream.height, stream.pix_fmt = 1920, 1080, "yuv420p"
        shades = [
            av.VideoFrame.from_ndarray(
                np.full((1080, 1920, 3), (15, 17, 23 + 4 * shade), np.uint8), format="rgb24"
            ).reformat(format="yuv420p")
            for shade in range(8)
        ]
        for index in range(SECONDS * FPS):
            frame = shades[index // FPS % 8]
            frame.pts = index
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))


def main() -> None:
    rows: list[tuple[str, float, float]] = []

    def measure(label: str, action):
        wall, before = time.perf_counter(), cpu()
        result = action()
        rows.append((label, cpu() - before, time.perf_counter() - wall))
        return result

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for suffix in ("mp4", "webm"):
            silent_video(folder / f"silent.{suffix}")
        voice = VoiceSpec(engine="espeak-ng", voice="en-us", rate=160)

        def speak():
            engine = engine_for(voice, folder, SpeechCache(folder / "cache"))
            speech = engine.beat_speech("Scene", "beat", PHRASES)
            assert speech is not None
            return speech

        speech = measure("synthesise 10 phrases (cold cache)", speak)
        measure("synthesise 10 phrases (warm cache)", speak)
        placements = [(6.0 * index, piece.clip) for index, piece in enumerate(speech.pieces)]
        track = measure(
            "track + loudness (-16 LUFS, -1 dBTP)", lambda: narration_track(placements, SECONDS)
        )
        for suffix in ("mp4", "webm"):
            measure(
                f"add_audio to 1080p60 .{suffix}",
                lambda s=suffix: add_audio(folder / f"silent.{s}", track, folder / f"narrated.{s}"),
            )
        measure(
            "join 2 narrated 60 s .mp4",
            lambda: join_with_audio([folder / "narrated.mp4"] * 2, folder / "joined.mp4"),
        )
        spoken = sum(piece.seconds for piece in speech.pieces)
        print(
            f"speech: {spoken:.1f} s in {SECONDS} s; loudness "
            f"{integrated_loudness(track):.2f} LUFS, true peak {true_peak_dbtp(track):.2f} dBTP\n"
        )
    print("| step | CPU s | wall s |\n| --- | ---: | ---: |")
    for label, cpu_seconds, wall in rows:
        print(f"| {label} | {cpu_seconds:.2f} | {wall:.2f} |")
    cold = rows[0][1] + rows[2][1] + rows[3][1]
    print(
        f"\ncold synthesis + loudness + MP4 mux: {cold:.2f} CPU s for {SECONDS} s of video "
        f"({cold / SECONDS * 100:.2f} CPU s per 100 s)"
    )


if __name__ == "__main__":
    main()
