"""The explorable pages as files (spec-v3 section 15): written for every loss scene, linked from
the lecture page and the presenter, no inline script or style, small, titles escaped.

The site is exported with the fake render of ``test_export_pages`` (no Manim);
``tests/browser/test_explore_in_chromium.py`` uses the pages, ``test_explore_parity.py`` checks
their maths.
"""

import gzip
import importlib.util
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import CONFIG

import scenes.production.run as run
from scenes.site import export_site, plan_site, render_pages
from scenes.site.model import ExplorePage
from scenes.spec import load_lecture

# The fake render and manifest of the export tests (tests import by path here, not by name).
_fakes = importlib.util.spec_from_file_location(
    "export_fakes", Path(__file__).with_name("test_export_pages.py")
)
assert _fakes is not None and _fakes.loader is not None
fakes = importlib.util.module_from_spec(_fakes)
_fakes.loader.exec_module(fakes)
fake_render, manifest_for = fakes.fake_render, fakes.manifest_for

LIMIT = 60_000  # bytes, gzipped, a page with everything it loads


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    patch = pytest.MonkeyPatch()
    patch.setattr(run, "render", fake_render)
    try:
        lecture = load_lecture(CONFIG / "lecture.yaml")
        folder = tmp_path_factory.mktemp("explore") / "site"
        export_site(lecture, folder, quality="low", handout=False)
    finally:
        patch.undo()
    loss_scenes = [s.scene for _, s in lecture.scenes if getattr(s, "kind", "loss") == "loss"]
    return folder, loss_scenes


class Inventory(HTMLParser):
    """Every script, style and link of a page, and anything inline."""

    def __init__(self):
        super().__init__()
        self.scripts: list[dict] = []
        self.styles: list[str] = []
        self.inline: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self.scripts.append(attributes)
        if tag == "style":
            self.inline.append("<style>")
        if tag == "link" and attributes.get("rel") == "stylesheet":
            self.styles.append(attributes["href"])
        if tag == "a" and "href" in attributes:
            self.links.append(attributes["href"])
        for name in attributes:
            if name == "style" or name.startswith("on"):
                self.inline.append(f"{tag} {name}")


def inventory(path: Path) -> Inventory:
    parser = Inventory()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.mark.slow  # one export (fake render, real WebM conversions): ~8 s
def test_every_loss_scene_has_a_page_linked_from_the_lecture_and_the_presenter(site):
    folder, names = site
    assert names == ["SquaredLoss", "AbsoluteLoss", "HuberLoss"]
    pages = sorted(p.name for p in (folder / "explore").iterdir())
    assert pages == sorted(f"{n}.{ext}" for n in names for ext in ("html", "js"))
    index_links = inventory(folder / "index.html").links
    present_links = inventory(folder / "present.html").links
    for name in names:
        assert f"explore/{name}.html" in index_links
        assert f"explore/{name}.html" in present_links
        # The page leads back to its scene on the lecture page.
        assert f"../index.html#scene-{name}" in inventory(folder / "explore" / f"{name}.html").links
    # Shown on the last beat only (present.js unhides it there).
    assert (
        '<nav class="explore-links" aria-label="Explore" hidden>'
        in (folder / "present.html").read_text()
    )


@pytest.mark.slow  # one export (fake render, real WebM conversions): ~8 s
def test_no_inline_script_or_style_and_every_script_is_a_file_of_the_site(site):
    folder, names = site
    for name in names:
        page = folder / "explore" / f"{name}.html"
        found = inventory(page)
        assert found.inline == [], name
        sources = [script.get("src") for script in found.scripts]
        assert None not in sources, f"{name}: a script without src runs inline"
        for source in [*sources, *found.styles]:
            assert not re.match(r"(https?:)?//|/", source), source
            assert (page.parent / source).is_file(), source
        for source in sources:
            text = (page.parent / source).read_text()
            assert not re.search(r"\beval\(|new Function|setAttribute\(\s*[\"']style", text)
            assert not re.search(r"https?://", text), source


@pytest.mark.slow  # one export (fake render, real WebM conversions): ~8 s
def test_each_page_with_its_scripts_and_styles_is_under_60_kb_gzipped(site):
    folder, names = site
    for name in names:
        page = folder / "explore" / f"{name}.html"
        found = inventory(page)
        files = [page] + [page.parent / s["src"] for s in found.scripts]
        files += [page.parent / href for href in found.styles]
        size = sum(len(gzip.compress(path.read_bytes(), 9)) for path in files)
        print(f"{name}: {size} bytes gzipped ({len(files)} files)")
        assert size <= LIMIT, (name, size)


def test_a_hostile_title_is_escaped():
    hostile = '<script>alert("x")</script> & co'
    recorded = manifest_for(hostile, "Narration.")
    page = ExplorePage(name="A", title=hostile, words="squared", script="/* data */")
    pages = render_pages(plan_site(recorded, "L", {}, gif=False, handout=True, explore=(page,)))
    assert pages["explore/A.js"] == "/* data */"
    for path in ("explore/A.html", "index.html", "present.html"):
        assert "<script>alert" not in pages[path], path
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co" in pages[path], path
    # A page for a scene the lecture does not have is not written.
    other = ExplorePage(name="Z", title="Z", words="squared", script="")
    pages = render_pages(plan_site(recorded, "L", {}, gif=False, explore=(other,)))
    assert not any(path.startswith("explore") for path in pages)


@pytest.mark.parametrize(
    "loss",
    [
        {"name": "huber", "delta": 1.0},
        {"name": "pseudo_huber", "delta": 1.0},
        {"name": "tukey", "c": 4.685},
        {"name": "trimmed", "c": 2.0},
        {"name": "quantile", "tau": 0.5},
        {"name": "epsilon_insensitive", "epsilon": 0.5},
    ],
)
def test_the_pages_parameter_rules_are_the_specs(loss):
    """A page refuses a link's parameter by the bounds it is given (parameter_bounds); they are
    read from the spec's own fields, so a value just inside passes the spec's validation, one
    just outside fails it (issue 19 review: #delta=-1 gave theta = -13783)."""
    import json

    from scenes.compute.resolve import parse_resolved
    from scenes.site.explore import parameter_bounds
    from scenes.spec.errors import SpecError

    def accepts(value: float) -> bool:
        doc = {"scene": "X", "loss": {**loss, name: value}, "observations": {"values": [0, 1, 5]}}
        try:
            parse_resolved(json.dumps(doc))
        except SpecError:
            return False
        return True

    spec = parse_resolved(json.dumps({"scene": "X", "loss": loss, "observations": {"values": [0]}}))
    (name, bounds), *_ = parameter_bounds(spec.loss).items()
    low = bounds["min"]
    assert low is not None
    tiny = 1e-9
    assert accepts(low + tiny) and not accepts(low - tiny)
    assert accepts(low) != bounds["minOpen"]
    if bounds["max"] < 1e14:
        high = bounds["max"]
        assert accepts(high - tiny) and not accepts(high + tiny)
        assert accepts(high) != bounds["maxOpen"]
