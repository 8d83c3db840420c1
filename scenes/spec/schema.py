"""The JSON Schema of scene and lecture specs, generated from the models that validate them."""

from typing import Any

from pydantic.json_schema import models_json_schema

from .models import LectureSpec, SceneSpec

SCHEMA_ID = "https://loss-scenes.invalid/schema/spec-v1.json"


def json_schema() -> dict[str, Any]:
    """One draft 2020-12 schema accepting either a scene spec or a lecture spec."""
    refs, definitions = models_json_schema(
        [(SceneSpec, "validation"), (LectureSpec, "validation")], ref_template="#/$defs/{model}"
    )
    scene_ref = refs[(SceneSpec, "validation")]
    lecture_ref = refs[(LectureSpec, "validation")]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "loss-scenes spec",
        "description": "A scene spec (config/<name>.yaml) or a lecture spec (config/lecture.yaml).",
        "oneOf": [scene_ref, lecture_ref],
        "$defs": definitions.get("$defs", {}),
    }
