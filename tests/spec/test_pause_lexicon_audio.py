"""spec-v3 section 14 in the spec layer: ``pause`` per beat, ``voice.lexicon``, ``audio.loudness``,
and the timeline giving each beat its pause.

Positions were worked out by hand from the YAML texts (1-based lines and columns).
"""

import json

import pytest
from helpers import run_cli

from scenes.spec import SpecError, load_lecture, parse_scene_text
from scenes.spec.beats import ARRIVAL_PAUSE, LOSS_BEATS, REVEAL_PAUSE
from scenes.spec.timeline import SPEECH_TAIL, BeatPlan, build_timeline

HEAD = "scene: A\nloss: {name: l2}\nobservations: {values: [1, 2, 3]}\n"


def first_problem(text: str):
    with pytest.raises(SpecError) as info:
        parse_scene_text(text, "s.yaml")
    return info.value.problems[0]


@pytest.mark.parametrize(
    ("tail", "line", "column", "fragment"),
    [
        # line 4 is the tail's first line; the value of `pause`'s key starts at column 8.
        ("pause: {curve: 1.0}\n", 4, 9, "curve"),
        ("pause: {lossy: 1.0}\n", 4, 9, "lossy"),
        ("pause: {loss: -0.5}\n", 4, 15, "pause.loss"),
        ("pause: {loss: 11}\n", 4, 15, "pause.loss"),
        ("pause: {adapt: 1.0}\n", 4, 16, "there is no beat 'adapt'"),
        ("pause: {loss: '1'}\n", 4, 15, "pause.loss"),
        ("audio: {loudness: loud}\n", 4, 19, "audio.loudness"),
        ("audio: {loudnes: ebu-r128}\n", 4, 9, "loudnes"),
        ("voice: {engine: espeak-ng, lexicon: {JAX: ''}}\n", 4, 43, "voice.lexicon.JAX"),
        ("voice: {engine: espeak-ng, lexicon: [JAX]}\n", 4, 37, "voice.lexicon"),
        ("voice: {engine: recorded, folder: t, lexicon: {a: b}}\n", 4, 47, "lexicon applies"),
    ],
)
def test_bad_pause_audio_lexicon_is_reported_at_its_node(tail, line, column, fragment):
    problem = first_problem(HEAD + tail)
    assert (problem.line, problem.column) == (line, column), problem
    assert fragment in problem.message, problem


def test_bad_pause_exits_2_with_one_line_and_position(tmp_path):
    spec = tmp_path / "s.yaml"
    spec.write_text(HEAD + "pause: {arrivals: 1.5}\n")
    result = run_cli("check", str(spec))
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"{spec}:4:9: error: ") and "arrivals" in line


def test_good_values_are_kept_and_defaults_are_the_declared_ones():
    spec = parse_scene_text(
        HEAD + "pause: {loss: 0, hold: 2.5}\naudio: {loudness: atsc-a85}\n"
        "voice: {engine: espeak-ng, lexicon: {Laplace: la plass}}\n"
    )
    assert spec.pause.loss == 0.0 and spec.pause.hold == 2.5
    declared = {beat.id: beat.pause for beat in LOSS_BEATS.declared}
    assert spec.pause.arrival == declared["arrival"] == ARRIVAL_PAUSE
    assert spec.pause.density == declared["density"] == REVEAL_PAUSE
    assert spec.audio.target_lufs == -24.0
    assert spec.voice.lexicon == {"Laplace": "la plass"}
    plans = {plan.id: plan.pause for plan in spec.beat_plans()}
    assert plans["loss"] == 0.0 and plans["hold"] == 2.5 and plans["data"] == REVEAL_PAUSE


def test_a_lecture_hands_its_audio_to_scenes_without_their_own(tmp_path):
    (tmp_path / "a.yaml").write_text(HEAD)
    (tmp_path / "b.yaml").write_text(HEAD.replace("A", "B") + "audio: {loudness: streaming}\n")
    (tmp_path / "l.yaml").write_text(
        "lecture: L\nscenes: [a.yaml, b.yaml]\naudio: {loudness: ebu-r128}\n"
    )
    lecture = load_lecture(tmp_path / "l.yaml")
    assert [scene.audio.loudness for _, scene in lecture.scenes] == ["ebu-r128", "streaming"]


# --- the timeline ---------------------------------------------------------------------------------


class _Piece:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.phrase_spans = ((0.0, seconds),)


class _Speech:
    def __init__(self, *seconds: float) -> None:
        self.pieces = [_Piece(s) for s in seconds]


def test_the_pause_comes_after_the_speech_and_after_the_minimum():
    plans = [
        BeatPlan("a", 2.0, "Short.", pause=1.0),  # speech 0.5 s: the minimum + pause rule
        BeatPlan("b", 2.0, "Long words here.", pause=1.0),  # speech 4 s: speech + pause
        BeatPlan("c", 2.0, "Tail.", pause=0.1),  # a pause shorter than the 0.3 s tail
        BeatPlan("d", 1.5, None, pause=1.0),  # silent: minimum + pause
    ]
    speech = {"a": _Speech(0.5), "b": _Speech(4.0), "c": _Speech(3.0)}
    timeline = build_timeline("S", plans, speech=speech)
    a, b, c, d = timeline.beats
    assert a.seconds == pytest.approx(3.0) and a.pause == 1.0
    assert b.seconds == pytest.approx(5.0)
    assert b.speech_seconds == pytest.approx(4.0)
    # The pause replaces the tail; it is not added to it.
    assert c.seconds == pytest.approx(3.0 + SPEECH_TAIL)
    assert d.seconds == pytest.approx(2.5)
    # Nothing is said in the pause: the next beat starts when it ends.
    assert b.end - (b.start + b.speech_seconds) == pytest.approx(1.0)
    assert [row["pause"] for row in timeline.rows()] == [1.0, 1.0, 0.1, 1.0]


def test_without_a_voice_the_pause_follows_the_reading_and_captions_are_not_spread_over_it():
    text = "A caption of some length that takes a while to read."
    [beat] = build_timeline("S", [BeatPlan("a", 0.5, text, pause=1.0)], caption_rate=15).beats
    reading = len(text) / 15
    assert beat.seconds == pytest.approx(reading + 1.0)


def test_script_shows_the_pause_and_json_has_it(tmp_path):
    spec = tmp_path / "s.yaml"
    spec.write_text(HEAD + 'narration: {loss: "A parabola."}\npause: {loss: 0.7, hold: 0}\n')
    plain = run_cli("script", str(spec))
    assert plain.returncode == 0, plain.stderr
    lines = {line.split("\t")[1]: line.split("\t") for line in plain.stdout.splitlines()}
    assert lines["loss"][4:] == ["A parabola.", "+0.7 s pause"]
    assert lines["arrival"][5] == f"+{ARRIVAL_PAUSE:.1f} s pause"
    assert lines["hold"][4:] == [lines["hold"][4]]  # no pause, no mark
    rows = json.loads(run_cli("script", "--json", str(spec)).stdout)
    by_beat = {row["beat"]: row for row in rows}
    assert by_beat["loss"]["pause"] == 0.7 and by_beat["hold"]["pause"] == 0.0
    # The fields of before are all still there (backwards compatible).
    assert {"scene", "beat", "start", "seconds", "text"} <= set(by_beat["loss"])
    # The beat lasts its minimum (the curve's 2 s) and then its pause.
    assert by_beat["loss"]["seconds"] == pytest.approx(2.7)


def test_a_german_voice_reads_german_numbers_and_symbols():
    """German narration is not given English words: "0,7625" stays for the German voice to read
    ("null Komma ..."), symbols are said in German, the minus sign is spelled out (issue 20: the
    German lecture said "zero,7625", "equals" and "hoober")."""
    from scenes.speech.lexicon import spoken

    said = spoken("θ bei 0,7625, Huber mit δ = 1 und −1,8.", None, "de")
    assert said == "Theta bei 0,7625, Huber mit Delta gleich 1 und minus 1,8."
    assert "zero" not in said and "equals" not in said
    # The spec's own entries still apply to the German voice.
    assert spoken("Huber", {"Huber": "Hubbär"}, "de") == "Hubbär"


def test_the_engine_takes_its_lexicon_from_its_voice_language(tmp_path):
    from scenes.speech.cache import SpeechCache
    from scenes.speech.espeak import EspeakEngine

    cache = SpeechCache(tmp_path)
    assert EspeakEngine("de", 145, cache).language == "de"
    assert EspeakEngine("en-us", 145, cache).language == "en"
