"""Scene parts rendered on a Dask distributed cluster (spec-v2 section 12).

The tasks are the planned parts (:func:`scenes.production.plan.plan_parts`). A worker renders
its part (:func:`scenes.production.worker.render_part`) into a temporary folder of its own and
sends the files back as bytes, so the workers need no file system shared with this machine; here
the bytes become the same local files a local render leaves, and they are joined, checked and
published as they always are (:mod:`scenes.production.publish`).

Workers are plain ``dask worker`` processes on machines with the same loss-scenes installed. A
part whose worker is lost is run again elsewhere by the scheduler; a part that fails is retried
(``RETRIES``) before the render gives up.
"""

import contextlib
import dataclasses
import re
import socket
import struct
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scenes.errors import EXIT_INVALID, LossScenesError
from scenes.production.worker import PartResult, render_part

RETRIES = 2
"""Further attempts at a part that raised on its worker (a full disk, say) before giving up."""

CONNECT_SECONDS = 30.0
"""How long to wait for the scheduler to answer, and then for a first worker to join it."""

PROBE_SECONDS = 5.0
"""How long a TCP scheduler address may take to accept a connection and greet (it speaks first)."""

SCHEMES = ("tcp", "tls", "ws", "wss", "ucx")
"""The address schemes of Dask's communications; a bare ``host:port`` is tcp."""

_ADDRESS = re.compile(
    r"^(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://)?(?P<host>\[[0-9A-Fa-f:.]+\]|[^:/\s\[\]]+):(?P<port>[0-9]{1,5})/?$"
)

# Manim's configuration is one global per process: a worker started with several threads would
# otherwise draw two parts into one configuration. Start workers with --nthreads 1 (and
# --nworkers N for N cores) to use every core.
_ONE_PART_AT_A_TIME = threading.Lock()


class ClusterError(LossScenesError):
    """The cluster cannot render this (unreachable, no workers, another version): exit 1.

    Its text is the whole message, one line (this module imports nothing heavy, so the command
    line can catch it whatever the command).
    """


class ClusterAddressError(ClusterError, exit_code=EXIT_INVALID):
    """``--cluster`` names no Dask scheduler address (a typo, a web address): exit 2, found
    before anything is rendered.
    """


@dataclass
class PartFiles:
    """A part as a worker sends it back: the files' bytes, and which worker drew them."""

    worker: str
    seconds: float
    frames: int
    fps: float
    movie: bytes
    poster: bytes | None
    stills: dict[str, bytes] = field(default_factory=dict)


def installed_version() -> str:
    """The loss-scenes version of this process (run on each worker to compare)."""
    from scenes.version import __version__

    return __version__


def _version_mismatch(worker: str, theirs: str, ours: str) -> str:
    return (
        f"worker {worker} runs loss-scenes {theirs}, this machine {ours}: install loss-scenes "
        f"{ours} on every worker"
    )


def render_part_on_worker(
    prepared: Any, quality: str, first: int, last: int, version: str
) -> PartFiles:
    """The task: render one part on a Dask worker and return its files' bytes."""
    from distributed import get_worker

    worker = get_worker().address
    # Checked again here: a worker that joined after the check at connection time.
    if installed_version() != version:
        raise ClusterError(_version_mismatch(worker, installed_version(), version))
    with _ONE_PART_AT_A_TIME, tempfile.TemporaryDirectory(prefix="loss-scenes-part-") as media:
        result = render_part(prepared, quality, media, first, last)
        return PartFiles(
            worker=worker,
            seconds=result.seconds,
            frames=result.frames,
            fps=result.fps,
            movie=Path(result.movie).read_bytes(),
            poster=Path(result.poster).read_bytes() if result.poster else None,
            stills={beat: Path(path).read_bytes() for beat, path in result.stills.items()},
        )


def write_part(files: PartFiles, media: Path) -> PartResult:
    """The worker's files written into ``media``: the result a local render of the part gives."""
    movie = media / "part.mp4"
    movie.write_bytes(files.movie)
    poster = None
    if files.poster is not None:
        poster = media / "last.png"
        poster.write_bytes(files.poster)
    stills = {}
    if files.stills:
        (media / "stills").mkdir()
    for beat, data in files.stills.items():
        stills[beat] = str(media / "stills" / f"{beat}.png")
        Path(stills[beat]).write_bytes(data)
    return PartResult(
        movie=str(movie),
        poster=str(poster) if poster else None,
        seconds=files.seconds,
        frames=files.frames,
        fps=files.fps,
        stills=stills,
    )


@dataclass(frozen=True)
class ClusterPart:
    """One task: beats ``first``..``last`` of a prepared scene; ``label`` names it in progress."""

    label: str
    prepared: Any
    first: int
    last: int


class Cluster:
    """A connection to a Dask scheduler whose workers all run this loss-scenes version."""

    def __init__(self, client: Any, address: str) -> None:
        self.client = client
        self.address = address

    @property
    def threads(self) -> int:
        """Parts the cluster renders at once: the workers' threads, together."""
        return max(1, sum(self.client.nthreads().values()))

    def check_versions(self) -> None:
        """Raise :class:`ClusterError` unless every worker runs this loss-scenes version."""
        ours = installed_version()
        answers = self.client.run(installed_version, on_error="return")
        for worker, theirs in sorted(answers.items()):
            if isinstance(theirs, BaseException):
                raise ClusterError(
                    f"worker {worker} cannot run loss-scenes ({type(theirs).__name__}: {theirs}); "
                    f"install loss-scenes {ours} on every worker"
                )
            if theirs != ours:
                raise ClusterError(_version_mismatch(worker, theirs, ours))

    def render(
        self,
        parts: list[ClusterPart],
        quality: str,
        media_dir: Callable[[int], Path],
        done: Callable[[int, PartResult], None],
        say: Callable[[str], None],
    ) -> None:
        """Render ``parts`` on the workers; for each one finished (in any order), write its
        files into ``media_dir(index)`` and call ``done(index, result)``.

        An exception (a part failing after its retries, Ctrl-C) cancels every part not yet
        finished, so the cluster does not go on rendering for nobody.
        """
        from distributed import as_completed

        version = installed_version()
        futures = {}
        started = time.perf_counter()
        try:
            for index, part in enumerate(parts):
                # The parts are drawn silent (the narration is laid on the joined scene here):
                # the speech's audio need not travel.
                prepared = dataclasses.replace(part.prepared, speech={})
                future = self.client.submit(
                    render_part_on_worker,
                    prepared,
                    quality,
                    part.first,
                    part.last,
                    version,
                    retries=RETRIES,
                    pure=False,
                    key=f"loss-scenes-{part.label}-{index}-{time.time_ns()}",
                )
                futures[future] = index
            say(f"rendering {len(parts)} parts ({quality}) on {self.address} ...")
            for future in as_completed(list(futures), loop=self.client.loop):
                index = futures.pop(future)
                try:
                    files = future.result()
                except ClusterError:
                    raise
                except Exception as error:
                    raise ClusterError(
                        f"part {parts[index].label} failed on the cluster: {error} "
                        f"({type(error).__name__})"
                    ) from error
                say(
                    f"part {parts[index].label} rendered by {files.worker} in "
                    f"{files.seconds:.1f} s ({time.perf_counter() - started:.1f} s since start)"
                )
                done(index, write_part(files, media_dir(index)))
        except BaseException:
            if futures:
                self.client.cancel(list(futures), force=True)
            raise


def check_address(address: str) -> tuple[str, str, int]:
    """``(scheme, host, port)`` of a scheduler address, or :class:`ClusterError` saying why not.

    Checked before Dask sees it: Dask raises a bare ValueError from deep inside for a wrong
    scheme, after a minute, and leaves a client whose clean-up prints a trace at exit.
    """
    text = address.strip()
    if text.startswith(("http://", "https://")):
        raise ClusterAddressError(
            f"{address} is a web address (the Dask dashboard?); the scheduler's address looks like "
            "tcp://HOST:8786"
        )
    match = _ADDRESS.match(text)
    if match is None:
        raise ClusterAddressError(
            f"{address!r} is not a Dask scheduler address; expected tcp://HOST:PORT "
            "(e.g. tcp://127.0.0.1:8786)"
        )
    scheme = (match["scheme"] or "tcp").lower()
    if scheme not in SCHEMES:
        raise ClusterAddressError(
            f"{address}: Dask schedulers listen on {', '.join(s + '://' for s in SCHEMES)}, "
            f"not {scheme}://"
        )
    port = int(match["port"])
    if not 1 <= port <= 65535:
        raise ClusterAddressError(f"{address}: the port must be between 1 and 65535, not {port}")
    return scheme, match["host"].strip("[]"), port


def probe(host: str, port: int, address: str, seconds: float = PROBE_SECONDS) -> None:
    """Raise :class:`ClusterError` unless a Dask scheduler greets at ``host:port`` in time.

    A Dask TCP comm opens with the listener's handshake message, a little-endian length first;
    a web server (the dashboard port) says nothing until asked, and anything else answers with
    bytes that are no plausible length (an HTTP reply read as one is some exbibytes).
    """
    try:
        with socket.create_connection((host, port), timeout=seconds) as connection:
            connection.settimeout(seconds)
            greeting = b""
            while len(greeting) < 8:
                chunk = connection.recv(8 - len(greeting))
                if not chunk:
                    break
                greeting += chunk
    except TimeoutError:
        raise ClusterError(
            f"{address} does not answer as a Dask scheduler within {seconds:.0f} s (a dashboard "
            "or another service? the scheduler listens on port 8786 by default)"
        ) from None
    except OSError as error:
        raise ClusterError(
            f"cannot reach the Dask scheduler at {address}: {error.strerror or error}"
        ) from None
    if len(greeting) < 8 or not 0 < struct.unpack("<Q", greeting)[0] < 1 << 24:
        raise ClusterError(f"{address} answers, but not as a Dask scheduler")


@contextlib.contextmanager
def connect(address: str | None) -> Iterator[Cluster | None]:
    """A :class:`Cluster` at ``address`` (None: no cluster, yield None), checked, then closed."""
    if not address:
        yield None
        return
    scheme, host, port = check_address(address)
    if scheme == "tcp":
        probe(host, port, address)
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError(
            "rendering on a cluster needs Dask distributed: pip install 'dask[distributed]'"
        ) from None
    try:
        client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, ValueError) as error:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {error}") from None
    try:
        try:
            client.wait_for_workers(1, timeout=CONNECT_SECONDS)
        except TimeoutError:
            raise ClusterError(
                f"the Dask scheduler at {address} has no workers (waited {CONNECT_SECONDS:.0f} s); "
                f"start some with: dask worker {address} --nthreads 1"
            ) from None
        cluster = Cluster(client, address)
        cluster.check_versions()
        yield cluster
    finally:
        client.close()
