"""A colour named in the narration is a colour drawn in that beat (issue 21: "in orange" was said
over a derivative drawn #f8370e, which reads red).

Each colour word has a hue range (HSV hue in degrees, from the standard colour-name boundaries:
red below 15 and above 345, orange 15 to 45, ...) and a least saturation; grey has a most
saturation. A beat's narration passes when every colour word in it names at least one colour the
beat draws: the curve beats draw their curve in the scene's own ``curves.colors``, the data beats
the observations, theta, the pulls (the derivative's colour) and the palette's reference roles.
"""

import colorsys
import re
from pathlib import Path

import pytest

from scenes.scene import style
from scenes.spec.colors import PALETTE
from scenes.spec.loading import load_scene

CONFIG = Path(__file__).resolve().parents[2] / "config"

# word -> (hue from, hue to, least saturation, most saturation); hue ranges may wrap past 360.
COLOUR_WORDS: dict[str, tuple[float, float, float, float]] = {
    "red": (345.0, 15.0, 0.45, 1.0),
    "orange": (15.0, 45.0, 0.45, 1.0),
    "yellow": (45.0, 70.0, 0.45, 1.0),
    "green": (75.0, 165.0, 0.3, 1.0),
    "blue": (185.0, 250.0, 0.3, 1.0),
    "purple": (260.0, 320.0, 0.3, 1.0),
    "grey": (0.0, 360.0, 0.0, 0.15),
    "gray": (0.0, 360.0, 0.0, 0.15),
}
WORD = re.compile(r"\b(" + "|".join(COLOUR_WORDS) + r")\b", re.IGNORECASE)


def hue_saturation(hex_colour: str) -> tuple[float, float]:
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255.0 for i in (1, 3, 5))
    h, s, _ = colorsys.rgb_to_hsv(r, g, b)
    return h * 360.0, s


def names(word: str, hex_colour: str) -> bool:
    lo, hi, s_min, s_max = COLOUR_WORDS[word.lower()]
    hue, sat = hue_saturation(hex_colour)
    in_hue = lo <= hue <= hi if lo <= hi else (hue >= lo or hue <= hi)
    return in_hue and s_min <= sat <= s_max


def drawn(spec, beat: str) -> list[str]:
    """The colours ``beat`` of ``spec`` draws."""
    kind = spec.kind if spec.kind in style.SHOWN_TOGETHER else "loss"
    if kind == "loss":
        colors = spec.curves.colors
        if beat in ("loss", "density", "derivative"):
            return [getattr(colors, beat)]
        roles = [r for r in style.SHOWN_TOGETHER["loss"] if r not in ("loss", "density")]
        return [colors.derivative, *(PALETTE[r] for r in roles)]
    return [PALETTE[r] for r in style.SHOWN_TOGETHER[kind]]


def test_the_table_names_the_palette_as_people_would():
    # The table itself against colours whose names nobody disputes (Manim's).
    assert names("orange", "#ff862f") and not names("red", "#ff862f")
    assert names("red", "#fc6255") and names("red", "#f8370e") and not names("orange", "#f8370e")
    assert names("blue", PALETTE["loss"]) and names("green", PALETTE["density"])
    assert names("grey", PALETTE["clipped"]) and not names("grey", PALETTE["derivative"])


SCENES = [
    (path.name, load_scene(path))
    for path in sorted(CONFIG.glob("*.yaml"))
    if path.read_text().lstrip("# \n").find("scene:") >= 0 and "\nscene:" in path.read_text()
]


@pytest.mark.parametrize("name,spec", SCENES, ids=[name for name, _ in SCENES])
def test_colour_words_name_what_the_beat_draws(name, spec):
    narration = spec.narration.model_dump() if spec.narration is not None else {}
    wrong = []
    for beat, text in narration.items():
        for word in WORD.findall(text or ""):
            if not any(names(word, c) for c in drawn(spec, beat)):
                wrong.append(f"{beat}: {word!r} over {drawn(spec, beat)}")
    assert not wrong, f"{name}: {wrong}"


def test_the_scenes_say_colour_words():
    said = sum(
        len(WORD.findall(text or ""))
        for _, spec in SCENES
        if spec.narration is not None
        for text in spec.narration.model_dump().values()
    )
    assert said >= 10  # the check above looked at something
