"""Issue 23, the site: the presenter obeys only its own pages, and ``export -o`` keeps what the
user's target is (a symbolic link, a mount point).

The render is the fake of ``test_export_pages`` (tiny real videos, a real manifest), so the
exports take a second; the browser test serves two such sites and an attacker's page.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import CONFIG
from site_server import serve

import scenes.production.run as run
from scenes.site import export_site
from scenes.spec import load_lecture

TESTS = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")


def _fake_render():
    """``test_export_pages.fake_render``, imported by path (test folders are not packages)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "_export_pages_for_issue23", TESTS / "test_export_pages.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.fake_render


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setattr(run, "render", _fake_render())


@pytest.fixture(scope="module")
def lecture():
    return load_lecture(CONFIG / "lecture.yaml")


def page_data(page: Path) -> dict:
    block = re.search(
        r'<script type="application/json" id="beats">(.*?)</script>', page.read_text()
    )
    return json.loads(block[1])


# --- 1. the presenter's messages ---------------------------------------------------------------


def test_presenter_channel_is_unique_per_lecture_site(fake, lecture, tmp_path):
    """Two courses' lectures of one name: each site's pages name their own channel."""
    from dataclasses import replace

    first = export_site(lecture, tmp_path / "a", quality="low", handout=False)
    spec = lecture.spec.model_copy(update={"title": "Another course's lecture"})
    export_site(replace(lecture, spec=spec), tmp_path / "b", quality="low", handout=False)
    channels = {}
    for site in ("a", "b"):
        present, speaker = (
            page_data(tmp_path / site / name) for name in ("present.html", "speaker.html")
        )
        assert present == speaker  # the two pages of one site meet on one channel
        assert present["lecture"] == "LossFunctions"
        channels[site] = present["channel"]
    assert re.fullmatch(r"[0-9a-f]{16}", channels["a"])
    assert channels["a"] != channels["b"]
    # Exported again, the same lecture names the same channel: the site stays reproducible.
    export_site(lecture, tmp_path / "a", quality="low", handout=False)
    assert page_data(tmp_path / "a" / "present.html")["channel"] == channels["a"]
    assert first.index.is_file()
    script = (tmp_path / "a" / "present.js").read_text()
    assert "DATA.channel" in script and "SITE_FOLDER" in script
    assert "`loss-scenes-presenter:${DATA.lecture}`" not in script


def test_presenter_script_checks_origins_and_goto(tmp_path):
    """Without a browser: the message handler is guarded, and ``goto`` takes only a beat index
    in range. The script's functions run under Node with the few globals they read.
    """
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    script = (TESTS.parent.parent / "assets" / "site" / "present.js").read_text()
    assert 'window.addEventListener("message", (event) => receive(event.data))' not in script
    # trustedOrigin() as the page runs it, for a page on http://course.example and from disk.
    probe = textwrap.dedent(
        """
        const vm = require("vm");
        const source = require("fs").readFileSync(process.argv[2], "utf8");
        const start = source.indexOf("function trustedOrigin");
        const end = source.indexOf("\\n}\\n", start) + 3;
        const results = {};
        for (const [protocol, origin] of [["http:", "http://course.example"], ["file:", "null"]]) {
          const context = {location: {protocol, origin}};
          vm.runInNewContext(source.slice(start, end), context);
          results[protocol] = ["http://course.example", "https://attacker.example", "null"]
            .map((sender) => context.trustedOrigin(sender));
        }
        console.log(JSON.stringify(results));
        """
    )
    (tmp_path / "probe.js").write_text(probe)
    answer = subprocess.run(
        [node, str(tmp_path / "probe.js"), str(TESTS.parent.parent / "assets/site/present.js")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(answer.stdout) == {
        "http:": [True, False, False],
        "file:": [False, False, True],
    }
    goto = re.search(r'case "goto":(.*?)break;', script, re.DOTALL)[1]
    assert "Number.isInteger(beat)" in goto and "beat <= BEATS.length" in goto


@pytest.fixture(scope="module")
def browser():
    if os.environ.get("LOSS_SCENES_BROWSER") == "0":
        pytest.skip("browser tests disabled (LOSS_SCENES_BROWSER=0)")
    if not CHROMIUM.exists():
        pytest.skip("Chromium is missing")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required"],
        )
        yield browser
        browser.close()


def wait_ready(page, beat_number: int) -> None:
    page.wait_for_function(
        "document.body.dataset.state === 'ready'"
        f" && document.body.dataset.beat === '{beat_number}'",
        timeout=10000,
    )


@pytest.mark.slow
def test_foreign_pages_cannot_drive_the_presenter(monkeypatch, lecture, tmp_path, browser):
    """An attacker's page framing present.html, a ``goto`` with a bad beat, and another course's
    notes page on the same host: none moves the presenter; its own notes page still does.
    """
    from dataclasses import replace

    monkeypatch.setattr(run, "render", _fake_render())
    root = tmp_path / "host"
    export_site(lecture, root / "course-a", quality="low", handout=False)
    other = replace(lecture, spec=lecture.spec.model_copy(update={"title": "Course B"}))
    export_site(other, root / "course-b", quality="low", handout=False)
    attacker = tmp_path / "attacker"
    attacker.mkdir()
    (attacker / "index.html").write_text('<!doctype html><iframe id="victim"></iframe>')
    count = len(page_data(root / "course-a" / "present.html")["beats"])
    errors: list[str] = []
    with serve(root) as host, serve(attacker) as evil:
        context = browser.new_context()
        present = context.new_page()
        present.on("pageerror", lambda error: errors.append(str(error)))
        url = host + "course-a/present.html"
        present.goto(url + "#2")
        wait_ready(present, 2)
        channel = present.evaluate("CHANNEL_NAME")
        # The messages the notes page sends, from a page of another origin framing the presenter.
        page = context.new_page()
        page.goto(evil + "index.html")
        page.evaluate("url => { document.getElementById('victim').src = url; }", url + "#2")
        page.wait_for_function("document.getElementById('victim').src !== ''")
        frame = None
        while frame is None:
            page.wait_for_timeout(50)
            frame = next((f for f in page.frames if f.url.startswith(url)), None)
        wait_ready(frame, 2)
        framed_channel = frame.evaluate("CHANNEL_NAME")
        page.evaluate(
            """channel => {
                const victim = document.getElementById("victim").contentWindow;
                for (const action of ["last", "next"]) {
                    const id = `evil-${action}`;
                    victim.postMessage({type: "command", action, channel, id}, "*");
                }
                victim.postMessage(
                    {type: "command", action: "goto", beat: 0, channel, id: "evil-goto"}, "*");
            }""",
            framed_channel,
        )
        page.wait_for_timeout(500)
        assert frame.evaluate("window.presenter.cursor") == 1, "driven by another site's page"
        page.close()
        # Course B's notes page on the same host, a lecture of the same name: not this one's.
        notes_b = context.new_page()
        notes_b.goto(host + "course-b/speaker.html")
        notes_b.keyboard.press("End")
        # Bad beats sent as this page's own origin: ignored, no exception.
        present.bring_to_front()
        for beat in ("'x'", "1.5", "-1", str(count + 1), "null", "'2'"):
            present.evaluate(
                f"window.postMessage({{type: 'command', action: 'goto', beat: {beat}, "
                f"channel: CHANNEL_NAME, id: 'bad-' + String({beat})}}, location.origin)"
            )
        present.wait_for_timeout(500)
        assert present.evaluate("window.presenter.cursor") == 1, "moved by a foreign page"
        assert errors == []
        data = page_data(root / "course-a" / "present.html")
        assert channel == f"loss-scenes-presenter:{data['channel']}:/course-a/"
        # Its own notes page, and a goto in range from its own origin, still drive it.
        present.evaluate(
            "window.postMessage({type: 'command', action: 'goto', beat: 3, channel: CHANNEL_NAME,"
            " id: 'good-goto'}, location.origin)"
        )
        wait_ready(present, 4)
        notes_a = context.new_page()
        notes_a.goto(host + "course-a/speaker.html")
        notes_a.wait_for_function("document.body.dataset.beat === '4'")
        notes_a.keyboard.press("Home")
        present.bring_to_front()
        wait_ready(present, 1)
        assert errors == []
        context.close()


# --- 2. export -o LINK and export -o MOUNTPOINT ------------------------------------------------


def test_export_into_a_symlink_keeps_the_link(fake, lecture, tmp_path):
    real = tmp_path / "disk" / "site"
    real.mkdir(parents=True)
    link = tmp_path / "site"
    link.symlink_to(real, target_is_directory=True)
    result = export_site(lecture, link, quality="low", handout=False)
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert (real / "index.html").is_file() and result.index == link / "index.html"
    # Re-exported: still the link, its target holding the new site only.
    (real / "stale.txt").write_text("from an older export")
    export_site(lecture, link, quality="low", handout=False)
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert not (real / "stale.txt").exists() and (real / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["disk", "site"]
    assert sorted(p.name for p in (tmp_path / "disk").iterdir()) == ["site"]


MOUNTED_EXPORT = """
import importlib.util, json, os, subprocess
from pathlib import Path

import scenes.production.run as run
from scenes.site import export_site
from scenes.spec import load_lecture

pages = importlib.util.spec_from_file_location("pages", {pages!r})
module = importlib.util.module_from_spec(pages)
pages.loader.exec_module(module)
run.render = module.fake_render
stick = Path({stick!r})
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "stick", str(stick)], check=True)
(stick / "notes").mkdir()  # an earlier export's folder, replaced with the rest
(stick / "site.json").write_text('{{"generator": "loss-scenes export"}}')
lecture = load_lecture(Path({config!r}) / "lecture.yaml")
for _ in range(2):  # a first export into the stick, then a re-export over it
    export_site(lecture, stick, quality="low", handout=False)
print(json.dumps(sorted(p.name for p in stick.iterdir())))
print(os.path.ismount(stick))
"""


def test_export_onto_a_mount_point_stages_on_its_device(tmp_path):
    """A fresh USB stick or a container volume: no rename can replace a mount point, and a
    folder beside it is on another device. Run in a private mount namespace (``unshare``).
    """
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "-rm", "true"]).returncode != 0:
        pytest.skip("no user and mount namespaces here")
    stick = tmp_path / "stick"
    stick.mkdir()
    code = MOUNTED_EXPORT.format(
        pages=str(TESTS / "test_export_pages.py"), stick=str(stick), config=str(CONFIG)
    )
    # The fake render's module imports helpers from tests/.
    env = {**os.environ, "PYTHONPATH": str(TESTS.parent)}
    result = subprocess.run(
        [unshare, "-rm", sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    names, mounted = result.stdout.strip().splitlines()
    assert mounted == "True"
    listed = json.loads(names)
    assert "index.html" in listed and "site.json" in listed
    assert "notes" not in listed  # the earlier export's files went with it
    assert not [name for name in listed if name.startswith(".")], "scratch folders left"
    # Outside the namespace the folder was never touched.
    assert list(stick.iterdir()) == []


def test_course_snippets_quote_the_folder_in_their_url(tmp_path, monkeypatch):
    # A course exported into "my site #1": the iframe's src must not end at the space or '#'.
    import importlib.util
    from urllib.parse import unquote, urlsplit

    from scenes.compute.resolve import load_resolved
    from scenes.site.build import export_course

    spec = importlib.util.spec_from_file_location(
        "export_fakes", Path(__file__).with_name("test_export_pages.py")
    )
    fakes = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fakes)
    monkeypatch.setattr(run, "render", fakes.fake_render)
    course = load_resolved(Path("config/course.yaml"))
    result = export_course(course, tmp_path / "my site #1", quality="low", handout=False)
    assert result.snippets
    for snippet in result.snippets:
        src = re.search(r'src="([^"]+)"', snippet).group(1)
        assert " " not in src and src.startswith("my%20site%20%231/")
        assert not urlsplit(src).fragment
        assert (tmp_path / unquote(src)).is_file()


def _fake_render_every_beat(specs, *, quality, out_dir, formats, progress, jobs=1, cluster=None):
    """A render of every narrated beat (one second each, a still per beat): the handout's
    pages then hold as many stills as a real render gives them."""
    import importlib.util

    from PIL import Image

    from scenes.production import manifest
    from scenes.production.subtitles import Cue, format_srt
    from scenes.production.video import concatenate

    spec = importlib.util.spec_from_file_location(
        "export_fakes", Path(__file__).with_name("test_export_pages.py")
    )
    fakes = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fakes)
    (lecture,) = specs
    out_dir.mkdir(parents=True, exist_ok=True)
    rendered = []
    for index, (_, scene) in enumerate(lecture.scenes):
        name = scene.scene
        said = {key: text for key, text in scene.narration.model_dump().items() if text}
        fakes.tiny_video(out_dir / f"{name}.mp4", fakes.FPS * len(said), 40 * index)
        cues = [Cue(i, i + 1, text) for i, text in enumerate(said.values())]
        (out_dir / f"{name}.srt").write_text(format_srt(cues))
        Image.new("RGB", (854, 480), (40 * index, 0, 0)).save(out_dir / f"{name}.png")
        (out_dir / f"{name}.beats").mkdir()
        beats, stills = [], {}
        for i, (beat, text) in enumerate(said.items()):
            cue = manifest.Cue(start=float(i), end=i + 1.0, text=text)
            beats.append(
                manifest.Beat(scene=name, id=beat, start=i, end=i + 1.0, text=text, cues=[cue])
            )
            stills[beat] = f"{name}.beats/{beat}.png"
            Image.new("RGB", (854, 480), (0, 20 * i, 90)).save(out_dir / stills[beat])
        rendered.append(
            manifest.RenderedVideo(
                name=name,
                kind="scene",
                files={"mp4": f"{name}.mp4"},
                subtitles=f"{name}.srt",
                poster=f"{name}.png",
                duration=float(len(said)),
                width=854,
                height=480,
                fps=fakes.FPS,
                title=scene.title,
                beats=beats,
                stills=stills,
            )
        )
    name = lecture.spec.lecture
    concatenate([out_dir / f"{v.name}.mp4" for v in rendered], out_dir / f"{name}.mp4")
    beats = manifest.lecture_beats(rendered)
    cues = [Cue(c.start, c.end, c.text) for beat in beats for c in beat.cues]
    (out_dir / f"{name}.srt").write_text(format_srt(cues))
    rendered.append(
        manifest.RenderedVideo(
            name=name,
            kind="lecture",
            files={"mp4": f"{name}.mp4"},
            subtitles=f"{name}.srt",
            duration=sum(v.duration for v in rendered),
            width=854,
            height=480,
            fps=fakes.FPS,
            scenes=[v.name for v in rendered],
            scene_seconds=[v.duration for v in rendered],
            title=lecture.spec.title,
            beats=beats,
        )
    )
    manifest.write(out_dir, rendered, quality=quality or "low")
    return []


@pytest.mark.slow
def test_the_handout_leaves_no_still_alone_on_a_page(tmp_path, monkeypatch):
    from pypdf import PdfReader

    monkeypatch.setattr(run, "render", _fake_render_every_beat)
    lecture = load_lecture(CONFIG / "full-lecture.yaml")
    export_site(lecture, tmp_path / "site", quality="low", handout=True)
    pages = PdfReader(tmp_path / "site" / "handout.pdf").pages
    stills = [len(page.images) for page in pages]
    beats = sum(len([t for t in s.narration.model_dump().values() if t]) for _, s in lecture.scenes)
    assert sum(stills[1:]) >= beats - 2  # the title page holds the first scene's card
    # Each scene starts a page; none of them spills one lonely still onto the next.
    assert 1 not in stills[1:], stills


def test_pages_say_the_language_their_voice_speaks(tmp_path, monkeypatch):
    # A one-language lecture spoken by a German voice: every page is lang="de" (issue 23:
    # every page said lang="en" whatever the voice).
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "export_fakes", Path(__file__).with_name("test_export_pages.py")
    )
    fakes = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fakes)
    monkeypatch.setattr(run, "render", fakes.fake_render)
    folder = tmp_path / "config"
    shutil.copytree(CONFIG, folder, ignore=shutil.ignore_patterns("locale", "takes"))
    text = (folder / "lecture.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^languages:.*$", "", text, flags=re.MULTILINE)
    text = re.sub(
        r"^voice: .*$", "voice: {engine: espeak-ng, voice: de, rate: 145}", text, flags=re.MULTILINE
    )
    (folder / "lecture.yaml").write_text(text, encoding="utf-8")
    site = tmp_path / "site"
    export_site(load_lecture(folder / "lecture.yaml"), site, quality="low", handout=False)
    for page in ("index.html", "present.html", "speaker.html", "transcript.html"):
        head = (site / page).read_text(encoding="utf-8")[:300]
        assert '<html lang="de"' in head, (page, head)
