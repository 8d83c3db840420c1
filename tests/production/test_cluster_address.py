"""--cluster addresses are checked before Dask sees them (issue 23): one line, in seconds."""

import http.server
import socket
import struct
import threading
import time

import pytest

from scenes.production.cluster import (
    ClusterAddressError,
    ClusterError,
    check_address,
    connect,
    probe,
)


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("tcp://127.0.0.1:8786", ("tcp", "127.0.0.1", 8786)),
        ("127.0.0.1:8786", ("tcp", "127.0.0.1", 8786)),
        ("tls://scheduler.example:8786", ("tls", "scheduler.example", 8786)),
        ("tcp://[::1]:8786", ("tcp", "::1", 8786)),
    ],
)
def test_scheduler_addresses_are_read(address, expected):
    assert check_address(address) == expected


@pytest.mark.parametrize(
    ("address", "words"),
    [
        ("nonsense", "not a Dask scheduler address"),
        ("http://127.0.0.1:8787", "web address"),
        ("https://dask.example/status", "web address"),
        ("ftp://host:21", "not ftp://"),
        ("tcp://host:99999", "between 1 and 65535"),
        ("tcp://host", "not a Dask scheduler address"),
        ("", "not a Dask scheduler address"),
    ],
)
def test_wrong_addresses_are_invalid_input(address, words):
    with pytest.raises(ClusterAddressError, match=words) as caught:
        check_address(address)
    assert caught.value.exit_code == 2
    assert "\n" not in str(caught.value)


def _serve(handler) -> tuple[socket.socket, int]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def run():
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=handler, args=(connection,), daemon=True).start()

    threading.Thread(target=run, daemon=True).start()
    return server, server.getsockname()[1]


def test_a_silent_service_times_out_in_seconds():
    # What Dask's dashboard port (HTTP) does: wait for a request, say nothing.
    server, port = _serve(lambda connection: time.sleep(5))
    started = time.monotonic()
    with server, pytest.raises(ClusterError, match="does not answer as a Dask scheduler"):
        probe("127.0.0.1", port, f"tcp://127.0.0.1:{port}", seconds=0.5)
    assert time.monotonic() - started < 3


def test_an_answer_that_is_no_dask_greeting_is_refused():
    server, port = _serve(lambda connection: connection.sendall(b"HTTP/1.1 400 Bad Request\r\n"))
    with server, pytest.raises(ClusterError, match="not as a Dask scheduler"):
        probe("127.0.0.1", port, f"tcp://127.0.0.1:{port}", seconds=2)


def test_a_dask_like_greeting_passes_the_probe():
    greeting = struct.pack("<Q", 58) + bytes(58)
    server, port = _serve(lambda connection: connection.sendall(greeting))
    with server:
        probe("127.0.0.1", port, f"tcp://127.0.0.1:{port}", seconds=2)


def test_a_closed_port_is_one_line():
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    with pytest.raises(ClusterError, match="cannot reach") as caught:
        with connect(f"tcp://127.0.0.1:{port}"):
            pass
    assert caught.value.exit_code == 1


def test_the_web_server_of_a_dashboard_is_named(tmp_path):
    handler = http.server.SimpleHTTPRequestHandler
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.server_address[1]
        with pytest.raises(ClusterError, match="does not answer"):
            probe("127.0.0.1", port, f"tcp://127.0.0.1:{port}", seconds=0.5)
        server.shutdown()
