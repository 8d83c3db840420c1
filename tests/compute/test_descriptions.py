"""The described video's text (spec-v3 section 16): what only the picture shows, per beat, with
the numbers as the labels write them, checked against independent references (scipy, numpy).
"""

import re

import numpy as np
import pytest
from helpers import CONFIG
from scipy.optimize import minimize_scalar

from scenes.compute.cards import value_words
from scenes.compute.descriptions import describe
from scenes.compute.loss import compute_scene
from scenes.compute.resolve import load_resolved
from scenes.kinds import kind_of
from scenes.numbers import at_resolution, with_minus_signs

NUMBER = r"−?\d+(?:\.\d+)?"


def number(text: str) -> float:
    return float(text.replace("\u2212", "-"))


@pytest.fixture(scope="module")
def huber():
    spec = load_resolved(CONFIG / "huber.yaml")
    data = compute_scene(spec)
    return data, describe(data, [plan.id for plan in spec.beat_plans()])


def test_arrival_names_the_label_strings_and_the_huber_estimate(huber):
    data, said = huber
    y, delta = data.observations, data.band

    # scipy, not the package: the Huber M-estimate minimises the summed Huber loss.
    def objective(theta):
        r = np.abs(y - theta)
        return np.where(r <= delta, 0.5 * r**2, delta * (r - 0.5 * delta)).sum()

    reference = minimize_scalar(objective, bounds=(y.min(), y.max()), method="bounded").x
    stopped = re.search(rf"θ has stopped at ({NUMBER})\.", said["arrival"])
    assert stopped is not None, said["arrival"]
    # The key's label writes the Huber estimate at the line's resolution: the same string.
    label = with_minus_signs(at_resolution(data.references["huber"].value, data.resolution))
    assert f"the Huber estimate at {label}" in said["arrival"]
    assert stopped[1] == label
    digits = len(label.split(".")[1]) if "." in label else 0
    assert abs(number(stopped[1]) - reference) <= 0.6 * 10.0**-digits
    # The balance's label: "pulls: left L, right R", the sums of the pulls where theta ends.
    pulls = data.descent.pulls[-1]
    left, right = pulls[pulls < 0].sum(), pulls[pulls > 0].sum()
    words = f"pulls: left {at_resolution(left, data.resolution)}, right "
    words += at_resolution(right, data.resolution)
    assert with_minus_signs(words) in said["arrival"]


def test_greyed_observations_are_those_farther_than_delta(huber):
    data, said = huber
    theta = data.descent.trajectory[-1]
    far = np.sort(data.observations[np.abs(data.observations - theta) > data.band])
    assert len(far) > 0
    listed = re.search(r"observations at (.*?) are shorter", said["estimate"])
    assert listed is not None, said["estimate"]
    values = [number(v) for v in re.findall(NUMBER, listed[1])]
    assert values == pytest.approx(list(far), abs=1e-9)


def test_squared_loss_greys_nothing_and_names_the_mean():
    spec = load_resolved(CONFIG / "l2.yaml")
    data = compute_scene(spec)
    said = describe(data, [plan.id for plan in spec.beat_plans()])
    assert "grey" not in said["estimate"]
    mean = with_minus_signs(at_resolution(float(np.mean(data.observations)), data.resolution))
    assert f"the mean at {mean}" in said["arrival"]
    assert said["data"].startswith(f"{len(data.observations)} observations appear")


def test_every_scene_of_the_full_lecture_is_described_in_plain_sentences():
    lecture = load_resolved(CONFIG / "full-lecture.yaml")
    for _, spec in lecture.scenes:
        data = kind_of(spec).compute(spec)
        ids = [plan.id for plan in spec.beat_plans()]
        said = describe(data, ids)
        assert set(said) <= set(ids), spec.scene
        # Every beat that draws something new is described (a card's and a summary's hold
        # only keep the picture).
        drawn = {i for i in ids if i not in ("hold", "items", "intro")}
        assert drawn <= set(said) | {"items"}, (spec.scene, drawn - set(said))
        for beat, text in said.items():
            assert text.endswith("."), (spec.scene, beat, text)
            assert "\n" not in text and "  " not in text
            # Numbers carry minus signs, never hyphens; no negative zero.
            assert not re.search(r"(?<![\w.])-\d", text), (spec.scene, beat, text)
            assert not re.search(r"−0(?![.\d])", text), (spec.scene, beat, text)
        if getattr(spec, "kind", "loss") == "summary":
            for estimate in data.estimates:
                assert value_words(estimate.reference) in said["compare"]


def test_only_beats_asked_for_and_only_known_languages():
    spec = load_resolved(CONFIG / "l1.yaml")
    data = compute_scene(spec)
    assert set(describe(data, ["arrival"])) == {"arrival"}
    assert describe(data, []) == {}
    with pytest.raises(ValueError, match="'xx'"):
        describe(data, ["arrival"], lang="xx")


@pytest.mark.parametrize("lang", ["en", "de"])
def test_a_subtitle_that_asks_keeps_its_own_question_mark(lang):
    """The title card's subtitle ends in "?": the description ends it once, not "to?."."""
    from scenes.compute.cards import compute_card

    spec = load_resolved(CONFIG / "lecture-title.yaml")
    assert spec.subtitle.endswith("?")
    intro = describe(compute_card(spec), ["intro"], lang)["intro"]
    assert intro.endswith(spec.subtitle), intro
    assert "?." not in intro
