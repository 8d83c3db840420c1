"""Computed narration in another language (spec-v3 section 16): the summary's comparison, the
clipping and influence results and the loss scene's restart are said from the catalogue's
templates, with numbers in the language's way; the numbers are checked against numpy.

The German templates are written here for the test.
"""

import numpy as np
from helpers import CONFIG, _drop_block

from scenes.compute.cards import compute_summary, summary_narration
from scenes.compute.side_scenes import (
    ESTIMATE_DECIMALS,
    clipping_narration,
    influence_narration,
)
from scenes.compute.translation import GENERATED, item_texts, translated_spec
from scenes.kinds import compute_any
from scenes.numbers import VALUE_DIGITS, fixed, in_locale, pair, significant
from scenes.spec import load_any, parse_scene_text

GERMAN = {
    "compare.loss": "Der Verlust {loss}",
    "compare.loss_with": "Der Verlust {loss} mit {parameters}",
    "compare.parameter": "{parameter} gleich {value}",
    "compare.and": "{first} und {second}",
    "compare.named": "{who}, {target},",
    "compare.local": "{who} hat sein tiefstes Minimum bei {lowest}; {where} hält er bei "
    "{value}, einem lokalen Minimum.",
    "compare.from_median": "vom Median aus",
    "compare.settles": "{who} kommt bei {where} zur Ruhe.",
    "compare.anywhere": "irgendwo von {lo} bis {hi}",
    "compare.any": "jedem {target}, {where}",
    "compare.the": "dem {target}, {value}",
    "hold.balanced": "θ = {where}: dort gleichen sich die gekappten Gradienten aus; der "
    "Mittelwert ist {mean}.",
    "hold.unbalanced": "θ = {where} hat den Ausgleichspunkt {target} noch nicht erreicht.",
    "hold": "Mit dem Ausreißer bei {outlier}: Mittelwert {mean}, Median {median}, Huber {huber}, "
    "getrimmt {trimmed}.",
}
WORDS = {"loss.l2": "L2", "target.mean": "Mittelwert", "parameter.delta": "Delta"}


def german(spec, words: dict[str, str] | None = None):
    """``spec`` in German, its generated sentences translated by the templates above."""
    catalogue = {
        (text.context, text.source): GERMAN[text.context.split("/", 1)[1]]
        for text in item_texts(spec)
        if text.context.startswith(f"{spec.scene}/") and text.context.split("/", 1)[1] in GERMAN
    }
    for text in item_texts(spec):
        key = text.context.removeprefix("words/")
        if words and key in words:
            catalogue[(text.context, text.source)] = words[key]
    return translated_spec(spec, "de", catalogue, "en")


def test_the_summary_compares_in_german_with_decimal_commas():
    y = np.array([-1.8, -0.6, -0.2, 0.1, 0.4, 0.9, 1.3, 6.0])
    spec = parse_scene_text(
        f"scene: S\nkind: summary\nobservations: {{values: {y.tolist()}}}\n"
        "losses: [{name: l2}, {name: l1}, {name: huber, delta: 1.5}]\n"
    )
    # Every sentence the summary can make is in the catalogue, with the words put into it.
    listed = {text.context for text in item_texts(spec)}
    assert {f"S/{text_id}" for text_id in GENERATED["summary"]} <= listed
    assert {"words/loss.l2", "words/target.mean", "words/parameter.delta"} <= listed
    english = summary_narration(compute_summary(spec))["compare"]
    said = summary_narration(compute_summary(german(spec, WORDS)))["compare"]
    mean = significant(float(np.mean(y)), VALUE_DIGITS, "de")
    middle = np.sort(y)[3:5]  # the median of an even count: the interval between these
    lo, hi = (significant(float(v), VALUE_DIGITS, "de") for v in middle)
    assert said.startswith(f"Der Verlust L2 kommt bei dem Mittelwert, {mean} zur Ruhe."), said
    assert f"irgendwo von {lo} bis {hi}" in said, said
    assert "Der Verlust Huber mit Delta gleich 1,5 kommt bei" in said, said
    # Words the catalogue leaves out stay the source's; the English sentence is as it was.
    assert "settles" not in said and "the mean, " in english and "0.7625" in english


def test_clipping_and_influence_results_in_german():
    text = _drop_block((CONFIG / "clipping.yaml").read_text(), "narration")
    spec = parse_scene_text(text)
    data = compute_any(german(spec))
    said = clipping_narration(data)["hold"]
    points = np.asarray(data.two_d.points)
    mean = in_locale(pair(*points.mean(axis=0)), "de")
    assert ";" in mean and "," in mean  # (0,50; −1,20)
    if data.converged:
        assert said.endswith(f"der Mittelwert ist {mean}."), said
    else:
        assert "noch nicht erreicht" in said, said

    influence = load_any(CONFIG / "influence.yaml")
    idata = compute_any(german(influence))
    said = influence_narration(idata)["hold"]
    frames = idata.frames
    assert said.startswith(
        f"Mit dem Ausreißer bei {fixed(float(frames.positions[-1]), 1, 'de')}: "
        f"Mittelwert {fixed(float(frames.mean[-1]), ESTIMATE_DECIMALS, 'de')}".replace(
            "-", "\u2212"
        )
    ), said
