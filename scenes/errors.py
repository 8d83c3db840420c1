"""The errors a user meets, each with the exit code the command line gives it.

Exit codes (spec section 6): 0 success, 2 invalid input, 1 anything else, 130 interrupted (143
terminated). Every error the command line reports without a traceback derives from
:class:`LossScenesError` and names its exit code in its class line, so ``scenes.cli`` turns any
of them into a message and an exit code in one place, whichever layer raised it. This module
imports nothing: every layer may raise these.

Ctrl-C and SIGTERM are not among them: they stay ``KeyboardInterrupt`` (see
:mod:`scenes.interrupt`), which no ``except Exception`` swallows on its way up.
"""

import sys
import warnings

EXIT_FAILURE = 1
EXIT_INVALID = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a process Ctrl-C stopped
EXIT_TERMINATED = 143  # 128 + SIGTERM


class LossScenesError(Exception):
    """An error the command line prints as ``prefix`` + its text, then exits with ``exit_code``.

    A subclass sets both in its class line, ``class SpecError(LossScenesError,
    exit_code=EXIT_INVALID, prefix="")``: a spec problem's lines carry their own
    ``FILE:LINE:COLUMN: error:``, other messages get ``loss-scenes: error:``.

    ``traceback_hint=True`` in the class line marks an error of the machine rather than of the
    input (a voice program or a template file missing): its message is followed by its type and
    how to see the traceback, as for an error the command line did not expect, and
    ``LOSS_SCENES_TRACEBACK=1`` shows that traceback.
    """

    exit_code: int = EXIT_FAILURE
    prefix: str = "loss-scenes: error: "
    traceback_hint: bool = False

    def __init_subclass__(
        cls,
        *,
        exit_code: int | None = None,
        prefix: str | None = None,
        traceback_hint: bool | None = None,
        **kwargs: object,
    ) -> None:
        super().__init_subclass__(**kwargs)
        if exit_code is not None:
            cls.exit_code = exit_code
        if prefix is not None:
            cls.prefix = prefix
        if traceback_hint is not None:
            cls.traceback_hint = traceback_hint

    def report(self) -> str:
        """What the command line prints on stderr."""
        if self.traceback_hint:
            return unexpected_report(self)
        return f"{self.prefix}{self}"


def unexpected_report(error: Exception) -> str:
    """The one line the command line prints for an error without a message of its own."""
    return (
        f"loss-scenes: error: {error} ({type(error).__name__}; set "
        "LOSS_SCENES_TRACEBACK=1 for details)"
    )


class InternalError(LossScenesError, prefix="loss-scenes: internal error: "):
    """A bug of ours caught before it did harm (a starter file that fails ``check``): exit 1."""


def show_warnings_on_one_line() -> None:
    """Print each Python warning as ``loss-scenes: warning: MESSAGE``, one line.

    Python's own format names the file and line that warned and quotes that line of source: noise
    for a user, and two lines where the command line promises one. Installed by the command
    line and by its render processes.
    """
    warnings.showwarning = _one_line


def _one_line(message, category, filename, lineno, file=None, line=None) -> None:  # noqa: ANN001
    text = " ".join(str(message).split())
    kind = "" if category is UserWarning else f" ({category.__name__})"
    try:
        print(f"loss-scenes: warning: {text}{kind}", file=file or sys.stderr)
    except OSError:
        pass  # stderr closed: a warning is not worth a crash
