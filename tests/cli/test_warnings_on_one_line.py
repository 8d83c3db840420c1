"""Warnings reach the user as one line each, without source lines (issue 23, --quiet)."""

import subprocess
import sys

SCRIPT = """
import sys, warnings
import scenes.cli.check as check
def run(args):
    warnings.warn("the narration is\\n quiet")
    warnings.warn("a library's advice", RuntimeWarning)
    return 0
check.run = run
sys.argv = ["loss-scenes", "check", "config/l2.yaml"]
from scenes.cli import entry_point
entry_point()
"""


def test_warnings_print_one_line_each_without_source():
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert lines == [
        "loss-scenes: warning: the narration is quiet",
        "loss-scenes: warning: a library's advice (RuntimeWarning)",
    ]
