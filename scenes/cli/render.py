"""``loss-scenes render [SPEC ...]``: render scene or lecture specs to video."""

import argparse
from pathlib import Path

from scenes.cli._common import load_specs
from scenes.options import FORMATS, QUALITIES

HELP = "render scene or lecture specs (default: config/lecture.yaml)"
DEFAULT_LECTURE = Path("config/lecture.yaml")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("specs", nargs="*", metavar="SPEC", help="scene or lecture YAML files")
    parser.add_argument(
        "-q",
        "--quality",
        choices=tuple(QUALITIES),
        help="low (480p15), medium (720p30), high (1080p60), 4k (2160p60); "
        "default: the lecture's render.quality, else high",
    )
    parser.add_argument(
        "--format",
        dest="formats",
        action="append",
        choices=FORMATS,
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


def run(args: argparse.Namespace) -> int:
    loaded = load_specs(args.specs or [str(DEFAULT_LECTURE)])
    from scenes.render.driver import render

    for path in render(loaded, quality=args.quality, out_dir=args.output, formats=args.formats):
        print(path, flush=True)
    return 0
