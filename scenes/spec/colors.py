"""Manim CE's colour constants, by name, as lowercase ``#rrggbb`` hex strings.

The spec layer must not import Manim (``loss-scenes check`` has to stay fast), so the table of
``manim.utils.color.manim_colors`` is copied here as a literal. It was generated once with::

    import manim.utils.color.manim_colors as M
    from manim.utils.color.core import ManimColor
    {k: v.to_hex().lower() for k, v in vars(M).items() if isinstance(v, ManimColor) and k.isupper()}

``tests/spec/test_loading_and_messages.py`` checks it against the installed Manim, so drift is
caught.
"""

import re
from typing import Any

__all__ = ["DEFAULT_COLORS", "MANIM_COLORS", "PALETTE", "color_json_schema", "resolve_color"]

MANIM_COLORS: dict[str, str] = {
    "WHITE": "#ffffff",
    "GRAY_A": "#dddddd",
    "GREY_A": "#dddddd",
    "GRAY_B": "#bbbbbb",
    "GREY_B": "#bbbbbb",
    "GRAY_C": "#888888",
    "GREY_C": "#888888",
    "GRAY_D": "#444444",
    "GREY_D": "#444444",
    "GRAY_E": "#222222",
    "GREY_E": "#222222",
    "BLACK": "#000000",
    "LIGHTER_GRAY": "#dddddd",
    "LIGHTER_GREY": "#dddddd",
    "LIGHT_GRAY": "#bbbbbb",
    "LIGHT_GREY": "#bbbbbb",
    "GRAY": "#888888",
    "GREY": "#888888",
    "DARK_GRAY": "#444444",
    "DARK_GREY": "#444444",
    "DARKER_GRAY": "#222222",
    "DARKER_GREY": "#222222",
    "PURE_RED": "#ff0000",
    "PURE_GREEN": "#00ff00",
    "PURE_BLUE": "#0000ff",
    "PURE_CYAN": "#00ffff",
    "PURE_MAGENTA": "#ff00ff",
    "PURE_YELLOW": "#ffff00",
    "BLUE_A": "#c7e9f1",
    "BLUE_B": "#9cdceb",
    "BLUE_C": "#58c4dd",
    "BLUE_D": "#29abca",
    "BLUE_E": "#236b8e",
    "BLUE": "#58c4dd",
    "DARK_BLUE": "#236b8e",
    "TEAL_A": "#acead7",
    "TEAL_B": "#76ddc0",
    "TEAL_C": "#5cd0b3",
    "TEAL_D": "#55c1a7",
    "TEAL_E": "#49a88f",
    "TEAL": "#5cd0b3",
    "GREEN_A": "#c9e2ae",
    "GREEN_B": "#a6cf8c",
    "GREEN_C": "#83c167",
    "GREEN_D": "#77b05d",
    "GREEN_E": "#699c52",
    "GREEN": "#83c167",
    "YELLOW_A": "#fff1b6",
    "YELLOW_B": "#ffea94",
    "YELLOW_C": "#f7d96f",
    "YELLOW_D": "#f4d345",
    "YELLOW_E": "#e8c11c",
    "YELLOW": "#f7d96f",
    "GOLD_A": "#f7c797",
    "GOLD_B": "#f9b775",
    "GOLD_C": "#f0ac5f",
    "GOLD_D": "#e1a158",
    "GOLD_E": "#c78d46",
    "GOLD": "#f0ac5f",
    "RED_A": "#f7a1a3",
    "RED_B": "#ff8080",
    "RED_C": "#fc6255",
    "RED_D": "#e65a4c",
    "RED_E": "#cf5044",
    "RED": "#fc6255",
    "MAROON_A": "#ecabc1",
    "MAROON_B": "#ec92ab",
    "MAROON_C": "#c55f73",
    "MAROON_D": "#a24d61",
    "MAROON_E": "#94424f",
    "MAROON": "#c55f73",
    "PURPLE_A": "#caa3e8",
    "PURPLE_B": "#b189c6",
    "PURPLE_C": "#9a72ac",
    "PURPLE_D": "#715582",
    "PURPLE_E": "#644172",
    "PURPLE": "#9a72ac",
    "PINK": "#d147bd",
    "LIGHT_PINK": "#dc75cd",
    "ORANGE": "#ff862f",
    "LIGHT_BROWN": "#cd853f",
    "DARK_BROWN": "#8b4513",
    "GRAY_BROWN": "#736357",
    "GREY_BROWN": "#736357",
    "LOGO_WHITE": "#ece7e2",
    "LOGO_GREEN": "#87c2a5",
    "LOGO_BLUE": "#525893",
    "LOGO_RED": "#e07a5f",
    "LOGO_BLACK": "#343434",
}
"""Manim colour constant name (upper case) -> lowercase ``#rrggbb``."""

PALETTE: dict[str, str] = {
    "background": "#0f1117",
    "text": "#ece6e2",
    "loss": "#01a0dc",
    "density": "#2d9643",
    "derivative": "#f8370e",
    "theta": "#fafe2e",
    "observation": "#f5fdfe",
    "muted": "#929292",
    "clipped": "#686e72",
    "balance": "#e78d7d",
    "mean": "#c74fa1",
    "median": "#fcc77f",
    "estimate": "#c2c5fe",
    "trimmed_mean": "#10d8c1",
}
"""The scenes' colours by role (``scenes/scene/style.py`` says what each is for and the rules they
keep). A spec may name a role where it takes a colour: ``colors: {loss: loss}``.
"""

DEFAULT_COLORS: dict[str, str] = {name: PALETTE[name] for name in ("loss", "density", "derivative")}
"""Curve colours used when ``curves.colors`` leaves one out (spec section 3): the palette's."""

_HEX = re.compile(r"#[0-9a-fA-F]{6}")


def resolve_color(text: str) -> str | None:
    """Return ``text`` as a lowercase ``#rrggbb`` string, or ``None`` if it is not a colour.

    Accepts a palette role (``loss``, ``theta``, any case), a Manim constant name in any case
    (``BLUE``, ``blue_c``, ``Orange``) or a ``#rrggbb`` hex string.
    """
    if _HEX.fullmatch(text):
        return text.lower()
    # ASCII only: str.upper() maps a few other letters onto ASCII ones ("ı" to "I").
    if not text.isascii():
        return None
    return PALETTE.get(text.lower()) or MANIM_COLORS.get(text.upper())


def color_json_schema() -> dict[str, Any]:
    """The JSON Schema of a colour: exactly what :func:`resolve_color` accepts.

    JSON Schema has no case-insensitive match, so each name is spelt as a pattern with both cases
    of every letter; the palette's roles and the upper-case Manim names are listed as well, for
    editors to offer.
    """
    names = "|".join(
        "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else c for c in name)
        for name in [*PALETTE, *MANIM_COLORS]
    )
    return {
        "type": "string",
        "description": (
            "A palette role (loss, density, derivative, theta, ...), a Manim colour constant name "
            "in any case (BLUE, blue_c) or '#rrggbb'."
        ),
        "anyOf": [
            {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"},
            {"type": "string", "enum": [*PALETTE, *MANIM_COLORS]},
            {"type": "string", "pattern": f"^(?:{names})$"},
        ],
    }
