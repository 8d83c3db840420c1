"""The ``expr`` loss as a spec: hostile or broken formulas are clean spec errors at loss.expr.

Positions: the formula is on line 4 of every spec below, its value starting at column 9.
"""

import pytest
from helpers import run_cli

from scenes.compute.resolve import parse_resolved
from scenes.formula.language import MAX_DEPTH, parse_expr
from scenes.spec import SpecError


def spec(expr: str, params: str = "") -> str:
    return (
        "scene: Formula\n"
        "loss:\n"
        "  name: expr\n"
        f"  expr: {expr}\n"
        f"{params}"
        "observations: {values: [1, 2, 3]}\n"
    )


def problems(text: str) -> list[str]:
    with pytest.raises(SpecError) as caught:
        parse_resolved(text, "f.yaml")
    return [str(p) for p in caught.value.problems]


NESTED = "(" * 60 + "r" + ")" * 60
DEEP = "-" * (MAX_DEPTH + 5) + "r"
DEEP_CALLS = "abs(" * 40 + "r" + ")" * 40


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("\"__import__('os').system('x')\"", "cannot call"),
        ('"r.real"', "attribute access"),
        ('"(lambda x: x)(r)"', "cannot call 'this'"),
        ('"lambda: r"', "lambda is not allowed"),
        ('"[r for r in (1, 2)][0]"', "indexing"),
        ('"sum(x for x in (r,))"', "cannot call 'sum'"),
        ('"{r: 1 for r in (1,)}"', "comprehensions"),
        ('"(r, r)[0]"', "indexing"),
        ("\"f'{r}'\"", "f-strings"),
        ('"r if r > 0 else -r"', "write where(c, a, b)"),
        ('"r and 1"', "and/or"),
        ("\"exec('1')\"", "cannot call 'exec'"),
        ('"r @ r"', "only + - * / **"),
        ('"r // 2"', "only + - * / **"),
        ('"x * r"', "unknown name 'x'"),
        ('"abs"', "abs is a function"),
        ('"sqrt(r, 2)"', "sqrt() takes 1 argument, got 2"),
        ('"where(r > 0, r)"', "where() takes 3 arguments, got 2"),
        ('"exp(x=r)"', "no keywords"),
        ("\"'text'\"", "only numbers"),
        ('"True * r"', "only numbers"),
        ('"r +"', "not a formula"),
        ('"1e999 * r"', "too large"),
        (f'"{DEEP}"', f"more than {MAX_DEPTH} operations deep"),
        (f'"{DEEP_CALLS}"', f"more than {MAX_DEPTH} operations deep"),
        ('"' + "r + " * 300 + 'r"', "at most 500 characters"),
        ('"' + "r" * 1001 + '"', "at most 500 characters"),
        ('"sqrt(r)"', "not finite at r = -5"),
        ('"log(abs(r))"', "not finite at r = 0"),
        ('"exp(r**5)"', "not finite at r = 3.72"),
        ('"abs(r)**0.5"', "has no finite derivative at r = 0"),
        ('"r / r"', "not finite at r = 0"),
    ],
)
def test_bad_formula_is_a_spec_error_at_the_formula(expr, message):
    lines = problems(spec(expr))
    assert len(lines) == 1, lines
    assert lines[0].startswith("f.yaml:4:9: error: loss.expr: "), lines[0]
    assert message in lines[0], lines[0]


def test_nested_parentheses_are_fine_and_deep_parser_nesting_is_clean():
    # Parentheses alone add no operations.
    parse_expr(NESTED)
    lines = problems(spec('"' + "(" * 240 + "r" + ")" * 240 + '"'))
    assert lines[0].startswith("f.yaml:4:9: error: loss.expr:"), lines


def test_constants_come_from_params():
    ok = parse_resolved(spec('"a * r**2 + b"', "  params: {a: 0.5, b: 1}\n"), "f.yaml")
    assert ok.loss.params() == {"expr": "a * r**2 + b", "a": 0.5, "b": 1.0}
    lines = problems(spec('"a * r**2 + c"', "  params: {a: 0.5, b: 1}\n"))
    assert lines == [
        "f.yaml:4:9: error: loss.expr: unknown name 'c'; use r, a, b (add constants under params)"
    ]


def test_safe_formulas_pass():
    for text in (
        '"log(cosh(r))"',
        '"where(r > 0, sqrt(r), -r)"',
        '"minimum(r**2, 4)"',
        '"0 < r < 1"',
        '"-r * -(r + 1)"',
        '"maximum(0.3 * r, -0.7 * r)"',
    ):
        parse_resolved(spec(text), "f.yaml")


def test_cli_check_reports_payload_and_runs_nothing(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "bad.yaml"
    path.write_text(spec(f"\"__import__('os').system('touch {marker}')\""))
    result = run_cli("check", str(path))
    assert result.returncode == 2
    assert result.stderr.startswith(f"{path}:4:9: error: loss.expr: cannot call")
    assert "Traceback" not in result.stderr
    assert not marker.exists()
    result = run_cli("compute", str(path))
    assert result.returncode == 2 and result.stdout == ""


# --- names: reserved words, and underscores in LaTeX --------------------------------------------


@pytest.mark.parametrize("word", ["lambda", "if", "in", "is", "not", "for", "class", "yield"])
def test_reserved_words_are_refused_by_name_not_as_invalid_syntax(word):
    [line] = problems(spec(f'"{word} * r**2"', f"  params: {{{word}: 2}}\n"))
    assert line.startswith(f"f.yaml:5:{14 + len(word)}: error: loss.params.{word}: "), line
    assert f"'{word}' is a reserved word" in line and f"{word}_" in line
    # Without params the formula itself says so, at the formula.
    [line] = problems(spec(f'"{word} * r**2"'))
    assert line.startswith("f.yaml:4:9: error: loss.expr: "), line
    assert f"'{word}' is a reserved word" in line and "invalid syntax" not in line


def test_names_with_underscores_typeset_as_subscripts():
    from manim import MathTex

    from scenes.scene.formulas import expr_latex, name_tex

    assert name_tex("w_out") == r"\mathit{w}_{\mathit{out}}"
    assert name_tex("a_b_c") == r"\mathit{a}_{\mathit{b\_c}}"
    assert name_tex("_a") == r"\mathit{\_a}" and name_tex("a_") == r"\mathit{a\_}"
    # Through LaTeX: w is followed by the three letters of "out", all lowered as a subscript
    # (a bare w_out set only the o as subscript and "ut" back on the baseline).
    w, o, u, t = MathTex(name_tex("w_out"))[0]
    for letter in (o, u, t):
        assert letter.get_bottom()[1] < w.get_bottom()[1] - 0.02
        assert letter.height < 0.9 * w.height or letter is t
    # The whole formula with such names compiles, parameters and values included.
    formula = MathTex(expr_latex("w_out * r**2 + b_ + _c", {"w_out": "2", "b_": "1", "_c": "0"}))
    assert len(formula[0]) > 10


# --- formulas that are finite on the plot but not where the descent goes ----------------------

DATA = "observations: {values: [0, 300, 800]}\n"


@pytest.mark.parametrize(
    ("expr", "values", "message"),
    [
        ('"-r**2"', "[0, 1, 2]", "finds no minimum"),
        ('"exp(10*r)"', "[0, 1, 2]", "finds no minimum"),
        ('"log(cosh(r))"', "[0, 300, 800]", "not finite at r = 1066.67"),
        ('"exp(10*r)"', "[0, 300, 800]", "not finite at r = 266.667"),
    ],
)
def test_formulas_that_would_not_compute_fail_in_check(tmp_path, expr, values, message):
    path = tmp_path / "f.yaml"
    path.write_text(spec(expr).replace("[1, 2, 3]", values))
    result = run_cli("check", str(path))
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(f"{path}:4:9: error: loss.expr: "), line
    assert message in line and result.stdout == ""


def test_compute_and_render_refuse_such_a_formula_the_same_way(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text(spec('"-r**2"'))
    out = tmp_path / "out"
    for command in (["compute"], ["render", "-q", "low", "-o", str(out)]):
        result = run_cli(command[0], str(path), *command[1:])
        assert result.returncode == 2, (command, result.stderr)
        assert result.stderr.startswith(f"{path}:4:9: error: loss.expr: the descent finds no ")
    assert not out.exists()


def test_formulas_that_compute_pass_check_and_compute(tmp_path):
    # The same data with formulas that stay finite: what check accepts, compute computes
    # (compute loads the spec as check does, so its exit 0 says both).
    path = tmp_path / "f.yaml"
    for expr in ('"log1p(r**2)"', '"log(cosh(r / 1000))"'):
        path.write_text(spec(expr).replace("[1, 2, 3]", "[0, 300, 800]"))
        result = run_cli("compute", str(path))
        assert result.returncode == 0, result.stderr
