"""Spec texts shared by the spec, command-line and schema tests: the spec-v1 example, the
smallest valid spec, and the table of bad specs with the exact message each must give."""

# The example of spec-v1 section 3, verbatim apart from the commented-out line.
SPEC_V1_EXAMPLE = """\
scene: HuberLoss            # required; CamelCase identifier
title: "Huber's robust loss" # optional on-screen title
loss:
  name: huber               # required
  delta: 1.0                # huber only
curves:
  x_range: [-5, 5]
  y_range: [-1.5, 3.5]
  show: [loss, density, derivative]
  colors: {loss: BLUE, density: GREEN, derivative: ORANGE}
observations:               # exactly one of values / sample
  values: [-1.8, -0.6, -0.2, 0.1, 0.4, 0.9, 1.3, 6.0]
  # sample: {n: 9, seed: 3, dist: normal, loc: 0.0, scale: 1.0, outliers: [7.5]}
estimate:
  start: -4.0
  steps: 60
  target: auto
narration:
  loss: "The blue curve is one half of y minus y hat, squared."
  density: "..."
  derivative: "..."
  estimate: "..."
timing:
  curve: 2.0
  estimate: 6.0
  hold: 1.0
"""


MINIMAL = """\
scene: L2Loss
loss:
  name: l2
observations:
  values: [1, 2, 4]
"""


V = "observations:\n  values: [1, 2, 3]\n"


HEAD = "scene: A\nloss: {name: l2}\n"


BAD = [
    # (id, text, line, column, fragment)
    (
        "unknown key with did-you-mean",
        "scene: A\nloss: {name: l2}\nobservation:\n  values: [1]\n",
        3,
        1,
        "observation: unknown key; did you mean 'observations'?",
    ),
    (
        "unknown nested key",
        "scene: A\nloss:\n  name: huber\n  detla: 2\n" + V,
        4,
        3,
        "loss.detla: unknown key; did you mean 'delta'?",
    ),
    (
        "parameter of a loss without parameters",
        "scene: A\nloss:\n  name: l2\n  delta: 2\n" + V,
        4,
        3,
        "the l2 loss takes no parameters",
    ),
    ("duplicate key at the second one", HEAD + V + "scene: B\n", 5, 1, "duplicate key 'scene'"),
    (
        "quoted number",
        "scene: A\nloss:\n  name: huber\n  delta: '1.0'\n" + V,
        4,
        10,
        "loss.delta: expected a number > 0 (at least 1e-12, at most 1e15) or 'auto', "
        "got the string '1.0'",
    ),
    (
        "boolean as number",
        HEAD + "estimate:\n  start: true\n" + V,
        4,
        10,
        "estimate.start: expected a number, got the boolean true",
    ),
    (
        "quoted observation",
        HEAD + "observations:\n  values: [1, '2', 3]\n",
        4,
        15,
        "observations.values[1]: expected a number, got the string '2' (remove the quotes",
    ),
    (
        "nan",
        HEAD + "observations:\n  values: [1, .nan]\n",
        4,
        15,
        "observations.values[1]: expected a finite number",
    ),
    (
        "inf",
        HEAD + "observations:\n  values: [-.inf, 1]\n",
        4,
        12,
        "observations.values[0]: expected a finite number",
    ),
    (
        "overflowing exponent",
        HEAD + "estimate: {start: 1e400}\n" + V,
        3,
        19,
        "estimate.start: expected a finite number",
    ),
    (
        "missing scene points at the top mapping",
        "# a comment\n\nloss: {name: l2}\n" + V,
        3,
        1,
        "scene: required key is missing; for example `scene: HuberLoss`",
    ),
    (
        "missing loss.name points at the loss mapping",
        "scene: A\nloss:\n  delta: 1.0\n" + V,
        3,
        3,
        "loss.name: required key is missing; one of l2, l1, huber",
    ),
    (
        "unknown loss name lists valid names",
        "scene: A\nloss: {name: hubr}\n" + V,
        2,
        14,
        "loss.name: unknown loss 'hubr'; did you mean 'huber'? (valid names: l2, l1, huber,",
    ),
    ("empty file", "", 1, 1, "the file is empty"),
    ("comment-only file", "# nothing here\n\n# at all\n", 1, 1, "the file is empty"),
    ("python tag refused", "scene: !!python/object:os.system x\n", 1, 8, "!!python/object"),
    ("python/name tag refused", "scene: !!python/name:os.system ''\n", 1, 8, "is not allowed"),
    ("tabs", "scene: A\nloss:\n\tname: l2\n" + V, 3, 1, "use spaces"),
    ("syntax error", "scene: A\nloss: {name: l2\n" + V, 3, 13, "YAML syntax error"),
    (
        "bad colour name",
        HEAD + "curves:\n  colors: {loss: bleu}\n" + V,
        4,
        18,
        "curves.colors.loss: expected a Manim colour name",
    ),
    (
        "unquoted hex colour is a comment",
        HEAD + "curves:\n  colors:\n    loss: #58c4dd\n" + V,
        5,
        10,
        "quote hex colours",
    ),
    (
        "short hex colour",
        HEAD + "curves:\n  colors: {density: '#fff'}\n" + V,
        4,
        21,
        "curves.colors.density: expected a Manim colour name",
    ),
    (
        "x_range lo >= hi",
        HEAD + "curves:\n  x_range: [5, 5]\n" + V,
        4,
        12,
        "curves.x_range: expected [lo, hi] with lo < hi",
    ),
    (
        "x_range with one number",
        HEAD + "curves:\n  x_range: [5]\n" + V,
        4,
        12,
        "curves.x_range: expected 2 numbers [lo, hi]",
    ),
    (
        "y_range with three numbers",
        HEAD + "curves:\n  y_range: [1, 2, 3]\n" + V,
        4,
        12,
        "curves.y_range: expected 2 numbers [lo, hi]",
    ),
    (
        "curve listed twice",
        HEAD + "curves:\n  show: [loss, loss]\n" + V,
        4,
        9,
        "'loss' is listed twice",
    ),
    (
        "unknown curve",
        HEAD + "curves:\n  show: [loss, dens]\n" + V,
        4,
        16,
        "curves.show[1]: expected one of loss, density, derivative, got the string 'dens'; "
        "did you mean 'density'?",
    ),
    (
        "both values and sample",
        HEAD + "observations:\n  values: [1]\n  sample: {n: 3}\n",
        4,
        3,
        "observations: give exactly one of `values` or `sample`, not both",
    ),
    (
        "neither values nor sample",
        HEAD + "observations: {}\n",
        3,
        15,
        "observations: give exactly one of `values`",
    ),
    (
        "zero observations",
        HEAD + "observations:\n  values: []\n",
        4,
        11,
        "observations.values: expected at least 1 item",
    ),
    (
        "1001 observations",
        HEAD + "observations:\n  values: [" + ", ".join(["0"] * 1001) + "]\n",
        4,
        11,
        "observations.values: expected at most 1000 items, got a list of 1001 items",
    ),
    (
        "sample too large with outliers",
        HEAD + "observations:\n  sample: {n: 1000, outliers: [9]}\n",
        4,
        11,
        "at most 1000 observations",
    ),
    (
        "df without student_t",
        HEAD + "observations:\n  sample: {n: 3, df: 2}\n",
        4,
        11,
        "df applies only to dist: student_t",
    ),
    (
        "steps 0",
        HEAD + "estimate: {steps: 0}\n" + V,
        3,
        19,
        "estimate.steps: expected a number >= 1",
    ),
    (
        "steps not whole",
        HEAD + "estimate: {steps: 60.5}\n" + V,
        3,
        19,
        "estimate.steps: expected a whole number, got the number 60.5",
    ),
    (
        "target misspelt",
        HEAD + "estimate: {target: meen}\n" + V,
        3,
        20,
        "estimate.target: expected one of auto, mean, median, huber, quantile, epsilon, numeric, "
        "got the string 'meen'; "
        "did you mean 'mean'?",
    ),
    (
        "scene not CamelCase",
        "scene: huber_loss\nloss: {name: l2}\n" + V,
        1,
        8,
        "scene: expected a CamelCase name",
    ),
    ("scene too long", "scene: A" + "b" * 64 + "\nloss: {name: l2}\n" + V, 1, 8, "at most 64"),
    (
        "loss written as a bare name",
        "scene: A\nloss: huber\n" + V,
        2,
        7,
        "loss: expected a mapping",
    ),
    ("top level is a list", "- scene: A\n", 1, 1, "expected a mapping"),
    (
        "negative timing",
        HEAD + "timing: {curve: -1}\n" + V,
        3,
        17,
        "timing.curve: expected a number > 0",
    ),
    (
        "video too long",
        HEAD + "timing:\n  estimate: 590\n  curve: 3\n" + V,
        4,
        3,
        # 1 + 3 x 3 + 1 + 590 + 2 + 1 s of beats, and the default pauses: 3 x 1 (curves),
        # 1 (data), 1.5 (arrival), 1.5 (hold).
        "timing: the scene would last 611 s",
    ),
    (
        "narration too long",
        HEAD + "narration: {loss: '" + "x" * 501 + "'}\n" + V,
        3,
        19,
        "narration.loss: expected at most 500 characters, got 501",
    ),
    (
        "quantile tau out of range",
        "scene: A\nloss: {name: quantile, tau: 1}\n" + V,
        2,
        29,
        "loss.tau: expected a number < 1, got the number 1",
    ),
    (
        "expr constant named r",
        "scene: A\nloss: {name: expr, expr: 'r', params: {r: 1}}\n" + V,
        2,
        43,
        "loss.params.r: 'r' cannot name a parameter",
    ),
    (
        "non-string key",
        HEAD + V + "1: one\n",
        5,
        1,
        "keys must be names",
    ),
    ("anchor refused", HEAD + "title: &t x\n" + V, 3, 8, "anchors (&t) are not allowed"),
    ("control character", "scene: A\x07\n", 1, 9, "a character YAML does not allow (U+0007)"),
    ("second document", HEAD + V + "---\nscene: B\n", 5, 1, "found another document"),
    ("deep nesting", "title: " + "[" * 40 + "]" * 40 + "\n", 1, 39, "nested more than 32"),
    ("huge integer", "title: " + "9" * 5000 + "\n", 1, 8, "this integer is too long"),
]
