"""``loss-scenes compute SPEC``: every number the animation shows, as JSON (spec section 7)."""

import argparse
import json
import sys

from scenes.cli._common import wrong_kind
from scenes.spec import Course, Lecture

HELP = "print, as JSON, every number a scene's animation shows"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", metavar="SPEC", help="a scene YAML file")
    parser.add_argument("--indent", type=int, default=None, help="pretty-print with this indent")


def run(args: argparse.Namespace) -> int:
    from scenes.compute.resolve import load_resolved
    from scenes.kinds import compute_any, to_json_any

    loaded = load_resolved(args.spec)
    if isinstance(loaded, Lecture | Course):
        actual = "lecture" if isinstance(loaded, Lecture) else "course"
        raise wrong_kind(args.spec, "compute", "scene", actual)
    data = compute_any(loaded)
    for warning in data.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    # allow_nan=False: to_json maps non-finite numbers to null; anything else is a bug to hear of.
    print(json.dumps(to_json_any(data), indent=args.indent, allow_nan=False))
    return 0
