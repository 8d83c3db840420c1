"""``loss-scenes check SPEC ...``: validate specs, write nothing."""

import argparse
import sys

from scenes.cli._common import load_specs
from scenes.spec import Course, Lecture

HELP = "validate scene, lecture and course specs; exit 0 when all are valid"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "specs", nargs="+", metavar="SPEC", help="scene, lecture or course YAML files"
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def run(args: argparse.Namespace) -> int:
    for path, loaded in zip(args.specs, load_specs(args.specs), strict=True):
        if isinstance(loaded, Course):
            scenes = sum(len(lecture.scenes) for lecture in loaded.lectures)
            what = f"{_plural(len(loaded.lectures), 'lecture')}, {_plural(scenes, 'scene')}"
        else:
            what = _plural(len(loaded.scenes) if isinstance(loaded, Lecture) else 1, "scene")
        print(f"{path}: ok ({what})", file=sys.stderr)
    return 0
