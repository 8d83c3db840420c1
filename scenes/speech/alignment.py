"""Where each word of a text is said in a recording: forced alignment with pocketsphinx.

Two uses: the captions of a take follow its words (:func:`align_words`), and one long reading of
the whole script is cut into one take per beat (:func:`find_sentences`).

pocketsphinx's bundled US English model and CMU dictionary do the listening. A word the dictionary
lacks ("normalised", "autodiff", "Laplace") would stop an alignment, so it is given a pronunciation
first, from espeak-ng's phonemes mapped to the dictionary's ARPAbet (:func:`pronunciation`);
numbers and Greek letters are said as words (:func:`spoken_words`).

Cutting a reading: a plain forced alignment of the whole script fails on the first stumble or
repeated sentence, since it must place every second of audio on the script. Instead the reading is
cut at its pauses into stretches of speech, and each stretch is recognised once with a language
model of the script itself (:func:`script_model`: the recogniser hears the script's words, in
about the script's order, and a stumble as some of them). The sentences are then placed on the
stretches all at once, not one after the other: a monotonic alignment by dynamic programming
(:func:`_plan`) puts each sentence, in order, on a run of stretches (a sentence read with pauses
inside spans several; sentences read without a pause share one), leaves out the stretches that
belong to no sentence (false starts, stumbles, the first take of a sentence said twice) and scores
the whole by how many sounds of each sentence were heard in its run, less what was heard there in
excess and what was left out. A short sentence heard wrong ("Loss functions." as "will spawn
trends") cannot take the next sentence's opening, since that would cost the next sentence more
than it gains. Of sentences said twice, the last take is kept (:func:`_last_takes`). Each
sentence is then force-aligned to its run, for word times. A sentence left unplaced, or whose run
says other words (too few of its words or sounds heard there, or forced alignment fails), is
missing.
"""

import functools
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from scenes.speech.base import SAMPLE_RATE, Word

RATE = 16_000
"""pocketsphinx's model listens at 16 kHz."""
FRAME = 0.01
"""pocketsphinx's frames: 10 ms."""

_GREEK = {
    "θ": "theta",
    "δ": "delta",
    "μ": "mu",
    "σ": "sigma",
    "ε": "epsilon",
    "λ": "lambda",
    "τ": "tau",
    "ρ": "rho",
    "ψ": "psi",
    "α": "alpha",
    "β": "beta",
    "π": "pi",
}
_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen \
fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def _integer_words(number: int) -> list[str]:
    if number < 20:
        return [_ONES[number]]
    if number < 100:
        tens, ones = divmod(number, 10)
        return [_TENS[tens]] + ([_ONES[ones]] if ones else [])
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        return [_ONES[hundreds], "hundred"] + (_integer_words(rest) if rest else [])
    if number < 1_000_000:
        thousands, rest = divmod(number, 1000)
        return [*_integer_words(thousands), "thousand"] + (_integer_words(rest) if rest else [])
    return [_ONES[int(digit)] for digit in str(number)]


def _number_words(token: str) -> list[str]:
    whole, _, fraction = token.partition(".")
    words = _integer_words(int(whole)) if whole else ["point"]
    if fraction:
        words += (["point"] if whole else []) + [_ONES[int(digit)] for digit in fraction]
    return words


_TOKEN = re.compile(r"\d+(?:\.\d+)?|\.\d+|[a-z]+(?:'[a-z]+)*")


def spoken_words(text: str) -> list[str]:
    """``text`` as the words a reader says: lower case, no punctuation, numbers and Greek letters
    written out ("0.76" -> zero point seven six, "θ" -> theta, "-2" -> minus two).
    """
    text = "".join(f" {_GREEK[c]} " if c in _GREEK else c for c in text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = text.replace("’", "'")
    text = re.sub(r"(?<![\w.])-(?=\.?\d)", " minus ", text)
    words: list[str] = []
    for token in _TOKEN.findall(text):
        words += _number_words(token) if token[0].isdigit() or token[0] == "." else [token]
    return words


# --------------------------------------------------------------------------------------------------
# Pronunciations for words the dictionary lacks

_IPA_TO_ARPABET = {
    "tʃ": "CH",
    "dʒ": "JH",
    "aɪ": "AY",
    "aʊ": "AW",
    "ɔɪ": "OY",
    "eɪ": "EY",
    "oʊ": "OW",
    "əʊ": "OW",
    "ɑːɹ": "AA R",
    "ɔːɹ": "AO R",
    "oːɹ": "AO R",
    "ɛɹ": "EH R",
    "ɪɹ": "IH R",
    "ʊɹ": "UH R",
    "iː": "IY",
    "uː": "UW",
    "ɑː": "AA",
    "ɔː": "AO",
    "ɜː": "ER",
    "ɚ": "ER",
    "ɝ": "ER",
    "ə": "AH",
    "ʌ": "AH",
    "æ": "AE",
    "ɛ": "EH",
    "e": "EH",
    "ɪ": "IH",
    "i": "IY",
    "ᵻ": "IH",
    "ʊ": "UH",
    "u": "UW",
    "ɑ": "AA",
    "ɒ": "AA",
    "ɔ": "AO",
    "o": "OW",
    "a": "AA",
    "p": "P",
    "b": "B",
    "t": "T",
    "d": "D",
    "k": "K",
    "ɡ": "G",
    "g": "G",
    "f": "F",
    "v": "V",
    "θ": "TH",
    "ð": "DH",
    "s": "S",
    "z": "Z",
    "ʃ": "SH",
    "ʒ": "ZH",
    "h": "HH",
    "m": "M",
    "n": "N",
    "ŋ": "NG",
    "l": "L",
    "ɫ": "L",
    "ɹ": "R",
    "r": "R",
    "ɾ": "T",
    "j": "Y",
    "w": "W",
    "ʔ": "T",
}
_IPA_KEYS = sorted(_IPA_TO_ARPABET, key=len, reverse=True)


def ipa_to_arpabet(ipa: str) -> str:
    """espeak-ng's IPA for one word as CMU ARPAbet phones (stress and length marks dropped)."""
    ipa = re.sub(r"[ˈˌ\-_ ]", "", ipa).replace("ː", "ː")
    phones: list[str] = []
    at = 0
    while at < len(ipa):
        for key in _IPA_KEYS:
            if ipa.startswith(key, at):
                phones.append(_IPA_TO_ARPABET[key])
                at += len(key)
                break
        else:
            at += 1  # a mark with no sound of its own (length, a tie)
    return " ".join(phones)


def pronunciation(word: str) -> str | None:
    """ARPAbet phones for ``word`` from espeak-ng (None without espeak-ng)."""
    program = shutil.which("espeak-ng")
    if program is None:
        return None
    result = subprocess.run(
        [program, "-v", "en-us", "-q", "--ipa", word],
        capture_output=True,
        text=True,
        check=False,
    )
    phones = ipa_to_arpabet(result.stdout.strip())
    return phones or None


# --------------------------------------------------------------------------------------------------
# The decoders


@functools.cache
def _decoder(kind: str) -> Any:
    from pocketsphinx import Decoder

    if kind == "align":
        return Decoder(lm=None, loglevel="FATAL", cmn="batch")
    return Decoder(loglevel="FATAL", cmn="batch")


def _known(words: Sequence[str]) -> list[str]:
    """``words`` as the dictionary spells them, each unknown one added with espeak-ng's sound.

    A word with no pronunciation at all is left out (the alignment places its neighbours).
    """
    decoder = _decoder("align")
    known = []
    for word in words:
        if decoder.lookup_word(word) is None:
            phones = pronunciation(word)
            if phones is None:
                continue
            for kind in ("align", "recognise"):
                _decoder(kind).add_word(word, phones, True)
        known.append(word)
    return known


def to_16k(samples: np.ndarray, rate: int = SAMPLE_RATE) -> np.ndarray:
    from scipy.signal import resample_poly

    common = np.gcd(rate, RATE)
    return resample_poly(samples, RATE // common, rate // common).astype(np.float32)


def _pcm(samples16k: np.ndarray) -> bytes:
    return (np.clip(samples16k, -1, 1) * 32767).astype("<i2").tobytes()


def align_words(samples16k: np.ndarray, words: Sequence[str]) -> list[Word] | None:
    """Where each of ``words`` is said in ``samples16k`` (mono, 16 kHz), in seconds; None when
    the words cannot be placed on this audio (it says something else, or is too short).
    """
    known = _known(words)
    if not known or len(samples16k) < RATE // 10:
        return None
    decoder = _decoder("align")
    try:
        decoder.set_align_text(" ".join(known))
        decoder.start_utt()
        decoder.process_raw(_pcm(samples16k), full_utt=True)
        decoder.end_utt()
    except RuntimeError:
        return None
    if decoder.hyp() is None:
        return None
    found = [
        Word(
            seg.start_frame * FRAME, (seg.end_frame + 1) * FRAME, re.sub(r"\(\d+\)$", "", seg.word)
        )
        for seg in decoder.seg()
        if not seg.word.startswith(("<", "["))
    ]
    return found if len(found) == len(known) else None


def recognise(samples16k: np.ndarray) -> list[str]:
    """The words pocketsphinx's general language model hears in ``samples16k``."""
    if len(samples16k) < RATE // 20:
        return []
    decoder = _decoder("recognise")
    decoder.start_utt()
    decoder.process_raw(_pcm(samples16k), full_utt=True)
    decoder.end_utt()
    hyp = decoder.hyp()
    return spoken_words(hyp.hypstr) if hyp is not None else []


# --------------------------------------------------------------------------------------------------
# Cutting a reading

SPEECH_BELOW_PEAK_DB = 35.0
"""A 10 ms frame is speech when its level is within this of the reading's loud frames ..."""
SPEECH_ABOVE_FLOOR_DB = 10.0
"""... and this above its quiet ones (the room's noise between sentences)."""
JOIN_GAP = 0.3
"""Pauses shorter than this (a comma, a breath) do not cut a stretch of speech."""
SHORTEST_STRETCH = 0.08
LONGEST_RUN = 6
"""At most this many stretches make one sentence (a reader pausing mid-sentence)."""
GROUP = 4
"""At most this many sentences read without a pause between them share one run of stretches."""
BAND = 0.25
"""How far (share of the reading's speech) a sentence may be from where its share of the script
puts it; at least :data:`BAND_SECONDS` of speech either way."""
BAND_SECONDS = 45.0
SKIP_COST = 0.5
"""Cost of leaving out a stretch (a stumble, a false start, a take said again), per heard phone;
a stretch placed in a sentence costs 1 per phone that does not match it, and each phone that
matches earns 2, so a stretch joins a sentence when a sixth of what was heard in it fits."""
LATER = 0.02
"""Leaving out a stretch costs up to this share more the later it is: of two takes of the same
words (one sentence or several said again), the later is kept."""
STRETCH_COST = 1.0
"""Cost of each stretch after the first in a run, and of each sentence after the first on it: of
two placings that explain the reading as well, the one in fewer pieces is taken (not a false start
joined to its sentence, not a sentence that was not read joined to its neighbour)."""
WORD_FLOOR = 0.5
"""A sentence is found on its run when this share of its words was heard there, in order, ..."""
PHONE_FLOOR = 0.7
"""... or this share of its sounds, and forced alignment places its words on the run."""
SURE = 0.8
"""A sentence this share of whose words and sounds were heard is found even when forced alignment
fails (its times are then those of its stretches)."""
REPEAT_MARGIN = 0.3
"""Sentences found again in the stretches left out after them, scoring (per expected phone)
within this of where they were placed, were said again: the later take is kept."""
REREAD = 3
"""A reader going back to say sentences again goes back at most this many placings."""
PAD = 0.1
"""Seconds of audio around a run that forced alignment may place words in."""


def speech_stretches(samples16k: np.ndarray) -> list[tuple[int, int]]:
    """The reading's stretches of speech as ``(first, last + 1)`` sample indices, cut at pauses."""
    hop = int(RATE * FRAME)
    frames = len(samples16k) // hop
    if frames == 0:
        return []
    blocks = samples16k[: frames * hop].astype(np.float64).reshape(frames, hop)
    level = 10 * np.log10(np.mean(blocks**2, axis=1) + 1e-12)
    loud, quiet = np.percentile(level, [99, 10])
    speech = level > max(loud - SPEECH_BELOW_PEAK_DB, quiet + SPEECH_ABOVE_FLOOR_DB)
    stretches: list[list[int]] = []
    for frame in np.flatnonzero(speech):
        if stretches and frame - stretches[-1][1] <= JOIN_GAP / FRAME:
            stretches[-1][1] = int(frame) + 1
        else:
            stretches.append([int(frame), int(frame) + 1])
    return [
        (first * hop, last * hop)
        for first, last in stretches
        if (last - first) * FRAME >= SHORTEST_STRETCH
    ]


@dataclass(frozen=True)
class Found:
    """Where one sentence was found in the reading, in seconds, and how well it matched (0-1)."""

    start: float
    end: float
    confidence: float
    words: tuple[Word, ...]
    stretches: tuple[int, int]
    """The first and last stretch of speech it was found in."""


class Missing(Exception):
    """The sentence at ``index`` is not in the reading (after the sentences before it)."""

    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


def phones(words: Sequence[str]) -> list[str]:
    """The dictionary's phones of ``words`` (stress-free ARPAbet), one after the other.

    Sentences are compared by their sounds, not their spelling: a word heard wrong ("uber for
    both walks" for "Huber's robust loss") still shares most of its sounds.
    """
    decoder = _decoder("align")
    out: list[str] = []
    for word in _known(words):
        out += (decoder.lookup_word(word) or "").split()
    return out


class _Common:
    """The longest common subsequence of a fixed ``expected`` and a growing ``heard``, by
    bit-parallel dynamic programming (Hyyro): each heard phone costs a few integer operations,
    and a run of stretches is extended one stretch at a time.
    """

    def __init__(self, expected: Sequence[str]) -> None:
        self.masks: dict[str, int] = {}
        for position, phone in enumerate(expected):
            self.masks[phone] = self.masks.get(phone, 0) | (1 << position)
        self.full = (1 << len(expected)) - 1
        self.size = len(expected)

    def start(self) -> int:
        return self.full

    def feed(self, state: int, heard: Sequence[str]) -> int:
        masks, full = self.masks, self.full
        for phone in heard:
            common = state & masks.get(phone, 0)
            state = ((state + common) | (state - common)) & full
        return state

    def length(self, state: int) -> int:
        return self.size - state.bit_count()


def _matches(expected: Sequence[str], heard: Sequence[str]) -> int:
    """How many phones of ``heard`` match ``expected`` in order (longest common subsequence)."""
    common = _Common(expected)
    return common.length(common.feed(common.start(), heard))


def script_model(sentences: Sequence[Sequence[str]]) -> str:
    """A bigram language model (ARPA text) of the script's sentences, absolute discounting with
    backoff to add-one unigrams: the recogniser hears the script's words, in the script's order.
    """
    from collections import Counter

    unigrams: Counter[str] = Counter()
    bigrams: Counter[tuple[str, str]] = Counter()
    for words in sentences:
        said = ["<s>", *words, "</s>"]
        unigrams.update(said[1:])
        bigrams.update(zip(said, said[1:], strict=False))
    total = sum(unigrams.values())
    p1 = {word: (count + 1) / (total + len(unigrams)) for word, count in unigrams.items()}
    history: Counter[str] = Counter()
    followers: dict[str, list[str]] = {}
    for (first, second), count in bigrams.items():
        history[first] += count
        followers.setdefault(first, []).append(second)
    discount = 0.5
    backoff = {}
    for first, after in followers.items():
        left = discount * len(after) / history[first]
        rest = max(1e-6, 1 - sum(p1[word] for word in after))
        backoff[first] = left / rest
    lines = ["\\data\\", f"ngram 1={len(unigrams) + 1}", f"ngram 2={len(bigrams)}", ""]
    lines.append("\\1-grams:")
    lines.append(f"-99.0000 <s> {np.log10(backoff['<s>']):.4f}")
    for word in sorted(unigrams):
        bow = f" {np.log10(backoff[word]):.4f}" if word in backoff else ""
        lines.append(f"{np.log10(p1[word]):.4f} {word}{bow}")
    lines += ["", "\\2-grams:"]
    for (first, second), count in sorted(bigrams.items()):
        lines.append(f"{np.log10((count - discount) / history[first]):.4f} {first} {second}")
    lines += ["", "\\end\\", ""]
    return "\n".join(lines)


def _script_decoder(sentences: Sequence[Sequence[str]]) -> Any:
    """The aligner's decoder, listening for the script's words (each already in its dictionary,
    see :func:`_known`) until the next forced alignment.
    """
    import tempfile
    from pathlib import Path

    decoder = _decoder("align")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "script.arpa"
        path.write_text(script_model(sentences), encoding="utf-8")
        decoder.add_lm_file("script", str(path))
    decoder.activate_search("script")
    return decoder


def _hear(decoder: Any, samples16k: np.ndarray) -> list[str]:
    if len(samples16k) < RATE // 20:
        return []
    decoder.start_utt()
    decoder.process_raw(_pcm(samples16k), full_utt=True)
    decoder.end_utt()
    hyp = decoder.hyp()
    return hyp.hypstr.split() if hyp is not None and hyp.hypstr else []


@dataclass
class _Place:
    """Sentences ``first..last`` (inclusive) placed on stretches ``start..end`` (inclusive)."""

    first: int
    last: int
    start: int
    end: int
    matched: int


def _plan(
    expected: list[list[str]], heard: list[list[str]], speech_at: list[float]
) -> list[_Place]:
    """The best monotonic placing of sentences (in order) on runs of stretches (in order).

    Dynamic programming over (sentences placed, stretches used): a stretch may be left out, a
    run of up to :data:`LONGEST_RUN` stretches may hold up to :data:`GROUP` sentences, and a
    sentence may be left unplaced (at the cost of all its sounds). Placing earns
    ``3 * matched - expected - heard`` phones (less :data:`STRETCH_COST` per extra stretch or
    sentence);
    leaving out a stretch costs ``SKIP_COST * heard`` (a little more later in the reading, see
    :data:`LATER`).
    """
    n, k = len(expected), len(heard)
    total = max(1, sum(len(e) for e in expected))
    share = np.concatenate([[0.0], np.cumsum([len(e) for e in expected])]) / total
    speech_total = max(speech_at[-1], 1e-6)
    band = max(BAND, BAND_SECONDS / speech_total)
    where = np.asarray(speech_at) / speech_total
    size = [len(h) for h in heard]
    minus = float("-inf")
    best = np.full((n + 1, k + 1), minus)
    back: dict[tuple[int, int], tuple] = {}
    best[0, 0] = 0.0

    def offer(i: int, j: int, score: float, step: tuple) -> None:
        if score > best[i, j]:
            best[i, j] = score
            back[(i, j)] = step

    for i in range(n + 1):
        for j in range(k + 1):
            here = best[i, j]
            if here == minus:
                continue
            if j < k:
                offer(i, j + 1, here - SKIP_COST * size[j] * (1 + LATER * j / k), ("skip",))
            if i == n:
                continue
            offer(i + 1, j, here - len(expected[i]), ("drop",))
            if j == k or abs(where[j] - share[i]) > band:
                continue
            sounds: list[str] = []
            for g in range(i, min(i + GROUP, n)):
                sounds = sounds + expected[g]
                common = _Common(sounds)
                state = common.start()
                run = 0
                for last in range(j, min(j + LONGEST_RUN, k)):
                    run += size[last]
                    if run > 2 * len(sounds) + 8:
                        break
                    state = common.feed(state, heard[last])
                    matched = common.length(state)
                    extra = STRETCH_COST * (last - j + g - i)
                    score = here + 3 * matched - len(sounds) - run - extra
                    offer(g + 1, last + 1, score, ("place", i, g, j, last, matched))
    places: list[_Place] = []
    i, j = n, k
    while (i, j) != (0, 0):
        step = back[(i, j)]
        if step[0] == "skip":
            j -= 1
        elif step[0] == "drop":
            i -= 1
        else:
            _, i, g, j, last, matched = step
            places.append(_Place(i, g, j, last, matched))
    return places[::-1]


def _score(place: _Place, expected: list[list[str]], heard: list[list[str]]) -> float:
    sounds = sum(len(expected[g]) for g in range(place.first, place.last + 1))
    run = sum(len(heard[s]) for s in range(place.start, place.end + 1))
    return 3 * place.matched - sounds - run


def _last_takes(
    plan: list[_Place], expected: list[list[str]], heard: list[list[str]]
) -> list[_Place]:
    """``plan`` with the last take of what was said twice: when the stretches left out after a
    placing hold its sentences again (with up to :data:`REREAD` placings before it: the reader
    went back a few sentences), about as well heard (:data:`REPEAT_MARGIN`), they are taken.
    """
    plan = list(plan)
    for m in range(len(plan)):
        gap_start = plan[m].end + 1
        gap_end = plan[m + 1].start if m + 1 < len(plan) else len(heard)
        if gap_end <= gap_start:
            continue
        gap = heard[gap_start:gap_end]
        speech = [0.0, *np.cumsum([len(h) + 1 for h in gap])]
        for b in range(max(0, m - REREAD + 1), m + 1):
            block = plan[b : m + 1]
            first, last = block[0].first, block[-1].last
            again = _plan(expected[first : last + 1], gap, speech)
            shifted = [
                _Place(
                    p.first + first,
                    p.last + first,
                    p.start + gap_start,
                    p.end + gap_start,
                    p.matched,
                )
                for p in again
            ]
            placed = sum(p.last - p.first + 1 for p in shifted)
            sounds = sum(len(expected[g]) for g in range(first, last + 1))
            old = sum(_score(p, expected, heard) for p in block)
            new = sum(_score(p, expected, heard) for p in shifted)
            heard_well = all(
                p.matched >= PHONE_FLOOR * sum(len(expected[g]) for g in range(p.first, p.last + 1))
                for p in shifted
            )
            if placed == last - first + 1 and heard_well and new >= old - REPEAT_MARGIN * sounds:
                plan[b : m + 1] = shifted
                break
    return plan


def find_sentences(samples16k: np.ndarray, sentences: Sequence[str]) -> list[Found]:
    """Each of ``sentences`` (in reading order) in the reading ``samples16k`` (16 kHz mono).

    The reading is cut at its pauses into stretches of speech; each stretch is recognised with
    a language model of the script itself; the sentences are placed on runs of stretches by a
    monotonic alignment over the whole reading (:func:`_plan`), the last take of a sentence said
    twice kept; then each sentence is force-aligned to its run for its word times.

    Raises :class:`Missing` for the first sentence that is not there.
    """
    said = [_known(spoken_words(sentence)) for sentence in sentences]
    expected = [phones(words) for words in said]
    stretches = speech_stretches(samples16k)
    decoder = _script_decoder(said)
    words_heard = [_hear(decoder, samples16k[first:last]) for first, last in stretches]
    heard = [phones(words) for words in words_heard]
    lengths = [(last - first) / RATE for first, last in stretches]
    speech_at = [0.0, *np.cumsum(lengths)]
    plan = _last_takes(_plan(expected, heard, speech_at), expected, heard)
    placed = {index: place for place in plan for index in range(place.first, place.last + 1)}
    found: list[Found] = []
    for index in range(len(sentences)):
        place = placed.get(index)
        if place is None:
            raise Missing(index)
        if place.first < index:
            continue  # found with the first of its group
        members = range(place.first, place.last + 1)
        run = range(place.start, place.end + 1)
        group = [word for g in members for word in said[g]]
        words = _align_run(samples16k, stretches, place, group, plan)
        span = (stretches[place.start][0] / RATE, stretches[place.end][1] / RATE)
        weights = np.cumsum([0, *(len(expected[g]) for g in members)]) / max(
            1, sum(len(expected[g]) for g in members)
        )
        at = 0
        for number, g in enumerate(members):
            # Each sentence of the run on its own: were its words, or its sounds, heard there?
            word_share = _matches(said[g], [w for s in run for w in words_heard[s]]) / max(
                1, len(said[g])
            )
            phone_share = _matches(expected[g], [p for s in run for p in heard[s]]) / max(
                1, len(expected[g])
            )
            heard_well = word_share >= WORD_FLOOR or phone_share >= PHONE_FLOOR
            sure = min(word_share, phone_share) >= SURE
            if not (heard_well and words is not None) and not sure:
                raise Missing(g)
            mine = tuple(words[at : at + len(said[g])]) if words else ()
            at += len(said[g])
            if mine:
                start, end = mine[0].start, mine[-1].end
            else:  # its share of the run, by its sounds
                start = span[0] + weights[number] * (span[1] - span[0])
                end = span[0] + weights[number + 1] * (span[1] - span[0])
            confidence = min(1.0, max(word_share, phone_share))
            found.append(Found(start, end, confidence, mine, (place.start, place.end)))
    return found


def _align_run(
    samples16k: np.ndarray,
    stretches: list[tuple[int, int]],
    place: _Place,
    words: list[str],
    plan: list[_Place],
) -> list[Word] | None:
    """Where each of ``words`` is said in the run of ``place`` (seconds in the reading).

    When they cannot be placed there, a stretch left out next to the run (an opening heard too
    badly to count) is tried with it.
    """
    used = {s for p in plan for s in range(p.start, p.end + 1)}
    tries = [(place.start, place.end)]
    if place.start - 1 >= 0 and place.start - 1 not in used:
        tries.append((place.start - 1, place.end))
    if place.end + 1 < len(stretches) and place.end + 1 not in used:
        tries.append((place.start, place.end + 1))
    for start, end in tries:
        lo = max(0, stretches[start][0] - int(PAD * RATE))
        hi = min(len(samples16k), stretches[end][1] + int(PAD * RATE))
        aligned = align_words(samples16k[lo:hi], words)
        if aligned:
            return [Word(lo / RATE + w.start, lo / RATE + w.end, w.text) for w in aligned]
    return None
