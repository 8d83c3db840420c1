"""The JSON Schema of scene, lecture and course specs, generated from the models that validate
them.

It accepts exactly what the loader accepts wherever JSON Schema can say so
(tests/contract/test_schema_agrees_with_loader.py checks it over a corpus with three validators).
What it cannot say: relations between numbers (``lo < hi``, the total of the timings), formulas
(``expr``), the sampled values, and anything about other files (that the listed files exist, are
inside the folder, and that names are unique across them).
"""

import re
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from .colors import color_json_schema
from .models import CourseSpec, LectureSpec
from .scene_kinds import SCENE_KINDS

SCHEMA_ID = "https://loss-scenes.invalid/schema/spec-v1.json"


def json_schema() -> dict[str, Any]:
    """One draft 2020-12 schema accepting a scene, a lecture or a course spec."""
    models: list[type[BaseModel]] = [*SCENE_KINDS.values(), LectureSpec, CourseSpec]
    mode: Literal["validation"] = "validation"
    refs, definitions = models_json_schema(
        [(model, mode) for model in models], ref_template="#/$defs/{model}"
    )
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "loss-scenes spec",
        "description": "A scene spec (config/<name>.yaml), a lecture spec (config/lecture.yaml) "
        "or a course spec (config/course.yaml).",
        # Scene kinds are told apart by `kind` (absent or "loss", or another kind's name),
        # lectures by `lecture`, courses by `course`.
        "oneOf": [refs[(model, mode)] for model in models],
        "$defs": {**definitions.get("$defs", {}), "Color": COLOR},
    }
    return _standard(schema)


COLOR = color_json_schema()


def _standard(node: Any) -> Any:
    """Plain JSON Schema, as strict validators (ajv) read it.

    The colour type is written once, in ``$defs``. Pydantic's ``discriminator`` is an OpenAPI
    keyword: the ``oneOf`` it annotates already picks
    the loss by its ``name`` constant. A ``default`` of null that the field's own type refuses
    only means "absent" (``estimate.start``), as does a null inside a default mapping; an editor
    must not offer to write it.
    """
    if isinstance(node, list):
        return [_standard(item) for item in node]
    if not isinstance(node, dict):
        return node
    if node is not COLOR and node.get("anyOf") == COLOR["anyOf"]:
        # Spelt out once, in $defs, rather than in each of the three colour fields.
        rest = {k: v for k, v in node.items() if k not in ("type", "anyOf")}
        return _standard({"$ref": "#/$defs/Color", **rest})
    node = {key: _standard(value) for key, value in node.items() if key != "discriminator"}
    if isinstance(node.get("description"), str):
        node["description"] = for_readers(node["description"])
    if "default" in node and node["default"] is None and not _allows_null(node):
        del node["default"]
    elif isinstance(node.get("default"), dict):
        node["default"] = _without_nulls(node["default"])
    return node


_ROLE = re.compile(r":(?:attr|class|func|meth|mod|data):`~?([^`]+)`")
_SECTION = re.compile(r"\s*\(spec-v\d+ sections? [\d, and]+\)")


def for_readers(docstring: str) -> str:
    """A model's docstring as an editor's hover shows it: the first paragraph, in Markdown.

    The rest of a docstring is for developers (how the model validates, which method reads a
    field); reStructuredText roles and double backquotes become Markdown code, and references
    to the contract's sections go (the reader has the field reference instead).
    """
    first = docstring.strip().split("\n\n", 1)[0]
    first = _ROLE.sub(lambda match: f"`{match.group(1).rsplit('.', 1)[-1]}`", first)
    first = first.replace("``", "`")
    first = _SECTION.sub("", first)
    return " ".join(first.split())


def _without_nulls(value: Any) -> Any:
    # In a default mapping (`estimate`), null stands for a field left out: leave it out.
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    return value


def _allows_null(node: dict[str, Any]) -> bool:
    kind = node.get("type")
    if kind == "null" or (isinstance(kind, list) and "null" in kind):
        return True
    return any(_allows_null(option) for key in ("anyOf", "oneOf") for option in node.get(key, []))
