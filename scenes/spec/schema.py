"""The JSON Schema of scene and lecture specs, generated from the models that validate them."""

from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from .models import LectureSpec, SceneSpec
from .scene_kinds import ClippingSceneSpec, InfluenceSceneSpec

SCHEMA_ID = "https://loss-scenes.invalid/schema/spec-v1.json"


def json_schema() -> dict[str, Any]:
    """One draft 2020-12 schema accepting either a scene spec or a lecture spec."""
    models: list[type[BaseModel]] = [
        SceneSpec,
        ClippingSceneSpec,
        InfluenceSceneSpec,
        LectureSpec,
    ]
    mode: Literal["validation"] = "validation"
    refs, definitions = models_json_schema(
        [(model, mode) for model in models], ref_template="#/$defs/{model}"
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "loss-scenes spec",
        "description": "A scene spec (config/<name>.yaml) or a lecture spec (config/lecture.yaml).",
        # Scene kinds are told apart by `kind` (absent or "loss", "clipping", "influence").
        "oneOf": [refs[(model, mode)] for model in models],
        "$defs": definitions.get("$defs", {}),
    }
