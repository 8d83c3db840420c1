"""Printing a page to PDF with headless Chromium: the handout.

Chromium lays the handout out as a browser shows it, with real (searchable) text and the fonts
the page names; its command line prints a file to PDF without any Python package. A private
profile folder per run keeps concurrent exports (and a running browser) apart.
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from scenes.errors import LossScenesError
from scenes.files import atomic_path

# Debian and Ubuntu name it chromium; other systems chromium-browser or Google's build.
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT = 120  # seconds: a page of a few dozen stills prints in a few


class PrintError(LossScenesError):
    """The handout cannot be printed: no browser, or the browser failed."""


def find_chromium() -> Path:
    """The Chromium to print with: ``$LOSS_SCENES_CHROMIUM``, else the first on ``PATH``."""
    named = os.environ.get("LOSS_SCENES_CHROMIUM")
    if named:
        if not Path(named).is_file():
            raise PrintError(f"LOSS_SCENES_CHROMIUM={named} is not a file")
        return Path(named)
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return Path(found)
    raise PrintError(
        "handout.pdf is printed with headless Chromium, and none is installed "
        f"(looked for {', '.join(BROWSERS)}): install chromium, or export with --no-handout"
    )


def print_pdf(page: Path, target: Path) -> None:
    """Print the HTML file ``page`` to ``target`` (written atomically)."""
    browser = find_chromium()
    with (
        tempfile.TemporaryDirectory(prefix="loss-scenes-chromium-") as profile,
        atomic_path(target) as temp,
    ):
        command = [
            str(browser),
            "--headless",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            "--generate-pdf-document-outline",
            f"--print-to-pdf={temp}",
            page.absolute().as_uri(),
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            # Chromium's sandbox refuses to run as root (containers, CI); the page is our own.
            command.insert(1, "--no-sandbox")
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired:
            raise PrintError(f"{browser} did not print {page.name} within {TIMEOUT} s") from None
        if result.returncode != 0 or not Path(temp).is_file() or Path(temp).stat().st_size == 0:
            last = (result.stderr.strip().splitlines() or ["no message"])[-1]
            raise PrintError(f"{browser} could not print {page.name}: {last}")
