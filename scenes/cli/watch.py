"""``loss-scenes watch SPEC``: validate on every save; render a preview when the spec is valid.

The preview is the scene's last frame as PNG and a low-quality video, in ``renders/preview`` by
default; their paths go to stdout after each render, errors (``FILE:LINE:COLUMN: error: ...``)
to stderr. A bad edit never stops the watcher: it waits for the next save. Unchanged scenes of a
lecture are reused, and Manim and JAX stay loaded between saves, so a preview after an edit costs
about one low-quality render of the edited scene.
"""

import argparse
import sys
from pathlib import Path

from scenes.cli._common import output_folder
from scenes.spec.yaml_loader import load_yaml_file

HELP = "validate SPEC on every save and render a preview (last frame PNG, low-quality video)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", metavar="SPEC", type=Path, help="a scene or lecture YAML file")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("renders/preview"),
        metavar="DIR",
        help="preview folder (default: renders/preview)",
    )
    parser.add_argument(
        "-q",
        "--quality",
        choices=("low", "medium", "high", "4k"),
        default="low",
        help="preview quality (default: low)",
    )


def _watched_files(spec: Path) -> set[Path]:
    """The spec and, for a valid lecture, its scene files (a scene edit changes the lecture)."""
    from scenes.spec import Lecture, SpecError, load_any

    files = {spec.resolve()}
    try:
        loaded = load_any(spec)
    except SpecError:
        return files
    if isinstance(loaded, Lecture):
        files |= {Path(path).resolve() for path, _ in loaded.scenes}
    return files


def preview(spec: Path, out_dir: Path, quality: str) -> bool:
    """Validate and render once; print paths (stdout) or problems (stderr). True if rendered."""
    from scenes.render.driver import render
    from scenes.render.pipeline import default_jobs
    from scenes.spec import Lecture, SpecError, load_any

    try:
        loaded = load_any(spec)
    except SpecError as error:
        print(error, file=sys.stderr, flush=True)
        return False
    jobs = default_jobs() if isinstance(loaded, Lecture) else 1
    try:
        # render() is a generator: the work happens while it is consumed, so consume it here.
        written = list(
            render(
                [loaded], quality=quality, out_dir=out_dir, formats=["mp4"], jobs=jobs, reuse=True
            )
        )
    except Exception as error:  # noqa: BLE001 - the watcher outlives any one failed render
        print(f"loss-scenes: error: preview failed: {error}", file=sys.stderr, flush=True)
        return False
    for path in written:
        if path.suffix in (".png", ".mp4"):
            print(path, flush=True)
    return True


def run(args: argparse.Namespace) -> int:
    from watchfiles import watch

    spec: Path = args.spec
    if not spec.exists() or spec.is_dir():
        load_yaml_file(spec)  # raises the loader's own "file not found" or "a folder" problem
    output_folder(args.output)
    preview(spec, args.output, args.quality)
    watched = _watched_files(spec)
    folders = {path.parent for path in watched}
    ready = False
    # Editors often save by writing a new file and renaming it over the old one, so the folders
    # are watched, not the files, and every change is matched by path. The first (empty) yield
    # after a short timeout says the watcher is in place: only then is "watching" announced.
    for changes in watch(
        *folders,
        debounce=400,
        step=50,
        rust_timeout=200,
        yield_on_timeout=True,
        recursive=False,
    ):
        if not ready:
            ready = True
            print(f"watching {spec} (Ctrl-C to stop)", file=sys.stderr, flush=True)
        if not any(Path(path).resolve() in watched for _, path in changes):
            continue
        if not spec.is_file():
            continue  # mid-rename; the next event brings the new file
        preview(spec, args.output, args.quality)
        watched = _watched_files(spec)
    return 0
