"""The maths layer against independent references: numpy, scipy, optax and hand calculations."""

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import integrate, optimize

from scenes import maths
from scenes.maths import losses

SPEC_VALUES = np.array([-1.8, -0.6, -0.2, 0.1, 0.4, 0.9, 1.3, 6.0])

finite = st.floats(
    min_value=-50, max_value=50, allow_nan=False, allow_infinity=False, allow_subnormal=False
)
samples = st.lists(finite, min_size=1, max_size=40).map(lambda v: np.array(v, dtype=np.float64))
deltas = st.floats(min_value=0.05, max_value=5.0)


# --- the losses themselves --------------------------------------------------------------------


def test_losses_match_optax():
    r = jnp.linspace(-6, 6, 241)
    zeros = jnp.zeros_like(r)
    # optax.l2_loss is 0.5 * (pred - target)**2, optax.huber_loss the same Huber as spec section 2.
    np.testing.assert_allclose(jax.vmap(losses.l2)(r), optax.l2_loss(r, zeros), rtol=1e-12)
    for delta in (0.5, 1.0, 2.5):
        np.testing.assert_allclose(
            jax.vmap(lambda x, d=delta: losses.huber(x, delta=d))(r),
            optax.huber_loss(r, zeros, delta=delta),
            rtol=1e-12,
        )
    np.testing.assert_allclose(jax.vmap(losses.l1)(r), np.abs(np.asarray(r)), rtol=0)


def test_huber_by_hand():
    # Spec section 2 with delta = 1: l(0.5) = 0.125; l(3) = 1 * (3 - 0.5) = 2.5.
    assert float(losses.huber(jnp.float64(0.5), delta=1.0)) == 0.125
    assert float(losses.huber(jnp.float64(-3.0), delta=1.0)) == 2.5


@pytest.mark.parametrize(
    ("name", "params", "analytic"),
    [
        ("l2", {}, lambda r: r),
        ("l1", {}, np.sign),
        ("huber", {"delta": 1.3}, lambda r: np.clip(r, -1.3, 1.3)),
    ],
)
def test_autodiff_derivative_matches_analytic(name, params, analytic):
    loss = maths.make_loss(name, params)
    r = np.linspace(-5, 5, 1001)
    away_from_kinks = np.abs(r) > 1e-9
    slope = np.asarray(losses.derivative(loss)(jnp.asarray(r)))
    np.testing.assert_allclose(slope[away_from_kinks], analytic(r)[away_from_kinks], atol=1e-12)


def test_everything_is_double_precision():
    close = np.array([10000.000001, 10000.000002])
    loss = maths.make_loss("l2")
    pulls = maths.pull_function(loss)(jnp.asarray(close), jnp.float64(10000.0))
    assert pulls.dtype == jnp.float64
    assert float(pulls[1] - pulls[0]) == pytest.approx(1e-6, rel=1e-6)


# --- density ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "params"), [("l2", {}), ("l1", {}), ("huber", {"delta": 1.0})])
@pytest.mark.parametrize("x_range", [(-5.0, 5.0), (-2.0, 7.0), (30.0, 40.0)])
def test_density_integrates_to_one(name, params, x_range):
    loss = maths.make_loss(name, params)
    curves = maths.sample_curves(loss, x_range, num=2001)
    assert np.all(np.isfinite(curves.density))
    # Independent check: scipy's adaptive quadrature of exp(-l) / Z, with Z from scipy too.
    f = lambda r: float(np.exp(-float(loss(jnp.float64(r)))))  # noqa: E731
    z, _ = integrate.quad(
        f, *x_range, points=[0.0, 1.0, -1.0] if x_range[0] < 0 else None, limit=200
    )
    if z > 0:
        assert curves.normalizer == pytest.approx(z, rel=1e-7)
    np.testing.assert_allclose(integrate.trapezoid(curves.density, curves.x), 1.0, rtol=2e-3)


def test_gaussian_normaliser_matches_lecture():
    # The lecture: over [-5, 5] the L2 density is the standard normal,
    # Z = sqrt(2 pi) * (Phi(5) - Phi(-5)).
    curves = maths.sample_curves(maths.make_loss("l2"), (-5.0, 5.0))
    from scipy.stats import norm

    expected = np.sqrt(2 * np.pi) * (norm.cdf(5) - norm.cdf(-5))
    assert curves.normalizer == pytest.approx(expected, rel=1e-9)


NARROW = [
    # (loss, params, the same loss in numpy, x_range, minimiser, minimum, the peak's half-width)
    (
        "expr",
        {"expr": "1e8 * (r - 0.3333)**2"},
        lambda r: 1e8 * (r - 0.3333) ** 2,
        (-5.0, 5.0),
        0.3333,
        0.0,
        1e-3,
    ),
    (
        "expr",
        {"expr": "1e5 * abs(r - 1.23456)"},
        lambda r: 1e5 * abs(r - 1.23456),
        (-5.0, 5.0),
        1.23456,
        0.0,
        1e-3,
    ),
    ("expr", {"expr": "1e12 * r**2"}, lambda r: 1e12 * r**2, (-5.0, 5.1), 0.0, 0.0, 1e-5),
    ("l2", {}, lambda r: 0.5 * r**2, (-1e6, 1e6), 0.0, 0.0, 40.0),
    ("l1", {}, abs, (-1e12, 1e12), 0.0, 0.0, 80.0),
    # exp(-l) is at most exp(-800): Z itself underflows to 0, log Z does not.
    (
        "expr",
        {"expr": "(r - 1)**2 + 800"},
        lambda r: (r - 1) ** 2 + 800,
        (-5.0, 5.0),
        1.0,
        800.0,
        6.0,
    ),
]


@pytest.mark.parametrize(
    ("name", "params", "plain", "x_range", "top", "floor", "width"),
    NARROW,
    ids=[f"{case[0]} {case[1]}" for case in NARROW],
)
def test_narrow_density_peaks_are_sampled_and_normalised(
    name, params, plain, x_range, top, floor, width
):
    loss = maths.make_loss(name, params)
    curves = maths.sample_curves(loss, x_range)
    assert curves.x[0] == x_range[0] and curves.x[-1] == x_range[1]
    assert np.all(np.diff(curves.x) > 0)
    # log Z by scipy's adaptive quadrature of exp(-(l - minimum)) around the minimiser, with the
    # loss written in numpy (not the code under test).
    lo, hi = max(x_range[0], top - width), min(x_range[1], top + width)
    mass, _ = integrate.quad(
        lambda r: np.exp(-(plain(r) - floor)), lo, hi, points=[top], limit=500, epsabs=0
    )
    expected = np.log(mass) - floor
    assert curves.log_normalizer == pytest.approx(expected, rel=1e-8, abs=1e-8)
    assert curves.normalizer == pytest.approx(np.exp(expected), rel=1e-7)  # 0.0 when it underflows
    # The top is drawn: the highest sample is the density's maximum, 1 / Z at the minimum.
    peak = np.exp(-(plain(top) - floor) - (curves.log_normalizer + floor))
    assert curves.density.max() == pytest.approx(peak, rel=1e-3)
    # And the samples hold the whole mass (trapezoid rule on the uneven grid).
    assert integrate.trapezoid(curves.density, curves.x) == pytest.approx(1.0, rel=2e-2)


def test_jump_indices_split_l1_derivative_only_at_zero():
    x = np.linspace(-5, 5, 401)
    slope = np.asarray(losses.derivative(maths.make_loss("l1"))(jnp.asarray(x)))
    jumps = maths.jump_indices(slope)
    # -1 to +1 at 0, through the subgradient 0 at 0 itself when 0 is a sample: one or two steps.
    step = x[1] - x[0]
    assert 1 <= len(jumps) <= 2
    assert all(abs(x[j]) <= step and abs(x[j + 1]) <= step for j in jumps)
    huber_slope = np.asarray(losses.derivative(maths.make_loss("huber", {"delta": 1.0}))(x))
    assert len(maths.jump_indices(huber_slope)) == 0


# --- references ---------------------------------------------------------------------------------


def test_spec_example_references():
    # Spec section 7: mean 0.7625, median 0.25, Huber = trimmed mean = 0.31667 (by hand:
    # (-0.6 - 0.2 + 0.1 + 0.4 + 0.9 + 1.3) / 6 = 1.9 / 6).
    assert maths.mean(SPEC_VALUES).value == pytest.approx(0.7625, abs=1e-15)
    assert maths.median(SPEC_VALUES).value == pytest.approx(0.25, abs=1e-15)
    huber = maths.huber_location(SPEC_VALUES, 1.0)
    assert huber.value == pytest.approx(1.9 / 6, abs=1e-15)
    assert maths.trimmed_mean(SPEC_VALUES, huber.value, 1.0) == pytest.approx(1.9 / 6, abs=1e-15)


@given(samples)
def test_mean_and_median_match_numpy(y):
    assert maths.mean(y).value == pytest.approx(np.mean(y), rel=1e-12, abs=1e-12)
    median = maths.median(y)
    assert median.value == pytest.approx(np.median(y), rel=1e-12, abs=1e-12)
    ordered = np.sort(y)
    assert median.lo == ordered[(len(y) - 1) // 2] and median.hi == ordered[len(y) // 2]


@given(samples, deltas)
def test_huber_location_is_root_found_by_scipy(y, delta):
    reference = maths.huber_location(y, delta)

    def clipped_sum(theta):
        return np.clip(y - theta, -delta, delta).sum()

    lo, hi = y.min() - delta, y.max() + delta
    if reference.lo == reference.hi:
        root = optimize.brentq(clipped_sum, lo, hi, xtol=1e-14, rtol=1e-14)
        assert reference.value == pytest.approx(root, abs=1e-9 * (1 + np.ptp(y)))
    else:
        # A flat zero: every point of the interval is a root, and no point outside it is.
        for theta in np.linspace(reference.lo, reference.hi, 5):
            assert abs(clipped_sum(theta)) <= 1e-9 * len(y) * (1 + delta)
        assert clipped_sum(reference.lo - 1e-6) > 0 and clipped_sum(reference.hi + 1e-6) < 0


# --- descent ------------------------------------------------------------------------------------


def _references(name, y, delta=1.0):
    return {"l2": maths.mean, "l1": maths.median}.get(
        name, lambda v: maths.huber_location(v, delta)
    )(y)


@pytest.mark.parametrize(("name", "params"), [("l2", {}), ("l1", {}), ("huber", {"delta": 1.0})])
def test_descent_obeys_update_rule_and_converges_on_spec_example(name, params):
    loss = maths.make_loss(name, params)
    descent = maths.descend(loss, SPEC_VALUES, -4.0, 100)
    assert descent.trajectory.shape == (101,) and descent.step_sizes.shape == (100,)
    _assert_update_rule(name, params, SPEC_VALUES, descent)
    target = _references(name, SPEC_VALUES)
    assert target.distance(descent.estimate) < 1e-9


def _assert_update_rule(name, params, y, descent):
    # The pulls recomputed with numpy's hand-written derivatives, not with the code under test.
    analytic = {
        "l2": lambda r: r,
        "l1": np.sign,  # the subgradient 0 at r = 0
        "huber": lambda r: np.clip(r, -params.get("delta", 1.0), params.get("delta", 1.0)),
    }[name]
    for t, eta in enumerate(descent.step_sizes):
        theta = descent.trajectory[t]
        mean_pull = analytic(y - theta).mean()
        assert descent.trajectory[t + 1] == pytest.approx(
            theta + eta * mean_pull, rel=1e-12, abs=1e-12 * (1 + abs(theta))
        )
        assert eta > 0 and np.isfinite(eta)


@pytest.mark.slow  # a long property test or scipy oracle: the full suite only
@given(samples, st.sampled_from(["l2", "l1", "huber"]), deltas)
def test_descent_converges_to_reference(y, name, delta):
    params = {"delta": delta} if name == "huber" else {}
    loss = maths.make_loss(name, params)
    start = maths.default_start(y)
    descent = maths.descend(loss, y, start, 400)
    _assert_update_rule(name, params, y, descent)
    target = _references(name, y, delta)
    scale = max(np.ptp(np.append(y, start)), 1e-12)
    assert target.distance(descent.estimate) <= 1e-6 * scale


def test_descent_pulls_are_the_derivative_at_each_step():
    loss = maths.make_loss("huber", {"delta": 1.0})
    descent = maths.descend(loss, SPEC_VALUES, -4.0, 20)
    for t in (0, 7, 20):
        expected = np.clip(SPEC_VALUES - descent.trajectory[t], -1.0, 1.0)
        np.testing.assert_allclose(descent.pulls[t], expected, atol=1e-15)


def test_l1_descent_started_on_the_median_stays_there():
    # An observation exactly at theta pulls with the subgradient 0, so the median of an odd number
    # of points is a fixed point of the descent.
    y = np.array([0.0, 1.0, 2.0])
    descent = maths.descend(maths.make_loss("l1"), y, 1.0, 30)
    np.testing.assert_array_equal(descent.trajectory, np.ones(31))


@pytest.mark.parametrize("half_width", [1e3, 1e4, 1e6])
@pytest.mark.parametrize(("name", "z"), [("l2", np.sqrt(2 * np.pi)), ("l1", 2.0)])
def test_density_normaliser_on_wide_ranges(name, z, half_width):
    # By hand: integral of exp(-r^2/2) is sqrt(2 pi), of exp(-|r|) is 2 (tails beyond 1e3: 0).
    curves = maths.sample_curves(maths.make_loss(name), (-half_width, half_width))
    assert curves.normalizer == pytest.approx(z, rel=1e-9)


def test_huber_location_at_large_magnitudes():
    # Shifted copies of the spec example: the estimate shifts with them (by hand: 1.9 / 6).
    for shift in (1e6, 1e12, 1e16):
        y = SPEC_VALUES * 4 + shift
        expected = shift + 4 * 1.9 / 6
        assert maths.huber_location(y, 4.0).value == pytest.approx(expected, rel=1e-15, abs=4)
    # Breakpoints y +- 1 that do not exist in floating point at 1e16 (the spacing there is 2).
    # By hand: the outer points are clipped at -1 and +1 and cancel, so the root is the middle one.
    y = np.array([1e16, 1e16 + 4, 3e16])
    assert maths.huber_location(y, 1.0).value == 1e16 + 4
