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
        languages = loaded.spec.languages if isinstance(loaded, Course | Lecture) else None
        if languages:
            # Every other language's catalogue must translate every text (spec-v3 section 16).
            from scenes.cli.translate import check_catalogues

            check_catalogues(loaded, languages[1:])
            what += f", languages {', '.join(languages)}"
        print(f"{path}: ok ({what})", file=sys.stderr)
        _warn_stale_takes(path, loaded)
    return 0


def _warn_stale_takes(path: str, loaded: object) -> None:
    """A warning (exit 0) for each take recorded for other words than its beat's narration now.

    Only narration written in the spec is compared (computed narration needs the maths, which
    ``check`` does not run); a take without a sidecar is never stale.
    """
    from scenes.cli._takes import narration_pos, scene_files, takes_folder
    from scenes.speech.takes import stale

    for scene_path, spec in scene_files(path, loaded):
        folder = takes_folder(spec)
        if folder is None:
            continue
        for plan in spec.beat_plans():
            if plan.text and stale(folder, spec.scene, plan.id, plan.text):
                pos = narration_pos(scene_path, plan.id)
                print(
                    f"{scene_path}:{pos.line}:{pos.column}: warning: take "
                    f"{spec.scene}/{plan.id} was recorded for other words",
                    file=sys.stderr,
                )
