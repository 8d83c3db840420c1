"""Update time of an explorable page per drag event, in Chromium, at 8 and at 1,000 points.

Usage: ``.venv/bin/python benchmarks/explore.py SITE [SCENE]`` with SITE a folder written by
``loss-scenes export`` (SCENE defaults to HuberLoss). The page is opened from ``file://`` with
its observations in the fragment; a point is dragged with the mouse across the line in 120 moves,
and each move is timed in the page: the synchronous update (``performance.now()`` around
``update``, kept in ``LossScenesExplorePage.timings``) and the time from the event to the next
painted frame. 60 updates a second needs both under 16.7 ms.
"""

import statistics
import sys
from pathlib import Path

import numpy as np
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"


def measure(page, url: str, n: int) -> dict[str, float]:
    rng = np.random.default_rng(0)
    y = np.round(rng.normal(0, 1.5, n), 3)
    y[0] = 6.0
    page.goto(f"{url}#y={','.join(map(str, y))}")
    page.wait_for_function("window.LossScenesExplorePage !== undefined")
    handle = page.locator('[data-observation="0"]')
    box = handle.bounding_box()
    x0, y0 = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.evaluate(
        """() => {
        const page = window.LossScenesExplorePage; page.timings.length = 0;
        window.frameLags = [];
        document.addEventListener('pointermove', (e) => {
          const t = performance.now();
          const painted = () => frameLags.push(performance.now() - t);
          requestAnimationFrame(() => requestAnimationFrame(painted));
        }, {capture: true});
      }"""
    )
    page.mouse.move(x0, y0)
    page.mouse.down()
    for step in range(120):
        page.mouse.move(x0 - 4 * step, y0)
        page.wait_for_timeout(16)
    page.mouse.up()
    page.wait_for_timeout(600)
    timings = page.evaluate("Array.from(window.LossScenesExplorePage.timings)")
    lags = page.evaluate("Array.from(window.frameLags)")
    return {
        "updates": len(timings),
        "update_median_ms": statistics.median(timings),
        "update_p95_ms": float(np.percentile(timings, 95)),
        "update_max_ms": max(timings),
        "event_to_paint_median_ms": statistics.median(lags),
    }


def main() -> None:
    site = Path(sys.argv[1]).resolve()
    scene = sys.argv[2] if len(sys.argv) > 2 else "HuberLoss"
    url = (site / "explore" / f"{scene}.html").as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        for n in (8, 1000):
            figures = measure(page, url, n)
            print(f"{scene}, {n} points: " + ", ".join(f"{k} {v:.2f}" for k, v in figures.items()))
        browser.close()


if __name__ == "__main__":
    main()
