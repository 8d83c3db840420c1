"""Rendering at low quality with short timings: real properties of the videos, not just files.

Marked ``slow``: each test runs Manim (a few seconds per scene on 2 cores).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest
from helpers import CONFIG, ROOT, SHORT_NARRATION, decode_frames, fast_copy, run_cli

from scenes.production.video import is_faststart, mp4_boxes
from scenes.spec.colors import DEFAULT_COLORS

pytestmark = pytest.mark.slow

LOW = (854, 480, 15)
DERIVATIVE_LINE = "It is r, clipped at plus and minus delta."
"""A line of config/huber.yaml's narration, kept in the short-timed copy to reach the subtitles."""


def color_mask(image: np.ndarray, hex_color: str, tolerance: int = 40) -> np.ndarray:
    rgb = np.array([int(hex_color[i : i + 2], 16) for i in (1, 3, 5)])
    return np.abs(image.astype(int) - rgb).max(axis=-1) <= tolerance


@pytest.fixture(scope="module")
def huber_render(tmp_path_factory):
    folder = tmp_path_factory.mktemp("huber")
    spec = fast_copy(CONFIG / "huber.yaml", folder)
    spec.write_text(
        spec.read_text().replace(
            SHORT_NARRATION, f'narration: {{derivative: "{DERIVATIVE_LINE}", hold: "Done."}}\n'
        )
    )
    out = folder / "out"
    result = run_cli("render", str(spec), "-q", "low", "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out, result


def beat_seconds(spec: Path) -> list[float]:
    """The spec's timeline, as `loss-scenes script --json` prints it (no Manim involved)."""
    result = run_cli("script", str(spec), "--json")
    assert result.returncode == 0, result.stderr
    return [row["seconds"] for row in json.loads(result.stdout)]


def test_render_prints_only_written_paths(huber_render):
    out, result = huber_render
    printed = [Path(line) for line in result.stdout.splitlines()]
    assert {p.name for p in printed} >= {"HuberLoss.mp4", "HuberLoss.srt", "HuberLoss.png"}
    assert all(p.exists() for p in printed)
    # Faststart: a browser can start playing before the whole file is in.
    assert is_faststart(out / "HuberLoss.mp4"), mp4_boxes(out / "HuberLoss.mp4")
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "temporary files left"


def test_video_resolution_rate_and_duration(huber_render):
    out, _ = huber_render
    with av.open(str(out / "HuberLoss.mp4")) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == LOW[:2]
        assert float(stream.average_rate) == LOW[2]
        duration = float(stream.duration * stream.time_base)
    # As long as the timeline says; each beat ends on a whole frame at 15 fps.
    seconds = beat_seconds(out.parent / "huber.yaml")
    assert duration == pytest.approx(sum(seconds), abs=1 / 15)


def test_frames_change_during_descent(huber_render):
    out, _ = huber_render
    frames = decode_frames(out / "HuberLoss.mp4")
    # One frame per 1/15 s of the timeline: within half a frame, and the rounding of the
    # script's seconds to milliseconds (a few ms over the beats).
    expected = sum(beat_seconds(out.parent / "huber.yaml")) * 15
    assert abs(len(frames) - expected) <= 0.6, (len(frames), expected)
    distinct = {frame.tobytes().__hash__() for frame in frames}
    # Holds are exactly still (one coded picture, copied), the rest moves: 84 of 183 here.
    assert len(distinct) > len(frames) // 3
    # The descent occupies the frames before the hold: consecutive ones there must differ.
    descent = frames[-(3 + 9) : -3]
    assert sum(not np.array_equal(a, b) for a, b in zip(descent, descent[1:], strict=False)) >= 5


def test_last_frame_shows_curves_in_their_colours(huber_render):
    out, _ = huber_render
    # The frame before the scene's fade to the background.
    last = decode_frames(out / "HuberLoss.mp4")[-15]
    height, width, _ = last.shape
    plot = last[: int(0.45 * height), int(0.55 * width) :]
    for color in DEFAULT_COLORS.values():  # config/huber.yaml leaves the palette's colours
        assert color_mask(plot, color).sum() > 100, color
    background = color_mask(last, "#0f1117", tolerance=8).mean()
    assert background > 0.6
    poster = av.open(str(out / "HuberLoss.png"))
    poster.close()


def test_subtitles_carry_the_narration(huber_render):
    out, _ = huber_render
    srt = (out / "HuberLoss.srt").read_text()
    narration = (CONFIG / "huber.yaml").read_text()
    assert DERIVATIVE_LINE in narration
    assert srt.count("-->") == 2
    assert DERIVATIVE_LINE in srt.replace("\n", " ") and "Done." in srt


def test_spec_colours_reach_the_pixels(tmp_path):
    spec = fast_copy(
        CONFIG / "l1.yaml", tmp_path, **{"curves:\n": "curves:\n  colors: {loss: '#ff00ff'}\n"}
    )
    out = tmp_path / "out"
    result = run_cli("render", str(spec), "-q", "low", "-o", str(out))
    assert result.returncode == 0, result.stderr
    last = decode_frames(out / "AbsoluteLoss.mp4")[-15]  # before the fade
    plot = last[: int(0.45 * last.shape[0]), int(0.55 * last.shape[1]) :]
    assert color_mask(plot, "#ff00ff").sum() > 100
    assert color_mask(plot, DEFAULT_COLORS["loss"]).sum() < 20


def test_lecture_joins_scenes_in_order(loss_lecture_render):
    # helpers.loss_lecture's three scenes, rendered once for this and the Dask tests (conftest).
    out = loss_lecture_render
    parts = [decode_frames(out / f"{n}.mp4") for n in ("SquaredLoss", "AbsoluteLoss", "HuberLoss")]
    lecture = decode_frames(out / "LossFunctions.mp4")
    for name in ("SquaredLoss", "AbsoluteLoss", "HuberLoss", "LossFunctions"):
        assert is_faststart(out / f"{name}.mp4"), name
    assert len(lecture) == sum(len(p) for p in parts)
    # The lecture's last frame is the Huber scene's last frame, its first the L2 scene's first.
    assert np.abs(lecture[-1].astype(int) - parts[2][-1].astype(int)).mean() < 3
    assert np.abs(lecture[len(parts[0])].astype(int) - parts[1][0].astype(int)).mean() < 3
    srt = (out / "LossFunctions.srt").read_text()
    # The short-timed copies say one line each (helpers.SHORT_NARRATION), in order.
    assert srt.count("-->") == 3
    # One chapter per scene, where its frames start, titled as the scene (issue 23: render's
    # lecture had none, only export's).
    from scenes.production.video import chapters, probe

    marks = chapters(out / "LossFunctions.mp4")
    starts = np.cumsum(
        [0.0] + [probe(out / f"{n}.mp4").duration for n in ("SquaredLoss", "AbsoluteLoss")]
    )
    assert [round(m.start, 2) for m in marks] == [round(float(s), 2) for s in starts]
    assert all(m.title for m in marks) and len({m.title for m in marks}) == 3


def run_manim(config: Path, media: Path, scene: str, *flags: str) -> Path:
    """``manim -ql manim_scenes.py SCENE`` on the specs in ``config``; the video it wrote.

    ``flags`` may give ``--config_file`` (the ``glyph_config`` fixture: glyphs typeset before).
    """
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "manim",
            "-ql",
            "--media_dir",
            str(media),
            *flags,
            str(ROOT / "manim_scenes.py"),
            scene,
        ],
        cwd=config.parent,
        env={**os.environ, "LOSS_SCENES_CONFIG": str(config)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (video,) = media.rglob(f"{scene}.mp4")
    return video


def test_plain_manim_command_renders_a_spec(tmp_path, glyph_config):
    config = tmp_path / "config"
    config.mkdir()
    fast_copy(CONFIG / "huber.yaml", config)
    video = run_manim(
        config,
        tmp_path / "media",
        "HuberLoss",
        "--disable_caching",
        "--config_file",
        str(glyph_config),
    )
    frames = decode_frames(video)
    assert frames[0].shape == (480, 854, 3)
    assert is_faststart(video), mp4_boxes(video)


def test_plain_manim_cache_never_replays_a_stale_scene(tmp_path, glyph_config):
    """Manim's own cache stays on here; a changed spec must still give a new video."""
    config = tmp_path / "config"
    config.mkdir()
    last_frames = []
    for outlier in ("6.0", "4.0"):
        fast_copy(CONFIG / "l2.yaml", config, **{"1.3, 6.0]": f"1.3, {outlier}]"})
        video = run_manim(
            config, tmp_path / "media", "SquaredLoss", "--config_file", str(glyph_config)
        )
        # The last frames fade to the background: a frame before the fade shows the data.
        last_frames.append(decode_frames(video)[-15])
    assert np.abs(last_frames[0].astype(int) - last_frames[1].astype(int)).max() > 100


def test_extra_formats_come_with_the_mp4(tmp_path):
    """`--format gif` adds a GIF; the MP4 is always written, for a scene and for a lecture."""
    spec = fast_copy(CONFIG / "l2.yaml", tmp_path)
    (tmp_path / "lecture.yaml").write_text("lecture: Lec\nscenes: [l2.yaml]\n")
    out = tmp_path / "out"
    result = run_cli("render", str(spec), "-q", "low", "--format", "gif", "-o", str(out))
    assert result.returncode == 0, result.stderr
    # Printed: what a user opens; the beats' stills are listed in the manifest.
    assert {Path(line).name for line in result.stdout.splitlines()} == {
        "SquaredLoss.mp4",
        "SquaredLoss.gif",
        "SquaredLoss.srt",
        "SquaredLoss.png",
        "manifest.json",
    }
    # Several formats: repeated, or separated by commas; the scene is reused from above.
    for options in (["--format", "gif", "--format", "webm"], ["--format", "webm,gif"]):
        lecture = str(tmp_path / "lecture.yaml")
        result = run_cli("render", lecture, "-q", "low", *options, "-o", str(out))
        assert result.returncode == 0, result.stderr
        names = {Path(line).name for line in result.stdout.splitlines()}
        for name in ("SquaredLoss", "Lec"):
            assert {f"{name}.mp4", f"{name}.webm", f"{name}.gif"} <= names
    for name in ("SquaredLoss", "Lec"):
        with av.open(str(out / f"{name}.gif")) as gif, av.open(str(out / f"{name}.mp4")) as mp4:
            assert gif.streams.video[0].codec_context.name == "gif"
            assert mp4.streams.video[0].codec_context.name == "h264"


def test_check_refuses_exactly_the_characters_the_video_cannot_draw(tmp_path):
    """fontconfig's answer (what check asks) agrees with what Manim draws, character by
    character: one outline is drawn; a box with the hex code (4 to 7 pieces) is refused."""
    import random
    import unicodedata

    from manim import Text, tempconfig

    from scenes.spec.glyphs import undrawable

    rng = random.Random(7)
    pool = [*range(0x2190, 0x2800), *range(0x1F300, 0x1FB00), *range(0x4E00, 0x4F00)]
    chars = [chr(code) for code in rng.sample(pool, 120)]
    chars = [c for c in chars if unicodedata.category(c) not in ("Cn", "Mn", "Me", "Cf")]
    refused = 0
    with tempconfig({"text_dir": str(tmp_path)}):
        for char in chars:
            pieces = len(Text(char, font="DejaVu Sans").submobjects)
            assert (pieces <= 2) == (undrawable(char) is None), (hex(ord(char)), pieces)
            refused += undrawable(char) is not None
    assert 0 < refused < len(chars)  # the sample holds both kinds


def test_check_refuses_a_character_no_font_has_at_its_field(tmp_path):
    spec = tmp_path / "s.yaml"
    spec.write_text(
        'scene: Glyphs\ntitle: "Loss \U0010fffd"\nloss: {name: l2}\n'
        'observations: {values: [1, 2]}\nnarration: {loss: "ok 🎓"}\n'
    )
    result = run_cli("check", str(spec))
    assert result.returncode == 2
    assert result.stderr == (
        f"{spec}:2:8: error: title: character 6 (\U0010fffd, U+10FFFD) is in none of the "
        "installed fonts, so the video would show an empty box: leave it out or use another "
        "symbol (scripts/install.sh installs Symbola, which has most emoji)\n"
    )


@pytest.mark.parametrize("text", ["😀", "Loss 🎓", "✓ → ∑", "🦄 🔥"])
def test_emoji_in_titles_and_captions_are_drawn(text, tmp_path):
    """Each character is one outline: not a box with its hex code (no font had it, 6 pieces for
    U+1F600), and not left out (a colour emoji font's glyphs are pictures Manim does not draw).
    scripts/install.sh installs Symbola for this."""
    from manim import Text, tempconfig

    from scenes.scene import style

    with tempconfig({"text_dir": str(tmp_path)}):  # typeset now, not read from a glyph cache
        glyphs = Text(text, font=style.FONT, font_size=style.SIZE_CAPTION).submobjects
    assert len(glyphs) == len(text.replace(" ", ""))
    assert all(glyph.width > 0.05 and glyph.height > 0.05 for glyph in glyphs)
