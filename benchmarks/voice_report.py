"""How a rendered lecture sounds: pace, pauses, still moments, loudness per profile (issue 17).

    .venv/bin/python benchmarks/voice_report.py renders/low            # the lecture in there
    .venv/bin/python benchmarks/voice_report.py renders/low --video LossFunctions

Reads the render folder's manifest, the lecture's MP4 and SRT, and prints one Markdown table:

- words per minute while speaking: the captions' words over the time the track is heard, gaps of
  0.25 s or more left out (the usual "articulation rate": breaths between words count as speech,
  pauses between phrases do not);
- the pauses of 0.8 s or more between two sounds, and the longest;
- the longest stretch in which the picture above the captions stands still and nothing is heard
  (a pause after a reveal), the final hold apart;
- integrated loudness, loudness range (EBU Tech 3342) and true peak of the track as rendered, and
  of the same track brought to each ``audio.loudness`` profile by ``scenes.speech.track``;
- listening proxies: the largest sample (clipping), speech heard inside every caption and none
  outside them, no caption said twice in a row.
"""

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lecture_report import RATE, decoded_audio, still_runs  # noqa: E402

from scenes.production import manifest  # noqa: E402
from scenes.production.subtitles import parse_srt  # noqa: E402
from scenes.spec.voice import LOUDNESS_TARGETS  # noqa: E402
from scenes.speech.track import (  # noqa: E402
    integrated_loudness,
    loudness_range,
    normalised,
    true_peak_dbtp,
)

FRAME = RATE // 100
"""Sound is judged on 10 ms frames."""
HEARD_DB = -50.0
"""A frame whose RMS is above this (dBFS, on a track at -16 LUFS or so) is heard."""
BREATH = 0.25
"""Gaps shorter than this are within speech (between words); longer ones are pauses."""
LONG_PAUSE = 0.8


def heard_frames(track: np.ndarray, floor_db: float = HEARD_DB) -> np.ndarray:
    frames = len(track) // FRAME
    blocks = track[: frames * FRAME].astype(np.float64).reshape(frames, FRAME)
    rms = np.sqrt(np.mean(blocks**2, axis=1))
    return 20 * np.log10(np.maximum(rms, 1e-12)) > floor_db


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of True in ``mask``."""
    padded = np.concatenate([[False], mask, [False]])
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return list(zip(edges[::2], edges[1::2], strict=True))


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
    # Scale to -16 LUFS first, so "heard" means the same for every profile.
    level = integrated_loudness(track)
    heard = heard_frames(track * np.float32(10 ** ((-16.0 - level) / 20)))
    sounds = runs(heard)
    gaps = [(end, start) for (_, end), (start, _) in zip(sounds, sounds[1:], strict=False)]
    gap_seconds = [(start - end) * FRAME / RATE for end, start in gaps]
    speaking = sum(end - start for start, end in sounds) * FRAME / RATE
    speaking += sum(g for g in gap_seconds if g < BREATH)
    words = sum(len(cue.text.split()) for cue in cues)
    pauses = [g for g in gap_seconds if g >= BREATH]
    long_pauses = [g for g in pauses if g >= LONG_PAUSE]

    # Still (above the captions) and silent, frame by frame of the video.
    picture_runs, fps, count = still_runs(movie, top=0.8)
    longest_quiet = 0.0
    for first, end in picture_runs:
        if end == count:
            continue  # the final hold
        quiet = 0
        for index in range(first, end):
            frame = min(int(index / fps * 100), len(heard) - 1)
            quiet = 0 if heard[frame] else quiet + 1
            longest_quiet = max(longest_quiet, quiet / fps)

    def heard_in(start: float, end: float) -> bool:
        return bool(heard[int(start * 100) : max(int(start * 100) + 1, int(end * 100))].any())

    silent_cues = [cue.text for cue in cues if not heard_in(cue.start, cue.end)]
    covered = np.zeros(len(heard), dtype=bool)
    for cue in cues:
        covered[int(cue.start * 100) : int(cue.end * 100) + 1] = True
    uncaptioned = float((heard & ~covered).sum()) / 100
    repeated = [a.text for a, b in zip(cues, cues[1:], strict=False) if a.text == b.text]

    rows = [
        ("video", f"{name}.mp4, {count / fps:.1f} s, {len(cues)} cues, {words} words"),
        (
            "words per minute while speaking",
            f"{words / speaking * 60:.1f} ({speaking:.1f} s speaking, gaps < {BREATH} s in)",
        ),
        ("speech / running time", f"{speaking / (count / fps):.0%}"),
        (
            f"pauses >= {LONG_PAUSE} s",
            f"{len(long_pauses)} (of {len(pauses)} pauses >= {BREATH} s: median "
            f"{np.median(pauses):.2f} s, longest {max(pauses, default=0):.2f} s)",
        ),
        ("longest still + silent stretch (before the final hold)", f"{longest_quiet:.2f} s"),
        (
            "as rendered",
            f"{level:.2f} LUFS, LRA {loudness_range(track):.1f} LU, "
            f"true peak {true_peak_dbtp(track):.2f} dBTP",
        ),
    ]
    for profile, target in LOUDNESS_TARGETS.items():
        out = normalised(track, target)
        rows.append(
            (
                f"profile {profile} ({target:g})",
                f"{integrated_loudness(out):.2f} LUFS, LRA {loudness_range(out):.1f} LU, "
                f"true peak {true_peak_dbtp(out):.2f} dBTP",
            )
        )
    rows += [
        ("largest sample (1.0 is clipping)", f"{np.abs(track).max():.3f}"),
        ("cues with nothing heard", f"{len(silent_cues)} {silent_cues[:3]}"),
        ("seconds heard outside every cue", f"{uncaptioned:.2f}"),
        ("a cue said twice in a row", f"{len(repeated)} {repeated[:3]}"),
    ]
    print("| measure | value |\n| --- | --- |")
    for label, value in rows:
        print(f"| {label} | {value} |")


if __name__ == "__main__":
    main()
