"""The building blocks of every spec model: limits, strict scalar types, text and colour fields.

The models are strict: unknown keys are errors, a quoted number or a boolean is not a number
(an integer is), floats must be finite, and validated specs are frozen.

Messages: validators raise :class:`pydantic_core.PydanticCustomError` with the plain-words text
the user sees, without the field path (:func:`fail`, or :func:`at` for a field below the one
validated); :mod:`scenes.spec.messages` adds the path, and :mod:`scenes.spec.loading` the position.
"""

from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainValidator,
    Strict,
    StrictStr,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    WrapValidator,
)
from pydantic_core import PydanticCustomError, core_schema

from .colors import color_json_schema, resolve_color

CAMEL_CASE = r"^[A-Z][A-Za-z0-9]*$"
MAX_OBSERVATIONS = 1000
MAX_VIDEO_SECONDS = 600.0
MAX_LECTURE_SECONDS = 3600.0
MAX_LECTURE_SCENES = 100
MAX_MAGNITUDE = 1e15
"""Largest magnitude of any number in a spec. Squares of such numbers, summed over every
observation, stay far from overflow, and doubles still resolve 1/8 at this size."""
MIN_POSITIVE = 1e-12
"""Smallest accepted value of a positive parameter (delta, scale, ...): far from underflow, so
squares and quotients of it stay normal doubles."""
MIN_RANGE_WIDTH = MIN_POSITIVE
"""Narrowest range (``x_range``, ``y_range``, ``observations.line``): as a positive parameter,
its square and quotients of it stay normal doubles, so its curves and axes can be drawn."""
MAX_NAME = 64
"""Longest scene or lecture name (it names files)."""
MAX_TITLE = 200
"""Longest title, in characters."""
MAX_CAPTION = 500
"""Longest narration text of one beat, in characters."""
MAX_EXPR = 500
"""Longest formula of an ``expr`` loss, in characters."""
MAX_PATH = 1000
"""Longest file or folder path written in a spec."""


def describe_value(value: Any) -> str:
    """Say in plain words what the user wrote, for "expected X, got Y" messages."""
    if value is None:
        return "an empty value (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the string {shown!r}"
    if isinstance(value, int):
        text = str(value)
        return f"the number {text if len(text) <= 20 else text[:17] + '...'}"
    if isinstance(value, float):
        return f"the number {value!r}" if value == value else "nan"
    if isinstance(value, list | tuple):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def fail(message: str) -> PydanticCustomError:
    # The type name "spec" tells the error formatter to use the message as written.
    return PydanticCustomError("spec", message)


# --------------------------------------------------------------------------------------------------
# Strict scalar types

Number = Annotated[float, Strict(), Field(allow_inf_nan=False, ge=-MAX_MAGNITUDE, le=MAX_MAGNITUDE)]
"""A finite number within +-1e15. ``Strict`` refuses strings and booleans but accepts integers."""

PositiveNumber = Annotated[Number, Field(ge=MIN_POSITIVE)]
"""A number > 0; at least :data:`MIN_POSITIVE` (messages say "> 0 (at least 1e-12)")."""


class _NoNull:
    """Refuse an explicit null for an optional field (``start:`` with the value forgotten).

    Leaving the key out gives the default; writing it with no value is more likely a slip. Only
    specs read from YAML are held to this (``context={"yaml": True}``): the dumped model (with
    its nulls for defaults) must still validate, since it is what caches hash and compare. The
    JSON Schema, which describes the YAML, leaves null out of the field's type.
    """

    def __init__(self, what: str) -> None:
        self.what = what

    def _check(self, value: Any, info: ValidationInfo) -> Any:
        if value is None and (info.context or {}).get("yaml"):
            raise fail(
                f"expected {self.what}, got an empty value (null); leave the key out for the "
                "default"
            )
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> Any:
        return core_schema.with_info_before_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: GetJsonSchemaHandler) -> Any:
        json_schema = dict(handler(schema))
        options = [o for o in json_schema.pop("anyOf", []) if o != {"type": "null"}]
        if len(options) == 1:
            return {**options[0], **json_schema}
        return {**json_schema, "anyOf": options} if options else json_schema


def no_null(what: str) -> _NoNull:
    return _NoNull(what)


def _whole(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


WHOLE = BeforeValidator(_whole)
"""Marks an integer field (after its bounds): a float with no fractional part is that integer.

JSON, and so the JSON Schema that editors check specs against, has one kind of number: ``100.0``
is the integer 100 there. The loader agrees, so that an editor and ``check`` never disagree.
"""


def expected(what: str) -> WrapValidator:
    """Replace all errors of a union type by one ``expected {what}, got ...`` error.

    Pydantic reports a failed union once per member ("not a number", "not 'auto'"); one line
    naming every accepted form is easier to act on.
    """

    def validate(value: Any, handler: Any) -> Any:
        try:
            return handler(value)
        except ValidationError:
            raise fail(f"expected {what}, got {describe_value(value)}") from None

    return WrapValidator(validate)


def _unshowable(char: str) -> bool:
    """Characters no font shows: controls (but tab and line feed), surrogates, noncharacters."""
    code = ord(char)
    return (
        (code < 0x20 and char not in "\t\n")
        or 0x7F <= code <= 0x9F
        or 0xD800 <= code <= 0xDFFF
        or 0xFDD0 <= code <= 0xFDEF
        or (code & 0xFFFE) == 0xFFFE
    )


def _showable(value: str) -> str:
    # A NUL ends the text for Pango (the render failed with "cannot recognize your color");
    # other controls come out as boxes with hex digits in them.
    for index, char in enumerate(value):
        if _unshowable(char):
            raise fail(
                f"character {index + 1} is the control character U+{ord(char):04X}, which no font "
                "shows: remove it (tabs and line breaks are fine)"
            )
    return value


def _drawable(value: str) -> str:
    from .glyphs import undrawable

    missing = undrawable(value)
    if missing is not None:
        index, char = missing
        raise fail(
            f"character {index + 1} ({char}, U+{ord(char):04X}) is in none of the installed "
            "fonts, so the video would show an empty box: leave it out or use another symbol "
            "(scripts/install.sh installs Symbola, which has most emoji)"
        )
    return value


SHOWABLE_PATTERN = (
    "^[^\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*$"
)
""":func:`_unshowable` as a JSON Schema pattern, as far as one can say it (ECMA-262 and Python's
``re`` read it alike). Surrogates cannot occur in JSON text; the noncharacters of the planes above
the first (U+1FFFE...) only the loader refuses."""


class _ShowableText:
    """Text to show or to use as a path: no control characters (tab and line feed are fine).

    The loader checks it with a message naming the character; the schema says it as a pattern.
    """

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        return core_schema.no_info_after_validator_function(_showable, handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        json_schema = handler(schema)
        if "pattern" in json_schema:
            return {"allOf": [json_schema, {"pattern": SHOWABLE_PATTERN}]}
        return {**json_schema, "pattern": SHOWABLE_PATTERN}


Showable = _ShowableText()
Drawable = AfterValidator(_drawable)
"""Text drawn in the video: every character in some installed font (:mod:`.glyphs`)."""
Title = Annotated[StrictStr, Field(max_length=MAX_TITLE), Showable, Drawable]
Caption = Annotated[StrictStr, Field(max_length=MAX_CAPTION), Showable, Drawable] | None


def _validate_color(value: Any) -> str:
    if isinstance(value, str):
        resolved = resolve_color(value)
        if resolved is not None:
            return resolved
        raise fail(
            "expected a Manim colour name (BLUE, blue_c, ORANGE, ...), a palette role (loss, "
            "density, derivative, theta, ...) or '#rrggbb', "
            f"got {describe_value(value)}"
        )
    hint = ""
    if value is None:
        # `loss: #58c4dd` is a comment in YAML, so the value silently becomes null.
        hint = '; quote hex colours ("#58c4dd"): an unquoted # starts a comment'
    got = describe_value(value)
    raise fail(f"expected a Manim colour name, a palette role or '#rrggbb', got {got}{hint}")


Color = Annotated[
    str,
    PlainValidator(_validate_color),
    WithJsonSchema(color_json_schema()),
]
"""A colour, validated to a lowercase ``#rrggbb`` string."""


class SpecModel(BaseModel):
    """Common configuration: strict, closed, frozen."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        allow_inf_nan=False,
        validate_default=False,
        populate_by_name=False,
    )


def at(path: tuple[str | int, ...], message: str) -> PydanticCustomError:
    """An error about the node at ``path`` raised by a validator of an enclosing model."""
    return PydanticCustomError("spec", message, {"at": path})


def _ordered_range(value: tuple[float, float]) -> tuple[float, float]:
    lo, hi = value
    if not lo < hi:
        raise fail(f"expected [lo, hi] with lo < hi, got [{lo!r}, {hi!r}]")
    # Narrower than 1e-9 of the magnitude, the curve samples of the interval are no longer
    # distinct doubles.
    if hi - lo < 1e-9 * max(abs(lo), abs(hi)):
        raise fail(
            f"[{lo!r}, {hi!r}] is too narrow for numbers of this size: hi - lo must be at "
            "least 1e-9 times the larger magnitude"
        )
    # Near 0 that relative rule holds for any width ([0, 1e-300]); the loss over so short an
    # interval (its square) underflows, and the axes divide by zero.
    if hi - lo < MIN_RANGE_WIDTH:
        raise fail(
            f"[{lo!r}, {hi!r}] is too narrow to plot: hi - lo must be at least "
            f"{MIN_RANGE_WIDTH:g} (and at least 1e-9 times the larger magnitude)"
        )
    return value


Range = Annotated[tuple[Number, Number], AfterValidator(_ordered_range)]

SceneName = Annotated[StrictStr, Field(pattern=CAMEL_CASE, max_length=MAX_NAME)]
"""A scene, lecture or course name: CamelCase, as it names classes and files."""
