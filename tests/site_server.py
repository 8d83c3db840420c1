"""A local web server for the exported site: as a static host serves it (with byte ranges), or
as ``python -m http.server`` does (no ranges), optionally with extra headers (a content policy).
"""

import contextlib
import http.server
import io
import os
import re
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path


class FileHandler(http.server.SimpleHTTPRequestHandler):
    """The standard library's file handler, as ``python -m http.server`` runs it: it ignores
    ``Range`` and answers every request with the whole file (200, no ``Accept-Ranges``)."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".vtt": "text/vtt",
        ".webm": "video/webm",
        ".mp4": "video/mp4",
        ".js": "text/javascript",
    }
    extra_headers: dict[str, str] = {}

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def end_headers(self):
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()


class RangeHandler(FileHandler):
    """Plus HTTP byte ranges, which browsers use to seek in media (GitHub Pages and every real
    static host answer them)."""

    def send_head(self):
        match = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers.get("Range", ""))
        path = self.translate_path(self.path)
        if not match or not os.path.isfile(path):
            return super().send_head()
        with open(path, "rb") as file:
            size = os.fstat(file.fileno()).st_size
            if match[1]:
                start, end = int(match[1]), int(match[2]) if match[2] else size - 1
            else:
                start, end = max(0, size - int(match[2])), size - 1
            end = min(end, size - 1)
            if start > end:
                self.send_error(416)
                return None
            file.seek(start)
            body = file.read(end - start + 1)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        return io.BytesIO(body)


@contextlib.contextmanager
def serve(
    folder: Path, *, ranges: bool = True, headers: dict[str, str] | None = None
) -> Iterator[str]:
    """Serve ``folder`` on a free port of 127.0.0.1; yield the base URL (ending in ``/``).

    ``ranges=False`` serves no byte ranges; ``headers`` go on every response.
    """
    handler = type("Handler", (RangeHandler if ranges else FileHandler,), {})
    handler.extra_headers = dict(headers or {})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(handler, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
