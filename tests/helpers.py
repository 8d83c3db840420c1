"""Shared helpers for tests: running the CLI in a subprocess, short-timing specs."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "config"

FAST_TIMING = (
    "timing: {intro: 0.2, curve: 0.2, data: 0.2, estimate: 0.6, arrival: 0.2, hold: 0.2}\n"
)
SHORT_NARRATION = 'narration: {hold: "Done."}\n'
"""Without it the hold beat says the computed result, which takes seconds to read."""


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


def _drop_block(text: str, key: str) -> str:
    out: list[str] = []
    skipping = False
    for line in text.splitlines(keepends=True):
        if line.startswith(f"{key}:"):
            skipping = True
            continue
        if skipping and line.startswith((" ", "\t")):
            continue
        skipping = False
        out.append(line)
    return "".join(out)


def fast_copy(spec: Path, folder: Path, *, narration: bool = False, **replacements: str) -> Path:
    """Copy a config spec into ``folder`` with short timings (and optional text replacements).

    Beats last as long as their narration takes to read, so the narration is replaced by one
    short line unless ``narration`` keeps it; the voice goes too.
    """
    text = spec.read_text()
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    text = _drop_block(_drop_block(text, "timing"), "voice")
    if not narration:
        text = _drop_block(text, "narration").rstrip("\n") + "\n" + SHORT_NARRATION
    target = folder / spec.name
    target.write_text(text.rstrip("\n") + "\n" + FAST_TIMING)
    return target
