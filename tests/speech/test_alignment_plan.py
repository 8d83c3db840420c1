"""The pure parts of cutting a reading (:mod:`scenes.speech.alignment`), without audio: the
longest common subsequence against a plain dynamic programme, the script's language model as a
probability distribution, and the placing of sentences on stretches of speech.
"""

import itertools
from collections import defaultdict

import numpy as np
import pytest

from scenes.speech.alignment import _Common, _last_takes, _matches, _plan, script_model

PHONES = (
    "AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW P R S T TH UW V Z".split()
)


def _lcs(a: list[str], b: list[str]) -> int:
    table = np.zeros((len(a) + 1, len(b) + 1), int)
    for i, j in itertools.product(range(len(a)), range(len(b))):
        table[i + 1, j + 1] = (
            table[i, j] + 1 if a[i] == b[j] else max(table[i, j + 1], table[i + 1, j])
        )
    return int(table[-1, -1])


def test_common_subsequence_is_the_longest_one_fed_in_pieces() -> None:
    rng = np.random.default_rng(7)
    for _ in range(200):
        a = list(rng.choice(PHONES[:8], rng.integers(0, 40)))
        pieces = [list(rng.choice(PHONES[:8], rng.integers(0, 15))) for _ in range(3)]
        common = _Common(a)
        state = common.start()
        heard: list[str] = []
        for piece in pieces:
            state = common.feed(state, piece)
            heard += piece
            assert common.length(state) == _lcs(a, heard)
        assert _matches(a, heard) == _lcs(a, heard)


def _arpa(text: str) -> tuple[dict, dict, dict]:
    unigrams, backoff, bigrams = {}, {}, defaultdict(dict)
    section = ""
    for line in text.splitlines():
        if line.startswith("\\"):
            section = line
        elif line and section == "\\1-grams:":
            fields = line.split()
            unigrams[fields[1]] = 10 ** float(fields[0])
            backoff[fields[1]] = 10 ** float(fields[2]) if len(fields) > 2 else 1.0
        elif line and section == "\\2-grams:":
            logp, first, second = line.split()
            bigrams[first][second] = 10 ** float(logp)
    return unigrams, backoff, bigrams


def test_the_script_model_is_a_distribution_after_every_word() -> None:
    script = [["loss", "functions"], ["three", "losses", "fitted", "to", "the", "same"]]
    script += [["the", "same", "eight", "observations"], ["loss", "functions", "again"]]
    unigrams, backoff, bigrams = _arpa(script_model(script))
    words = [word for word in unigrams if word != "<s>"]
    assert sum(unigrams[word] for word in words) == pytest.approx(1, abs=1e-3)
    for history in ["<s>", *words]:
        seen = bigrams.get(history, {})
        total = sum(seen.values()) + backoff[history] * sum(
            unigrams[word] for word in words if word not in seen
        )
        assert total == pytest.approx(1, abs=2e-3), history
    # What the script says next is likelier than what it does not.
    assert bigrams["loss"]["functions"] > backoff["loss"] * unigrams["eight"]


def _sentence(rng: np.random.Generator, size: int) -> list[str]:
    return list(rng.choice(PHONES, size))


def _misheard(rng: np.random.Generator, phones: list[str], share: float) -> list[str]:
    return [p if rng.random() > share else str(rng.choice(PHONES)) for p in phones]


def test_a_short_sentence_heard_wrong_keeps_its_own_stretch() -> None:
    """The benchmark's failure: "Loss functions." heard as other words, and the next sentence's
    opening sounding more like it. Then a false start, a sentence read in two stretches, one said
    twice (the later take counts) and a stumble.
    """
    rng = np.random.default_rng(3)
    short = _sentence(rng, 11)
    sentences = [short, short[:7] + _sentence(rng, 30), _sentence(rng, 25), _sentence(rng, 40)]
    sentences += [_sentence(rng, 30), _sentence(rng, 20)]
    heard = [
        _misheard(rng, short, 0.7),  # 0: the short sentence, heard wrong
        sentences[1],  # 1
        sentences[2][:6],  # 2: a false start
        _misheard(rng, sentences[2], 0.1),  # 3
        sentences[3][:18],  # 4: read with a pause inside
        sentences[3][18:],  # 5
        sentences[4],  # 6: said once ...
        _misheard(rng, sentences[4], 0.1),  # 7: ... and again
        sentences[5],  # 8
        _sentence(rng, 12),  # 9: a stumble
    ]
    speech = [0.0, *np.cumsum([len(h) * 0.08 for h in heard])]
    plan = _plan(sentences, heard, list(speech))
    assert [(p.first, p.last, p.start, p.end) for p in plan] == [
        (0, 0, 0, 0),
        (1, 1, 1, 1),
        (2, 2, 3, 3),
        (3, 3, 4, 5),
        (4, 4, 6, 6),
        (5, 5, 8, 8),
    ]
    kept = _last_takes(plan, sentences, heard)
    assert [(p.first, p.start, p.end) for p in kept] == [
        (0, 0, 0),
        (1, 1, 1),
        (2, 3, 3),
        (3, 4, 5),
        (4, 7, 7),
        (5, 8, 8),
    ]


def test_of_two_sentences_said_again_the_later_takes_are_kept() -> None:
    """The reader went back two sentences; the second time is heard a little worse, which is
    where the best placing alone would stay.
    """
    rng = np.random.default_rng(11)
    sentences = [_sentence(rng, n) for n in (20, 25, 30, 22)]
    again = [_misheard(rng, sentences[1], 0.05), _misheard(rng, sentences[2], 0.05)]
    heard = [sentences[0], sentences[1], sentences[2], *again, sentences[3]]
    speech = [0.0, *np.cumsum([len(h) * 0.08 for h in heard])]
    plan = _plan(sentences, heard, list(speech))
    assert [(p.first, p.start) for p in plan] == [(0, 0), (1, 1), (2, 2), (3, 5)]
    kept = _last_takes(plan, sentences, heard)
    assert [(p.first, p.start) for p in kept] == [(0, 0), (1, 3), (2, 4), (3, 5)]


def test_sentences_read_without_a_pause_share_a_stretch_and_a_missing_one_is_left_out() -> None:
    rng = np.random.default_rng(5)
    sentences = [_sentence(rng, n) for n in (20, 15, 25, 30, 18)]
    heard = [sentences[0] + sentences[1], sentences[3], sentences[4]]  # the third is not read
    speech = [0.0, *np.cumsum([len(h) * 0.08 for h in heard])]
    plan = _plan(sentences, heard, list(speech))
    assert [(p.first, p.last, p.start, p.end) for p in plan] == [
        (0, 1, 0, 0),
        (3, 3, 1, 1),
        (4, 4, 2, 2),
    ]
