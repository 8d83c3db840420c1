"""Voices, the speech cache, the narration track and audio in video files (no Manim).

Loudness is measured with pyloudnorm (ITU-R BS.1770) and true peak with FFmpeg's ebur128 filter,
cross-checked against 4x oversampling with scipy; timings are measured on decoded samples.
"""

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pyloudnorm
import pytest
import soundfile
from scipy.signal import resample_poly

from scenes.spec.models import VOICE_ENGINES, VoiceSpec
from scenes.spec.voice import DEFAULT_RATE
from scenes.speech import ENGINES, SpeechError, engine_for
from scenes.speech.base import SAMPLE_RATE, BeatSpeech, Clip
from scenes.speech.cache import SpeechCache
from scenes.speech.checks import recorded_folder_problems, voice_problems
from scenes.speech.mux import add_audio, join_with_audio, read_audio_track
from scenes.speech.recorded import RecordedEngine
from scenes.speech.track import narration_track, true_peak_dbtp

PHRASES = (
    "Each point pulls theta toward itself.",
    "Far points pull no harder than delta.",
    "The pulls balance at the median.",
)


def espeak(tmp_path: Path, **voice) -> object:
    return engine_for(VoiceSpec(engine="espeak-ng", **voice), tmp_path, SpeechCache(tmp_path))


def counting(engine) -> list[str]:
    """Record every text the engine really synthesises (cache misses)."""
    calls: list[str] = []
    synthesise = engine.synthesise

    def spy(text: str) -> Clip:
        calls.append(text)
        return synthesise(text)

    engine.synthesise = spy
    return calls


def tone(seconds: float, rate: int, freq: float = 440.0, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def loudness(samples: np.ndarray) -> float:
    return pyloudnorm.Meter(SAMPLE_RATE).integrated_loudness(samples.astype(np.float64))


def oversampled_peak_db(samples: np.ndarray) -> float:
    """True peak by 4x oversampling (BS.1770 annex 2's method), independent of FFmpeg."""
    return 20 * np.log10(np.abs(resample_poly(samples.astype(np.float64), 4, 1)).max())


def make_video(path: Path, frames: int, fps: int = 25, size=(64, 48)) -> None:
    fmt = path.suffix.lstrip(".")
    with av.open(str(path), "w", format=fmt) as out:
        stream = out.add_stream("libx264" if fmt == "mp4" else "libvpx-vp9", rate=fps)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        for index in range(frames):
            image = np.full((size[1], size[0], 3), (index * 37) % 256, np.uint8)
            out.mux(stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")))
        out.mux(stream.encode(None))


def video_packets(path: Path) -> list[tuple[bytes, int, int, bool]]:
    with av.open(str(path)) as container:
        return [
            (bytes(p), p.pts, p.dts, p.is_keyframe)
            for p in container.demux(video=0)
            if p.dts is not None
        ]


def streams(path: Path) -> dict[str, tuple[str, int | None, float]]:
    """Per stream type: codec, sample rate, duration in seconds (container's when the stream's
    is not stored, as in WebM)."""
    with av.open(str(path)) as container:
        out = {}
        for stream in container.streams:
            if stream.duration is not None and stream.time_base is not None:
                seconds = float(stream.duration * stream.time_base)
            else:
                seconds = container.duration / av.time_base
            rate = getattr(stream.codec_context, "sample_rate", None)
            out[stream.type] = (stream.codec_context.name, rate, seconds)
        return out


def onsets(samples: np.ndarray, threshold: float = 0.1, gap: float = 0.1) -> list[float]:
    """Start times (s) of the bursts in ``samples``, bursts closer than ``gap`` counted once."""
    loud = np.flatnonzero(np.abs(samples) > threshold)
    if len(loud) == 0:
        return []
    starts = [loud[0]] + [b for a, b in zip(loud, loud[1:], strict=False) if b - a > gap * 48000]
    return [s / SAMPLE_RATE for s in starts]


# --------------------------------------------------------------------------------------------------
# Engines


def test_every_voice_engine_of_the_spec_has_a_module():
    assert set(ENGINES) == set(VOICE_ENGINES)


def test_espeak_is_deterministic_and_trimmed(tmp_path):
    first = espeak(tmp_path / "a").beat_speech("S", "b", PHRASES)
    again = espeak(tmp_path / "b").beat_speech("S", "b", PHRASES)
    assert first is not None and again is not None
    assert len(first.pieces) == len(PHRASES) == first.phrase_count
    for piece, other in zip(first.pieces, again.pieces, strict=True):
        assert np.array_equal(piece.clip.samples, other.clip.samples)
        assert piece.phrase_spans == ((0.0, piece.seconds),)
        samples = piece.clip.samples
        # espeak-ng leaves ~0.3 s of silence after each phrase; trimmed, sound starts and ends
        # within 20 ms of the clip's ends.
        loud = np.flatnonzero(np.abs(samples) > 0.01)
        assert loud[0] / SAMPLE_RATE < 0.02
        assert (len(samples) - loud[-1]) / SAMPLE_RATE < 0.03
        assert 1.0 < piece.seconds < 4.0
    raw = espeak(tmp_path / "c").synthesise(PHRASES[0])
    assert raw.seconds > first.pieces[0].seconds + 0.1


def test_espeak_rate_changes_the_pace(tmp_path):
    slow = espeak(tmp_path, rate=120).beat_speech("S", "b", PHRASES[:1])
    fast = espeak(tmp_path, rate=240).beat_speech("S", "b", PHRASES[:1])
    assert slow is not None and fast is not None
    assert slow.pieces[0].seconds > 1.5 * fast.pieces[0].seconds


def test_espeak_problems_are_one_clear_line(tmp_path, monkeypatch):
    assert voice_problems(VoiceSpec(engine="espeak-ng", voice="en-us"), tmp_path) == []
    [(field, message)] = voice_problems(VoiceSpec(engine="espeak-ng", voice="xx-nope"), tmp_path)
    assert field == "voice" and "xx-nope" in message
    with pytest.raises(SpeechError, match="xx-nope"):
        espeak(tmp_path, voice="xx-nope").beat_speech("S", "b", ["Hello."])
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(SpeechError, match="apt-get install espeak-ng"):
        espeak(tmp_path)


def test_no_voice_is_silent(tmp_path):
    engine = engine_for(None, tmp_path)
    assert engine.name == "none" and engine.beat_speech("S", "b", PHRASES) is None
    assert engine_for(VoiceSpec(engine="none"), tmp_path).beat_speech("S", "b", PHRASES) is None


def test_piper_names_what_is_missing(tmp_path, monkeypatch):
    import scenes.speech.checks as checks

    voice = VoiceSpec(engine="piper", model="voices/v.onnx")

    def not_installed(name: str) -> str:
        raise checks.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(checks.metadata, "version", not_installed)
    with pytest.raises(SpeechError, match=r"pip install 'loss-scenes\[piper\]'"):
        engine_for(voice, tmp_path, SpeechCache(tmp_path))
    assert voice_problems(voice, tmp_path)[0][1].endswith("pip install 'loss-scenes[piper]'")
    # With the package installed (pretended), the missing pieces are the user's files.
    monkeypatch.setattr(checks.metadata, "version", lambda name: "1.3.0")
    with pytest.raises(SpeechError, match=r"voices/v\.onnx does not exist"):
        engine_for(voice, tmp_path, SpeechCache(tmp_path))
    (tmp_path / "voices").mkdir()
    (tmp_path / "voices" / "v.onnx").write_bytes(b"model")
    [(field, message)] = voice_problems(voice, tmp_path)
    assert field == "model" and "v.onnx.json" in message


def tiny_piper_voice(folder: Path) -> Path:
    """A piper voice model small enough to build here: an ONNX graph with piper's inputs that
    says every phoneme id as 256 samples (one hop) of a 220 Hz tone at 22050 Hz, times the
    length scale. It stands in for a real voice, which this project never downloads.
    """
    onnx = pytest.importorskip("onnx")
    phoneme_ids = pytest.importorskip("piper.phoneme_ids")
    from onnx import TensorProto, helper

    def constant(name: str, value: float, dtype: int = TensorProto.FLOAT):
        tensor = helper.make_tensor(f"{name}_value", dtype, [], [value])
        return helper.make_node("Constant", [], [name], value=tensor)

    axes = helper.make_tensor("axes_value", TensorProto.INT64, [2], [0, 1])
    nodes = [
        helper.make_node("Shape", ["input"], ["shape"]),
        constant("one", 1, TensorProto.INT64),
        helper.make_node("Gather", ["shape", "one"], ["ids"]),
        helper.make_node("Cast", ["ids"], ["ids_float"], to=TensorProto.FLOAT),
        helper.make_node("Gather", ["scales", "one"], ["length_scale"]),
        constant("hop", 256.0),
        helper.make_node("Mul", ["ids_float", "hop"], ["samples"]),
        helper.make_node("Mul", ["samples", "length_scale"], ["count"]),
        constant("zero", 0.0),
        constant("step", 1.0),
        helper.make_node("Range", ["zero", "count", "step"], ["t"]),
        constant("omega", 2 * np.pi * 220 / 22050),
        helper.make_node("Mul", ["t", "omega"], ["phase"]),
        helper.make_node("Sin", ["phase"], ["wave"]),
        constant("gain", 0.5),
        helper.make_node("Mul", ["wave", "gain"], ["quiet"]),
        helper.make_node("Constant", [], ["axes"], value=axes),
        helper.make_node("Unsqueeze", ["quiet", "axes"], ["output"]),
    ]
    inputs = [
        helper.make_tensor_value_info("input", TensorProto.INT64, [1, None]),
        helper.make_tensor_value_info("input_lengths", TensorProto.INT64, [1]),
        helper.make_tensor_value_info("scales", TensorProto.FLOAT, [3]),
    ]
    output = helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 1, None])
    graph = helper.make_graph(nodes, "tiny", inputs, [output])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(model)
    path = folder / "tiny.onnx"
    onnx.save(model, path)
    config = {
        "audio": {"sample_rate": 22050},
        "espeak": {"voice": "en-us"},
        "num_symbols": 256,
        "num_speakers": 1,
        "phoneme_id_map": phoneme_ids.DEFAULT_PHONEME_ID_MAP,
    }
    (folder / "tiny.onnx.json").write_text(json.dumps(config))
    return path


def test_piper_speaks_with_the_model_it_is_given(tmp_path):
    from scenes.speech.piper import NATURAL_RATE

    tiny_piper_voice(tmp_path)
    cache = SpeechCache(tmp_path / "cache")
    engine = engine_for(VoiceSpec(engine="piper", model="tiny.onnx"), tmp_path, cache)
    calls = counting(engine)
    speech = engine.beat_speech("S", "b", ["Hello there.", "A longer phrase, with more words."])
    assert speech is not None and len(speech.pieces) == 2 and len(calls) == 2
    voice = engine._voice
    for piece, phrase in zip(
        speech.pieces, ("Hello there.", "A longer phrase, with more words."), strict=True
    ):
        ids = sum(len(voice.phonemes_to_ids(p)) for p in voice.phonemize(phrase))
        # 256 samples per phoneme id at 22.05 kHz, times the length scale of the default rate.
        scale = NATURAL_RATE / DEFAULT_RATE
        assert piece.seconds == pytest.approx(ids * 256 / 22050 * scale, abs=0.011)
    slow = engine_for(VoiceSpec(engine="piper", model="tiny.onnx", rate=80), tmp_path, cache)
    slow_speech = slow.beat_speech("S", "b", ["Hello there."])
    assert slow_speech is not None
    assert slow_speech.pieces[0].seconds == pytest.approx(
        DEFAULT_RATE / 80 * speech.pieces[0].seconds, abs=0.011
    )

    again = engine_for(VoiceSpec(engine="piper", model="tiny.onnx"), tmp_path, cache)
    calls = counting(again)
    again.beat_speech("S", "b", ["Hello there."])
    assert calls == [] and "_voice" not in vars(again)  # a cache hit never loads the model
    (tmp_path / "tiny.onnx.json").write_text((tmp_path / "tiny.onnx.json").read_text() + " ")
    changed = engine_for(VoiceSpec(engine="piper", model="tiny.onnx"), tmp_path, cache)
    assert changed.identity()["model"] != again.identity()["model"]


# --------------------------------------------------------------------------------------------------
# Cache


def test_editing_one_phrase_synthesises_one_phrase(tmp_path):
    engine = espeak(tmp_path)
    calls = counting(engine)
    fresh = engine.beat_speech("S", "b", PHRASES)
    assert calls == list(PHRASES)

    engine = espeak(tmp_path)
    calls = counting(engine)
    cached = engine.beat_speech("S", "b", PHRASES)
    assert calls == []
    assert fresh is not None and cached is not None
    for a, b in zip(fresh.pieces, cached.pieces, strict=True):
        assert np.array_equal(a.clip.samples, b.clip.samples)

    edited = (PHRASES[0], "Far points pull no harder than delta does.", PHRASES[2])
    engine.beat_speech("S", "b", edited)
    assert calls == [edited[1]]

    slower = espeak(tmp_path, rate=150)
    calls = counting(slower)
    slower.beat_speech("S", "b", PHRASES[:1])
    assert calls == [PHRASES[0]]


def test_a_damaged_cache_entry_is_made_again(tmp_path):
    engine = espeak(tmp_path)
    engine.beat_speech("S", "b", PHRASES[:1])
    [flac] = tmp_path.glob("*/*.flac")
    flac.write_bytes(flac.read_bytes()[:100])
    calls = counting(engine)
    speech = engine.beat_speech("S", "b", PHRASES[:1])
    assert calls == [PHRASES[0]] and speech is not None and speech.pieces[0].seconds > 1


# --------------------------------------------------------------------------------------------------
# Recorded takes


def take(folder: Path, name: str, samples: np.ndarray, rate: int, **kwargs) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    soundfile.write(path, samples, rate, **kwargs)
    return path


def test_recorded_takes_become_pieces_of_their_length(tmp_path):
    folder = tmp_path / "voice"
    silence = np.zeros(round(0.4 * 44100), np.float32)
    intro = np.concatenate([silence, tone(1.5, 44100), silence[:8820]])
    take(folder, "Scene/intro.wav", np.stack([intro, intro], axis=1), 44100)  # stereo, 44.1 kHz
    take(folder, "Scene/loss.flac", tone(2.25, 48000, amplitude=0.3), 48000)
    engine = engine_for(
        VoiceSpec(engine="recorded", folder="voice"), tmp_path, SpeechCache(tmp_path)
    )

    phrases = ("Short one.", "A phrase three times as long as it.")
    speech = engine.beat_speech("Scene", "intro", phrases)
    assert isinstance(speech, BeatSpeech) and len(speech.pieces) == 1
    [piece] = speech.pieces
    assert piece.seconds == pytest.approx(1.5, abs=0.025)  # silence trimmed, one 10 ms margin
    (a0, a1), (b0, b1) = piece.phrase_spans
    assert a0 == 0 and a1 == b0 and b1 == pytest.approx(piece.seconds)
    assert (b1 - b0) / (a1 - a0) == pytest.approx(len(phrases[1]) / len(phrases[0]))
    loss = engine.beat_speech("Scene", "loss", ["One."])
    assert loss is not None and loss.pieces[0].seconds == pytest.approx(2.25, abs=0.025)
    assert engine.warnings == []

    assert engine.beat_speech("Scene", "hold", ["Missing."]) is None
    [warning] = engine.warnings
    assert "Scene/hold.wav" in warning and "silent" in warning


def test_recorded_identity_follows_the_takes(tmp_path):
    folder = tmp_path / "voice"
    take(folder, "S/a.wav", tone(0.5, 48000), 48000)
    before = RecordedEngine(folder, SpeechCache(tmp_path)).identity()
    take(folder, "S/a.wav", tone(0.6, 48000), 48000)
    assert RecordedEngine(folder, SpeechCache(tmp_path)).identity() != before


def test_a_take_that_is_not_audio_is_a_problem(tmp_path):
    folder = tmp_path / "voice"
    take(folder, "S/intro.wav", tone(0.5, 48000), 48000)
    assert recorded_folder_problems(folder, {"S": ["intro", "loss"]}) == []
    (folder / "S" / "loss.wav").write_text("not a recording\n")
    flac = take(folder, "S/data.flac", tone(0.5, 48000), 48000)
    flac.rename(folder / "S" / "data.wav")
    (folder / "S" / "hold.flac").write_bytes(b"fLaC" + bytes(40))
    problems = recorded_folder_problems(folder)
    assert len(problems) == 3
    assert any("loss.wav is not audio" in p for p in problems)
    assert any("data.wav holds FLAC audio" in p for p in problems)
    assert any("hold.flac does not decode" in p for p in problems)
    assert recorded_folder_problems(folder, {"S": ["intro"]}) == []
    assert "is not a folder" in recorded_folder_problems(tmp_path / "nowhere")[0]
    with pytest.raises(SpeechError, match="not audio"):
        RecordedEngine(folder, SpeechCache(tmp_path)).beat_speech("S", "loss", ["Hi."])


def test_checks_import_no_numpy():
    code = (
        "import sys, scenes.speech, scenes.speech.checks; "
        "bad = {'numpy', 'soundfile', 'scipy', 'av'} & set(sys.modules); assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --------------------------------------------------------------------------------------------------
# Narration track


def test_clips_are_placed_at_their_times_with_silence_between():
    clips = [(0.5, Clip(tone(0.8, SAMPLE_RATE))), (2.0, Clip(tone(1.2, SAMPLE_RATE, 300)))]
    track = narration_track(clips, 4.0)
    assert track.dtype == np.float32 and len(track) == 4 * SAMPLE_RATE
    inside = np.zeros(len(track), bool)
    for start, clip in clips:
        window = track[round(start * SAMPLE_RATE) : round((start + clip.seconds) * SAMPLE_RATE)]
        assert np.sqrt(np.mean(window**2)) > 0.05
        inside[round(start * SAMPLE_RATE) : round((start + clip.seconds) * SAMPLE_RATE)] = True
    assert np.max(np.abs(track[~inside])) < 1e-4
    with pytest.raises(ValueError, match="does not fit"):
        narration_track([(3.5, Clip(tone(1.0, SAMPLE_RATE)))], 4.0)


def test_no_speech_stays_silent():
    track = narration_track([], 2.5)
    assert len(track) == 120_000 and not np.any(track)


@pytest.mark.parametrize("at", [0.02, 0.5, 2.009])
def test_true_peak_is_found_anywhere_even_at_the_very_end(at):
    samples = np.zeros(2 * SAMPLE_RATE + 500, np.float32)  # ends inside FFmpeg's 100 ms block
    blip = tone(0.001, SAMPLE_RATE, freq=5000, amplitude=0.7)
    start = round(at * SAMPLE_RATE)
    samples[start : start + len(blip)] = blip[: len(samples) - start]
    assert true_peak_dbtp(samples) == pytest.approx(oversampled_peak_db(samples), abs=0.3)


def test_sound_that_is_all_peaks_keeps_the_peak_limit():
    clicks = np.zeros(3 * SAMPLE_RATE, np.float32)
    clicks[:: SAMPLE_RATE // 2] = 0.9
    with pytest.warns(UserWarning, match="LUFS below the true-peak limit"):
        track = narration_track([(0.0, Clip(clicks))], 3.0)
    assert true_peak_dbtp(track) <= -1 and oversampled_peak_db(track) <= -1


def test_espeak_track_is_at_broadcast_loudness(tmp_path):
    speech = espeak(tmp_path).beat_speech("S", "b", PHRASES)
    assert speech is not None
    placements = []
    start = 0.3
    for piece in speech.pieces:
        placements.append((start, piece.clip))
        start += piece.seconds + 0.8
    track = narration_track(placements, start + 0.5)
    assert loudness(track) == pytest.approx(-16, abs=1)
    assert true_peak_dbtp(track) <= -1
    assert oversampled_peak_db(track) <= -1
    assert abs(true_peak_dbtp(track) - oversampled_peak_db(track)) < 0.3

    # The same holds for what a viewer hears: the AAC and Opus streams, decoded.
    for suffix in ("mp4", "webm"):
        video = tmp_path / f"v.{suffix}"
        make_video(video, round(len(track) / SAMPLE_RATE * 25))
        add_audio(video, track, tmp_path / f"narrated.{suffix}")
        heard = read_audio_track(tmp_path / f"narrated.{suffix}")
        assert heard is not None
        assert loudness(heard) == pytest.approx(-16, abs=1)
        assert true_peak_dbtp(heard) <= -1


# --------------------------------------------------------------------------------------------------
# Video files


@pytest.mark.parametrize(("suffix", "codec"), [("mp4", "aac"), ("webm", "opus")])
def test_add_audio_copies_the_picture_and_matches_its_length(tmp_path, suffix, codec):
    video = tmp_path / f"silent.{suffix}"
    make_video(video, 53)  # 2.12 s at 25 fps
    track = np.concatenate([tone(1.0, SAMPLE_RATE), np.zeros(SAMPLE_RATE, np.float32)])
    output = tmp_path / f"narrated.{suffix}"
    add_audio(video, track, output)  # 2.0 s of track: padded with silence to the picture
    info = streams(output)
    assert info["audio"][:2] == (codec, 48000)
    assert info["audio"][2] == pytest.approx(2.12, abs=1 / 25)
    assert info["video"][2] == pytest.approx(2.12, abs=1 / 25)
    assert video_packets(output) == video_packets(video)
    heard = read_audio_track(output)
    assert heard is not None and onsets(heard) == [pytest.approx(0, abs=1 / 25)]
    assert len(heard) / SAMPLE_RATE == pytest.approx(2.12, abs=1 / 25)


def test_mp4_with_audio_is_faststart(tmp_path):
    from scenes.production.video import mp4_boxes

    make_video(tmp_path / "v.mp4", 10)
    add_audio(tmp_path / "v.mp4", tone(0.4, SAMPLE_RATE), tmp_path / "a.mp4")
    boxes = mp4_boxes(tmp_path / "a.mp4")
    assert boxes.index("moov") < boxes.index("mdat")


@pytest.mark.parametrize("suffix", ["mp4", "webm"])
def test_joined_parts_keep_sound_and_picture_in_step(tmp_path, suffix):
    frames = (31, 26, 40)  # part lengths that are no whole number of AAC or Opus frames
    parts = []
    click = tone(0.005, SAMPLE_RATE, freq=2000, amplitude=0.8)
    for index, count in enumerate(frames):
        video = tmp_path / f"v{index}.{suffix}"
        make_video(video, count)
        track = np.zeros(round(count / 25 * SAMPLE_RATE), np.float32)
        track[: len(click)] = click
        parts.append(tmp_path / f"a{index}.{suffix}")
        add_audio(video, track, parts[-1])
    joined = tmp_path / f"lecture.{suffix}"
    join_with_audio(parts, joined)
    heard = read_audio_track(joined)
    assert heard is not None
    starts = np.cumsum((0, *frames[:-1])) / 25
    assert onsets(heard) == [pytest.approx(float(s), abs=1 / 25) for s in starts]
    # 1/25 s is one frame here; the clicks land within a few samples in fact:
    assert max(abs(a - b) for a, b in zip(onsets(heard), starts, strict=True)) < 0.002
    assert streams(joined)["audio"][2] == pytest.approx(sum(frames) / 25, abs=1 / 25)
    assert video_packets(joined)[0][0] == video_packets(parts[0])[0][0]


def test_joining_silent_parts_adds_no_sound(tmp_path):
    for index in range(2):
        make_video(tmp_path / f"v{index}.mp4", 12)
    join_with_audio([tmp_path / "v0.mp4", tmp_path / "v1.mp4"], tmp_path / "j.mp4")
    assert set(streams(tmp_path / "j.mp4")) == {"video"}
    assert streams(tmp_path / "j.mp4")["video"][2] == pytest.approx(24 / 25)


def test_pcm_frames_time_stamps():
    from scenes.speech.audio import pcm_frames

    frames = list(pcm_frames(np.zeros(10_000, np.float32)))
    assert [f.pts for f in frames] == [0, 4800, 9600]
    assert frames[0].time_base == Fraction(1, SAMPLE_RATE)
