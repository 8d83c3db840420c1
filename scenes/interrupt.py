"""Ctrl-C (SIGINT) and SIGTERM that always stop a render, cleanly.

Python runs signal handlers between bytecodes, and an exception raised while a garbage-collector
callback runs (JAX registers one) is not propagated: Python prints "Exception ignored in ..."
with a traceback and carries on, so the render would finish as if nothing happened. Here a
swallowed interrupt is kept quiet and raised again a moment later, outside the callback, and
:func:`check` (called before every rename into place) refuses to publish anything once a stop
was asked for.
"""

import signal
import sys
from types import FrameType
from typing import Any

requested: int | None = None
"""The signal that asked the process to stop, if any."""

_default_unraisable = sys.unraisablehook


class Terminated(KeyboardInterrupt):
    """SIGTERM (a closing laptop, a CI timeout), unwound like Ctrl-C so temporary files go."""


def _raise(signum: int) -> None:
    if signum == signal.SIGTERM:
        raise Terminated
    raise KeyboardInterrupt


def _on_signal(signum: int, frame: FrameType | None) -> None:
    global requested
    requested = signum
    _raise(signum)


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    if requested is not None:
        _raise(requested)


def _unraisable(info: Any) -> None:
    if isinstance(info.exc_value, KeyboardInterrupt):
        # Swallowed inside a callback: try again from ordinary code in 10 ms.
        signal.setitimer(signal.ITIMER_REAL, 0.01)
        return
    _default_unraisable(info)


def install() -> None:
    """Route SIGINT and SIGTERM through this module (main thread of the CLI process only)."""
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGALRM, _on_alarm)
    sys.unraisablehook = _unraisable


def settle() -> None:
    """The interrupt has been handled: no more re-raising."""
    signal.setitimer(signal.ITIMER_REAL, 0)


def check() -> None:
    """Raise if a stop was asked for (and swallowed somewhere): nothing more may be published."""
    if requested is not None:
        _raise(requested)
