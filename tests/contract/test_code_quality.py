"""The code itself: lint, formatting and types, as configured in pyproject.toml."""

import shutil
import subprocess
import sys

import pytest
from helpers import ROOT

from scenes.files import cache_dir


def _tool(name: str) -> str:
    path = shutil.which(name, path=str(ROOT / ".venv" / "bin")) or shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed")
    return path


def test_ruff_lint():
    result = subprocess.run(
        [_tool("ruff"), "check", "scenes", "tests", "setup.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout


def test_ruff_format():
    result = subprocess.run(
        [_tool("ruff"), "format", "--check", "scenes", "tests", "setup.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout


@pytest.mark.slow
def test_mypy():
    result = subprocess.run(
        # Its cache lives with the user's other caches, so a fresh clone checks only what changed.
        [sys.executable, "-m", "mypy", "--cache-dir", str(cache_dir() / "mypy")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout
