"""Caption words timed from a voice's own phoneme timings (spec-v3 section 14: captions follow
the words).

Piper says how many samples each phoneme took. Its phonemes are grouped by espeak-ng, which runs
some words together ("in the" is one group ``ɪnðə``), so words are found in them by sound, not by
counting spaces: each word the voice was given is phonemised alone, and the sequence of those
phonemes is matched against the phonemes said (:class:`difflib.SequenceMatcher`, monotone). A
word's time runs from its first matched phoneme to its last; a word with no match sits between
its neighbours.

Captions show the written words while the voice is given respelled ones (``0.76`` is "zero point
seven six": :mod:`scenes.speech.lexicon`); each written word is respelled alone, so it knows the
spoken words it became and its time runs over theirs.
"""

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from scenes.speech.base import Word
from scenes.speech.lexicon import spoken

__all__ = ["SILENT_MARKS", "Phone", "phrase_spans", "respelled_words", "time_words"]

SILENT_MARKS = frozenset("ˈˌ")
"""Phoneme symbols with no sound of their own (stress marks); spaces, punctuation and piper's
start, end and pad symbols are left out as not letters."""

_SPOKEN_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


class Phone(NamedTuple):
    """One phoneme said, in seconds from the clip's start."""

    symbol: str
    start: float
    end: float


def _sounds(phonemes: str) -> str:
    return "".join(c for c in phonemes if c.isalpha() and c not in SILENT_MARKS)


def respelled_words(
    text: str, lexicon: Mapping[str, str] | None = None, lang: str | None = "en"
) -> list[list[str]]:
    """For each written word of ``text`` (split at white space), the words a voice is given for
    it: ``["0.7625"]`` -> ``[["zero", "point", "seven", "six", "two", "five"]]``.
    """
    return [_SPOKEN_WORD.findall(spoken(token, lexicon, lang)) for token in text.split()]


def _spoken_times(
    words: Sequence[str], phones: Sequence[Phone], phonemise: Callable[[str], str]
) -> list[tuple[float, float] | None]:
    said = [(i, c) for i, (symbol, _, _) in enumerate(phones) for c in _sounds(symbol)]
    wanted: list[int] = []  # the word of each wanted sound
    sounds = []
    for index, word in enumerate(words):
        for c in _sounds(phonemise(word)):
            wanted.append(index)
            sounds.append(c)
    matcher = difflib.SequenceMatcher(None, sounds, [c for _, c in said], autojunk=False)
    found: list[list[int]] = [[] for _ in words]
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            found[wanted[block.a + k]].append(said[block.b + k][0])
    return [(phones[min(f)][1], phones[max(f)][2]) if f else None for f in found]


def time_words(
    written: Sequence[str],
    spoken_words: Sequence[Sequence[str]],
    phones: Sequence[Phone],
    phonemise: Callable[[str], str],
) -> tuple[Word, ...]:
    """Each written word with the time of the spoken words it became, from the phonemes said.

    ``spoken_words[i]`` are the words said for ``written[i]`` (:func:`respelled_words`);
    ``phonemise`` gives a word's phonemes as the voice would say it alone.
    """
    flat = [word for words in spoken_words for word in words]
    times = _spoken_times(flat, phones, phonemise)
    end_of_speech = phones[-1][2] if phones else 0.0
    # A word not found sits at the end of the one before, up to the start of the next found.
    filled: list[tuple[float, float]] = []
    for index, time in enumerate(times):
        if time is not None:
            start = max(time[0], filled[-1][1] if filled else 0.0)
            filled.append((start, max(start, time[1])))
            continue
        before = filled[-1][1] if filled else 0.0
        after = next((t[0] for t in times[index + 1 :] if t is not None), end_of_speech)
        filled.append((before, max(before, after)))
    result: list[Word] = []
    at = 0
    for text, words in zip(written, spoken_words, strict=True):
        if words:
            result.append(Word(filled[at][0], filled[at + len(words) - 1][1], text))
        else:  # punctuation said as nothing: no time of its own
            mark = result[-1].end if result else (filled[at][0] if at < len(filled) else 0.0)
            result.append(Word(mark, mark, text))
        at += len(words)
    return tuple(result)


def phrase_spans(
    phrases: Sequence[str], words: Sequence[Word], seconds: float
) -> tuple[tuple[float, float], ...] | None:
    """Each phrase from its first written word's start to its last's end; None when ``words``
    are not the phrases' written words, one for one.
    """
    counts = [len(phrase.split()) for phrase in phrases]
    if 0 in counts or sum(counts) != len(words):
        return None
    if [w.text for w in words] != [t for phrase in phrases for t in phrase.split()]:
        return None
    spans = []
    at = 0
    for count in counts:
        chunk = words[at : at + count]
        start = float(max(0.0, chunk[0].start))
        spans.append((start, float(min(seconds, max(chunk[-1].end, start)))))
        at += count
    return tuple(spans)
