"""The scene kinds, each named once: its spec model, maths, narration of results, JSON, builder.

Everything that differs between kinds is looked up here, so a new kind is one entry (plus its
modules), not a branch in every layer. The maths and the Manim builder are named by import path
and loaded on first use: ``check`` and ``script`` must not pay for JAX or Manim.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scenes.spec.scene_kinds import SCENE_KINDS


@dataclass(frozen=True)
class SceneKind:
    name: str
    compute_path: str
    """``module:function``: spec -> the data the builder and the JSON read."""
    narration_path: str
    """``module:function``: data -> narration of computed results, by beat id."""
    json_path: str
    """``module:function``: data -> the JSON document of ``loss-scenes compute``."""
    builder_path: str
    """``module:Class``: the Manim builder that plays the scene's timeline."""

    @property
    def model(self) -> type:
        return SCENE_KINDS[self.name]

    def compute(self, spec: Any) -> Any:
        return _load(self.compute_path)(spec)

    def narration(self, data: Any) -> dict[str, str]:
        return _load(self.narration_path)(data)

    def to_json(self, data: Any) -> dict[str, Any]:
        return _load(self.json_path)(data)

    def builder(self) -> Any:
        return _load(self.builder_path)


def _load(path: str) -> Callable[..., Any]:
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)


KINDS: dict[str, SceneKind] = {
    "loss": SceneKind(
        "loss",
        "scenes.compute.loss:compute_scene",
        "scenes.compute.loss:result_narration",
        "scenes.compute.loss:to_json",
        "scenes.scene.loss_scene:LossSceneBuilder",
    ),
    "clipping": SceneKind(
        "clipping",
        "scenes.compute.side_scenes:compute_clipping",
        "scenes.compute.side_scenes:clipping_narration",
        "scenes.compute.side_scenes:clipping_json",
        "scenes.scene.clipping_scene:ClippingSceneBuilder",
    ),
    "influence": SceneKind(
        "influence",
        "scenes.compute.side_scenes:compute_influence",
        "scenes.compute.side_scenes:influence_narration",
        "scenes.compute.side_scenes:influence_json",
        "scenes.scene.influence_scene:InfluenceSceneBuilder",
    ),
    "card": SceneKind(
        "card",
        "scenes.compute.cards:compute_card",
        "scenes.compute.cards:card_narration",
        "scenes.compute.cards:card_json",
        "scenes.scene.card_scene:CardSceneBuilder",
    ),
    "summary": SceneKind(
        "summary",
        "scenes.compute.cards:compute_summary",
        "scenes.compute.cards:summary_narration",
        "scenes.compute.cards:summary_json",
        "scenes.scene.card_scene:SummarySceneBuilder",
    ),
}
assert set(KINDS) == set(SCENE_KINDS), "every spec kind needs its entry here"


def kind_of(spec: Any) -> SceneKind:
    """The kind of a validated scene spec (a spec without ``kind`` is a loss scene)."""
    return KINDS[getattr(spec, "kind", "loss")]
