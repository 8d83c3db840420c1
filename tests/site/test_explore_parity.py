"""The explorable pages' maths, run in Node, against ``compute`` (spec-v3 section 15).

Every built-in loss and a few formulas, on seeded datasets with outliers: the page's generated
loss and slope (from the loss table's formula, :mod:`scenes.site.explore`) and its descent,
references and density (``assets/site/explore-maths.js``) must give what ``compute_scene`` and
the maths layer give, within 1e-9 of the data's spread. The number formats are checked against
``scenes.numbers``. All cases run in one Node process.
"""

import json
import shutil
import subprocess

import numpy as np
import pytest

from scenes import maths
from scenes.compute.loss import compute_scene
from scenes.compute.resolve import parse_resolved
from scenes.maths.data_scale import robust_delta
from scenes.maths.losses import derivative
from scenes.numbers import at_resolution, significant
from scenes.package_data import asset
from scenes.site.explore import loss_formula, loss_javascript, page_data

pytestmark = pytest.mark.slow

NODE = shutil.which("node") or "/usr/bin/node"
TOLERANCE = 1e-9  # of the data's spread

LOSSES = [
    {"name": "l2"},
    {"name": "l1"},
    {"name": "huber", "delta": 1.0},
    {"name": "huber", "delta": "auto"},
    {"name": "pseudo_huber", "delta": 1.5},
    {"name": "log_cosh"},
    {"name": "cauchy", "c": 2.0},
    {"name": "tukey", "c": 4.685},
    {"name": "trimmed", "c": 2.0},
    {"name": "quantile", "tau": 0.3},
    {"name": "epsilon_insensitive", "epsilon": 0.5},
    {"name": "expr", "expr": "log(1 + r**2 / s)", "params": {"s": 2.0}},
    {
        "name": "expr",
        "expr": "where(abs(r) < k, r**2, 2 * k * abs(r) - k**2)",
        "params": {"k": 1.2},
    },
    {"name": "expr", "expr": "sqrt(1 + r**2) - 1 + 0.1 * maximum(r, 0)"},
]


def dataset(seed: int) -> list[float]:
    """Normal data with one or two far outliers."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(6, 30))
    y = rng.normal(0.5 * seed, 1.0 + seed / 2, n)
    y[: 1 + seed % 2] += rng.choice([-1, 1]) * rng.uniform(5, 12)
    return [round(float(v), 3) for v in y]


def label(loss: dict) -> str:
    if loss["name"] == "expr":
        return f"expr {loss['expr']}"
    return (
        " ".join(f"{k}={v}" for k, v in loss.items() if k != "name")
        and (f"{loss['name']} " + " ".join(f"{k}={v}" for k, v in loss.items() if k != "name"))
        or loss["name"]
    )


def cases():
    for loss in LOSSES:
        for seed in range(3):
            y = dataset(seed)
            estimate = {"steps": 80 + 20 * seed}
            if seed == 1:
                estimate["start"] = float(min(y) - 2.0)
            doc = {
                "scene": "Parity",
                "loss": loss,
                "curves": {"x_range": [-6, 6]},
                "observations": {"values": y},
                "estimate": estimate,
            }
            yield label(loss), seed, parse_resolved(json.dumps(doc))


def run_node(script: str) -> list:
    result = subprocess.run(
        [NODE, "-e", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def parity():
    """Every case computed in Python and in Node: {(label, seed): (python, node, spread)}."""
    python, blocks, keys = [], [], []
    for name, seed, spec in cases():
        data = compute_scene(spec)
        page, formula, names = page_data(spec)
        y = np.asarray(data.observations)
        constants = {k: float(data.loss_params[k]) for k in names}
        delta = constants["delta"] if page["huberDelta"] == "delta" else page["huberDelta"]
        huber = maths.huber_location(y, delta)
        r = np.linspace(-8, 8, 161)
        loss = maths.make_loss(spec.loss.name, data.loss_params)
        python.append(
            {
                "estimate": data.estimate,
                "mean": data.references["mean"].value,
                "median": [data.references["median"].lo, data.references["median"].hi],
                "huber": huber.value,
                # The trimmed reference: on the trimmed loss's page the video's own (the local
                # minimiser, the mean within c of it), else the mean within delta of Huber.
                "trimmed": (
                    data.references[data.target_name].value
                    if page["trimmedAround"] == "scene"
                    else maths.trimmed_mean(y, huber.value, delta)
                ),
                "loss": np.asarray([loss(v) for v in r]).tolist(),
                "slope": np.asarray(derivative(loss)(r)).tolist(),
                "x": data.curves.x.tolist(),
                "density": data.curves.density.tolist(),
                "spread": float(np.ptp(np.append(y, data.descent.trajectory[0]))),
            }
        )
        keys.append((name, seed))
        case = {
            "y": page["observations"],
            "c": constants,
            "auto": [p["name"] for p in page["params"] if p["auto"]],
            "start": page["start"],
            "steps": page["steps"],
            "huberDelta": page["huberDelta"],
            "trimmedAround": page["trimmedAround"],
            "curveRange": page["curveRange"],
            "r": r.tolist(),
        }
        assert loss_formula(spec.loss)[0] == formula
        blocks.append(
            f"(function () {{\n{loss_javascript(formula, names)}"
            f"  return Object.assign({json.dumps(case)}, {{loss, slope}});\n}})()"
        )
    maths_file = json.dumps(str(asset("site", "explore-maths.js")))
    script = f"""
const M = require({maths_file});
const cases = [{",".join(blocks)}];
const out = cases.map((k) => {{
  const c = Object.assign({{}}, k.c);
  for (const name of k.auto) c[name] = M.robustDelta(k.y);
  const start = k.start === null ? M.defaultStart(k.y) : k.start;
  const delta = k.huberDelta === "delta" ? c.delta : k.huberDelta;
  const huber = M.huberLocation(k.y, delta).value;
  const median = M.median(k.y);
  const estimate = M.descend(k.slope, c, k.y, start, k.steps).estimate;
  const trimmed = k.trimmedAround === "scene"
    ? (M.trimmedMean(k.y, estimate, c.c) ?? estimate)
    : M.trimmedMean(k.y, huber, delta);
  const curves = M.curves(k.loss, k.slope, c, k.curveRange[0], k.curveRange[1], 401);
  return {{
    estimate,
    mean: M.mean(k.y).value,
    median: [median.lo, median.hi],
    huber,
    trimmed,
    loss: k.r.map((r) => k.loss(r, c)),
    slope: k.r.map((r) => k.slope(r, c)),
    x: Array.from(curves.x),
    density: Array.from(curves.density),
    autoDelta: k.auto.length ? c[k.auto[0]] : null,
  }};
}});
console.log(JSON.stringify(out));
"""
    node = run_node(script)
    return dict(zip(keys, zip(python, node, strict=True), strict=True))


def worst_errors(parity) -> dict[str, dict[str, float]]:
    """The largest difference per loss and quantity, relative to the data's spread (values) or
    to the largest |value| (loss, slope, density curves)."""
    worst: dict[str, dict[str, float]] = {}
    for (name, _), (py, js) in parity.items():
        row = worst.setdefault(name, {})
        spread = py["spread"]
        for key in ("estimate", "mean", "huber", "trimmed"):
            error = abs(py[key] - js[key]) / spread if py[key] is not None else 0.0
            row[key] = max(row.get(key, 0.0), error)
        row["median"] = max(
            row.get("median", 0.0),
            max(abs(a - b) for a, b in zip(py["median"], js["median"], strict=True)) / spread,
        )
        for key in ("loss", "slope"):
            a, b = np.asarray(py[key]), np.asarray(js[key])
            scale = max(1.0, float(np.max(np.abs(a))))
            row[key] = max(row.get(key, 0.0), float(np.max(np.abs(a - b))) / scale)
        # The page samples the curves on an even grid; compare where compute sampled the same r.
        x, density = np.asarray(js["x"]), np.asarray(js["density"])
        shared = np.isin(np.asarray(py["x"]), x)
        expected = np.asarray(py["density"])[shared]
        got = density[np.isin(x, np.asarray(py["x"])[shared])]
        row["density"] = max(
            row.get("density", 0.0), float(np.max(np.abs(expected - got)) / np.max(expected))
        )
    return worst


def test_the_page_computes_what_compute_computes(parity):
    worst = worst_errors(parity)
    print()
    for name, row in worst.items():
        print(f"{name:60s} " + " ".join(f"{k}={v:.1e}" for k, v in row.items()))
    for name, row in worst.items():
        for key in ("estimate", "mean", "median", "huber", "trimmed", "loss", "slope"):
            assert row[key] <= TOLERANCE, (name, key, row[key])
        # The density's normaliser is integrated on the page's own grid (4096 Simpson steps over
        # the plotted range), compute's on a zoomed one: a drawing, not a number shown.
        assert row["density"] <= 1e-6, (name, "density", row["density"])


def test_delta_auto_is_the_same_robust_delta(parity):
    for (name, seed), (_, js) in parity.items():
        if "auto" in name:
            y = dataset(seed)
            assert js["autoDelta"] == pytest.approx(robust_delta(np.asarray(y)), rel=1e-12)


def test_number_formats_are_the_videos():
    rng = np.random.default_rng(7)
    values = np.concatenate(
        [
            rng.normal(0, 1, 200) * 10.0 ** rng.integers(-7, 9, 200),
            [0.0, 1.0, -2.5, 123456.0, 1e-5, 9.9995, 0.00012345, 1e21],
        ]
    ).tolist()
    resolutions = [0.01, 1e-4, 0.5, 0.0, 3.0]
    script = f"""
const M = require({json.dumps(str(asset("site", "explore-maths.js")))});
const values = {json.dumps(values)};
const out = values.map((v) => [M.significant(v, 4), M.significant(v, 6),
  ...{json.dumps(resolutions)}.map((r) => M.atResolution(v, r))]);
console.log(JSON.stringify(out));
"""
    node = run_node(script)
    for value, shown in zip(values, node, strict=True):
        expected = [significant(value, 4), significant(value, 6)]
        expected += [at_resolution(value, r or None) for r in resolutions]
        assert shown == expected, value
