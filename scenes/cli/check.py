"""``loss-scenes check SPEC ...``: validate specs, write nothing."""

import argparse
import sys

from scenes.cli._common import load_specs
from scenes.spec import Lecture

HELP = "validate scene and lecture specs; exit 0 when all are valid"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("specs", nargs="+", metavar="SPEC", help="scene or lecture YAML files")


def run(args: argparse.Namespace) -> int:
    for path, loaded in zip(args.specs, load_specs(args.specs), strict=True):
        count = len(loaded.scenes) if isinstance(loaded, Lecture) else 1
        print(f"{path}: ok ({count} scene{'s' if count != 1 else ''})", file=sys.stderr)
    return 0
