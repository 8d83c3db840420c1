"""YAML text in, plain Python data plus a table of node positions out.

PyYAML is used only up to its node graph (scanner, parser, composer); the conversion of nodes to
Python values is done here, for four reasons:

- YAML 1.2 scalars. PyYAML resolves plain scalars with the YAML 1.1 rules, where ``1e-6`` is a
  string and ``yes``/``on`` are booleans. Lecturers write ``1e-6`` and mean a number, and nobody
  writing ``title: on`` means ``True``. The resolver below follows the YAML 1.2 core schema.
- Safety. No Python object is ever constructed; any tag beyond the plain YAML ones
  (``!!python/...``, ``!!set``, custom ``!tags``) is an error, not a silent conversion.
- Duplicate keys are errors (PyYAML keeps the last value silently), reported at the second key.
- Positions. Every value's node position is recorded by its path (``("loss", "delta")``,
  ``("observations", "values", 3)``), so a validation error found later on plain data can be
  reported at the right line and column.

Anchors and aliases are refused outright: spec files are short, and this removes the
"billion laughs" expansion attack and cyclic data without any budget bookkeeping.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader, ReaderError
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from .errors import Problem, SpecError, limit_problems

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "Document",
    "Pos",
    "PathKey",
    "load_yaml_file",
    "load_yaml_text",
]

MAX_FILE_BYTES = 1024 * 1024
"""Spec files larger than 1 MiB are refused before parsing: no valid spec comes close."""

MAX_DEPTH = 32
"""Deepest nesting of mappings/lists accepted. PyYAML's composer recurses once per level, so an
input like ``[[[[...]]]]`` would otherwise end in a RecursionError traceback."""

PathKey = tuple[str | int, ...]
"""Where a value sits in the document: mapping keys and list indices from the top."""


@dataclass(frozen=True)
class Pos:
    """A 1-based line and column in the YAML text."""

    line: int
    column: int


@dataclass(frozen=True)
class Document:
    """A parsed YAML file: its data and where each value (and each mapping key) came from."""

    filename: str
    data: Any
    values: dict[PathKey, Pos] = field(default_factory=dict)
    """Path -> position of the value node (for a mapping or list, where it starts)."""
    keys: dict[PathKey, Pos] = field(default_factory=dict)
    """Path -> position of the mapping key that introduces the value at that path."""

    def problem(self, pos: Pos, message: str) -> Problem:
        """Build a :class:`Problem` in this document."""
        return Problem(self.filename, pos.line, pos.column, message)

    def value_pos(self, path: PathKey) -> Pos:
        """Position of the value at ``path``, or of its nearest recorded ancestor."""
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path, Pos(1, 1))


# --------------------------------------------------------------------------------------------------
# YAML 1.2 core schema resolution of plain scalars

_TAG = "tag:yaml.org,2002:"
_NULL_TAG, _BOOL_TAG, _INT_TAG = _TAG + "null", _TAG + "bool", _TAG + "int"
_FLOAT_TAG, _STR_TAG = _TAG + "float", _TAG + "str"
_SEQ_TAG, _MAP_TAG = _TAG + "seq", _TAG + "map"

# The regular expressions of the YAML 1.2 core schema (spec section 10.3.2), in resolution order.
_NULL_RE = re.compile(r"null|Null|NULL|~|")
_BOOL_RE = re.compile(r"true|True|TRUE|false|False|FALSE")
_INT_RE = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT_RE = re.compile(
    r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?"
    r"|[-+]?\.(inf|Inf|INF)"
    r"|\.(nan|NaN|NAN)"
)


class _Yaml12Resolver(BaseResolver):
    """Resolve untagged plain scalars by the YAML 1.2 core schema; everything else is a string."""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            # implicit[0] is true only for plain (unquoted, untagged) scalars: quoted text is
            # always a string, which is what makes `"1.0"` a type error for a number field.
            if implicit[0]:
                for tag, pattern in (
                    (_NULL_TAG, _NULL_RE),
                    (_BOOL_TAG, _BOOL_RE),
                    (_INT_TAG, _INT_RE),
                    (_FLOAT_TAG, _FLOAT_RE),
                ):
                    if pattern.fullmatch(value):
                        return tag
            return _STR_TAG
        return _SEQ_TAG if kind is SequenceNode else _MAP_TAG


class _LoadError(Exception):
    """Internal: stop loading with one problem at a YAML mark."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.pos = _mark_pos(mark)
        self.message = message


def _mark_pos(mark: Any) -> Pos:
    if mark is None:
        return Pos(1, 1)
    return Pos(mark.line + 1, mark.column + 1)


class _SpecLoader(Reader, Scanner, Parser, Composer, _Yaml12Resolver):
    """PyYAML's pipeline up to nodes, with our resolver, a depth limit and no anchors."""

    def __init__(self, text: str) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _Yaml12Resolver.__init__(self)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            raise _LoadError(
                event.start_mark,
                f"YAML aliases (*{event.anchor}) are not allowed in specs: write the value out",
            )
        if isinstance(event, ScalarEvent | CollectionStartEvent) and event.anchor is not None:
            raise _LoadError(
                event.start_mark,
                f"YAML anchors (&{event.anchor}) are not allowed in specs: write the value out",
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _LoadError(event.start_mark, f"nested more than {MAX_DEPTH} levels deep")
            return super().compose_node(parent, index)  # type: ignore[no-any-return]
        finally:
            self._depth -= 1


# --------------------------------------------------------------------------------------------------
# Nodes -> Python values, recording positions


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


def _scalar_value(node: ScalarNode) -> Any:
    """Convert a scalar node by its (resolved or explicit) tag."""
    tag, text = node.tag, node.value
    if tag == _STR_TAG:
        return text
    if tag == _NULL_TAG and _NULL_RE.fullmatch(text):
        return None
    if tag == _BOOL_TAG and _BOOL_RE.fullmatch(text):
        return text.lower() == "true"
    if tag == _INT_TAG and _INT_RE.fullmatch(text):
        try:
            if text.startswith("0o"):
                return int(text[2:], 8)
            if text.startswith("0x"):
                return int(text[2:], 16)
            return int(text)
        except ValueError:
            # Python refuses to parse integers of more than 4300 digits.
            raise _LoadError(node.start_mark, "this integer is too long") from None
    if tag == _FLOAT_TAG and (_FLOAT_RE.fullmatch(text) or _INT_RE.fullmatch(text)):
        lowered = text.lower()
        if lowered.endswith(".inf"):
            return float("-inf") if lowered.startswith("-") else float("inf")
        if lowered.endswith(".nan"):
            return float("nan")
        return float(int(text, 0)) if text.startswith(("0o", "0x")) else float(text)
    if tag in (_NULL_TAG, _BOOL_TAG, _INT_TAG, _FLOAT_TAG):
        raise _LoadError(node.start_mark, f"{text!r} is not a valid {_tag_name(tag)} value")
    raise _LoadError(node.start_mark, _bad_tag_message(tag))


def _bad_tag_message(tag: str) -> str:
    return (
        f"the YAML tag {_tag_name(tag)} is not allowed: specs hold only plain mappings, lists, "
        "strings, numbers, booleans and null"
    )


class _Converter:
    """Walk a node tree into Python data, filling the position tables of a :class:`Document`."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.values: dict[PathKey, Pos] = {}
        self.keys: dict[PathKey, Pos] = {}
        self.problems: list[Problem] = []

    def convert(self, node: Node, path: PathKey) -> Any:
        self.values[path] = _mark_pos(node.start_mark)
        if isinstance(node, ScalarNode):
            return _scalar_value(node)
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ_TAG:
                raise _LoadError(node.start_mark, _bad_tag_message(node.tag))
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
        if node.tag != _MAP_TAG:
            raise _LoadError(node.start_mark, _bad_tag_message(node.tag))
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_pos = _mark_pos(key_node.start_mark)
            if not isinstance(key_node, ScalarNode) or key_node.tag != _STR_TAG:
                shown = key_node.value if isinstance(key_node, ScalarNode) else "a list or mapping"
                self.problems.append(
                    Problem(
                        self.filename,
                        key_pos.line,
                        key_pos.column,
                        f"keys must be names, got {shown!r} (quote it if it really is a name)",
                    )
                )
                continue
            key = key_node.value
            if key in result:
                first = self.keys[(*path, key)]
                self.problems.append(
                    Problem(
                        self.filename,
                        key_pos.line,
                        key_pos.column,
                        f"duplicate key {key!r} (first given at line {first.line}); keep only one",
                    )
                )
                continue
            self.keys[(*path, key)] = key_pos
            result[key] = self.convert(value_node, (*path, key))
        return result


# --------------------------------------------------------------------------------------------------
# Entry points


def _syntax_problem(filename: str, error: yaml.MarkedYAMLError) -> Problem:
    pos = _mark_pos(error.problem_mark or error.context_mark)
    problem = (error.problem or "invalid YAML").removeprefix("but ")
    context = f" ({error.context})" if error.context else ""
    message = f"YAML syntax error: {problem}{context}"
    if "'\\t'" in message:
        message += " (YAML does not allow tabs for indentation: use spaces)"
    return Problem(filename, pos.line, pos.column, message)


def _position_of_index(text: str, index: int) -> Pos:
    before = text[:index]
    return Pos(before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1)


def load_yaml_text(text: str, filename: str = "<string>") -> Document:
    """Parse spec text into a :class:`Document`, or raise :class:`SpecError`.

    Problems: text over :data:`MAX_FILE_BYTES`, YAML syntax errors (at the position PyYAML
    reports), anchors/aliases, non-plain tags, nesting deeper than :data:`MAX_DEPTH`, keys that
    are not strings, duplicate keys, and an empty document (reported at line 1, column 1).
    """
    if len(text) > MAX_FILE_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise SpecError(
            [Problem(filename, 1, 1, f"the file is larger than {MAX_FILE_BYTES // 1024} KiB")]
        )
    try:
        loader = _SpecLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
        if node is None:
            raise _LoadError(
                None,
                "the file is empty: expected a mapping with `scene:`, `loss:` and "
                "`observations:` (or `lecture:` and `scenes:`)",
            )
        converter = _Converter(filename)
        data = converter.convert(node, ())
    except _LoadError as error:
        raise SpecError(
            [Problem(filename, error.pos.line, error.pos.column, error.message)]
        ) from None
    except ReaderError as error:
        pos = _position_of_index(text, error.position)
        raise SpecError(
            [
                Problem(
                    filename,
                    pos.line,
                    pos.column,
                    f"the file contains a character YAML does not allow (U+{error.character:04X})",
                )
            ]
        ) from None
    except yaml.MarkedYAMLError as error:
        raise SpecError([_syntax_problem(filename, error)]) from None
    except yaml.YAMLError as error:  # unmarked PyYAML errors: report them at the start
        raise SpecError([Problem(filename, 1, 1, f"YAML error: {error}")]) from None
    if converter.problems:
        raise SpecError(limit_problems(converter.problems))
    return Document(filename, data, converter.values, converter.keys)


def load_yaml_file(path: str | Path, display_name: str | None = None) -> Document:
    """Read a spec file (UTF-8, at most :data:`MAX_FILE_BYTES`) and parse it.

    ``display_name`` is the file name used in problems (default: ``str(path)``).
    """
    path = Path(path)
    name = display_name if display_name is not None else str(path)
    try:
        if path.is_dir():
            raise SpecError([Problem(name, 1, 1, "this is a folder, not a spec file")])
        # Never more than the limit and one byte: /dev/zero, a FIFO or a growing file has no
        # size to ask for beforehand, and reading it whole would never end.
        with path.open("rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise SpecError(
                [Problem(name, 1, 1, f"the file is larger than {MAX_FILE_BYTES // 1024} KiB")]
            )
    except FileNotFoundError:
        raise SpecError([Problem(name, 1, 1, "file not found")]) from None
    except OSError as error:
        raise SpecError([Problem(name, 1, 1, f"cannot read the file: {error.strerror}")]) from None
    try:
        # utf-8-sig: a byte-order mark written by some Windows editors is not an error.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        bad = raw[error.start : error.start + 1].hex()
        raise SpecError(
            [Problem(name, line, column, f"the file is not valid UTF-8 text (byte 0x{bad})")]
        ) from None
    return load_yaml_text(text, name)
