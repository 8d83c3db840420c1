"""The palette's rules, computed with colour-science (simulation and CIEDE2000), not eyeballed.

- Any two colours a scene kind shows together differ by CIEDE2000 >= 10 in normal vision and
  under simulated deuteranopia, protanopia and tritanopia (Machado et al. 2009, severity 100).
- Every colour used for words has a WCAG contrast >= 4.5:1 on the background; every drawn colour
  >= 3:1 (WCAG's figure for graphics).
- Colour is never the only cue: each curve has its own stroke pattern, each point-like role its
  own marker shape, and the dashed and dotted strokes really leave gaps when rendered.
"""

import warnings
from itertools import combinations

import numpy as np
import pytest

from scenes.scene import layout_check, style
from scenes.scene.still import snapshot, still_config
from scenes.spec.colors import DEFAULT_COLORS, PALETTE, resolve_color

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # colour-science: "matplotlib is not available"
    import colour

VISIONS = {
    "normal": None,
    "deuteranopia": "Deuteranomaly",
    "protanopia": "Protanomaly",
    "tritanopia": "Tritanomaly",
}
MIN_DELTA_E = 10.0
ROLES = [name for name in PALETTE if name not in ("background", "text")]


def rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255.0


def lab(hex_colour: str, deficiency: str | None) -> np.ndarray:
    """CIELAB of a colour as seen with ``deficiency`` (None: normal vision)."""
    linear = colour.models.eotf_sRGB(rgb(hex_colour))
    if deficiency is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "tritanomaly is an approximation"
            matrix = colour.blindness.matrix_cvd_Machado2009(deficiency, 1.0)
        linear = np.clip(matrix @ linear, 0.0, 1.0)
    xyz = colour.RGB_to_XYZ(linear, colour.RGB_COLOURSPACES["sRGB"], apply_cctf_decoding=False)
    return colour.XYZ_to_Lab(xyz)


def delta_e(a: str, b: str, deficiency: str | None) -> float:
    return float(colour.delta_E(lab(a, deficiency), lab(b, deficiency), method="CIE 2000"))


def wcag_contrast(a: str, b: str) -> float:
    """WCAG contrast from colour-science's luminance Y (sRGB, D65)."""
    ya, yb = (float(colour.sRGB_to_XYZ(rgb(c))[1]) for c in (a, b))
    return (max(ya, yb) + 0.05) / (min(ya, yb) + 0.05)


def minimum_delta_e(roles: tuple[str, ...], deficiency: str | None) -> tuple[float, str, str]:
    return min(
        (delta_e(PALETTE[a], PALETTE[b], deficiency), a, b) for a, b in combinations(roles, 2)
    )


@pytest.mark.parametrize("vision", VISIONS)
@pytest.mark.parametrize("kind", style.SHOWN_TOGETHER)
def test_colours_shown_together_differ_by_ciede2000_10(kind, vision):
    roles = style.SHOWN_TOGETHER[kind]
    failing = [
        f"{a}-{b}: {d:.1f}"
        for a, b in combinations(roles, 2)
        if (d := delta_e(PALETTE[a], PALETTE[b], VISIONS[vision])) < MIN_DELTA_E
    ]
    assert not failing, f"{kind} in {vision}: {failing}"


def test_every_role_is_in_some_scene_kind_and_the_loss_scene_shows_all_of_them():
    assert set(style.SHOWN_TOGETHER["loss"]) == set(ROLES)
    for roles in style.SHOWN_TOGETHER.values():
        assert set(roles) <= set(ROLES)


def test_one_job_per_colour():
    assert len(set(PALETTE.values())) == len(PALETTE)


@pytest.mark.parametrize("role", style.TEXT_ROLES)
def test_text_colours_have_contrast_4_5_on_the_background(role):
    assert wcag_contrast(PALETTE[role], style.BACKGROUND) >= 4.5


@pytest.mark.parametrize("role", ROLES)
def test_drawn_colours_have_contrast_3_on_the_background(role):
    assert wcag_contrast(PALETTE[role], style.BACKGROUND) >= 3.0


def test_layout_checks_own_measures_agree_with_colour_science():
    for a, b in combinations(PALETTE.values(), 2):
        assert layout_check.contrast_ratio(a, b) == pytest.approx(wcag_contrast(a, b), rel=1e-3)
    for deficiency in VISIONS.values():
        name = "normal" if deficiency is None else deficiency
        for a, b in [("loss", "median"), ("density", "derivative"), ("theta", "median")]:
            ours = layout_check.delta_e(PALETTE[a], PALETTE[b], name)
            assert ours == pytest.approx(delta_e(PALETTE[a], PALETTE[b], deficiency), abs=0.05)


def test_the_simulation_is_not_the_identity():
    # Okabe-Ito's green and vermillion: distinct in normal vision, close for a deuteranope.
    assert delta_e("#009e73", "#d55e00", None) > 40
    assert delta_e("#009e73", "#d55e00", "Deuteranomaly") < 0.5 * delta_e(
        "#009e73", "#d55e00", None
    )


def test_spec_default_curve_colours_are_the_palettes():
    assert DEFAULT_COLORS == {
        "loss": style.LOSS,
        "density": style.DENSITY,
        "derivative": style.DERIVATIVE,
    }
    assert resolve_color("Theta") == style.THETA
    assert resolve_color("BLUE") == "#58c4dd"  # Manim's names still resolve as before


def test_each_curve_has_its_own_stroke_and_each_point_role_its_own_marker():
    assert len({stroke.pattern for stroke in style.CURVE_STROKES.values()}) == 3
    assert len(set(style.MARKERS.values())) == len(style.MARKERS)


@pytest.mark.parametrize("height", [480, 1080])
def test_dashed_and_dotted_curves_leave_gaps_when_rendered(height):
    from manim import VMobject

    from scenes.scene.strokes import stroked_curve

    x = np.linspace(-5, 5, 400)
    points = np.stack([x, 1.5 * np.sin(x), np.zeros_like(x)], axis=1)

    def lit(mobject) -> float:
        return float((snapshot(mobject).min(axis=-1) > 128).mean())

    with still_config(height):
        share = {}
        for role, stroke in style.CURVE_STROKES.items():
            solid = VMobject(stroke_color="#ffffff", stroke_width=stroke.width)
            solid.set_points_as_corners(points)
            share[role] = lit(stroked_curve(points, role, color="#ffffff")) / lit(solid)
    dash = style.CURVE_STROKES["density"]
    assert share["loss"] == pytest.approx(1.0)
    # Dashes cover about their share of the period (their ends add a little).
    assert share["density"] == pytest.approx(dash.dash / (dash.dash + dash.gap), abs=0.1)
    # Dots: round, as wide as the stroke, a gap of several widths between them.
    assert 0.1 < share["derivative"] < 0.5
