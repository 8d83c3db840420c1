"""``loss-scenes check SPEC ...``: validate specs, write nothing."""

import argparse
import sys

from scenes.spec import Lecture, SpecError, load_any

HELP = "validate scene and lecture specs; exit 0 when all are valid"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("specs", nargs="+", metavar="SPEC", help="scene or lecture YAML files")


def run(args: argparse.Namespace) -> int:
    problems: list[str] = []
    for path in args.specs:
        try:
            loaded = load_any(path)
        except SpecError as error:
            problems.append(str(error))
            continue
        count = len(loaded.scenes) if isinstance(loaded, Lecture) else 1
        print(f"{path}: ok ({count} scene{'s' if count != 1 else ''})", file=sys.stderr)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 2
    return 0
