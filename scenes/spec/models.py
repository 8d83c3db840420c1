"""Pydantic models of scene and lecture specs (spec-v1 sections 3 to 5): the one source of truth.

The models are strict: unknown keys are errors, a quoted number or a boolean is not a number
(an integer is), floats must be finite, and validated specs are frozen. Field names and defaults
are those of spec-v1; fields marked "extension" are additions the contract allows.

Messages: validators raise :class:`pydantic_core.PydanticCustomError` with the plain-words text
the user sees, without the field path; :mod:`scenes.spec.loading` adds the path and position.
"""

import posixpath
import re
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar, Union, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    JsonValue,
    PlainValidator,
    Strict,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    WrapValidator,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError, core_schema

from scenes.formula.language import ExprProblem, check_finite, parse_expr, reserved_word

from .colors import DEFAULT_COLORS, color_json_schema, resolve_color

if TYPE_CHECKING:
    import numpy as np

    from .timeline import BeatPlan

__all__ = [
    "LOSS_MODELS",
    "LOSS_NAMES",
    "CauchyLoss",
    "ColorsSpec",
    "CourseSpec",
    "CurvesSpec",
    "EpsilonInsensitiveLoss",
    "EstimateSpec",
    "ExprLoss",
    "HuberLoss",
    "L1Loss",
    "L2Loss",
    "LectureSpec",
    "LogCoshLoss",
    "LossSpec",
    "NarrationSpec",
    "ObservationsSpec",
    "PseudoHuberLoss",
    "QuantileLoss",
    "RenderSpec",
    "SampleSpec",
    "SceneSpec",
    "TimingSpec",
    "TrimmedLoss",
    "TukeyLoss",
    "describe_value",
]

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


def _fail(message: str) -> PydanticCustomError:
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
            raise _fail(
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


def _no_null(what: str) -> _NoNull:
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


def _expected(what: str) -> WrapValidator:
    """Replace all errors of a union type by one ``expected {what}, got ...`` error.

    Pydantic reports a failed union once per member ("not a number", "not 'auto'"); one line
    naming every accepted form is easier to act on.
    """

    def validate(value: Any, handler: Any) -> Any:
        try:
            return handler(value)
        except ValidationError:
            raise _fail(f"expected {what}, got {describe_value(value)}") from None

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
            raise _fail(
                f"character {index + 1} is the control character U+{ord(char):04X}, which no font "
                "shows: remove it (tabs and line breaks are fine)"
            )
    return value


def _drawable(value: str) -> str:
    from .glyphs import undrawable

    missing = undrawable(value)
    if missing is not None:
        index, char = missing
        raise _fail(
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
        raise _fail(
            "expected a Manim colour name (BLUE, blue_c, ORANGE, ...), a palette role (loss, "
            "density, derivative, theta, ...) or '#rrggbb', "
            f"got {describe_value(value)}"
        )
    hint = ""
    if value is None:
        # `loss: #58c4dd` is a comment in YAML, so the value silently becomes null.
        hint = '; quote hex colours ("#58c4dd"): an unquoted # starts a comment'
    got = describe_value(value)
    raise _fail(f"expected a Manim colour name, a palette role or '#rrggbb', got {got}{hint}")


Color = Annotated[
    str,
    PlainValidator(_validate_color),
    WithJsonSchema(color_json_schema()),
]
"""A colour, validated to a lowercase ``#rrggbb`` string."""


class _Model(BaseModel):
    """Common configuration: strict, closed, frozen."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        allow_inf_nan=False,
        validate_default=False,
        populate_by_name=False,
    )


# --------------------------------------------------------------------------------------------------
# Losses: one small class each. To add a loss, write its class, decorate it with @_loss, and
# give it a `name: Literal[...]` field; the discriminated union below picks it up.

LOSS_MODELS: list[type["_LossBase"]] = []


_L = TypeVar("_L", bound=type["_LossBase"])


def _loss(cls: _L) -> _L:
    """Register a loss model in the discriminated union :data:`LossSpec`."""
    LOSS_MODELS.append(cls)
    return cls


class _LossBase(_Model):
    """Base of the loss models: ``name`` picks the loss; other fields are its parameters."""

    name: str

    def params(self) -> dict[str, float | str]:
        """Return the loss parameters by name (every field but ``name``), defaults filled in."""
        return {k: v for k, v in self.model_dump(by_alias=True).items() if k != "name"}


@_loss
class L2Loss(_LossBase):
    """Squared loss ``l(r) = r^2 / 2``; minimiser: the mean."""

    name: Literal["l2"] = Field(description="Squared loss r^2/2.", examples=["l2"])


@_loss
class L1Loss(_LossBase):
    """Absolute loss ``l(r) = |r|``; minimiser: the median."""

    name: Literal["l1"] = Field(description="Absolute loss |r|.", examples=["l1"])


@_loss
class HuberLoss(_LossBase):
    """Huber loss: ``r^2/2`` if ``|r| <= delta``, else ``delta * (|r| - delta/2)``."""

    name: Literal["huber"] = Field(description="Huber's robust loss.", examples=["huber"])
    delta: Annotated[
        PositiveNumber | Literal["auto"],
        _expected("a number > 0 (at least 1e-12, at most 1e15) or 'auto'"),
    ] = Field(
        default=1.0,
        description="Threshold between the quadratic and linear parts; 'auto' adapts it to the "
        "data: 1.345 x the normalised MAD; when the MAD is 0 (more than half the observations "
        "equal), 1.345 x their mean absolute deviation from the median, with a warning; 1 when "
        "all are equal.",
        examples=[1.0, "auto"],
    )


@_loss
class PseudoHuberLoss(_LossBase):
    """Pseudo-Huber loss ``delta^2 * (sqrt(1 + (r/delta)^2) - 1)``: a smooth Huber."""

    name: Literal["pseudo_huber"] = Field(
        description="Smooth approximation of Huber's loss.", examples=["pseudo_huber"]
    )
    delta: PositiveNumber = Field(
        default=1.0, description="Scale of the transition.", examples=[1.0]
    )


@_loss
class LogCoshLoss(_LossBase):
    """Log-cosh loss ``log(cosh(r))``."""

    name: Literal["log_cosh"] = Field(description="log(cosh(r)).", examples=["log_cosh"])


@_loss
class CauchyLoss(_LossBase):
    """Cauchy loss ``(c^2/2) * log(1 + (r/c)^2)``; non-convex."""

    name: Literal["cauchy"] = Field(description="Cauchy (Lorentzian) loss.", examples=["cauchy"])
    c: PositiveNumber = Field(default=1.0, description="Scale parameter.", examples=[1.0])


@_loss
class TukeyLoss(_LossBase):
    """Tukey's biweight: ``(c^2/6) * (1 - (1 - (r/c)^2)^3)`` inside ``|r| <= c``, else ``c^2/6``."""

    name: Literal["tukey"] = Field(description="Tukey's biweight loss.", examples=["tukey"])
    c: PositiveNumber = Field(default=4.685, description="Rejection threshold.", examples=[4.685])


@_loss
class TrimmedLoss(_LossBase):
    """Trimmed squared loss: ``r^2/2`` inside ``|r| <= c``, else ``c^2/2``."""

    name: Literal["trimmed"] = Field(description="Trimmed squared loss.", examples=["trimmed"])
    c: PositiveNumber = Field(default=2.0, description="Trimming threshold.", examples=[2.0])


@_loss
class QuantileLoss(_LossBase):
    """Quantile (pinball) loss ``max(tau*r, (tau-1)*r)``; minimiser: the tau-quantile."""

    name: Literal["quantile"] = Field(description="Pinball loss.", examples=["quantile"])
    tau: Annotated[Number, Field(gt=0, lt=1)] = Field(
        default=0.5, description="Quantile level, strictly between 0 and 1.", examples=[0.5, 0.9]
    )


@_loss
class EpsilonInsensitiveLoss(_LossBase):
    """Epsilon-insensitive loss ``max(0, |r| - epsilon)``."""

    name: Literal["epsilon_insensitive"] = Field(
        description="Support-vector regression loss.", examples=["epsilon_insensitive"]
    )
    epsilon: Annotated[Number, Field(ge=0)] = Field(
        default=0.5, description="Half-width of the zero-loss band.", examples=[0.5]
    )


_EXPR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Names an `expr` parameter may not take: the variable and the functions of the formula language.
_EXPR_RESERVED = frozenset(
    "r expr abs sqrt exp log log1p cosh sinh tanh minimum maximum where".split()
)
_RESERVED_NAMES: list[JsonValue] = [*sorted(_EXPR_RESERVED)]


@_loss
class ExprLoss(_LossBase):
    """A loss given as a formula in ``r``; parsed (never evaluated as Python) by the maths layer.

    The YAML key ``params`` is stored as :attr:`constants`, because ``params()`` is the method
    every loss has; ``params()`` here returns ``{"expr": ..., **constants}``.
    """

    name: Literal["expr"] = Field(description="A loss written as a formula.", examples=["expr"])
    # Declared before `expr` so that expr's validator sees the constant names.
    constants: dict[StrictStr, Number] = Field(
        default_factory=dict,
        alias="params",
        description="Named constants used in expr.",
        examples=[{"a": 0.5}],
        json_schema_extra={
            "propertyNames": {
                "pattern": f"^{_EXPR_NAME.pattern}$",
                "not": {"enum": _RESERVED_NAMES},
            }
        },
    )
    expr: Annotated[StrictStr, Field(min_length=1, max_length=MAX_EXPR), Showable] = Field(
        description="Formula in r: numbers, r, names from params, + - * / **, comparisons, "
        "abs sqrt exp log log1p cosh sinh tanh minimum maximum where. Parsed, never run as "
        "Python.",
        examples=["log(cosh(r))", "a * r**2"],
    )

    @field_validator("expr")
    @classmethod
    def _formula(cls, value: str, info: ValidationInfo) -> str:
        if "constants" not in info.data:
            return value  # the params are wrong; that error is reported on its own
        try:
            parse_expr(value, frozenset(info.data["constants"]))
        except ExprProblem as problem:
            raise _fail(str(problem)) from None
        return value

    @field_validator("constants")
    @classmethod
    def _names(cls, value: dict[str, float]) -> dict[str, float]:
        for key in value:
            if reserved_word(key):
                raise at(
                    (key,),
                    f"{key!r} is a reserved word, so it cannot name a parameter; rename it "
                    f"(for example {key}_), in expr as well",
                )
            if not _EXPR_NAME.fullmatch(key) or key in _EXPR_RESERVED:
                raise at(
                    (key,),
                    f"{key!r} cannot name a parameter: use a letter followed by letters, digits "
                    f"or _, other than {', '.join(sorted(_EXPR_RESERVED))}",
                )
        return value

    def params(self) -> dict[str, float | str]:
        """Return the formula and its constants."""
        return {"expr": self.expr, **self.constants}


if TYPE_CHECKING:
    LossSpec = _LossBase
else:
    LossSpec = Annotated[Union[tuple(LOSS_MODELS)], Field(discriminator="name")]  # noqa: UP007
LOSS_NAMES: tuple[str, ...] = tuple(
    get_args(cls.model_fields["name"].annotation)[0] for cls in LOSS_MODELS
)
"""The valid ``loss.name`` values, in registration order."""


# --------------------------------------------------------------------------------------------------
# Curves


def _ordered_range(value: tuple[float, float]) -> tuple[float, float]:
    lo, hi = value
    if not lo < hi:
        raise _fail(f"expected [lo, hi] with lo < hi, got [{lo!r}, {hi!r}]")
    # Narrower than this, the curve samples of the interval are no longer distinct doubles.
    if hi - lo < 1e-9 * max(abs(lo), abs(hi)):
        raise _fail(
            f"[{lo!r}, {hi!r}] is too narrow for numbers of this size: hi - lo must be at "
            "least 1e-9 times the larger magnitude"
        )
    return value


Range = Annotated[tuple[Number, Number], AfterValidator(_ordered_range)]


class ColorsSpec(_Model):
    """Curve colours; each is resolved to a lowercase ``#rrggbb`` string."""

    loss: Color = Field(
        default=DEFAULT_COLORS["loss"], description="Colour of the loss curve.", examples=["BLUE"]
    )
    density: Color = Field(
        default=DEFAULT_COLORS["density"],
        description="Colour of the density curve.",
        examples=["GREEN"],
    )
    derivative: Color = Field(
        default=DEFAULT_COLORS["derivative"],
        description="Colour of the derivative curve.",
        examples=["ORANGE", "#ff862f"],
    )


CurveName = Literal["loss", "density", "derivative"]


class CurvesSpec(_Model):
    """What is plotted against the residual ``r``."""

    x_range: Range = Field(
        default=(-5.0, 5.0),
        description="Residual axis and density normalisation interval [lo, hi]; finite, lo < hi.",
        examples=[[-5, 5]],
    )
    y_range: Annotated[Range | None, _no_null("[lo, hi]")] = Field(
        default=None,
        description="Vertical axis [lo, hi]; chosen automatically when absent.",
        examples=[[-1.5, 3.5]],
    )
    show: Annotated[list[CurveName], Field(min_length=1)] = Field(
        default=["loss", "density", "derivative"],
        description="Curves to draw, in drawing order; each at most once.",
        examples=[["loss", "density", "derivative"], ["loss"]],
        json_schema_extra={"uniqueItems": True},
    )
    colors: ColorsSpec = Field(
        default=ColorsSpec(),
        description=(
            "Curve colours: Manim colour names (any case), palette roles (loss, density, ...) or "
            "'#rrggbb'; the palette's loss, density and derivative colours when left out."
        ),
        examples=[{"loss": "BLUE", "density": "GREEN", "derivative": "ORANGE"}],
    )

    @field_validator("show")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        for i, name in enumerate(value):
            if name in value[:i]:
                raise _fail(f"{name!r} is listed twice; list each curve at most once")
        return value


# --------------------------------------------------------------------------------------------------
# Observations


class SampleSpec(_Model):
    """Observations drawn from a seeded random distribution, plus optional fixed outliers."""

    model_config = ConfigDict(
        json_schema_extra={
            "dependentSchemas": {
                "df": {"required": ["dist"], "properties": {"dist": {"const": "student_t"}}}
            }
        }
    )

    n: Annotated[StrictInt, Field(ge=1, le=MAX_OBSERVATIONS), WHOLE] = Field(
        description="How many values to draw.", examples=[9]
    )
    # At most 1e15, as every number in a spec: beyond 2**53, JSON tools read whole numbers as
    # rounded doubles, and the seed would differ between an editor's check and the loader's.
    seed: Annotated[StrictInt, Field(ge=0, le=int(MAX_MAGNITUDE)), WHOLE] = Field(
        default=0,
        description="Seed of numpy.random.default_rng: same seed, same values.",
        examples=[3],
    )
    dist: Literal["normal", "uniform", "laplace", "student_t"] = Field(
        default="normal",
        description="Distribution: normal(loc, scale), uniform on [loc - scale, loc + scale], "
        "laplace(loc, scale), or loc + scale * student_t(df).",
        examples=["normal"],
    )
    loc: Number = Field(
        default=0.0, description="Location (centre) of the distribution.", examples=[0.0]
    )
    scale: PositiveNumber = Field(
        default=1.0, description="Scale (spread) of the distribution.", examples=[1.0]
    )
    df: PositiveNumber = Field(
        default=3.0, description="Degrees of freedom; dist student_t only.", examples=[3.0]
    )
    outliers: list[Number] = Field(
        default_factory=list,
        description="Fixed values appended after the draws.",
        examples=[[7.5]],
    )

    @model_validator(mode="after")
    def _check(self) -> "SampleSpec":
        if "df" in self.model_fields_set and self.dist != "student_t":
            raise _fail(f"df applies only to dist: student_t (this sample is {self.dist})")
        if self.n + len(self.outliers) > MAX_OBSERVATIONS:
            raise _fail(
                f"n + the number of outliers is {self.n + len(self.outliers)}; "
                f"at most {MAX_OBSERVATIONS} observations are allowed"
            )
        return self

    def draw(self) -> "np.ndarray":
        """Draw ``n`` values with ``numpy.random.default_rng(seed)`` and append the outliers."""
        import numpy as np  # lazily: `loss-scenes check` never needs numpy

        rng = np.random.default_rng(self.seed)
        if self.dist == "normal":
            draws = rng.normal(self.loc, self.scale, self.n)
        elif self.dist == "uniform":
            draws = rng.uniform(self.loc - self.scale, self.loc + self.scale, self.n)
        elif self.dist == "laplace":
            draws = rng.laplace(self.loc, self.scale, self.n)
        else:
            draws = self.loc + self.scale * rng.standard_t(self.df, self.n)
        return np.concatenate([draws, np.asarray(self.outliers, dtype=np.float64)]).astype(
            np.float64
        )


class ObservationsSpec(_Model):
    """The data ``y_i``: exactly one of ``values`` or ``sample``."""

    model_config = ConfigDict(
        json_schema_extra={"oneOf": [{"required": ["values"]}, {"required": ["sample"]}]}
    )

    values: Annotated[
        Annotated[list[Number], Field(min_length=1, max_length=MAX_OBSERVATIONS)] | None,
        _no_null("a list of numbers"),
    ] = Field(
        default=None,
        description=f"The observations: 1 to {MAX_OBSERVATIONS} finite numbers within +-1e15.",
        examples=[[-1.8, -0.6, -0.2, 0.1, 0.4, 0.9, 1.3, 6.0]],
    )
    sample: Annotated[SampleSpec | None, _no_null("a sample mapping")] = Field(
        default=None,
        description="Draw the observations from a seeded distribution instead.",
        examples=[{"n": 9, "seed": 3, "dist": "normal", "outliers": [7.5]}],
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> "ObservationsSpec":
        if self.values is not None and self.sample is not None:
            raise _fail("give exactly one of `values` or `sample`, not both")
        if self.values is None and self.sample is None:
            raise _fail("give exactly one of `values` (a list of numbers) or `sample`")
        if self.sample is not None:
            import numpy as np

            draws = self.sample.draw()
            if not np.all(np.abs(draws) <= MAX_MAGNITUDE):
                raise _fail(
                    "the sample draws values beyond +-1e15 (the largest magnitude "
                    "allowed): use a smaller loc or scale, or a larger df"
                )
        return self

    def resolve(self) -> "np.ndarray":
        """Return the observations as a float64 array, in the order given (deterministic)."""
        import numpy as np

        if self.values is not None:
            return np.asarray(self.values, dtype=np.float64)
        assert self.sample is not None  # guaranteed by _exactly_one
        return self.sample.draw()


class LossObservationsSpec(ObservationsSpec):
    """The data of a loss scene, and the stretch of the number line it is drawn on."""

    line: Annotated[Range | None, _no_null("[lo, hi]")] = Field(
        default=None,
        description="The number line shows at least [lo, hi] (it still widens to hold every "
        "observation, reference and estimate); default: fitted to them. A lecture sets it on "
        "its scenes that share their observations, so they share one number line.",
        examples=[[-6, 7]],
    )


# --------------------------------------------------------------------------------------------------
# Estimate, narration, timing


class EstimateSpec(_Model):
    """The gradient-descent animation of the estimate ``theta``."""

    start: Annotated[Number | None, _no_null("a number")] = Field(
        default=None,
        description="theta_0; default: a point left of all observations.",
        examples=[-4.0],
    )
    steps: Annotated[StrictInt, Field(ge=1, le=10000), WHOLE] = Field(
        default=100, description="Descent iterations animated, 1 to 10000.", examples=[60]
    )
    target: Literal["auto", "mean", "median", "huber", "quantile", "epsilon", "numeric"] = Field(
        default="auto",
        description="Reference the estimate is meant to reach; auto: the loss's own minimiser. "
        "Extension: quantile (the tau-quantile), epsilon (the epsilon-insensitive minimisers), "
        "numeric (the local minimum reached downhill from the start).",
        examples=["auto"],
    )
    second_start: Annotated[Number | None, _no_null("a number")] = Field(
        default=None,
        description="A second start: after the first descent has arrived, theta descends again "
        "from here (the beat `restart`), and both answers stay on screen. For a loss that is not "
        "convex (trimmed, Tukey, Cauchy) the start can decide which minimum theta reaches.",
        examples=[3.0],
    )


def _caption(what: str, example: str) -> Any:
    return Field(default=None, description=f"Said and captioned {what}.", examples=[example])


class NarrationSpec(_Model):
    """What is said (and captioned) in each beat of a loss scene; keys are beat ids."""

    intro: Caption = _caption("while the title and formula appear", "The squared loss.")
    loss: Caption = _caption("while the loss curve is drawn", "A parabola: far points cost a lot.")
    density: Caption = _caption("while the density is drawn", "Its density is the Gaussian.")
    derivative: Caption = _caption("while the derivative is drawn", "The pull grows with r.")
    data: Caption = _caption("while the observations appear", "Eight observations, one far out.")
    estimate: Caption = _caption("during the descent", "Each point pulls theta with its arrow.")
    arrival: Caption = _caption(
        "when theta has stopped: why it stops there", "Left and right pulls now cancel."
    )
    adapt: Caption = _caption(
        "while the data spread out and delta follows them (Huber with delta: auto only); "
        "default: what delta became, as computed",
        "Spread the data out, and delta grows with them.",
    )
    restart: Caption = _caption(
        "during the second descent, from estimate.second_start (only with it); default: both "
        "answers, as computed",
        "Start theta elsewhere and it settles elsewhere.",
    )
    hold: Caption = _caption(
        "at the end; default: the result, as computed", "Theta has settled on the mean."
    )


Seconds = Annotated[Number, Field(gt=0, le=MAX_VIDEO_SECONDS)]


def _minimum(what: str, default: float | None) -> Any:
    return Field(
        default=default,
        description=f"At least this many seconds {what}; a beat lasts longer when its speech or "
        "captions need it.",
        examples=[default if default is not None else 2.0],
    )


EXTRA_BEAT_SECONDS = 5.0
"""Default minimum of the beats ``adapt`` and ``restart``, which only some scenes have."""


class TimingSpec(_Model):
    """Minimum seconds per beat, each > 0; a beat lasts longer when what is said needs it.

    A scene's total length is checked on its timeline (``scenes.spec.timeline``), for every kind.
    """

    intro: Seconds = _minimum("for the title and formula", 1.0)
    curve: Seconds = _minimum("for each curve (loss, density, derivative)", 2.0)
    loss: Seconds | None = _minimum("for the loss curve (default: curve)", None)
    density: Seconds | None = _minimum("for the density (default: curve)", None)
    derivative: Seconds | None = _minimum("for the derivative (default: curve)", None)
    data: Seconds = _minimum("for the observations to appear", 1.0)
    estimate: Seconds = _minimum("for the descent, until theta has converged", 6.0)
    arrival: Seconds = _minimum("for the balance of the pulls where theta stops", 2.0)
    adapt: Seconds | None = _minimum(
        "for the data to spread out while delta adapts (Huber with delta: auto only; "
        f"default {EXTRA_BEAT_SECONDS:g})",
        None,
    )
    restart: Seconds | None = _minimum(
        "for the second descent, from estimate.second_start (only with it; default "
        f"{EXTRA_BEAT_SECONDS:g})",
        None,
    )
    hold: Seconds = _minimum("held at the end", 1.0)


# --------------------------------------------------------------------------------------------------
# Voice and captions (spec-v2 section 9)

VOICE_ENGINES = ("espeak-ng", "piper", "recorded", "none")


def _engine_is(engine: str) -> dict[str, Any]:
    return {"required": ["engine"], "properties": {"engine": {"const": engine}}}


class VoiceSpec(_Model):
    """Who speaks the narration: a text-to-speech engine, the lecturer's own takes, or nobody.

    Paths (``model``, ``folder``) are relative to the spec file that names them.
    """

    # The checks of _needs, for editors.
    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                {"if": _engine_is("piper"), "then": {"required": ["model"]}},
                {"if": _engine_is("recorded"), "then": {"required": ["folder"]}},
            ],
            "dependentSchemas": {"model": _engine_is("piper"), "folder": _engine_is("recorded")},
        }
    )

    engine: Literal["espeak-ng", "piper", "recorded", "none"] = Field(
        default="none",
        description="espeak-ng (installed by the set-up), piper (needs `model`), recorded (the "
        "lecturer's takes in `folder`) or none.",
        examples=["espeak-ng"],
    )
    voice: Annotated[
        StrictStr, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_+\-]+$")
    ] = Field(default="en-us", description="espeak-ng voice name.", examples=["en-us"])
    rate: Annotated[StrictInt, Field(ge=80, le=450), WHOLE] = Field(
        default=160, description="Words per minute (espeak-ng, piper).", examples=[160]
    )
    model: Annotated[
        Annotated[StrictStr, Field(min_length=1, max_length=MAX_PATH), Showable] | None,
        _no_null("a file name"),
    ] = Field(
        default=None,
        description="piper: the voice model file (.onnx) the user supplies; never downloaded.",
        examples=["voices/en_US-lessac-medium.onnx"],
    )
    folder: Annotated[
        Annotated[StrictStr, Field(min_length=1, max_length=MAX_PATH), Showable] | None,
        _no_null("a folder name"),
    ] = Field(
        default=None,
        description="recorded: folder of takes, FOLDER/<Scene>/<beat>.wav or .flac.",
        examples=["voice/"],
    )

    @model_validator(mode="after")
    def _needs(self) -> "VoiceSpec":
        if self.engine == "piper" and self.model is None:
            raise _fail("engine piper needs `model`: the path of a voice model file (.onnx)")
        if self.engine == "recorded" and self.folder is None:
            raise _fail("engine recorded needs `folder`: where the takes <Scene>/<beat>.wav are")
        if self.model is not None and self.engine != "piper":
            raise at(
                ("model",), f"model applies only to engine piper (this voice is {self.engine})"
            )
        if self.folder is not None and self.engine != "recorded":
            raise at(
                ("folder",), f"folder applies only to engine recorded (this voice is {self.engine})"
            )
        return self


class CaptionsSpec(_Model):
    """How captions are shown and paced."""

    burn: StrictBool = Field(
        default=True,
        description="Draw captions on the video frames; subtitle files are written either way.",
        examples=[True],
    )
    rate: Annotated[Number, Field(ge=5, le=17)] = Field(
        default=15.0,
        description="Characters per second used to pace captions (5 to 17).",
        examples=[15],
    )


# --------------------------------------------------------------------------------------------------
# Scene and lecture

SceneName = Annotated[StrictStr, Field(pattern=CAMEL_CASE, max_length=MAX_NAME)]


def _sets(section: str, key: str, value: dict[str, Any]) -> Any:
    """JSON Schema: ``section.key`` is given, as ``value`` says."""
    return {
        "required": [section],
        "properties": {section: {"type": "object", "required": [key], "properties": {key: value}}},
    }


_ADAPTS: Any = {
    "required": ["loss"],
    "properties": {
        "loss": {
            "type": "object",
            "required": ["name", "delta"],
            "properties": {"name": {"const": "huber"}, "delta": {"const": "auto"}},
        }
    },
}
_RESTARTS: Any = {
    "required": ["estimate"],
    "properties": {
        "estimate": {
            "type": "object",
            "required": ["second_start"],
            "properties": {"second_start": {}},
        }
    },
}


SceneVoice = Annotated[
    VoiceSpec | None,
    _no_null("a voice mapping"),
    Field(
        default=None,
        description="Who speaks the narration; default: the lecture's voice, else none.",
        examples=[{"engine": "espeak-ng", "voice": "en-us", "rate": 160}],
    ),
]
"""A scene's ``voice``, the same in every kind."""

SceneCaptions = Annotated[
    CaptionsSpec | None,
    _no_null("a captions mapping"),
    Field(
        default=None,
        description="Caption settings; default: the lecture's, else burn: true, rate: 15.",
        examples=[{"burn": True, "rate": 15}],
    ),
]
"""A scene's ``captions``, the same in every kind."""


class SceneSpec(_Model):
    """One scene: a loss, its curves, the data and the descent (spec-v1 section 3)."""

    # The checks of _beats_exist, for editors: narration or timing of a beat the scene has not.
    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                {"if": _sets(section, beat, value), "then": needs}
                for beat, needs in (("adapt", _ADAPTS), ("restart", _RESTARTS))
                for section, value in (
                    ("narration", {"type": "string"}),
                    ("timing", {"type": "number"}),
                )
            ]
        }
    )

    scene: SceneName = Field(
        description="CamelCase identifier, unique in a lecture; names the Scene class and the "
        "output files.",
        examples=["HuberLoss"],
    )
    title: Title | None = Field(
        default=None, description="Optional on-screen title.", examples=["Huber's robust loss"]
    )
    kind: Literal["loss"] = Field(
        default="loss",
        description="Kind of scene; only 'loss' so far (other kinds may come).",
        examples=["loss"],
    )
    loss: LossSpec = Field(
        description=f"The loss: `name` (one of {', '.join(LOSS_NAMES)}) and its parameters.",
        examples=[{"name": "huber", "delta": 1.0}, {"name": "l2"}],
    )
    curves: CurvesSpec = Field(
        default=CurvesSpec(),
        description="Curves plotted against the residual.",
        examples=[{"x_range": [-5, 5], "show": ["loss", "density", "derivative"]}],
    )
    observations: LossObservationsSpec = Field(
        description="The data: exactly one of `values` or `sample`; optionally the number "
        "line's range.",
        examples=[{"values": [-1.8, -0.6, -0.2, 0.1, 0.4, 0.9, 1.3, 6.0]}],
    )
    estimate: EstimateSpec = Field(
        default=EstimateSpec(),
        description="The gradient-descent animation.",
        examples=[{"start": -4.0, "steps": 60, "target": "auto"}],
    )
    narration: NarrationSpec = Field(
        default=NarrationSpec(),
        description="Captions, one per beat.",
        examples=[{"loss": "The blue curve is one half of y minus y hat, squared."}],
    )
    timing: TimingSpec = Field(
        default=TimingSpec(),
        description="Durations in seconds.",
        examples=[{"curve": 2.0, "estimate": 6.0, "hold": 1.0}],
    )
    voice: SceneVoice
    captions: SceneCaptions

    @property
    def adapts(self) -> bool:
        """Whether the scene has the beat ``adapt``: Huber's delta adapting to wider data."""
        return self.loss.params().get("delta") == "auto" and self.loss.name == "huber"

    @property
    def restarts(self) -> bool:
        """Whether the scene has the beat ``restart``: a second descent from another start."""
        return self.estimate.second_start is not None

    def beat_plans(self) -> list["BeatPlan"]:
        """The beats of a loss scene: intro, one per curve shown, data, estimate, arrival,
        ``adapt`` (delta: auto), ``restart`` (estimate.second_start), hold.
        """
        from .timeline import BeatPlan

        timing, said = self.timing, self.narration
        curves = [
            BeatPlan(name, getattr(timing, name) or timing.curve, getattr(said, name))
            for name in self.curves.show
        ]
        extra = [
            BeatPlan(name, getattr(timing, name) or EXTRA_BEAT_SECONDS, getattr(said, name))
            for name, present in (("adapt", self.adapts), ("restart", self.restarts))
            if present
        ]
        return [
            BeatPlan("intro", timing.intro, said.intro),
            *curves,
            BeatPlan("data", timing.data, said.data),
            BeatPlan("estimate", timing.estimate, said.estimate),
            BeatPlan("arrival", timing.arrival, said.arrival),
            *extra,
            BeatPlan("hold", timing.hold, said.hold),
        ]

    @model_validator(mode="after")
    def _beats_exist(self) -> "SceneSpec":
        # Narration or timing for a beat the scene does not have would be silently ignored.
        for name, present, needs in (
            ("adapt", self.adapts, "loss huber with delta: auto"),
            ("restart", self.restarts, "estimate.second_start"),
        ):
            if present:
                continue
            if getattr(self.narration, name) is not None:
                raise at(("narration", name), f"there is no beat {name!r} without {needs}")
            if getattr(self.timing, name) is not None:
                raise at(("timing", name), f"there is no beat {name!r} without {needs}")
        return self

    @model_validator(mode="after")
    def _expr_is_finite(self) -> "SceneSpec":
        if isinstance(self.loss, ExprLoss):
            tree = parse_expr(self.loss.expr, frozenset(self.loss.constants))
            problem = check_finite(tree, self.loss.constants, self.curves.x_range)
            if problem is not None:
                raise at(("loss", "expr"), problem)
        return self


def at(path: tuple[str | int, ...], message: str) -> PydanticCustomError:
    """An error about the node at ``path`` raised by a validator of an enclosing model."""
    return PydanticCustomError("spec", message, {"at": path})


_HOLDER = {"scene": ("lecture", "l2.yaml"), "lecture": ("course", "lecture.yaml")}
"""For each kind of listed file: the kind of spec that lists it, and an example file name."""


def scene_path_problem(text: str, base_dir: Path | None, kind: str = "scene") -> str | None:
    """Why ``text`` is not an acceptable path of a scene file listed by a lecture in ``base_dir``
    (of a lecture file listed by a course, with ``kind="lecture"``); None if it is.

    Paths are relative to the listing file and must stay inside its folder, so a lecture (or a
    course) can be moved or shared as one folder.
    """
    holder, example = _HOLDER[kind]
    if not text.strip():
        return f"expected a file name such as {example}, got an empty string"
    if (
        PurePosixPath(text).is_absolute()
        or PureWindowsPath(text).is_absolute()
        or (PureWindowsPath(text).drive)
    ):
        return f"{text!r} is an absolute path: give a path relative to the {holder} file"
    # `sub/../a.yaml` stays inside; `../a.yaml` and `sub/../../a.yaml` do not.
    if posixpath.normpath(text.replace("\\", "/")).split("/")[0] == "..":
        return f"{text!r} leaves the {holder}'s folder: {kind} files must be inside it"
    if base_dir is None:
        return None
    try:
        target = (base_dir / text).resolve()
        inside = target.is_relative_to(base_dir.resolve())
        exists = (base_dir / text).is_file()
    except (OSError, ValueError):
        return f"{text!r} is not a usable file name"
    if not inside:
        return f"{text!r} leads outside the {holder}'s folder (through a link)"
    if not exists:
        return f"{kind} file {text!r} not found next to the {holder} file"
    return None


def _path_check(kind: str) -> AfterValidator:
    """Check a listed file's path with :func:`scene_path_problem`."""

    def check(value: str, info: ValidationInfo) -> str:
        base = (info.context or {}).get("base_dir")
        problem = scene_path_problem(value, Path(base) if base is not None else None, kind)
        if problem is not None:
            raise _fail(problem)
        return value

    return AfterValidator(check)


# The schema says what it can: a file name is not empty nor too long; the file system does the
# rest.
_PATH_SCHEMA = WithJsonSchema(
    {"type": "string", "minLength": 1, "maxLength": MAX_PATH, "pattern": SHOWABLE_PATTERN}
)
ScenePath = Annotated[
    StrictStr, Field(max_length=MAX_PATH), Showable, _path_check("scene"), _PATH_SCHEMA
]
LecturePath = Annotated[
    StrictStr, Field(max_length=MAX_PATH), Showable, _path_check("lecture"), _PATH_SCHEMA
]


class RenderSpec(_Model):
    """How a lecture is rendered."""

    quality: Literal["low", "medium", "high", "4k"] = Field(
        default="high",
        description="low (480p15), medium (720p30), high (1080p60) or 4k (2160p60).",
        examples=["high"],
    )
    formats: Annotated[list[Literal["mp4", "webm", "gif"]], Field(min_length=1)] = Field(
        default=["mp4"],
        description="Video formats to write, each at most once.",
        examples=[["mp4"]],
        json_schema_extra={"uniqueItems": True},
    )

    @field_validator("formats")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        for i, name in enumerate(value):
            if name in value[:i]:
                raise _fail(f"{name!r} is listed twice; list each format at most once")
        return value


class LectureSpec(_Model):
    """A lecture: scene files rendered in order and combined (spec-v1 section 5).

    Validate with ``context={"base_dir": folder}`` to check that the scene files exist.
    """

    lecture: SceneName = Field(
        description="CamelCase identifier; names the combined video.", examples=["LossFunctions"]
    )
    title: Title | None = Field(
        default=None, description="Optional title of the lecture.", examples=["Loss functions"]
    )
    scenes: Annotated[list[ScenePath], Field(min_length=1, max_length=MAX_LECTURE_SCENES)] = Field(
        description="Scene spec files, relative to this file and inside its folder; rendered in "
        "this order; scene names must be unique.",
        examples=[["l2.yaml", "l1.yaml", "huber.yaml"]],
    )
    render: RenderSpec = Field(
        default=RenderSpec(),
        description="Rendering options.",
        examples=[{"quality": "high", "formats": ["mp4"]}],
    )
    voice: VoiceSpec | None = Field(
        default=None,
        description="Voice of every scene that does not set its own.",
        examples=[{"engine": "espeak-ng", "voice": "en-us", "rate": 160}],
    )
    captions: CaptionsSpec | None = Field(
        default=None,
        description="Caption settings of every scene that does not set its own.",
        examples=[{"burn": True, "rate": 15}],
    )


MAX_COURSE_LECTURES = 100


class CourseSpec(_Model):
    """A course: lecture files rendered and published together (spec-v2 section 11).

    Validate with ``context={"base_dir": folder}`` to check that the lecture files exist.
    """

    course: SceneName = Field(
        description="CamelCase identifier; names the course.", examples=["Stat157"]
    )
    title: Annotated[StrictStr, Field(max_length=200)] | None = Field(
        default=None,
        description="Optional title of the course.",
        examples=["Introduction to machine learning"],
    )
    lectures: Annotated[list[LecturePath], Field(min_length=1, max_length=MAX_COURSE_LECTURES)] = (
        Field(
            description="Lecture spec files, relative to this file and inside its folder; "
            "published in this order; lecture names must be unique.",
            examples=[["lecture.yaml", "full-lecture.yaml"]],
        )
    )
