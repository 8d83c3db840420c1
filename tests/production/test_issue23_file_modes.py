"""Issue 23: every file loss-scenes writes gets the user's usual mode (0o666 less the umask).

A plain ``manim`` render of a narrated lecture goes through ``FastSceneFileWriter``, whose last
step makes the MP4 faststart in place; that copy was made with ``mkstemp`` (mode 0600), so a web
server running as another user could not read the video. No render here: a small MP4 made with
PyAV, written the way Manim writes it (index after the media data).
"""

import os
import stat
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from scenes.files import atomic_path, usual_file_mode
from scenes.production.video import ensure_faststart, is_faststart, mp4_boxes


def moov_last_mp4(path: Path) -> None:
    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=Fraction(10))
        stream.width, stream.height, stream.pix_fmt = 64, 36, "yuv420p"
        for index in range(5):
            image = np.full((36, 64, 3), 40 * index, np.uint8)
            out.mux(stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")))
        out.mux(stream.encode(None))


@pytest.fixture
def umask():
    """Set the process's umask for one test, and put the old one back."""
    previous = os.umask(0o022)
    os.umask(previous)
    yield os.umask
    os.umask(previous)


@pytest.mark.parametrize(
    ("mask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)], ids=["022", "002", "077"]
)
def test_ensure_faststart_leaves_the_mp4_with_the_usual_mode(tmp_path, umask, mask, mode):
    movie = tmp_path / "LossFunctions.mp4"
    umask(mask)
    moov_last_mp4(movie)
    boxes = mp4_boxes(movie)
    assert boxes.index("mdat") < boxes.index("moov"), "the fixture must need the copy"
    ensure_faststart(movie)
    assert is_faststart(movie)
    assert stat.S_IMODE(movie.stat().st_mode) == mode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["LossFunctions.mp4"]


def test_usual_mode_is_what_open_gives_a_new_file(tmp_path, umask):
    for mask in (0o022, 0o027, 0o002):
        umask(mask)
        plain = tmp_path / f"plain-{mask:o}.txt"
        plain.write_text("x")
        assert usual_file_mode() == stat.S_IMODE(plain.stat().st_mode)
        with atomic_path(tmp_path / f"atomic-{mask:o}.txt") as temp:
            temp.write_text("x")
        assert stat.S_IMODE((tmp_path / f"atomic-{mask:o}.txt").stat().st_mode) == (
            usual_file_mode()
        )
