"""The scene kinds, each named once: its spec model, beats, maths, narration of results, JSON,
builder.

Everything that differs between kinds is looked up here, so a new kind is one entry (plus its
modules), not a branch in every layer. The maths and the Manim builder are named by import path
and loaded on first use: ``check`` and ``script`` must not pay for JAX or Manim. The types of a
kind's data are imported for the type checker only, for the same reason.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeAlias, TypeVar, overload

from scenes.spec.beats import Beats
from scenes.spec.card_kinds import CardSceneSpec, SummarySceneSpec
from scenes.spec.models import SceneSpec
from scenes.spec.scene_kinds import (
    SCENE_KINDS,
    AnySceneSpec,
    ClippingSceneSpec,
    InfluenceSceneSpec,
)

if TYPE_CHECKING:
    from scenes.compute.cards import CardData, SummaryData
    from scenes.compute.loss import SceneData
    from scenes.compute.side_scenes import ClippingData, InfluenceData
    from scenes.scene.builder import SceneBuilder

    AnySceneData: TypeAlias = SceneData | ClippingData | InfluenceData | CardData | SummaryData

SpecT = TypeVar("SpecT", bound=AnySceneSpec)
DataT = TypeVar("DataT")


@dataclass(frozen=True)
class SceneKind(Generic[SpecT, DataT]):
    """One kind of scene: the spec it validates to (``SpecT``), the data its maths computes
    from that spec (``DataT``), and the builder that draws the data.
    """

    name: str
    model: type[SpecT]
    compute_path: str
    """``module:function``: spec -> the data the builder and the JSON read."""
    narration_path: str
    """``module:function``: data -> narration of computed results, by beat id."""
    json_path: str
    """``module:function``: data -> the JSON document of ``loss-scenes compute``."""
    builder_path: str
    """``module:Class``: the Manim builder that plays the scene's timeline."""

    @property
    def beats(self) -> Beats:
        """Its beats (ids, minimums, captions, builder methods), as its model declares them."""
        return self.model.beats

    def compute(self, spec: SpecT) -> DataT:
        compute: Callable[[SpecT], DataT] = _load(self.compute_path)
        return compute(spec)

    def narration(self, data: DataT) -> dict[str, str]:
        narration: Callable[[DataT], dict[str, str]] = _load(self.narration_path)
        return narration(data)

    def to_json(self, data: DataT) -> dict[str, Any]:
        to_json: Callable[[DataT], dict[str, Any]] = _load(self.json_path)
        return to_json(data)

    def builder(self) -> "type[SceneBuilder]":
        builder: type[SceneBuilder] = _load(self.builder_path)
        return builder


def _load(path: str) -> Any:
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)


LOSS: "SceneKind[SceneSpec, SceneData]" = SceneKind(
    "loss",
    SceneSpec,
    "scenes.compute.loss:compute_scene",
    "scenes.compute.loss:result_narration",
    "scenes.compute.loss:to_json",
    "scenes.scene.loss_scene:LossSceneBuilder",
)
CLIPPING: "SceneKind[ClippingSceneSpec, ClippingData]" = SceneKind(
    "clipping",
    ClippingSceneSpec,
    "scenes.compute.side_scenes:compute_clipping",
    "scenes.compute.side_scenes:clipping_narration",
    "scenes.compute.side_scenes:clipping_json",
    "scenes.scene.clipping_scene:ClippingSceneBuilder",
)
INFLUENCE: "SceneKind[InfluenceSceneSpec, InfluenceData]" = SceneKind(
    "influence",
    InfluenceSceneSpec,
    "scenes.compute.side_scenes:compute_influence",
    "scenes.compute.side_scenes:influence_narration",
    "scenes.compute.side_scenes:influence_json",
    "scenes.scene.influence_scene:InfluenceSceneBuilder",
)
CARD: "SceneKind[CardSceneSpec, CardData]" = SceneKind(
    "card",
    CardSceneSpec,
    "scenes.compute.cards:compute_card",
    "scenes.compute.cards:card_narration",
    "scenes.compute.cards:card_json",
    "scenes.scene.card_scene:CardSceneBuilder",
)
SUMMARY: "SceneKind[SummarySceneSpec, SummaryData]" = SceneKind(
    "summary",
    SummarySceneSpec,
    "scenes.compute.cards:compute_summary",
    "scenes.compute.cards:summary_narration",
    "scenes.compute.cards:summary_json",
    "scenes.scene.card_scene:SummarySceneBuilder",
)

KINDS: "dict[str, SceneKind[Any, Any]]" = {
    kind.name: kind for kind in (LOSS, CLIPPING, INFLUENCE, CARD, SUMMARY)
}
assert all(SCENE_KINDS[name] is kind.model for name, kind in KINDS.items()), "one model per kind"
assert set(KINDS) == set(SCENE_KINDS), "every spec kind needs its entry here"


@overload
def kind_of(spec: SceneSpec) -> "SceneKind[SceneSpec, SceneData]": ...
@overload
def kind_of(spec: ClippingSceneSpec) -> "SceneKind[ClippingSceneSpec, ClippingData]": ...
@overload
def kind_of(spec: InfluenceSceneSpec) -> "SceneKind[InfluenceSceneSpec, InfluenceData]": ...
@overload
def kind_of(spec: CardSceneSpec) -> "SceneKind[CardSceneSpec, CardData]": ...
@overload
def kind_of(spec: SummarySceneSpec) -> "SceneKind[SummarySceneSpec, SummaryData]": ...
@overload
def kind_of(spec: AnySceneSpec) -> "SceneKind[Any, Any]": ...
def kind_of(spec: AnySceneSpec) -> "SceneKind[Any, Any]":
    """The kind of a validated scene spec (a spec without ``kind`` is a loss scene)."""
    return KINDS[getattr(spec, "kind", "loss")]


def compute_any(spec: AnySceneSpec) -> "AnySceneData":
    """The data of a scene of any kind."""
    return kind_of(spec).compute(spec)


def to_json_any(data: "AnySceneData") -> dict[str, Any]:
    """The JSON of ``loss-scenes compute`` for a scene of any kind (non-finite numbers: null)."""
    from scenes.compute.loss import json_safe

    return json_safe(kind_of(data.spec).to_json(data))
