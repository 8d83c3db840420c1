"""``loss-scenes compute SPEC``: every number the animation shows, as JSON (spec section 7)."""

import argparse
import json
import sys

from scenes.spec import Lecture, load_any

HELP = "print, as JSON, every number a scene's animation shows"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", metavar="SPEC", help="a scene YAML file")
    parser.add_argument("--indent", type=int, default=None, help="pretty-print with this indent")


def run(args: argparse.Namespace) -> int:
    from scenes.compute import compute_scene, to_json

    loaded = load_any(args.spec)
    if isinstance(loaded, Lecture):
        print(f"{args.spec}:1:1: error: compute takes a scene spec, not a lecture", file=sys.stderr)
        return 2
    data = compute_scene(loaded)
    for warning in data.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    # allow_nan=False: a NaN must never reach the JSON silently (to_json maps them to null).
    print(json.dumps(to_json(data), indent=args.indent, allow_nan=False))
    return 0
