"""``loss-scenes script SPEC``: the timeline of a scene, lecture or course, one beat a line.

This is the recording script a lecturer reads from (the ``recorded`` voice takes one file per
beat id): ``SCENE<TAB>BEAT<TAB>START<TAB>SECONDS<TAB>TEXT``, START and SECONDS in seconds from the
scene's start. It prepares each scene (maths and speech) but never imports Manim.
"""

import argparse
import json

from scenes.cli._common import load_specs
from scenes.spec import Lecture, expand_courses

HELP = "print the timeline (beats, times, narration) of scene, lecture or course specs"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "specs", nargs="+", metavar="SPEC", help="scene, lecture or course YAML files"
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print a JSON list of {scene, beat, start, seconds, text}",
    )


def run(args: argparse.Namespace) -> int:
    from scenes.compute.prepare import prepare_scene, print_warnings

    rows = []
    # A course is its lectures in order, each with its scenes, as ``render`` plays them.
    for item in expand_courses(load_specs(args.specs)):
        specs = [spec for _, spec in item.scenes] if isinstance(item, Lecture) else [item]
        for spec in specs:
            prepared = prepare_scene(spec)
            print_warnings(prepared)
            rows += prepared.timeline.rows()
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for row in rows:
            fields = [row["scene"], row["beat"], f"{row['start']:.3f}", f"{row['seconds']:.3f}"]
            print("\t".join([*fields, row["text"]]))
    return 0
