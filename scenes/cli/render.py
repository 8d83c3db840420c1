"""``loss-scenes render [SPEC ...]``: render scene or lecture specs to video."""

import argparse
from pathlib import Path

from scenes.spec import load_any

HELP = "render scene or lecture specs (default: config/lecture.yaml)"
DEFAULT_LECTURE = Path("config/lecture.yaml")
QUALITY_CHOICES = ("low", "medium", "high", "4k")
FORMAT_CHOICES = ("mp4", "webm", "gif")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("specs", nargs="*", metavar="SPEC", help="scene or lecture YAML files")
    parser.add_argument(
        "-q",
        "--quality",
        choices=QUALITY_CHOICES,
        help="low (480p15), medium (720p30), high (1080p60), 4k (2160p60); "
        "default: the lecture's render.quality, else high",
    )
    parser.add_argument(
        "--format",
        dest="formats",
        action="append",
        choices=FORMAT_CHOICES,
        help="output format; repeat for several (default: the lecture's, else mp4)",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        metavar="DIR",
        help="output folder (default: renders/QUALITY)",
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=_positive_int,
        default=None,
        metavar="N",
        help="render scenes in N processes (default: the number of cores)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="render every scene again, even when an unchanged earlier render could be reused",
    )
    parser.add_argument(
        "--quiet", action="store_true", help="no progress lines on stderr (warnings still shown)"
    )


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {value}")
    return value


def run(args: argparse.Namespace) -> int:
    paths = args.specs or [str(DEFAULT_LECTURE)]
    # Validate everything before rendering anything: a typo in the last file must not cost a
    # long render of the first.
    loaded = [load_any(path) for path in paths]
    from scenes.render.driver import _stderr, render
    from scenes.render.pipeline import default_jobs

    written = render(
        loaded,
        quality=args.quality,
        out_dir=args.output,
        formats=args.formats,
        progress=None if args.quiet else _stderr,
        jobs=args.jobs or default_jobs(),
        reuse=not args.force,
    )
    for path in written:
        print(path, flush=True)
    return 0
