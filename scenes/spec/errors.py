"""Spec errors: every problem carries the file and the YAML position it is about.

The command line prints one ``FILE:LINE:COLUMN: error: MESSAGE`` line per problem (spec section 6),
so a :class:`SpecError` is just an ordered list of :class:`Problem` values.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from scenes.errors import EXIT_INVALID, LossScenesError

__all__ = ["MAX_PROBLEMS_PER_FILE", "Problem", "SpecError", "limit_problems"]

MAX_PROBLEMS_PER_FILE = 10
"""Beyond this many problems in one file the rest are summarised in one line: a wall of errors
caused by one wrong indentation helps nobody."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a spec file, at a 1-based line and column."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: error: {self.message}"


class SpecError(LossScenesError, exit_code=EXIT_INVALID, prefix=""):
    """An invalid spec: one or more :class:`Problem` values, in reporting order.

    ``str(error)`` is the problem lines joined by newlines, ready to print as is.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def limit_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Sort one file's problems by position and keep at most :data:`MAX_PROBLEMS_PER_FILE`.

    Identical problems (same place, same message) are reported once. When some are dropped, a
    last problem at the first dropped position says how many more there are.
    """
    unique = sorted(set(problems), key=lambda p: (p.line, p.column, p.message))
    if len(unique) <= MAX_PROBLEMS_PER_FILE:
        return unique
    kept = unique[:MAX_PROBLEMS_PER_FILE]
    first_dropped = unique[MAX_PROBLEMS_PER_FILE]
    more = len(unique) - MAX_PROBLEMS_PER_FILE
    summary = Problem(
        first_dropped.file,
        first_dropped.line,
        first_dropped.column,
        f"... and {more} more problem{'s' if more != 1 else ''} in this file "
        "(fix the ones above first)",
    )
    return [*kept, summary]
