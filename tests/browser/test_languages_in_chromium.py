"""The English and German copies of a lecture's site in Debian's Chromium (Playwright): the
language switch leads to the same page in the other language, ``<html lang>`` follows, every
player lists both languages' captions, and axe-core finds nothing on the German index.

The site is exported from the English+German lecture of ``tests/cli/test_languages.py`` with the
fake render of ``tests/site/test_export_pages.py`` (no Manim), with its handouts.
"""

import os
from pathlib import Path

import pytest
from helpers import ROOT
from site_server import serve

from tests.site.test_export_languages import export_both

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "tests" / "node" / "node_modules" / "axe-core" / "axe.min.js"
CSP = "default-src 'self'"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("languages-browser")
    site, _ = export_both(root)
    return root, site


@pytest.fixture(scope="module")
def browser():
    if os.environ.get("LOSS_SCENES_BROWSER") == "0":
        pytest.skip("browser tests disabled (LOSS_SCENES_BROWSER=0)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(site):
    root, _ = site
    with serve(root, headers={"Content-Security-Policy": CSP}) as base:
        yield base + "site/"


TRACKS = """(id) => Array.from(document.getElementById(id).textTracks)
  .filter((t) => t.kind === "captions").map((t) => [t.language, t.label])"""


def follow(page, lang: str, expected: str) -> None:
    """Follow the language switch's link to ``lang``, which must lead to ``expected``."""
    link = page.locator(f"nav.languages a[hreflang={lang}]")
    assert link.count() == 1 and link.is_visible()
    href = link.evaluate("(a) => a.href")
    assert href == expected, (href, expected)
    page.goto(href)


def test_the_switch_leads_to_the_same_page_and_html_lang_follows(site, browser, server):
    _, folder = site
    # Presenter, speaker notes, transcript and handout (page and PDF) in each language.
    for page in ("present.html", "speaker.html", "transcript.html", "handout.html"):
        assert (folder / page).is_file() and (folder / "de" / page).is_file()
    for pdf in (folder / "handout.pdf", folder / "de" / "handout.pdf"):
        assert pdf.read_bytes().startswith(b"%PDF-")
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    for start, lang in (("index.html", "en"), ("transcript.html", "en"), ("present.html", "en")):
        page.goto(server + start)
        assert page.evaluate("document.documentElement.lang") == lang
        # The switch is a plain link: where it leads (resolved as the browser resolves it),
        # followed. (A click on it under a loaded machine once waited 30 s for nothing.)
        follow(page, "de", server + f"de/{start}")
        assert page.evaluate("document.documentElement.lang") == "de"
        assert "Verlustfunktionen" in page.title()
        follow(page, "en", server + start)
        assert page.evaluate("document.documentElement.lang") == "en"
    # A scene's own player page, whose German copy has the German scene's name.
    page.goto(server + "embed/TinyAbsolute.html")
    follow(page, "de", server + "de/embed/TinyAbsolute.de.html")
    assert page.evaluate("document.documentElement.lang") == "de"
    # Both languages' captions on the German player, German first.
    assert page.evaluate(TRACKS, "video-TinyAbsolute.de") == [
        ["de", "Deutsch"],
        ["en", "English"],
    ]
    page.close()


RUN_AXE = """async () => {
  const result = await axe.run(document);
  return result.violations.map((v) => ({id: v.id, nodes: v.nodes.map((n) => n.target.join(" "))}));
}"""


def test_axe_finds_nothing_on_the_german_index(browser, server):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(server + "de/index.html")
    assert page.evaluate("document.documentElement.lang") == "de"
    page.evaluate(AXE.read_text(encoding="utf-8"))
    assert page.evaluate(RUN_AXE) == []
    page.close()
