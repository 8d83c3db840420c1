"""Render the last frame of each spec at 1080p and save a small 960x540 PNG for the README.

    .venv/bin/python scripts/readme_images.py config/l2.yaml:squared-loss config/l1.yaml:absolute-loss

Animations are skipped (Manim's ``-s``), so this takes seconds, not a full render.
"""

import sys
import tempfile
from pathlib import Path

from manim import tempconfig
from PIL import Image

from scenes.compute_kinds import compute_any
from scenes.render.scene_classes import spec_scene_class
from scenes.spec import load_scene

OUT = Path(__file__).resolve().parent.parent / "docs" / "images"


def last_frame(spec_path: str) -> Image.Image:
    spec = load_scene(spec_path)
    with (
        tempfile.TemporaryDirectory() as media,
        tempconfig(
            {
                "quality": "high_quality",
                "media_dir": media,
                "disable_caching": True,
                "save_last_frame": True,
                "write_to_movie": False,
                "verbosity": "WARNING",
                "progress_bar": "none",
            }
        ),
    ):
        scene = spec_scene_class(spec, compute_any(spec))(skip_animations=True)
        scene.render()
        return Image.fromarray(scene.renderer.get_frame()).convert("RGB")


DEFAULT = [
    "config/l2.yaml:squared-loss",
    "config/l1.yaml:absolute-loss",
    "config/huber.yaml:huber-loss",
    "config/huber_auto.yaml:adaptive-huber",
    "config/clipping.yaml:gradient-clipping",
    "config/influence.yaml:bounded-influence",
    "config/tukey.yaml:tukey-loss",
    "config/expr.yaml:formula-loss",
]


def main(pairs: list[str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for pair in pairs:
        spec_path, name = pair.split(":")
        image = last_frame(spec_path).resize((960, 540), Image.LANCZOS)
        # 256 colours without dithering keeps flat slide colours exact and the file small.
        image = image.quantize(
            colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
        )
        image.save(OUT / f"{name}.png", optimize=True)
        print(OUT / f"{name}.png")


if __name__ == "__main__":
    main(sys.argv[1:] or DEFAULT)
