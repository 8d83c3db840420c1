"""Shared helpers for tests: running the CLI in a subprocess, short-timing specs."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "config"

FAST_TIMING = "timing: {intro: 0.2, curve: 0.2, data: 0.2, estimate: 0.6, hold: 0.2}\n"


def run_cli(
    *args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 300
) -> subprocess.CompletedProcess:
    """Run ``python -m scenes ARGS`` and capture its output."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "scenes", *args],
        cwd=cwd or ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def fast_copy(spec: Path, folder: Path, **replacements: str) -> Path:
    """Copy a config spec into ``folder`` with short timings (and optional text replacements)."""
    lines = [line for line in spec.read_text().splitlines(keepends=True)]
    out: list[str] = []
    skipping = False
    for line in lines:
        if line.startswith("timing:"):
            skipping = True
            continue
        if skipping and line.startswith((" ", "\t")):
            continue
        skipping = False
        out.append(line)
    text = "".join(out)
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    target = folder / spec.name
    target.write_text(text.rstrip("\n") + "\n" + FAST_TIMING)
    return target
