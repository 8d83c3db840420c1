"""Glyphs read back from the store of parsed SVGs (scenes/scene/svg_store.py) draw exactly what
Manim's own parse of the same file draws; a damaged stored file is parsed again; a different
style or a class that reads SVGs its own way does not take another's glyphs.
"""

from pathlib import Path

import numpy as np
import pytest

from scenes.scene import svg_store

# Not compared: the parsed source path (not stored), the structure (compared on its own), and
# what Manim itself sets either way, depending on whether its own in-memory SVG cache answered:
# the id of the object a copy was made from, and the sheen's direction, which nothing draws
# while the sheen factor is 0.
_NOT_DRAWN = {"path_obj", "submobjects", "id_to_vgroup_dict", "updaters", "original_id"}


def _drawn(mobject) -> list[tuple]:
    """Each family member's class and everything it holds that can reach a pixel."""
    return [
        (
            type(m).__name__,
            sorted(
                (name, value.tobytes() if isinstance(value, np.ndarray) else repr(value))
                for name, value in vars(m).items()
                if name not in _NOT_DRAWN
                and not (name == "sheen_direction" and m.sheen_factor == 0)
            ),
        )
        for m in mobject.get_family()
    ]


def _groups(mobject) -> list[tuple[str, int, int]]:
    """Each group of ids: its name, its glyphs, and how many of them are drawn."""
    drawn = {id(m) for m in mobject.get_family()}
    return [
        (name, len(group.get_family()), sum(id(m) in drawn for m in group.get_family()))
        for name, group in mobject.id_to_vgroup_dict.items()
    ]


@pytest.fixture
def manim_folders(tmp_path):
    from manim import tempconfig

    from scenes.scene import speedups

    svg_store.uninstall()  # Manim's own parse, whatever another test installed in this process
    try:
        with tempconfig({"text_dir": str(tmp_path / "texts"), "tex_dir": str(tmp_path / "Tex")}):
            yield tmp_path
    finally:
        svg_store.uninstall()
        if speedups._installed:  # as the process had it
            speedups.install()


@pytest.fixture
def store(manim_folders):
    folder = manim_folders / "store"
    svg_store.install(folder)
    try:
        yield folder
    finally:
        svg_store.uninstall()


def test_stored_glyphs_draw_what_manim_parses(manim_folders):
    from manim import MathTex, Text

    makers = (
        lambda: Text("Squared loss: the mean, one outlier drags it", font_size=36),
        lambda: MathTex(r"\ell(r) = \tfrac{1}{2} r^2", color="#e69f00"),
    )
    parsed = [_drawn(make()) for make in makers]  # Manim alone
    formula_by_manim = makers[1]()
    folder = manim_folders / "store"
    svg_store.install(folder)
    try:
        before = dict(svg_store.counts)
        first = [_drawn(make()) for make in makers]  # parsed, then stored
        assert svg_store.counts["parsed"] - before["parsed"] == 2
        assert len(list(folder.glob("*/*.pickle"))) == 2
        svg_store._in_memory.clear()
        from_file = [make() for make in makers]
        assert svg_store.counts["loaded"] - before["loaded"] == 2
        from_memory = [make() for make in makers]
        assert svg_store.counts["loaded"] - before["loaded"] == 4
    finally:
        svg_store.uninstall()
    assert first == parsed
    assert [_drawn(m) for m in from_file] == parsed
    assert [_drawn(m) for m in from_memory] == parsed
    # Each use has glyphs of its own: changing one leaves the next as it was.
    from_memory[0].set_color("#ff0000").shift([1.0, 0.0, 0.0])
    assert _drawn(makers[0]()) == parsed[0]
    # The groups of ids (MathTex's parts) come back as Manim's own: the same names, each
    # holding as many of the glyphs drawn.
    assert _groups(from_file[1]) == _groups(from_memory[1]) == _groups(formula_by_manim)
    assert "unique000" in {name for name, _, _ in _groups(from_file[1])}


def test_a_damaged_stored_file_is_parsed_again(store):
    from manim import Text

    expected = _drawn(Text("damaged once", font_size=30))
    (stored,) = store.glob("*/*.pickle")
    stored.write_bytes(b"not a pickle")
    svg_store._in_memory.clear()
    parsed = svg_store.counts["parsed"]
    assert _drawn(Text("damaged once", font_size=30)) == expected
    assert svg_store.counts["parsed"] == parsed + 1
    assert stored.read_bytes() != b"not a pickle"


def test_another_style_or_reader_does_not_take_the_stored_glyphs(store, manim_folders):
    from manim import SVGMobject

    # A shape without a colour of its own: the default style decides how it is parsed.
    square = manim_folders / "square.svg"
    square.write_text(
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 8 8'>"
        "<path d='M0 0H4V4H0Z'/><path d='M4 4H8V8H4Z'/></svg>"
    )

    def made(colour):
        default = dict.fromkeys(("color", "opacity", "fill_opacity", "stroke_color"))
        default.update(stroke_opacity=None, stroke_width=0, fill_color=colour)
        return _drawn(SVGMobject(str(square), svg_default=default))

    svg_store.uninstall()
    by_manim = {colour: made(colour) for colour in COLOURS}
    svg_store.install(store)
    assert by_manim[COLOURS[0]] != by_manim[COLOURS[1]]
    for _ in range(2):  # parsed and stored, then read back
        svg_store._in_memory.clear()
        for colour in COLOURS:
            assert made(colour) == by_manim[colour]
    assert len(list(store.glob("*/*.pickle"))) == 2

    class OwnReader(SVGMobject):
        def modify_xml_tree(self, element_tree):
            return super().modify_xml_tree(element_tree)

    OwnReader(str(square))
    assert len(list(store.glob("*/*.pickle"))) == 2


COLOURS = ("#ffffff", "#e69f00")


def test_a_file_emptied_or_changed_under_the_parse_is_not_stored(store, monkeypatch):
    """Text rewrites its SVG file at each construction, and processes share it: what is stored
    must be what its key says."""
    from manim import SVGMobject, Text

    words = Text("rewritten", font_size=30)
    path = Path(words.file_name)
    content = path.read_bytes()
    stored = len(list(store.glob("*/*.pickle")))

    class Emptied:
        def get_file_path(self):
            return path

    path.write_bytes(b"")  # caught between the emptying and the writing: no key at all
    assert svg_store._content(Emptied()) is None
    svg_store._in_memory.clear()
    original = SVGMobject.generate_mobject

    def parse_after_a_rewrite(self):
        path.write_bytes(content.replace(b"<svg", b"<svg data-other='1'", 1))
        return original(self)

    monkeypatch.setattr(SVGMobject, "generate_mobject", parse_after_a_rewrite)
    path.write_bytes(content)
    SVGMobject(str(path))
    assert len(list(store.glob("*/*.pickle"))) == stored
