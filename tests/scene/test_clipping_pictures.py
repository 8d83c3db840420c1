"""The clipping scene's pictures say what the maths says, read off the Manim objects themselves:
each arrow is as long as its clipped gradient on screen (min(|g|, c) at the view's scale), its
grey part runs on to its observation, and the 2-D view keeps mu and its circle in the panel at
every frame of the descent while it zooms in.
"""

import numpy as np
import pytest
from helpers import CONFIG

from scenes.compute.side_scenes import compute_clipping
from scenes.spec import load_any


@pytest.fixture(scope="module")
def data():
    return compute_clipping(load_any(CONFIG / "clipping.yaml"))


def arrow_corners(mobject, corners: int) -> np.ndarray:
    """The polygon corners (N, corners, 2) of a field of closed polygons (one subpath each)."""
    return mobject.points.reshape(-1, corners, 4, 3)[:, :, 0, :2]


def test_one_dimension_arrows_are_the_clipped_pulls_and_grey_reaches_each_point(data):
    from scenes.scene.clipping_scene import OneDimension

    one = OneDimension(data)
    c = data.spec.clip
    raw = data.one_d.raw
    for grow, cut in ((1.0, 0.0), (1.0, 1.0)):
        one.grow.set_value(grow)
        one.cut.set_value(cut)
        one.redraw()
        arrows = arrow_corners(one.arrows, 7)
        tails, tips = arrows[:, 0, 0], arrows[:, 3, 0]
        expected = raw if cut == 0 else np.clip(raw, -c, c)
        np.testing.assert_allclose(tails, one.theta_x, atol=1e-9)
        np.testing.assert_allclose((tips - tails) / one.unit, expected, atol=1e-9)
        # The grey part starts at the arrow's tip and ends on the observation's dot.
        bars = arrow_corners(one.excess, 4)
        np.testing.assert_allclose(bars[:, 0, 0], tips, atol=1e-9)
        np.testing.assert_allclose(bars[:, 1, 0], [d.get_x() for d in one.dots], atol=1e-9)
    # The data is chosen so that clipping cuts some pulls and leaves others whole.
    cut_some = np.abs(raw) > c
    assert cut_some.any() and not cut_some.all()


def test_plane_keeps_mu_and_its_circle_in_view_and_draws_clipped_lengths(data):
    from scenes.scene.clipping_scene import PANEL_HI, PANEL_LO, Plane

    plane = Plane(data)
    plane.grow.set_value(1.0)
    plane.cut.set_value(1.0)
    c = data.spec.clip
    scales = []
    for progress in np.linspace(0.0, float(data.settled_at), 4 * data.settled_at + 1):
        plane.progress.set_value(float(progress))
        plane.redraw()
        _, scale = plane.view.window(float(progress))
        scales.append(scale)
        mu = plane.mu.get_center()[:2]
        assert np.all(plane.circle.get_corner(np.array([-1, -1, 0]))[:2] >= PANEL_LO - 1e-9)
        assert np.all(plane.circle.get_corner(np.array([1, 1, 0]))[:2] <= PANEL_HI + 1e-9)
        assert plane.circle.width == pytest.approx(2 * c * scale, rel=1e-3)
        arrows = arrow_corners(plane.arrows, 7)
        tails, tips = arrows[:, 0], arrows[:, 3]
        lengths = np.linalg.norm(tips - mu, axis=1)
        k = int(np.floor(min(progress, data.settled_at - 1e-9)))
        f = progress - k
        at = (1 - f) * data.two_d.trajectory[k] + f * data.two_d.trajectory[k + 1]
        distance = np.linalg.norm(data.two_d.points - at, axis=1)
        np.testing.assert_allclose(np.linalg.norm(tails - mu, axis=1), 0.0, atol=plane.arrows.shaft)
        np.testing.assert_allclose(lengths, np.minimum(distance, c) * scale, rtol=1e-6, atol=1e-9)
    # The camera follows: by the end the view has zoomed in (the action fills the panel).
    assert scales[-1] > 1.5 * scales[0]  # (x2.08 on this spec's data)


@pytest.mark.parametrize("start", ["[-3.5, 2.5]", "[-30.0, 25.0]", "[12.0, -9.0]"])
def test_plane_view_keeps_mu_and_its_circle_inside_at_every_moment(tmp_path, start):
    """Whatever the start, the view (eased from all the data onto mu's end) keeps mu's circle
    inside the panel, with the margin, at every moment of the descent."""
    from scenes.scene.clipping_scene import PANEL_HI, PANEL_LO, VIEW_MARGIN, PlaneView

    text = (CONFIG / "clipping.yaml").read_text()
    spec_path = tmp_path / "far.yaml"
    spec_path.write_text(
        text.replace("start: [-3.5, 2.5]", f"start: {start}").replace("steps: 60", "steps: 200")
    )
    data = compute_clipping(load_any(spec_path))
    view = PlaneView(data)
    for progress in np.linspace(0.0, float(data.settled_at), 10 * data.settled_at + 1):
        center, scale = view.window(float(progress))
        mu = view.mu(float(progress))
        room = (PANEL_HI - PANEL_LO) / 2 / scale - VIEW_MARGIN / scale
        assert np.all(np.abs(mu - center) + data.spec.clip <= room + 1e-9), progress
