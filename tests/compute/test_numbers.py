"""The one number formatter (scenes/numbers.py): what each precision writes, and that labels,
captions and speech go through it.

Expected texts are Python's own ``%g`` / ``%f`` formatting of the same numbers, which is what
every caller wrote inline before the module existed.
"""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scenes import numbers
from scenes.maths.axis import labelling

FINITE = st.floats(allow_nan=False, allow_infinity=False)


@given(FINITE, st.integers(1, 17))
def test_significant_is_percent_g(value, digits):
    assert numbers.significant(value, digits) == f"{value:.{digits}g}"
    assert numbers.significant(value) == f"{value:g}"


def test_the_precisions_by_use():
    assert numbers.significant(1.23456, numbers.SENTENCE_DIGITS) == "1.23"
    assert numbers.significant(1.23456, numbers.VALUE_DIGITS) == "1.235"
    assert numbers.significant(1.23456, numbers.MESSAGE_DIGITS) == "1.23456"
    assert numbers.interval(0.1, 0.4) == "[0.1, 0.4]"
    # One precision for both coordinates (the larger to 3 significant digits), true minus signs.
    assert numbers.pair(0.12345, -2.0) == "(0.12, \u22122.00)"
    assert numbers.pair(0.348, 0.0204) == "(0.348, 0.020)"
    assert numbers.fixed(0.5, 2) == "0.50" and numbers.fixed(-0.0 + 0.0, 1) == "0.0"


@pytest.mark.parametrize(
    ("value", "resolution", "text"),
    [
        (0.76251, None, "0.7625"),
        (123456.7, None, "123456.7"),
        (1e12 + 0.5, 0.01, "1000000000000.5"),
        (0.3167, 0.001, "0.3167"),
        (0.0, 0.001, "0"),
        (math.inf, 0.001, "inf"),
        (1.0000001234, 1e-9, "1.000000123"),  # ten digits tell 1e-9 apart
        (5.0, float("nan"), "5"),
    ],
)
def test_at_resolution_shows_the_digits_that_tell_values_apart(value, resolution, text):
    assert numbers.at_resolution(value, resolution) == text


def test_the_number_line_writes_its_offset_note_with_it():
    labels = labelling(1e12, 1e12 + 10, 1.0)
    assert labels.note == "+ " + numbers.at_resolution(1e12, 0.1)
    assert labels.text(1e12 + 3) == numbers.fixed(3.0, labels.decimals)


def test_no_number_is_formatted_inline_where_it_is_shown_or_said():
    # Labels, captions, cards and speech, and the warnings and errors of the maths: the modules
    # that write numbers for people read them from scenes.numbers (a format spec such as :.3g in
    # an f-string would bypass it).
    import re
    from pathlib import Path

    root = Path(numbers.__file__).parent
    inline = re.compile(r"\{[^{}]*:\.?\d*[gf]\}")
    for name in (
        "compute/loss.py",
        "compute/cards.py",
        "compute/side_scenes.py",
        "compute/formula_check.py",
        "maths/descent.py",
        "maths/minimise.py",
        "scene/formulas.py",
        "maths/axis.py",
        "formula/latex.py",
        "formula/numpy_backend.py",
    ):
        text = (root / name).read_text(encoding="utf-8")
        assert not inline.findall(text), (name, inline.findall(text))


@pytest.mark.parametrize(
    ("value", "digits", "mantissa", "exponent"),
    [
        # Python's own %e of the same numbers, with one digit fewer after the point.
        (1.5e-7, 2, "1.5", -7),
        (-2.34e12, 2, "-2.3", 12),
        (123456.0, 3, "1.23", 5),
        (0.0, 2, "0.0", 0),
    ],
)
def test_power_of_ten_splits_a_number_into_mantissa_and_exponent(value, digits, mantissa, exponent):
    assert numbers.power_of_ten(value, digits) == (mantissa, exponent)


@given(FINITE.filter(lambda v: v != 0), st.integers(1, 17))
def test_power_of_ten_reads_back_as_the_number_to_its_digits(value, digits):
    mantissa, exponent = numbers.power_of_ten(value, digits)
    assert float(f"{mantissa}e{exponent}") == float(f"{value:.{digits - 1}e}")


def test_no_number_is_formatted_inline_in_the_drawing():
    # What the scenes draw reads its numbers from scenes.numbers too; the layout checker's
    # messages are for developers (pixels and contrast ratios), not drawn.
    import re
    from pathlib import Path

    inline = re.compile(r"\{[^{}]*:\.?\d*[gef]\}")
    drawing = Path(numbers.__file__).parent / "scene"
    for path in sorted(drawing.glob("*.py")):
        if path.name == "layout_check.py":
            continue
        text = path.read_text(encoding="utf-8")
        assert not inline.findall(text), (path.name, inline.findall(text))


def test_minus_signs_replace_hyphens_before_numbers_only():
    said = numbers.with_minus_signs("From -1, θ = -0.35; (-.5, 2); Huber-like; 1e-3; a - 1")
    assert said == "From \u22121, θ = \u22120.35; (\u2212.5, 2); Huber-like; 1e-3; a - 1"
