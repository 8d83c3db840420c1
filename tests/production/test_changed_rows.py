"""Converting only the rows that changed (scenes/production/encoding.py ChangedRowsConverter)
gives the planes a conversion of the whole frame gives, for changes anywhere: the first and
last rows, one odd row, two bands far apart, nothing at all; at the sizes of the qualities.
"""

import numpy as np
import pytest

from scenes.production.encoding import ChangedRowsConverter, _plane_rows, _rgba_frame


def _planes(frame) -> list[np.ndarray]:
    return [_plane_rows(plane).copy() for plane in frame.planes]


def _whole(pixels) -> list[np.ndarray]:
    return _planes(_rgba_frame(pixels).reformat(format="yuv420p"))


@pytest.mark.parametrize("size", [(854, 480), (1920, 1080)])
def test_changed_rows_convert_as_the_whole_frame(size):
    width, height = size
    rng = np.random.default_rng(7)
    pixels = rng.integers(0, 256, (height, width, 4), dtype=np.uint8)
    pixels[..., 3] = 255
    changes = [
        [(0, 1)],  # the first row
        [(height - 1, height)],  # the last row
        [(101, 102)],  # one odd row
        [(40, 90), (height - 60, height - 20)],  # two bands far apart
        [],  # the same frame again
        [(0, height)],  # everything
        [(height // 2 - 3, height // 2 + 4)],
    ]
    converter = ChangedRowsConverter("yuv420p")
    for step, bands in enumerate([[(0, height)], *changes]):
        pixels = pixels.copy()
        for first, end in bands:
            pixels[first:end, :, :3] = rng.integers(0, 256, (end - first, width, 3))
        got = _planes(converter.convert(pixels))
        expected = _whole(pixels)
        for index, (plane, want) in enumerate(zip(got, expected, strict=True)):
            assert np.array_equal(plane, want), (step, bands, index)
    assert converter.rows_converted < converter.rows_seen / 2


def test_a_narrow_change_converts_a_narrow_band():
    rng = np.random.default_rng(3)
    pixels = np.zeros((480, 854, 4), dtype=np.uint8)
    converter = ChangedRowsConverter("yuv420p")
    converter.convert(pixels)
    moved = pixels.copy()
    moved[200:210, 300:340] = rng.integers(0, 256, (10, 40, 4))
    before = converter.rows_converted
    converter.convert(moved)
    margins = ChangedRowsConverter.FILTER_REACH + ChangedRowsConverter.BAND_MARGIN
    assert converter.rows_converted - before == 10 + 2 * margins


def test_without_the_fast_paths_every_frame_is_converted_whole():
    pixels = np.zeros((480, 854, 4), dtype=np.uint8)
    converter = ChangedRowsConverter("yuv420p", only_changed=False)
    for _ in range(3):
        converter.convert(pixels)
    assert converter.rows_converted == converter.rows_seen == 3 * 480
