"""The formula language's one function table, and every back end that reads it.

Expected numbers come from numpy itself (the formula's numpy back end against numpy's own
functions, the JavaScript back end run by node against the numpy back end); expected LaTeX is the
text the drawing showed before the table existed (the output of the previous
``scenes/scene/formulas.py``).
"""

import json
import math
import re
import subprocess
import sys

import numpy as np
import pytest
from helpers import ROOT

from scenes.formula.functions import ARITY, FUNCTIONS, fill
from scenes.formula.javascript import to_javascript
from scenes.formula.language import ExprProblem, parse_expr
from scenes.formula.latex import to_latex
from scenes.formula.numpy_backend import evaluate
from scenes.spec.formula_names import FUNCTION_NAMES

# Formulas that call every function of the table and use every operator and comparison, with the
# constants they name. Each stays finite at the points below, except where noted.
FORMULAS = {
    "r**2 / 2": {},
    "abs(r) - 1": {},
    "sqrt(r**2 + 1) - 1": {},
    "exp(-r**2 / 2) * a": {"a": 1.5},
    "log(1 + r**2)": {},
    "log1p(r**2) / c": {"c": 0.3},
    "log(cosh(r / a)) * a**2": {"a": 2.0},
    "sinh(r) * tanh(r) - r": {},
    "minimum(abs(r), c) ** 2 / 2": {"c": 1.0},
    "maximum(0, abs(r) - w_out)": {"w_out": 0.5},
    "where(r > 0, sqrt(r), -r / 2)": {},
    "where(r, 1, 2) + (1 < r <= 2) - (r == 0) + (r != 1) * (r >= -1)": {},
    "-r ** 2 + (-r) ** 2 + 2 ** -r - -r": {},
    "r - (r - 1) - r / (r / 2 + 3)": {},
    "var * r + Math": {"var": 2.0, "Math": 0.25},  # JavaScript names a spec may still use
    "sqrt(r)": {},  # NaN for r < 0, in both languages
    "log(abs(r))": {},  # -inf at 0
}
POINTS = [-3.0, -1.0, -0.5, 0.0, 1e-9, 0.5, 1.0, 2.0, 7.25]


def test_the_table_has_the_spec_layers_names_in_order():
    assert tuple(FUNCTIONS) == FUNCTION_NAMES
    assert ARITY == {name: f.arity for name, f in FUNCTIONS.items()}
    assert all(f.name == name for name, f in FUNCTIONS.items())


def test_every_form_names_something_that_exists():
    import jax.numpy as jnp

    for function in FUNCTIONS.values():
        assert callable(getattr(np, function.numpy)), function.name
        assert callable(getattr(jnp, function.jax)), function.name
        # Each template uses exactly its arguments.
        for template in (function.latex, function.javascript):
            used = {int(k) for k in re.findall(r"#(\d)", template)}
            assert used == set(range(1, function.arity + 1)), (function.name, template)
        assert (function.slope is None) == (function.arity > 1), function.name


def test_the_parser_reads_the_arity_from_the_table():
    for name, function in FUNCTIONS.items():
        args = ", ".join(["r"] * function.arity)
        assert parse_expr(f"{name}({args})")[:2] == ("call", name)
        with pytest.raises(ExprProblem, match=rf"{name}\(\) takes {function.arity} argument"):
            parse_expr(f"{name}({args}, r)")
    with pytest.raises(ExprProblem, match="the functions are " + ", ".join(FUNCTION_NAMES)):
        parse_expr("cos(r)")


def test_fill_replaces_each_argument_once():
    assert fill(r"\min\left(#1, #2\right)", ["#2", "b"]) == r"\min\left(#2, b\right)"


@pytest.mark.parametrize("name", [n for n, f in FUNCTIONS.items() if f.arity == 1])
def test_numpy_back_end_is_numpys_function_with_its_slope(name):
    # Value: numpy's function; slope: the central difference (away from abs's kink at 0).
    r = (
        np.array([-0.7, -0.2, 0.3, 0.9, 1.7])
        if name not in ("sqrt", "log")
        else np.array([0.2, 0.5, 1.0, 3.0])
    )
    value, slope = evaluate(parse_expr(f"{name}(r)"), r, {})
    np.testing.assert_array_equal(value, getattr(np, name)(r))
    h = 1e-6
    numeric = (getattr(np, name)(r + h) - getattr(np, name)(r - h)) / (2 * h)
    np.testing.assert_allclose(slope, numeric, rtol=1e-6)


def test_importing_the_parser_imports_neither_numpy_nor_jax():
    code = (
        "import sys, scenes.formula.language as l; l.parse_expr('where(r > 0, exp(r), 0)');"
        "print(sorted(m for m in ('jax', 'numpy', 'scenes.maths') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


# --- LaTeX ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "latex"),
    [
        ("log(cosh(r))", r"\log\left(\cosh\left(r\right)\right)"),
        ("a * r**2", r"\mathit{a} \, {r}^{2}"),
        ("where(r > 0, sqrt(r), 0)", r"\operatorname{where}\left(r > 0, \sqrt{r}, 0\right)"),
        (
            "minimum(abs(r), c) ** 2 / 2",
            r"\frac{{\min\left(\left|r\right|, \mathit{c}\right)}^{2}}{2}",
        ),
        ("-r + exp(-r) - 1", r"-r + \exp\left(-r\right) - 1"),
        (
            "log1p(r**2) - tanh(r) * sinh(r) / cosh(r)",
            r"\operatorname{log1p}\left({r}^{2}\right) - "
            r"\frac{\tanh\left(r\right) \, \sinh\left(r\right)}{\cosh\left(r\right)}",
        ),
        (
            "maximum(0, abs(r) - w_out)",
            r"\max\left(0, \left|r\right| - \mathit{w}_{\mathit{out}}\right)",
        ),
        ("(r - 1) * (r + 2) - -r", r"\left(r - 1\right) \, \left(r + 2\right) - \left(-r\right)"),
        ("1 < r <= 2", r"1 < r \le 2"),
        ("r != 0", r"r \ne 0"),
        ("2 ** -r", r"{2}^{-r}"),
        ("(-r) ** 2", r"{\left(-r\right)}^{2}"),
        ("0.123456 * r", r"0.1235 \, r"),
    ],
)
def test_latex_back_end_writes_what_the_drawing_showed(text, latex):
    assert to_latex(parse_expr(text, frozenset({"a", "c", "w_out"}))) == latex


# --- JavaScript, run by node against numpy ----------------------------------------------------


def _node(script: str) -> str:
    result = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _same(js: float | None, py: float) -> bool:
    if js is None:  # JSON has no NaN or infinity: the script sends them as text
        return False
    if math.isnan(py) or math.isinf(py):
        return False
    return math.isclose(js, py, rel_tol=1e-12, abs_tol=1e-300)


def test_every_function_is_exercised_by_the_javascript_test():
    called = {node for text in FORMULAS for node in FUNCTION_NAMES if f"{node}(" in text}
    assert called == set(FUNCTION_NAMES)


def test_javascript_back_end_computes_what_numpy_computes():
    cases = []
    expected = []
    for text, constants in FORMULAS.items():
        tree = parse_expr(text, frozenset(constants))
        value, _ = evaluate(tree, np.array(POINTS), constants)
        cases.append({"by_name": to_javascript(tree), "inlined": to_javascript(tree, constants)})
        expected.append(np.broadcast_to(value, (len(POINTS),)).tolist())
    script = (
        f"const cases = {json.dumps(cases)}; const points = {json.dumps(POINTS)};"
        f"const constants = {json.dumps(list(FORMULAS.values()))};"
        "const show = (x) => (Number.isFinite(x) ? x : String(x));"
        "const out = cases.map((c, i) => ['by_name', 'inlined'].map((k) => {"
        "  const f = new Function('r', 'c', 'return ' + c[k]);"
        "  return points.map((r) => show(f(r, constants[i])));"
        "}));"
        "console.log(JSON.stringify(out));"
    )
    results = json.loads(_node(script))
    for (text, _), result, want in zip(FORMULAS.items(), results, expected, strict=True):
        for got in result:  # by name, then with the values written in
            for r, js, py in zip(POINTS, got, want, strict=True):
                if isinstance(js, str):  # NaN, Infinity, -Infinity
                    assert str(py).lower().replace("inf", "infinity") == js.lower(), (text, r)
                else:
                    assert _same(js, py), (text, r, js, py)


def test_javascript_is_one_expression_with_constants_read_from_an_object():
    tree = parse_expr("maximum(0, abs(r) - var)", frozenset({"var"}))
    assert to_javascript(tree) == 'Math.max(0.0, (Math.abs(r) - c["var"]))'
    assert to_javascript(tree, {"var": -0.5}) == "Math.max(0.0, (Math.abs(r) - (-0.5)))"


def test_readme_lists_the_tables_functions():
    # The README's list of the language is not generated: this keeps it in step with the table.
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert " ".join(FUNCTION_NAMES) in text
