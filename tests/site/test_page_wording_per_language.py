"""The site's own words follow the page's language (spec-v3 section 16): headings, links,
buttons, labels and the strings the scripts show are German on the German pages.

The words come from the templates through Jinja2's i18n extension and the catalogue
``assets/locale/de/LC_MESSAGES/site.po`` (read here with polib). Three kinds of check:

- every page of a lecture in English and German, rendered by :func:`render_pages` from the
  fake render of ``test_export_pages`` with every optional part on (handout, GIFs, explorable
  pages, descriptions in another language, downloads): no text node or label of the English
  page's own words is left on the German page;
- the catalogue is complete: every message the templates translate (found by Jinja2's own
  extractor) and every one that comes from data has a German entry, with the placeholders of
  its source; every key present.js and explore.js look up is one the pages hand them;
- each check fails where it should: a catalogue that lacks one entry leaves an English string
  on the German page, which the first check names, and the second check names the entry.
"""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import polib
import pytest

from scenes.package_data import asset
from scenes.production import manifest
from scenes.site import pages
from scenes.site.model import ExplorePage, Language, plan_site
from tests.site.test_export_languages import Page, export_both

CATALOGUE = Path(str(asset("locale", "de", "LC_MESSAGES", "site.po")))

SAME_IN_GERMAN = frozenset({"MP4 (H.264)", "WebM (VP9)", "Median", "Huber", "MP4", "WebM", "θ"})
"""What German writes as English does: format names, a name, a symbol."""

OMITTED = {
    # The loss's English name ("squared"): the German lede leaves it out, the heading below
    # names the loss in German ("Der quadratische Verlust").
    "words",
}

LABELS = ("aria-label", "aria-valuetext", "alt", "title", "label")
"""Attributes whose values are read to people (besides the text)."""


class Wording(HTMLParser):
    """Each text node and read-out attribute of a page, whitespace collapsed, and the strings
    the page hands its script (``<body data-text>``); scripts' contents left out.
    """

    def __init__(self, text: str):
        super().__init__()
        self.lang: str | None = None
        self.strings: set[str] = set()
        self.script_text: dict[str, str] = {}
        self._skip = 0
        self.feed(text)

    def _add(self, text: str) -> None:
        text = " ".join(text.split())
        if text:
            self.strings.add(text)

    def handle_starttag(self, tag, attrs):
        values = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.lang = values.get("lang")
        if tag in ("script", "style", "math"):  # a formula is maths, in no language
            self._skip += 1
        for name in LABELS:
            if name in values:
                self._add(values[name])
        if "data-text" in values:
            self.script_text = json.loads(values["data-text"])
            for text in self.script_text.values():
                self._add(text)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "math"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self._add(data)


NEUTRAL = re.compile(r"^[\d\s.,:;·…–()/-]*(kB|MB)?$")
"""Numbers, times, sizes and punctuation: no language's words."""


def left_in_english(english: str, german: str) -> set[str]:
    """The strings of the English page that the German page shows unchanged, other than
    numbers, the languages' own names and what German writes the same way.
    """
    same = Wording(english).strings & Wording(german).strings
    return {
        text
        for text in same
        if not NEUTRAL.match(text)
        and text not in SAME_IN_GERMAN
        and text not in ("English", "Deutsch")
    }


# --- every page in both languages, from a fake render ------------------------------------------


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The Tiny lecture in English and German, exported from its fake render."""
    return export_both(tmp_path_factory.mktemp("wording"), "--no-handout")


def sites(render_dir: Path):
    """Both languages' sites with every optional part: handout, GIFs, every download, an
    explorable page, a formula, and descriptions in English only (the German page says so).
    """
    recorded = manifest.read(render_dir)
    sizes = {
        f"media/{name}{suffix}": 1_234_567
        for name in recorded.videos
        for suffix in (".mp4", ".webm", ".vtt", ".gif")
    }
    built = {}
    # The explorable page's title is the spec's (translated like every spec text).
    for lang, suffix, title in (("en", "", "Absolute loss"), ("de", ".de", "Absoluter Verlust")):
        scene = f"TinyAbsolute{suffix}"
        beats = [beat.id for beat in recorded.videos[scene].beats]
        built[lang] = plan_site(
            recorded,
            f"Tiny{suffix}",
            sizes,
            gif=True,
            lang=lang,
            handout=True,
            explore=(ExplorePage(scene, title, "absolute", "/* data */"),),
            descriptions={scene: {beats[0]: "θ stands at -3."}},
            formulas={scene: "<math><mi>r</mi></math>"},
            languages=(
                Language("en", "" if lang == "en" else "../", lang == "en"),
                Language("de", "de/" if lang == "en" else "", lang == "de"),
            ),
            descriptions_lang="en",
        )
    return built


def rendered(render_dir: Path) -> dict[str, dict[str, str]]:
    """Every HTML page of both sites, and the course page of each, by language and path."""
    out = {}
    for lang, site in sites(render_dir).items():
        html = {p: t for p, t in pages.render_pages(site).items() if p.endswith(".html")}
        title = "Course" if lang == "en" else "Kurs"  # the course spec's title
        html["course.html"] = pages.render_course_pages(title, [("tiny", site)])["index.html"]
        out[lang] = html
    return out


def pairs(both: dict[str, dict[str, str]]) -> list[tuple[str, str, str]]:
    """(English path, English page, German page) for each page both sites have."""
    out = []
    for path, english in both["en"].items():
        german = path.replace("TinyAbsolute.html", "TinyAbsolute.de.html").replace(
            "Tiny.html", "Tiny.de.html"
        )
        german = german.replace("TinyTitle.html", "TinyTitle.de.html")
        out.append((path, english, both["de"][german]))
    return out


@pytest.mark.slow  # one export (fake render, real WebM conversions): ~6 s
def test_german_pages_show_none_of_the_english_pages_own_words(exported):
    _, render_dir = exported
    both = rendered(render_dir)
    names = {path for path, _, _ in pairs(both)}
    # Every page template but the iframe snippet (a title only) is among them.
    assert {"index.html", "present.html", "speaker.html", "handout.html"} <= names
    assert "transcript.html" in names
    assert {"course.html", "embed/Tiny.html", "explore/TinyAbsolute.html"} <= names
    for path, english, german in pairs(both):
        assert left_in_english(english, german) == set(), path
        # Something to compare: the English page's own words are there to be translated.
        assert len(Wording(english).strings) > 5, path
    # A few by name, as a reader sees them.
    german = {path: Wording(text).strings for path, text in both["de"].items()}
    assert {"Kapitel", "Szene für Szene", "Transkript", "Handout als PDF"} <= german["index.html"]
    assert "Untertitel (WebVTT)" in german["index.html"]
    assert {"Vorheriger Schritt", "Nächster Schritt", "Vollbild"} <= german["present.html"]
    assert {"Jetzt:", "Als Nächstes:", "wartet auf present.html"} <= german["speaker.html"]
    assert {"Punkt hinzufügen", "Der absolute Verlust"} <= german["explore/TinyAbsolute.de.html"]
    # Descriptions only in English: the German button says so, in German, naming English.
    assert (
        'Audiodeskription (<span lang="en">English</span>; auf Deutsch noch nicht verfügbar)'
        in both["de"]["index.html"]
    )
    assert ">Audio description</button>" in both["en"]["index.html"].replace("\n", "")


@pytest.mark.slow  # shares the export above
def test_numbers_are_written_as_each_language_writes_them(exported):
    _, render_dir = exported
    both = rendered(render_dir)
    assert "1.2 MB" in Wording(both["en"]["index.html"]).strings
    assert "1,2 MB" in Wording(both["de"]["index.html"]).strings
    assert "1.2 MB" not in Wording(both["de"]["index.html"]).strings
    # Times stay clock times in both; the explorable page's script is told the decimal mark.
    assert Wording(both["de"]["explore/TinyAbsolute.de.html"]).script_text["decimal"] == ","
    assert Wording(both["en"]["explore/TinyAbsolute.html"]).script_text["decimal"] == "."
    assert pages.megabytes(1_234_567, "de") == "1,2 MB" and pages.megabytes(5_000, "de") == "5 kB"


@pytest.mark.slow  # shares the export above
def test_every_exported_page_says_its_language(exported):
    site, _ = exported
    found = sorted(site.rglob("*.html"))
    assert len(found) >= 10
    for path in found:
        page = Page(path.read_text(encoding="utf-8"))
        relative = path.relative_to(site).as_posix()
        assert page.lang == ("de" if relative.startswith("de/") else "en"), relative
    # Words in another language than the page's carry their own lang: each language's name in
    # the switch, the English descriptions' name on a German page.
    german = (site / "de" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../index.html" hreflang="en" lang="en">English</a>' in german
    english = (site / "index.html").read_text(encoding="utf-8")
    assert '<a href="de/index.html" hreflang="de" lang="de">Deutsch</a>' in english
    # The exported German pages: no English page word on them either (the real export path).
    for path in site.glob("*.html"):
        twin = site / "de" / path.name
        assert left_in_english(path.read_text("utf-8"), twin.read_text("utf-8")) == set(), path


@pytest.mark.slow  # shares the export above
def test_a_missing_catalogue_entry_leaves_english_that_the_check_names(exported, monkeypatch):
    _, render_dir = exported
    catalogue = polib.pofile(str(CATALOGUE))
    for entry in catalogue:
        if entry.msgid in ("Scene by scene", "Next beat", "Observation {number}"):
            entry.msgstr = ""  # not translated yet: gettext shows the English
    english = pages.translations("en")
    monkeypatch.setattr(
        pages, "translations", lambda lang: _gnu(catalogue) if lang == "de" else english
    )
    pages._environment.cache_clear()
    try:
        both = rendered(render_dir)
        left = {path: left_in_english(en, de) for path, en, de in pairs(both)}
    finally:
        pages._environment.cache_clear()
    assert left["index.html"] == {"Scene by scene"}
    assert left["present.html"] == {"Next beat"}
    assert left["explore/TinyAbsolute.html"] == {"Observation {number}"}
    assert incomplete(catalogue) == {"Scene by scene", "Next beat", "Observation {number}"}


def _gnu(catalogue: polib.POFile):
    import gettext
    import io

    return gettext.GNUTranslations(io.BytesIO(catalogue.to_binary()))


# --- the catalogue against the templates ------------------------------------------------------


def wanted() -> set[str]:
    """Every message the site translates: the templates' (Jinja2's extractor) and data's."""
    return set().union(*pages.template_messages().values()) | set(pages.DATA_MESSAGES)


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)s", text)) | set(re.findall(r"\{(\w+)\}", text))


def incomplete(catalogue: polib.POFile) -> set[str]:
    """The messages without a usable German entry: missing, empty, fuzzy or obsolete, or
    left as the English (outside :data:`SAME_IN_GERMAN`), or with other placeholders.
    """
    entries = {}
    for entry in catalogue:
        if entry.obsolete or entry.fuzzy:
            continue
        entries[entry.msgid] = (
            [entry.msgstr]
            if not entry.msgid_plural
            else [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
        )
        if entry.msgid_plural:
            entries[entry.msgid_plural] = entries[entry.msgid]
    bad = set()
    for message in wanted():
        german = entries.get(message)
        if not german or not all(german):
            bad.add(message)
            continue
        if any(text == message for text in german) and message not in SAME_IN_GERMAN:
            bad.add(message)
        if any(placeholders(text) != placeholders(message) - OMITTED for text in german):
            bad.add(message)
    return bad


def test_the_catalogue_translates_every_message_of_the_templates():
    catalogue = polib.pofile(str(CATALOGUE))
    assert catalogue.metadata["Language"] == "de"
    assert catalogue.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert incomplete(catalogue) == set()
    # Nothing in it that no page uses (an entry left over from a reworded template).
    used = {entry.msgid for entry in catalogue if not entry.obsolete}
    assert used - wanted() == set()
    # The extractor sees every kind of use: _(), {% trans %}, plurals, and a dict of them.
    found = pages.template_messages()
    assert "Scene by scene" in found["index.html"]
    plural = "A lecture in %(count)s scenes, %(time)s in all. Captions are on; switch them off"
    assert f"{plural} in the player." in found["index.html"]
    assert "Beat {number} of {count}" in found["_script_text.html"]


def test_a_template_string_without_an_entry_is_named():
    catalogue = polib.pofile(str(CATALOGUE))
    catalogue.remove(catalogue.find("Restart clock"))
    catalogue.find("Chapters").flags.append("fuzzy")
    catalogue.find("Beat {number} of {count}").msgstr = "Schritt {number} von {total}"
    assert incomplete(catalogue) == {"Restart clock", "Chapters", "Beat {number} of {count}"}


def test_a_new_template_string_is_found_by_the_extractor(monkeypatch):
    source = '<p>{{ _("Brand new words") }} {% trans %}More of them{% endtrans %}</p>'
    loader = jinja2.DictLoader({"new.html": source})
    monkeypatch.setattr(
        pages,
        "base_environment",
        lambda: jinja2.Environment(loader=loader, extensions=["jinja2.ext.i18n"]),
    )
    assert pages.template_messages() == {"new.html": {"Brand new words", "More of them"}}


def test_every_string_the_scripts_look_up_is_handed_to_them():
    """present.js and explore.js show only what the page's data-text gives them: each key
    they ask for is one the template writes (a missing one would show the key itself).
    """
    environment = pages._environment("de")
    module = environment.get_template("_script_text.html").module
    for script, macro in (("present.js", module.present_text), ("explore.js", module.explore_text)):
        attribute = str(macro())
        given = json.loads(re.fullmatch(r"\s*data-text='(.*)'\s*", attribute, re.S).group(1))
        source = asset("site", script).read_text(encoding="utf-8")
        asked = set(re.findall(r"\bwording\(\"(\w+)\"", source))
        assert asked, script
        assert asked <= set(given), (script, asked - set(given))
        # No English sentence left in the script itself to be shown as it is.
        assert not re.search(r"textContent = \"[A-Z][a-z]+ [a-z]", source), script
