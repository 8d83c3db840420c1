"""Takes and phrases that hold nothing, or what no recording holds (issue 23): each is either
spoken as silence with a warning, or refused by ``check`` at the voice's position.

Takes are made here with numpy and soundfile (the WAV header of an impossible rate by hand, with
the layout of the RIFF/WAVE format: a 44-byte header, then the samples).
"""

import os
import re
import struct
import threading
from pathlib import Path

import numpy as np
import pytest
import soundfile
from helpers import run_cli

from scenes.compute.resolve import load_resolved
from scenes.spec import SpecError
from scenes.spec.models import VoiceSpec
from scenes.speech import engine_for
from scenes.speech.base import Clip
from scenes.speech.cache import SpeechCache
from scenes.speech.checks import audio_file_problem

SPEC = (
    "scene: Short\nloss: {name: l2}\nobservations: {values: [-1, 0, 2]}\n"
    'narration: {loss: "A parabola.", hold: "Done."}\n'
    "voice: {engine: recorded, folder: %s}\n"
)
"""A loss scene; its beats: intro, loss, density, derivative, data, estimate, arrival, hold."""


def tone(seconds: float, rate: int = 48_000) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


def write_take(path: Path, samples: np.ndarray, rate: int = 48_000, **kwargs) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    soundfile.write(path, samples, rate, **kwargs)
    return path


def spec_with_takes(tmp_path: Path, folder: str = "takes") -> Path:
    spec = tmp_path / "short.yaml"
    spec.write_text(SPEC % folder)
    return spec


def check_problem(spec: Path) -> str:
    """The one problem ``check`` finds in ``spec``, which must be at its ``voice.folder``."""
    with pytest.raises(SpecError) as caught:
        load_resolved(spec)
    [problem] = caught.value.problems
    line = SPEC.count("\n", 0, SPEC.index("voice:")) + 1
    column = (SPEC % "X").splitlines()[line - 1].index("X") + 1
    assert (problem.file, problem.line, problem.column) == (str(spec), line, column)
    assert problem.message.startswith("voice.folder: ")
    return problem.message


# --------------------------------------------------------------------------------------------------
# 1. Silence: cached, and said as silence with a warning


def test_an_empty_clip_is_cached_and_read_back(tmp_path):
    cache = SpeechCache(tmp_path)
    made = cache.clip({"engine": "test"}, "...", lambda: Clip(np.zeros(0, np.float32)))
    assert len(made.samples) == 0
    again = cache.get({"engine": "test"}, "...")
    assert again is not None and len(again.samples) == 0
    assert list(tmp_path.rglob("*.flac")) == []  # libsndfile cannot read a FLAC of no samples


def test_a_silent_phrase_and_a_silent_take_are_silence_with_a_warning(tmp_path):
    voice = VoiceSpec(engine="espeak-ng")
    for _ in range(2):  # made, then from the cache
        engine = engine_for(voice, tmp_path, SpeechCache(tmp_path / "cache"))
        speech = engine.beat_speech("Short", "loss", ["...", "Done."])
        assert speech is not None and speech.pieces[0].seconds == 0
        assert speech.pieces[1].seconds > 0.2

    write_take(tmp_path / "takes" / "Short" / "loss.wav", np.zeros(48_000, np.float32))
    recorded = engine_for(
        VoiceSpec(engine="recorded", folder="takes"), tmp_path, SpeechCache(tmp_path / "cache")
    )
    assert recorded.beat_speech("Short", "loss", ["A parabola."]) is None
    [warning] = recorded.warnings
    assert "loss.wav: the take is silent; beat Short/loss is silent" in warning


def test_script_says_a_silent_phrase_and_a_silent_take(tmp_path):
    spec = spec_with_takes(tmp_path)
    spec.write_text(spec.read_text().replace('"A parabola."', '"..."'))
    write_take(tmp_path / "takes" / "Short" / "loss.wav", np.zeros(24_000, np.float32))
    write_take(tmp_path / "takes" / "Short" / "hold.wav", tone(0.5))
    result = run_cli("script", str(spec), env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stderr
    assert "the take is silent; beat Short/loss is silent" in result.stderr
    assert "Short\thold\t" in result.stdout


# --------------------------------------------------------------------------------------------------
# 2. Takes no scene can use: refused from their header, or for a sample that is no number


def wav_header(rate: int, frames: int) -> bytes:
    """A 16-bit mono PCM WAV header (RIFF/WAVE, 'fmt ' of 16 bytes, 'data')."""
    data = frames * 2
    fmt = struct.pack("<HHIIHH", 1, 1, rate, min(rate * 2, 0xFFFFFFFF), 2, 16)
    return (
        b"RIFF" + struct.pack("<I", 36 + data) + b"WAVE"
        + b"fmt " + struct.pack("<I", 16) + fmt
        + b"data" + struct.pack("<I", data)
    )  # fmt: skip


@pytest.fixture
def no_decoding(monkeypatch):
    """Make decoding a take's samples fail: what is refused from the header never needs it."""

    def refuse(*args, **kwargs):
        raise AssertionError("the samples were decoded")

    monkeypatch.setattr(soundfile, "read", refuse)
    monkeypatch.setattr(soundfile, "blocks", refuse)


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_a_take_with_a_sample_that_is_no_number_is_refused(tmp_path, value):
    samples = tone(1.0)
    samples[12_345] = value
    write_take(tmp_path / "takes" / "Short" / "loss.wav", samples, subtype="FLOAT")
    message = check_problem(spec_with_takes(tmp_path))
    assert f"loss.wav holds a sample that is {value} (at 0.257 s)" in message


def test_a_take_of_an_impossible_rate_is_refused_from_its_header(tmp_path, no_decoding):
    take = tmp_path / "takes" / "Short" / "loss.wav"
    take.parent.mkdir(parents=True)
    take.write_bytes(wav_header(2_147_483_647, 48_000) + bytes(96_000))
    message = check_problem(spec_with_takes(tmp_path))
    assert "sample rate of 2147483647 Hz: record takes at 8000 to 384000 Hz" in message


def test_a_take_longer_than_a_scene_is_refused_from_its_header(tmp_path, no_decoding):
    # 601 s at 8 kHz, 8 bits: 4.8 MB here; a 2-hour take is refused the same way, unread.
    write_take(
        tmp_path / "takes" / "Short" / "loss.wav", np.zeros(601 * 8000, np.float32), 8000,
        subtype="PCM_U8",
    )  # fmt: skip
    message = check_problem(spec_with_takes(tmp_path))
    assert "loss.wav lasts 601.0 s: a scene may last at most 600 s" in message


def test_a_good_take_passes(tmp_path):
    write_take(tmp_path / "takes" / "Short" / "loss.wav", tone(1.0, 44_100), 44_100)
    write_take(tmp_path / "takes" / "Short" / "hold.flac", tone(0.5))
    assert load_resolved(spec_with_takes(tmp_path)).voice.folder == str(tmp_path / "takes")
    assert audio_file_problem(tmp_path / "takes" / "Short" / "hold.flac") is None


# --------------------------------------------------------------------------------------------------
# 3. Takes from outside the spec's folder


def test_a_takes_folder_outside_the_specs_folder_is_refused(tmp_path):
    private = tmp_path / "course" / "private"
    write_take(private / "Short" / "loss.wav", tone(0.5))
    lecture = tmp_path / "course" / "lecture"
    lecture.mkdir()
    for written in ("../private", str(private), "../lecture/../private", "../nowhere"):
        message = check_problem(spec_with_takes(lecture, f"'{written}'"))
        assert "the takes folder" in message and "leaves the spec's folder" in message
    (lecture / "takes").symlink_to(private)
    message = check_problem(spec_with_takes(lecture))
    assert "leaves the spec's folder" in message


def test_a_take_linked_from_outside_the_specs_folder_is_refused(tmp_path):
    secret = write_take(tmp_path / "secret.wav", tone(0.5))
    lecture = tmp_path / "lecture"
    (lecture / "takes" / "Short").mkdir(parents=True)
    (lecture / "takes" / "Short" / "loss.wav").symlink_to(secret)
    message = check_problem(spec_with_takes(lecture))
    assert "take" in message and "loss.wav leaves the spec's folder" in message
    # A link that stays inside is a take like any other.
    (lecture / "takes" / "Short" / "loss.wav").unlink()
    inside = write_take(lecture / "takes" / "kept.wav", tone(0.5))
    (lecture / "takes" / "Short" / "loss.wav").symlink_to(inside)
    load_resolved(lecture / "short.yaml")


# --------------------------------------------------------------------------------------------------
# 4. Takes passed over without a word: for no beat, or not a file


def test_a_take_for_no_beat_of_the_scene_is_refused(tmp_path):
    write_take(tmp_path / "takes" / "Short" / "loss.wav", tone(0.5))
    write_take(tmp_path / "takes" / "Short" / "lose.wav", tone(0.5))
    (tmp_path / "takes" / "Short" / "notes.txt").write_text("not a take, not our business\n")
    message = check_problem(spec_with_takes(tmp_path))
    assert "lose.wav is a take for no beat of scene Short (its beats: intro, loss," in message
    assert "did you mean loss.wav?" in message
    result = run_cli("check", str(tmp_path / "short.yaml"))
    assert result.returncode == 2 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert re.match(rf"{re.escape(str(tmp_path / 'short.yaml'))}:5:\d+: error: voice\.folder", line)


def test_a_fifo_as_a_take_is_refused_unopened(tmp_path):
    (tmp_path / "takes" / "Short").mkdir(parents=True)
    os.mkfifo(tmp_path / "takes" / "Short" / "loss.wav")
    spec = spec_with_takes(tmp_path)
    # Opening the FIFO would wait for a writer for ever: the check runs where it can be waited for.
    outcome: list[str] = []
    worker = threading.Thread(target=lambda: outcome.append(check_problem(spec)), daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive(), "check opened the FIFO"
    [message] = outcome
    assert "loss.wav is not a regular file (a FIFO, a device or a folder)" in message
