"""``loss-scenes export``, checked in a real browser: Debian's Chromium, headless, via Playwright.

The site is exported once (fast timings, low quality, with GIFs), served from 127.0.0.1 under a
sub-path and also opened from ``file://``. Marked ``slow``: it renders the lecture with Manim.
Screenshots go to ``test-artifacts/``.
"""

import base64
import os
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import av
import pytest
from helpers import CONFIG, ROOT, fast_copy, run_cli
from site_server import serve

from scenes.render.video import mp4_boxes
from scenes.spec import load_scene

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
SCENES = ("SquaredLoss", "AbsoluteLoss", "HuberLoss")
LECTURE = "LossFunctions"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The default lecture with short timings, exported to ``course/week-1/site``."""
    root = tmp_path_factory.mktemp("export")
    specs = root / "specs"
    specs.mkdir()
    for name in ("l2.yaml", "l1.yaml", "huber.yaml"):
        fast_copy(CONFIG / name, specs)
    shutil.copy(CONFIG / "lecture.yaml", specs)
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
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

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
    _, site, _, _ = exported
    for name in (LECTURE, *SCENES):
        path = site / "media" / f"{name}.mp4"
        boxes = mp4_boxes(path)
        assert "moov" in boxes and "mdat" in boxes
        assert boxes.index("moov") < boxes.index("mdat"), boxes
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            assert stream.codec_context.name == "h264"
            assert stream.codec_context.pix_fmt == "yuv420p"


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
        self.tracks: list[str] = []

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if tag == "track" and key == "src":
                self.tracks.append(value)
            elif key in {"src", "href", "poster"} and value is not None:
                self.urls.append(value)


def test_every_url_is_relative_and_inside_the_folder(exported):
    _, site, _, _ = exported
    pages = [site / "index.html", *sorted((site / "embed").glob("*.html"))]
    assert len(pages) == 1 + len(SCENES) + 1
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
        # Text tracks travel inside the page (Chromium loads no <track> from file://); each is
        # the .vtt file written beside the videos.
        vtts = {p.read_text() for p in (site / "media").glob("*.vtt")}
        assert parser.tracks
        for url in parser.tracks:
            prefix = "data:text/vtt;charset=utf-8;base64,"
            assert url.startswith(prefix)
            assert base64.b64decode(url[len(prefix) :]).decode() in vtts
    assert not [p for p in site.parent.iterdir() if p.name.startswith(".")], "temporary folder left"
