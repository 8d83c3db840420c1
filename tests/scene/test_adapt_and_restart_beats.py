"""The loss scene's beats after the arrival: ``adapt`` (Huber with delta: auto, the data spreading
out while delta follows them) and ``restart`` (a second descent from ``estimate.second_start``,
the trimmed loss's second local minimum).

Expected numbers come from statsmodels (the MAD), numpy (the Huber estimating equation, the
mean of the points within c, the trimmed objective) and the scenes' own timeline.
"""

import numpy as np
import pytest
from helpers import CONFIG, run_cli

from scenes.compute.loss import compute_scene, to_json
from scenes.spec import load_any, load_scene
from scenes.spec.timeline import scene_timeline

LOSS_BEATS = ["intro", "loss", "density", "derivative", "data", "estimate", "arrival", "hold"]


@pytest.fixture(scope="module")
def adaptive():
    return compute_scene(load_scene(CONFIG / "huber_auto.yaml"))


@pytest.fixture(scope="module")
def trimmed():
    return compute_scene(load_scene(CONFIG / "trimmed.yaml"))


# --- adapt: the maths ---------------------------------------------------------------------------


def test_each_frame_spreads_the_data_about_their_median(adaptive):
    adapt = adaptive.adaptation
    y = adaptive.observations
    assert adapt.factors[0] == 1.0 and adapt.factors[-1] == pytest.approx(2.0)
    assert np.all(np.diff(adapt.factors) > 0)
    expected = np.median(y) + adapt.factors[:, None] * (y - np.median(y))
    np.testing.assert_allclose(adapt.observations, expected, rtol=0, atol=1e-12)


def test_delta_of_each_frame_is_1345_times_the_statsmodels_mad(adaptive):
    from statsmodels.robust.scale import mad

    adapt = adaptive.adaptation
    expected = np.array([1.345 * mad(row) for row in adapt.observations])
    np.testing.assert_allclose(adapt.deltas, expected, rtol=1e-12)
    # The first frame is the scene's own delta: auto.
    assert adapt.deltas[0] == adaptive.loss_params["delta"]


def test_theta_of_each_frame_solves_the_huber_equation_of_its_data(adaptive):
    adapt = adaptive.adaptation
    for row, delta, theta, pulls in zip(
        adapt.observations, adapt.deltas, adapt.estimates, adapt.pulls, strict=True
    ):
        clipped = np.clip(row - theta, -delta, delta)
        # The pulls are Huber's slope at each residual, clipped at delta (numpy, not JAX).
        np.testing.assert_allclose(pulls, clipped, rtol=0, atol=1e-12)
        assert abs(clipped.sum()) < 1e-9
        # A root of the non-increasing sum: positive just left of theta, negative just right.
        step = 1e-6 * delta
        assert np.clip(row - theta + step, -delta, delta).sum() > 0
        assert np.clip(row - theta - step, -delta, delta).sum() < 0


def test_delta_and_theta_scale_with_the_data(adaptive):
    """MAD and Huber are equivariant: data twice as wide, delta twice as large, theta twice as
    far from the median. Computed frame by frame, not tweened, so this is a check."""
    adapt = adaptive.adaptation
    centre = np.median(adaptive.observations)
    np.testing.assert_allclose(adapt.deltas, adapt.factors * adapt.deltas[0], rtol=1e-12)
    np.testing.assert_allclose(
        adapt.estimates - centre, adapt.factors * (adapt.estimates[0] - centre), atol=1e-12
    )


def test_the_json_reports_the_adapting_threshold(adaptive):
    document = to_json(adaptive)
    assert document["adapt"]["deltas"][-1] == pytest.approx(2 * adaptive.loss_params["delta"])
    assert len(document["adapt"]["estimates"]) == len(adaptive.adaptation.factors)


# --- restart: two starts, two answers ---------------------------------------------------------


def trimmed_objective(y: np.ndarray, c: float, theta: float) -> float:
    r = y - theta
    return float(np.mean(np.minimum(r**2 / 2, c**2 / 2)))


def mean_within(y: np.ndarray, c: float, theta: float) -> float:
    return float(np.mean(y[np.abs(y - theta) <= c]))


def test_the_trimmed_scene_has_two_local_minima_from_its_two_starts(trimmed):
    y, c = trimmed.observations, trimmed.loss_params["c"]
    restart = trimmed.restart
    first, second = trimmed.estimate, restart.descent.estimate
    assert trimmed.converged and restart.converged
    for theta, reference in ((first, trimmed.target), (second, restart.target)):
        # The marker's value is the mean of the points within c of where theta stopped...
        assert reference.value == pytest.approx(mean_within(y, c, theta), abs=1e-12)
        assert theta == pytest.approx(reference.value, abs=1e-9)
        # ... and no nearby theta does better: a local minimum of the objective.
        for h in (1e-3, -1e-3):
            assert trimmed_objective(y, c, theta + h) > trimmed_objective(y, c, theta)
    # Two different answers, which differ by which points are within c (here the one at -1.8).
    assert abs(first - second) > 0.1
    within_first = np.abs(y - first) <= c
    within_second = np.abs(y - second) <= c
    assert not np.array_equal(within_first, within_second)
    document = to_json(trimmed)["second_descent"]
    assert document["start"] == 2.0 and document["estimate"] == pytest.approx(second)


def test_a_convex_loss_reaches_the_same_answer_from_a_second_start(tmp_path):
    path = tmp_path / "again.yaml"
    path.write_text(
        "scene: Again\nloss: {name: huber}\nobservations: {values: [-1, 0, 2, 9]}\n"
        "estimate: {start: -3, second_start: 8}\n"
    )
    data = compute_scene(load_scene(path))
    assert data.restart.descent.estimate == pytest.approx(data.estimate, abs=1e-6)
    from scenes.compute.loss import result_narration

    assert "the same" in result_narration(data)["restart"]


# --- the timeline -------------------------------------------------------------------------------


def test_the_new_beats_come_after_the_arrival_only_where_they_belong():
    def beats(path):
        return [beat.id for beat in scene_timeline(load_any(path)).beats]

    assert beats(CONFIG / "huber_auto.yaml") == [*LOSS_BEATS[:-1], "adapt", "hold"]
    assert beats(CONFIG / "trimmed.yaml") == [*LOSS_BEATS[:-1], "restart", "hold"]
    for path in sorted(CONFIG.glob("*.yaml")):
        spec = load_any(path)
        if path.stem in ("huber_auto", "trimmed") or getattr(spec, "kind", None) != "loss":
            continue
        ids = beats(path)
        assert "adapt" not in ids and "restart" not in ids, path.name
        assert ids[-3:] == ["estimate", "arrival", "hold"], path.name


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (
            "scene: A\nloss: {name: huber, delta: 1}\nobservations: {values: [1, 2]}\n"
            "narration: {adapt: Wider.}\n",
            "4:20",
            "there is no beat 'adapt' without loss huber with delta: auto",
        ),
        (
            "scene: A\nloss: {name: l2}\nobservations: {values: [1, 2]}\ntiming: {restart: 3}\n",
            "4:19",
            "there is no beat 'restart' without estimate.second_start",
        ),
        (
            "scene: A\nloss: {name: l2}\nobservations: {values: [1, 2]}\n"
            "estimate: {second_start: two}\n",
            "4:26",
            "estimate.second_start",
        ),
    ],
)
def test_a_beat_the_scene_has_not_is_a_one_line_error(tmp_path, text, where, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    result = run_cli("check", str(path))
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"{path}:{where}: error: "), line
    assert message in line


# --- what the frames show -----------------------------------------------------------------------

HEIGHT = 360


def band_extent(frame: np.ndarray, y: float) -> tuple[int, int]:
    """Leftmost and rightmost pixel of the band's shade on the scanline at scene height ``y``:
    the most common colour there that is neither the background nor anything bright."""
    from scenes.scene import style
    from scenes.scene.builder import FRAME_HEIGHT

    row = frame[round((FRAME_HEIGHT / 2 - y) / FRAME_HEIGHT * frame.shape[0])].astype(int)
    background = np.array([int(style.BACKGROUND[k : k + 2], 16) for k in (1, 3, 5)])
    shaded = np.abs(row - background).sum(axis=1)
    candidates = row[(shaded > 3) & (shaded < 150)]
    colours, counts = np.unique(candidates, axis=0, return_counts=True)
    shade = colours[np.argmax(counts)]
    columns = np.flatnonzero(np.all(row == shade, axis=1))
    return int(columns.min()), int(columns.max())


def pixels_per_data_unit(extent: tuple[float, float], width: int) -> float:
    from scenes.maths.axis import line_labels
    from scenes.scene.builder import FRAME_WIDTH
    from scenes.scene.number_line import LINE_LENGTH

    labels = line_labels(*extent, ticks=12)
    return LINE_LENGTH / (labels.hi - labels.lo) * width / FRAME_WIDTH


@pytest.mark.slow
def test_the_band_widens_with_delta_on_screen(adaptive):
    """The band theta +- delta at the arrival and at the end of ``adapt``, measured in pixels,
    is 2 delta wide at each beat's scale (the line zooms out for the wider data)."""
    from scenes.scene.beat_frames import beat_frames
    from scenes.scene.number_line import LINE_Y

    frames = beat_frames(adaptive.spec, HEIGHT)
    width = frames["arrival"].shape[1]
    adapt = adaptive.adaptation
    for beat, delta, extent in (
        ("arrival", adapt.deltas[0], adaptive.line_extent()),
        ("adapt", adapt.deltas[-1], adaptive.line_extent(adapted=True)),
    ):
        lo, hi = band_extent(frames[beat], LINE_Y + 0.13)
        expected = 2 * delta * pixels_per_data_unit(extent, width)
        assert hi - lo + 1 == pytest.approx(expected, abs=3), beat
    assert "adapt" in frames and not np.array_equal(frames["arrival"], frames["adapt"])


@pytest.mark.slow
def test_the_restart_ends_with_theta_on_the_second_answer_beside_the_first(trimmed):
    """Theta's yellow stands on the second answer and a yellow ghost on the first; the band
    +-c is centred on the second."""
    from scenes.scene import style
    from scenes.scene.beat_frames import beat_frames
    from scenes.scene.builder import FRAME_HEIGHT
    from scenes.scene.loss_line import BAND_TOP
    from scenes.scene.number_line import LINE_Y

    frames = beat_frames(trimmed.spec, HEIGHT)
    frame = frames["restart"]
    width = frame.shape[1]
    scale = pixels_per_data_unit(trimmed.line_extent(), width)
    lo, hi = band_extent(frame, LINE_Y + 0.13)
    centre = (lo + hi) / 2
    assert hi - lo + 1 == pytest.approx(2 * trimmed.loss_params["c"] * scale, abs=3)
    y_px = round((FRAME_HEIGHT / 2 - (LINE_Y + BAND_TOP) / 2) / FRAME_HEIGHT * frame.shape[0])
    theta = np.array([int(style.THETA[k : k + 2], 16) for k in (1, 3, 5)])
    strip = frame[y_px - 20 : y_px + 20].astype(int)

    def columns_near(colour: np.ndarray) -> np.ndarray:
        return np.flatnonzero(np.abs(strip - colour).sum(axis=2).min(axis=0) < 40)

    # The ghost is a grey dashed line (yellow is theta's alone).
    ghost = np.array([int(style.MUTED[k : k + 2], 16) for k in (1, 3, 5)])
    first_x = centre + (trimmed.estimate - trimmed.restart.descent.estimate) * scale
    assert np.any(np.abs(columns_near(theta) - centre) <= 2), "theta is not at the second answer"
    assert np.any(np.abs(columns_near(ghost) - first_x) <= 2), "no ghost at the first answer"
    assert not np.array_equal(frames["arrival"], frame)


def test_a_caption_swapped_mid_animation_leaves_no_trace(tmp_path):
    """The restart beat's narration changes cue during the descent: the frame must show the new
    caption alone (Manim kept drawing the old one, from the animation's start, under it)."""
    from manim import Dot, Scene, tempconfig

    from scenes.scene.captions import Captions
    from scenes.spec.timeline import Cue

    fps = 15
    frames: dict[str, np.ndarray] = {}

    class Swap(Scene):
        def construct(self):
            def play(cues, key):
                captions = Captions(self, cues, fps)
                captions.show_at(0)
                dot = Dot().add_updater(lambda m, dt: m.shift(0.01 * m.get_center() + 0.01))
                self.add(dot)
                clock = captions.clock(0, 10)
                self.play(*([clock] if clock else []), dot.animate.scale(1.01), run_time=9.5 / fps)
                frames[key] = np.asarray(self.renderer.get_frame())[..., :3].copy()
                self.clear()

            play([Cue(0, 0.3, "First words here."), Cue(0.3, 2, "Then others.")], "swapped")
            play([Cue(0, 2, "Then others.")], "alone")

    with tempconfig(
        {
            "pixel_height": 180,
            "pixel_width": 320,
            "frame_rate": fps,
            "media_dir": str(tmp_path),
            "write_to_movie": False,
            "disable_caching": True,
            "verbosity": "ERROR",
            "progress_bar": "none",
        }
    ):
        Swap().render()
    bottom = slice(120, 180)
    assert frames["alone"][bottom].max() > 150, "the caption is not drawn where expected"
    assert np.abs(frames["swapped"][bottom].astype(int) - frames["alone"][bottom]).max() < 40
