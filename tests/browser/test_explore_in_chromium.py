"""The explorable pages in Debian's Chromium (Playwright), from 127.0.0.1 under
``Content-Security-Policy: default-src 'self'`` and from ``file://``: drag a point with the
mouse, move one with the keyboard, compare the outputs with Python's maths, follow the
fragment, open a shared link, run axe-core; no console errors. The site is exported with the
fake render of ``tests/site/test_export_pages.py`` (no Manim).
"""

import importlib.util
import os
from pathlib import Path

import numpy as np
import pytest
from helpers import CONFIG, ROOT
from site_server import serve

import scenes.production.run as run
from scenes import maths
from scenes.compute.resolve import parse_resolved
from scenes.site import export_site
from scenes.spec import load_lecture

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "tests" / "node" / "node_modules" / "axe-core" / "axe.min.js"
CSP = "default-src 'self'"
SCENE = "HuberLoss"

_fakes = importlib.util.spec_from_file_location(
    "export_fakes", ROOT / "tests" / "site" / "test_export_pages.py"
)
assert _fakes is not None and _fakes.loader is not None
fakes = importlib.util.module_from_spec(_fakes)
_fakes.loader.exec_module(fakes)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    patch = pytest.MonkeyPatch()
    patch.setattr(run, "render", fakes.fake_render)
    try:
        folder = tmp_path_factory.mktemp("explore") / "site"
        export_site(load_lecture(CONFIG / "lecture.yaml"), folder, quality="low", handout=False)
    finally:
        patch.undo()
    return folder


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


def python_estimates(y: list[float], delta: float, steps: int, start: float) -> dict:
    """What compute gives for these observations: the scene's descent and the references."""
    doc = {
        "scene": "X",
        "loss": {"name": "huber", "delta": delta},
        "observations": {"values": y},
        "estimate": {"steps": steps, "start": start},
    }
    spec = parse_resolved(__import__("json").dumps(doc))
    loss = maths.make_loss("huber", {"delta": delta})
    huber = maths.huber_location(np.asarray(y), delta).value
    return {
        "mean": maths.mean(np.asarray(y)).value,
        "median": maths.median(np.asarray(y)).value,
        "huber": huber,
        "trimmed": maths.trimmed_mean(np.asarray(y), huber, delta),
        "scene": maths.descend(loss, np.asarray(y), spec.estimate.start, steps).estimate,
    }


def outputs(page) -> dict[str, float]:
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('output[name^="estimate-"]')]
          .map((o) => [o.getAttribute('name').slice(9), Number(o.dataset.value)]))"""
    )


def fragment_y(page) -> list[float]:
    hash_ = page.evaluate("location.hash")
    fields = dict(part.split("=", 1) for part in hash_[1:].split("&"))
    return [float(v) for v in fields["y"].split(",")]


def check_against_python(page, delta: float = 1.0) -> None:
    y = fragment_y(page)
    shown = outputs(page)
    expected = python_estimates(y, delta, 100, -4.0)
    spread = max(y) - min(y)
    for key, value in expected.items():
        assert abs(shown[key] - value) <= 1e-9 * spread, (key, shown[key], value)


@pytest.mark.parametrize("origin", ["http", "file"])
def test_drag_keyboard_fragment_and_axe(site, browser, origin):
    errors: list[str] = []
    with serve(site, headers={"Content-Security-Policy": CSP}) as base:
        url = (
            f"{base}explore/{SCENE}.html"
            if origin == "http"
            else (site / "explore" / f"{SCENE}.html").as_uri()
        )
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url)
        page.wait_for_function("window.LossScenesExplorePage !== undefined")
        assert fragment_y(page) == [-1.8, -0.6, -0.2, 0.1, 0.4, 0.9, 1.3, 6.0]
        check_against_python(page)

        # Drag the outlier (6) to the left with the mouse: the mean follows, Huber barely.
        before = outputs(page)
        outlier = page.locator('[data-observation="7"]')
        assert outlier.get_attribute("role") == "slider"
        box = outlier.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        for step in range(1, 11):
            page.mouse.move(x - 20 * step, y)
        page.mouse.up()
        page.wait_for_timeout(700)
        moved = fragment_y(page)[7]
        assert moved < 5.0
        assert float(outlier.get_attribute("aria-valuenow")) == moved
        after = outputs(page)
        assert before["mean"] - after["mean"] == pytest.approx((6.0 - moved) / 8, rel=1e-9)
        assert abs(after["huber"] - before["huber"]) < abs(after["mean"] - before["mean"])
        check_against_python(page)
        # Announced once the move has ended.
        assert "mean" in page.locator("#announce").text_content()

        # The keyboard: focus the first point, Right moves it by 0.1, Shift+Right by 1.
        first = page.locator('[data-observation="0"]')
        first.focus()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Shift+ArrowRight")
        page.wait_for_timeout(100)
        assert fragment_y(page)[0] == pytest.approx(-1.8 + 1.1, abs=1e-12)
        assert float(first.get_attribute("aria-valuenow")) == fragment_y(page)[0]
        check_against_python(page)
        # Add a point with A, remove it with Delete.
        page.keyboard.press("a")
        page.wait_for_timeout(50)
        assert len(fragment_y(page)) == 9
        page.keyboard.press("Delete")
        page.wait_for_timeout(50)
        assert len(fragment_y(page)) == 8

        # A shared link opens in that state, parameters included.
        shared = "#y=-2,-1,0,1,2,30&delta=0.5"
        page.goto(url.split("#")[0] + shared)
        page.wait_for_function("window.LossScenesExplorePage !== undefined")
        assert page.evaluate("location.hash") == shared
        assert page.locator("#slider-delta").input_value() == "0.5"
        check_against_python(page, delta=0.5)

        # The page itself logged nothing (axe, run next, reads the style sheets itself, which
        # file:// refuses to a script: its own messages are not the page's).
        assert errors == []
        page.evaluate(AXE.read_text(encoding="utf-8"))
        result = page.evaluate(
            """async () => { const r = await axe.run(document);
               return {passes: r.passes.length, violations: r.violations.map((v) => v.id)}; }"""
        )
        print(f"axe ({origin}): {result}")
        assert result["violations"] == []
        page.close()


def open_page(browser, base: str, fragment: str = "", width: int = 1280):
    page = browser.new_page(viewport={"width": width, "height": 720})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}explore/{SCENE}.html{fragment}")  # waits for "load": deferred scripts ran
    assert page.evaluate("window.LossScenesExplorePage !== undefined")
    return page, errors


def centre(page, index: int) -> tuple[float, float]:
    box = page.locator(f'[data-observation="{index}"]').bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def relative_luminance(rgb: tuple[float, ...]) -> float:
    """WCAG 2's relative luminance of an sRGB colour (0-255 channels)."""
    linear = [
        c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_a_held_drag_past_the_end_takes_a_point_far_out_and_the_view_comes_back(site, browser):
    """Issue 19 review: the pointer could not take the outlier past the line's end (6.44), so
    the mean hardly moved. Held at the end, the view widens and the point goes on; released, the
    view fits the points again; dragged back in, it shrinks back."""
    with serve(site, headers={"Content-Security-Policy": CSP}) as base:
        page, errors = open_page(browser, base)
        view = page.evaluate("window.LossScenesExplorePage.state.view.slice()")
        before = outputs(page)
        x, y = centre(page, 7)
        edge = page.evaluate("document.getElementById('line').getBoundingClientRect().right")
        page.mouse.move(x, y)
        page.mouse.down()
        for step in range(1, 6):
            page.mouse.move(x + (edge + 30 - x) * step / 5, y)
        page.wait_for_timeout(1200)  # held past the end
        page.mouse.up()
        page.wait_for_timeout(600)
        far = fragment_y(page)[7]
        assert far > 3 * view[1], (far, view)
        after = outputs(page)
        # The lesson: the mean follows the outlier, Huber's estimate does not move at all.
        assert after["mean"] - before["mean"] == pytest.approx((far - 6.0) / 8, rel=1e-9)
        assert after["huber"] == pytest.approx(before["huber"], abs=1e-12)
        check_against_python(page)
        wide = page.evaluate("window.LossScenesExplorePage.state.view.slice()")
        assert wide[1] >= far and wide[1] < far * 1.1  # fits the points, not more
        # Dragged back in and let go, again: the view fits the points each time, and is the
        # video's again once the point is back.
        for _ in range(4):
            x, y = centre(page, 7)
            page.mouse.move(x, y)
            page.mouse.down()
            target = page.evaluate(
                "(() => { const b = document.getElementById('line').getBoundingClientRect();"
                " return b.left + 0.3 * b.width; })()"
            )
            for step in range(1, 6):
                page.mouse.move(x + (target - x) * step / 5, y)
            page.mouse.up()
            page.wait_for_timeout(100)
            ys = fragment_y(page)
            shown = page.evaluate("window.LossScenesExplorePage.state.view.slice()")
            assert shown[1] == pytest.approx(
                max(view[1], max(ys) + 0.04 * (max(ys) - min(view[0], min(ys))))
            )
            if max(ys) <= view[1]:
                break
        assert page.evaluate("window.LossScenesExplorePage.state.view.slice()") == view
        assert errors == []
        page.close()


def test_a_link_with_parameters_outside_the_spec_is_refused_with_a_note(site, browser):
    with serve(site, headers={"Content-Security-Policy": CSP}) as base:
        for bad in ("-1", "0", "x"):
            page, errors = open_page(browser, base, f"#y=-2,-1,0,1,2,30&delta={bad}")
            note = page.locator("#fragment-note")
            assert note.is_visible()
            assert f"δ = {bad}" in note.text_content() and "δ" in note.text_content()
            # The scene's delta is used (and written back to the link), the data are the link's.
            assert page.locator("#slider-delta").input_value() == "1"
            assert page.evaluate("location.hash") == "#y=-2,-1,0,1,2,30&delta=1"
            check_against_python(page, delta=1.0)
            assert errors == []
            page.close()
        page, _ = open_page(browser, base, "#y=-2,-1,0,1,2,30&delta=0.5")
        assert not page.locator("#fragment-note").is_visible()
        page.close()
        # A flat-bottomed Huber loss (no point within delta of the middle): its interval of
        # minimisers is shown, as the median's is, and its label names its delta.
        y = [-2.0, -1.0, 0.0, 1.0, 3.0, 6.0]
        page, _ = open_page(browser, base, f"#y={','.join(map(str, y))}&delta=0.37")
        expected = maths.huber_location(np.asarray(y), 0.37)
        assert expected.lo < expected.hi
        shown = page.locator("#huber-interval").text_content()
        assert shown == f"any of {expected.lo:.4g} to {expected.hi:.4g}"
        assert page.locator('[data-label="huber"]').text_content() == "Huber estimate (δ = 0.37)"
        page.close()


def test_on_a_phone_every_point_has_its_own_target(site, browser):
    """Issue 19 review: at 390 px six of eight points overlapped, and a tap on one grabbed the
    next. Close points stand in rows, so the centre of each is that point's own, even with one
    point far away; the stage still scrolls with a finger outside the points; axe is clean."""
    with serve(site, headers={"Content-Security-Policy": CSP}) as base:
        for fragment in ("", "#y=-1.8,-0.6,-0.2,0.1,0.4,0.9,1.3,60&delta=1"):
            page, errors = open_page(browser, base, fragment, width=390)
            n = len(fragment_y(page))
            for index in range(n):
                x, y = centre(page, index)
                hit = page.evaluate(
                    f"document.elementFromPoint({x}, {y}).closest('[data-observation]')"
                    "?.dataset.observation"
                )
                assert hit == str(index), (fragment, index, hit)
                box = page.locator(f'[data-observation="{index}"]').bounding_box()
                assert box["width"] >= 24 and box["height"] >= 24
            touch = page.evaluate(
                "[getComputedStyle(document.getElementById('line')).touchAction,"
                " getComputedStyle(document.querySelector('.observation')).touchAction]"
            )
            assert touch == ["auto", "none"]
            assert errors == []
            page.close()
        page, _ = open_page(browser, base, width=390)
        page.evaluate(AXE.read_text(encoding="utf-8"))
        violations = page.evaluate(
            "async () => (await axe.run(document)).violations.map((v) => v.id)"
        )
        assert violations == []
        page.close()


def test_one_tab_stop_for_the_points_and_readable_estimates(site, browser):
    """The points are one Tab stop (a roving tabindex: Home, End, [ and ] move inside), and
    every estimate's text stands at least 4.5:1 against its panel (WCAG AA)."""
    with serve(site, headers={"Content-Security-Policy": CSP}) as base:
        page, errors = open_page(browser, base)
        stops = page.evaluate(
            "[...document.querySelectorAll('[data-observation]')].filter((e) => e.tabIndex >= 0)"
            ".map((e) => e.dataset.observation)"
        )
        assert stops == ["0"]
        page.locator('[data-observation="0"]').focus()
        page.keyboard.press("End")
        assert page.evaluate("document.activeElement.dataset.observation") == "7"
        page.keyboard.press("[")
        assert page.evaluate("document.activeElement.dataset.observation") == "6"
        page.keyboard.press("Home")
        assert page.evaluate("document.activeElement.dataset.observation") == "0"
        # Tab leaves the group at once, to the buttons.
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "add-point"
        colours = page.evaluate(
            """() => [...document.querySelectorAll('output[name^="estimate-"], .estimate dt')]
              .map((e) => [getComputedStyle(e).color,
                           getComputedStyle(e.closest('.estimate')).backgroundColor])"""
        )
        for text, ground in colours:
            fg = tuple(float(v) for v in text[text.index("(") + 1 : -1].split(",")[:3])
            bg = tuple(float(v) for v in ground[ground.index("(") + 1 : -1].split(",")[:3])
            light, dark = sorted([relative_luminance(fg), relative_luminance(bg)], reverse=True)
            assert (light + 0.05) / (dark + 0.05) >= 4.5, (text, ground)
        assert errors == []
        page.close()


def test_presenter_under_a_policy_without_blob_media_logs_no_error(site, browser):
    """No byte ranges, and a policy (``default-src 'self'``) that forbids blob: media: the
    presenter knows before it tries to play a copy from memory (the browser would log the
    refusal as an error), says that steps play forward only, and logs nothing."""
    with serve(site, ranges=False, headers={"Content-Security-Policy": CSP}) as base:
        page = browser.new_page(viewport={"width": 960, "height": 600})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{base}present.html#2")
        status = "document.querySelector('.status').textContent"
        for _ in range(150):
            if "forward only" in page.evaluate(status):
                break
            page.wait_for_timeout(100)
        assert "forward only" in page.evaluate(status)
        assert not page.evaluate(
            "document.getElementById('presenter-video').src.startsWith('blob:')"
        )
        assert errors == []
        page.close()
