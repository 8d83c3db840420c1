"""What a viewer of a rendered lecture gets: length, loudness, caption speed, stillness.

    .venv/bin/python benchmarks/lecture_report.py renders/low            # the lecture in there
    .venv/bin/python benchmarks/lecture_report.py renders/low --video LossFunctions

Reads the render folder's manifest and the lecture's MP4 and SRT, and prints one Markdown table:
the video's length; the narration's integrated loudness (pyloudnorm, ITU-R BS.1770), loudness
range (EBU Tech 3342, ``scenes.speech.track.loudness_range``) and true peak (FFmpeg's ebur128
through PyAV), all on the decoded AAC; the fastest caption in characters per
second; the longest stretch where no pixel changes, and the longest where in addition no caption is
up and nothing is heard (the final hold counted apart).
"""

import argparse
from pathlib import Path

import av
import numpy as np

from scenes.production import manifest
from scenes.production.subtitles import parse_srt
from scenes.speech.track import integrated_loudness, loudness_range, true_peak_dbtp

RATE = 48_000
SILENCE_DB = -50.0
"""RMS over 20 ms below this, relative to full scale, counts as silence."""


def decoded_audio(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
        chunks = [
            frame.to_ndarray().reshape(-1)
            for packet_frame in container.decode(audio=0)
            for frame in resampler.resample(packet_frame)
        ]
    return np.concatenate(chunks)


CODING_NOISE = 24
"""Decoded H.264 frames of a picture that stands still differ by a few levels (3-10 measured on
the default lecture at low quality); a pixel that changes by more than this has moved."""


def moved(picture: np.ndarray, previous: np.ndarray) -> bool:
    return bool((np.abs(picture.astype(np.int16) - previous).max(axis=-1) > CODING_NOISE).any())


def still_runs(path: Path, top: float = 1.0) -> tuple[list[tuple[int, int]], float, int]:
    """Runs of identical consecutive frames as (first, end) frame indices, the rate, the count;
    only the top ``top`` of each frame is compared (0.8: the picture above the captions).
    """
    runs, start, previous, count = [], 0, None, 0
    with av.open(str(path)) as container:
        fps = float(container.streams.video[0].average_rate)
        for index, frame in enumerate(container.decode(video=0)):
            picture = frame.to_ndarray(format="rgb24")
            picture = picture[: int(top * picture.shape[0])]
            if previous is not None and moved(picture, previous):
                if index - start > 1:
                    runs.append((start, index))
                start = index
            previous, count = picture, index + 1
    if count - start > 1:
        runs.append((start, count))
    return runs, fps, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--video", help="the video's name (default: the manifest's lecture)")
    args = parser.parse_args()
    videos = manifest.read(args.folder).videos
    name = args.video or next(n for n, v in videos.items() if v.kind == "lecture")
    movie = args.folder / f"{name}.mp4"
    cues = parse_srt((args.folder / f"{name}.srt").read_text())
    track = decoded_audio(movie)
    window = RATE // 50
    power = np.convolve(track.astype(np.float64) ** 2, np.ones(window) / window, mode="same")
    loud = 10 * np.log10(np.maximum(power, 1e-20)) > SILENCE_DB
    runs, fps, count = still_runs(movie)
    picture_runs, _, _ = still_runs(movie, top=0.8)
    longest_picture = max(((end - first) / fps for first, end in picture_runs), default=0.0)

    def said(seconds: float) -> bool:
        heard = loud[min(int(seconds * RATE), len(loud) - 1)]
        return heard or any(cue.start <= seconds < cue.end for cue in cues)

    longest_still, longest_dead, final_hold = 0.0, 0.0, 0.0
    for first, end in runs:
        seconds = (end - first) / fps
        if end == count:
            final_hold = seconds
            continue
        longest_still = max(longest_still, seconds)
        dead = 0
        for index in range(first, end):
            dead = 0 if said(index / fps) else dead + 1
            longest_dead = max(longest_dead, dead / fps)
    speeds = [len(cue.text.replace("\n", " ")) / (cue.end - cue.start) for cue in cues]
    widest = max(len(line) for cue in cues for line in cue.text.splitlines())
    tallest = max(len(cue.text.splitlines()) for cue in cues)
    fastest = max(range(len(cues)), key=speeds.__getitem__)
    rows = [
        ("video", f"{name}.mp4, {count} frames at {fps:g} fps"),
        ("length", f"{count / fps:.1f} s"),
        ("integrated loudness", f"{integrated_loudness(track):.2f} LUFS"),
        ("loudness range (LRA)", f"{loudness_range(track):.1f} LU"),
        ("true peak", f"{true_peak_dbtp(track):.2f} dBTP"),
        ("captions", f"{len(cues)} cues, lines of at most {widest} characters, {tallest} lines"),
        ("fastest caption", f"{speeds[fastest]:.1f} characters/s ({cues[fastest].text!r})"),
        ("longest still stretch (before the final hold)", f"{longest_still:.2f} s"),
        ("longest stretch still, silent and uncaptioned", f"{longest_dead:.2f} s"),
        ("final hold", f"{final_hold:.2f} s"),
        ("longest stretch the picture above the captions stands still", f"{longest_picture:.2f} s"),
    ]
    print("| measure | value |\n| --- | --- |")
    for label, value in rows:
        print(f"| {label} | {value} |")


if __name__ == "__main__":
    main()
