"""Writing outputs so that nothing a user has is ever lost or half-written.

Every output is written under a temporary name in its final folder, then renamed into place:
a rename within one folder is atomic, so a reader (or a killed render) sees either the old file or
the new one, never a mix.

Temporary names carry the writer's process id (``.HuberLoss.1234.tmp-x8y2.mp4``, work folders
``.loss-scenes-1234-abcd``): a process killed outright (SIGKILL, power loss) cannot clean up after
itself, so the next render in the same folder removes what dead processes left behind
(:func:`sweep_stale`), and never touches what a live one is still writing.
"""

import contextlib
import errno
import os
import re
import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path

from scenes import interrupt

WORK_PREFIX = ".loss-scenes-"
KILL_AFTER_COMMITS = "LOSS_SCENES_KILL_AFTER_COMMITS"
"""Fault injection for tests: with ``N`` in this environment variable the process kills itself
(SIGKILL) just before its ``N+1``-th rename into place, i.e. at an exact point between commits."""

_commits = 0
_STALE = re.compile(r"^\.(?:loss-scenes-(?P<dir_pid>\d+)-.*|.*\.(?P<file_pid>\d+)\.tmp-.*)$")


def cache_dir() -> Path:
    """The per-user cache (TeX and text glyphs, speech): everything in it is keyed by content, so
    it never goes stale and may be deleted at any time.
    """
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "loss-scenes"


def _commit(source: Path, final: Path) -> None:
    global _commits
    limit = os.environ.get(KILL_AFTER_COMMITS)
    if limit is not None and _commits >= int(limit):
        os.kill(os.getpid(), signal.SIGKILL)
    interrupt.check()
    os.replace(source, final)
    _commits += 1


def _temp_prefix(final: Path) -> str:
    return f".{final.stem}.{os.getpid()}.tmp-"


def usual_file_mode() -> int:
    """The mode a plain ``open(path, "w")`` gives a new file: 0o666 less the process's umask.

    On Linux the umask is read from ``/proc``: setting it to read it back (``os.umask``) would,
    for an instant, let any file another thread creates be writable by everyone.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def temp_beside(final: Path) -> Path:
    """A new empty file beside ``final`` under a temporary name, with the usual mode.

    mkstemp makes the file private (0600); renamed into place it would stay so, and a web
    server running as another user could not read the video. Outputs are ordinary files.
    """
    fd, temp_name = tempfile.mkstemp(
        prefix=_temp_prefix(final), suffix=final.suffix, dir=final.parent
    )
    try:
        os.fchmod(fd, usual_file_mode())
    finally:
        os.close(fd)
    return Path(temp_name)


@contextlib.contextmanager
def atomic_path(final: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``final``; on success rename it onto ``final``."""
    final.parent.mkdir(parents=True, exist_ok=True)
    temp = temp_beside(final)
    try:
        yield temp
        _commit(temp, final)
    finally:
        temp.unlink(missing_ok=True)


def write_text_atomic(final: Path, text: str) -> None:
    with atomic_path(final) as temp:
        temp.write_text(text, encoding="utf-8")


def create_new_files(files: dict[Path, str]) -> None:
    """Create every file of ``files`` (path -> text), or none: never replace one that exists.

    Each is written under a temporary name, then hard-linked to its name: ``link()`` fails when
    the name is taken, so nothing is replaced even if it appeared a moment ago. In that case the
    files already linked, and the folders made for them, are removed again, and
    :class:`FileExistsError` names the file that was in the way.
    """
    for path in files:
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path))
    mode = usual_file_mode()
    made: list[Path] = []
    staged: dict[Path, Path] = {}
    linked: list[Path] = []
    try:
        try:
            for path, text in files.items():
                for folder in (*reversed(path.parent.parents), path.parent):
                    if not folder.exists():
                        folder.mkdir()
                        made.append(folder)
                fd, name = tempfile.mkstemp(
                    prefix=_temp_prefix(path), suffix=path.suffix, dir=path.parent
                )
                staged[path] = Path(name)
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(text)
                os.chmod(name, mode)
            for path, temp in staged.items():
                interrupt.check()
                os.link(temp, path)
                linked.append(path)
        finally:
            for temp in staged.values():
                temp.unlink(missing_ok=True)
    except BaseException:
        for path in linked:
            path.unlink(missing_ok=True)
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


def move_atomic(source: Path, final: Path) -> None:
    """Move ``source`` onto ``final`` atomically (``source`` must be on the same file system)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    _commit(source, final)


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


def replace_dir_contents(new: Path, final: Path, parked: Path) -> None:
    """Put the entries of folder ``new`` in place of those of ``final``, which stays itself.

    For a ``final`` that cannot be renamed (a mount point: a USB stick, a container volume):
    ``new`` and ``parked`` (a folder that does not exist yet) must be inside ``final``, so every
    rename stays on its file system. The old entries end up in ``parked``, for the caller to
    delete. Not one step: a reader may see the old site and the new one mixed for an instant;
    a failure part way puts the old entries back.
    """
    parked.mkdir()
    # The entries of ``final`` that hold ``new`` and ``parked`` (the scratch folder) stay.
    keep = {path.relative_to(final).parts[0] for path in (new, parked)}
    old = [entry for entry in final.iterdir() if entry.name not in keep]
    moved_out: list[str] = []
    moved_in: list[str] = []
    try:
        for entry in old:
            os.replace(entry, parked / entry.name)
            moved_out.append(entry.name)
        for entry in list(new.iterdir()):
            os.replace(entry, final / entry.name)
            moved_in.append(entry.name)
    except BaseException:
        for name in moved_in:
            with contextlib.suppress(OSError):
                os.replace(final / name, new / name)
        for name in moved_out:
            with contextlib.suppress(OSError):
                os.replace(parked / name, final / name)
        raise


def is_mount_point(path: Path) -> bool:
    r"""Whether ``path`` is where a file system is mounted, so it cannot be renamed or replaced.

    ``os.path.ismount`` misses a bind mount from the same file system (a container volume);
    Linux lists every mount point in ``/proc/self/mountinfo`` (field 5, spaces as ``\040``).
    """
    if os.path.ismount(path):
        return True
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="surrogateescape") as table:
            lines = table.read().splitlines()
    except OSError:
        return False
    wanted = os.path.realpath(path)
    for line in lines:
        fields = line.split(" ")
        if len(fields) > 4 and _unescape_mount(fields[4]) == wanted:
            return True
    return False


def _unescape_mount(field: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda match: chr(int(match[1], 8)), field)


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


def folder_problem(path: Path) -> str | None:
    """Why ``path`` cannot be an output folder (it, or a folder above it, is a file); or None."""
    for candidate in (path, *path.parents):
        if not (candidate.exists() or candidate.is_symlink()):
            continue
        if candidate.is_dir():
            return None
        if candidate == path:
            return "exists and is not a folder"
        return f"{candidate} is a file, so no folder can be made inside it"
    return None


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (other processes asking for it wait).

    For read-modify-write of a file several renders share, such as the output folder's
    manifest: without it, two renders into one folder each read the old manifest and the second
    to write drops the first one's entry. The lock is ``flock`` on the folder itself (no lock
    file left behind), released when the process ends however it ends; where ``flock`` does
    not exist (Windows) the block runs unlocked.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def work_dir(folder: Path) -> tempfile.TemporaryDirectory:
    """A private scratch folder inside ``folder`` (same file system, so moves out are renames)."""
    return tempfile.TemporaryDirectory(prefix=f"{WORK_PREFIX}{os.getpid()}-", dir=folder)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def sweep_stale(folder: Path) -> list[Path]:
    """Remove temporary files and work folders that dead processes left in ``folder``."""
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = _STALE.match(entry.name)
        if match is None:
            continue
        pid = int(match["dir_pid"] or match["file_pid"])
        if _alive(pid):
            continue
        with contextlib.suppress(OSError):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed.append(entry)
    return removed


@contextlib.contextmanager
def staged_cache(shared: Path, suffix: str = ".svg") -> Iterator[Path]:
    """A private copy of a cache folder, published back file by file only on success.

    Manim writes its TeX and text caches in place and trusts any file it finds there, so a render
    killed while ``dvisvgm`` was writing would leave a truncated SVG that every later render
    reuses. Here Manim gets a staging folder holding hard links to the finished ``suffix`` files
    of the shared cache; when the render succeeds, the new ones are renamed into the shared cache.
    Only finished files are ever published, and concurrent renders never write the same file.
    """
    shared.mkdir(parents=True, exist_ok=True)
    sweep_stale(shared)
    with tempfile.TemporaryDirectory(prefix=f"{WORK_PREFIX}{os.getpid()}-", dir=shared) as tmp:
        staging = Path(tmp)
        for path in shared.glob(f"*{suffix}"):
            # An empty file is never a finished glyph; leaving it out makes Manim make it again.
            with contextlib.suppress(OSError):
                if path.stat().st_size > 0:
                    os.link(path, staging / path.name)
        yield staging
        for path in staging.glob(f"*{suffix}"):
            with contextlib.suppress(OSError):
                if path.stat().st_size > 0 and not _finished(shared / path.name):
                    # An empty file in the shared cache (seen after runs under heavy load) is
                    # replaced by the finished one, or every later render would stumble on it.
                    os.replace(path, shared / path.name)


def _finished(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except FileNotFoundError:
        return False
