"""Course-site export without Manim: pages from data, text tracks, atomic replacement.

The render step is replaced by a fake that writes tiny real videos and a manifest made by the
render's own model (``scenes.production.manifest``), so these tests take a second;
``tests/browser/test_site_in_chromium.py`` covers the real thing.
"""

import json
import os
import re
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from helpers import CONFIG, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

import scenes.production.run as run
from scenes.production import manifest
from scenes.production.subtitles import Cue, format_srt, format_vtt, parse_srt
from scenes.production.video import ChapterMark, concatenate, mp4_boxes
from scenes.production.video import chapters as read_chapters
from scenes.site import ExportError, build_site, export_site, plan_site, render_pages
from scenes.site.pages import clock
from scenes.spec import load_lecture

FPS = 10


def tiny_video(path: Path, frames: int, shade: int) -> None:
    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=Fraction(FPS))
        stream.width, stream.height, stream.pix_fmt = 64, 36, "yuv420p"
        for index in range(frames):
            image = np.full((36, 64, 3), shade % 256, np.uint8)
            image[:, index % 64] = 255
            out.mux(stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")))
        out.mux(stream.encode(None))


def fake_render(specs, *, quality, out_dir, formats, progress, jobs=1, cluster=None):
    """What ``run.render`` writes for a lecture, with 1-second videos instead of Manim's; the
    manifest is made by the render's own model, so it cannot drift from the real format.
    """
    from PIL import Image

    (lecture,) = specs
    out_dir.mkdir(parents=True, exist_ok=True)
    rendered = []
    for index, (_, spec) in enumerate(lecture.scenes):
        name = spec.scene
        tiny_video(out_dir / f"{name}.mp4", FPS, 40 * index)
        narration = [text for text in spec.narration.model_dump().values() if text]
        cues = [Cue(0.2 * i, 0.2 * i + 0.2, text) for i, text in enumerate(narration)]
        (out_dir / f"{name}.srt").write_text(format_srt(cues))
        Image.new("RGB", (64, 36), (40 * index, 0, 0)).save(out_dir / f"{name}.png")
        # Two beats a scene, each with its last frame, as the pipeline records them; the first
        # beat holds the captions.
        beats = [
            manifest.Beat(
                scene=name,
                id="first",
                start=0.0,
                end=0.5,
                text=narration[0],
                cues=[manifest.Cue(start=c.start, end=c.end, text=c.text) for c in cues],
            ),
            manifest.Beat(scene=name, id="second", start=0.5, end=1.0, text=""),
        ]
        stills = {}
        for beat in beats:
            stills[beat.id] = f"{name}.beats/{beat.id}.png"
            (out_dir / f"{name}.beats").mkdir(exist_ok=True)
            Image.new("RGB", (64, 36), (0, 40 * index, 0)).save(out_dir / stills[beat.id])
        rendered.append(
            manifest.RenderedVideo(
                name=name,
                kind="scene",
                files={"mp4": f"{name}.mp4"},
                subtitles=f"{name}.srt",
                poster=f"{name}.png",
                duration=1.0,
                width=64,
                height=36,
                fps=FPS,
                title=spec.title,
                beats=beats,
                stills=stills,
            )
        )
    name = lecture.spec.lecture
    concatenate([out_dir / f"{v.name}.mp4" for v in rendered], out_dir / f"{name}.mp4")
    beats = manifest.lecture_beats(rendered)
    lecture_cues = [Cue(c.start, c.end, c.text) for beat in beats for c in beat.cues]
    (out_dir / f"{name}.srt").write_text(format_srt(lecture_cues))
    rendered.append(
        manifest.RenderedVideo(
            name=name,
            kind="lecture",
            files={"mp4": f"{name}.mp4"},
            subtitles=f"{name}.srt",
            duration=float(len(rendered)),
            width=64,
            height=36,
            fps=FPS,
            scenes=[v.name for v in rendered],
            scene_seconds=[v.duration for v in rendered],
            title=lecture.spec.title,
            beats=beats,
        )
    )
    manifest.write(out_dir, rendered, quality=quality or "low")
    return []


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setattr(run, "render", fake_render)


@pytest.fixture(scope="module")
def lecture(tmp_path_factory):
    """The default lecture in its own language only (German pages: test_export_languages.py)."""
    folder = tmp_path_factory.mktemp("config")
    for spec in CONFIG.glob("*.yaml"):
        (folder / spec.name).write_text(spec.read_text())
    text = (folder / "lecture.yaml").read_text()
    (folder / "lecture.yaml").write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("languages:"))
    )
    return load_lecture(folder / "lecture.yaml")


def test_export_writes_the_documented_layout(fake, lecture, tmp_path):
    result = export_site(lecture, tmp_path / "site", quality="low", gif=True)
    site = tmp_path / "site"
    assert result.index == site / "index.html"
    names = [spec.scene for _, spec in lecture.scenes]
    expected = {"index.html", "style.css", "site.js", "favicon.svg", "site.json"}
    for name in names:
        expected |= {f"embed/{name}.html"}
        expected |= {f"media/{name}.{ext}" for ext in ("mp4", "webm", "png", "vtt", "gif")}
    expected |= {"embed/LossFunctions.html", "media/LossFunctions.chapters.vtt"}
    expected |= {f"media/LossFunctions.{ext}" for ext in ("mp4", "webm", "vtt", "beats.vtt")}
    expected |= {"present.html", "present.js", "speaker.html", "handout.html", "handout.pdf"}
    expected |= {"transcript.html"}  # spec-v3 section 16
    expected |= {f"media/{name}.beats/{beat}.png" for name in names for beat in ("first", "second")}
    # The loss scenes' explorable pages (the title and summary cards have none).
    loss_scenes = [
        spec.scene for _, spec in lecture.scenes if getattr(spec, "kind", "loss") == "loss"
    ]
    expected |= {f"explore/{name}.{ext}" for name in loss_scenes for ext in ("html", "js")}
    expected |= {"explore.css", "explore.js", "explore-maths.js"}
    assert set(result.files) == expected
    assert (site / "handout.pdf").read_bytes().startswith(b"%PDF-")
    beats = (site / "media" / "LossFunctions.beats.vtt").read_text()
    # Each scene's two beats, placed where the scene starts in the lecture (1 s apart).
    assert re.findall(r"^(\S+/\S+)\n00:00:(\S+) --> 00:00:(\S+)$", beats, re.MULTILINE) == [
        (f"{name}/{beat}", f"{index + start:06.3f}", f"{index + start + 0.5:06.3f}")
        for index, name in enumerate(names)
        for beat, start in (("first", 0.0), ("second", 0.5))
    ]
    assert json.loads((site / "site.json").read_text())["files"]["index.html"] > 0
    assert [p.name for p in tmp_path.iterdir()] == ["site"], "temporary folders left"
    for name in [*names, "LossFunctions"]:
        boxes = mp4_boxes(site / "media" / f"{name}.mp4")
        assert boxes.index("moov") < boxes.index("mdat"), name
    titles = [spec.title for _, spec in lecture.scenes]
    for suffix in (".mp4", ".webm"):
        assert read_chapters(site / "media" / f"LossFunctions{suffix}") == [
            ChapterMark(title, float(i), float(i + 1)) for i, title in enumerate(titles)
        ]
    with av.open(str(site / "media" / "LossFunctions.webm")) as container:
        assert container.streams.video[0].codec_context.name == "vp9"
        assert container.duration / 1e6 == pytest.approx(len(names), abs=0.05)
    chapters = (site / "media" / "LossFunctions.chapters.vtt").read_text()
    assert re.findall(r"(\S+) --> (\S+)", chapters) == [
        (f"00:00:0{i}.000", f"00:00:0{i + 1}.000") for i in range(len(names))
    ]
    assert len(result.snippets) == len(names)
    assert 'src="site/embed/SquaredLoss.html"' in result.snippets[1]
    assert 'title="Squared loss: the mean"' in result.snippets[1]


def set_keys(render_dir: Path, keys: dict[str, str]) -> None:
    """Give scenes render keys, as a real render does (the fake leaves them None)."""
    recorded = manifest.read(render_dir)
    for name, key in keys.items():
        recorded.videos[name].key = key
    manifest.write(render_dir, recorded.videos.values(), quality=recorded.quality)


def test_conversions_are_reused_while_scene_and_settings_are_unchanged(
    lecture, tmp_path, monkeypatch
):
    import scenes.production.video as video

    render_dir = tmp_path / "render"
    fake_render([lecture], quality="low", out_dir=render_dir, formats=["mp4"], progress=None)
    names = [spec.scene for _, spec in lecture.scenes]
    # The lecture's key covers its scenes' keys, as keys.lecture_key makes it.
    set_keys(render_dir, {name: f"key-{name}" for name in [*names, "LossFunctions"]})
    made: list[str] = []
    for function in ("transcode", "web_gif"):
        original = getattr(video, function)

        def counted(source, output, *args, _original=original, **kwargs):
            made.append(f"{Path(source).stem}{Path(output).suffix}")
            return _original(source, output, *args, **kwargs)

        monkeypatch.setattr(video, function, counted)
    join = video.concatenate
    monkeypatch.setattr(
        video,
        "concatenate",
        lambda parts, output: (made.append(f"joined{Path(output).suffix}"), join(parts, output)),
    )
    import scenes.site.printing as printing

    print_pdf = printing.print_pdf
    monkeypatch.setattr(
        printing,
        "print_pdf",
        lambda page, target: (made.append("handout.pdf"), print_pdf(page, target)),
    )

    def build(name: str) -> dict[str, bytes]:
        made.clear()
        build_site(render_dir, "LossFunctions", tmp_path / name, gif=True, jobs=2)
        site = tmp_path / name
        return {
            p.relative_to(site).as_posix(): p.read_bytes()
            for p in [*(site / "media").rglob("*"), site / "handout.pdf"]
            if p.is_file()
        }

    first = build("cold")
    expected = sorted(
        [*(f"{n}{s}" for n in names for s in (".webm", ".gif")), "handout.pdf", "joined.webm"]
    )
    assert sorted(made) == expected
    assert build("unchanged") == first and made == []

    set_keys(render_dir, {"HuberLoss": "key-HuberLoss-edited", "LossFunctions": "key-edited"})
    edited = build("edited")
    # The lecture WebM is joined again; same page and stills: the PDF is reused.
    assert sorted(made) == ["HuberLoss.gif", "HuberLoss.webm", "joined.webm"]
    assert edited.keys() == first.keys()
    # One version per scene and format stays in the cache; nothing half-written is left.
    cache = sorted(p.name for p in (render_dir / "site-media").iterdir())
    assert len(cache) == 2 * len(names) + 2 and not [n for n in cache if n.startswith(".")]
    assert [n.split(".")[0] for n in cache if n.endswith(".webm")] == sorted(
        [*names, "LossFunctions"]
    )

    monkeypatch.setitem(video.WEBM_OPTIONS, "crf", "40")
    build("other settings")
    assert sorted(made) == sorted([*(f"{n}.webm" for n in names), "joined.webm"])


def test_reexport_replaces_the_folder_as_a_whole(fake, lecture, tmp_path):
    site = tmp_path / "site"
    export_site(lecture, site, quality="low")
    (site / "stale.txt").write_text("from an older export")
    before = site.stat().st_ino
    export_site(lecture, site, quality="low")
    assert not (site / "stale.txt").exists()
    assert site.stat().st_ino != before  # a new folder, not files rewritten in place
    assert (site / "index.html").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_failed_export_leaves_the_old_site_intact(fake, lecture, tmp_path, monkeypatch):
    site = tmp_path / "site"
    export_site(lecture, site, quality="low")
    snapshot = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}

    def broken(*args, **kwargs):
        raise RuntimeError("encoder crashed")

    import scenes.production.video

    monkeypatch.setattr(scenes.production.video, "transcode", broken)
    with pytest.raises(RuntimeError, match="encoder crashed"):
        export_site(lecture, site, quality="low")
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == snapshot
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_refuses_to_replace_a_folder_that_is_not_a_site(fake, lecture, tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "thesis.tex").write_text("irreplaceable")
    with pytest.raises(ExportError, match="not an earlier export"):
        export_site(lecture, notes, quality="low")
    assert (notes / "thesis.tex").read_text() == "irreplaceable"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes"]
    empty = tmp_path / "empty"
    empty.mkdir()
    export_site(lecture, empty, quality="low")
    assert (empty / "index.html").is_file()


def test_cli_rejects_a_non_site_folder_with_exit_2(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    result = run_cli(
        "export",
        str(CONFIG / "lecture.yaml"),
        "-q",
        "low",
        "-o",
        str(tmp_path),
        "--render-dir",
        str(tmp_path / "videos"),
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "not an earlier export" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_cli_wants_a_lecture_spec(tmp_path):
    result = run_cli("export", str(CONFIG / "l2.yaml"), "-o", str(tmp_path / "site"))
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == f"{CONFIG / 'l2.yaml'}:3:1: error: this is a scene spec (it has `scene:`), not a "
        "lecture or course spec; export takes a lecture or course"
    )
    assert not (tmp_path / "site").exists()


def test_cli_invalid_lecture_writes_nothing(tmp_path):
    bad = tmp_path / "lecture.yaml"
    bad.write_text("lecture: LossFunctions\nscenes: [missing.yaml]\n")
    result = run_cli("export", str(bad), "-o", str(tmp_path / "site"))
    assert result.returncode == 2
    assert re.match(rf"{re.escape(str(bad))}:\d+:\d+: error: ", result.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lecture.yaml"]


def manifest_for(title: str, narration: str) -> manifest.Manifest:
    """Two scenes joined into lecture L; scene A says ``narration`` in its one beat."""
    cue = manifest.Cue(start=0.5, end=1.0, text=narration)
    beat = manifest.Beat(scene="A", id="b1", start=0.0, end=2.5, text=narration, cues=[cue])
    size = {"width": 854, "height": 480}
    a = manifest.RenderedVideo(
        name="A",
        kind="scene",
        duration=2.5,
        title=title,
        beats=[beat],
        stills={"b1": "A.beats/b1.png"},
        **size,
    )
    b = manifest.RenderedVideo(name="B", kind="scene", duration=1.5, title=None, **size)
    lecture = manifest.RenderedVideo(
        name="L",
        kind="lecture",
        duration=4.0,
        title=title,
        scenes=["A", "B"],
        scene_seconds=[2.5, 1.5],
        beats=manifest.lecture_beats([a, b]),
        **size,
    )
    return manifest.Manifest(quality="low", videos={v.name: v for v in (a, b, lecture)})


def test_titles_and_narration_are_escaped_everywhere():
    hostile = '<script>alert("x")</script> & co'
    narration = "a < b & c --> d"
    recorded = manifest_for(hostile, narration)
    pages = render_pages(plan_site(recorded, "L", {}, gif=False, handout=True))
    assert {"present.html", "speaker.html", "handout.html", "media/L.beats.vtt"} <= set(pages)
    for path, text in pages.items():
        assert "<script>alert" not in text, path
    # The beats' data block holds no < > & at all, and reads back as written.
    for name in ("present.html", "speaker.html"):
        block = pages[name].split('<script type="application/json" id="beats">')[1]
        data = json.loads(block.split("</script>")[0])
        assert data["beats"][0]["title"] == hostile and data["beats"][0]["text"] == narration
    # A metadata cue is raw text: only "-->" is broken (by a zero-width space).
    assert (
        "A/b1\n00:00:00.000 --> 00:00:02.500\na < b & c --\u200b> d\n" in pages["media/L.beats.vtt"]
    )
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co" in pages["index.html"]
    assert "a &lt; b &amp; c --&gt; d" in pages["media/A.vtt"]
    assert "-->" not in pages["media/A.vtt"].split("\n", 3)[3]  # only in the timing line
    # Chapter titles fall back to the scene name; chapters start where the parts add up to.
    assert pages["media/L.chapters.vtt"].endswith("00:00:02.500 --> 00:00:04.000\nB\n")


# --- subtitle files: plain text, whatever the narration holds ---------------------------------

narration_text = st.text(
    alphabet=st.sampled_from(list("ab {}<>/\\&-! \n\t")) | st.characters(codec="utf-8"),
    max_size=40,
)


def ink(text: str) -> str:
    """The visible characters of ``text``: no whitespace, no zero-width spaces."""
    return "".join(text.replace("\u200b", "").split())


@settings(max_examples=200)
@given(st.lists(narration_text, min_size=1, max_size=5))
def test_srt_and_vtt_cues_are_text_never_markup_and_never_broken(texts):
    import srt  # Manim's own SubRip parser: an independent reader

    cues = [Cue(i, i + 0.5, text) for i, text in enumerate(texts)]
    kept = [cue for cue in cues if any(line.strip() for line in cue.text.splitlines())]
    written = format_srt(cues)
    parsed = list(srt.parse(written))
    # One SubRip cue per cue with text: a blank line inside a cue would have split it.
    assert len(parsed) == len(kept)
    for cue, text in zip(parsed, (cue.text for cue in kept), strict=True):
        assert "\n\n" not in cue.content
        # No tag or override block for a player to act on: every "<" or "{" that could open one
        # is followed by an invisible zero-width space.
        assert not re.search(r"<[A-Za-z/!]|\{[A-Za-z/\\!]", cue.content)
        # The words as written, wrapped into caption lines (only the whitespace may differ).
        assert len(cue.content.splitlines()) <= 2 or len(text) > 2 * 42
        assert ink(cue.content) == ink(text)
    # Read back by our own parser: the text as written (lecture joins re-read scene files).
    assert [ink(c.text) for c in parse_srt(written)] == [ink(cue.text) for cue in kept]
    vtt = format_vtt(cues)
    blocks = vtt.split("\n\n")
    assert blocks[0] == "WEBVTT" and len([b for b in blocks[1:] if b.strip()]) == len(kept)
    for block in blocks[1:]:
        if block.strip():
            timing, *body = block.strip("\n").split("\n")
            assert " --> " in timing and body and all(line.strip() for line in body)
            text = "\n".join(body)
            assert "<" not in text and "-->" not in text
            assert re.fullmatch(r"([^&]|&(amp|lt|gt);)*", text, re.S)


@given(st.lists(st.tuples(st.floats(0, 5000), narration_text), min_size=1, max_size=5))
def test_site_captions_are_what_the_subtitle_file_reads_back(timed):
    """The site takes its captions from the manifest and reads no SRT file: the cues it shows
    are the ones the render's SRT gives back, text and milliseconds alike.
    """
    from scenes.production.subtitles import shown

    def millis(cues: list[Cue]) -> list[tuple[int, int, str]]:
        return [(round(c.start * 1000), round(c.end * 1000), c.text) for c in cues]

    cues = [Cue(start, start + 0.5, text) for start, text in timed]
    assert millis(shown(cues)) == millis(parse_srt(format_srt(cues)))


def test_pages_are_accessible_by_construction():
    recorded = manifest_for("Loss functions", "Narration.")
    pages = render_pages(plan_site(recorded, "L", {"media/A.gif": 10}, gif=True))
    index = pages["index.html"]
    assert '<html lang="en">' in index and "<title>Loss functions</title>" in index
    assert index.count("<video ") == 3 and index.count(" controls ") == 3
    assert index.count('<track kind="captions" srclang="en" label="English"') == 3
    assert index.count(" default>") == 3
    assert 'alt="Animation: Loss functions. Narration."' in index
    for path in ("embed/A.html", "embed/B.html", "embed/L.html"):
        assert '<html lang="en" class="embed">' in pages[path]
        assert pages[path].count("<video ") == 1
    assert re.findall(r'(?:src|href|poster)="(https?:|//|/)', "".join(pages.values())) == []


@pytest.mark.parametrize(
    ("seconds", "text"), [(0, "0:00"), (59.9, "0:59"), (75.2, "1:15"), (3725, "1:02:05")]
)
def test_clock(seconds, text):
    assert clock(seconds) == text


def test_replace_dir_atomic_swaps_whole_folders(tmp_path):
    from scenes.files import replace_dir_atomic

    old, new = tmp_path / "site", tmp_path / "new"
    old.mkdir()
    (old / "a").write_text("old")
    new.mkdir()
    (new / "b").write_text("new")
    replace_dir_atomic(new, old)
    assert [p.name for p in old.iterdir()] == ["b"]
    assert [p.name for p in new.iterdir()] == ["a"]  # the old folder, left for the caller
    fresh = tmp_path / "fresh"
    replace_dir_atomic(new, fresh)
    assert [p.name for p in fresh.iterdir()] == ["a"] and not new.exists()
    assert set(os.listdir(tmp_path)) == {"site", "fresh"}


def test_export_renders_without_burned_captions_under_other_keys_and_folder(lecture):
    """Site videos have no captions in their frames: other videos than ``render``'s, so other
    render keys and, by default, another folder (neither command replaces the other's files).
    """
    from scenes.production.keys import scene_key
    from scenes.site.build import default_render_dir, without_burned_captions
    from scenes.spec import resolved_scene_dict

    plain = without_burned_captions(lecture)
    assert plain.spec == lecture.spec and len(plain.scenes) == len(lecture.scenes)
    for (path, original), (plain_path, unburned) in zip(lecture.scenes, plain.scenes, strict=True):
        assert plain_path == path
        assert original.captions is None or original.captions.burn  # the config burns them in
        assert unburned.captions.burn is False
        assert unburned.model_copy(update={"captions": original.captions}) == original
        keys = {
            scene_key(resolved_scene_dict(spec), "low", ["mp4"]) for spec in (original, unburned)
        }
        assert len(keys) == 2
    assert default_render_dir("low") != run.default_output_dir("low")


def test_export_without_chromium_says_so_in_one_line_before_rendering(tmp_path):
    """The handout is printed with headless Chromium: without one, exit 1 at once, nothing
    written; ``--no-handout`` is the way round it.
    """
    import shutil

    # Every program the lecture needs, but no browser.
    tools = tmp_path / "bin"
    tools.mkdir()
    for program in ("espeak-ng", "latex", "xelatex", "dvisvgm", "ffmpeg", "fc-list", "fc-match"):
        found = shutil.which(program)
        if found:
            (tools / program).symlink_to(found)
    env = {"PATH": str(tools), "LOSS_SCENES_CHROMIUM": ""}
    site = tmp_path / "site"
    result = run_cli("export", str(CONFIG / "lecture.yaml"), "-o", str(site), env=env)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("loss-scenes: error: handout.pdf is printed with headless")
    assert "--no-handout" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin"]
