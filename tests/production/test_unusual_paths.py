"""Any character a file system allows in a spec or output path: quotes, spaces, non-ASCII.

Manim joins a scene's segments through FFmpeg's concat list, which quotes every path with ``'``;
one apostrophe in the output folder made every render, export and watch fail. Renders here run
in a folder named like a lecturer's course folder, into output folders with the same characters.
"""

import json
from pathlib import Path
from urllib.parse import unquote

import av
import pytest
from helpers import CONFIG, fast_copy, run_cli

from scenes.production.video import concatenate, probe

AWKWARD = 'Jane\'s "Kurs" über Verluste'


def _awkward_lecture(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / AWKWARD
    folder.mkdir()
    fast_copy(CONFIG / "l2.yaml", folder)
    fast_copy(CONFIG / "huber.yaml", folder)
    lecture = folder / "lecture's spec.yaml"
    lecture.write_text(
        "lecture: Lec\ntitle: Paths\nscenes: [l2.yaml, huber.yaml]\nrender: {quality: low}\n"
        # As the site shows them (captions as tracks), so export can reuse the render.
        "captions: {burn: false}\n"
    )
    return folder, lecture


@pytest.mark.slow
def test_render_and_export_with_apostrophes_spaces_and_non_ascii(tmp_path):
    folder, lecture = _awkward_lecture(tmp_path)
    # The default output folder, renders/low, inside the course folder; -j 2 cuts the scenes
    # into parts, joined again afterwards.
    result = run_cli("render", lecture.name, "-j", "2", cwd=folder)
    assert result.returncode == 0, result.stderr
    out = folder / "renders" / "low"
    written = [folder / line for line in result.stdout.splitlines()]
    names = {path.name for path in written}
    assert {"SquaredLoss.mp4", "HuberLoss.mp4", "Lec.mp4", "manifest.json"} <= names
    assert all(path.is_file() and path.parent == out for path in written)
    assert probe(out / "Lec.mp4").duration == pytest.approx(
        probe(out / "SquaredLoss.mp4").duration + probe(out / "HuberLoss.mp4").duration, abs=0.1
    )
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(manifest["videos"]) == {"SquaredLoss", "HuberLoss", "Lec"}

    # export reuses those videos and writes the site into a folder named just as awkwardly.
    site = "site 'a' #1"
    result = run_cli("export", lecture.name, "-o", site, "--render-dir", str(out), cwd=folder)
    assert result.returncode == 0, result.stderr
    assert "unchanged, reused" in result.stderr
    index, *snippets = result.stdout.splitlines()
    assert Path(index) == folder / site / "index.html" and Path(index).is_file()
    # The snippet's URL, from a page beside the site folder, leads to the embed page: a # or a
    # space must not cut it short.
    src = snippets[0].split('src="', 1)[1].split('"', 1)[0]
    assert "#" not in src and " " not in src
    assert (folder / unquote(src)).is_file()


def _segment(path: Path, frames: int, rate: int = 15) -> Path:
    """A short H.264 file; with few frames x264 uses no B-frames, with more it reorders."""
    import numpy as np

    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=rate)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for index in range(frames):
            picture = np.full((48, 64, 3), (index * 37) % 256, dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return path


def test_joining_segments_with_and_without_frame_reordering(tmp_path):
    # Manim's segments: a two-frame one (no reordering) followed by longer ones (decoding times
    # start before 0). Shifting decoding times by the previous end ran them backwards.
    parts = [
        _segment(tmp_path / "a.mp4", 2),
        _segment(tmp_path / "b.mp4", 30),
        _segment(tmp_path / "c.mp4", 2),
        _segment(tmp_path / "d.mp4", 9),
    ]
    joined = tmp_path / "joined it's.mp4"
    concatenate(parts, joined)
    assert probe(joined).frames == 2 + 30 + 2 + 9
    with av.open(str(joined)) as container:
        decoded = [frame.pts for frame in container.decode(video=0)]
    assert decoded == sorted(decoded) and len(set(decoded)) == len(decoded) == 43
