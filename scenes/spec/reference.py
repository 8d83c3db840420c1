"""The Markdown reference of every spec field (docs/spec-reference.md), from the JSON Schema.

``python -m scenes.spec.reference`` prints it; a test keeps the committed page and the committed
schema copy (assets/schema/spec-v1.schema.json) equal to what the models generate.
"""

import json
from typing import Any

from .models import SHOWABLE_PATTERN
from .schema import json_schema

HEADER = """# Spec reference

Scene, lecture and course specs. Generated from the JSON Schema (`loss-scenes schema`, committed
as `assets/schema/spec-v1.schema.json`) by `python -m scenes.spec.reference`; do not edit by hand.
The contract itself, with the rules that a schema cannot say, is `spec-v1.md` and `spec-v2.md`.

Editors that speak the YAML language server complete and check fields as you type when a spec
starts with:

```yaml
# yaml-language-server: $schema=../assets/schema/spec-v1.schema.json
```

A *text* is a string of characters a font can show: no control characters other than tab and line
feed.
"""


def _type(node: dict[str, Any]) -> str:
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{name.lower()})"
    if "const" in node:
        return f"`{json.dumps(node['const'])}`"
    if "enum" in node:
        return " \\| ".join(f"`{json.dumps(v)}`" for v in node["enum"])
    if "allOf" in node:
        # A pattern of its own and the showable-text one: the former says more.
        return _type({**node["allOf"][0], **{k: v for k, v in node.items() if k != "allOf"}})
    for combiner in ("anyOf", "oneOf"):
        if combiner in node:
            inherited = {"type": node["type"]} if "type" in node else {}
            kinds = dict.fromkeys(_type({**inherited, **option}) for option in node[combiner])
            return " or ".join(kinds)
    kind = node.get("type", "any")
    if kind == "array":
        items = node.get("items") or {}
        if "prefixItems" in node:
            inner = ", ".join(_type(item) for item in node["prefixItems"])
            return f"[{inner}]"
        listed = f"list of {_type(items)}" if items else "list"
        return listed + (f" (at most {node['maxItems']} items)" if "maxItems" in node else "")
    if kind == "object" and isinstance(node.get("additionalProperties"), dict):
        return f"map of {_type(node['additionalProperties'])}"
    bounds = []
    for key, sign in (
        ("minimum", ">="),
        ("exclusiveMinimum", ">"),
        ("maximum", "<="),
        ("exclusiveMaximum", "<"),
    ):
        if key in node:
            bounds.append(f"{sign} {node[key]}")
    if node.get("pattern") == SHOWABLE_PATTERN:
        kind = "text"  # any characters a font shows: said in words, not as the pattern
    elif "pattern" in node:
        bounds.append(f"matching `{node['pattern']}`")
    if "maxLength" in node:
        bounds.append(f"at most {node['maxLength']} characters")
    return kind + (f" ({', '.join(bounds)})" if bounds else "")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def reference_markdown(schema: dict[str, Any] | None = None) -> str:
    schema = schema or json_schema()
    definitions = schema["$defs"]
    first = ["SceneSpec", "LectureSpec", "CourseSpec"]
    order = first + sorted(set(definitions) - set(first))
    lines = [HEADER]
    for name in order:
        model = definitions[name]
        lines.append(f"## {name}\n")
        if model.get("description"):
            lines.append(model["description"].strip() + "\n")
        properties = model.get("properties")
        if name == "Color":
            # The schema spells each name in both cases as a pattern; the list says it plainly.
            names = next(option["enum"] for option in model["anyOf"] if "enum" in option)
            lines.append(f"Names: {', '.join(names)}.\n")
            continue
        if not properties:
            lines.append(f"Type: {_type(model)}\n")
            continue
        required = set(model.get("required", []))
        lines.append("| field | type | default | description | example |")
        lines.append("| --- | --- | --- | --- | --- |")
        for field, node in properties.items():
            if field in required:
                default = "required"
            else:
                default = json.dumps(node["default"]) if "default" in node else "absent"
            examples = node.get("examples") or []
            example = f"`{json.dumps(examples[0])}`" if examples else ""
            lines.append(
                f"| `{field}` | {_cell(_type(node))} | {_cell(default)} | "
                f"{_cell(node.get('description', ''))} | {_cell(example)} |"
            )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def schema_text() -> str:
    """The schema exactly as committed in assets/ (stable key order, trailing newline)."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(reference_markdown(), end="")
