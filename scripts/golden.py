"""Regenerate the golden frames (tests/golden/) and the README images (docs/images/).

    .venv/bin/python scripts/golden.py

One deliberate command for both: the golden frames are a few beat-end frames per scene kind at
854x480, which ``tests/scene/test_golden_frames.py`` compares with a tolerance; the README images
are the last frame of each scene below at 1080p, saved at 960x540 (a scene of the default lecture as
the lecture shows it). Nothing is encoded: the scenes are played with Manim's skip_animations
(``scenes.scene.beat_frames``), so this takes about a minute. Look at the changed images before
committing them.
"""

import json
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
IMAGES = ROOT / "docs" / "images"
MANIFEST = GOLDEN / "golden.json"
GOLDEN_HEIGHT = 480

# Spec -> beats kept as golden frames (a few per scene kind: curves, descent, balance).
GOLDEN_BEATS = {
    "config/l2.yaml": ["derivative", "arrival"],
    "config/l1.yaml": ["arrival"],
    "config/huber.yaml": ["derivative", "estimate", "arrival"],
    "config/huber_auto.yaml": ["adapt"],
    "config/trimmed.yaml": ["restart"],
    "config/clipping.yaml": ["clip", "last"],
    "config/influence.yaml": ["last"],
    "config/lecture-title.yaml": ["last"],
    "config/lecture-summary.yaml": ["last"],
}
# Spec -> README image name (the scene's last frame).
README_IMAGES = {
    "config/l2.yaml": "squared-loss",
    "config/l1.yaml": "absolute-loss",
    "config/huber.yaml": "huber-loss",
    "config/huber_auto.yaml": "adaptive-huber",
    "config/clipping.yaml": "gradient-clipping",
    "config/influence.yaml": "bounded-influence",
    "config/trimmed.yaml": "trimmed-loss",
    "config/lecture-title.yaml": "title-card",
    "config/lecture-summary.yaml": "summary-card",
    "config/tukey.yaml": "tukey-loss",
    "config/expr.yaml": "formula-loss",
}


def save_png(image: Image.Image, path: Path) -> None:
    """A small PNG: 256 colours without dithering keep flat slide colours exact."""
    image = image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    temporary = path.with_suffix(".tmp.png")
    image.save(temporary, optimize=True)
    temporary.replace(path)


def golden_frames() -> None:
    from scenes.scene.beat_frames import beat_frames
    from scenes.spec import load_scene

    GOLDEN.mkdir(parents=True, exist_ok=True)
    entries = []
    for spec_path, wanted in GOLDEN_BEATS.items():
        spec = load_scene(ROOT / spec_path)
        frames = beat_frames(spec, GOLDEN_HEIGHT)
        beats = [list(frames)[-1] if beat == "last" else beat for beat in wanted]
        for beat in beats:
            name = f"{spec.scene}.{beat}.png"
            save_png(Image.fromarray(frames[beat]), GOLDEN / name)
            entries.append({"spec": spec_path, "beat": beat, "file": name})
            print(GOLDEN / name)
    MANIFEST.write_text(json.dumps(entries, indent=2) + "\n")


def readme_images() -> None:
    from scenes.scene.beat_frames import beat_frames
    from scenes.spec import load_scene
    from scenes.spec.loading import load_lecture

    # A scene of the default lecture is pictured as the lecture shows it (its shared number line).
    in_lecture = {
        path.resolve(): spec for path, spec in load_lecture(ROOT / "config" / "lecture.yaml").scenes
    }
    IMAGES.mkdir(parents=True, exist_ok=True)
    for spec_path, name in README_IMAGES.items():
        path = (ROOT / spec_path).resolve()
        frames = beat_frames(in_lecture.get(path) or load_scene(path), 1080)
        last = Image.fromarray(list(frames.values())[-1]).resize((960, 540), Image.LANCZOS)
        save_png(last, IMAGES / f"{name}.png")
        print(IMAGES / f"{name}.png")


def main(args: list[str]) -> None:
    if args and args != ["--golden"] and args != ["--readme"]:
        sys.exit("usage: golden.py [--golden | --readme]  (default: both)")
    if args != ["--readme"]:
        golden_frames()
    if args != ["--golden"]:
        readme_images()


if __name__ == "__main__":
    main(sys.argv[1:])
