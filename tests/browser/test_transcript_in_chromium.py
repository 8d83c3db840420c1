"""The transcript page and the audio description in Debian's Chromium (Playwright): a click and
Enter on a cue seek the lecture there and the line being said is marked; the descriptions track
loads (under ``default-src 'self'`` and from ``file://``) and the toggle pauses the video at a
description, shows its text and plays on; axe-core finds nothing on transcript.html.

The site is exported with a fake render (no Manim) whose beats are the scenes' real beats, so the
descriptions are compute's; ``docs/images/transcript.png`` is taken here.
"""

import importlib.util
import os
from pathlib import Path

import pytest
from helpers import CONFIG, ROOT
from site_server import serve

import scenes.production.run as run
from scenes.production import manifest
from scenes.production.subtitles import Cue, format_srt
from scenes.production.video import concatenate
from scenes.site import export_site
from scenes.spec import load_lecture

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "tests" / "node" / "node_modules" / "axe-core" / "axe.min.js"
CSP = "default-src 'self'"
BEAT_SECONDS = 0.8
LECTURE = "LossFunctions"

_fakes = importlib.util.spec_from_file_location(
    "export_fakes", ROOT / "tests" / "site" / "test_export_pages.py"
)
assert _fakes is not None and _fakes.loader is not None
fakes = importlib.util.module_from_spec(_fakes)
_fakes.loader.exec_module(fakes)


def beat_render(specs, *, quality, out_dir, formats, progress, jobs=1, cluster=None):
    """What ``run.render`` records, with the scenes' real beats (BEAT_SECONDS each) over small
    silent videos; each narrated beat says its narration, else a line naming it.
    """
    (lecture,) = specs
    out_dir.mkdir(parents=True, exist_ok=True)
    rendered = []
    for index, (_, spec) in enumerate(lecture.scenes):
        name = spec.scene
        plans = spec.beat_plans()
        frames = round(len(plans) * BEAT_SECONDS * fakes.FPS)
        fakes.tiny_video(out_dir / f"{name}.mp4", frames, 40 * index)
        beats = []
        for number, plan in enumerate(plans):
            start, end = number * BEAT_SECONDS, (number + 1) * BEAT_SECONDS
            text = plan.text or f"{spec.scene}, beat {plan.id}."
            cue = manifest.Cue(start=start + 0.05, end=end - 0.05, text=text)
            beats.append(
                manifest.Beat(scene=name, id=plan.id, start=start, end=end, text=text, cues=[cue])
            )
        cues = [Cue(c.start, c.end, c.text) for b in beats for c in b.cues]
        (out_dir / f"{name}.srt").write_text(format_srt(cues))
        rendered.append(
            manifest.RenderedVideo(
                name=name,
                kind="scene",
                files={"mp4": f"{name}.mp4"},
                subtitles=f"{name}.srt",
                duration=frames / fakes.FPS,
                width=64,
                height=36,
                fps=fakes.FPS,
                title=spec.title,
                beats=beats,
            )
        )
        from PIL import Image

        Image.new("RGB", (64, 36), (40 * index, 0, 0)).save(out_dir / f"{name}.png")
        rendered[-1].poster = f"{name}.png"
    name = lecture.spec.lecture
    concatenate([out_dir / f"{v.name}.mp4" for v in rendered], out_dir / f"{name}.mp4")
    beats = manifest.lecture_beats(rendered)
    (out_dir / f"{name}.srt").write_text(
        format_srt([Cue(c.start, c.end, c.text) for b in beats for c in b.cues])
    )
    rendered.append(
        manifest.RenderedVideo(
            name=name,
            kind="lecture",
            files={"mp4": f"{name}.mp4"},
            subtitles=f"{name}.srt",
            duration=sum(v.duration for v in rendered),
            width=64,
            height=36,
            fps=fakes.FPS,
            scenes=[v.name for v in rendered],
            scene_seconds=[v.duration for v in rendered],
            title=lecture.spec.title,
            beats=beats,
        )
    )
    manifest.write(out_dir, rendered, quality=quality or "low")
    return []


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    patch = pytest.MonkeyPatch()
    patch.setattr(run, "render", beat_render)
    try:
        root = tmp_path_factory.mktemp("transcript")
        export_site(load_lecture(CONFIG / "lecture.yaml"), root / "site", handout=False)
    finally:
        patch.undo()
    return root, root / "site"


@pytest.fixture(scope="module")
def browser():
    if os.environ.get("LOSS_SCENES_BROWSER") == "0":
        pytest.skip("browser tests disabled (LOSS_SCENES_BROWSER=0)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required"],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(site):
    root, _ = site
    with serve(root, headers={"Content-Security-Policy": CSP}) as base:
        yield base + "site/"


def errors_of(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


WAIT_METADATA = """async (id) => {
  const video = document.getElementById(id);
  if (video.readyState < 1) {
    await new Promise((ok) => video.addEventListener("loadedmetadata", ok, {once: true}));
  }
  return video.duration;
}"""


def test_click_and_enter_seek_and_the_spoken_line_is_marked(site, browser, server):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    errors = errors_of(page)
    page.goto(server + "transcript.html")
    assert page.evaluate(WAIT_METADATA, f"video-{LECTURE}") > 0
    links = page.locator(".cues a")
    count = links.count()
    assert count > 10
    target = links.nth(count // 2)
    start, end = float(target.get_attribute("data-start")), float(target.get_attribute("data-end"))
    target.click()
    page.wait_for_function(
        "([id, t]) => { const v = document.getElementById(id);"
        " return !v.paused && v.currentTime >= t; }",
        arg=[f"video-{LECTURE}", start],
        timeout=10_000,
    )
    page.wait_for_function(
        "(a) => a.getAttribute('aria-current') === 'true'",
        arg=target.element_handle(),
        timeout=5_000,
    )
    marked = page.locator('.cues a[aria-current="true"]')
    assert marked.count() == 1
    time = page.evaluate(f"document.getElementById('video-{LECTURE}').currentTime")
    assert start - 0.01 <= time <= end + 0.5
    page.evaluate(f"document.getElementById('video-{LECTURE}').pause()")
    # The keyboard: focus an earlier line and press Enter.
    other = links.nth(2)
    other.focus()
    page.keyboard.press("Enter")
    other_start = float(other.get_attribute("data-start"))
    page.wait_for_function(
        "([id, t]) => Math.abs(document.getElementById(id).currentTime - t) < 0.6",
        arg=[f"video-{LECTURE}", other_start],
        timeout=10_000,
    )
    page.evaluate(f"document.getElementById('video-{LECTURE}').pause()")
    assert not [e for e in errors if "Content Security Policy" not in e], errors
    page.close()


INSPECT_DESCRIPTIONS = """async (id) => {
  const video = document.getElementById(id);
  const element = video.querySelector('track[kind="descriptions"]');
  if (element.track.mode === "disabled") element.track.mode = "hidden";
  if (element.readyState !== 2) {
    await new Promise((ok, fail) => {
      element.addEventListener("load", ok, {once: true});
      element.addEventListener("error", () => fail(new Error("track failed")), {once: true});
    });
  }
  return {srclang: element.srclang, label: element.label, src: element.src,
          cues: Array.from(element.track.cues, (c) => ({start: c.startTime, end: c.endTime,
                                                         text: c.text}))};
}"""


@pytest.mark.parametrize("origin", ["http", "file"])
def test_descriptions_track_loads_under_a_strict_policy_and_from_disk(
    site, browser, server, origin
):
    _, folder = site
    base = server if origin == "http" else folder.as_uri() + "/"
    page = browser.new_page()
    errors = errors_of(page)
    page.goto(base + "index.html")
    track = page.evaluate(INSPECT_DESCRIPTIONS, "video-HuberLoss")
    assert track["srclang"] == "en"
    texts = [cue["text"] for cue in track["cues"]]
    assert any(text.startswith("θ has stopped at ") for text in texts), texts
    vtt = (folder / "media" / "HuberLoss.descriptions.vtt").read_text()
    assert all(text in vtt for text in texts) and len(texts) == vtt.count(" --> ")
    assert not errors, errors
    page.close()


def test_audio_description_pauses_the_video_shows_the_text_and_plays_on(site, browser, server):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    errors = errors_of(page)
    page.goto(server + "index.html")
    video = "video-HuberLoss"
    track = page.evaluate(INSPECT_DESCRIPTIONS, video)
    shortest = min(track["cues"], key=lambda cue: len(cue["text"]))
    button = page.locator(f'button[data-describes="{video}"]')
    assert button.is_visible() and button.get_attribute("aria-pressed") == "false"
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    has_speech = page.evaluate("'speechSynthesis' in window")
    page.evaluate(
        "([id, t]) => { const v = document.getElementById(id); v.muted = true;"
        " v.currentTime = t; v.play().catch(() => {}); }",
        [video, max(0.0, shortest["start"] - 0.2)],  # in the gap before it
    )
    page.wait_for_function(
        "(id) => document.getElementById(id).hasAttribute('data-describing')",
        arg=video,
        timeout=10_000,
    )
    assert page.evaluate(f"document.getElementById('{video}').paused")
    shown = page.locator(f"#{video}-description-now")
    assert shown.is_visible() and shown.inner_text() == shortest["text"]
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    page.screenshot(path=str(ROOT / "test-artifacts" / "audio-description.png"))
    # Said (or, without a voice, shown for its reading time), then the video plays on.
    page.wait_for_function(
        "([id, t]) => { const v = document.getElementById(id);"
        " return !v.hasAttribute('data-describing') && !v.paused && v.currentTime > t; }",
        arg=[video, shortest["start"]],
        timeout=30_000,
    )
    assert not shown.is_visible()
    # Off again: the next description does not stop the video.
    button.click()
    assert button.get_attribute("aria-pressed") == "false"
    print(f"speechSynthesis in headless Chromium: {has_speech}")
    assert not errors, errors
    page.close()


RUN_AXE = """async () => {
  const result = await axe.run(document);
  return result.violations.map((v) => ({id: v.id, nodes: v.nodes.map((n) => n.target.join(" "))}));
}"""


def test_axe_finds_nothing_on_the_transcript_and_screenshot(site, browser, server):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(server + "transcript.html")
    page.evaluate(WAIT_METADATA, f"video-{LECTURE}")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    assert page.evaluate(RUN_AXE) == []
    # The picture for docs: a line being said, marked.
    links = page.locator(".cues a")
    links.nth(5).click()
    page.wait_for_function("() => document.querySelector('.cues a[aria-current=\"true\"]')")
    page.evaluate(f"document.getElementById('video-{LECTURE}').pause()")
    page.locator(".cues a").nth(5).scroll_into_view_if_needed()
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    page.screenshot(path=str(ROOT / "test-artifacts" / "transcript.png"))
    page.close()
