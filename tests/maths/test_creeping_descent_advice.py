"""A descent that creeps on a weak pull is 'still closing in', and more steps do help (issue 23)."""

import re

import numpy as np
import yaml

import scenes


def _quantile_spec(tmp_path, steps):
    spec = yaml.safe_load(open("config/quantile.yaml", encoding="utf-8"))
    spec["loss"]["tau"] = 1e-12
    spec["estimate"]["steps"] = steps
    path = tmp_path / f"q{steps}.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


def test_tiny_tau_advises_more_steps_and_more_steps_converge(tmp_path):
    short = scenes.compute_scene(_quantile_spec(tmp_path, 100))
    [warning] = short.warnings
    assert "still closing in" in warning and "more steps" in warning
    assert "would not" not in warning
    match = re.search(r"now (\d+)", warning)
    assert match and int(match.group(1)) == 100

    long = scenes.compute_scene(_quantile_spec(tmp_path, 1000))
    assert long.warnings == []
    # The tau-quantile of the data for a tiny tau is their minimum (numpy's 'inverted_cdf').
    values = np.asarray(long.observations)
    expected = float(np.quantile(values, 1e-12, method="inverted_cdf"))
    assert abs(long.estimate - expected) < 1e-3 * float(np.ptp(values))
