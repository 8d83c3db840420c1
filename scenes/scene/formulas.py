"""How each loss and curve is written as mathematics (LaTeX for MathTex)."""

from scenes.compute.loss import SceneData
from scenes.maths import robust_scale


def _number(value: float) -> str:
    return f"{value:.4g}"


def loss_formula(data: SceneData) -> str:
    """The loss's defining formula, with its parameters' values."""
    name = data.spec.loss.name
    if name == "l2":
        return r"\ell(r) = \tfrac{1}{2}\, r^2"
    if name == "l1":
        return r"\ell(r) = |r|"
    if name == "huber":
        delta = _number(data.loss_params["delta"])
        if data.spec.loss.params().get("delta") == "auto":
            # The scale it adapts to: the MAD, or its fallback when the MAD is 0.
            scale = robust_scale(data.observations).name
            if scale != "none":
                which = r"\mathrm{MAD}" if scale == "MAD" else r"\mathrm{mean\,AD}"
                delta += rf" = 1.345\,\widehat{{\sigma}}_{{{which}}}"
        return (
            r"\ell(r) = \begin{cases} \tfrac{1}{2} r^2 & |r| \le \delta \\"
            r" \delta\,(|r| - \tfrac{1}{2}\delta) & |r| > \delta \end{cases}"
            rf"\qquad \delta = {delta}"
        )
    p = {k: _number(v) for k, v in data.loss_params.items() if k != "expr"}
    if name == "pseudo_huber":
        return (
            r"\ell(r) = \delta^2 \left(\sqrt{1 + (r/\delta)^2} - 1\right)"
            rf"\qquad \delta = {p['delta']}"
        )
    if name == "log_cosh":
        return r"\ell(r) = \log\cosh r"
    if name == "cauchy":
        return rf"\ell(r) = \tfrac{{c^2}}{{2}} \log\left(1 + (r/c)^2\right)\qquad c = {p['c']}"
    if name == "tukey":
        return (
            r"\ell(r) = \begin{cases} \tfrac{c^2}{6}\left(1 - \left(1 - (r/c)^2\right)^3\right)"
            r" & |r| \le c \\ \tfrac{c^2}{6} & |r| > c \end{cases}"
            rf"\qquad c = {p['c']}"
        )
    if name == "trimmed":
        return (
            r"\ell(r) = \begin{cases} \tfrac{1}{2} r^2 & |r| \le c \\"
            r" \tfrac{1}{2} c^2 & |r| > c \end{cases}"
            rf"\qquad c = {p['c']}"
        )
    if name == "quantile":
        return rf"\ell(r) = \max\left(\tau r,\ (\tau - 1)\, r\right)\qquad \tau = {p['tau']}"
    if name == "epsilon_insensitive":
        return (
            r"\ell(r) = \max\left(0,\ |r| - \epsilon\right)"
            rf"\qquad \epsilon = {p['epsilon']}"
        )
    if name == "expr":
        return r"\ell(r) = " + expr_latex(data.loss_params["expr"], p)
    raise ValueError(f"no formula for loss {name!r}")


_LATEX_FUNCTIONS = {
    "abs": None,
    "sqrt": None,
    "exp": r"\exp",
    "log": r"\log",
    "log1p": r"\operatorname{log1p}",
    "cosh": r"\cosh",
    "sinh": r"\sinh",
    "tanh": r"\tanh",
    "minimum": r"\min",
    "maximum": r"\max",
    "where": r"\operatorname{where}",
}
_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "**": 4}


def expr_latex(text: str, constants: dict[str, str]) -> str:
    """Typeset an ``expr`` formula from its parsed tree (names of constants, then their values)."""
    from scenes.formula.language import parse_expr

    body = _tex(parse_expr(text, frozenset(constants)), 0)
    if constants:
        values = r",\ ".join(rf"{name_tex(k)} = {v}" for k, v in constants.items())
        body += rf"\qquad {values}"
    return body


def name_tex(name: str) -> str:
    """A parameter name in LaTeX: ``w_out`` as w with the subscript "out", as it is read.

    A bare ``_`` in LaTeX starts a subscript of one character (``w_out`` came out as w sub o,
    followed by "ut"), so the first inner ``_`` becomes a subscript of the whole rest and any
    other ``_`` is printed as itself.
    """
    base, _, rest = name.partition("_")
    if base and rest:
        return rf"\mathit{{{base}}}_{{\mathit{{{_escape(rest)}}}}}"
    return rf"\mathit{{{_escape(name)}}}"


def _escape(text: str) -> str:
    return text.replace("_", r"\_")


def _tex(node: tuple, outer: int) -> str:
    kind = node[0]
    if kind == "num":
        return _number(node[1])
    if kind == "r":
        return "r"
    if kind == "name":
        return name_tex(node[1])
    if kind == "neg":
        inner = "-" + _tex(node[1], 3)
        return rf"\left({inner}\right)" if outer > 1 else inner
    if kind == "cmp":
        ops = {"<": "<", "<=": r"\le", ">": ">", ">=": r"\ge", "==": "=", "!=": r"\ne"}
        parts = [_tex(node[2][0], 1)]
        for op, child in zip(node[1], node[2][1:], strict=False):
            parts += [ops[op], _tex(child, 1)]
        return " ".join(parts)
    if kind == "bin":
        op = node[1]
        level = _PRECEDENCE[op]
        if op == "/":
            return rf"\frac{{{_tex(node[2], 0)}}}{{{_tex(node[3], 0)}}}"
        if op == "**":
            return rf"{{{_tex(node[2], 5)}}}^{{{_tex(node[3], 0)}}}"
        right_level = level + 1 if op == "-" else level
        sign = {"+": "+", "-": "-", "*": r"\,"}[op]
        inner = f"{_tex(node[2], level)} {sign} {_tex(node[3], right_level)}"
        return rf"\left({inner}\right)" if outer > level else inner
    name, args = node[1], [_tex(a, 0) for a in node[2]]
    if name == "abs":
        return rf"\left|{args[0]}\right|"
    if name == "sqrt":
        return rf"\sqrt{{{args[0]}}}"
    return rf"{_LATEX_FUNCTIONS[name]}\left({', '.join(args)}\right)"


RESIDUAL = r"r = y - \theta"

CURVE_LABELS = {
    "loss": r"\ell(r)",
    "density": r"p(r) = e^{-\ell(r)} / Z",
    "derivative": r"\ell'(r)",
}


def band_label(data: SceneData) -> str:
    """The label of Huber's band around theta; says so when delta adapts to the data."""
    if getattr(data.spec.loss, "delta", None) == "auto":
        return rf"\pm\delta,\ \delta = {_number(data.loss_params['delta'])}\ \text{{(adaptive)}}"
    return r"\pm\delta"
