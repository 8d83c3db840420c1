"""How each loss and curve is written as mathematics (LaTeX for MathTex)."""

from scenes.compute import SceneData


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
        return (
            r"\ell(r) = \begin{cases} \tfrac{1}{2} r^2 & |r| \le \delta \\"
            r" \delta\,(|r| - \tfrac{1}{2}\delta) & |r| > \delta \end{cases}"
            rf"\qquad \delta = {delta}"
        )
    raise ValueError(f"no formula for loss {name!r}")


RESIDUAL = r"r = y - \theta"

CURVE_LABELS = {
    "loss": r"\ell(r)",
    "density": r"p(r) = e^{-\ell(r)} / Z",
    "derivative": r"\ell'(r)",
}
