"""``loss-scenes export``, checked in a real browser: Debian's Chromium, headless, via Playwright.

The site is exported once (fast timings, low quality, with GIFs), served from 127.0.0.1 under a
sub-path and also opened from ``file://``. Marked ``slow``: it renders the lecture with Manim.
Screenshots go to ``test-artifacts/``.
"""

import base64
import json
import os
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import av
import pytest
from helpers import CONFIG, ROOT, fast_copy, loss_lecture, run_cli
from site_server import serve

from scenes.production.video import mp4_boxes
from scenes.spec import load_scene

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "tests" / "node" / "node_modules" / "axe-core" / "axe.min.js"  # scripts/install.sh
ARTIFACTS = ROOT / "test-artifacts"
SCENES = ("SquaredLoss", "AbsoluteLoss", "HuberLoss")
LECTURE = "LossFunctions"
# One short line per scene, said in its loss beat: the captions, transcript, speaker notes and
# handout all have narration of their own to show.
SAID = {
    "l2.yaml": "Squares pull towards the mean.",
    "l1.yaml": "Absolute values pick the median.",
    "huber.yaml": "Huber mixes both, and stays calm.",
}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The default lecture with short timings, exported to ``course/week-1/site``."""
    root = tmp_path_factory.mktemp("export")
    specs = root / "specs"
    specs.mkdir()
    for name in ("l2.yaml", "l1.yaml", "huber.yaml"):
        copy = fast_copy(CONFIG / name, specs)
        text = copy.read_text()
        assert 'hold: "Done."' in text
        copy.write_text(text.replace('hold: "Done."', f'loss: "{SAID[name]}", hold: "Done."'))
    loss_lecture(specs)
    site = root / "course" / "week-1" / "site"
    result = run_cli(
        "export",
        str(specs / "lecture.yaml"),
        "-q",
        "low",
        "--gif",
        "-o",
        str(site),
        "--render-dir",
        str(root / "videos"),
    )
    assert result.returncode == 0, result.stderr
    narration = {}
    for name in ("l2.yaml", "l1.yaml", "huber.yaml"):
        spec = load_scene(specs / name)
        narration[spec.scene] = [
            text
            for text in (
                spec.narration.loss,
                spec.narration.density,
                spec.narration.derivative,
                spec.narration.estimate,
            )
            if text
        ]
    return root, site, result, narration


def media_duration(path: Path) -> float:
    with av.open(str(path)) as container:
        return container.duration / 1e6


@pytest.fixture(scope="module")
def browser():
    if os.environ.get("LOSS_SCENES_BROWSER") == "0":
        pytest.skip("browser tests disabled (LOSS_SCENES_BROWSER=0)")
    assert CHROMIUM.exists(), "Chromium is missing: run scripts/install.sh"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--autoplay-policy=no-user-gesture-required",
            ],
        )
        yield browser
        browser.close()


class Recorder:
    """Every request, failed response and console error of one page."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.failures: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("requestfailed", self._failed)
        page.on(
            "response",
            lambda response: (
                response.status >= 400
                and self.failures.append(f"{response.url}: HTTP {response.status}")
            ),
        )
        self.warnings: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(message.text)
        elif message.type == "warning":
            self.warnings.append(message.text)

    def _failed(self, request) -> None:
        # Chromium's media loader cancels its own range requests once it has what it needs
        # (metadata with preload="metadata", or a new range after a seek): not a failure.
        if request.failure == "net::ERR_ABORTED" and request.url.endswith((".mp4", ".webm")):
            return
        self.failures.append(f"{request.url}: {request.failure}")

    def check(self, base: str) -> None:
        outside = [url for url in self.requests if not url.startswith(base)]
        assert not outside, f"requests outside the site folder: {outside}"
        assert not self.failures, f"failed requests: {self.failures}"
        assert not self.errors, f"console errors: {self.errors}"


# Waits for metadata and for every text track the page asks for, then reports what the browser
# sees. Chapters tracks are off by default (so not loaded); they are switched to "hidden".
INSPECT_VIDEOS = """
async () => {
  const timeout = (ms, what) => new Promise((_, fail) =>
    setTimeout(() => fail(new Error("timed out: " + what)), ms));
  const once = (target, event) => new Promise((ok, fail) => {
    target.addEventListener(event, ok, {once: true});
    target.addEventListener("error", () => fail(new Error(event + " failed: " + target.src)),
                            {once: true});
  });
  const results = [];
  for (const video of document.querySelectorAll("video")) {
    if (video.readyState < 1) {
      await Promise.race([once(video, "loadedmetadata"), timeout(15000, video.id)]);
    }
    const tracks = {};
    for (const element of video.querySelectorAll("track")) {
      if (element.track.mode === "disabled") element.track.mode = "hidden";
      if (element.readyState !== 2) {
        await Promise.race([once(element, "load"), timeout(15000, element.src)]);
      }
      tracks[element.kind] = {
        src: element.src,
        mode: element.track.mode,
        srclang: element.srclang,
        isDefault: element.default,
        cues: Array.from(element.track.cues,
                         (cue) => ({start: cue.startTime, end: cue.endTime, text: cue.text})),
      };
    }
    const poster = new Image();
    poster.src = video.poster;
    await Promise.race([poster.decode(), timeout(15000, video.poster)]);
    results.push({
      id: video.id, duration: video.duration, currentSrc: video.currentSrc,
      videoWidth: video.videoWidth, videoHeight: video.videoHeight,
      poster: video.poster, posterSize: [poster.naturalWidth, poster.naturalHeight],
      controls: video.controls, label: video.getAttribute("aria-label"), tracks,
    });
  }
  return results;
}
"""

PLAY_ALL = """
async () => {
  const advanced = {};
  for (const video of document.querySelectorAll("video")) {
    video.muted = true;
    const before = video.currentTime;
    await video.play();
    const start = performance.now();
    while (video.currentTime <= before + 0.2 && performance.now() - start < 10000) {
      await new Promise((ok) => setTimeout(ok, 50));
    }
    video.pause();
    advanced[video.id] = video.currentTime - before;
  }
  return advanced;
}
"""


def site_urls(site: Path, root: Path, base_http: str) -> dict[str, str]:
    relative = site.relative_to(root).as_posix()
    return {"http": f"{base_http}{relative}/", "file": site.as_uri() + "/"}


@pytest.fixture(scope="module")
def server(exported):
    root, _, _, _ = exported
    with serve(root) as base:
        yield base


@pytest.mark.parametrize("origin", ["http", "file"])
def test_index_in_browser(exported, browser, server, origin):
    root, site, _, narration = exported
    base = site_urls(site, root, server)[origin]
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    recorder = Recorder(page)
    page.goto(base + "index.html")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.title() == "Loss functions"

    videos = {video["id"]: video for video in page.evaluate(INSPECT_VIDEOS)}
    assert set(videos) == {f"video-{name}" for name in (LECTURE, *SCENES)}
    for name in (LECTURE, *SCENES):
        video = videos[f"video-{name}"]
        picked = urlsplit(video["currentSrc"]).path.rsplit("/", 1)[-1]
        assert picked in {f"{name}.mp4", f"{name}.webm"}, video["currentSrc"]
        # The rendered file the browser picked, measured independently with PyAV.
        assert video["duration"] == pytest.approx(
            media_duration(site / "media" / picked), abs=0.1
        ), name
        assert (video["videoWidth"], video["videoHeight"]) == (854, 480)
        assert video["posterSize"] == [854, 480]
        assert video["controls"] and video["label"]
        captions = video["tracks"]["captions"]
        # Over http the linked file (a strict content policy allows it); from disk, data: (the
        # only way Chromium loads a track there).
        if origin == "http":
            assert captions["src"] == f"{base}media/{name}.vtt"
        else:
            assert captions["src"].startswith("data:text/vtt;")
        assert captions["mode"] == "showing" and captions["isDefault"]
        assert captions["srclang"] == "en"
        texts = [cue["text"] for cue in captions["cues"]]
        expected = [
            text for scene in ([name] if name != LECTURE else SCENES) for text in narration[scene]
        ]
        assert [text for text in texts if text in expected] == expected
        assert all(
            0 <= cue["start"] < cue["end"] <= video["duration"] + 0.05 for cue in captions["cues"]
        )
    print("picked sources:", {v["id"]: v["currentSrc"].rsplit("/", 1)[-1] for v in videos.values()})

    lecture = videos[f"video-{LECTURE}"]
    chapters = lecture["tracks"]["chapters"]["cues"]
    titles = ["Squared loss: the mean", "Absolute loss: the median", "Huber's robust loss"]
    assert [cue["text"] for cue in chapters] == titles
    starts = [0.0]
    for name in SCENES[:-1]:
        starts.append(starts[-1] + media_duration(site / "media" / f"{name}.mp4"))
    assert [cue["start"] for cue in chapters] == pytest.approx(starts, abs=0.05)
    assert chapters[-1]["end"] == pytest.approx(lecture["duration"], abs=0.1)

    if origin == "http":
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "site-index.png"), full_page=True)

    advanced = page.evaluate(PLAY_ALL)
    assert all(step > 0.2 for step in advanced.values()), advanced

    # Clicking a chapter seeks the lecture video (and stays on the page: no jump to the anchor).
    page.evaluate(
        """() => {
          const video = document.getElementById("video-LossFunctions");
          window.seeks = [];
          video.addEventListener("seeked", () => window.seeks.push(video.currentTime));
        }"""
    )
    for index in (2, 1):
        page.get_by_role("link", name=titles[index]).click()
        page.wait_for_function(
            "window.seeks.length > 0 && "
            f"Math.abs(window.seeks.at(-1) - {chapters[index]['start']}) < 0.1"
        )
        page.wait_for_function(
            f"document.querySelectorAll('.chapters a')[{index}]"
            ".getAttribute('aria-current') === 'true'"
        )
    assert urlsplit(page.url).fragment == ""
    page.evaluate("document.getElementById('video-LossFunctions').pause()")

    recorder.check(base)
    page.close()


@pytest.mark.parametrize("origin", ["http", "file"])
def test_embed_fills_frame_without_scrollbars(exported, browser, server, origin):
    root, site, _, narration = exported
    base = site_urls(site, root, server)[origin]
    for size in ({"width": 640, "height": 360}, {"width": 420, "height": 420}):
        page = browser.new_page(viewport=size)
        recorder = Recorder(page)
        page.goto(base + "embed/HuberLoss.html")
        (video,) = page.evaluate(INSPECT_VIDEOS)
        assert video["duration"] == pytest.approx(
            media_duration(site / "media" / "HuberLoss.mp4"), abs=0.1
        )
        assert [
            c["text"]
            for c in video["tracks"]["captions"]["cues"]
            if c["text"] in narration["HuberLoss"]
        ] == narration["HuberLoss"]
        layout = page.evaluate(
            """() => { const e = document.documentElement, v = document.querySelector("video");
                       const box = v.getBoundingClientRect();
                       return {scrollW: e.scrollWidth, scrollH: e.scrollHeight,
                               clientW: e.clientWidth, clientH: e.clientHeight,
                               box: [box.x, box.y, box.width, box.height],
                               title: document.title, lang: e.lang}; }"""
        )
        assert layout["scrollW"] <= size["width"] and layout["scrollH"] <= size["height"], layout
        assert (layout["clientW"], layout["clientH"]) == (size["width"], size["height"]), layout
        assert layout["box"] == [0, 0, size["width"], size["height"]], layout
        assert layout["title"].startswith("Huber's robust loss") and layout["lang"] == "en"
        advanced = page.evaluate(PLAY_ALL)
        assert advanced["video-HuberLoss"] > 0.2
        if origin == "http" and size["width"] == 640:
            page.evaluate(
                "() => { const v = document.querySelector('video'); v.currentTime = v.duration; }"
            )
            page.wait_for_timeout(300)
            page.screenshot(path=str(ARTIFACTS / "site-embed-HuberLoss.png"))
        recorder.check(base)
        page.close()


CSP = "default-src 'self'"


@pytest.mark.parametrize("path", ["index.html", "embed/HuberLoss.html"])
def test_strict_content_policy_keeps_captions(exported, browser, path):
    """A host that allows only its own files (a common institutional policy)."""
    root, site, _, narration = exported
    with serve(root, headers={"Content-Security-Policy": CSP}) as server_base:
        base = site_urls(site, root, server_base)["http"]
        page = browser.new_page(viewport={"width": 1000, "height": 800})
        recorder = Recorder(page)
        response = page.goto(base + path)
        assert response.headers["content-security-policy"] == CSP
        videos = page.evaluate(INSPECT_VIDEOS)
        assert videos
        for video in videos:
            name = video["id"].removeprefix("video-")
            captions = video["tracks"]["captions"]
            assert captions["src"] == f"{base}media/{name}.vtt"
            expected = [
                t for scene in (SCENES if name == LECTURE else [name]) for t in narration[scene]
            ]
            texts = [cue["text"] for cue in captions["cues"]]
            assert [text for text in texts if text in expected] == expected, name
        recorder.check(base)
        # The policy is really in force: a data: track, as the pages used to carry, is refused.
        refused = page.evaluate(
            """async () => {
              const track = document.createElement("track");
              track.kind = "subtitles";
              track.src = "data:text/vtt;charset=utf-8,WEBVTT%0A%0A00:00.000 --> 00:01.000%0Ax";
              document.querySelector("video").append(track);
              track.track.mode = "hidden";
              await new Promise((ok) => track.addEventListener("error", ok, {once: true}));
              return track.readyState;
            }"""
        )
        assert refused == 3  # HTMLTrackElement.ERROR
        assert any("Content Security Policy" in error for error in recorder.errors)
        page.close()


def test_chapter_links_without_byte_ranges_play_the_scene_itself(exported, browser):
    """``python -m http.server`` answers no byte ranges, so the lecture cannot seek there."""
    root, site, _, _ = exported
    with serve(root, ranges=False) as server_base:
        base = site_urls(site, root, server_base)["http"]
        lecture_file = site / "media" / f"{LECTURE}.mp4"
        request = urllib.request.Request(
            base + f"media/{LECTURE}.mp4", headers={"Range": "bytes=100-199"}
        )
        with urllib.request.urlopen(request) as response:
            assert response.status == 200 and "Accept-Ranges" not in response.headers
            assert len(response.read()) == lecture_file.stat().st_size

        page = browser.new_page(viewport={"width": 1200, "height": 900})
        recorder = Recorder(page)
        page.goto(base + "index.html")
        page.evaluate(INSPECT_VIDEOS)
        # What the script has to cope with: here a plain seek snaps back to the start.
        landed = page.evaluate(
            """async () => {
              const video = document.getElementById("video-LossFunctions");
              video.currentTime = video.duration / 2;
              await new Promise((ok) => { video.addEventListener("seeked", ok, {once: true});
                                          setTimeout(ok, 3000); });
              return video.currentTime;
            }"""
        )
        assert landed == 0
        page.evaluate(
            """() => {
              window.starts = {};
              for (const video of document.querySelectorAll("video")) {
                video.muted = true;
                // "play" fires as play() is called, before the clock runs on.
                video.addEventListener("play", () => {
                  window.starts[video.id] ??= video.currentTime;
                });
              }
            }"""
        )
        titles = {"AbsoluteLoss": "Absolute loss: the median", "HuberLoss": "Huber's robust loss"}
        for (name, title), keyboard in zip(titles.items(), (True, False), strict=True):
            link = page.get_by_role("link", name=title)
            if keyboard:
                link.focus()
                page.keyboard.press("Enter")
            else:
                link.click()
            # The link goes to the scene's own section, whose video plays from its start: the
            # chapter's start in the lecture.
            page.wait_for_function(f"location.hash === '#scene-{name}'")
            page.wait_for_function(
                f"() => {{ const v = document.getElementById('video-{name}');"
                " return !v.paused && v.currentTime > 0.2; }"
            )
            assert page.evaluate(f"window.starts['video-{name}']") < 0.1
            assert page.evaluate("document.getElementById('video-LossFunctions').paused")
            top = page.evaluate(
                f"document.getElementById('scene-{name}').getBoundingClientRect().top"
            )
            assert -1 <= top < 900  # scrolled to it (a subpixel above 0 is at the top)
            page.evaluate(f"document.getElementById('video-{name}').pause()")
        recorder.check(base)
        page.close()


@pytest.fixture(scope="module")
def axe_script():
    assert AXE.is_file(), "axe-core is missing: run scripts/install.sh"
    return AXE.read_text(encoding="utf-8")


RUN_AXE = """
async () => {
  const result = await axe.run(document);
  return {
    version: axe.version,
    passes: result.passes.length,
    violations: result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((node) => node.target.join(" ")),
    })),
  };
}
"""


@pytest.mark.parametrize("origin", ["http", "file"])
def test_axe_finds_no_violations(exported, browser, server, axe_script, origin):
    root, site, _, _ = exported
    base = site_urls(site, root, server)[origin]
    pages = ["index.html", *(f"embed/{path.name}" for path in sorted((site / "embed").iterdir()))]
    assert len(pages) == 2 + len(SCENES)
    pages += ["present.html", "speaker.html", "handout.html"]
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    # axe really runs and finds what it should: a page with content outside any landmark.
    page.set_content('<html lang="en"><title>x</title><p>Outside</p></html>')
    page.evaluate(axe_script)
    control = {v["id"] for v in page.evaluate(RUN_AXE)["violations"]}
    assert {"landmark-one-main", "page-has-heading-one", "region"} <= control
    report = {}
    for path in pages:
        page.goto(base + path)
        page.evaluate(INSPECT_VIDEOS)
        page.evaluate(axe_script)
        report[path] = page.evaluate(RUN_AXE)
    page.close()
    print(f"axe-core {report['index.html']['version']}:")
    for path, result in report.items():
        print(f"  {path}: {len(result['violations'])} violations, {result['passes']} rules passed")
    assert {path: r["violations"] for path, r in report.items() if r["violations"]} == {}


def test_keyboard_alone_reaches_and_works_every_control(exported, browser, server):
    root, site, _, _ = exported
    base = site_urls(site, root, server)["http"]
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    recorder = Recorder(page)
    page.goto(base + "index.html")
    page.evaluate(INSPECT_VIDEOS)
    controls = page.evaluate(
        """() => Array.from(
             document.querySelectorAll("a[href]:not(video a), summary, video[controls]"),
             (element, index) => { element.dataset.control = index; return index; })"""
    )
    assert len(controls) > 20
    reached: list[int] = []
    for _ in range(4 * len(controls)):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.dataset.control ?? null")
        if focused is not None:
            reached.append(int(focused))
        elif reached and page.evaluate("document.activeElement === document.body"):
            break  # past the last control
    assert set(reached) == set(controls)
    # The order of the page: every control once, top to bottom (a video's own buttons are
    # several stops on one element).
    assert list(dict.fromkeys(reached)) == sorted(controls)

    page.evaluate(
        """() => { const video = document.getElementById("video-LossFunctions");
                   video.muted = true;
                   window.seeks = [];
                   video.addEventListener("seeked",
                                          () => window.seeks.push(video.currentTime)); }"""
    )
    chapter = page.locator(".chapters a").nth(2)
    chapter.focus()
    page.keyboard.press("Enter")
    start = float(chapter.get_attribute("data-start"))
    page.wait_for_function(f"window.seeks.some((t) => Math.abs(t - {start}) < 0.1)")
    page.evaluate("document.getElementById('video-LossFunctions').pause()")

    summary = page.locator("#scene-HuberLoss summary").first
    summary.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.querySelector('#scene-HuberLoss details').open")
    page.keyboard.press("Space")
    assert not page.evaluate("document.querySelector('#scene-HuberLoss details').open")

    page.locator("#video-HuberLoss").focus()
    page.evaluate("document.getElementById('video-HuberLoss').muted = true")
    page.keyboard.press("Space")
    page.wait_for_function("!document.getElementById('video-HuberLoss').paused")
    page.keyboard.press("Space")
    page.wait_for_function("document.getElementById('video-HuberLoss').paused")

    page.get_by_role("link", name="Player alone, for an iframe").last.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(base + "embed/HuberLoss.html")
    page.evaluate(INSPECT_VIDEOS)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "video-HuberLoss"
    page.evaluate("document.activeElement.muted = true")
    page.keyboard.press("Space")
    page.wait_for_function("!document.getElementById('video-HuberLoss').paused")
    recorder.check(base)
    page.close()


def test_printed_iframe_snippet_plays_in_a_host_page(exported, browser, server):
    """The snippets are written for a page beside the site folder: paste one there and play."""
    root, site, result, _ = exported
    lines = result.stdout.splitlines()
    snippets = [line for line in lines[1:] if line.startswith("<iframe")]
    assert len(snippets) == 3
    host = site.parent / "host.html"
    host.write_text(
        '<!doctype html><html lang="en"><title>Host</title><link rel="icon" href="data:,"><body>'
        + snippets[0]
        + "</body></html>"
    )
    page = browser.new_page(viewport={"width": 900, "height": 700})
    recorder = Recorder(page)
    page.goto(urljoin(site_urls(site, root, server)["http"], "../host.html"))
    frame = page.locator("iframe").element_handle().content_frame()
    frame.wait_for_load_state()
    (video,) = frame.evaluate(INSPECT_VIDEOS)
    assert video["id"] == "video-SquaredLoss"
    box = page.locator("iframe").bounding_box()
    assert box["width"] / box["height"] == pytest.approx(16 / 9, abs=0.02)
    recorder.requests = [url for url in recorder.requests if not url.endswith("/host.html")]
    recorder.check(site_urls(site, root, server)["http"])
    # One form of the fullscreen permission: with both `allow` and `allowfullscreen` Chrome
    # warns that one overrides the other.
    assert snippets[0].count("allowfullscreen") == 1 and " allow=" not in snippets[0]
    assert not [w for w in recorder.warnings if "allow" in w.lower()], recorder.warnings
    page.close()


def test_stdout_names_index_and_one_snippet_per_scene(exported):
    _, site, result, _ = exported
    lines = result.stdout.splitlines()
    assert Path(lines[0]) == site / "index.html" and Path(lines[0]).is_file()
    assert len(lines) == 1 + len(SCENES)
    for name, line in zip(SCENES, lines[1:], strict=True):
        assert f'src="site/embed/{name}.html"' in line
        assert (site / "embed" / f"{name}.html").is_file()


def test_mp4s_are_h264_yuv420p_with_moov_before_mdat(exported):
    root, site, _, _ = exported
    # The site's MP4s and the render's (which the export reads and reuses).
    paths = [site / "media" / f"{name}.mp4" for name in (LECTURE, *SCENES)]
    paths += [root / "videos" / f"{name}.mp4" for name in (LECTURE, *SCENES)]
    for path in paths:
        boxes = mp4_boxes(path)
        assert "moov" in boxes and "mdat" in boxes
        assert boxes.index("moov") < boxes.index("mdat"), (path, boxes)
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            assert stream.codec_context.name == "h264"
            assert stream.codec_context.pix_fmt == "yuv420p"


@pytest.mark.parametrize("suffix", [".mp4", ".webm"])
def test_lecture_carries_one_titled_chapter_per_scene(exported, suffix):
    _, site, _, _ = exported
    with av.open(str(site / "media" / f"{LECTURE}{suffix}")) as container:
        found = [
            (
                chapter["metadata"]["title"],
                float(chapter["start"] * chapter["time_base"]),
                float(chapter["end"] * chapter["time_base"]),
            )
            for chapter in container.chapters()
        ]
        total = container.duration / 1e6
    titles = ["Squared loss: the mean", "Absolute loss: the median", "Huber's robust loss"]
    assert [title for title, _, _ in found] == titles
    # Each chapter is as long as its scene's own file, measured independently.
    lengths = [media_duration(site / "media" / f"{name}.mp4") for name in SCENES]
    starts = [sum(lengths[:index]) for index in range(len(SCENES))]
    assert [start for _, start, _ in found] == pytest.approx(starts, abs=0.01)
    assert [end for _, _, end in found] == pytest.approx(
        [start + length for start, length in zip(starts, lengths, strict=True)], abs=0.01
    )
    assert found[-1][2] == pytest.approx(total, abs=0.05)


def test_webms_are_vp9_and_as_long_as_the_mp4s(exported):
    _, site, _, _ = exported
    for name in (LECTURE, *SCENES):
        path = site / "media" / f"{name}.webm"
        with open(path, "rb") as file:
            assert file.read(4) == b"\x1a\x45\xdf\xa3"  # EBML magic: a Matroska/WebM file
        with av.open(str(path)) as container:
            assert container.format.name.startswith("matroska")
            assert container.streams.video[0].codec_context.name == "vp9"
        assert media_duration(path) == pytest.approx(
            media_duration(site / "media" / f"{name}.mp4"), abs=0.05
        )


def test_gifs_are_animated_small_and_palette_based(exported):
    from PIL import Image

    _, site, _, _ = exported
    for name in SCENES:
        path = site / "media" / f"{name}.gif"
        assert path.stat().st_size < 3_000_000
        with Image.open(path) as image:
            assert image.format == "GIF" and image.mode == "P"
            assert len(image.getpalette()) // 3 <= 256
            assert image.size[0] <= 640
            assert image.info.get("loop") == 0
            frames = image.n_frames
            total = 0
            for index in range(frames):
                image.seek(index)
                total += image.info["duration"]
        assert frames > 3
        assert total / 1000 == pytest.approx(
            media_duration(site / "media" / f"{name}.mp4"), abs=0.15
        )


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.tracks: list[tuple[str, str]] = []  # (src, data-file-src)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "track":
            self.tracks.append((values["src"], values["data-file-src"]))
        for key, value in attrs:
            if key in {"src", "href", "poster"} and value is not None:
                self.urls.append(value)


def test_every_url_is_relative_and_inside_the_folder(exported):
    _, site, _, _ = exported
    presenting = [site / name for name in ("present.html", "speaker.html", "handout.html")]
    pages = [site / "index.html", *sorted((site / "embed").glob("*.html")), *presenting]
    assert len(pages) == 1 + len(SCENES) + 1 + 3
    for page in pages:
        parser = _Links()
        parser.feed(page.read_text())
        assert parser.urls
        for url in parser.urls:
            parts = urlsplit(url)
            assert not parts.scheme and not parts.netloc and not url.startswith("/"), url
            if parts.path:
                target = (page.parent / parts.path).resolve()
                assert target.is_file(), (page.name, url)
                assert target.is_relative_to(site.resolve()), (page.name, url)
        # Each track links its .vtt file (checked above with the other URLs) and carries the
        # same text inline, for file:// (Chromium loads no <track src> from disk).
        assert parser.tracks or page.name in {"speaker.html", "handout.html"}
        for src, inline in parser.tracks:
            prefix = "data:text/vtt;charset=utf-8;base64,"
            assert inline.startswith(prefix)
            text = base64.b64decode(inline[len(prefix) :]).decode()
            assert text == (page.parent / src).read_text()
    assert not [p for p in site.parent.iterdir() if p.name.startswith(".")], "temporary folder left"


# --- presenting: present.html, speaker.html, beats.vtt, handout ----------------------------------


def lecture_beats(exported) -> tuple[list[dict], float]:
    """The beats as the render recorded them (scene by scene), placed in the lecture; the fps."""
    root, _, _, _ = exported
    manifest = json.loads((root / "videos" / "manifest.json").read_text())
    videos = manifest["videos"]
    beats, offset = [], 0.0
    for name in videos[LECTURE]["scenes"]:
        for beat in videos[name]["beats"]:
            beats.append(
                {
                    **beat,
                    "scene": name,
                    "start": beat["start"] + offset,
                    "end": beat["end"] + offset,
                }
            )
        offset += videos[name]["duration"]
    return beats, videos[LECTURE]["fps"]


def test_beats_track_has_one_metadata_cue_per_beat(exported, browser):
    _, site, _, _ = exported
    beats, _ = lecture_beats(exported)
    assert len(beats) >= 3 * len(SCENES)
    text = (site / "media" / f"{LECTURE}.beats.vtt").read_text()
    assert text.startswith("WEBVTT\n")
    # Read back by the browser's own WebVTT parser, as a metadata track.
    page = browser.new_page()
    page.set_content("<video></video>")
    cues = page.evaluate(
        """async (text) => {
          const video = document.querySelector("video");
          const track = document.createElement("track");
          track.kind = "metadata";
          track.src = "data:text/vtt;charset=utf-8," + encodeURIComponent(text);
          video.append(track);
          track.track.mode = "hidden";
          await new Promise((ok, fail) => { track.addEventListener("load", ok);
                                            track.addEventListener("error", fail); });
          return Array.from(track.track.cues,
                            (c) => ({id: c.id, start: c.startTime, end: c.endTime, text: c.text}));
        }""",
        text,
    )
    page.close()
    assert [cue["id"] for cue in cues] == [f"{b['scene']}/{b['id']}" for b in beats]
    for cue, beat in zip(cues, beats, strict=True):
        assert cue["start"] == pytest.approx(beat["start"], abs=0.0011)
        assert cue["end"] == pytest.approx(beat["end"], abs=0.0011)
    said = {cue["id"]: cue["text"] for cue in cues}
    assert said["HuberLoss/loss"] == SAID["huber.yaml"]
    assert said["SquaredLoss/hold"] == "Done."


def wait_ready(page, beat_number: int) -> None:
    page.wait_for_function(
        f"document.body.dataset.state === 'ready' && document.body.dataset.beat === '{beat_number}'"
        " && !document.getElementById('presenter-video').seeking",
        timeout=30000,
    )


VIDEO_TIME = "document.getElementById('presenter-video').currentTime"


@pytest.mark.parametrize("origin", ["http", "file"])
def test_presenter_stops_at_every_beat_end_and_goes_back_to_each_start(
    exported, browser, server, origin
):
    root, site, _, _ = exported
    beats, fps = lecture_beats(exported)
    frame = 1 / fps
    base = site_urls(site, root, server)[origin]
    context = browser.new_context(viewport={"width": 960, "height": 600})
    page = context.new_page()
    recorder = Recorder(page)
    page.goto(base + "present.html")
    wait_ready(page, 1)
    assert page.evaluate(VIDEO_TIME) == 0
    # Over http every beat is played through; from disk (the same page, no byte ranges), the
    # first four (one per way of stepping), since each beat plays in real time.
    played = beats if origin == "http" else beats[:4]
    for index, beat in enumerate(played):
        # Each step through its own key (Right, Space, PageDown) or a click on the picture.
        step = index % 4
        if step == 3:
            page.click("#presenter-video")
        else:
            page.keyboard.press(("ArrowRight", "Space", "PageDown")[step])
        wait_ready(page, index + 2)
        # Where playback stopped (the frame on screen when it paused), and where it rests.
        stopped = page.evaluate("window.presenter.stops.at(-1)")
        # Within a frame of the beat's end (a busy machine calls the frame callback late);
        # the snap then rests it on the beat's last frame, checked next.
        assert beat["end"] - 2 * frame - 1e-3 <= stopped <= beat["end"] + frame, (beat, stopped)
        assert page.evaluate(VIDEO_TIME) == pytest.approx(beat["end"], abs=frame), beat
    assert page.evaluate("window.presenter.stops.length") == len(played)
    # The beat shown next (after the last one: the last).
    assert page.url.endswith(f"#{min(len(played) + 1, len(beats))}")
    if origin != "http":
        page.keyboard.press("End")
        wait_ready(page, len(beats) + 1)
    # Back, beat by beat, each to its start (Left and PageUp).
    for index in range(len(beats) - 1, len(beats) - 6, -1):
        page.keyboard.press("ArrowLeft" if index % 2 else "PageUp")
        wait_ready(page, index + 1)
        assert page.evaluate(VIDEO_TIME) == pytest.approx(beats[index]["start"], abs=frame / 4)
    page.keyboard.press("Home")
    wait_ready(page, 1)
    assert page.evaluate(VIDEO_TIME) == 0
    page.keyboard.press("End")
    wait_ready(page, len(beats) + 1)
    assert page.evaluate(VIDEO_TIME) == pytest.approx(beats[-1]["end"], abs=frame)
    recorder.check(base)
    # A deep link opens at beat N (1-based), ready to play it.
    number = len(beats) // 2
    page = context.new_page()
    recorder = Recorder(page)
    page.goto(base + f"present.html#{number}", wait_until="load")
    wait_ready(page, number)
    assert page.evaluate(VIDEO_TIME) == pytest.approx(beats[number - 1]["start"], abs=frame / 4)
    progress = page.locator("[role=progressbar]")
    assert progress.get_attribute("aria-valuenow") == str(number)
    assert page.locator(".progress .tick").count() == len(beats)
    # Keyboard alone: Tab reaches the controls (Previous, then Next); Space on a button presses
    # that button once, not the page's Space as well.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.action") == "next"
    page.keyboard.press("Space")
    wait_ready(page, number + 1)
    page.wait_for_timeout(300)
    assert page.evaluate("[window.presenter.stops.length, document.body.dataset.beat]") == [
        1,
        str(number + 1),
    ]
    recorder.check(base)
    context.close()


def test_presenter_without_byte_ranges_loads_the_video_whole_and_still_seeks(exported, browser):
    root, site, _, _ = exported
    beats, fps = lecture_beats(exported)
    with serve(root, ranges=False) as server_base:
        base = site_urls(site, root, server_base)["http"]
        page = browser.new_page()
        recorder = Recorder(page)
        page.goto(base + "present.html#5")
        wait_ready(page, 5)
        assert page.evaluate(VIDEO_TIME) == pytest.approx(beats[4]["start"], abs=0.25 / fps)
        assert page.evaluate("document.getElementById('presenter-video').src").startswith("blob:")
        page.keyboard.press("ArrowRight")
        wait_ready(page, 6)
        assert page.evaluate(VIDEO_TIME) == pytest.approx(beats[4]["end"], abs=1 / fps)
        # The whole file, fetched from the folder, plays from the page's own memory.
        origin = base.split("/course/")[0]
        recorder.requests = [u for u in recorder.requests if not u.startswith(f"blob:{origin}/")]
        recorder.check(base)
        page.close()


def test_presenter_under_a_strict_policy_without_byte_ranges_keeps_the_answer_hidden(
    exported, browser
):
    """Issue 23: no byte ranges and no blob: media (``default-src 'self'``). The presenter's
    poster is the first beat's picture, not a scene's last frame (the answer), and the note that
    steps play forward only goes away instead of covering the title all talk long."""
    root, site, _, _ = exported
    with serve(root, ranges=False, headers={"Content-Security-Policy": CSP}) as server_base:
        base = site_urls(site, root, server_base)["http"]
        page = browser.new_page(viewport={"width": 960, "height": 600})
        page.goto(base + "present.html#2")
        status = "document.querySelector('.status').textContent"

        def becomes(test, seconds: float) -> str:
            # wait_for_function evaluates a string, which this page's policy forbids.
            deadline = time.monotonic() + seconds
            while not test(text := page.evaluate(status)) and time.monotonic() < deadline:
                page.wait_for_timeout(100)
            return text

        assert "forward only" in becomes(lambda text: "forward only" in text, 30)
        poster = page.evaluate("document.getElementById('presenter-video').poster")
        assert ".beats/" in poster and poster.endswith(".png"), poster
        assert becomes(lambda text: text == "", 15) == ""
        page.close()


SPEAKER = """() => ({
  beat: document.body.dataset.beat,
  number: document.getElementById("beat-number").textContent,
  now: document.getElementById("now-text").textContent,
  next: document.getElementById("next-text").textContent,
  link: document.getElementById("link-state").textContent,
  elapsed: document.getElementById("elapsed").getAttribute("datetime"),
})"""


@pytest.mark.parametrize("origin", ["http", "file"])
def test_speaker_notes_follow_the_presenter_and_drive_it(exported, browser, server, origin):
    root, site, _, _ = exported
    beats, _ = lecture_beats(exported)
    base = site_urls(site, root, server)[origin]
    context = browser.new_context(viewport={"width": 960, "height": 600})
    present = context.new_page()
    recorder = Recorder(present)
    loss = next(i for i, b in enumerate(beats) if b["scene"] == "HuberLoss" and b["id"] == "loss")
    present.goto(base + f"present.html#{loss}")  # the beat before Huber's loss beat
    wait_ready(present, loss)
    # S opens the notes in a window of their own, at the presenter's beat.
    with context.expect_page() as opened:
        present.keyboard.press("s")
    notes = opened.value
    notes.wait_for_load_state()
    assert urlsplit(notes.url).path.endswith("/speaker.html") and notes.url.endswith(f"#{loss}")
    # A second notes page opened on its own (another screen): it has only the channel.
    other = context.new_page()
    other.goto(base + "speaker.html")
    present.bring_to_front()  # a hidden window gets no video frame callbacks
    for speaker in (notes, other):
        speaker.wait_for_function(
            "document.getElementById('link-state').textContent === 'following present.html'"
        )
        shown = speaker.evaluate(SPEAKER)
        assert shown["beat"] == str(loss) and shown["number"] == f"Beat {loss} of {len(beats)}"
        assert shown["next"] == SAID["huber.yaml"]
    # Stepping in the presenter moves the notes.
    present.keyboard.press("ArrowRight")
    wait_ready(present, loss + 1)
    for speaker in (notes, other):
        speaker.wait_for_function(f"document.body.dataset.beat === '{loss + 1}'")
        shown = speaker.evaluate(SPEAKER)
        assert shown["now"] == SAID["huber.yaml"]
        assert shown["next"] == (beats[loss + 1]["text"] or "(no narration)")
    # The clock runs from the first step.
    other.wait_for_function("document.getElementById('elapsed').dateTime !== 'PT0S'")
    # Stepping in either notes page drives the presenter (and the other notes page).
    other.keyboard.press("ArrowRight")
    wait_ready(present, loss + 2)
    assert present.evaluate(VIDEO_TIME) == pytest.approx(beats[loss]["end"], abs=0.1)
    notes.wait_for_function(f"document.body.dataset.beat === '{loss + 2}'")
    notes.click("button[data-action=previous]")
    wait_ready(present, loss + 1)
    assert present.evaluate(VIDEO_TIME) == pytest.approx(beats[loss]["start"], abs=0.05)
    other.wait_for_function(f"document.body.dataset.beat === '{loss + 1}'")
    recorder.check(base)
    context.close()


def test_handout_has_a_section_per_scene_with_stills_and_narration(exported):
    import pypdf

    root, site, _, _ = exported
    beats, _ = lecture_beats(exported)
    manifest = json.loads((root / "videos" / "manifest.json").read_text())
    titles = [manifest["videos"][name]["title"] for name in SCENES]
    html = (site / "handout.html").read_text()
    assert html.count('<section class="handout-scene"') == len(SCENES)
    # One still per beat: the render's last frame of that beat, byte for byte.
    for beat in beats:
        still = manifest["videos"][beat["scene"]]["stills"][beat["id"]]
        assert f'src="media/{still}"' in html
        assert (site / "media" / still).read_bytes() == (root / "videos" / still).read_bytes()
    reader = pypdf.PdfReader(site / "handout.pdf")
    # Chromium's outline follows the headings: the lecture, then one entry per scene.
    top, scenes = reader.outline
    assert top.title == "Loss functions"
    assert [entry.title for entry in scenes] == titles
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    # Each scene starts a page of its own; the text is real text, with titles and narration.
    starts = [next(i for i, text in enumerate(pages) if title in text) for title in titles]
    assert starts == sorted(starts) and len(set(starts)) == len(titles)
    text = " ".join(pages)
    for said in SAID.values():
        assert said in text
    assert text.count("Done.") == len(SCENES)
    assert len(reader.pages[0].images) >= 2  # the stills are pictures


def test_site_videos_have_no_burned_in_captions(exported):
    """The hold beat only holds the arrival's picture and says "Done."; burned in, that caption
    would be the difference between the two beats' last frames, low in the picture (a render
    with captions burned in differs there by up to 221 of 255 in a channel).
    """
    from PIL import Image, ImageChops

    root, site, _, _ = exported
    manifest = json.loads((root / "videos" / "manifest.json").read_text())
    for name in SCENES:
        entry = manifest["videos"][name]
        assert entry["beats"][-1]["text"] == "Done." and entry["beats"][-2]["id"] == "arrival"
        with (
            Image.open(site / "media" / entry["stills"]["arrival"]) as arrival,
            Image.open(site / "media" / entry["stills"]["hold"]) as hold,
        ):
            width, height = hold.size
            low = (0, int(height * 0.6), width, height)
            difference = ImageChops.difference(
                arrival.convert("RGB").crop(low), hold.convert("RGB").crop(low)
            )
        assert max(high for _, high in difference.getextrema()) <= 8, name
