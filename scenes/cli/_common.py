"""What several commands share: loading every named spec before doing anything with any."""

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from scenes.errors import EXIT_INVALID, LossScenesError
from scenes.files import folder_problem
from scenes.spec import Course, Lecture, SceneSpec, SpecError
from scenes.spec.loading import kind_mismatch
from scenes.spec.yaml_loader import Pos, load_yaml_file


class UsageError(LossScenesError, exit_code=EXIT_INVALID):
    """A command-line value that cannot work (an output folder that is a file): exit 2, one line."""


def output_folder(path: Path) -> Path:
    """``path`` if it is, or can become, a folder; else :class:`UsageError`, in every command."""
    problem = folder_problem(path)
    if problem is not None:
        raise UsageError(f"{path}: {problem}")
    return path


def load_specs(paths: list[str]) -> list[SceneSpec | Lecture | Course]:
    """Load and resolve all ``paths``; raise one :class:`SpecError` with the problems of every
    bad file.

    A typo in the last file must be reported together with the first file's, and before a long
    render of the first file starts.
    """
    # Resolving imports JAX only for a formula: `check` of other specs stays light.
    from scenes.compute.resolve import load_resolved

    loaded: list[SceneSpec | Lecture | Course] = []
    problems = []
    for path in paths:
        try:
            loaded.append(load_resolved(path))
        except SpecError as error:
            problems += error.problems
    if problems:
        raise SpecError(problems)
    return loaded


def wrong_kind(path: str, command: str, wanted: str, actual: str) -> SpecError:
    """The error for a spec of the wrong kind (a lecture given to compute), at its top key."""
    doc = load_yaml_file(path)
    pos = doc.keys.get((actual,), Pos(1, 1))
    return SpecError(
        [doc.problem(pos, f"this is {kind_mismatch(wanted, actual)}; {command} takes a {wanted}")]
    )


@contextlib.contextmanager
def located(paths: Sequence[str], loaded: Sequence[object]) -> Iterator[None]:
    """Turn a scene too long once spoken (found while preparing it, after ``check``'s silent
    estimate) into the usual ``FILE:LINE:COLUMN: error:`` line at the scene's narration.
    """
    from scenes.compute.prepare import SceneTooLong
    from scenes.spec import expand_courses

    try:
        yield
    except SceneTooLong as error:
        files: dict[str, str] = {}
        for path, item in zip(paths, loaded, strict=False):
            for part in expand_courses([item]):
                if isinstance(part, Lecture):
                    files.update({spec.scene: str(file) for file, spec in part.scenes})
                else:
                    files.setdefault(getattr(part, "scene", ""), path)
        file = files.get(error.scene)
        if file is None or not Path(file).is_file():
            raise
        doc = load_yaml_file(file)
        key = ("narration",) if ("narration",) in doc.keys else ("scene",)
        raise SpecError([doc.problem(doc.value_pos(key), str(error))]) from None
