"""What a text-to-speech voice is given to say: the narration respelled where voices stumble.

Captions show the written words; the engines (espeak-ng, piper) get :func:`spoken`, which

1. replaces the words of :data:`LEXICON`, merged with the spec's ``voice.lexicon`` (the spec's
   entries win), whole words only; and
2. spells out every number the way it is written, digit for digit after the point, so what is
   heard is what is on screen: ``0.7625`` is "zero point seven six two five", ``-1`` "minus
   one", ``3.76`` "three point seven six", ``1,000`` "one thousand".

The lexicon and the number words are English. A voice of another language is given the text
with that language's lexicon (:data:`LEXICONS`: German so far) and its numbers as written, which
its own voice reads in its language (espeak-ng ``de`` says ``0,7625`` "null Komma sieben sechs
zwei fünf"); only the minus sign U+2212 is spelled out, which no voice reads. A language without
a table gets the spec's entries alone.

Case: a key with a capital after its first letter (an acronym: ``JAX``, ``MAD``) matches only
as written, so "mad" is not spelled out; any other key matches in any case (``Laplace``,
``laplace``, ``LAPLACE``). A key that starts or ends with a letter or digit matches only a whole
word there (``mu`` is not found in "much"); symbols (``θ``, ``=``, ``′``) match anywhere.
"""

import functools
import re
from collections.abc import Mapping

__all__ = ["LEXICON", "LEXICONS", "number_words", "spoken"]

LEXICON: dict[str, str] = {
    # Names the voices get wrong: espeak-ng (and piper, which phonemises with it) says
    # "LAP-lace", "HYOO-ber", "COR-chy".
    "Laplace": "la plass",
    "Huber": "hoober",
    "Cauchy": "koh shee",
    "Tukey": "too key",
    "JAX": "jacks",
    "autodiff": "auto diff",
    "argmin": "arg min",
    "argmax": "arg max",
    "MAD": "M A D",
    "tanh": "tanch",
    "cosh": "kosh",
    "log-cosh": "log kosh",
    # Symbols of the lecture, said as a lecturer reads them out.
    "θ": "theta",
    "δ": "delta",
    # espeak-ng says "mu" as "moo"; the Greek letter is "mew".
    "μ": "mew",
    "mu": "mew",
    "σ": "sigma",
    "τ": "tau",
    "ε": "epsilon",
    "ψ": "psi",
    "ρ": "rho",
    "ℓ′": "l prime",
    "l′": "l prime",
    "l'": "l prime",
    "ℓ": "l",
    "′": "prime",
    "=": "equals",
    "≈": "about",
    "±": "plus or minus",
    "×": "times",
    "≤": "at most",
    "≥": "at least",
    "%": "percent",
}
"""The package's lexicon: written word or symbol -> what the voice is given to say."""

GERMAN: dict[str, str] = {
    # espeak-ng `de` says the French and American names as German words.
    "Laplace": "Laplass",
    "Cauchy": "Koschi",
    "Tukey": "Tuki",
    "JAX": "Dschäx",
    "autodiff": "Auto-Diff",
    "argmin": "arg min",
    "argmax": "arg max",
    "tanh": "Tangens hyperbolicus",
    "cosh": "Kosinus hyperbolicus",
    "θ": "Theta",
    "δ": "Delta",
    "μ": "Mü",
    "σ": "Sigma",
    "τ": "Tau",
    "ε": "Epsilon",
    "ψ": "Psi",
    "ρ": "Rho",
    "ℓ′": "l Strich",
    "l′": "l Strich",
    "l'": "l Strich",
    "ℓ": "l",
    "′": "Strich",
    "=": "gleich",
    "≈": "etwa",
    "±": "plus minus",
    "×": "mal",
    "≤": "höchstens",
    "≥": "mindestens",
    "%": "Prozent",
    "−": "minus ",
}

LEXICONS: dict[str, dict[str, str]] = {"en": LEXICON, "de": GERMAN}
"""Each language's package lexicon, by ISO 639-1 code (English spells its numbers too)."""

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = ((10**9, "billion"), (10**6, "million"), (1000, "thousand"))
_LARGEST = 10**12
"""Whole numbers from here on are read digit by digit (no lecture says them in words)."""


def _below_thousand(n: int) -> list[str]:
    words: list[str] = []
    if n >= 100:
        words += [_ONES[n // 100], "hundred"]
        n %= 100
        if n == 0:
            return words
    if n < 20:
        words.append(_ONES[n])
    else:
        words.append(_TENS[n // 10] + (f"-{_ONES[n % 10]}" if n % 10 else ""))
    return words


def _whole(digits: str) -> list[str]:
    n = int(digits)
    if len(digits) > 1 and digits.startswith("0") or n >= _LARGEST:
        return [_ONES[int(d)] for d in digits]
    if n == 0:
        return ["zero"]
    words: list[str] = []
    for scale, name in _SCALES:
        if n >= scale:
            words += [*_below_thousand(n // scale), name]
            n %= scale
    if n:
        words += _below_thousand(n)
    return words


def number_words(written: str) -> str:
    """A number as written (``-0.7625``, ``+1``, ``3``, ``1,000``) in words, every written digit
    said: the whole part as a number, the decimals one digit at a time.
    """
    sign = {"-": "minus", "−": "minus", "+": "plus"}.get(written[0])
    body = written[1:] if sign else written
    body, _, exponent = body.replace("E", "e").partition("e")
    whole, _, decimals = body.replace(",", "").partition(".")
    words = [sign] if sign else []
    words += _whole(whole)
    if decimals:
        words += ["point", *(_ONES[int(d)] for d in decimals)]
    if exponent:
        # 1e-3: "one times ten to the minus three"; 2.5e+06: "... ten to the six".
        power = str(int(exponent.replace("−", "-")))
        words += ["times ten to the", number_words(power)]
    return " ".join(words)


# A sign counts only where a number starts (after a space, a bracket, "=" or the start): in
# "1-2" the dash is a hyphen. The minus sign U+2212 is always a minus ("x−1"), and so is a
# hyphen after a one-letter variable ("x-1", "r - 2"). Commas group thousands only in threes
# ("0.762, then"); an exponent may follow ("1e-3").
_NUMBER = re.compile(
    r"(?:−|(?<![\w.,])(?:(?<![^\s(\[=])[-+])?)(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
    r"(?:[eE][-+−]?\d+)?(?![\w])"
)
_VARIABLE_MINUS = re.compile(r"(?<![\w′'])([A-Za-zθδμστε])\s*-\s*(?=\d)")


def _is_acronym(word: str) -> bool:
    return any(ch.isupper() for ch in word[1:])


def _pattern(word: str) -> str:
    before = r"(?<!\w)" if re.match(r"\w", word) else ""
    after = r"(?!\w)" if re.search(r"\w$", word) else ""
    body = re.escape(word)
    return f"{before}{body if _is_acronym(word) else f'(?i:{body})'}{after}"


@functools.lru_cache(maxsize=64)
def _compiled(entries: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for a whole lexicon, longest keys first (``l′`` before ``′``)."""
    keys = sorted((key for key, _ in entries), key=len, reverse=True)
    table = {key.casefold() if not _is_acronym(key) else key: said for key, said in entries}
    return re.compile("|".join(_pattern(key) for key in keys)), table


def spoken(text: str, extra: Mapping[str, str] | None = None, lang: str | None = "en") -> str:
    """``text`` as a voice of language ``lang`` is given it: words respelled by the lexicon
    (``extra`` over the language's :data:`LEXICONS`), then, in English (or an unknown voice
    language, None), numbers spelled out as written.
    """
    english = lang is None or lang == "en"
    merged = {**LEXICONS.get(lang or "en", {}), **(extra or {})}
    if not merged:
        return text
    pattern, table = _compiled(tuple(sorted(merged.items())))

    def respell(match: re.Match[str]) -> str:
        found = match.group(0)
        said = table.get(found) or table.get(found.casefold(), found)
        # Symbols touch their neighbours ("θ=0"); the words said for them must not. A word's
        # own neighbours stay as they were ("Huber's").
        left = "" if re.match(r"\w", found) else " "
        right = "" if re.search(r"\w$", found) else " "
        return f"{left}{said}{right}"

    if english:
        text = _VARIABLE_MINUS.sub(r"\1 minus ", text)
    text = pattern.sub(respell, text)
    if english:
        text = _NUMBER.sub(lambda match: f" {number_words(match.group(0))} ", text)
    # Spaces added around a replacement, but none inside brackets or before punctuation.
    text = re.sub(r"\s+([,.;:!?)\]])", r"\1", " ".join(text.split()))
    text = re.sub(r"([(\[])\s+", r"\1", text)
    return text
