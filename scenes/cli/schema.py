"""``loss-scenes schema``: the JSON Schema of scene and lecture specs."""

import argparse
import json

HELP = "print the JSON Schema of scene and lecture specs"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser


def run(args: argparse.Namespace) -> int:
    from scenes.spec.schema import json_schema

    print(json.dumps(json_schema(), indent=2))
    return 0
