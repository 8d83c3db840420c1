"""The section-4 losses: derivatives, reference minimisers, descent, delta: auto.

Independent references: hand-written analytic derivatives (tests only), numpy's quantile, scipy's
bounded scalar minimiser and brentq, and statsmodels' MAD and Huber M-estimate of location.
"""

import json

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from helpers import CONFIG
from hypothesis import given
from hypothesis import strategies as st
from scipy import optimize
from statsmodels.robust import norms
from statsmodels.robust import scale as robust_scale

from scenes import maths
from scenes.compute.loss import compute_scene, robust_delta, to_json
from scenes.maths import losses
from scenes.spec import SceneSpec, load_any

SPEC_VALUES = np.array([-1.8, -0.6, -0.2, 0.1, 0.4, 0.9, 1.3, 6.0])

finite = st.floats(min_value=-50, max_value=50, allow_nan=False, allow_subnormal=False)
samples = st.lists(finite, min_size=1, max_size=30).map(lambda v: np.array(v, dtype=np.float64))

# Analytic l'(r), written by hand from the formulas of spec section 4, and the kinks to avoid.
ANALYTIC = {
    "pseudo_huber": ({"delta": 1.3}, lambda r: r / np.sqrt(1 + (r / 1.3) ** 2), []),
    "log_cosh": ({}, np.tanh, []),
    "cauchy": ({"c": 0.7}, lambda r: r / (1 + (r / 0.7) ** 2), []),
    "tukey": (
        {"c": 2.5},
        lambda r: np.where(np.abs(r) < 2.5, r * (1 - (r / 2.5) ** 2) ** 2, 0.0),
        [],
    ),
    "trimmed": ({"c": 2.0}, lambda r: np.where(np.abs(r) < 2.0, r, 0.0), [-2.0, 2.0]),
    "quantile": ({"tau": 0.8}, lambda r: np.where(r > 0, 0.8, -0.2), [0.0]),
    "epsilon_insensitive": (
        {"epsilon": 0.5},
        lambda r: np.where(np.abs(r) > 0.5, np.sign(r), 0.0),
        [-0.5, 0.5],
    ),
    "expr": ({"expr": "a * log(cosh(r / a))", "a": 1.5}, lambda r: np.tanh(r / 1.5), []),
}


@pytest.mark.parametrize("name", sorted(ANALYTIC))
def test_autodiff_matches_analytic_away_from_kinks(name):
    params, analytic, kinks = ANALYTIC[name]
    loss = maths.make_loss(name, params)
    r = np.linspace(-6, 6, 1201)
    keep = np.all(np.abs(r[:, None] - np.array(kinks + [np.inf])[None, :]) > 1e-9, axis=1)
    slope = np.asarray(jax.jit(losses.derivative(loss))(jnp.asarray(r)))
    np.testing.assert_allclose(slope[keep], analytic(r)[keep], rtol=1e-10, atol=1e-12)
    assert np.all(np.isfinite(slope))  # at the kinks too: no NaN from jnp.where


def test_values_by_hand():
    f = jnp.float64
    # pseudo_huber, delta 1, r = sqrt(3): 1 * (sqrt(1 + 3) - 1) = 1.
    assert float(losses.pseudo_huber(f(np.sqrt(3.0)))) == pytest.approx(1.0, rel=1e-15)
    # log_cosh(1000) = 1000 - log 2 (cosh itself overflows there).
    assert float(losses.log_cosh(f(1000.0))) == pytest.approx(1000 - np.log(2), rel=1e-15)
    # cauchy, c = 2, r = 2: (4/2) * log 2.
    assert float(losses.cauchy(f(2.0), c=2.0)) == pytest.approx(2 * np.log(2), rel=1e-15)
    # tukey beyond c: c^2/6; trimmed beyond c: c^2/2.
    assert float(losses.tukey(f(9.0), c=3.0)) == pytest.approx(1.5)
    assert float(losses.trimmed(f(-9.0), c=3.0)) == pytest.approx(4.5)
    # quantile tau 0.8: 0.8 * 2 and 0.2 * 2; epsilon 0.5: 1.5.
    assert float(losses.quantile(f(2.0), tau=0.8)) == pytest.approx(1.6)
    assert float(losses.quantile(f(-2.0), tau=0.8)) == pytest.approx(0.4)
    assert float(losses.epsilon_insensitive(f(-2.0), epsilon=0.5)) == 1.5


def test_pseudo_huber_small_residuals_keep_precision():
    # delta^2 (sqrt(1 + z^2) - 1) = r^2/2 - r^4/(8 delta^2) + ...: 1e-9^2 / 2 = 5e-19 exactly to
    # double precision; the naive formula returns 0.
    assert float(losses.pseudo_huber(jnp.float64(1e-9))) == pytest.approx(5e-19, rel=1e-12)


def test_expr_agrees_with_builtin_losses():
    r = jnp.linspace(-6, 6, 241)
    pairs = [
        ("log(cosh(r))", {}, "log_cosh", {}),
        ("0.5 * c**2 * log1p((r / c)**2)", {"c": 0.7}, "cauchy", {"c": 0.7}),
        (
            "where(abs(r) <= d, 0.5 * r**2, d * (abs(r) - 0.5 * d))",
            {"d": 1.2},
            "huber",
            {"delta": 1.2},
        ),
        ("maximum(t * r, (t - 1) * r)", {"t": 0.3}, "quantile", {"tau": 0.3}),
    ]
    for text, consts, name, params in pairs:
        mine = maths.make_loss("expr", {"expr": text, **consts})
        ref = maths.make_loss(name, params)
        np.testing.assert_allclose(jax.vmap(mine)(r), jax.vmap(ref)(r), rtol=1e-12, atol=1e-14)
        keep = np.abs(np.abs(np.asarray(r)) - 1.2) > 1e-9
        np.testing.assert_allclose(
            np.asarray(losses.derivative(mine)(r))[keep],
            np.asarray(losses.derivative(ref)(r))[keep],
            rtol=1e-12,
            atol=1e-14,
        )


def test_expr_slope_through_where_is_finite():
    # Reverse mode alone would give NaN at r < 0 (0 * the slope of sqrt at a negative number).
    loss = maths.make_loss("expr", {"expr": "where(r > 0, sqrt(r), -r)"})
    slope = np.asarray(losses.derivative(loss)(jnp.array([-2.0, -0.5, 0.25, 4.0])))
    np.testing.assert_allclose(slope, [-1.0, -1.0, 1.0, 0.25])


# --- reference minimisers ------------------------------------------------------------------------


@given(samples, st.sampled_from([0.125, 0.25, 0.5, 0.75, 0.875]))
def test_quantile_interval_matches_numpy(y, tau):
    # Taus whose products with n are exact in floating point, so numpy's arithmetic is exact too.
    ref = maths.quantile_interval(y, tau)
    # inverted_cdf is the smallest y with at least tau * n points at or below it: the left end;
    # mirrored, the right end.
    assert ref.lo == np.quantile(y, tau, method="inverted_cdf")
    assert ref.hi == -np.quantile(-y, 1 - tau, method="inverted_cdf")


@given(
    st.lists(st.integers(-20, 20), min_size=1, max_size=25).map(np.array),
    st.sampled_from(["0.1", "0.3", "0.5", "0.7", "0.9"]),
)
def test_quantile_interval_minimises_the_exact_objective(y, tau_text):
    # Exact rational arithmetic with the decimal tau: the minimisers among the data points (a
    # piecewise-linear objective attains its minimum at data points) span the interval.
    from fractions import Fraction

    tau = Fraction(tau_text)
    ref = maths.quantile_interval(y.astype(float), float(tau_text))
    cost = {int(t): sum(max(tau * int(v - t), (tau - 1) * int(v - t)) for v in y) for t in set(y)}
    best = min(cost.values())
    minimisers = [t for t, c in cost.items() if c == best]
    assert (ref.lo, ref.hi) == (min(minimisers), max(minimisers))


def test_quantile_interval_even_split():
    # n tau = 8 * 0.5 = 4: any point between the 4th and 5th values; 8 * 0.25 = 2 likewise.
    for tau, expected in ((0.5, (0.1, 0.4)), (0.25, (-0.6, -0.2))):
        ref = maths.quantile_interval(SPEC_VALUES, tau)
        assert (ref.lo, ref.hi) == expected


def _objective(name, params, y):
    loss = maths.make_loss(name, params)
    values = jax.jit(jax.vmap(lambda t: jnp.mean(jax.vmap(loss)(jnp.asarray(y) - t))))
    return lambda t: np.asarray(values(jnp.atleast_1d(jnp.asarray(t, dtype=jnp.float64))))


@given(samples, st.sampled_from([0.0, 0.2, 0.5, 3.0]))
def test_epsilon_interval_is_the_set_of_minimisers(y, eps):
    ref = maths.epsilon_interval(y, eps)
    objective = lambda t: np.maximum(np.abs(y[None, :] - t[:, None]) - eps, 0).sum(axis=1)  # noqa: E731
    grid = np.linspace(y.min() - eps - 1, y.max() + eps + 1, 4001)
    best = min(objective(grid).min(), objective(np.array([ref.lo]))[0])
    tol = 1e-9 * (1 + np.abs(y).sum())
    ends = objective(np.array([ref.lo, ref.hi, ref.value]))
    assert np.all(ends <= best + tol)
    outside = objective(np.array([ref.lo - 1e-3, ref.hi + 1e-3]))
    assert np.all(outside > best + 1e-4)
    if eps == 0.0:
        assert (ref.lo, ref.hi) == (maths.median(y).lo, maths.median(y).hi)


CONVEX_PSI = {
    "pseudo_huber": ({"delta": 1.0}, lambda r: r / np.sqrt(1 + r**2)),
    "log_cosh": ({}, np.tanh),
}


@pytest.mark.slow  # a long property test or scipy oracle: the full suite only
@pytest.mark.parametrize("name", sorted(CONVEX_PSI))
@given(y=samples)
def test_convex_numeric_minimiser_matches_scipy(name, y):
    params, psi = CONVEX_PSI[name]
    ref = maths.local_minimum(maths.make_loss(name, params), y, float(y.min()) - 1.0)
    if np.ptp(y) == 0:
        assert ref.value == pytest.approx(y[0], abs=1e-9)
        return
    # The mean pull is decreasing in theta, positive at min(y) and negative at max(y): brentq.
    root = optimize.brentq(lambda t: np.mean(psi(y - t)), y.min(), y.max(), xtol=1e-14)
    # Far-apart clusters make L flat to ~exp(-spread) around the root (log-cosh with y = [0, 26]:
    # G changes by 1e-17 over 1e-6), so theta is only defined to ~1e-6 there; L is exact.
    curvature = (np.mean(psi(y - root + 1e-6)) - np.mean(psi(y - root - 1e-6))) / -2e-6
    if curvature > 1e-6:
        assert ref.value == pytest.approx(root, abs=1e-8 * (1 + np.ptp(y)))
    objective = _objective(name, params, y)
    assert objective(ref.value)[0] <= objective(root)[0] + 1e-13 * (1 + objective(root)[0])
    if name == "pseudo_huber":
        # And the bounded scalar minimiser on the objective itself, to its own tolerance.
        objective = _objective(name, params, y)
        best = optimize.minimize_scalar(
            lambda t: objective(t)[0], bounds=(y.min(), y.max()), method="bounded"
        )
        assert objective(ref.value)[0] <= best.fun + 1e-12 * (1 + abs(best.fun))


# psi(r) = l'(r), analytic, for brentq on the mean pull.
PSI = {
    "cauchy": ({"c": 1.0}, lambda r: r / (1 + r**2)),
    "tukey": (
        {"c": 4.685},
        lambda r: np.where(np.abs(r) < 4.685, r * (1 - (r / 4.685) ** 2) ** 2, 0),
    ),
    "expr": ({"expr": "log1p(r**2)"}, lambda r: 2 * r / (1 + r**2)),
}


@pytest.mark.parametrize("name", sorted(PSI))
@pytest.mark.parametrize(
    ("y", "start"),
    [
        (SPEC_VALUES, -4.0),
        (np.array([-3.0, -2.8, -2.5, 2.5, 2.9, 3.1, 3.3]), 1.0),  # two clusters: start in one basin
        (np.array([-3.0, -2.8, -2.5, 2.5, 2.9, 3.1, 3.3]), -0.5),
    ],
)
def test_nonconvex_minimiser_is_the_local_one_downhill(name, y, start):
    params, psi = PSI[name]
    ref = maths.local_minimum(maths.make_loss(name, params), y, start)
    pull = lambda t: float(np.mean(psi(y - t)))  # noqa: E731
    # Walk downhill from the start on a grid of another resolution, then brentq in the bracket.
    direction = np.sign(pull(start))
    grid = start + direction * np.linspace(0, 20, 7919)
    values = np.array([pull(t) for t in grid]) * direction
    k = int(np.argmax(values <= 0))
    root = optimize.brentq(pull, *sorted((grid[k - 1], grid[k])), xtol=1e-14)
    assert ref.value == pytest.approx(root, abs=1e-9)
    objective = _objective(name, params, y)
    assert objective(root)[0] < objective(root - 1e-3)[0]
    assert objective(root)[0] < objective(root + 1e-3)[0]


@pytest.mark.parametrize("start", [-1.0, 0.5, 5.0])
def test_trimmed_minimiser_is_the_mean_of_the_points_within_c(start):
    c = 2.0
    loss = maths.make_loss("trimmed", {"c": c})
    ref = maths.trimmed_local(SPEC_VALUES, c, start, loss)
    inside = np.abs(SPEC_VALUES - ref.value) <= c
    assert ref.value == pytest.approx(SPEC_VALUES[inside].mean(), abs=1e-15)
    objective = _objective("trimmed", {"c": c}, SPEC_VALUES)
    here = objective(ref.value)[0]
    assert here <= objective(ref.value - 1e-4)[0] and here <= objective(ref.value + 1e-4)[0]
    if start == 5.0:
        assert ref.value == 6.0  # alone in its basin: the outlier is a local minimum too


# --- the specs in config/ ------------------------------------------------------------------------

LOSS_SPECS = [
    "pseudo_huber",
    "log_cosh",
    "cauchy",
    "tukey",
    "trimmed",
    "quantile",
    "epsilon_insensitive",
    "expr",
]


@pytest.mark.parametrize("name", LOSS_SPECS)
def test_config_spec_descent_reaches_its_reference(name):
    spec = load_any(CONFIG / f"{name}.yaml")
    assert isinstance(spec, SceneSpec)
    data = compute_scene(spec)
    assert data.converged, (data.estimate, data.target)
    assert not data.warnings
    doc = to_json(data)
    assert doc["loss"]["name"] == spec.loss.name
    assert doc["estimate"] == doc["trajectory"][-1]
    # Every step obeys the update rule of spec section 2, with pulls from JAX autodiff.
    y = data.observations
    pull = maths.pull_function(maths.make_loss(spec.loss.name, data.loss_params))
    t = np.asarray(doc["trajectory"])
    means = np.array([float(jnp.mean(pull(jnp.asarray(y), jnp.float64(v)))) for v in t[:-1]])
    np.testing.assert_allclose(
        t[1:], t[:-1] + np.asarray(doc["step_sizes"]) * means, rtol=1e-12, atol=1e-12
    )


def test_quantile_scene_settles_on_the_quantile():
    data = compute_scene(load_any(CONFIG / "quantile.yaml"))
    # tau = 0.8, n = 8: n tau = 6.4 is not whole, so the 7th smallest value, 1.3.
    assert data.target.value == 1.3 == np.quantile(SPEC_VALUES, 0.8, method="inverted_cdf")


# --- delta: auto ---------------------------------------------------------------------------------


@given(st.lists(finite, min_size=3, max_size=40).map(np.array))
def test_auto_delta_is_statsmodels_huber_t_convention(y):
    mad = float(robust_scale.mad(y))  # median(|y - median|) / Phi^-1(3/4)
    if mad == 0.0:
        return
    assert robust_delta(y) == pytest.approx(1.345 * mad, rel=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_huber_with_auto_delta_matches_statsmodels_location(seed):
    rng = np.random.default_rng(seed)
    y = np.concatenate([rng.normal(0, 1, 25), rng.normal(8, 1, 3)])
    s = float(robust_scale.mad(y))
    # statsmodels' M-estimate of location with HuberT(t = 1.345) and the scale held fixed.
    expected = float(
        norms.estimate_location(y, s, norm=norms.HuberT(t=1.345), tol=1e-13, maxiter=500)
    )
    ours = maths.huber_location(y, robust_delta(y)).value
    assert ours == pytest.approx(expected, abs=1e-9)


def test_auto_delta_scene_reports_and_uses_the_delta():
    text = (CONFIG / "huber.yaml").read_text().replace("delta: 1.0", "delta: auto")
    from scenes.spec import parse_scene_text

    data = compute_scene(parse_scene_text(text))
    delta = 1.345 * float(robust_scale.mad(SPEC_VALUES))
    assert data.loss_params["delta"] == pytest.approx(delta, rel=1e-12)
    assert data.band == data.loss_params["delta"]
    assert to_json(data)["loss"]["delta"] == pytest.approx(delta, rel=1e-12)
    assert data.converged


@pytest.mark.parametrize(
    "y",
    [
        [0.0, 0.0, 0.0, 0.0, 0.0, 10.0],
        [3.0, 3.0, 3.0, -1.0, 8.0],
        [1.5] * 7 + [2.0, 40.0, -6.0],
    ],
)
def test_auto_delta_when_the_mad_is_zero_uses_the_mean_absolute_deviation(y, tmp_path):
    from helpers import run_cli

    y = np.array(y)
    assert float(robust_scale.mad(y)) == 0.0  # more than half the points coincide
    # The fallback, by hand with numpy: the mean absolute deviation from the median, scaled to
    # the standard deviation at the normal (E|Z| = sqrt(2 / pi)).
    scale = float(np.mean(np.abs(y - np.median(y)))) * np.sqrt(np.pi / 2)
    assert robust_delta(y) == pytest.approx(1.345 * scale, rel=1e-12)
    expected = float(
        norms.estimate_location(y, scale, norm=norms.HuberT(t=1.345), tol=1e-13, maxiter=500)
    )
    ours = maths.huber_location(y, robust_delta(y)).value
    assert ours == pytest.approx(expected, abs=1e-9)
    # Not the mean's answer, which the old fallback (the range) gave: the outlier is clipped.
    assert abs(ours - np.mean(y)) > 0.1
    spec = tmp_path / "mad.yaml"
    spec.write_text(
        f"scene: Mad\nloss: {{name: huber, delta: auto}}\nobservations: {{values: {y.tolist()}}}\n"
    )
    result = run_cli("compute", str(spec))
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["loss"]["delta"] == pytest.approx(1.345 * scale, rel=1e-12)
    assert document["references"]["huber"] == pytest.approx(expected, abs=1e-9)
    assert result.stderr == (
        "warning: Mad: delta: auto: the MAD of the observations is 0 (more than half of them are "
        f"equal), so it is 1.345 x their mean absolute deviation from the median ({scale:.6g}): "
        f"delta = {1.345 * scale:.6g}\n"
    )


def test_auto_delta_of_equal_observations_says_there_is_no_spread():
    from scenes.spec import parse_scene_text

    data = compute_scene(
        parse_scene_text(
            "scene: Same\nloss: {name: huber, delta: auto}\nobservations: {values: [2, 2, 2]}\n"
        )
    )
    assert data.loss_params["delta"] == 1.345 and data.estimate == pytest.approx(2.0)
    assert any("there is no spread to adapt to" in w for w in data.warnings)
