"""Translation catalogues: ``locale/<lang>.po`` next to a lecture (spec-v3 section 16), gettext.

One entry per text a translator must see: each narration phrase (``msgctxt`` ``<Scene>/<beat>``)
and each text drawn on screen (``<Scene>/<text id>``), the source text as ``msgid``. Numbers in
generated sentences are named placeholders (``{estimate}``), flagged ``python-brace-format`` so
gettext tools (msgfmt -c, Poedit, Weblate) check them too.

Updating a catalogue works as ``msgmerge`` does: a translation whose entry is unchanged is kept;
an entry whose context is kept but whose source text changed keeps its old translation, marked
``fuzzy`` with the old source as ``#| msgid``; entries that are gone become obsolete (``#~``), so
a translator's work is never lost. Written atomically. Pure: no maths, no Manim.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem

__all__ = [
    "FLAG_BRACES",
    "CatalogueText",
    "catalogue_path",
    "check_catalogue",
    "placeholders",
    "read_translations",
    "update_catalogue",
]

FLAG_BRACES = "python-brace-format"
_PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)\}(?!\})")


@dataclass(frozen=True)
class CatalogueText:
    """One text to translate: where it is (``<Scene>/<beat or text id>``), what it says."""

    context: str
    source: str
    comment: str = ""
    """For the translator: ``narration`` or ``on screen``, and what the placeholders hold."""


def catalogue_path(spec_file: Path, lang: str) -> Path:
    """``locale/<lang>.po`` in the folder of the lecture or course file ``spec_file``."""
    return Path(spec_file).parent / "locale" / f"{lang}.po"


def placeholders(text: str) -> set[str]:
    """The named placeholders of a text: ``{estimate}`` -> ``{"estimate"}``."""
    return set(_PLACEHOLDER.findall(text))


def _new_catalogue(lang: str):
    import polib

    po = polib.POFile(wrapwidth=100)
    po.metadata = {
        "Project-Id-Version": "loss-scenes lecture",
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": "loss-scenes translate",
    }
    return po


def _flags(entry, text: CatalogueText) -> None:
    wanted = bool(placeholders(text.source))
    if wanted and FLAG_BRACES not in entry.flags:
        entry.flags.append(FLAG_BRACES)
    if not wanted and FLAG_BRACES in entry.flags:
        entry.flags.remove(FLAG_BRACES)


def update_catalogue(path: Path, lang: str, texts: Iterable[CatalogueText]) -> dict[str, int]:
    """Write or update the catalogue at ``path`` with ``texts``, as msgmerge would; return counts
    (``new``, ``kept``, ``fuzzy``, ``obsolete``).
    """
    import polib

    from scenes.files import write_text_atomic

    po = polib.pofile(str(path), wrapwidth=100) if path.is_file() else _new_catalogue(lang)
    live = {(e.msgctxt, e.msgid): e for e in po if not e.obsolete}
    by_context = {e.msgctxt: e for e in po if not e.obsolete}
    old_obsolete = {(e.msgctxt, e.msgid): e for e in po if e.obsolete}
    merged = _new_catalogue(lang)
    if po.header:
        merged.header = po.header
    merged.metadata = po.metadata or merged.metadata
    counts = {"new": 0, "kept": 0, "fuzzy": 0, "obsolete": 0}
    used: set[int] = set()
    for text in texts:
        key = (text.context, text.source)
        entry = live.get(key) or old_obsolete.get(key)
        if entry is not None:
            entry.obsolete = False
            counts["kept"] += 1
        elif text.context in by_context and id(by_context[text.context]) not in used:
            # Same place, other words: keep the translation for the translator to revise.
            old = by_context[text.context]
            entry = polib.POEntry(
                msgctxt=text.context,
                msgid=text.source,
                msgstr=old.msgstr,
                previous_msgid=old.msgid,
                flags=[f for f in old.flags if f != FLAG_BRACES],
                tcomment=old.tcomment,
            )
            if old.msgstr and "fuzzy" not in entry.flags:
                entry.flags.append("fuzzy")
            counts["fuzzy" if old.msgstr else "new"] += 1
            used.add(id(old))
        else:
            entry = polib.POEntry(msgctxt=text.context, msgid=text.source, msgstr="")
            counts["new"] += 1
        used.add(id(entry))
        entry.comment = text.comment
        _flags(entry, text)
        merged.append(entry)
    for entry in po:
        if id(entry) in used:
            continue
        if entry.obsolete or entry.msgstr:  # an untranslated entry that is gone is dropped
            entry.obsolete = True
            entry.previous_msgid = None
            merged.append(entry)
            counts["obsolete"] += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, merged.__unicode__())
    return counts


def read_translations(path: Path) -> dict[tuple[str, str], str]:
    """(context, source) -> translation, for every entry translated and not fuzzy."""
    import polib

    if not path.is_file():
        return {}
    return {
        (e.msgctxt or "", e.msgid): e.msgstr
        for e in polib.pofile(str(path))
        if not e.obsolete and e.msgstr and "fuzzy" not in e.flags
    }


def check_catalogue(
    path: Path, texts: Iterable[CatalogueText], shown: str | None = None
) -> list[Problem]:
    """Problems of the catalogue at ``path`` for ``texts``: each missing, empty or fuzzy
    translation and each placeholder dropped or added, at the entry's line (``shown``: the path
    as the messages give it).
    """
    import polib

    name = shown or str(path)
    texts = list(texts)
    if not path.is_file():
        return [
            Problem(
                name,
                1,
                1,
                f"no catalogue for {len(texts)} texts; write it with `loss-scenes translate`",
            )
        ]
    try:
        po = polib.pofile(str(path))
    except (OSError, ValueError) as error:
        return [Problem(name, 1, 1, f"not a gettext catalogue: {error}")]
    entries: Mapping[tuple[str, str], object] = {
        (e.msgctxt or "", e.msgid): e for e in po if not e.obsolete
    }
    lines = path.read_text(encoding="utf-8").splitlines()
    problems = []
    for text in texts:
        entry = entries.get((text.context, text.source))
        where = f"{text.context} {text.source!r}"
        if entry is None:
            problems.append(
                Problem(
                    name,
                    _end_line(path),
                    1,
                    f"missing translation of {where}; run `loss-scenes translate` and translate it",
                )
            )
            continue
        line = _msgstr_line(lines, getattr(entry, "linenum", 1) or 1)
        msgstr = getattr(entry, "msgstr", "")
        if "fuzzy" in getattr(entry, "flags", []):
            problems.append(
                Problem(name, line, 1, f"fuzzy translation of {where}: revise it, then unmark it")
            )
        elif not msgstr.strip():
            problems.append(Problem(name, line, 1, f"empty translation of {where}"))
        else:
            wanted, given = placeholders(text.source), placeholders(msgstr)
            for missing in sorted(wanted - given):
                problems.append(
                    Problem(name, line, 1, f"translation of {text.context} drops {{{missing}}}")
                )
            for extra in sorted(given - wanted):
                problems.append(
                    Problem(
                        name,
                        line,
                        1,
                        f"translation of {text.context} adds {{{extra}}}, which the source "
                        f"does not have (it has: {', '.join(sorted(wanted)) or 'none'})",
                    )
                )
    return sorted(problems, key=lambda p: p.line)


def _msgstr_line(lines: list[str], start: int) -> int:
    """The line of an entry's ``msgstr`` (polib gives where the entry starts): what to edit."""
    for number in range(start, len(lines) + 1):
        if lines[number - 1].startswith("msgstr"):
            return number
    return start


def _end_line(path: Path) -> int:
    return max(1, len(path.read_text(encoding="utf-8").splitlines()))
