"""The one timeline: phrases, pacing, limits on every kind, and what the builders really play."""

import json
import subprocess
import sys
from dataclasses import dataclass

import pytest
from helpers import CONFIG, ROOT, run_cli
from hypothesis import given
from hypothesis import strategies as st

from scenes.spec import SpecError, load_any, load_lecture, parse_scene_text
from scenes.spec.timeline import (
    CAPTION_LINE,
    MIN_BEAT_SECONDS,
    SPEECH_TAIL,
    BeatPlan,
    build_timeline,
    caption_lines,
    phrases,
)

# --- phrases and caption lines --------------------------------------------------------------------

words = st.text(alphabet="abcdefghij", min_size=1, max_size=14)
sentences = st.lists(words, min_size=1, max_size=40).map(" ".join)
punctuated = st.lists(
    st.tuples(sentences, st.sampled_from([".", ",", ":", "!", "?", ";"])), min_size=1, max_size=6
).map(lambda parts: " ".join(text + mark for text, mark in parts))


@given(punctuated)
def test_phrases_keep_every_word_in_order_and_fit_two_lines(text):
    said = phrases(text)
    assert " ".join(said).split() == text.split()
    for phrase in said:
        lines = caption_lines(phrase)
        assert 1 <= len(lines) <= 2
        assert all(len(line) <= CAPTION_LINE for line in lines)
        assert " ".join(lines) == phrase


def test_blank_lines_and_newlines_never_reach_a_caption():
    text = "First line of a block\n\nwith a blank line   and\ttabs."
    assert phrases(text) == ["First line of a block with a blank line and tabs."]


def test_sentences_stay_whole_when_they_fit_and_long_ones_are_cut_at_a_comma():
    text = (
        "Each observation pulls theta by its gradient, and descent settles where the pulls "
        "balance. That is the mean. Short ones share."
    )
    # A cut sentence keeps its phrases to itself; whole sentences that fit share one.
    assert phrases(text) == [
        "Each observation pulls theta by its gradient,",
        "and descent settles where the pulls balance.",
        "That is the mean. Short ones share.",
    ]


def test_two_lines_are_balanced():
    assert caption_lines("The green density: Gaussian in the middle, Laplace in the tails.") == [
        "The green density: Gaussian in",
        "the middle, Laplace in the tails.",
    ]


# --- pacing ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FakePiece:
    seconds: float
    phrase_spans: tuple


@dataclass(frozen=True)
class FakeSpeech:
    pieces: tuple


def test_a_beat_lasts_its_timing_its_reading_time_or_its_speech_whichever_is_longest():
    text = "A sentence of forty-five characters, or so it."  # 46 characters
    silent = build_timeline("S", [BeatPlan("a", 1.0, text)], caption_rate=15)
    assert silent.beats[0].seconds == pytest.approx(46 / 15)
    slow_timing = build_timeline("S", [BeatPlan("a", 9.0, text)], caption_rate=15)
    assert slow_timing.beats[0].seconds == 9.0
    # Silent: the one cue spreads over the whole beat.
    assert slow_timing.cues[0].end == pytest.approx(9.0)
    spoken = build_timeline(
        "S",
        [BeatPlan("a", 1.0, text)],
        speech={"a": FakeSpeech((FakePiece(4.0, ((0.0, 4.0),)),))},
        caption_rate=15,
    )
    assert spoken.beats[0].seconds == pytest.approx(4.0 + SPEECH_TAIL)
    assert spoken.beats[0].speech_starts == (0.0,)


def test_cues_start_with_their_phrase_and_stay_up_long_enough_to_read():
    text = (
        "The first phrase is here and it is long enough to need its own cue, surely. "
        "Then a second one follows after it."
    )
    said = phrases(text)
    assert len(said) == 2
    pieces = (FakePiece(1.0, ((0.0, 1.0),)), FakePiece(1.0, ((0.0, 1.0),)))
    timeline = build_timeline(
        "S", [BeatPlan("a", 0.1, text)], speech={"a": FakeSpeech(pieces)}, caption_rate=15
    )
    first, second = timeline.cues
    # Speech takes 1 s, reading the first cue len/15 s: the second phrase waits for the reader.
    assert second.start == pytest.approx(len(said[0]) / 15)
    assert timeline.beats[0].speech_starts == (0.0, second.start)
    for cue in timeline.cues:
        assert len(cue.text) / (cue.end - cue.start) <= 17


def test_a_beat_is_never_shorter_than_the_minimum():
    timeline = build_timeline("S", [BeatPlan("a", 1e-9), BeatPlan("b", 1e-9, "x")])
    assert [beat.seconds for beat in timeline.beats] == [MIN_BEAT_SECONDS, MIN_BEAT_SECONDS]
    assert all(cue.end > cue.start for cue in timeline.cues)


def test_beats_are_back_to_back_from_zero():
    timeline = load_any(CONFIG / "huber.yaml")
    from scenes.spec.timeline import scene_timeline

    beats = scene_timeline(timeline).beats
    assert beats[0].start == 0
    for before, after in zip(beats, beats[1:], strict=False):
        assert after.start == pytest.approx(before.end)
    assert [beat.id for beat in beats] == [
        "intro",
        "loss",
        "density",
        "derivative",
        "data",
        "estimate",
        "arrival",
        "hold",
    ]


# --- limits, checked once on the timeline, for every kind -----------------------------------------


TOTAL = "a scene may last at most 600 s"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "scene: A\nloss: {name: l2}\nobservations: {values: [1]}\ntiming: {estimate: 599}\n",
            TOTAL,
        ),
        ("scene: A\nkind: clipping\ntiming: {descent: 300, vectors: 300}\n", TOTAL),
        ("scene: A\nkind: influence\ntiming: {move: 500, influence: 500}\n", TOTAL),
        # The scene of the issue: one beat alone is over the limit.
        (
            "scene: A\nkind: influence\ntiming: {move: 1500}\n",
            "timing.move: expected a number <= 600",
        ),
    ],
)
def test_every_kind_is_held_to_the_length_limit(text, message, tmp_path):
    path = tmp_path / "long.yaml"
    path.write_text(text)
    result = run_cli("check", str(path))
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    # At the timing key (the last line of each text).
    assert line.startswith(f"{path}:{text.count(chr(10))}:")
    assert message in line
    with pytest.raises(SpecError):
        parse_scene_text(text)


def test_reading_time_counts_toward_the_limit():
    narration = "x" * 500
    keys = ["intro", "loss", "density", "derivative", "data", "estimate", "arrival", "hold"]
    said = ", ".join(f"{key}: '{narration}'" for key in keys)
    text = f"scene: A\nloss: {{name: l2}}\nobservations: {{values: [1]}}\nnarration: {{{said}}}\n"
    # 8 beats of 500 characters at 15 per second: 267 s, within 600.
    assert parse_scene_text(text)
    slower = text + "captions: {rate: 5}\n"  # 800 s
    with pytest.raises(SpecError, match="at most 600 s"):
        parse_scene_text(slower)


# --- loss-scenes script ---------------------------------------------------------------------------


def test_script_prints_one_line_per_beat_and_the_same_as_json():
    plain = run_cli("script", str(CONFIG / "lecture.yaml"))
    assert plain.returncode == 0, plain.stderr
    rows = [line.split("\t") for line in plain.stdout.splitlines()]
    as_json = run_cli("script", str(CONFIG / "lecture.yaml"), "--json")
    assert as_json.returncode == 0, as_json.stderr
    beats = json.loads(as_json.stdout)
    assert len(rows) == len(beats) == 31
    for row, beat in zip(rows, beats, strict=True):
        assert row == [
            beat["scene"],
            beat["beat"],
            f"{beat['start']:.3f}",
            f"{beat['seconds']:.3f}",
            beat["text"],
            # A beat that ends in a pause says so (spec-v3 section 14).
            *([f"+{beat['pause']:.1f} s pause"] if beat["pause"] > 0 else []),
        ]
    assert {beat["scene"] for beat in beats} == {
        spec.scene for _, spec in load_lecture(CONFIG / "lecture.yaml").scenes
    }
    starts = [beat["start"] for beat in beats if beat["scene"] == "HuberLoss"]
    assert starts[0] == 0 and starts == sorted(starts)


def test_script_imports_no_manim():
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "scenes", "script", str(CONFIG / "l1.yaml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    assert not {name for name in imported if name.split(".")[0] in ("manim", "cairo")}


# --- the builders play the timeline ---------------------------------------------------------------


@pytest.mark.slow
def test_beat_boundaries_in_the_video_are_the_timelines(tmp_path):
    """Rendered for real, with one Manim section per beat saved as its own video: each section
    has exactly the frames the timeline gives its beat, and the whole video the sum.
    """
    import av
    from helpers import fast_copy
    from manim import config

    from scenes.compute.prepare import prepare_scene
    from scenes.production.worker import manim_config as _manim_config
    from scenes.scene.scene_classes import spec_scene_class

    spec = load_any(fast_copy(CONFIG / "huber.yaml", tmp_path))
    prepared = prepare_scene(spec, speak=False)
    with _manim_config("low", tmp_path / "media"):
        config.save_sections = True
        scene = spec_scene_class(spec, prepared)()
        scene.render()
        fps = float(config.frame_rate)
        sections = scene.renderer.file_writer.sections
        folder = scene.renderer.file_writer.output_plan.sections_dir
        movie = scene.renderer.file_writer.movie_file_path

    def frames(path):
        with av.open(str(path)) as container:
            return sum(1 for _ in container.decode(video=0))

    beats = prepared.timeline.beats
    assert [section.name for section in sections if section.video] == [b.id for b in beats]
    counted = [frames(folder / section.video) for section in sections if section.video]
    expected = [round(b.end * fps) - round(b.start * fps) for b in beats]
    assert counted == expected
    assert frames(movie) == round(prepared.timeline.seconds * fps) == sum(counted)
