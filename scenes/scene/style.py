"""The look of every scene: one colour per job, a stroke and marker per role, one type scale.

Colours (``PALETTE``, defined in :mod:`scenes.spec.colors` so that specs can name them) follow
the lecture's roles on a dark slide: loss blue, density green, derivative vermillion, theta alone
in yellow, observations near white. References, the clipped parts of arrows and the balance of
pulls each have a colour of their own. The rules, checked by ``tests/scene/test_palette.py`` with
colour-science and colorspacious rather than by eye:

- any two colours of a scene kind's ``SHOWN_TOGETHER`` set differ by CIEDE2000 >= 10 in normal
  vision and under simulated deuteranopia, protanopia and tritanopia (Machado 2009, severity 100);
- every colour in ``TEXT_ROLES`` has a WCAG contrast of at least 4.5:1 on ``BACKGROUND``, and every
  drawn colour at least 3:1 (WCAG's figure for graphics).

Colour is never the only cue: each curve has its own stroke (``CURVE_STROKES``), each point-like
role its own marker shape (``MARKERS``), and the redesign labels curves and markers directly.

Type: one family (DejaVu Sans, for words and maths alike; see :mod:`scenes.scene.typeset`) in a
fixed scale of sizes (``SIZE_*``). A size is a Manim ``font_size`` for ``Text`` and means the same
for ``typeset.maths``; ``tests/scene/test_typeset_sizes.py`` renders each and checks that its
lowercase letters are at least ``MIN_TEXT_PX`` high at 720p.
"""

from dataclasses import dataclass

from scenes.spec.colors import PALETTE

# The type scale and the safe margin are checked by `check` too (the card's fit), so they live in
# the spec layer; re-exported here, where the scenes look for their style.
from scenes.spec.typography import (  # noqa: F401
    FONT,
    SAFE_MARGIN,
    SIZE_CAPTION,
    SIZE_DISPLAY,
    SIZE_FORMULA,
    SIZE_LABEL,
    SIZE_SMALL,
    SIZE_TITLE,
    TYPE_SCALE,
)

# --- colours ----------------------------------------------------------------------------------

# Near-black, kept from v1 (the course site's pages use it too, so players sit seamlessly): the
# darker the slide, the more lightness steps above it for twelve colours that must all reach 4.5:1.
BACKGROUND = PALETTE["background"]
TEXT = PALETTE["text"]  # words that are not about one role: titles, captions, formulas

LOSS = PALETTE["loss"]  # the loss curve l(r)
DENSITY = PALETTE["density"]  # the density exp(-l(r)) / Z
DERIVATIVE = PALETTE["derivative"]  # the derivative l'(r) and the pulls it gives (arrows)
THETA = PALETTE["theta"]  # the estimate theta and nothing else
OBSERVATION = PALETTE["observation"]  # the data points y_i
MUTED = PALETTE["muted"]  # axes, ticks, tick labels, guides
CLIPPED = PALETTE["clipped"]  # the part of an arrow that clipping or trimming takes away
BALANCE = PALETTE["balance"]  # the net pull: left and right sums, the balance that stops theta
MEAN = PALETTE["mean"]
MEDIAN = PALETTE["median"]  # the median, or the interval of medians (set of minimisers)
ESTIMATE = PALETTE["estimate"]  # the loss's own minimiser: Huber estimate, quantile, numeric
TRIMMED_MEAN = PALETTE["trimmed_mean"]

# Roles whose colour is also used for words (direct labels, tick labels, reference values).
# CLIPPED is for greyed arrow parts only: label them in MUTED or TEXT.
TEXT_ROLES = (
    "text",
    "loss",
    "density",
    "derivative",
    "theta",
    "observation",
    "muted",
    "balance",
    "mean",
    "median",
    "estimate",
    "trimmed_mean",
)

# Which drawn colours one frame of each kind may show at once (TEXT is judged by contrast only:
# words are told apart by what they say). The lecture cards compare the estimates on the data.
SHOWN_TOGETHER: dict[str, tuple[str, ...]] = {
    "loss": (
        "loss",
        "density",
        "derivative",
        "theta",
        "observation",
        "muted",
        "clipped",
        "balance",
        "mean",
        "median",
        "estimate",
        "trimmed_mean",
    ),
    "clipping": (
        "derivative",
        "theta",
        "observation",
        "muted",
        "clipped",
        "balance",
        "mean",
        "estimate",
    ),
    "influence": (
        "observation",
        "muted",
        "theta",
        "mean",
        "median",
        "estimate",
        "trimmed_mean",
    ),
    "cards": ("observation", "muted", "mean", "median", "estimate", "trimmed_mean"),
}

# --- strokes and markers ----------------------------------------------------------------------


@dataclass(frozen=True)
class Stroke:
    """How a curve is drawn: ``pattern`` solid, dashed or dotted; dash and gap in scene units."""

    pattern: str
    width: float = 5.0
    dash: float = 0.0
    gap: float = 0.0


CURVE_STROKES: dict[str, Stroke] = {
    "loss": Stroke("solid", width=5.0),
    "density": Stroke("dashed", width=5.0, dash=0.2, gap=0.11),
    "derivative": Stroke("dotted", width=7.0, dash=0.005, gap=0.13),
}

# The influence scene's four curves, one panel each: a pattern per estimator besides its colour.
INFLUENCE_STROKES: dict[str, Stroke] = {
    "mean": Stroke("solid", width=5.0),
    "median": Stroke("dashed", width=5.0, dash=0.28, gap=0.12),
    "huber": Stroke("dotted", width=7.0, dash=0.005, gap=0.13),
    "trimmed": Stroke("dashed", width=5.0, dash=0.09, gap=0.07),
}

MARKERS: dict[str, str] = {
    "observation": "dot",
    "theta": "triangle",
    "mean": "diamond",
    "median": "square",
    "estimate": "star",
    "trimmed_mean": "hexagon",
}

# --- type -------------------------------------------------------------------------------------

# Smallest allowed height of lowercase letters (x-height) at 720p, in pixels.
MIN_TEXT_PX = 18.0

# --- reference markers: each target's colour and the short label of the key on the number line
# (the narration's longer phrases are compute.loss_table.TARGETS') -------------------------------

REFERENCE_COLORS = {
    "mean": MEAN,
    "median": MEDIAN,
    "huber": ESTIMATE,
    "trimmed_mean": TRIMMED_MEAN,
    "quantile": ESTIMATE,
    "epsilon": ESTIMATE,
    "numeric": ESTIMATE,
}
REFERENCE_LABELS = {
    "mean": "mean",
    "median": "median",
    "huber": "Huber",
    "trimmed_mean": "trimmed mean",
    "quantile": "quantile",
    "epsilon": "minimisers",
    "numeric": "minimiser",
}
