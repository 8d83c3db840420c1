"""The options several commands take, declared once: the same flags, types and help everywhere.

``render``, ``export`` and ``watch`` all render, so ``-q`` and ``-o`` mean the same in each, and
``-j`` and ``--cluster`` in the two that take them (``watch`` renders one low-quality preview on
this machine); only a command's default (and what its output folder holds) differs.
"""

import argparse
import os
from pathlib import Path

from scenes.options import QUALITIES

CLUSTER_VARIABLE = "LOSS_SCENES_CLUSTER"


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1 (for ``-j``)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {value}")
    return value


def add_quality(
    parser: argparse.ArgumentParser, default: str | None = None, default_help: str | None = None
) -> None:
    """``-q/--quality``; ``default_help`` says what a ``default`` of None (the spec's) comes to."""
    parser.add_argument(
        "-q",
        "--quality",
        choices=tuple(QUALITIES),
        default=default,
        help="low (480p15), medium (720p30), high (1080p60), 4k (2160p60); "
        f"default: {default_help or default}",
    )


def add_output(parser: argparse.ArgumentParser, default: Path | None, what: str) -> None:
    """``-o/--output DIR``; ``what`` says what the folder holds and its default."""
    parser.add_argument("-o", "--output", type=Path, default=default, metavar="DIR", help=what)


def add_jobs(parser: argparse.ArgumentParser) -> None:
    """``-j/--jobs N``; None when not given, and the command asks production for its default
    (importing it here would slow ``--help`` and ``check``).
    """
    parser.add_argument(
        "-j",
        "--jobs",
        type=positive_int,
        default=None,
        metavar="N",
        help="render scenes in N processes (default: one per core when the work pays for it, "
        "else one)",
    )


def add_cluster(parser: argparse.ArgumentParser) -> None:
    """``--cluster ADDRESS`` (spec-v2 section 12), defaulting to ``$LOSS_SCENES_CLUSTER``."""
    parser.add_argument(
        "--cluster",
        default=os.environ.get(CLUSTER_VARIABLE) or None,
        metavar="ADDRESS",
        help="render the scenes' parts on the workers of this Dask scheduler "
        f"(tcp://host:8786); default: ${CLUSTER_VARIABLE}, else on this machine",
    )
