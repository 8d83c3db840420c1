"""The layout checker on small synthetic frames: one that passes, and one of each failure."""

import numpy as np
import pytest

from scenes.scene import layout_check, style
from scenes.scene.still import still_config

PX_PER_UNIT = 720 / 8


@pytest.fixture(scope="module", autouse=True)
def frame():
    with still_config(720):
        yield


def rules(problems) -> list[str]:
    return sorted(problem.rule for problem in problems)


def good_frame() -> list:
    """A title, a formula, a curve with its direct label, a number line with tick labels, theta,
    reference markers and a caption: every rule kept.
    """
    from manim import UL, VGroup

    from scenes.scene import typeset
    from scenes.scene.strokes import marker, stroked_curve
    from scenes.scene.typeset import tick_labels

    title = typeset.text("Huber's robust loss", style.SIZE_TITLE).to_corner(UL, buff=0.8)
    formula = typeset.maths(r"\ell(r) = \tfrac{1}{2} r^2", style.SIZE_FORMULA)
    formula.next_to(title, direction=np.array([0, -1, 0]), buff=0.3).align_to(title, UL * [1, 0, 0])
    x = np.linspace(-3, 3, 100)
    curve = stroked_curve(np.stack([x, 0.15 * x**2, 0 * x], 1), "loss")
    label = typeset.maths(r"\ell(r)", style.SIZE_LABEL, style.LOSS).move_to([3.6, 1.6, 0])
    from manim import NumberLine

    line = NumberLine(x_range=(-4, 4, 1), length=10, color=style.MUTED).move_to([0, -1.6, 0])
    tick_labels(line, [-4, -2, 0, 2, 4], 0)
    theta = marker("theta").move_to([0.5, -2.0, 0])
    mean = marker("mean").move_to([-1.0, -1.6, 0])
    mean_label = typeset.text("mean 0.31", style.SIZE_SMALL, style.MEAN).move_to([-1.6, -2.7, 0])
    caption = typeset.text("Each arrow is the pull of one observation.", style.SIZE_CAPTION)
    caption.move_to([0, -3.2, 0])
    return [VGroup(title, formula), curve, label, line, theta, mean, mean_label, caption]


def test_a_frame_that_keeps_every_rule_passes():
    problems = layout_check.check_layout(good_frame())
    assert problems == [], [str(p) for p in problems]


def test_texts_are_found_inside_groups_but_not_inside_other_texts():
    from manim import VGroup

    from scenes.scene import typeset

    inner = VGroup(typeset.text("a"), typeset.maths("b"), typeset.number(1.5, 1))
    hidden = typeset.text("hidden").set_opacity(0)
    found = layout_check.text_mobjects([VGroup(inner, hidden)])
    assert [type(m).__name__ for m in found] == ["Text", "SansMathTex", "Number"]


def test_text_outside_the_title_safe_area():
    from manim import RIGHT

    from scenes.scene import typeset

    # 5% of the frame's width is 0.71 units: an edge 0.3 units from the frame's edge is outside.
    edge = typeset.text("too far right", style.SIZE_SMALL).to_edge(RIGHT, buff=0.3)
    inside = typeset.text("inside", style.SIZE_SMALL).to_edge(RIGHT, buff=0.8).shift([0, 1, 0])
    problems = layout_check.check_layout([edge, inside])
    assert rules(problems) == ["safe-area"]
    assert "too far right" in problems[0].message


def test_two_texts_that_overlap():
    from scenes.scene import typeset

    a = typeset.text("mean 0.31", style.SIZE_SMALL).move_to([0, 0, 0])
    b = typeset.text("median 0.25", style.SIZE_SMALL).move_to([0.5, 0.1, 0])
    c = typeset.text("far away", style.SIZE_SMALL).move_to([0, 2, 0])
    assert rules(layout_check.check_layout([a, b, c])) == ["overlap"]


def test_text_over_a_marker_or_a_dashed_leader():
    """A marker on a word (the summary's hexagon on "a local minimum") and a leader through a
    label are reported; the same marker and leader beside the text are not.
    """
    from manim import DashedLine

    from scenes.scene import typeset
    from scenes.scene.strokes import marker

    words = typeset.text("0.3167, a local minimum", style.SIZE_SMALL).move_to([0, 0, 0])
    on_word = marker("trimmed_mean", 0.24).move_to([0.2, words.get_bottom()[1], 0])
    leader = DashedLine([-0.5, -1, 0], [-0.5, 0.3, 0], dash_length=0.06)
    leader.layout_obstacle = True
    problems = layout_check.check_layout([words, on_word, leader], colours=False)
    assert rules(problems) == ["marker-overlap", "marker-overlap"]
    right = words.get_right()[0]
    beside = marker("trimmed_mean", 0.24).move_to([right + 0.2, 0, 0])
    below = DashedLine([right + 0.6, -1, 0], [right + 0.6, 0.3, 0], dash_length=0.06)
    below.layout_obstacle = True
    assert layout_check.check_layout([words, beside, below], colours=False) == []


def test_texts_that_only_touch_do_not_overlap():
    from manim import RIGHT

    from scenes.scene import typeset

    a = typeset.text("left", style.SIZE_SMALL)
    b = typeset.text("right", style.SIZE_SMALL).next_to(a, RIGHT, buff=0.0)
    assert layout_check.check_overlaps([a, b]) == []


def test_text_too_small_made_small_or_scaled_down_later():
    from manim import Text

    from scenes.scene import typeset

    small = typeset.text("tick", 18)
    shrunk = typeset.text("key", style.SIZE_LABEL).scale(0.6).shift(2 * np.array([0, 1, 0]))
    boxed = typeset.text("boxed", style.SIZE_SMALL).shift(2 * np.array([0, -1, 0]))
    boxed.add_background_rectangle(color=style.BACKGROUND, opacity=1.0, buff=0.3)
    # Pango text at font_size 20, as drawn before the type scale: too small at 720p.
    legacy = Text("old size", font=style.FONT, font_size=20).shift([3, 0, 0])
    problems = layout_check.check_text_size([small, shrunk, boxed, legacy])
    assert len(problems) == 3
    assert "boxed" not in " ".join(p.message for p in problems)


@pytest.mark.parametrize("kind", ["text", "maths", "number", "manim-mathtex", "manim-decimal"])
def test_x_height_is_the_measured_height_of_an_x(kind):
    from manim import DecimalNumber, MathTex

    from scenes.scene import typeset

    size = 30
    mob, x = {
        "text": (typeset.text("Ag", size), typeset.text("x", size)),
        "maths": (typeset.maths(r"\theta_i", size), typeset.maths("x", size)),
        "number": (typeset.number(-2.5, 1, size), typeset.text("x", size)),
        "manim-mathtex": (MathTex(r"\theta", font_size=size), MathTex("x", font_size=size)),
        "manim-decimal": (DecimalNumber(2.5, font_size=size), MathTex("x", font_size=size)),
    }[kind]
    mob.scale(1.5)
    assert layout_check.x_height_px(mob) == pytest.approx(1.5 * x.height * PX_PER_UNIT, rel=0.02)


def test_text_with_too_little_contrast():
    from scenes.scene import typeset

    dim = typeset.text("dim", style.SIZE_LABEL, "#444444").shift([0, 1.5, 0])
    fine = typeset.text("fine", style.SIZE_LABEL, style.TEXT)
    on_light = typeset.text("on a light patch", style.SIZE_LABEL, style.TEXT).shift([0, -1.5, 0])
    on_light.add_background_rectangle(color="#dddddd", opacity=1.0)
    problems = layout_check.check_layout([dim, fine, on_light], colours=False)
    assert rules(problems) == ["contrast", "contrast"]
    assert "#444444" in problems[0].message + problems[1].message


def test_drawn_colours_that_collapse_under_colour_vision_deficiency():
    from manim import Line

    # The v1 density green and derivative orange: distinct in normal vision, one olive for
    # deuteranopes and protanopes (the finding).
    green = Line([-3, 0, 0], [3, 0, 0], stroke_color="#83c167", stroke_width=4)
    orange = Line([-3, 1, 0], [3, 1, 0], stroke_color="#ff862f", stroke_width=4)
    problems = layout_check.check_layout([green, orange])
    assert problems and set(rules(problems)) == {"colour-vision"}
    assert any("deuteranomaly" in p.message for p in problems)
    assert not any("normal vision" in p.message for p in problems)


def test_washes_and_text_are_not_drawn_colours():
    from manim import Line, Rectangle

    from scenes.scene import typeset

    band = Rectangle(width=2, height=1, fill_color=style.THETA, fill_opacity=0.1, stroke_width=0)
    curve = Line([-3, 0, 0], [3, 0, 0], stroke_color=style.LOSS)
    words = typeset.text("label", style.SIZE_LABEL, style.DENSITY)
    assert layout_check.drawn_colours([band, curve, words]) == {style.LOSS}
