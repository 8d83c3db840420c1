"""The transcript page and the descriptions tracks (spec-v3 section 16), from a recorded manifest:
no render, no browser (``tests/browser/test_transcript_in_chromium.py`` plays them).
"""

import importlib.util
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import CONFIG

from scenes.compute.resolve import load_resolved
from scenes.production.subtitles import vtt_stamp
from scenes.site import plan_site, render_pages
from scenes.site.model import DESCRIPTION_SECONDS
from scenes.site.transcript import formula_mathml, lecture_extras, safe_mathml

_fakes = importlib.util.spec_from_file_location(
    "export_fakes", Path(__file__).with_name("test_export_pages.py")
)
assert _fakes is not None and _fakes.loader is not None
fakes = importlib.util.module_from_spec(_fakes)
_fakes.loader.exec_module(fakes)
manifest_for = fakes.manifest_for

HOSTILE = '<script>alert("x")</script> & co'
SAID = "a < b & c --> d"
DESCRIBED = "θ at <b>0.5</b> & done"


class Page(HTMLParser):
    """A page's elements as (tag, attributes) and its text."""

    def __init__(self, text: str):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def all(self, tag: str) -> list[dict]:
        return [attrs for name, attrs in self.elements if name == tag]


@pytest.fixture(scope="module")
def pages():
    recorded = manifest_for(HOSTILE, SAID)
    formula = formula_mathml(r"\ell(r) = \tfrac{1}{2}\, r^2")
    site = plan_site(
        recorded,
        "L",
        {},
        gif=False,
        descriptions={"A": {"b1": DESCRIBED}, "B": {"nothing": "never played"}},
        formulas={"A": formula, "Z": "<math/>"},
    )
    return recorded, site, render_pages(site)


def test_descriptions_track_has_one_cue_at_the_end_of_each_described_beat(pages):
    recorded, site, files = pages
    (beat,) = recorded.videos["A"].beats
    start = max(beat.start, beat.end - DESCRIPTION_SECONDS)
    escaped = "θ at &lt;b&gt;0.5&lt;/b&gt; &amp; done"
    expected = f"WEBVTT\n\n{vtt_stamp(start)} --> {vtt_stamp(beat.end)}\n{escaped}\n"
    assert files["media/A.descriptions.vtt"] == expected
    # In the lecture, the same cue at the beat's lecture time (A plays first: the same here).
    lecture_beat = recorded.videos["L"].beats[0]
    assert files["media/L.descriptions.vtt"] == expected.replace(
        vtt_stamp(beat.end), vtt_stamp(lecture_beat.end)
    )
    # B has no described beat that it plays: no track.
    assert "media/B.descriptions.vtt" not in files
    for page in ("index.html", "embed/A.html", "transcript.html"):
        tracks = [t for t in Page(files[page]).all("track") if t.get("kind") == "descriptions"]
        assert tracks, page
        for track in tracks:
            assert track["srclang"] == "en" and track["src"].endswith(".descriptions.vtt")
            assert track["data-file-src"].startswith("data:text/vtt;charset=utf-8;base64,")
        buttons = [b for b in Page(files[page]).all("button") if "data-describes" in b]
        shown = "video-L" if page == "transcript.html" else "video-A"
        assert shown in {b["data-describes"] for b in buttons}, page
        assert all(b["aria-pressed"] == "false" for b in buttons)


def test_transcript_lists_every_cue_with_its_time_and_a_seek_link(pages):
    recorded, site, files = pages
    page = Page(files["transcript.html"])
    assert page.all("html")[0]["lang"] == site.lang == "en"
    links = [a for a in page.all("a") if "data-start" in a]
    cues = [cue for beat in recorded.videos["L"].beats for cue in beat.cues]
    assert len(links) == len(cues) > 0
    for link, cue in zip(links, cues, strict=True):
        assert link["data-video"] == "video-L"
        assert float(link["data-start"]) == pytest.approx(cue.start, abs=1e-3)
        assert float(link["data-end"]) == pytest.approx(cue.end, abs=1e-3)
        assert link["href"] == "#" + link["id"]
    # The formula as MathML, with its LaTeX as alttext; only for scenes of this lecture.
    maths = page.all("math")
    assert len(maths) == 1 and maths[0]["alttext"] == r"\ell(r) = \tfrac{1}{2}\, r^2"
    assert "<mfrac>" in files["transcript.html"]
    # Linked from the lecture page; no inline script or style; one h1 and a main landmark.
    assert "transcript.html" in [a.get("href") for a in Page(files["index.html"]).all("a")]
    assert [s.get("src") for s in page.all("script")] == ["site.js"]
    assert not page.all("style")
    assert not any(k == "style" or k.startswith("on") for _, a in page.elements for k in a)
    assert len(page.all("h1")) == 1 and len(page.all("main")) == 1


def test_hostile_title_narration_and_description_are_escaped(pages):
    _, _, files = pages
    for path, text in files.items():
        assert "<script>alert" not in text, path
        assert "<b>0.5" not in text, path
    transcript = files["transcript.html"]
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co" in transcript
    assert "a &lt; b &amp; c --&gt; d" in transcript


def test_a_formula_that_is_not_pure_mathml_is_shown_as_escaped_latex():
    hostile = r"\text{<script>alert(1)</script>} + x"
    shown = formula_mathml(hostile)
    assert "<script" not in shown and shown.startswith('<code class="formula">')
    assert not safe_mathml('<math><mi onclick="x">a</mi></math>')
    assert not safe_mathml('<math><a href="x">a</a></math>')
    assert safe_mathml('<math xmlns="http://www.w3.org/1998/Math/MathML"><mi>a</mi></math>')


def test_the_lecture_formulas_are_the_videos_latex_as_mathml():
    lecture = load_resolved(CONFIG / "lecture.yaml")
    descriptions, formulas = lecture_extras(lecture)
    loss_scenes = [s.scene for _, s in lecture.scenes if getattr(s, "kind", "loss") == "loss"]
    assert sorted(formulas) == sorted(loss_scenes)
    for name, mathml in formulas.items():
        assert mathml.startswith("<math alttext=") and safe_mathml(mathml), name
        assert "arrival" in descriptions[name]
    huber = formulas["HuberLoss"]
    assert re.search(r"<mi>&#x003B4;</mi>", huber)  # delta, as MathML, not as text
