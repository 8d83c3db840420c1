"""The one promise: a spec that ``check`` accepts computes and renders; anything else is exit 2.

Hypothesis writes scene specs of every kind (loss, clipping, influence) and every loss, formulas
included, with random observations, ranges, texts and short timings, some of them outside the
limits. ``check`` decides: an accepted spec must ``compute`` (exit 0, JSON without NaN or
infinity); a refused one must give exit 2 with ``FILE:LINE:COLUMN: error:`` on every line.
``check`` and ``compute`` run in this process (``scenes.cli.main``) so many examples stay cheap;
a handful of accepted specs are rendered through the real CLI at low quality (``slow``) and must
give a video with the frame count of their timeline (``script --json``).
"""

import json
import re
from pathlib import Path

import av
import pytest
from helpers import run_cli
from hypothesis import HealthCheck, Phase, assume, event, given, settings
from hypothesis import strategies as st

from scenes.cli import main

POSITION = re.compile(r"^.+:\d+:\d+: error: .+$")
LOW_FPS = 15

# --------------------------------------------------------------------------------------------------
# Strategies: YAML text of a scene spec, mostly inside the limits, sometimes outside.

FINITE = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
HOSTILE_NUMBER = st.sampled_from([0.0, -1.0, 1e-13, 2e15, -2e15, 1e300])


def sometimes(hostile: bool, valid: st.SearchStrategy, bad: st.SearchStrategy):
    """Mostly ``valid``; one draw in twenty from ``bad`` when hostile (specs have many fields,
    and one bad field is enough to refuse the spec: half of them should still pass check)."""
    if not hostile:
        return valid
    return st.integers(0, 19).flatmap(lambda roll: bad if roll == 0 else valid)


def number(hostile: bool, valid: st.SearchStrategy[float]) -> st.SearchStrategy[float]:
    """A number from ``valid``; now and then, when hostile, one that a limit may refuse."""
    return sometimes(hostile, valid, HOSTILE_NUMBER)


POSITIVE = st.floats(1e-3, 1e3)

SAFE_TEXTS = st.sampled_from(
    [
        "Done.",
        "Lecturer's view: {r} <b>bold</b> & more",
        "θ settles -- near the median.",
        "First line\n\nafter a blank line",
        "-->",
        "Émilie's 😀 loss",
        "x" * 200,
    ]
)
BAD_TEXTS = st.sampled_from(
    [
        "   ",
        "a\x00b",  # a control character: check refuses it at the field
        "y" * 501,
    ]
)

EXPRS = st.sampled_from(
    [
        ("a * log(cosh(r / a))", "{a: 1.5}"),
        ("r**2 / 2", "{}"),
        ("sqrt(1 + r**2) - 1", "{}"),
        ("abs(r) + w_out * r**2", "{w_out: 0.5}"),
        ("log(cosh(r))", "{}"),
        ("1 - exp(-r**2 / (2 * s**2))", "{s: 2.0}"),
        ("-r**2", "{}"),  # unbounded below: refused
        ("exp(10 * r)", "{}"),  # no minimum within reach: refused
        ("lambda * r**2", "{lambda: 1.0}"),  # reserved word: refused
        ("r ** ", "{}"),  # syntax: refused
        ("__import__('os')", "{}"),  # not a formula: refused
    ]
)


@st.composite
def loss_block(draw, hostile: bool) -> str:
    name = draw(
        st.sampled_from(
            [
                "l2",
                "l1",
                "huber",
                "pseudo_huber",
                "log_cosh",
                "cauchy",
                "tukey",
                "trimmed",
                "quantile",
                "epsilon_insensitive",
                "expr",
            ]
        )
    )
    if name == "huber":
        delta = draw(st.one_of(st.just("auto"), number(hostile, POSITIVE).map(repr)))
        return f"{{name: huber, delta: {delta}}}"
    if name == "pseudo_huber":
        return f"{{name: pseudo_huber, delta: {draw(number(hostile, POSITIVE))!r}}}"
    if name in ("cauchy", "tukey", "trimmed"):
        return f"{{name: {name}, c: {draw(number(hostile, POSITIVE))!r}}}"
    if name == "quantile":
        tau = draw(number(hostile, st.floats(0.001, 0.999)))
        return f"{{name: quantile, tau: {tau!r}}}"
    if name == "epsilon_insensitive":
        return f"{{name: epsilon_insensitive, epsilon: {draw(number(hostile, st.floats(0, 5)))!r}}}"
    if name == "expr":
        expr, params = draw(EXPRS)
        return f"{{name: expr, expr: {json.dumps(expr)}, params: {params}}}"
    return f"{{name: {name}}}"


@st.composite
def observations(draw, hostile: bool) -> str:
    if draw(st.booleans()):
        dist = draw(st.sampled_from(["normal", "uniform", "laplace", "student_t"]))
        n = draw(st.integers(1, 40))
        seed = draw(st.integers(0, 1000))
        outliers = draw(st.lists(FINITE, max_size=2))
        return f"{{sample: {{n: {n}, seed: {seed}, dist: {dist}, outliers: {outliers!r}}}}}"
    center = draw(st.sampled_from([0.0, 5.0, -300.0, 1e6]))
    spread = draw(st.sampled_from([0.0, 1e-6, 1.0, 10.0]))
    units = draw(st.lists(st.floats(-1, 1), min_size=1, max_size=10))
    values = [center + spread * u for u in units]
    if hostile and draw(st.integers(0, 19)) == 0:
        values = draw(st.sampled_from([[], [float("nan")], [2e15]]))
    return f"{{values: {json.dumps(values)}}}"


def timing_value(hostile: bool) -> st.SearchStrategy[float]:
    # 1e-9 is a valid timing: the beat lasts the minimum instead (issue 13: zero-length cues).
    short = st.sampled_from([0.1, 0.2, 0.3, 1e-9])
    return sometimes(hostile, short, st.sampled_from([1e-9, 0.0, -1.0]))


@st.composite
def timing(draw, beats: tuple[str, ...], hostile: bool) -> str:
    values = {beat: draw(timing_value(hostile)) for beat in beats}
    return "timing: {" + ", ".join(f"{k}: {v!r}" for k, v in values.items()) + "}\n"


@st.composite
def narration(draw, beats: tuple[str, ...], hostile: bool) -> str:
    """Short narration (beats last as long as their words take to read): one or two beats."""
    texts = sometimes(hostile, SAFE_TEXTS, BAD_TEXTS)
    chosen = draw(st.lists(st.sampled_from(beats), min_size=1, max_size=2, unique=True))
    # The hold beat says the computed result unless told otherwise: keep it short.
    if "hold" not in chosen:
        chosen.append("hold")
    lines = {beat: draw(texts) for beat in chosen}
    return "narration: {" + ", ".join(f"{k}: {json.dumps(v)}" for k, v in lines.items()) + "}\n"


@st.composite
def head(draw, hostile: bool) -> str:
    name = draw(
        sometimes(
            hostile,
            st.sampled_from(["Promise", "PromiseScene2"]),
            st.sampled_from(["lower", "A" * 65]),
        )
    )
    text = f"scene: {name}\n"
    if draw(st.booleans()):
        title = draw(sometimes(hostile, SAFE_TEXTS, BAD_TEXTS))
        text += f"title: {json.dumps(title)}\n"
    return text


LOSS_BEATS = ("intro", "curve", "data", "estimate", "arrival", "hold")
LOSS_NARRATION = ("intro", "loss", "density", "derivative", "data", "estimate", "arrival")


@st.composite
def loss_scene(draw, hostile: bool) -> str:
    lo = draw(number(hostile, st.floats(-1e3, 1e3)))
    width = draw(st.sampled_from([1e-3, 1.0, 10.0, 1e4]))
    show = draw(
        st.lists(st.sampled_from(["loss", "density", "derivative"]), min_size=1, unique=True)
    )
    start = draw(st.one_of(st.none(), number(hostile, FINITE)))
    steps = draw(st.integers(1, 300))
    target = draw(st.sampled_from(["auto", "mean", "median", "numeric"]))
    estimate = f"{{steps: {steps}, target: {target}" + (
        f", start: {start!r}}}" if start is not None else "}"
    )
    return (
        draw(head(hostile))
        + f"loss: {draw(loss_block(hostile))}\n"
        + f"curves: {{x_range: [{lo!r}, {lo + width!r}], show: {show}}}\n"
        + f"observations: {draw(observations(hostile))}\n"
        + f"estimate: {estimate}\n"
        + draw(narration(LOSS_NARRATION, hostile))
        + draw(timing(LOSS_BEATS, hostile))
    )


@st.composite
def clipping_scene(draw, hostile: bool) -> str:
    point = st.tuples(FINITE, FINITE).map(list)
    points = draw(st.lists(point, min_size=1, max_size=6))
    return (
        draw(head(hostile))
        + "kind: clipping\n"
        + f"clip: {draw(number(hostile, POSITIVE))!r}\n"
        + f"observations: {draw(observations(hostile))}\n"
        + f"points: {json.dumps(points)}\n"
        + f"start: {json.dumps(draw(point))}\n"
        + f"steps: {draw(st.integers(1, 200))}\n"
        + draw(narration(("intro", "clip", "vectors", "descent"), hostile))
        + draw(timing(("intro", "clip", "vectors", "descent", "hold"), hostile))
    )


@st.composite
def influence_scene(draw, hostile: bool) -> str:
    a, b = draw(FINITE), draw(FINITE)
    return (
        draw(head(hostile))
        + "kind: influence\n"
        + f"observations: {draw(observations(hostile))}\n"
        + f"path: [{a!r}, {b!r}]\n"
        + f"frames: {draw(st.integers(2, 60))}\n"
        + f"delta: {draw(number(hostile, POSITIVE))!r}\n"
        + f"c: {draw(number(hostile, POSITIVE))!r}\n"
        + draw(narration(("intro", "move", "influence"), hostile))
        + draw(timing(("intro", "move", "influence", "hold"), hostile))
    )


KINDS = {"loss": loss_scene, "clipping": clipping_scene, "influence": influence_scene}


def any_scene(hostile: bool) -> st.SearchStrategy[str]:
    return st.one_of(*(kind(hostile) for kind in KINDS.values()))


# --------------------------------------------------------------------------------------------------
# Running the CLI in this process


def cli(capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def write_spec(folder: Path, text: str) -> Path:
    spec = folder / "promise.yaml"
    spec.write_text(text, encoding="utf-8")
    return spec


def reject_non_finite(constant: str) -> float:
    raise AssertionError(f"compute printed {constant}")


def assert_refused_with_positions(code: int, err: str, text: str) -> None:
    assert code == 2, (text, err)
    lines = err.strip().splitlines()
    assert lines, text
    # Every problem is one line at a position; a closing count of the left-off problems may follow.
    problems = [line for line in lines if not line.startswith("... ")]
    assert all(POSITION.match(line) for line in problems), (text, err)


# --------------------------------------------------------------------------------------------------
# The promise, in-process: check accepts => compute works; check refuses => exit 2 at a position


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=any_scene(hostile=True))
def test_what_check_accepts_computes_and_the_rest_is_refused_at_a_position(text, tmp_path, capsys):
    spec = write_spec(tmp_path, text)
    code, _, err = cli(capsys, "check", str(spec))
    event("refused" if code else "accepted")
    if code != 0:
        assert_refused_with_positions(code, err, text)
        return
    code, out, err = cli(capsys, "compute", str(spec))
    assert code == 0, (text, err)
    json.loads(out, parse_constant=reject_non_finite)
    code, out, err = cli(capsys, "script", "--json", str(spec))
    assert code == 0, (text, err)
    assert all(row["seconds"] > 0 for row in json.loads(out))


# --------------------------------------------------------------------------------------------------
# The promise, rendered: a few accepted specs through the real CLI at low quality


def frame_count(video: Path) -> int:
    with av.open(str(video)) as container:
        return sum(1 for _ in container.decode(video=0))


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
@settings(
    max_examples=1,
    deadline=None,
    # A failure here is one render per shrink step: report the first example as drawn.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.filter_too_much,
    ],
)
@given(data=st.data())
def test_what_check_accepts_renders_with_the_frames_of_its_timeline(
    kind, data, tmp_path_factory, capsys
):
    text = data.draw(KINDS[kind](hostile=False), label="spec")
    folder = tmp_path_factory.mktemp("promise")
    spec = write_spec(folder, text)
    code, _, _ = cli(capsys, "check", str(spec))
    assume(code == 0)
    code, out, err = cli(capsys, "script", "--json", str(spec))
    assert code == 0, err
    last = json.loads(out)[-1]
    # script prints times to the millisecond: the end is known to +- 1 ms (0.015 frames).
    end = last["start"] + last["seconds"]
    out_dir = folder / "Lecturer's out"
    result = run_cli("render", str(spec), "-q", "low", "-o", str(out_dir), "--quiet")
    assert result.returncode == 0, (text, result.stderr)
    scene = re.search(r"^scene: (\w+)$", text, re.MULTILINE)[1]
    # Each beat ends on the frame nearest its end in the timeline, so the video's length is the
    # timeline's to within half a frame.
    assert abs(frame_count(out_dir / f"{scene}.mp4") - end * LOW_FPS) <= 0.5 + 0.02, text
    # --quiet: nothing on stderr but our own warnings (no third-party log lines).
    assert all(line.startswith("warning: ") for line in result.stderr.splitlines()), result.stderr
    # Every subtitle cue lasts a while.
    srt = (out_dir / f"{scene}.srt").read_text(encoding="utf-8")
    spans = re.findall(
        r"^(\d\d):(\d\d):(\d\d),(\d{3}) --> (\d\d):(\d\d):(\d\d),(\d{3})$", srt, re.M
    )
    assert spans, srt
    for span in spans:
        h0, m0, s0, ms0, h1, m1, s1, ms1 = map(int, span)
        start = ((h0 * 60 + m0) * 60 + s0) * 1000 + ms0
        stop = ((h1 * 60 + m1) * 60 + s1) * 1000 + ms1
        assert stop - start >= 100, srt
