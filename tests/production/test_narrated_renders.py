"""Narrated renders: sound in step with the beats, loudness, captions, pacing, recorded takes.

Loudness and true peak are measured with pyloudnorm and FFmpeg's ebur128 filter
(``scenes.speech.track``), not with code of our own.
"""

import json
import re
import wave
from pathlib import Path

import av
import numpy as np
import pytest
from helpers import CONFIG, FAST_TIMING, cache_with_glyphs, decode_frames, run_cli

from scenes.production.subtitles import parse_srt
from scenes.speech.mux import read_audio_track
from scenes.speech.track import integrated_loudness, true_peak_dbtp

RATE = 48_000
SILENCE_DB = -50.0
"""Below this (RMS over 20 ms, relative to full scale) counts as silence."""


def envelope_db(track: np.ndarray) -> np.ndarray:
    window = RATE // 50
    power = np.convolve(track.astype(np.float64) ** 2, np.ones(window) / window, mode="same")
    return 10 * np.log10(np.maximum(power, 1e-20))


def streams(path: Path) -> dict:
    """Each stream's end (the last packet's end, in seconds), codecs and rates: WebM records no
    stream durations, so the packets are read.
    """
    with av.open(str(path)) as container:
        video, audio = container.streams.video[0], container.streams.audio[0]
        ends = {video.index: 0.0, audio.index: 0.0}
        for packet in container.demux(video, audio):
            if packet.pts is not None:
                end = float((packet.pts + (packet.duration or 0)) * packet.time_base)
                ends[packet.stream.index] = max(ends[packet.stream.index], end)
        return {
            "video": ends[video.index],
            "audio": ends[audio.index],
            "codec": audio.codec_context.name,
            "rate": audio.codec_context.sample_rate,
            "fps": float(video.average_rate),
        }


def still_stretches(frames: list[np.ndarray], fps: float) -> list[tuple[float, float]]:
    """(start, end) in seconds of every run of identical frames longer than one frame."""
    runs, start = [], 0
    for index in range(1, len(frames) + 1):
        if index == len(frames) or not np.array_equal(frames[index], frames[start]):
            if index - start > 1:
                runs.append((start / fps, index / fps))
            start = index
    return runs


def dead_stretches(frames, fps, cues, track) -> list[tuple[float, float]]:
    """Stretches where nothing moves, no caption is up and nothing is heard."""
    loud = envelope_db(track) > SILENCE_DB
    dead = []
    for start, end in still_stretches(frames, fps):
        t = start
        run_start = None
        step = 1 / fps
        while t < end:
            said = (
                any(cue.start <= t < cue.end for cue in cues)
                or loud[min(int(t * RATE), len(loud) - 1)]
            )
            if not said and run_start is None:
                run_start = t
            if said and run_start is not None:
                dead.append((run_start, t))
                run_start = None
            t += step
        if run_start is not None:
            dead.append((run_start, end))
    return dead


# --- a narrated scene, rendered -------------------------------------------------------------------


@pytest.fixture(scope="module")
def narrated(tmp_path_factory):
    """config/huber.yaml with its own narration, spoken by espeak-ng, at low quality."""
    folder = tmp_path_factory.mktemp("narrated")
    text = (CONFIG / "huber.yaml").read_text()
    text += "voice: {engine: espeak-ng, voice: en-us, rate: 160}\n"
    (folder / "huber.yaml").write_text(text)
    out = folder / "out"
    # Its own speech cache, so the voice is really synthesised; the glyphs are the user's.
    env = {"XDG_CACHE_HOME": str(cache_with_glyphs(folder))}
    result = run_cli(
        "render",
        str(folder / "huber.yaml"),
        "-q",
        "low",
        "-o",
        str(out),
        "--format",
        "mp4",
        "--format",
        "webm",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text())["videos"]["HuberLoss"]
    return out, manifest


@pytest.mark.slow
def test_sound_is_as_long_as_the_picture(narrated):
    out, _ = narrated
    mp4 = streams(out / "HuberLoss.mp4")
    assert (mp4["codec"], mp4["rate"]) == ("aac", RATE)
    assert abs(mp4["audio"] - mp4["video"]) <= 1 / mp4["fps"]
    webm = streams(out / "HuberLoss.webm")
    assert (webm["codec"], webm["rate"]) == ("opus", RATE)
    assert abs(webm["audio"] - webm["video"]) <= 1 / webm["fps"]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["HuberLoss.mp4", "HuberLoss.webm"])
def test_loudness_and_true_peak(narrated, name):
    out, _ = narrated
    track = read_audio_track(out / name)
    assert track is not None
    assert abs(integrated_loudness(track) - -16.0) <= 1.0
    assert true_peak_dbtp(track) <= -1.0


@pytest.mark.slow
def test_speech_starts_with_each_beat_and_is_silent_between(narrated):
    out, manifest = narrated
    track = read_audio_track(out / "HuberLoss.mp4")
    loud = envelope_db(track) > SILENCE_DB
    cues = parse_srt((out / "HuberLoss.srt").read_text())
    for beat in manifest["beats"]:
        if not beat["text"]:
            continue
        start = int(beat["start"] * RATE)
        first_sound = np.flatnonzero(loud[start:])[0] / RATE
        assert first_sound <= 0.25, (beat["id"], first_sound)
    # Outside every cue (less 0.25 s of margin at each end) there is only silence.
    times = np.arange(len(loud)) / RATE
    inside = np.zeros(len(loud), dtype=bool)
    for cue in cues:
        inside |= (times >= cue.start - 0.25) & (times < cue.end + 0.25)
    assert not loud[~inside].any()
    # And every cue is heard.
    for cue in cues:
        window = loud[int(cue.start * RATE) : int(cue.end * RATE)]
        assert window.mean() > 0.3, cue.text


@pytest.mark.slow
def test_captions_obey_the_limits(narrated):
    out, _ = narrated
    text = (out / "HuberLoss.srt").read_text()
    cues = parse_srt(text)
    assert len(cues) >= 8
    for cue in cues:
        lines = cue.text.split("\n")
        assert len(lines) <= 2 and all(len(line) <= 42 for line in lines), cue.text
        assert len(cue.text.replace("\n", " ")) / (cue.end - cue.start) <= 17, cue.text
    blocks = re.split(r"\n\n", text.strip())
    assert all(block.count("-->") == 1 for block in blocks)


@pytest.mark.slow
def test_no_dead_stretch_over_three_seconds(narrated):
    out, _ = narrated
    frames = decode_frames(out / "HuberLoss.mp4")
    fps = streams(out / "HuberLoss.mp4")["fps"]
    cues = parse_srt((out / "HuberLoss.srt").read_text())
    track = read_audio_track(out / "HuberLoss.mp4")
    dead = dead_stretches(frames, fps, cues, track)
    end = len(frames) / fps
    for start, stop in dead:
        final = abs(stop - end) < 1e-6
        assert stop - start <= 3.0 + 1e-6, (start, stop, final)


# --- captions off the frames ----------------------------------------------------------------------


SHORT = (
    "scene: Short\nloss: {name: l2}\nobservations: {values: [-1, 0, 2]}\n"
    'narration: {loss: "A parabola, the squared loss, drawn in blue.", hold: "Done."}\n'
    + FAST_TIMING
)


@pytest.mark.slow
def test_burn_false_keeps_captions_off_the_frames(tmp_path):
    burned, clean = tmp_path / "burned.yaml", tmp_path / "clean.yaml"
    burned.write_text(SHORT)
    clean.write_text(SHORT + "captions: {burn: false}\n")
    for spec, out in ((burned, "a"), (clean, "b")):
        result = run_cli("render", str(spec), "-q", "low", "-o", str(tmp_path / out))
        assert result.returncode == 0, result.stderr
    a, b = decode_frames(tmp_path / "a" / "Short.mp4"), decode_frames(tmp_path / "b" / "Short.mp4")
    assert len(a) == len(b)
    cue = parse_srt((tmp_path / "a" / "Short.srt").read_text())[0]
    with_caption = int((cue.start + cue.end) / 2 * 15)
    differs = np.abs(a[with_caption].astype(int) - b[with_caption].astype(int)).max(axis=-1) > 40
    rows = np.flatnonzero(differs.any(axis=1))
    # The only difference is the caption, low in the frame, and it is there.
    assert differs.sum() > 500
    assert rows.min() >= 0.75 * differs.shape[0]
    # Where no caption is up, the two videos are the same picture.
    assert cue.start > 0.2
    assert np.abs(a[1].astype(int) - b[1].astype(int)).max() <= 8
    # The subtitle files are written either way, and are the same.
    assert (tmp_path / "a" / "Short.srt").read_text() == (tmp_path / "b" / "Short.srt").read_text()


# --- recorded takes -------------------------------------------------------------------------------


def write_tone(path: Path, seconds: float, rate: int = 44_100) -> None:
    t = np.arange(int(seconds * rate)) / rate
    samples = (0.3 * np.sin(2 * np.pi * 220 * t) * 32767).astype("<i2")
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())


def test_recorded_takes_stretch_their_beats(tmp_path):
    from scenes.compute.prepare import prepare_scene
    from scenes.spec import load_scene

    text = SHORT.replace('hold: "Done."', 'hold: "Done.", data: "Three points."')
    (tmp_path / "short.yaml").write_text(text + "voice: {engine: recorded, folder: takes}\n")
    write_tone(tmp_path / "takes" / "Short" / "loss.wav", 6.0)
    write_tone(tmp_path / "takes" / "Short" / "data.wav", 2.5)
    # No take for `hold`: that beat is silent, with a warning.
    prepared = prepare_scene(load_scene(tmp_path / "short.yaml"))
    beats = {beat.id: beat for beat in prepared.timeline.beats}
    # Each take, then the reveal's pause (spec-v3 section 14), which replaces the 0.3 s tail.
    from scenes.spec.beats import REVEAL_PAUSE

    assert beats["loss"].seconds == pytest.approx(6.0 + REVEAL_PAUSE, abs=0.01)
    assert beats["data"].seconds == pytest.approx(2.5 + REVEAL_PAUSE, abs=0.01)
    assert beats["loss"].speech_starts == (beats["loss"].start,)
    assert any("hold" in warning for warning in prepared.warnings)


def test_a_take_that_is_not_audio_is_an_invalid_spec(tmp_path):
    (tmp_path / "short.yaml").write_text(SHORT + "voice: {engine: recorded, folder: takes}\n")
    take = tmp_path / "takes" / "Short" / "loss.wav"
    take.parent.mkdir(parents=True)
    take.write_text("not audio at all")
    result = run_cli("check", str(tmp_path / "short.yaml"))
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert re.match(
        rf"{re.escape(str(tmp_path / 'short.yaml'))}:\d+:\d+: error: voice.folder: ", line
    )
    assert "not audio" in line


# --- the speech cache -----------------------------------------------------------------------------


def test_editing_one_line_synthesises_exactly_one_line_again(tmp_path):
    spec = tmp_path / "l2.yaml"
    spec.write_text(
        (CONFIG / "l2.yaml").read_text() + "voice: {engine: espeak-ng, voice: en-us, rate: 160}\n"
    )
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    first = run_cli("script", str(spec), env=env)
    assert first.returncode == 0, first.stderr
    entries = set((tmp_path / "cache").rglob("*.flac"))
    assert len(entries) >= 8
    again = run_cli("script", str(spec), env=env)
    assert again.stdout == first.stdout
    assert set((tmp_path / "cache").rglob("*.flac")) == entries
    spec.write_text(spec.read_text().replace("The squared loss.", "The squared loss, again."))
    edited = run_cli("script", str(spec), env=env)
    assert edited.returncode == 0, edited.stderr
    assert len(set((tmp_path / "cache").rglob("*.flac")) - entries) == 1
