"""The loss models of a loss scene: one small class each, joined in one discriminated union.

To add a loss, write its class, decorate it with ``@_loss``, and give it a ``name: Literal[...]``
field; :data:`LossSpec` and :data:`LOSS_NAMES` pick it up.
"""

import re
from typing import TYPE_CHECKING, Annotated, Literal, TypeVar, Union, get_args

from pydantic import Field, JsonValue, StrictStr, field_validator

from .fields import (
    MAX_EXPR,
    Number,
    PositiveNumber,
    Showable,
    SpecModel,
    at,
    expected,
)
from .formula_names import FUNCTION_NAMES, VARIABLE

__all__ = [
    "LOSS_MODELS",
    "LOSS_NAMES",
    "CauchyLoss",
    "EpsilonInsensitiveLoss",
    "ExprLoss",
    "HuberLoss",
    "L1Loss",
    "L2Loss",
    "LogCoshLoss",
    "LossSpec",
    "PseudoHuberLoss",
    "QuantileLoss",
    "TrimmedLoss",
    "TukeyLoss",
]

LOSS_MODELS: list[type["_LossBase"]] = []


_L = TypeVar("_L", bound=type["_LossBase"])


def _loss(cls: _L) -> _L:
    """Register a loss model in the discriminated union :data:`LossSpec`."""
    LOSS_MODELS.append(cls)
    return cls


class _LossBase(SpecModel):
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
        expected("a number > 0 (at least 1e-12, at most 1e15) or 'auto'"),
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
_EXPR_RESERVED = frozenset((VARIABLE, "expr", *FUNCTION_NAMES))
_RESERVED_NAMES: list[JsonValue] = [*sorted(_EXPR_RESERVED)]


@_loss
class ExprLoss(_LossBase):
    """A loss given as a formula in ``r``; parsed (never evaluated as Python) by the maths layer.

    The YAML key ``params`` is stored as :attr:`constants`, because ``params()`` is the method
    every loss has; ``params()`` here returns ``{"expr": ..., **constants}``.
    """

    name: Literal["expr"] = Field(description="A loss written as a formula.", examples=["expr"])
    # (The docstring above is the schema's description.) Only the form is checked here: the text,
    # the names of the constants. Whether the formula parses, and is finite where it is drawn and
    # where the descent goes, is checked when the scene is resolved (scenes.compute.resolve), at
    # the same YAML position: the formula language is a layer above this one.
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
        f"{' '.join(FUNCTION_NAMES)}. Parsed, never run as Python.",
        examples=["log(cosh(r))", "a * r**2"],
    )

    @field_validator("constants")
    @classmethod
    def _names(cls, value: dict[str, float]) -> dict[str, float]:
        # Python's keywords (`lambda`) are refused with the formula, when a scene is resolved
        # (scenes.compute.resolve): the formula language knows them, the spec layer does not.
        for key in value:
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
