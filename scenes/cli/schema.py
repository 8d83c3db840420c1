"""``loss-scenes schema``: the JSON Schema of scene, lecture and course specs."""

import argparse
import sys

HELP = "print the JSON Schema of scene, lecture and course specs"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser


def run(args: argparse.Namespace) -> int:
    from scenes.spec.reference import schema_text

    # The committed file's exact bytes, so `loss-scenes schema > FILE` gives an identical copy.
    sys.stdout.write(schema_text())
    return 0
