"""A title card's text fits on the frame or ``check`` refuses it (issue 23): the card steps
down a ladder of type sizes, wraps every line to its width, and a card that fits at none is an
error at the field that made it too long, with exit 2 and nothing rendered.
"""

from pathlib import Path

import pytest
import yaml
from helpers import run_cli

from scenes.spec import load_any
from scenes.spec.card_fit import CARD_HEIGHT, CARD_SIZES, CARD_WIDTH, card_fit, text_width, wrap
from scenes.spec.errors import SpecError

WORDS = "loss functions and the many ways of saying where the middle of a dataset is "


def _text(length: int) -> str:
    return (WORDS * 10)[:length].strip()


def _card(tmp_path: Path, **fields) -> Path:
    spec = {"scene": "Opening", "kind": "card", **fields}
    path = tmp_path / "card.yaml"
    path.write_text(yaml.safe_dump(spec, width=1000, sort_keys=False))
    return path


def test_a_short_card_keeps_the_display_size():
    fit = card_fit("Loss functions", "Squared, absolute, Huber", ["the mean", "the median"])
    assert (fit.title_size, fit.subtitle_size, fit.item_size) == (
        CARD_SIZES[0].title,
        CARD_SIZES[0].subtitle,
        CARD_SIZES[0].items,
    )
    assert fit.fits and fit.title_lines == ["Loss functions"]


def test_a_longer_card_steps_down_and_every_line_fits_the_width():
    items = [_text(120), _text(30), _text(40), _text(35), _text(38)]
    fit = card_fit(_text(100), _text(100), items)
    assert fit.fits and fit.height <= CARD_HEIGHT
    assert fit.title_size < CARD_SIZES[0].title
    lines = [
        *fit.title_lines,
        *fit.subtitle_lines,
        *(row for item in fit.item_lines for row in item),
    ]
    assert all(text_width(line, fit.title_size) <= CARD_WIDTH for line in fit.title_lines)
    assert all(text_width(line, fit.item_size) <= CARD_WIDTH for line in lines[2:])
    # Nothing lost or reordered by the wrapping.
    assert " ".join(fit.item_lines[0]) == items[0]


def test_a_word_longer_than_a_line_is_broken_inside():
    lines = wrap("x" * 300, 30, 5.0)
    assert "".join(lines) == "x" * 300
    assert all(text_width(line, 30) <= 5.0 for line in lines)


def test_the_issues_card_is_refused_at_its_items_with_nothing_written(tmp_path):
    """A 190-character title, a 150-character subtitle and four long items (all within the
    schema's limits) ran off the top and bottom of the frame."""
    path = _card(tmp_path, title=_text(190), subtitle=_text(150), items=[_text(190)] * 4)
    for command in (["check"], ["render", "-q", "low", "-o", str(tmp_path / "out")]):
        result = run_cli(*command, str(path))
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1
        assert lines[0].startswith(f"{path}:6:1: error: items: the card's text does not fit")
    assert not (tmp_path / "out").exists()


def test_a_subtitle_that_overflows_is_refused_at_the_subtitle(tmp_path):
    """A title alone fits at its limit (200 characters wrap to at most seven lines); with a
    subtitle as long, of the widest letter, it does not."""
    assert card_fit("W" * 200, None, []).fits
    path = _card(tmp_path, title="W" * 200, subtitle="W" * 200)
    with pytest.raises(SpecError, match="subtitle: the card's text does not fit") as caught:
        load_any(path)
    assert str(caught.value).startswith(f"{path}:4:")


@pytest.mark.slow
def test_the_width_measure_bounds_what_manim_draws():
    """The advance widths (fontTools) bound the drawn ink from above, and closely."""
    from scenes.scene import typeset

    for words in ["Loss functions", "WWW iii", "Squared loss: the mean \u2212 0.7625", "ÄÖÜ ß é"]:
        for size in (28, 40, 60):
            drawn = typeset.text(words, size).width
            assert drawn <= text_width(words, size) * 1.001
            assert drawn >= text_width(words, size) * 0.9


@pytest.mark.slow
def test_a_long_card_that_fits_keeps_every_layout_rule(tmp_path):
    """Drawn from the fit: inside the title-safe area above the captions, nothing overlapping,
    nothing under 18 px at 720p, at every beat's end."""
    from scenes.scene.beat_frames import play_beats
    from scenes.scene.layout_check import check_layout

    items = [_text(110), _text(30), _text(40), _text(35), _text(38)]
    path = _card(
        tmp_path,
        title=_text(95),
        subtitle=_text(100),
        items=items,
        timing={"intro": 0.5, "items": 0.5, "hold": 0.3},
    )
    found: list[str] = []
    bottoms: list[float] = []

    def check(beat_id, scene):
        found.extend(f"{beat_id}: {p}" for p in check_layout(scene.mobjects))
        bottoms.append(min(m.get_bottom()[1] for m in scene.mobjects if m.width > 0))

    play_beats(load_any(path), check)
    assert found == []
    from scenes.spec.card_fit import CARD_BOTTOM

    assert min(bottoms) >= CARD_BOTTOM - 0.05
