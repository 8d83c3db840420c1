"""The frame around a lecture: title card, closing summary, one number line for scenes that share
their data, and the fade at the end of every scene.

The summary's estimates are checked against scipy and numpy, not against scenes.maths.
"""

import json

import numpy as np
import pytest
from helpers import CONFIG, decode_frames, run_cli
from scipy import optimize, special

from scenes.compute.cards import compute_summary
from scenes.compute.loss import LINE_TICKS
from scenes.compute.resolve import resolve_lecture
from scenes.kinds import kind_of
from scenes.maths.axis import line_labels
from scenes.spec import load_lecture, load_scene, parse_scene_text

Y = np.array([-1.8, -0.6, -0.2, 0.1, 0.4, 0.9, 1.3, 6.0])


def summary(losses: str, values: str = "[-1.8, -0.6, -0.2, 0.1, 0.4, 0.9, 1.3, 6.0]"):
    return parse_scene_text(
        f"scene: S\nkind: summary\nobservations: {{values: {values}}}\nlosses: {losses}\n"
    )


def huber_by_scipy(y: np.ndarray, delta: float) -> float:
    found = optimize.minimize_scalar(
        lambda t: float(np.sum(special.huber(delta, y - t))),
        bounds=(y.min(), y.max()),
        method="bounded",
        options={"xatol": 1e-12},
    )
    return float(found.x)


def test_summary_estimates_match_independent_references():
    spec = summary("[{name: l2}, {name: l1}, {name: huber, delta: 1.0}, {name: trimmed, c: 2.0}]")
    l2, l1, huber, trimmed = compute_summary(spec).estimates
    assert l2.reference.value == pytest.approx(np.mean(Y), abs=1e-12)
    middle = np.sort(Y)[3:5]  # an even count: every point between the two middle ones
    assert (l1.reference.lo, l1.reference.hi) == pytest.approx(tuple(middle), abs=1e-12)
    assert huber.reference.value == pytest.approx(huber_by_scipy(Y, 1.0), abs=1e-7)
    # The trimmed loss is minimised from the median: the mean of the points within c of it,
    # a local minimum (the trimmed objective is higher just left and right of it).
    t = trimmed.reference.value
    assert t == pytest.approx(np.mean(Y[np.abs(Y - t) <= 2.0]), abs=1e-12)

    def trimmed_objective(theta):
        r = Y - theta
        return float(np.sum(np.where(np.abs(r) <= 2.0, r**2 / 2, 2.0**2 / 2)))

    assert trimmed_objective(t) < min(trimmed_objective(t - 0.01), trimmed_objective(t + 0.01))


def test_summary_says_what_it_computed():
    out = run_cli("compute", str(CONFIG / "lecture-summary.yaml"))
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert [e["loss"] for e in doc["estimates"]] == ["l2", "l1", "huber"]
    assert doc["estimates"][1]["interval"] == [0.1, 0.4]
    script = run_cli("script", str(CONFIG / "lecture-summary.yaml"))
    compare = next(line for line in script.stdout.splitlines() if "\tcompare\t" in line)
    # The digits of the card's label (0.7625), not a shorter rounding (issue 21).
    assert "the mean, 0.7625." in compare and "from 0.1 to 0.4" in compare


@pytest.mark.parametrize(
    ("losses", "message"),
    [
        ("[]", "losses"),
        ("[{name: l2}, {name: l2}]", "listed twice"),
        ("[{name: huber, delta: -1}]", "delta"),
    ],
)
def test_bad_summary_is_one_line_with_position_and_exit_2(tmp_path, losses, message):
    path = tmp_path / "s.yaml"
    path.write_text(
        f"scene: S\nkind: summary\nobservations: {{values: [1, 2]}}\nlosses: {losses}\n"
    )
    out = run_cli("check", str(path))
    assert out.returncode == 2
    first = out.stderr.strip().splitlines()[0]
    assert first.startswith(f"{path}:4:") and message in first


def test_scenes_of_a_lecture_that_share_data_share_one_number_line():
    def label_range(spec):
        data = kind_of(spec).compute(spec)
        return line_labels(*data.line_extent(), ticks=LINE_TICKS).label_range

    lecture = resolve_lecture(load_lecture(CONFIG / "lecture.yaml"))
    ranges = {
        spec.scene: label_range(spec)
        for _, spec in lecture.scenes
        if getattr(spec, "kind", "loss") in ("loss", "summary")
    }
    assert set(ranges) == {"SquaredLoss", "AbsoluteLoss", "HuberLoss", "LossFunctionsSummary"}
    assert len(set(ranges.values())) == 1, ranges
    # Alone, the scenes fit their own lines, which differ: the lecture is what aligns them.
    alone = {label_range(load_scene(CONFIG / f)) for f in ("l2.yaml", "huber.yaml")}
    assert len(alone) == 2


def test_a_line_set_in_the_spec_is_kept_and_widened_only_to_hold_the_data():
    spec = load_scene(CONFIG / "l2.yaml")
    wide = spec.model_copy(
        update={"observations": spec.observations.model_copy(update={"line": (-20.0, 20.0)})}
    )
    lo, hi = kind_of(wide).compute(wide).line_extent()
    assert (lo, hi) == (-20.0, 20.0)
    narrow = spec.model_copy(
        update={"observations": spec.observations.model_copy(update={"line": (0.0, 1.0)})}
    )
    lo, hi = kind_of(narrow).compute(narrow).line_extent()
    assert lo < -4.0 and hi > 6.0  # every observation and the start are still on it


@pytest.mark.slow
def test_a_scene_fades_out_and_its_poster_is_the_last_full_picture(tmp_path):
    from PIL import Image

    from scenes.scene import style

    spec = tmp_path / "card.yaml"
    spec.write_text(
        "scene: Card\nkind: card\ntitle: Loss functions\nitems: [one, two]\n"
        "timing: {intro: 0.5, items: 0.5, hold: 1.0}\n"
    )
    out = run_cli("render", str(spec), "--quality", "low", "-o", str(tmp_path / "out"))
    assert out.returncode == 0, out.stderr
    frames = decode_frames(tmp_path / "out" / "Card.mp4")
    assert frames[0].shape == (480, 854, 3)
    background = np.array([int(style.BACKGROUND[i : i + 2], 16) for i in (1, 3, 5)])
    last = np.abs(frames[-1].astype(int) - background).max(axis=2)
    before = np.abs(frames[-20].astype(int) - background).max(axis=2)
    assert (before > 100).sum() > 2000  # the title and the list, in light text
    assert (last > 40).sum() == 0  # faded to the background
    poster = np.asarray(Image.open(tmp_path / "out" / "Card.png").convert("RGB")).astype(int)
    assert np.abs(poster - frames[-20].astype(int)).mean() < 3
