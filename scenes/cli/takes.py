"""``loss-scenes takes SPEC --from READING.wav``: cut one reading of the whole script into takes.

The lecturer reads the script (``loss-scenes script``) in one go; each beat is found in the
reading (:mod:`scenes.speech.alignment`) and written as ``FOLDER/<Scene>/<beat>.wav`` with its
sidecar. One line per beat: ``SCENE<TAB>BEAT<TAB>START<TAB>END<TAB>CONFIDENCE`` (seconds in the
reading; confidence 0 to 1). A beat not found in the reading: exit 2 naming it, nothing written.
"""

import argparse
from pathlib import Path

from scenes.cli._common import UsageError, load_specs
from scenes.cli._takes import beat_words, folder_for, narration_pos, scene_files
from scenes.spec import SpecError
from scenes.spec.errors import Problem

HELP = "cut one reading of the whole script into one recorded take per beat"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", metavar="SPEC", help="a scene, lecture or course YAML file")
    parser.add_argument(
        "--from", dest="reading", required=True, metavar="READING", help="the reading (WAV or FLAC)"
    )
    parser.add_argument(
        "--folder",
        metavar="DIR",
        help="where the takes go (default: the folder of the spec's recorded voice)",
    )


def run(args: argparse.Namespace) -> int:
    import soundfile

    from scenes.speech.audio import read_audio
    from scenes.speech.takes import MissingBeat, cut_reading, write_take

    scenes = scene_files(args.spec, load_specs([args.spec])[0])
    folder = folder_for(scenes, args.folder)
    try:
        samples = read_audio(Path(args.reading))
    except (OSError, RuntimeError, soundfile.LibsndfileError) as error:
        raise UsageError(f"{args.reading}: cannot read the reading ({error})") from None
    beats = [(spec.scene, beat, text) for _, spec in scenes for beat, text in beat_words(spec)]
    try:
        cuts = cut_reading(samples, beats)
    except MissingBeat as missing:
        path = next(path for path, spec in scenes if spec.scene == missing.scene)
        pos = narration_pos(path, missing.beat)
        message = (
            f"beat {missing.scene}/{missing.beat} is not in the reading {args.reading} "
            "(no take written)"
        )
        raise SpecError([Problem(str(path), pos.line, pos.column, message)]) from None
    for cut in cuts:
        write_take(folder, cut.scene, cut.beat, cut.samples, cut.text, cut.words)
    for cut in cuts:
        print(f"{cut.scene}\t{cut.beat}\t{cut.start:.3f}\t{cut.end:.3f}\t{cut.confidence:.2f}")
    return 0
