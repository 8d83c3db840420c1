"""Golden frames: a few beat-end frames per scene kind, compared with a tolerance.

Like Manim's own ``frames_comparison`` tests, a frame is drawn again and compared with the stored
one pixel by pixel; anti-aliasing and font hinting may move edges by a level or two, so a frame
passes when few pixels differ by much. Regenerate the frames (and the README images) with
``python scripts/golden.py`` after a deliberate change of the picture, and look at them.
"""

import json
from collections import defaultdict

import numpy as np
import pytest
from helpers import ROOT
from PIL import Image

pytestmark = pytest.mark.slow

GOLDEN = ROOT / "tests" / "golden"
HEIGHT = 480
# A pixel differs when one channel is off by more than this; a frame may have this share of them.
CHANNEL_TOLERANCE = 40
MAX_DIFFERING_SHARE = 0.004


def golden_by_spec() -> dict[str, list[dict]]:
    entries = json.loads((GOLDEN / "golden.json").read_text())
    grouped: dict[str, list[dict]] = defaultdict(list)
    for entry in entries:
        grouped[entry["spec"]].append(entry)
    return dict(grouped)


def differing_share(frame: np.ndarray, expected: np.ndarray) -> float:
    assert frame.shape == expected.shape, (frame.shape, expected.shape)
    difference = np.abs(frame.astype(int) - expected.astype(int)).max(axis=-1)
    return float((difference > CHANNEL_TOLERANCE).mean())


@pytest.mark.parametrize("spec_path", sorted(golden_by_spec()), ids=lambda p: p.split("/")[-1])
def test_frames_match_the_golden_frames(spec_path):
    from scenes.scene.beat_frames import beat_frames
    from scenes.spec import load_scene

    frames = beat_frames(load_scene(ROOT / spec_path), HEIGHT)
    for entry in golden_by_spec()[spec_path]:
        expected = np.asarray(Image.open(GOLDEN / entry["file"]).convert("RGB"))
        share = differing_share(frames[entry["beat"]], expected)
        assert share <= MAX_DIFFERING_SHARE, (
            f"{entry['file']}: {share:.2%} of pixels differ (run scripts/golden.py if the change "
            "is deliberate)"
        )


def test_the_comparison_sees_a_changed_picture():
    """A frame with one curve moved fails; the same frame passes."""
    entry = json.loads((GOLDEN / "golden.json").read_text())[0]
    expected = np.asarray(Image.open(GOLDEN / entry["file"]).convert("RGB"))
    assert differing_share(expected.copy(), expected) == 0.0
    shifted = np.roll(expected, 6, axis=0)
    assert differing_share(shifted, expected) > MAX_DIFFERING_SHARE
