"""What several commands share: loading every named spec before doing anything with any."""

import argparse
import os
from pathlib import Path

from scenes.files import folder_problem
from scenes.spec import Course, Lecture, SceneSpec, SpecError, load_any
from scenes.spec.loading import kind_mismatch
from scenes.spec.yaml_loader import Pos, load_yaml_file


class UsageError(Exception):
    """A command-line value that cannot work (an output folder that is a file): exit 2, one line."""


def output_folder(path: Path) -> Path:
    """``path`` if it is, or can become, a folder; else :class:`UsageError`, in every command."""
    problem = folder_problem(path)
    if problem is not None:
        raise UsageError(f"{path}: {problem}")
    return path


def load_specs(paths: list[str]) -> list[SceneSpec | Lecture | Course]:
    """Load all ``paths``; raise one :class:`SpecError` with the problems of every bad file.

    A typo in the last file must be reported together with the first file's, and before a long
    render of the first file starts.
    """
    loaded: list[SceneSpec | Lecture | Course] = []
    problems = []
    for path in paths:
        try:
            loaded.append(load_any(path))
        except SpecError as error:
            problems += error.problems
    if problems:
        raise SpecError(problems)
    return loaded


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1 (for ``-j``)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {value}")
    return value


def wrong_kind(path: str, command: str, wanted: str, actual: str) -> SpecError:
    """The error for a spec of the wrong kind (a lecture given to compute), at its top key."""
    doc = load_yaml_file(path)
    pos = doc.keys.get((actual,), Pos(1, 1))
    return SpecError(
        [doc.problem(pos, f"this is {kind_mismatch(wanted, actual)}; {command} takes a {wanted}")]
    )


CLUSTER_VARIABLE = "LOSS_SCENES_CLUSTER"


def add_cluster_argument(parser: argparse.ArgumentParser) -> None:
    """``--cluster ADDRESS`` (spec-v2 section 12), defaulting to ``$LOSS_SCENES_CLUSTER``."""
    parser.add_argument(
        "--cluster",
        default=os.environ.get(CLUSTER_VARIABLE) or None,
        metavar="ADDRESS",
        help="render the scenes' parts on the workers of this Dask scheduler "
        f"(tcp://host:8786); default: ${CLUSTER_VARIABLE}, else on this machine",
    )
