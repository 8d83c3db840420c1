"""A lecture's site in English and German (spec-v3 section 16), with the fake render of
``test_export_pages``: a copy of the site per language, a switch on every page that leads to
the same page in the other language, ``<html lang>``, and each language's captions on every
player (the other language's laid on this video's beats).
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import scenes.production.run as run
from scenes.cli import main
from scenes.production import manifest
from scenes.production.subtitles import parse_srt
from tests.cli.test_languages import translate_all, write_lecture
from tests.site.test_export_pages import fake_render


class Page(HTMLParser):
    """The bits of a page this test reads: <html lang>, the switch's links, the tracks."""

    def __init__(self, text: str):
        super().__init__()
        self.lang = None
        self.switch: list[tuple[str, str]] = []  # (hreflang, href)
        self.current: list[str] = []
        self.tracks: list[dict[str, str]] = []
        self._in_switch = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "nav" and "languages" in a.get("class", ""):
            self._in_switch = True
        elif tag == "a" and self._in_switch:
            self.switch.append((a["hreflang"], a["href"]))
        elif tag == "span" and self._in_switch and "aria-current" in a:
            self.current.append(a["lang"])
        elif tag == "track":
            self.tracks.append(a)

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_switch = False


def export_both(folder: Path, *options: str) -> tuple[Path, Path]:
    """The Tiny lecture translated into German and exported (fake render) into ``folder``."""
    write_lecture(folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(run, "render", fake_render)
        patch.chdir(folder)
        assert main(["translate", "lecture.yaml", "--lang", "de"]) == 0
        translate_all(folder / "locale" / "de.po")
        render_dir = folder / "render"
        argv = ["export", "lecture.yaml", "-o", "site", "--render-dir", str(render_dir)]
        assert main([*argv, *options]) == 0
    return folder / "site", render_dir


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    # No handout here: printing it takes a browser (tests/browser/test_languages_in_chromium.py
    # exports with it).
    return export_both(tmp_path_factory.mktemp("languages"), "--no-handout")


def test_every_page_switches_to_the_same_page_in_the_other_language(exported):
    site, _ = exported
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    german = [p for p in pages if p.startswith("de/")]
    english = [p for p in pages if not p.startswith("de/")]
    # Presenter, speaker notes, handout, transcript and players in both languages.
    for page in ("index.html", "present.html", "speaker.html", "transcript.html"):
        assert page in english and f"de/{page}" in german
    assert "de/embed/TinyAbsolute.de.html" in german
    assert len(german) == len(english)
    for page in pages:
        parsed = Page((site / page).read_text(encoding="utf-8"))
        lang = "de" if page.startswith("de/") else "en"
        assert parsed.lang == lang, page
        assert parsed.current == [lang], page
        ((other, href),) = parsed.switch
        assert other == ("en" if lang == "de" else "de")
        target = (site / page).parent / href
        assert target.is_file(), (page, href)
        # The same page: the switch of the page it leads to leads back here.
        back = Page(target.read_text(encoding="utf-8")).switch[0][1]
        assert (target.parent / back).resolve() == (site / page).resolve(), (page, href, back)


def test_players_carry_each_languages_captions_laid_on_their_own_beats(exported):
    site, render_dir = exported
    for page, own, other, path in (
        ("index.html", "en", "de", "media/Tiny.captions.de.vtt"),
        ("de/index.html", "de", "en", "media/Tiny.de.captions.en.vtt"),
    ):
        tracks = Page((site / page).read_text(encoding="utf-8")).tracks
        captions = [t for t in tracks if t["kind"] == "captions"]
        # Every player: its own language first (on by default), then the other one.
        assert captions[0]["srclang"] == own and "default" in captions[0]
        assert {t["srclang"] for t in captions} == {"en", "de"}
        lecture = next(t for t in captions if t["src"].endswith(path))
        assert lecture["srclang"] == other and lecture["label"] in ("English", "Deutsch")
    # The German lecture's captions on the English video: each line inside the English beat of
    # the same scene and beat id, in the order the German render says them.
    recorded = manifest.read(render_dir)
    english, german = recorded.videos["Tiny"], recorded.videos["Tiny.de"]
    text = (site / "media" / "Tiny.captions.de.vtt").read_text(encoding="utf-8")
    cues = parse_srt(re.sub(r"(\d\d:\d\d:\d\d)\.(\d\d\d)", r"\1,\2", text.split("\n\n", 1)[1]))

    def words(text: str) -> str:  # captions are wrapped into lines
        return " ".join(text.split())

    said = [words(c.text) for beat in german.beats for c in beat.cues]
    assert [words(c.text) for c in cues] == said and "Verlustfunktionen." in said
    spans = {(b.scene, b.id): (b.start, b.end) for b in english.beats}
    for beat in german.beats:
        start, end = spans[(beat.scene.removesuffix(".de"), beat.id)]
        for cue in beat.cues:
            (match,) = [c for c in cues if words(c.text) == words(cue.text)]
            assert start - 1e-3 <= match.start <= match.end <= end + 1e-3


def test_another_languages_captions_keep_their_place_within_each_beat():
    from scenes.site.model import on_beats

    def video(name: str, spans: list[tuple[float, float]], cues: list[list[tuple]]):
        beats = [
            manifest.Beat(
                scene=name,
                id=f"b{k}",
                start=a,
                end=b,
                text="",
                cues=[manifest.Cue(start=s, end=e, text=t) for s, e, t in said],
            )
            for k, ((a, b), said) in enumerate(zip(spans, cues, strict=True))
        ]
        return manifest.RenderedVideo(name=name, kind="scene", beats=beats)

    english = video("S", [(0.0, 2.0), (2.0, 3.0)], [[], []])
    # German speech is longer: beat 0 lasts 4 s, beat 1 2 s.
    german = video("S.de", [(0.0, 4.0), (4.0, 6.0)], [[(1.0, 3.0, "eins")], [(4.0, 6.0, "zwei")]])
    laid = on_beats(english, german)
    # 1..3 of 0..4 is a quarter to three quarters of the beat: 0.5..1.5 of 0..2.
    assert [(c.start, c.end, c.text) for c in laid] == [(0.5, 1.5, "eins"), (2.0, 3.0, "zwei")]


def test_the_course_page_lists_each_lectures_languages(exported):
    from scenes.site.model import Language, plan_site
    from scenes.site.pages import render_course_pages

    site, render_dir = exported
    switch = (Language("en", "", current=True), Language("de", "de/"))
    planned = plan_site(manifest.read(render_dir), "Tiny", {}, gif=False, languages=switch)
    text = render_course_pages("A course", [("Tiny", planned)])["index.html"]
    links = re.findall(r'<a href="([^"]+)" hreflang="(\w+)" lang="\w+">(\w+)</a>', text)
    assert links == [
        ("Tiny/index.html", "en", "English"),
        ("Tiny/de/index.html", "de", "Deutsch"),
    ]
    # Each leads to that language's index of the lecture's folder (here: ``site``).
    for href, lang, _ in links:
        index = site / href.removeprefix("Tiny/")
        assert Page(index.read_text(encoding="utf-8")).lang == lang
