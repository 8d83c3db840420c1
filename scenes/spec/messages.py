"""Pydantic's validation errors in the user's words, at the YAML node each one is about.

Pydantic validates plain data and reports errors by location path (``("loss", "huber", "delta")``);
this module maps each path back to the YAML node it came from and rewrites the message in plain
words naming the field (``loss.delta: expected a number > 0 or 'auto', got the string '1.0'``).
"""

import difflib
import re
import types
from typing import Annotated, Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from .errors import Problem
from .fields import CAMEL_CASE, MAX_MAGNITUDE, MIN_POSITIVE, describe_value
from .losses import LOSS_NAMES
from .yaml_loader import Document, PathKey, Pos

__all__ = ["dotted", "problem_at", "problems_of"]

_MISSING = object()


def problems_of(doc: Document, root: type[BaseModel], error: ValidationError) -> list[Problem]:
    errors = error.errors(include_url=False, include_context=True, include_input=True)
    # A misspelt key also makes the key it was meant to be "missing"; the "did you mean" line
    # says all there is to say, so drop the second problem.
    meant: set[PathKey] = set()
    for e in errors:
        if e["type"] == "extra_forbidden":
            path, _ = _clean_path(doc.data, e["loc"])
            close = _suggest_key(root, doc.data, path)
            if close is not None:
                meant.add((*path[:-1], close))
    return [
        _problem(doc, root, e)
        for e in errors
        if not (e["type"] == "missing" and _clean_path(doc.data, e["loc"])[0] in meant)
    ]


def _clean_path(data: Any, loc: tuple[str | int, ...]) -> tuple[PathKey, Any]:
    """Keep the parts of a pydantic location that are keys or indices of the data.

    Pydantic inserts the tag of a discriminated union into the location (``("loss", "huber",
    "delta")``); those parts are not in the YAML. Returns the path and the data at its end
    (``_MISSING`` when the last key is absent).
    """
    path: list[str | int] = []
    first_in_mapping = True
    for part in loc:
        if isinstance(data, dict):
            # The union tag comes first, and is checked before the keys: the `expr` loss has a
            # key named like its tag.
            if first_in_mapping and "name" in data and part == data["name"]:
                first_in_mapping = False
                continue
            path.append(part)
            data = data[part] if part in data else _MISSING
            first_in_mapping = True
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            path.append(part)
            data = data[part]
            first_in_mapping = True
        # Anything else is a label pydantic adds (a union member, a dict `[key]`): skip it.
    return tuple(path), data


def dotted(path: PathKey) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _problem(doc: Document, root: type[BaseModel], e: Any) -> Problem:
    kind: str = e["type"]
    ctx: dict[str, Any] = e.get("ctx") or {}
    value = e.get("input")
    path, _ = _clean_path(doc.data, e["loc"])
    if kind == "spec" and "at" in ctx:
        # A model-level check about one of its fields (see models.at).
        path = (*path, *ctx["at"])
    parent = path[:-1]

    if kind == "missing" and path and isinstance(e["loc"][-1], int):
        # A [lo, hi] pair with too few numbers: pydantic reports the absent index as missing.
        container = _data_at(doc.data, path)
        message = f"expected 2 numbers [lo, hi], got {describe_value(container)}"
        return problem_at(doc, doc.value_pos(path), path, message)
    if kind == "missing":
        field = _field_at(root, doc.data, path)
        hint = ""
        if field is not None and field.examples:
            hint = f"; for example `{path[-1]}: {_yaml_flow(field.examples[0])}`"
        return problem_at(doc, doc.value_pos(parent), path, f"required key is missing{hint}")
    if kind == "extra_forbidden":
        pos = doc.keys.get(path, doc.value_pos(path))
        return problem_at(doc, pos, path, _unknown_key_message(root, doc.data, path))
    if kind == "union_tag_invalid":
        names = ", ".join(LOSS_NAMES)
        tag = str(ctx.get("tag"))
        close = difflib.get_close_matches(tag, LOSS_NAMES, n=1)
        suggestion = f"; did you mean {close[0]!r}?" if close else ""
        name_path = (*path, "name")
        return problem_at(
            doc,
            doc.value_pos(name_path),
            name_path,
            f"unknown loss {tag!r}{suggestion} (valid names: {names})",
        )
    if kind == "union_tag_not_found":
        name_path = (*path, "name")
        return problem_at(
            doc,
            doc.value_pos(path),
            name_path,
            f"required key is missing; one of {', '.join(LOSS_NAMES)}",
        )
    return problem_at(doc, doc.value_pos(path), path, _plain_message(kind, ctx, value, e["msg"]))


def problem_at(doc: Document, pos: Pos, path: PathKey, message: str) -> Problem:
    where = dotted(path)
    return doc.problem(pos, f"{where}: {message}" if where else message)


def _plain_message(kind: str, ctx: dict[str, Any], value: Any, default: str) -> str:
    """Write the "expected X, got Y" text of one pydantic error type."""
    got = f", got {describe_value(value)}"
    if kind == "spec":
        return default  # our own validators already wrote the whole message
    if kind in ("float_type", "int_type", "int_from_float"):
        what = "a number" if kind == "float_type" else "a whole number"
        hint = ""
        if isinstance(value, str) and _looks_numeric(value):
            hint = " (remove the quotes: a quoted number is text)"
        return f"expected {what}{got}{hint}"
    if kind == "finite_number":
        return f"expected a finite number{got}"
    bound = next(iter(ctx.values()), None)
    if kind == "greater_than_equal" and bound == MIN_POSITIVE:
        return f"expected a number > 0 (at least {MIN_POSITIVE:g}){got}"
    if kind in ("greater_than_equal", "less_than_equal") and abs(bound or 0) == MAX_MAGNITUDE:
        return f"expected a number between -1e15 and 1e15 (the largest magnitude allowed){got}"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        op = {"greater_than": ">", "greater_than_equal": ">=", "less_than": "<"}.get(kind, "<=")
        bound = next(iter(ctx.values()), "?")
        shown = f"{bound:g}" if isinstance(bound, float) else str(bound)
        return f"expected a number {op} {shown}{got}"
    if kind == "string_type":
        return f"expected text{got}"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == CAMEL_CASE:
        return (
            "expected a CamelCase name: a capital letter, then letters and digits "
            f"(for example HuberLoss){got}"
        )
    if kind == "string_too_long":
        return f"expected at most {ctx.get('max_length')} characters, got {len(value)}"
    if kind == "string_too_short":
        return "expected some text, got an empty string"
    if kind == "literal_error":
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        suggestion = ""
        if isinstance(value, str):
            close = difflib.get_close_matches(value, options, n=1)
            suggestion = f"; did you mean {close[0]!r}?" if close else ""
        return f"expected one of {', '.join(options)}{got}{suggestion}"
    if kind in ("list_type", "tuple_type"):
        return f"expected a list{got}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping (`key: value` lines){got}"
    if kind == "too_short":
        if ctx.get("field_type") == "Tuple":
            return f"expected 2 numbers [lo, hi]{got}"
        n = ctx.get("min_length")
        return f"expected at least {n} item{'s' if n != 1 else ''}{got}"
    if kind == "too_long":
        if ctx.get("field_type") == "Tuple":
            return f"expected 2 numbers [lo, hi]{got}"
        return f"expected at most {ctx.get('max_length')} items{got}"
    return default


_NUMERIC = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*|\s*[-+]?\.?(inf|nan)\s*", re.I)


def _looks_numeric(text: str) -> bool:
    return bool(_NUMERIC.fullmatch(text))


def _yaml_flow(value: Any) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, width=1000, sort_keys=False).strip()
    return text.removesuffix("\n...").strip()


def _data_at(data: Any, path: PathKey) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return _MISSING
    return data


# --------------------------------------------------------------------------------------------------
# Model introspection: which keys are valid where (for "did you mean" and examples)


def _unwrap(tp: Any, data: Any) -> Any:
    """Strip ``Annotated`` and ``None`` from a type; pick the loss model named by ``data``."""
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp = get_args(tp)[0]
            continue
        if origin in (Union, types.UnionType):
            args = [a for a in get_args(tp) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            if len(models) > 1 and isinstance(data, dict):
                for model in models:
                    if data.get("name") in get_args(model.model_fields["name"].annotation):
                        return model
                return None
            if len(args) == 1:
                tp = args[0]
                continue
        return tp


def _field_by_key(model: type[BaseModel], key: str) -> FieldInfo | None:
    for name, info in model.model_fields.items():
        if (info.alias or name) == key:
            return info
    return None


def _model_at(root: type[BaseModel], data: Any, path: PathKey) -> type[BaseModel] | None:
    """Find the model class validating the mapping at ``path`` (None if not a model)."""
    tp: Any = root
    for part in path:
        tp = _unwrap(tp, data)
        if isinstance(part, int):
            args = get_args(tp)
            if not args:
                return None
            tp = args[0]
            data = data[part] if isinstance(data, list) and part < len(data) else None
        else:
            if not (isinstance(tp, type) and issubclass(tp, BaseModel)):
                return None
            info = _field_by_key(tp, part)
            if info is None:
                return None
            tp = info.annotation
            data = data.get(part) if isinstance(data, dict) else None
    tp = _unwrap(tp, data)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _field_at(root: type[BaseModel], data: Any, path: PathKey) -> FieldInfo | None:
    if not path or not isinstance(path[-1], str):
        return None
    model = _model_at(root, data, path[:-1])
    return _field_by_key(model, path[-1]) if model is not None else None


def _unknown_key_message(root: type[BaseModel], data: Any, path: PathKey) -> str:
    model = _model_at(root, data, path[:-1])
    if model is None:
        return "unknown key"
    valid = [info.alias or name for name, info in model.model_fields.items()]
    close = _suggest_key(root, data, path)
    if close is not None:
        return f"unknown key; did you mean {close!r}?"
    if valid == ["name"]:
        return f"unknown key: the {_loss_name(data, path)} loss takes no parameters"
    return f"unknown key (valid keys here: {', '.join(valid)})"


def _loss_name(data: Any, path: PathKey) -> str:
    """Return the ``name`` of the mapping that holds ``path`` (for loss messages)."""
    parent = _data_at(data, path[:-1])
    return str(parent.get("name")) if isinstance(parent, dict) else "this"


def _suggest_key(root: type[BaseModel], data: Any, path: PathKey) -> str | None:
    """Find the valid key closest to the unknown key at the end of ``path``, if one is close."""
    model = _model_at(root, data, path[:-1])
    if model is None:
        return None
    valid = [info.alias or name for name, info in model.model_fields.items()]
    close = difflib.get_close_matches(str(path[-1]), valid, n=1, cutoff=0.6)
    return close[0] if close else None
