"""``loss-scenes script SPEC``: the timeline of a scene, lecture or course, one beat a line.

This is the recording script a lecturer reads from (the ``recorded`` voice takes one file per
beat id): ``SCENE<TAB>BEAT<TAB>START<TAB>SECONDS<TAB>TEXT``, START and SECONDS in seconds from the
scene's start; a sixth column ``stale take`` marks a beat whose recorded take was made for other
words (its sidecar, :mod:`scenes.speech.takes`); before it, ``+1.0 s pause`` says a beat ends in
silence (spec-v3 section 14; included in SECONDS). It prepares each scene (maths and speech)
but never imports Manim.
"""

import argparse
import json

from scenes.cli._common import load_specs, located
from scenes.cli._takes import takes_folder
from scenes.spec import Lecture, expand_courses

HELP = "print the timeline (beats, times, narration) of scene, lecture or course specs"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "specs", nargs="+", metavar="SPEC", help="scene, lecture or course YAML files"
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print a JSON list of {scene, beat, start, seconds, text, pause, stale_take}",
    )


def run(args: argparse.Namespace) -> int:
    loaded = load_specs(args.specs)
    with located(args.specs, loaded):
        rows = _rows(loaded)
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for row in rows:
            fields = [row["scene"], row["beat"], f"{row['start']:.3f}", f"{row['seconds']:.3f}"]
            mark = ["stale take"] if row["stale_take"] else []
            # The pause (spec-v3 section 14) is part of SECONDS; said here for the reader.
            pause = [f"+{row['pause']:.1f} s pause"] if row["pause"] > 0 else []
            print("\t".join([*fields, row["text"], *pause, *mark]))
    return 0


def _rows(loaded: list) -> list[dict]:
    """Every beat of ``loaded``, in the order ``render`` plays them."""
    from scenes.compute.prepare import prepare_scene, print_warnings
    from scenes.speech.takes import stale

    rows = []
    # A course is its lectures in order, each with its scenes, as ``render`` plays them.
    for item in expand_courses(loaded):
        specs = [spec for _, spec in item.scenes] if isinstance(item, Lecture) else [item]
        for spec in specs:
            prepared = prepare_scene(spec)
            print_warnings(prepared)
            folder = takes_folder(spec)
            for row in prepared.timeline.rows():
                # A take recorded for other words (its sidecar says which): record it again.
                row["stale_take"] = folder is not None and stale(
                    folder, row["scene"], row["beat"], row["text"]
                )
                rows.append(row)
    return rows
