"""The one table of the built-in losses, against the spec's names, the maths' functions and what
the cards and the drawing showed before the table existed.

Expected LaTeX and words are the previous hard-coded texts of ``scenes/scene/formulas.py`` and
``scenes/compute/cards.py``; expected minimisers are numpy's (mean, median).
"""

from types import SimpleNamespace
from typing import get_args

import numpy as np
import pytest

from scenes import maths
from scenes.compute.cards import compute_summary, loss_label
from scenes.compute.loss_table import LOSS_TABLE, PARAMETERS
from scenes.spec import LOSS_NAMES, EstimateSpec, parse_scene_text

FORMULAS = {
    "l2": ({}, r"\ell(r) = \tfrac{1}{2}\, r^2"),
    "l1": ({}, r"\ell(r) = |r|"),
    "huber": (
        {"delta": 1.5},
        r"\ell(r) = \begin{cases} \tfrac{1}{2} r^2 & |r| \le \delta \\"
        r" \delta\,(|r| - \tfrac{1}{2}\delta) & |r| > \delta \end{cases}\qquad \delta = 1.5",
    ),
    "pseudo_huber": (
        {"delta": 1.0},
        r"\ell(r) = \delta^2 \left(\sqrt{1 + (r/\delta)^2} - 1\right)\qquad \delta = 1",
    ),
    "log_cosh": ({}, r"\ell(r) = \log\cosh r"),
    "cauchy": (
        {"c": 2.0},
        r"\ell(r) = \tfrac{c^2}{2} \log\left(1 + (r/c)^2\right)\qquad c = 2",
    ),
    "tukey": (
        {"c": 4.685},
        r"\ell(r) = \begin{cases} \tfrac{c^2}{6}\left(1 - \left(1 - (r/c)^2\right)^3\right)"
        r" & |r| \le c \\ \tfrac{c^2}{6} & |r| > c \end{cases}\qquad c = 4.685",
    ),
    "trimmed": (
        {"c": 2.0},
        r"\ell(r) = \begin{cases} \tfrac{1}{2} r^2 & |r| \le c \\"
        r" \tfrac{1}{2} c^2 & |r| > c \end{cases}\qquad c = 2",
    ),
    "quantile": (
        {"tau": 0.8},
        r"\ell(r) = \max\left(\tau r,\ (\tau - 1)\, r\right)\qquad \tau = 0.8",
    ),
    "epsilon_insensitive": (
        {"epsilon": 0.123456},
        r"\ell(r) = \max\left(0,\ |r| - \epsilon\right)\qquad \epsilon = 0.1235",
    ),
}


def test_the_table_is_built_on_the_spec_names_and_the_maths_functions():
    assert tuple(LOSS_TABLE) == LOSS_NAMES
    assert tuple(maths.LOSSES) == LOSS_NAMES
    for name, entry in LOSS_TABLE.items():
        assert entry.name == name
        assert entry.function is maths.LOSSES[name]


def test_targets_and_thresholds_are_ones_the_spec_knows():
    targets = set(get_args(EstimateSpec.model_fields["target"].annotation)) - {"auto"}
    for entry in LOSS_TABLE.values():
        assert entry.target in targets, entry.name
        if entry.threshold is not None:
            assert entry.threshold in PARAMETERS, entry.name
    # Only the losses whose pull is the residual cut short clip, and they have an edge to draw.
    assert {e.name for e in LOSS_TABLE.values() if e.clips} == {"huber", "trimmed"}
    assert all(e.threshold for e in LOSS_TABLE.values() if e.clips)


@pytest.mark.parametrize("name", list(FORMULAS))
def test_formula_of_each_loss_is_the_one_drawn_before(name):
    from scenes.scene.formulas import loss_formula

    params, latex = FORMULAS[name]
    spec = SimpleNamespace(loss=SimpleNamespace(name=name, params=lambda: dict(params)))
    data = SimpleNamespace(spec=spec, loss_params=params, observations=np.zeros(3))
    assert loss_formula(data) == latex


def test_every_built_in_loss_but_expr_has_a_formula():
    assert set(FORMULAS) == {name for name, e in LOSS_TABLE.items() if e.latex is not None}


def test_card_words_and_targets_come_from_the_table():
    assert loss_label("pseudo_huber", {"delta": 1.3456}, {"delta": 1.3456}) == (
        "pseudo-Huber loss, δ = 1.346"  # a parameter to VALUE_DIGITS, as its scene shows it
    )
    assert loss_label("huber", {"delta": 2.0}, {"delta": "auto"}) == "Huber loss, δ = 2 (auto)"
    assert loss_label("l2", {}, {}) == "squared loss"
    spec = parse_scene_text(
        "scene: S\nkind: summary\nobservations: {values: [0, 1, 2, 10]}\n"
        "losses: [{name: l2}, {name: l1}, {name: epsilon_insensitive, epsilon: 0.1}]\n"
    )
    summary = compute_summary(spec)
    assert [e.target for e in summary.estimates] == ["mean", "median", ""]
    assert summary.estimates[0].reference.value == pytest.approx(np.mean([0, 1, 2, 10]))
    assert summary.estimates[1].reference.value == pytest.approx(np.median([0, 1, 2, 10]))
