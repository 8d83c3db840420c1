"""The layout rules (scenes.scene.layout_check) on every scene spec in config/, at every beat's
end, on the Manim objects before anything is rendered: text inside the title-safe area, no two
texts overlapping, no text under 18 px at 720p, text contrast 4.5:1, and drawn colours that stay
apart (CIEDE2000 >= 10) in normal vision and under deuteranopia, protanopia and tritanopia.
Inside every animation too (at 0, 1/4, 1/2, 3/4 and all of its run): no text that moves or
appears overlaps another (a relayout sliding one label through another).

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


RELAYOUT_BEATS = ("data", "adapt", "restart")


@pytest.mark.parametrize("path", scene_specs(), ids=lambda p: p.stem)
def test_every_beat_end_keeps_the_layout_rules_and_the_timeline(path: Path, monkeypatch):
    """Also: the builder's beats end where the timeline says, counted on the frames it plays."""
    from scenes.compute.prepare import prepare_scene
    from scenes.scene.beat_frames import play_beats
    from scenes.scene.builder import SceneBuilder
    from scenes.scene.layout_check import check_layout, check_moving_overlaps, text_boxes

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

    start: dict = {}

    def check_moving(beat_id, scene, alpha):
        if alpha == 0:
            start.clear()
            start.update(text_boxes(scene.mobjects))
            return
        for problem in check_moving_overlaps(scene.mobjects, start):
            line = f"{beat_id} (moving): {problem}"
            if line not in problems:
                problems.append(line)

    # The relayouts (the panels making room for the line, the line zooming out as the data
    # spread, the second start) at every frame; the other animations at five stops each.
    play_beats(spec, check, during=check_moving, every_frame_of=RELAYOUT_BEATS)
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


def test_the_check_sees_a_label_sliding_through_another():
    """The moving check can fail: "delta = 1" sliding up through "|r| > delta" (as in the Huber
    scene's data beat before its formula cross-faded) is an overlap half way, though both ends
    are clear; a label that stands still over another is left to the beat-end check, and a
    label cross-fading into its own new place is no overlap."""
    from manim import DOWN, UP, Transform

    from scenes.scene import typeset
    from scenes.scene.layout_check import check_moving_overlaps, text_boxes
    from scenes.scene.shapes import point

    first = typeset.maths(r"|r| > \delta", 32).move_to(point(0, 0))
    second = typeset.maths(r"\delta = 1", 32).next_to(first, DOWN, buff=0.3)
    end = second.copy().next_to(first, UP, buff=0.3)
    start = text_boxes([first, second])
    slide = Transform(second, end)
    slide.begin()
    seen = {}
    for alpha in (0.25, 0.5, 0.75, 1.0):
        slide.interpolate(alpha)
        seen[alpha] = [p.rule for p in check_moving_overlaps([first, second], start)]
    assert seen[0.5] == ["overlap"]
    assert seen[1.0] == []
    # Standing still: not this check's business.
    still = typeset.maths(r"\delta = 1", 32).move_to(first)
    assert check_moving_overlaps([first, still], text_boxes([first, still])) == []
    # The same words cross-fading over themselves.
    again = typeset.maths(r"|r| > \delta", 32).move_to(first).shift(0.1 * UP)
    assert check_moving_overlaps([first, again], text_boxes([first])) == []


def test_every_animation_is_stopped_inside_its_run():
    """``play_beats`` calls ``during`` inside the animations, the scene part way: the Huber
    scene's title is written letter by letter, so at half its Write it is partly drawn."""
    from scenes.scene.beat_frames import play_beats
    from scenes.scene.layout_check import text_mobjects

    seen: list[tuple[str, float, float]] = []

    def during(beat_id, scene, alpha):
        if beat_id == "intro" and not any(a == 1.0 for _, a, _ in seen):
            texts = text_mobjects(scene.mobjects)
            opacity = min(
                (
                    float(p.get_fill_opacity())
                    for t in texts
                    for p in t.family_members_with_points()
                ),
                default=1.0,
            )
            seen.append((beat_id, alpha, opacity))

    play_beats(load_any(CONFIG / "l2.yaml"), lambda beat_id, scene: None, during=during)
    alphas = [alpha for _, alpha, _ in seen]
    assert alphas == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert seen[2][2] < 1.0 <= seen[-1][2] + 1e-9


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
