"""How each loss and curve is written as mathematics (LaTeX for MathTex).

The losses' formulas are the loss table's (:mod:`scenes.compute.loss_table`); a formula of the
``expr`` loss is typeset by the formula language's LaTeX back end (:mod:`scenes.formula.latex`).
"""

from scenes.compute.loss import SceneData
from scenes.compute.loss_table import LOSS_TABLE, PARAMETERS
from scenes.formula.language import parse_expr
from scenes.formula.latex import name_tex, to_latex
from scenes.maths import robust_scale
from scenes.numbers import VALUE_DIGITS, significant


def _number(value: float) -> str:
    return significant(value, VALUE_DIGITS)


def loss_formula(data: SceneData) -> str:
    """The loss's defining formula (the loss table's), with its parameters' values."""
    name = data.spec.loss.name
    if name == "expr":
        p = {k: _number(v) for k, v in data.loss_params.items() if k != "expr"}
        return r"\ell(r) = " + expr_latex(data.loss_params["expr"], p)
    entry = LOSS_TABLE.get(name)
    if entry is None or entry.latex is None:
        raise ValueError(f"no formula for loss {name!r}")
    values = []
    for key, value in data.loss_params.items():
        shown = _number(value)
        if key == "delta" and data.spec.loss.params().get("delta") == "auto":
            # The scale it adapts to: the MAD, or its fallback when the MAD is 0.
            scale = robust_scale(data.observations).name
            if scale != "none":
                which = r"\mathrm{MAD}" if scale == "MAD" else r"\mathrm{mean\,AD}"
                shown += rf" = 1.345\,\widehat{{\sigma}}_{{{which}}}"
        values.append(f"{PARAMETERS[key].latex} = {shown}")
    if not values:
        return entry.latex
    return entry.latex + r"\qquad " + r",\ ".join(values)


def expr_latex(text: str, constants: dict[str, str]) -> str:
    """Typeset an ``expr`` formula from its parsed tree (names of constants, then their values)."""
    body = to_latex(parse_expr(text, frozenset(constants)))
    if constants:
        values = r",\ ".join(rf"{name_tex(k)} = {v}" for k, v in constants.items())
        body += rf"\qquad {values}"
    return body


RESIDUAL = r"r = y - \theta"
