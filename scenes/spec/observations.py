"""The data of a scene: observations given as values or drawn from a seeded distribution.

numpy is imported where values are drawn, never at import: ``loss-scenes check`` of a spec with
given values needs none of it.
"""

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import ConfigDict, Field, StrictInt, model_validator

from .fields import (
    MAX_MAGNITUDE,
    MAX_OBSERVATIONS,
    WHOLE,
    Number,
    PositiveNumber,
    Range,
    SpecModel,
    fail,
    no_null,
)

if TYPE_CHECKING:
    import numpy as np

__all__ = ["LossObservationsSpec", "ObservationsSpec", "SampleSpec"]


class SampleSpec(SpecModel):
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
            raise fail(f"df applies only to dist: student_t (this sample is {self.dist})")
        if self.n + len(self.outliers) > MAX_OBSERVATIONS:
            raise fail(
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


class ObservationsSpec(SpecModel):
    """The data ``y_i``: exactly one of ``values`` or ``sample``."""

    model_config = ConfigDict(
        json_schema_extra={"oneOf": [{"required": ["values"]}, {"required": ["sample"]}]}
    )

    values: Annotated[
        Annotated[list[Number], Field(min_length=1, max_length=MAX_OBSERVATIONS)] | None,
        no_null("a list of numbers"),
    ] = Field(
        default=None,
        description=f"The observations: 1 to {MAX_OBSERVATIONS} finite numbers within +-1e15.",
        examples=[[-1.8, -0.6, -0.2, 0.1, 0.4, 0.9, 1.3, 6.0]],
    )
    sample: Annotated[SampleSpec | None, no_null("a sample mapping")] = Field(
        default=None,
        description="Draw the observations from a seeded distribution instead.",
        examples=[{"n": 9, "seed": 3, "dist": "normal", "outliers": [7.5]}],
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> "ObservationsSpec":
        if self.values is not None and self.sample is not None:
            raise fail("give exactly one of `values` or `sample`, not both")
        if self.values is None and self.sample is None:
            raise fail("give exactly one of `values` (a list of numbers) or `sample`")
        if self.sample is not None:
            import numpy as np

            draws = self.sample.draw()
            if not np.all(np.abs(draws) <= MAX_MAGNITUDE):
                raise fail(
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

    line: Annotated[Range | None, no_null("[lo, hi]")] = Field(
        default=None,
        description="The number line shows at least [lo, hi] (it still widens to hold every "
        "observation, reference and estimate); default: fitted to them. A lecture sets it on "
        "its scenes that share their observations, so they share one number line.",
        examples=[[-6, 7]],
    )
