"""``loss-scenes record SPEC``: record the lecturer's takes beat by beat.

The session itself is :mod:`scenes.speech.recorder`.

Takes go to the folder of the spec's ``recorded`` voice, or ``--folder``. A machine without a
microphone: one line, exit 1 (``--input FILE`` records from a file instead).
"""

import argparse
from pathlib import Path

from scenes.cli._common import UsageError, load_specs
from scenes.cli._takes import beat_words, folder_for, scene_files

HELP = "record your own voice, beat by beat, as takes for a recorded voice"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", metavar="SPEC", help="a scene, lecture or course YAML file")
    parser.add_argument("--scene", metavar="NAME", help="only this scene")
    parser.add_argument("--beat", metavar="ID", help="only this beat")
    parser.add_argument(
        "--input", metavar="FILE", help="take the audio from this file instead of a microphone"
    )
    parser.add_argument(
        "--yes", action="store_true", help="accept every take without asking (keeps existing ones)"
    )
    parser.add_argument(
        "--folder",
        metavar="DIR",
        help="where the takes go (default: the folder of the spec's recorded voice)",
    )


def run(args: argparse.Namespace) -> int:
    from scenes.speech.recorder import BeatToRecord, FileSource, Microphone, session

    scenes = scene_files(args.spec, load_specs([args.spec])[0])
    if args.scene is not None:
        scenes = [(path, spec) for path, spec in scenes if spec.scene == args.scene]
        if not scenes:
            raise UsageError(f"{args.spec}: no scene {args.scene!r} in this spec")
    folder = folder_for(scenes, args.folder)
    beats = [
        BeatToRecord(spec.scene, beat, text)
        for _, spec in scenes
        for beat, text in beat_words(spec)
        if args.beat is None or beat == args.beat
    ]
    if not beats:
        raise UsageError(f"{args.spec}: no narrated beat {args.beat!r} to record")
    source = FileSource(Path(args.input)) if args.input else Microphone()
    counts = session(beats, folder, source, yes=args.yes)
    print(
        f"\n{counts['accepted']} accepted, {counts['kept']} kept, {counts['skipped']} skipped "
        f"(takes in {folder})"
    )
    return 0
