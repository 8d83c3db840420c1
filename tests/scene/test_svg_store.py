"""Glyphs read back from the store of parsed SVGs (scenes/scene/svg_store.py) draw exactly what
Manim's own parse of the same file draws; a damaged stored file is parsed again; a different
style or a class that reads SVGs its own way does not take another's glyphs.
"""

import pytest

from scenes.scene import svg_store


def _drawn(mobject) -> list[tuple]:
    return [
        (
            type(m).__name__,
            m.points.tobytes(),
            m.fill_rgbas.tobytes(),
            m.stroke_rgbas.tobytes(),
            float(m.stroke_width),
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

    svg_store.uninstall()  # Manim's own parse, whatever another test installed in this process
    with tempconfig({"text_dir": str(tmp_path / "texts"), "tex_dir": str(tmp_path / "Tex")}):
        yield tmp_path


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


def test_another_style_or_reader_does_not_take_the_stored_glyphs(store):
    from manim import Text
    from manim.mobject.svg.svg_mobject import SVGMobject

    white = Text("same words", font_size=30, color="#ffffff")
    orange = Text("same words", font_size=30, color="#e69f00")
    assert _drawn(white) != _drawn(orange)
    assert len(list(store.glob("*/*.pickle"))) == 2

    class OwnReader(SVGMobject):
        def modify_xml_tree(self, element_tree):
            return super().modify_xml_tree(element_tree)

    OwnReader(white.file_name)
    assert len(list(store.glob("*/*.pickle"))) == 2
