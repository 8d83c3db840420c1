"""A scene kind's narration and timing models, and its beat plans, follow its beat declaration."""

import pytest
from helpers import CONFIG

from scenes.kinds import KINDS, SceneKind
from scenes.spec import load_any, load_lecture
from scenes.spec.beats import SharedMinimum


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_narration_and_timing_have_one_field_per_declared_beat(kind: SceneKind) -> None:
    fields = kind.model.model_fields
    narration = fields["narration"].annotation
    timing = fields["timing"].annotation
    assert narration is not None and timing is not None
    assert tuple(narration.model_fields) == kind.beats.ids
    names = [e.name if isinstance(e, SharedMinimum) else e.id for e in kind.beats]
    assert list(timing.model_fields) == names
    defaults = timing()
    for entry in kind.beats:
        name = entry.name if isinstance(entry, SharedMinimum) else entry.id
        assert getattr(defaults, name) == entry.minimum
    assert all(value is None for value in narration().model_dump().values())


def test_every_config_scene_plays_only_declared_beats_each_once() -> None:
    specs = [load_any(path) for path in sorted(CONFIG.glob("*.yaml"))]
    scenes = [spec for spec in specs if hasattr(spec, "beat_plans")]
    scenes += [spec for _, spec in load_lecture(CONFIG / "full-lecture.yaml").scenes]
    assert {getattr(spec, "kind", "loss") for spec in scenes} == set(KINDS)
    for spec in scenes:
        played = [plan.id for plan in spec.beat_plans()]
        assert set(played) <= set(KINDS[getattr(spec, "kind", "loss")].beats.ids), spec.scene
        assert len(set(played)) == len(played) and played[0] == "intro" and played[-1] == "hold"
