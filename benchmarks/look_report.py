"""What the scenes' pictures measure, spec by spec: the figures of issue 10's before/after table.

    .venv/bin/python benchmarks/look_report.py [SPEC ...]      (default: every scene in config/)

For every beat end of every scene spec (played with skip_animations, nothing encoded): the
smallest lowercase letters (x-height, px at 720p), the lowest text contrast, the closest pair of
drawn colours (CIEDE2000, the worst of normal vision, deuteranopia, protanopia and tritanopia),
the layout problems found (text outside the title-safe area, overlapping, too small) and the
lowest caption's distance from the bottom edge (px at 720p).
"""

import sys
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(path: Path) -> dict:
    from manim import config

    from scenes.scene import layout_check as lc
    from scenes.scene.beat_frames import play_beats
    from scenes.spec import load_any

    figures = {
        "x_height": float("inf"),
        "contrast": float("inf"),
        "delta_e": float("inf"),
        "closest": "",
        "problems": 0,
        "caption_gap": float("inf"),
    }

    def on_beat(beat_id, scene):
        texts = lc.text_mobjects(scene.mobjects)
        for mob in texts:
            figures["x_height"] = min(figures["x_height"], lc.x_height_px(mob))
            for part in mob.family_members_with_points():
                if part.get_fill_opacity() > 0:
                    ratio = lc.contrast_ratio(part.get_fill_color().to_hex(), lc.style.BACKGROUND)
                    figures["contrast"] = min(figures["contrast"], ratio)
            bottom = mob.get_bottom()[1] + config.frame_height / 2
            figures["caption_gap"] = min(figures["caption_gap"], bottom * 720 / config.frame_height)
        colours = sorted(lc.drawn_colours(scene.mobjects))
        for a, b in combinations(colours, 2):
            worst = min(lc.delta_e(a, b, vision) for vision in lc.VISIONS)
            if worst < figures["delta_e"]:
                figures["delta_e"], figures["closest"] = worst, f"{a}/{b}"
        figures["problems"] += len(lc.check_layout(scene.mobjects, colours=False))

    play_beats(load_any(path), on_beat)
    return figures


def main(args: list[str]) -> None:
    from scenes.spec import Course, Lecture, load_any

    paths = [Path(a) for a in args] or [
        p
        for p in sorted((ROOT / "config").glob("*.yaml"))
        if not isinstance(load_any(p), Lecture | Course)
    ]
    print(
        f"{'spec':24} {'min x-height px':>15} {'min contrast':>12} {'min dE2000':>10} "
        f"{'layout problems':>15} {'lowest text above bottom px':>27}"
    )
    for path in paths:
        f = measure(path)
        print(
            f"{path.stem:24} {f['x_height']:15.1f} {f['contrast']:12.2f} {f['delta_e']:10.1f} "
            f"{f['problems']:15d} {f['caption_gap']:27.1f}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
