"""What several commands share: loading every named spec before doing anything with any."""

import argparse

from scenes.spec import Course, Lecture, SceneSpec, SpecError, load_any


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
