"""The layout rules (scenes.scene.layout_check) on every scene spec in config/, at every beat's
end, on the Manim objects before anything is rendered: text inside the title-safe area, no two
texts overlapping, no text under 18 px at 720p, text contrast 4.5:1, and drawn colours that stay
apart (CIEDE2000 >= 10) in normal vision and under deuteranopia, protanopia and tritanopia.

Scenes are played with Manim's skip_animations (scenes.scene.beat_frames): a few seconds each.
"""

from pathlib import Path

import pytest
from helpers import CONFIG

from scenes.spec import Course, Lecture, load_any

pytestmark = pytest.mark.slow


def scene_specs() -> list[Path]:
    """Every scene spec of config/ (not the lectures and courses that list them)."""
    return [
        path
        for path in sorted(CONFIG.glob("*.yaml"))
        if not isinstance(load_any(path), Lecture | Course)
    ]


@pytest.mark.parametrize("path", scene_specs(), ids=lambda p: p.stem)
def test_every_beat_end_keeps_the_layout_rules_and_the_timeline(path: Path, monkeypatch):
    """Also: the builder's beats end where the timeline says, counted on the frames it plays."""
    from scenes.compute.prepare import prepare_scene
    from scenes.scene.beat_frames import play_beats
    from scenes.scene.builder import SceneBuilder
    from scenes.scene.layout_check import check_layout

    spec = load_any(path)
    problems: list[str] = []
    beats: list[str] = []
    ends: list[tuple[str, int, float]] = []
    original = SceneBuilder.hold

    def recording_hold(self, until=1.0):
        original(self, until)
        if until == 1.0:
            ends.append((self.beat.id, self.frame, self.fps))

    monkeypatch.setattr(SceneBuilder, "hold", recording_hold)

    def check(beat_id, scene):
        beats.append(beat_id)
        problems.extend(f"{beat_id}: {problem}" for problem in check_layout(scene.mobjects))

    play_beats(spec, check)
    assert beats, "no beat was played"
    assert not problems, "\n".join(problems)
    timeline = prepare_scene(spec, speak=False).timeline
    assert [beat_id for beat_id, _, _ in ends] == [beat.id for beat in timeline.beats]
    for (beat_id, frame, fps), beat in zip(ends, timeline.beats, strict=True):
        assert frame == round(beat.end * fps), beat_id


LONG_TITLE = "Absolute loss: the median, which is the middle of the data, said at length"


def _with_title(tmp_path: Path, title: str) -> Path:
    spec_path = tmp_path / "long.yaml"
    spec_path.write_text(
        (CONFIG / "l1.yaml")
        .read_text()
        .replace('title: "Absolute loss: the median"', f'title: "{title}"')
    )
    return spec_path


def test_the_check_sees_a_broken_layout(tmp_path, monkeypatch):
    """The test above can fail: a long title set on one line (as titles were before they
    wrapped) runs past the title-safe area, and the check says so."""
    from manim import UL

    from scenes.scene import style, typeset
    from scenes.scene.beat_frames import play_beats
    from scenes.scene.builder import SceneBuilder
    from scenes.scene.layout_check import check_layout

    def one_line(self):
        return typeset.text(self.spec.title, style.SIZE_TITLE).to_corner(UL)

    monkeypatch.setattr(SceneBuilder, "make_title", one_line)
    found: list[str] = []
    play_beats(
        load_any(_with_title(tmp_path, LONG_TITLE)),
        lambda beat_id, scene: found.extend(p.rule for p in check_layout(scene.mobjects)),
    )
    assert "safe-area" in found


@pytest.mark.parametrize("length", [len(LONG_TITLE), 200])
def test_long_titles_wrap_inside_the_safe_area_and_stay_readable(tmp_path, length):
    """Up to the 200-character limit: wrapped between words, never under 18 px at 720p."""
    from scenes.scene.beat_frames import play_beats
    from scenes.scene.layout_check import check_layout

    words = (LONG_TITLE + " and more") * 4
    title = words[:length].rstrip()
    found: list[str] = []
    play_beats(
        load_any(_with_title(tmp_path, title)),
        lambda beat_id, scene: found.extend(
            f"{beat_id}: {p}" for p in check_layout(scene.mobjects)
        ),
    )
    assert found == []


def test_the_check_sees_a_shape_under_the_caption():
    """A marker that reaches into the caption's lines is a problem; one above them is not."""
    from manim import DOWN, Dot

    from scenes.scene import layout_check, typeset
    from scenes.scene.captions import SAFE_BOTTOM
    from scenes.scene.shapes import point

    caption = typeset.text("θ stops at the minimum", 32).align_to(point(0, SAFE_BOTTOM), DOWN)
    under = Dot(caption.get_center(), radius=0.1)
    above = Dot(caption.get_top() + point(0, 0.3), radius=0.1)
    assert [p.rule for p in layout_check.check_layout([caption, under], colours=False)] == [
        "under-caption"
    ]
    assert layout_check.check_layout([caption, above], colours=False) == []
