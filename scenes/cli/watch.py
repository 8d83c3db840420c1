"""``loss-scenes watch SPEC``: validate on every save; render a preview when the spec is valid.

The preview is the scene's last frame as PNG and a low-quality video, in ``renders/preview`` by
default; their paths go to stdout after each render, errors (``FILE:LINE:COLUMN: error: ...``)
to stderr. A bad edit never stops the watcher: it waits for the next save. Unchanged scenes of a
lecture are reused, and Manim and JAX stay loaded between saves, so a preview after an edit costs
about one low-quality render of the edited scene.

Only the files the preview depends on are watched (the spec and, for a lecture, its scene files),
from before the first render: an edit saved while a render runs is previewed right after it.
Nothing but paths and errors is printed (and one "watching" line when ready).
"""

import argparse
import logging
import sys
import time
from collections.abc import Generator
from pathlib import Path

from scenes.cli._common import output_folder
from scenes.cli.arguments import add_output, add_quality
from scenes.spec import SpecError
from scenes.spec.yaml_loader import MAX_FILE_BYTES, load_yaml_file

HELP = "validate SPEC on every save and render a preview (last frame PNG, low-quality video)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", metavar="SPEC", type=Path, help="a scene or lecture YAML file")
    add_output(
        parser, default=Path("renders/preview"), what="preview folder (default: renders/preview)"
    )
    add_quality(parser, default="low")


def _watched_files(spec: Path) -> set[Path]:
    """The spec and, for a lecture, every scene file it lists (a scene edit changes the lecture).

    Read from the YAML alone, so a lecture whose scene file has an error still watches that
    file: saving the fix must bring the preview back.
    """
    files = {spec.resolve()}
    try:
        data = load_yaml_file(spec).data
    except SpecError:
        return files
    if isinstance(data, dict) and "lecture" in data and isinstance(data.get("scenes"), list):
        for item in data["scenes"]:
            if isinstance(item, str) and item.strip():
                try:
                    files.add((spec.parent / item).resolve())
                except (OSError, ValueError):
                    continue
    return files


def _contents(files: set[Path]) -> dict[Path, bytes | None]:
    """What the watched files hold now (None: missing or unreadable)."""
    contents: dict[Path, bytes | None] = {}
    for path in files:
        try:
            with path.open("rb") as file:
                contents[path] = file.read(MAX_FILE_BYTES + 1)
        except OSError:
            contents[path] = None
    return contents


def _settled_contents(files: set[Path], quiet: float = 0.15, patience: float = 3.0) -> dict:
    """What the watched files hold once they stopped changing for ``quiet`` seconds.

    A save that truncates and then writes shows an empty file for a moment; reading it then
    would report "the file is empty" for a spec that is fine a millisecond later.
    """
    deadline = time.monotonic() + patience
    before = _contents(files)
    while True:
        time.sleep(quiet)
        now = _contents(files)
        if now == before or time.monotonic() > deadline:
            return now
        before = now


def preview(spec: Path, out_dir: Path, quality: str) -> bool:
    """Validate and render once; print paths (stdout) or problems (stderr). True if rendered."""
    from scenes.compute.resolve import load_resolved
    from scenes.production.run import render

    try:
        loaded = load_resolved(spec)
    except SpecError as error:
        print(error, file=sys.stderr, flush=True)
        return False
    try:
        # render() is a generator: the work happens while it is consumed, so consume it here.
        written = list(
            render(
                [loaded],
                quality=quality,
                out_dir=out_dir,
                formats=["mp4"],
                progress=None,
                jobs=None,  # as many processes as the work is worth
                reuse=True,
            )
        )
    except Exception as error:  # noqa: BLE001 - the watcher outlives any one failed render
        print(f"loss-scenes: error: preview failed: {error}", file=sys.stderr, flush=True)
        return False
    for path in written:
        # The preview is the video and its last frame; the beats' stills stay in their folder.
        if path.suffix in (".png", ".mp4") and path.parent.resolve() == out_dir.resolve():
            print(path, flush=True)
    return True


def _events(watched: set[Path]) -> Generator[set, None, None]:
    """Changes to ``watched`` (a set the caller may update), started before this returns."""
    from watchfiles import watch

    # Editors often save by writing a new file and renaming it over the old one, so the folders
    # are watched, not the files, and changes are kept by path: other files there (a log the
    # user writes beside the spec, say) never wake the watcher.
    events = watch(
        *{path.parent for path in watched},
        watch_filter=lambda _change, path: Path(path).resolve() in watched,
        debounce=400,
        step=50,
        rust_timeout=200,
        yield_on_timeout=True,
        recursive=False,
    )
    # The first step opens the watcher (the first yield comes on its first timeout at the
    # latest); from then on changes are collected, also while a render runs.
    next(events)
    return events


def run(args: argparse.Namespace) -> int:
    # watchfiles says "1 change detected" at INFO level, and Manim's log handler prints INFO on
    # stdout, which is for paths only (and a log file beside the spec fed the watcher itself).
    logging.getLogger("watchfiles").setLevel(logging.WARNING)
    spec: Path = args.spec
    if not spec.exists() or spec.is_dir():
        load_yaml_file(spec)  # raises the loader's own "file not found" or "a folder" problem
    output_folder(args.output)
    watched = _watched_files(spec)
    events = _events(watched)
    ready = False
    while True:
        seen = _settled_contents(watched)
        preview(spec, args.output, args.quality)
        now = _watched_files(spec)
        if {path.parent for path in now} != {path.parent for path in watched}:
            events.close()
            watched = now
            events = _events(watched)
        else:
            watched.clear()
            watched.update(now)
        if _contents(watched) != seen:
            continue  # saved while the render ran: preview that too, at once
        if not ready:
            ready = True
            print(f"watching {spec} (Ctrl-C to stop)", file=sys.stderr, flush=True)
        for changes in events:
            # A save that changed nothing (or a rename half done) is no reason to render.
            if changes and spec.is_file() and _contents(watched) != seen:
                break
