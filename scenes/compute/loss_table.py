"""The one table of the built-in losses: what each is called, what it settles on, how it is written.

Compute reads the target (which reference a loss's minimiser is) and the words; the cards read the
words; the drawing reads the LaTeX, the threshold marked on the curves and the colour of the
summary's marker. The function itself is the maths layer's (:data:`scenes.maths.losses.LOSSES`,
where a loss's function carries its name), and the names are the spec layer's
(:data:`scenes.spec.LOSS_NAMES`, the ``name`` of each loss model), which this table is built on:
it checks on import that it has an entry for exactly those names. :data:`TARGETS`, the same
for the references a descent settles on (what each is called, which parameter it takes), is
checked against the names ``estimate.target`` accepts.

Adding a loss: its model in ``scenes/spec/losses.py``, its function in ``scenes/maths/losses.py``,
its entry here.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, get_args

from scenes.spec import LOSS_NAMES, EstimateSpec

__all__ = ["LOSS_TABLE", "PARAMETERS", "TARGETS", "LossEntry", "Parameter", "Target"]


@dataclass(frozen=True)
class Parameter:
    """How a loss parameter is written: in LaTeX, in plain text, and said."""

    latex: str
    text: str
    spoken: str


PARAMETERS: dict[str, Parameter] = {
    "delta": Parameter(r"\delta", "δ", "delta"),
    "c": Parameter("c", "c", "c"),
    "tau": Parameter(r"\tau", "τ", "tau"),
    "epsilon": Parameter(r"\epsilon", "ε", "epsilon"),
}
"""The parameters of the built-in losses by their name in specs."""


@dataclass(frozen=True)
class LossEntry:
    """One built-in loss."""

    name: str
    """Its ``name`` in specs."""
    target: str
    """The reference its minimiser is (``estimate.target: auto``): ``mean``, ``median``,
    ``huber``, ``quantile``, ``epsilon``, or ``numeric``: the local minimum reached from the start
    by going downhill (:mod:`scenes.maths.minimise`), the global one for the convex losses, not
    necessarily for cauchy, tukey, trimmed, expr."""
    words: str
    """The loss in a sentence, before "loss": ``the pseudo-Huber loss``."""
    latex: str | None
    """Its defining formula, without its parameters' values (None: the user's formula)."""
    threshold: str | None = None
    """The parameter that marks a kink, or the edge of what is counted, on its curves; a smooth
    scale (Cauchy's c) has no edge to see."""
    clips: bool = False
    """Whether its pull is the residual cut short (the rest of the residual is drawn greyed)."""
    summary_role: str = "estimate"
    """Whose marker and colour stands for its minimiser on the summary card when the minimiser
    is neither the mean nor the median."""
    formula: str | None = None
    """The same loss in the formula language of ``expr`` (spec section 4), its parameters as
    constants: what the explorable pages compute in JavaScript (:mod:`scenes.formula.javascript`),
    value and forward-mode slope. ``tests/site/test_explore_parity.py`` checks it against
    :attr:`function` (and the pages against ``compute``). None for ``expr``: the user's formula."""

    @property
    def function(self) -> Callable[..., Any]:
        """The loss as a pure JAX function (imported on first use: the table itself needs no
        JAX).
        """
        from scenes.maths.losses import LOSSES

        return LOSSES[self.name]


_ENTRIES = (
    LossEntry("l2", "mean", "squared", r"\ell(r) = \tfrac{1}{2}\, r^2", formula="0.5 * r**2"),
    LossEntry("l1", "median", "absolute", r"\ell(r) = |r|", formula="maximum(r, -r)"),
    LossEntry(
        "huber",
        "huber",
        "Huber",
        r"\ell(r) = \begin{cases} \tfrac{1}{2} r^2 & |r| \le \delta \\"
        r" \delta\,(|r| - \tfrac{1}{2}\delta) & |r| > \delta \end{cases}",
        threshold="delta",
        clips=True,
        formula="where(abs(r) <= delta, 0.5 * r**2, delta * (abs(r) - 0.5 * delta))",
    ),
    LossEntry(
        "pseudo_huber",
        "numeric",
        "pseudo-Huber",
        r"\ell(r) = \delta^2 \left(\sqrt{1 + (r/\delta)^2} - 1\right)",
        formula="delta**2 * (r / delta)**2 / (sqrt(1 + (r / delta)**2) + 1)",
    ),
    LossEntry(
        "log_cosh",
        "numeric",
        "log-cosh",
        r"\ell(r) = \log\cosh r",
        formula="abs(r) + log1p(exp(-2 * abs(r))) - log(2)",
    ),
    LossEntry(
        "cauchy",
        "numeric",
        "Cauchy",
        r"\ell(r) = \tfrac{c^2}{2} \log\left(1 + (r/c)^2\right)",
        formula="0.5 * c**2 * log1p((r / c)**2)",
    ),
    LossEntry(
        "tukey",
        "numeric",
        "Tukey",
        r"\ell(r) = \begin{cases} \tfrac{c^2}{6}\left(1 - \left(1 - (r/c)^2\right)^3\right)"
        r" & |r| \le c \\ \tfrac{c^2}{6} & |r| > c \end{cases}",
        threshold="c",
        formula="c**2 / 6 * (1 - (1 - minimum((r / c)**2, 1))**3)",
    ),
    LossEntry(
        "trimmed",
        "numeric",
        "trimmed",
        r"\ell(r) = \begin{cases} \tfrac{1}{2} r^2 & |r| \le c \\"
        r" \tfrac{1}{2} c^2 & |r| > c \end{cases}",
        threshold="c",
        clips=True,
        summary_role="trimmed_mean",
        formula="where(abs(r) <= c, 0.5 * r**2, 0.5 * c**2)",
    ),
    LossEntry(
        "quantile",
        "quantile",
        "quantile",
        r"\ell(r) = \max\left(\tau r,\ (\tau - 1)\, r\right)",
        formula="maximum(tau * r, (tau - 1) * r)",
    ),
    LossEntry(
        "epsilon_insensitive",
        "epsilon",
        "epsilon-insensitive",
        r"\ell(r) = \max\left(0,\ |r| - \epsilon\right)",
        threshold="epsilon",
        formula="maximum(abs(r) - epsilon, 0)",
    ),
    LossEntry("expr", "numeric", "formula", None),
)

LOSS_TABLE: dict[str, LossEntry] = {entry.name: entry for entry in _ENTRIES}
"""Every built-in loss by name, in the order of :data:`scenes.spec.LOSS_NAMES`."""

if tuple(LOSS_TABLE) != LOSS_NAMES:
    raise ImportError(
        f"the loss table and scenes.spec.LOSS_NAMES differ: {tuple(LOSS_TABLE)} != {LOSS_NAMES}"
    )


@dataclass(frozen=True)
class Target:
    """One reference a descent may settle on (``estimate.target``)."""

    name: str
    """Its name in specs and in the JSON of ``compute``."""
    called: str
    """What the result narration calls it: ``θ settled on the Huber estimate``."""
    on_card: str
    """Its name beside a loss on the summary card; empty when it has none there."""
    parameter: tuple[str, float] | None = None
    """The loss parameter it depends on, with the value it takes when the scene's loss is not
    the one that has this target (a Huber estimate asked of an L2 scene uses delta = 1)."""


TARGETS: dict[str, Target] = {
    target.name: target
    for target in (
        Target("mean", "mean", "mean"),
        Target("median", "median", "median"),
        Target("huber", "Huber estimate", "", ("delta", 1.0)),
        Target("quantile", "quantile", "", ("tau", 0.5)),
        Target("epsilon", "set of minimisers", "", ("epsilon", 0.5)),
        Target("numeric", "minimum reached downhill", "from the median"),
    )
}
"""Every target but ``auto`` (which stands for its loss's :attr:`LossEntry.target`)."""

# The spec layer keeps the names it validates; this table must name the same ones.
_TARGET_NAMES = get_args(EstimateSpec.model_fields["target"].annotation)
if set(TARGETS) != set(_TARGET_NAMES) - {"auto"}:
    raise ImportError(
        f"the targets table and EstimateSpec.target differ: {tuple(TARGETS)} != {_TARGET_NAMES}"
    )
if not {entry.target for entry in _ENTRIES} <= set(TARGETS):
    raise ImportError("a loss in the loss table has a target the targets table lacks")
