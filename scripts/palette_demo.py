"""Render one 1280x720 frame that shows the palette and type system at work, and the same frame
as seen with deuteranopia, protanopia and tritanopia (colorspacious, Machado 2009, severity 100).

    .venv/bin/python scripts/palette_demo.py [-o DIR]
    .venv/bin/python scripts/palette_demo.py --table

Writes DIR/palette-demo.png (the frame) and DIR/palette-demo-cvd.png (normal vision and the
three simulations, two by two) and prints their paths; DIR defaults to renders/palette. The
frame's mobjects also go through scenes.scene.layout_check, whose findings are printed.
``--table`` prints the palette instead: each role's colour, contrast, stroke or marker, and the
smallest CIEDE2000 between colours shown together, per scene kind and vision.
"""

import argparse
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from scenes.files import atomic_path

VALUES = np.array([-1.8, -0.6, -0.2, 0.1, 0.4, 0.9, 1.3, 6.0])
DELTA = 1.0
SIMULATIONS = {
    "deuteranopia": "deuteranomaly",
    "protanopia": "protanomaly",
    "tritanopia": "tritanomaly",
}


def huber_estimate(y: np.ndarray, delta: float) -> float:
    """The theta where the clipped pulls sum to zero (bisection; the sum decreases in theta)."""
    lo, hi = float(y.min()), float(y.max())
    for _ in range(200):
        mid = (lo + hi) / 2
        if np.clip(y - mid, -delta, delta).sum() > 0:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def frame_mobjects() -> list:
    """Curves on stacked strips over one r axis; data on a number line with the pulls drawn on
    the observations, the balance of pulls at theta, labelled references and a caption.
    """
    from manim import DOWN, LEFT, RIGHT, UL, UP, Arrow, DashedLine, Line, NumberLine, VGroup

    from scenes.scene import style, typeset
    from scenes.scene.strokes import marker, stroked_curve

    # --- curves: one strip each (every curve fills its strip), one shared r axis --------------
    r = np.linspace(-3, 3, 301)
    loss = np.where(np.abs(r) <= DELTA, r**2 / 2, DELTA * (np.abs(r) - DELTA / 2))
    density = np.exp(-loss) / np.trapezoid(np.exp(-loss), r)
    derivative = np.clip(r, -DELTA, DELTA)
    left, width, axis_y = -5.9, 6.2, 0.35
    strips = {"loss": (loss, 2.15), "density": (density, 1.35), "derivative": (derivative, 0.55)}

    def sx(values: np.ndarray) -> np.ndarray:
        return left + (values + 3) / 6 * width

    curves, labels = VGroup(), VGroup()
    words = {"loss": r"\ell(r)", "density": r"p(r)", "derivative": r"\ell'(r)"}
    for role, (values, base) in strips.items():
        ys = base + 0.6 * (values - values.min()) / np.ptp(values)
        curves.add(stroked_curve(np.stack([sx(r), ys, 0 * r], 1), role))
        label = typeset.maths(
            rf"\text{{{role} }} {words[role]}", style.SIZE_LABEL, style.PALETTE[role]
        )
        labels.add(label.move_to([left + width + 0.3, base + 0.3, 0], aligned_edge=LEFT))
    r_axis = NumberLine(x_range=(-3, 3, 1), length=width, color=style.MUTED)
    r_axis.move_to([left + width / 2, axis_y, 0])
    typeset.tick_labels(r_axis, [-3, -2, -1, 0, 1, 2, 3], 0)
    r_label = typeset.maths(r"r = y - \theta", style.SIZE_SMALL, style.MUTED)
    r_label.next_to(r_axis, RIGHT, buff=0.3).align_to(r_axis.labels, DOWN)
    guides = VGroup(
        *[
            DashedLine([x, axis_y, 0], [x, 2.8, 0], dash_length=0.06, stroke_width=1.5).set_stroke(
                style.MUTED
            )
            for x in sx(np.array([-DELTA, DELTA]))
        ]
    )
    guide_label = typeset.maths(r"\pm\delta", style.SIZE_SMALL, style.MUTED)
    guide_label.next_to(guides[1].get_top(), RIGHT, buff=0.1).shift(0.15 * DOWN)
    title = typeset.text("Huber's robust loss", style.SIZE_TITLE).to_corner(UL, buff=0.8)
    title.shift(0.4 * UP)

    # --- data on a number line: pulls drawn on their observations --------------------------
    line_y = -1.8
    line = NumberLine(x_range=(-3, 7, 1), length=11.6, color=style.MUTED).move_to([0, line_y, 0])
    typeset.tick_labels(line, list(range(-3, 8)), 0)

    def at(value: float, y: float) -> np.ndarray:
        return np.array([line.n2p(value)[0], y, 0.0])

    theta = huber_estimate(VALUES, DELTA)
    pulls = np.clip(VALUES - theta, -DELTA, DELTA)
    dots = VGroup(*[marker("observation", 0.16).move_to(at(v, line_y)) for v in VALUES])
    arrows = VGroup()
    for row, i in enumerate(np.argsort(VALUES)):
        y = line_y + 0.27 + 0.105 * row
        # A pull starts at its observation and points at theta, as long as it pulls; what
        # clipping takes away is the grey rest of the way.
        start, end = at(VALUES[i], y), at(VALUES[i] - pulls[i], y)
        arrows.add(
            Line(at(VALUES[i], line_y), start, stroke_width=1).set_stroke(style.MUTED, opacity=0.6),
            Arrow(start, end, buff=0, stroke_width=3, tip_length=0.12, color=style.DERIVATIVE),
        )
        if abs(VALUES[i] - theta) > DELTA:
            arrows.add(Line(end, at(theta, y), stroke_width=3).set_stroke(style.CLIPPED))
    balance_y = line_y + 1.3
    left_sum, right_sum = float(pulls[pulls < 0].sum()), float(pulls[pulls > 0].sum())
    balance = VGroup(
        *[
            Arrow(
                at(theta, balance_y),
                at(theta + s, balance_y),
                buff=0,
                stroke_width=5,
                tip_length=0.16,
                color=style.BALANCE,
            )
            for s in (left_sum, right_sum)
        ]
    )
    sums = VGroup(
        typeset.text(
            f"{left_sum:.2f}".replace("-", "\u2212"), style.SIZE_SMALL, style.BALANCE
        ).next_to(balance[0], LEFT, buff=0.15),
        typeset.text(
            f"+{right_sum:.2f}: the pulls balance", style.SIZE_SMALL, style.BALANCE
        ).next_to(balance[1], RIGHT, buff=0.15),
    )
    theta_mark = VGroup(
        Line(at(theta, line_y), at(theta, balance_y), stroke_width=2.5).set_stroke(style.THETA),
        marker("theta", 0.22).next_to(at(theta, line_y), DOWN, buff=0.0),
    )
    theta_label = typeset.maths(r"\theta", style.SIZE_LABEL, style.THETA)
    theta_label.next_to(at(theta, balance_y - 0.35), LEFT, buff=0.12)

    # --- references: a tick on the line, a leader, a label with the role's marker -----------
    refs = {
        "median": ("median", float(np.median(VALUES)), -4.2),
        "estimate": ("Huber", theta, -1.3),
        "trimmed_mean": ("trimmed", float(VALUES[np.abs(VALUES - theta) <= DELTA].mean()), 1.7),
        "mean": ("mean", float(VALUES.mean()), 4.6),
    }
    ref_y = line_y - 0.95
    references = VGroup()
    for role, (name, value, label_x) in refs.items():
        colour = style.PALETTE[role]
        label = VGroup(
            marker(role, 0.24),
            typeset.text(f"{name} {value:.2f}", style.SIZE_SMALL, colour),
        ).arrange(RIGHT, buff=0.12)
        label.move_to([label_x, ref_y, 0])
        tick = Line(at(value, line_y + 0.12), at(value, line_y - 0.12), stroke_width=4)
        leader = Line(at(value, line_y - 0.12), label.get_top() + 0.05 * UP, stroke_width=1.5)
        references.add(tick.set_stroke(colour), leader.set_stroke(colour, opacity=0.8), label)
    caption = typeset.text(
        "At θ the pulls balance; the outlier's pull is cut at δ.", style.SIZE_CAPTION
    )
    caption.to_edge(DOWN, buff=0.45)
    return [
        title,
        curves,
        labels,
        r_axis,
        r_label,
        guides,
        guide_label,
        line,
        arrows,
        dots,
        balance,
        sums,
        theta_mark,
        theta_label,
        references,
        caption,
    ]


def simulate(image: np.ndarray, cvd_type: str) -> np.ndarray:
    from colorspacious import cspace_convert

    seen = cspace_convert(
        image / 255.0, {"name": "sRGB1+CVD", "cvd_type": cvd_type, "severity": 100}, "sRGB1"
    )
    return (np.clip(seen, 0, 1) * 255).round().astype(np.uint8)


def grid(panels: dict[str, np.ndarray]) -> Image.Image:
    """The panels two by two, each named in its corner."""
    h, w = next(iter(panels.values())).shape[:2]
    sheet = Image.new("RGB", (2 * w, 2 * h))
    font = ImageFont.truetype("DejaVuSans.ttf", 28)
    for k, (name, pixels) in enumerate(panels.items()):
        tile = Image.fromarray(pixels)
        ImageDraw.Draw(tile).text((w - 16, 12), name, fill="#ffffff", font=font, anchor="ra")
        sheet.paste(tile, ((k % 2) * w, (k // 2) * h))
    return sheet


def print_table() -> None:
    from itertools import combinations

    from scenes.scene import style
    from scenes.scene.layout_check import VISIONS, contrast_ratio, delta_e

    print("| role | colour | contrast | stroke or marker |")
    print("| --- | --- | --- | --- |")
    for role, colour in style.PALETTE.items():
        shape = style.CURVE_STROKES[role].pattern if role in style.CURVE_STROKES else ""
        shape = shape or style.MARKERS.get(role, "")
        ratio = contrast_ratio(colour, style.BACKGROUND)
        print(f"| {role} | `{colour}` | {ratio:.2f}:1 | {shape} |")
    print()
    print("| scene kind | " + " | ".join(v.lower() for v in VISIONS) + " |")
    print("| --- |" + " --- |" * len(VISIONS))
    for kind, roles in style.SHOWN_TOGETHER.items():
        cells = []
        for vision in VISIONS:
            worst = min(
                (delta_e(style.PALETTE[a], style.PALETTE[b], vision), a, b)
                for a, b in combinations(roles, 2)
            )
            cells.append(f"{worst[0]:.1f} ({worst[1]}/{worst[2]})")
        print(f"| {kind} ({len(roles)}) | " + " | ".join(cells) + " |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=Path("renders/palette"))
    parser.add_argument("--table", action="store_true", help="print the palette's figures")
    args = parser.parse_args()
    if args.table:
        print_table()
        return 0
    out = args.output
    out.mkdir(parents=True, exist_ok=True)

    from scenes.scene.layout_check import check_layout
    from scenes.scene.still import snapshot, still_config

    with still_config(720):
        mobjects = frame_mobjects()
        for problem in check_layout(mobjects):
            print(f"layout: {problem}", file=sys.stderr)
        frame = snapshot(*mobjects)
    panels = {"normal vision": frame}
    panels.update({name: simulate(frame, kind) for name, kind in SIMULATIONS.items()})
    written = []
    for name, image in (
        ("palette-demo.png", Image.fromarray(frame)),
        ("palette-demo-cvd.png", grid(panels)),
    ):
        with atomic_path(out / name) as tmp:
            image.save(tmp, format="PNG")
        written.append(out / name)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
