"""Scene kinds clipping and influence: maths against optax and independent estimates, specs,
and (slow) low-quality renders with real properties of the last frame."""

import json

import jax.numpy as jnp
import numpy as np
import optax
import pytest
from helpers import CONFIG, SHORT_NARRATION, _drop_block, run_cli
from hypothesis import given
from hypothesis import strategies as st
from scipy import optimize

from scenes import maths
from scenes.kinds import compute_any, to_json_any
from scenes.maths import clipping, influence
from scenes.scene import style
from scenes.spec import SpecError, load_any, load_lecture, parse_scene_text

finite = st.floats(min_value=-30, max_value=30, allow_nan=False, allow_subnormal=False)


@given(st.lists(finite, min_size=1, max_size=30).map(np.array), finite, st.floats(0.1, 5.0))
def test_clipped_gradients_are_huber_and_optax_clip(y, theta, c):
    one = clipping.clipping_1d(y, theta, c)
    # optax.clip clips every update elementwise to [-c, c].
    clipped, _ = optax.clip(c).update(jnp.asarray(one.raw), optax.clip(c).init(None))
    np.testing.assert_array_equal(one.clipped, np.asarray(clipped))
    np.testing.assert_allclose(one.raw, y - theta, rtol=0, atol=1e-12)
    # Huber's derivative (autodiff) equals the clipped gradient exactly, away from |r| = c.
    keep = np.abs(np.abs(y - theta) - c) > 1e-9
    np.testing.assert_array_equal(one.huber[keep], one.clipped[keep])


@given(
    st.lists(st.tuples(finite, finite), min_size=1, max_size=20).map(np.array),
    st.floats(0.05, 5.0),
)
def test_norm_clipping_matches_optax_per_example(g, c):
    # numpy (what the scene computes at each frame) and jax.numpy (inside the compiled descent)
    in_numpy = clipping.clip_rows_by_norm(g, c)
    in_jax = np.asarray(clipping.clip_rows_by_norm(jnp.asarray(g), c, jnp))
    transform = optax.clip_by_global_norm(c)
    for row, mine, traced in zip(g, in_numpy, in_jax, strict=True):
        expected, _ = transform.update(jnp.asarray(row), transform.init(None))
        np.testing.assert_allclose(mine, np.asarray(expected), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(traced, np.asarray(expected), rtol=1e-12, atol=1e-12)
    for clipped in (in_numpy, in_jax):
        assert np.all(np.linalg.norm(clipped, axis=1) <= c * (1 + 1e-12))


def test_two_d_descent_reaches_the_minimiser_of_the_summed_huber_loss():
    data = compute_any(load_any(CONFIG / "clipping.yaml"))
    points, c = data.two_d.points, data.spec.clip

    def objective(mu):
        d = np.linalg.norm(points - mu, axis=1)
        return np.sum(np.where(d <= c, 0.5 * d**2, c * (d - 0.5 * c)))

    best = optimize.minimize(
        objective,
        points.mean(axis=0),
        method="Nelder-Mead",
        options={"xatol": 1e-12, "fatol": 1e-14, "maxiter": 20000},
    )
    np.testing.assert_allclose(data.target, best.x, atol=1e-7)
    np.testing.assert_allclose(data.two_d.trajectory[-1], data.target, atol=1e-4)
    assert data.converged and not data.warnings
    # Every step: mu_{t+1} = mu_t + eta * mean of the clipped per-example gradients.
    t = data.two_d.trajectory
    step = data.two_d.step_size * data.two_d.clipped[:-1].mean(axis=1)
    np.testing.assert_allclose(t[1:], t[:-1] + step, atol=1e-12)
    # At the end the clipped pulls balance while the unclipped mean still pulls to the outlier.
    assert np.linalg.norm(data.two_d.clipped[-1], axis=1).max() <= c + 1e-12
    assert np.linalg.norm(data.two_d.mean_raw[-1]) > 0.3
    assert np.linalg.norm(data.two_d.mean_clipped[-1]) < 1e-4


def test_influence_frames_against_per_frame_references():
    spec = load_any(CONFIG / "influence.yaml")
    data = compute_any(spec)
    f = data.frames
    y = data.observations
    trimmed_loss = maths.make_loss("trimmed", {"c": spec.c})
    for k in range(0, len(f.positions), 7):
        d = np.append(y, f.positions[k])
        assert f.mean[k] == pytest.approx(d.mean(), abs=1e-14)
        assert f.median[k] == np.median(d)
        assert f.huber[k] == pytest.approx(maths.huber_location(d, spec.delta).value, abs=1e-12)
        ref = maths.trimmed_local(d, spec.c, float(np.median(d)), trimmed_loss)
        assert f.trimmed[k] == pytest.approx(ref.value, abs=1e-12)
    # The lecture's claims: the mean follows without bound, median and Huber stay put, and the
    # trimmed estimate ignores the point once it is more than c away.
    moved = (f.positions[-1] - f.positions[0]) / (len(y) + 1)
    assert f.mean[-1] - f.mean[0] == pytest.approx(moved)
    assert np.ptp(f.median) <= np.ptp(y) and np.ptp(f.huber) < 0.2
    far = np.abs(f.positions - f.trimmed) > spec.c
    inside = np.abs(y[None, :] - f.trimmed[far][:, None]) <= spec.c
    np.testing.assert_allclose(f.trimmed[far], (inside * y).sum(axis=1) / inside.sum(axis=1))
    assert np.ptp(f.trimmed[far]) == 0.0


@given(st.lists(finite, min_size=2, max_size=15).map(np.array), st.floats(0.2, 3.0))
def test_vectorised_huber_matches_exact(y, delta):
    rows = np.vstack([y, y[::-1] + 1.0])
    got = influence.huber_locations(rows, delta)
    for row, value in zip(rows, got, strict=True):
        expected = maths.huber_location(row, delta)
        assert expected.lo - 1e-9 <= value <= expected.hi + 1e-9


def test_kind_errors_are_positioned():
    with pytest.raises(SpecError) as caught:
        parse_scene_text("scene: A\nkind: influence\npath: [1, 2]\nframs: 3\n", "k.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "k.yaml:4:1: error: frams: unknown key; did you mean 'frames'?"
    ]
    with pytest.raises(SpecError) as caught:
        parse_scene_text("scene: A\nkind: clipping\nclip: -1\n", "k.yaml")
    assert str(caught.value) == (
        "k.yaml:3:7: error: clip: expected a number > 0 (at least 1e-12), got the number -1"
    )
    with pytest.raises(SpecError) as caught:
        parse_scene_text("scene: A\nkind: clip\n", "k.yaml")
    assert "k.yaml:2:7: error: kind: unknown scene kind 'clip'" in str(caught.value)


def test_lectures_include_every_scene():
    gallery = load_lecture(CONFIG / "gallery.yaml")
    assert {spec.loss.name for _, spec in gallery.scenes} == set(maths.LOSSES)
    full = load_lecture(CONFIG / "full-lecture.yaml")
    kinds = {getattr(s, "kind", "loss") for _, s in full.scenes}
    assert kinds == {"card", "loss", "clipping", "influence", "summary"}


@pytest.mark.parametrize("name", ["clipping", "influence"])
def test_compute_cli_for_kinds(name):
    result = run_cli("compute", str(CONFIG / f"{name}.yaml"))
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["kind"] == name
    expected = to_json_any(compute_any(load_any(CONFIG / f"{name}.yaml")))
    assert doc == json.loads(json.dumps(expected))


CLIPPING_WITHOUT_NARRATION = _drop_block((CONFIG / "clipping.yaml").read_text(), "narration")
HUBER_FAR_OUT = "scene: H\nloss: {name: huber}\nobservations: {values: [-1, 2, 5, 40]}\n"


@pytest.mark.parametrize(
    ("text", "balanced", "expected"),
    [
        (CLIPPING_WITHOUT_NARRATION.replace("steps: 60", "steps: 1"), "balance there", False),
        (CLIPPING_WITHOUT_NARRATION, "balance there", True),
        (HUBER_FAR_OUT + "estimate: {steps: 1}\n", "settled in", False),
        (HUBER_FAR_OUT + "estimate: {steps: 200}\n", "settled in", True),
    ],
)
def test_the_closing_caption_claims_a_result_only_when_the_json_does(
    tmp_path, text, balanced, expected
):
    """The hold beat says the result (issue 13: "clipped gradients balance" next to
    ``converged: false``); through the CLI, its words must agree with compute's JSON."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(text)
    computed = run_cli("compute", str(spec))
    assert computed.returncode == 0, computed.stderr
    converged = json.loads(computed.stdout)["converged"]
    assert converged is expected
    script = run_cli("script", "--json", str(spec))
    assert script.returncode == 0, script.stderr
    closing = json.loads(script.stdout)[-1]
    assert closing["beat"] == "hold"
    assert (balanced in closing["text"]) == converged, (converged, closing["text"])
    assert ("not yet reached" in closing["text"]) == (not converged)
    # The shortfall is also said on stderr, and only then.
    assert ("warning:" in computed.stderr) == (not converged)


# --- slow: renders ------------------------------------------------------------------------------


def hex_rgb(hex_color: str) -> np.ndarray:
    return np.array([int(hex_color[i : i + 2], 16) for i in (1, 3, 5)])


def color_fraction(image: np.ndarray, hex_color: str, tolerance: int = 40) -> float:
    return float((np.abs(image.astype(int) - hex_rgb(hex_color)).max(axis=-1) <= tolerance).mean())


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "timing"),
    [
        ("clipping", "timing: {intro: 0.2, clip: 0.4, vectors: 0.4, descent: 0.8, hold: 0.2}"),
        ("influence", "timing: {intro: 0.2, move: 0.6, influence: 0.6, hold: 0.2}"),
    ],
)
def test_render_kind(tmp_path, name, timing):
    import av
    from PIL import Image

    # Short timings and no narration: a beat lasts at least as long as its words take to read.
    text = (CONFIG / f"{name}.yaml").read_text()
    for block in ("timing", "narration", "voice"):
        text = _drop_block(text, block)
    spec = tmp_path / f"{name}.yaml"
    spec.write_text(text.rstrip("\n") + f"\n{SHORT_NARRATION}{timing}\n")
    out = tmp_path / "out"
    result = run_cli("render", str(spec), "-q", "low", "-o", str(out))
    assert result.returncode == 0, result.stderr
    scene = load_any(spec).scene
    last = np.asarray(Image.open(out / f"{scene}.png").convert("RGB"))
    assert last.shape == (480, 854, 3)
    assert color_fraction(last, "#0f1117", 8) > 0.6  # dark background
    with av.open(str(out / f"{scene}.mp4")) as container:
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    # The animated beats (between the title and the final hold) change the picture.
    middle = frames[len(frames) // 4 : 3 * len(frames) // 4]
    changed = sum(not np.array_equal(a, b) for a, b in zip(middle, middle[1:], strict=False))
    assert changed >= len(middle) // 3
    if name == "clipping":
        assert color_fraction(last, style.DERIVATIVE) > 0.002  # gradients, 1-D and 2-D
        assert color_fraction(last[:, 480:], style.THETA) > 0.0005  # the circle of radius c, mu
    else:
        # The mean's marker ends far right of the trimmed mean's: the estimates split. Each
        # estimate has its row of markers above the number line (480 px: 60 px per unit).
        from scenes.scene import influence_scene as ui

        def row(k: int) -> np.ndarray:
            middle = round(240 - 60 * (ui.LINE_Y + ui.ROW_FIRST + k * ui.ROW_STEP))
            return last[middle - 3 : middle + 4].astype(int)

        columns = {
            name: np.flatnonzero(np.abs(row(k) - hex_rgb(color)).max(axis=-1).min(axis=0) < 40)
            for name, k, color in (
                ("mean", ui.ESTIMATORS.index("mean"), style.MEAN),
                ("trimmed", ui.ESTIMATORS.index("trimmed"), style.TRIMMED_MEAN),
            )
        }
        assert columns["mean"].size and columns["trimmed"].size
        # Leftmost columns: the note on the trimmed minimum stands far right, level with its row.
        assert columns["mean"].min() > columns["trimmed"].min() + 20


def test_influence_markers_stay_on_their_curves_as_the_axis_follows_the_outlier():
    """At every frame of the walk: each estimator's marker sits on its own curve (its height the
    closed-form derivative of its loss at its residual, numpy here), inside its panel; all four
    panels share one y scale, so the mean's marker stands on its panel's top edge once r passes
    the scale, with r itself shown beside it; the bounded curves keep at least 29% of their
    panel; the r axis's last tick label reaches the largest residual; beyond the number line's
    break the outlier's value is shown.
    """
    from manim import Scene, tempconfig

    from scenes.compute.prepare import prepare_scene
    from scenes.scene import influence_scene as ui
    from scenes.scene.typeset import Number

    spec = parse_scene_text(
        "scene: I\nkind: influence\npath: [1.5, 30]\nframes: 24\n", "influence.yaml"
    )
    prepared = prepare_scene(spec, speak=False)
    f = prepared.data.frames
    delta, c = float(spec.delta), float(spec.c)
    closed_form = {
        "mean": lambda r: r,
        "median": np.sign,
        "huber": lambda r: np.clip(r, -delta, delta),
        "trimmed": lambda r: r * (abs(r) <= c),
    }
    with tempconfig({"pixel_height": 240, "pixel_width": 426, "disable_caching": True}):
        builder = ui.InfluenceSceneBuilder(Scene(), prepared.data, prepared.timeline)
        builder.build()
        # One y scale: a value stands at the same height above each panel's bottom.
        heights = {
            round(float(builder.panel_y(name, 1.0)) - builder.bottoms[name], 9)
            for name in ui.ESTIMATORS
        }
        assert len(heights) == 1
        reach = builder.y_range[1]
        clamped = 0
        for k in range(len(f.positions)):
            builder.progress.set_value(k)
            builder.update()
            x = f.positions[k]
            lo, hi = builder.r_range
            for name in ui.ESTIMATORS:
                r = x - getattr(f, name)[k]
                assert lo < r < hi
                bottom = builder.bottoms[name]
                centre = builder.curve_markers[name].get_center()
                assert bottom < centre[1] < bottom + ui.PANEL_HEIGHT, (k, name)
                assert centre[0] == pytest.approx(float(builder.panel_x(r)))
                pull = float(closed_form[name](r))
                assert prepared.data.pulls[name][k] == pytest.approx(pull, abs=1e-12)
                if abs(pull) <= ui.CAP_SHARE * reach + 1e-9:  # the caps: never clamped
                    assert centre[1] == pytest.approx(float(builder.panel_y(name, pull)))
                if name != "mean":
                    curve = builder.curves[name]
                    assert curve.height >= 0.29 * ui.PANEL_HEIGHT, (k, name, curve.height)
            r_mean = x - f.mean[k]
            off = builder.off_value.get_fill_opacity() > 0
            assert off == (r_mean > reach)
            if off:
                clamped += 1
                top = builder.curve_markers["mean"].get_top()[1]
                assert top == pytest.approx(builder.bottoms["mean"] + ui.PANEL_HEIGHT)
                assert builder.off_value.number == pytest.approx(r_mean)
            ticks = [m.number for m in builder.r_labels if isinstance(m, Number)]
            step = ticks[1] - ticks[0]
            assert max(ticks) + step > max(x - getattr(f, n)[k] for n in ui.ESTIMATORS)
            far = x > builder.line_hi
            assert (builder.outlier_value.get_fill_opacity() > 0) == far
            if far:
                assert builder.outlier_value.number == pytest.approx(x)
        # The mean's influence leaves the shared scale for most of the walk; the others never.
        assert clamped > len(f.positions) // 2


def test_children_swapped_mid_animation_leave_no_ghost():
    """Manim draws, during an animation, the family a moving mobject had when it began: a child
    only dropped from its group is drawn on under its replacement (captions and the influence
    scene's r axis did this). ``swap_children`` empties the old ones."""
    import tempfile

    from manim import LEFT, RIGHT, Scene, Square, ValueTracker, VGroup, tempconfig

    from scenes.scene.shapes import swap_children

    frames = {}

    class Swap(Scene):
        def construct(self):
            holder = VGroup(Square(1, fill_color="#ff0000", fill_opacity=1).shift(4 * LEFT))
            tracker = ValueTracker(0)

            def update(group):
                if tracker.get_value() > 0.5 and group.submobjects[0].get_x() < 0:
                    fresh = Square(1, fill_color="#0000ff", fill_opacity=1).shift(4 * RIGHT)
                    swap_children(group, [fresh])

            holder.add_updater(update)
            self.add(holder)
            self.play(tracker.animate.set_value(1), run_time=0.5)
            frames["last"] = self.renderer.get_frame()[..., :3].astype(int)

    with (
        tempfile.TemporaryDirectory() as media,
        tempconfig(
            {
                "pixel_height": 90,
                "pixel_width": 160,
                "frame_rate": 10,
                "media_dir": media,
                "write_to_movie": False,
                "disable_caching": True,
                "verbosity": "ERROR",
                "progress_bar": "none",
            }
        ),
    ):
        Swap().render()
    last = frames["last"]
    red = (last[..., 0] > 200) & (last[..., 2] < 60)
    blue = (last[..., 2] > 200) & (last[..., 0] < 60)
    assert blue.sum() > 50 and red.sum() == 0
