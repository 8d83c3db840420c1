"""Every scene builder draws each beat its kind declares, and has no beat method it does not.

The builders are imported (Manim with them) but nothing is rendered: a beat that a builder cannot
draw, or a ``beat_*`` method that no beat reaches, shows up here instead of in a render.
"""

import inspect

import pytest

from scenes.kinds import KINDS, SceneKind


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_every_declared_beat_has_its_builder_method_and_no_other(kind: SceneKind) -> None:
    builder = kind.builder()
    declared = {beat.method for beat in kind.beats.declared}
    defined = {
        name
        for name, _ in inspect.getmembers(builder, inspect.isfunction)
        if name.startswith("beat_")
    }
    assert defined == declared, (
        f"{builder.__name__}: missing {sorted(declared - defined)}, "
        f"not declared {sorted(defined - declared)}"
    )
    for name in declared:
        # The builder calls each with the beat it plays (SceneBuilder.play).
        assert list(inspect.signature(getattr(builder, name)).parameters) == ["self", "beat"]


def test_beats_that_draw_alike_share_one_method() -> None:
    beats = KINDS["loss"].beats
    assert {beats.method(name) for name in ("loss", "density", "derivative")} == {"beat_curve"}
    with pytest.raises(KeyError, match="no beat 'curve' is declared"):
        beats.method("curve")  # a shared minimum of the timing, not a beat
