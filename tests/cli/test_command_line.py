"""The command line contract (spec section 6 and 7), run as a user would, in subprocesses."""

import json
import re

import numpy as np
import pytest
from helpers import CONFIG, ROOT, run_cli

ERROR_LINE = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<column>\d+): error: (?P<message>.+)$")


def test_check_accepts_every_config_spec():
    result = run_cli("check", *sorted(str(p) for p in CONFIG.glob("*.yaml")))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("text", "line", "column", "fragment"),
    [
        (
            "scene: Bad\nloss: {name: l2}\nobservations: {values: [1, 2]}\ncurvs: {}\n",
            4,
            1,
            "did you mean 'curves'",
        ),
        (
            "scene: Bad\nloss: {name: huber, delta: '1.0'}\nobservations: {values: [1]}\n",
            2,
            28,
            "loss.delta",
        ),
        (
            "scene: Bad\nloss:\n  name: l2\nobservations:\n  values: [1, 2]\n"
            "estimate: {steps: 0}\n",
            6,
            19,
            "estimate.steps",
        ),
    ],
)
def test_invalid_spec_exit_2_with_position(tmp_path, text, line, column, fragment):
    spec = tmp_path / "bad.yaml"
    spec.write_text(text)
    out = tmp_path / "out"
    for command in (
        ["check", str(spec)],
        ["compute", str(spec)],
        ["render", str(spec), "-q", "low", "-o", str(out)],
    ):
        result = run_cli(*command)
        assert result.returncode == 2, (command, result.stderr)
        assert "Traceback" not in result.stderr
        assert result.stdout == ""
        errors = [ERROR_LINE.match(row) for row in result.stderr.splitlines()]
        assert errors and all(errors), result.stderr
        first = errors[0]
        assert first["file"] == str(spec)
        assert (int(first["line"]), int(first["column"])) == (line, column), result.stderr
        assert fragment in first["message"]
    assert not out.exists(), "an invalid spec must write nothing"


def test_bad_option_is_exit_2():
    result = run_cli("render", "-q", "ultra")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_compute_json_contract():
    result = run_cli("compute", str(CONFIG / "huber.yaml"))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["scene"] == "HuberLoss"
    assert data["loss"] == {"name": "huber", "delta": 1.0}
    steps = 100
    assert len(data["trajectory"]) == steps + 1 and len(data["step_sizes"]) == steps
    assert data["estimate"] == data["trajectory"][-1]
    x = data["curves"]["x"]
    assert x[0] == -5.0 and x[-1] == 5.0
    assert len(x) == len(data["curves"]["loss"]) == len(data["curves"]["density"])
    # Spec section 7's example numbers, by hand: mean 6.1 / 8, median (0.1 + 0.4) / 2, Huber and
    # trimmed mean 1.9 / 6 (one point clipped on each side).
    refs = data["references"]
    assert refs["mean"] == pytest.approx(0.7625, abs=1e-12)
    assert refs["median"] == pytest.approx(0.25, abs=1e-12)
    assert refs["huber"] == pytest.approx(1.9 / 6, abs=1e-12)
    assert refs["trimmed_mean"] == pytest.approx(1.9 / 6, abs=1e-12)
    assert data["target"] == {"name": "huber", "value": pytest.approx(1.9 / 6, abs=1e-12)}
    assert data["estimate"] == pytest.approx(1.9 / 6, abs=1e-9)
    assert data["curves"]["normalizer"] == pytest.approx(2.9021, abs=1e-4)
    # Every step obeys theta' = theta + eta * mean(clip(y - theta, -1, 1)) (numpy, by hand).
    y = np.array(data["observations"])
    for t, eta in enumerate(data["step_sizes"]):
        theta = data["trajectory"][t]
        expected = theta + eta * np.clip(y - theta, -1, 1).mean()
        assert data["trajectory"][t + 1] == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_compute_is_deterministic():
    first = run_cli("compute", str(CONFIG / "l1.yaml"))
    second = run_cli("compute", str(CONFIG / "l1.yaml"))
    assert first.returncode == 0 and first.stdout == second.stdout


def test_compute_keeps_close_observations_distinct(tmp_path):
    spec = tmp_path / "close.yaml"
    spec.write_text(
        "scene: Close\nloss: {name: l2}\nobservations: {values: [10000.000001, 10000.000002]}\n"
    )
    result = run_cli("compute", str(spec))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["observations"] == [10000.000001, 10000.000002]
    assert data["references"]["mean"] == pytest.approx(10000.0000015, abs=1e-9)


def test_schema_is_json_with_both_specs():
    result = run_cli("schema")
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    text = json.dumps(schema)
    assert "observations" in text and "lecture" in text


def test_python_m_and_console_script_agree():
    import shutil
    import subprocess

    script = shutil.which("loss-scenes", path=str(ROOT / ".venv" / "bin"))
    if script is None:
        pytest.skip("console script not installed in .venv")
    direct = subprocess.run(
        [script, "compute", str(CONFIG / "l2.yaml")], capture_output=True, text=True, cwd=ROOT
    )
    assert direct.stdout == run_cli("compute", str(CONFIG / "l2.yaml")).stdout


def test_formats_written_apart_are_refused_with_a_hint(tmp_path):
    result = run_cli("render", str(CONFIG / "l2.yaml"), "--format", "gif", "webm")
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "loss-scenes: error: unrecognized arguments: webm (to ask for several formats, write "
        "--format gif,webm or repeat --format)"
    )
    # With the spec after the formats, webm would be read as a spec file.
    result = run_cli("render", "--format", "gif", "webm", str(CONFIG / "l2.yaml"))
    assert result.returncode == 2
    assert result.stderr == (
        "webm:1:1: error: file not found; to ask for several formats, write --format gif,webm "
        "or repeat --format\n"
    )
    result = run_cli("render", str(CONFIG / "l2.yaml"), "--format", "gif,avi")
    assert (
        result.returncode == 2 and "unknown format 'avi' (valid: mp4, webm, gif)" in result.stderr
    )
