"""Language codes: the ISO 639-1 codes a spec uses (``de``) to the ISO 639-2/T codes that video
containers tag audio streams with (``deu``), and the language a voice speaks.

The table was generated once from Debian's iso-codes (``/usr/share/iso-codes/json/iso_639-2.json``,
every entry with an ``alpha_2``; ``alpha_3`` is the terminology code, so German is ``deu``, not
the bibliographic ``ger``). Both MP4 (``mdhd``) and Matroska/WebM (``Language``) store these.
"""

import re

UNDETERMINED = "und"
"""ISO 639-2 for a language nobody said (a recorded or silent voice, an unknown code)."""

# fmt: off
ISO_639_2T: dict[str, str] = {
    "aa": "aar", "ab": "abk", "ae": "ave", "af": "afr", "ak": "aka", "am": "amh", "an": "arg",
    "ar": "ara", "as": "asm", "av": "ava", "ay": "aym", "az": "aze", "ba": "bak", "be": "bel",
    "bg": "bul", "bh": "bih", "bi": "bis", "bm": "bam", "bn": "ben", "bo": "bod", "br": "bre",
    "bs": "bos", "ca": "cat", "ce": "che", "ch": "cha", "co": "cos", "cr": "cre", "cs": "ces",
    "cu": "chu", "cv": "chv", "cy": "cym", "da": "dan", "de": "deu", "dv": "div", "dz": "dzo",
    "ee": "ewe", "el": "ell", "en": "eng", "eo": "epo", "es": "spa", "et": "est", "eu": "eus",
    "fa": "fas", "ff": "ful", "fi": "fin", "fj": "fij", "fo": "fao", "fr": "fra", "fy": "fry",
    "ga": "gle", "gd": "gla", "gl": "glg", "gn": "grn", "gu": "guj", "gv": "glv", "ha": "hau",
    "he": "heb", "hi": "hin", "ho": "hmo", "hr": "hrv", "ht": "hat", "hu": "hun", "hy": "hye",
    "hz": "her", "ia": "ina", "id": "ind", "ie": "ile", "ig": "ibo", "ii": "iii", "ik": "ipk",
    "io": "ido", "is": "isl", "it": "ita", "iu": "iku", "ja": "jpn", "jv": "jav", "ka": "kat",
    "kg": "kon", "ki": "kik", "kj": "kua", "kk": "kaz", "kl": "kal", "km": "khm", "kn": "kan",
    "ko": "kor", "kr": "kau", "ks": "kas", "ku": "kur", "kv": "kom", "kw": "cor", "ky": "kir",
    "la": "lat", "lb": "ltz", "lg": "lug", "li": "lim", "ln": "lin", "lo": "lao", "lt": "lit",
    "lu": "lub", "lv": "lav", "mg": "mlg", "mh": "mah", "mi": "mri", "mk": "mkd", "ml": "mal",
    "mn": "mon", "mr": "mar", "ms": "msa", "mt": "mlt", "my": "mya", "na": "nau", "nb": "nob",
    "nd": "nde", "ne": "nep", "ng": "ndo", "nl": "nld", "nn": "nno", "no": "nor", "nr": "nbl",
    "nv": "nav", "ny": "nya", "oc": "oci", "oj": "oji", "om": "orm", "or": "ori", "os": "oss",
    "pa": "pan", "pi": "pli", "pl": "pol", "ps": "pus", "pt": "por", "qu": "que", "rm": "roh",
    "rn": "run", "ro": "ron", "ru": "rus", "rw": "kin", "sa": "san", "sc": "srd", "sd": "snd",
    "se": "sme", "sg": "sag", "si": "sin", "sk": "slk", "sl": "slv", "sm": "smo", "sn": "sna",
    "so": "som", "sq": "sqi", "sr": "srp", "ss": "ssw", "st": "sot", "su": "sun", "sv": "swe",
    "sw": "swa", "ta": "tam", "te": "tel", "tg": "tgk", "th": "tha", "ti": "tir", "tk": "tuk",
    "tl": "tgl", "tn": "tsn", "to": "ton", "tr": "tur", "ts": "tso", "tt": "tat", "tw": "twi",
    "ty": "tah", "ug": "uig", "uk": "ukr", "ur": "urd", "uz": "uzb", "ve": "ven", "vi": "vie",
    "vo": "vol", "wa": "wln", "wo": "wol", "xh": "xho", "yi": "yid", "yo": "yor", "za": "zha",
    "zh": "zho", "zu": "zul",
}
# fmt: on
"""ISO 639-1 -> ISO 639-2/T, the 184 languages with a two-letter code."""

_THREE_LETTER = frozenset(ISO_639_2T.values())


def iso639_2(code: str | None) -> str:
    """The ISO 639-2/T code of a language tag: ``de`` -> ``deu``, ``en-us`` / ``en_US`` ->
    ``eng``, a 639-2/T code as is; ``und`` for None or a code not in the table.
    """
    if not code:
        return UNDETERMINED
    primary = re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0]
    if primary in ISO_639_2T:
        return ISO_639_2T[primary]
    return primary if primary in _THREE_LETTER else UNDETERMINED


def voice_language(engine: str, voice: str | None, model: str | None = None) -> str | None:
    """The ISO 639-1 language a voice speaks, from its name: espeak-ng ``en-us`` -> ``en``,
    ``mb-de1`` (MBROLA) -> ``de``; a Piper model ``en_US-joe-medium.onnx`` -> ``en`` (the
    bundled voice, without a model, is US English). None for recorded takes, silence or a name
    that names no language.
    """
    if engine == "piper":
        name = (model or "en_US").replace("\\", "/").rsplit("/", 1)[-1]
    elif engine == "espeak-ng":
        name = voice or ""
    else:
        return None
    parts = [p for p in re.split(r"[-_+/]", name.lower()) if p]
    if parts[:1] == ["mb"] and len(parts) > 1:  # MBROLA voices: mb-de1, mb-en1
        parts = [parts[1].rstrip("0123456789")]
    if parts and parts[0] in ISO_639_2T:
        return parts[0]
    return None
