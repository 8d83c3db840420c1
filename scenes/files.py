"""Writing outputs so that nothing a user has is ever lost or half-written.

Every output is written under a temporary name in its final folder, then renamed into place:
a rename within one folder is atomic, so a reader (or a killed render) sees either the old file or
the new one, never a mix.
"""

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(final: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``final``; on success rename it onto ``final``."""
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(
        prefix=f".{final.stem}-", suffix=final.suffix, dir=final.parent
    )
    os.close(fd)
    temp = Path(temp_name)
    # mkstemp makes the file private (0600); outputs are ordinary files, readable as usual.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temp, 0o666 & ~umask)
    try:
        yield temp
        os.replace(temp, final)
    finally:
        temp.unlink(missing_ok=True)


def write_text_atomic(final: Path, text: str) -> None:
    with atomic_path(final) as temp:
        temp.write_text(text, encoding="utf-8")


def move_atomic(source: Path, final: Path) -> None:
    """Move ``source`` onto ``final`` atomically (``source`` must be on the same file system)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, final)


def replace_dir_atomic(new: Path, final: Path) -> None:
    """Put the folder ``new`` in place of ``final`` (same file system); the old one ends up at
    ``new``'s path, for the caller to delete.

    On Linux both names are swapped in one step (``renameat2`` with ``RENAME_EXCHANGE``), so a
    reader always finds a complete folder at ``final``. Elsewhere, or when ``final`` does not
    exist yet, two renames leave ``final`` missing for an instant, never half-written.
    """
    if final.exists() and _exchange(new, final):
        return
    if final.exists():
        parked = new.with_name(new.name + ".old")
        os.replace(final, parked)
        os.replace(new, final)
        os.replace(parked, new)
    else:
        os.replace(new, final)


def _exchange(a: Path, b: Path) -> bool:
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0
