"""Parsed SVG glyphs kept on disk, so each ``Text`` and ``MathTex`` is parsed once per machine.

Manim turns an SVG file into mobjects with ``svgelements`` and a Python loop over every path
(``SVGMobject.generate_mobject``): about 45 ms for a one-line ``Text`` here, 90 % of making it.
``Text`` never uses Manim's in-memory SVG cache, and that cache lives only as long as its process,
while every render process (each part of a pool, the formula pass's forked copy, every preview
``watch`` draws) makes the same words again. Here the outcome of ``generate_mobject`` (the
glyphs, already flipped, and the groups of their ids) is pickled into the cache folder, keyed by
the SVG file's bytes and everything else that decides the outcome (the class, the default style,
the path settings, Manim's version); the next time it is unpickled in about 5 ms, fresh objects
for each use (faster than Manim's own deep copy of a cached one, about 20 ms).

Classes that change how the SVG is read (Manim's ``Typst`` does) are left to Manim. The parsed
``svgelements`` path each glyph keeps (``path_obj``) is dropped from what is stored: Manim reads
it only while making the glyph's points, which the stored glyph already has.

The folder is the user's own cache (:func:`scenes.files.cache_dir`), written only by this module,
atomically: a pickle runs code when it is read, so it is trusted as the installed code beside
it is. A file that does not unpickle is parsed again and replaced.
"""

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

# What decides the glyphs besides the file; a new format changes the key.
FORMAT = 1
_READERS = (
    "generate_mobject",
    "get_file_path",
    "modify_xml_tree",
    "generate_config_style_dict",
    "get_mobjects_from",
    "get_mob_from_shape_element",
    "path_to_mobject",
    "handle_transform",
    "apply_style_to_mobject",
    "polygon_to_mobject",
    "text_to_mobject",
)
# Glyphs read from disk or made in this process, as pickles (each use unpickles its own copy).
_in_memory: dict[str, bytes] = {}
counts = {"parsed": 0, "loaded": 0}


def _reads_like_manim(svg_class: type) -> bool:
    from manim.mobject.svg.svg_mobject import SVGMobject

    return all(getattr(svg_class, name) is getattr(SVGMobject, name) for name in _READERS)


def _key(mobject: Any) -> str | None:
    import manim

    try:
        content = mobject.get_file_path().read_bytes()
    except (OSError, ValueError):
        return None
    described = repr(
        (
            FORMAT,
            manim.__version__,
            type(mobject).__qualname__,
            sorted(mobject.svg_default.items()),
            sorted(mobject.path_string_config.items()),
            str(manim.config.renderer),
        )
    )
    digest = hashlib.sha256(described.encode())
    digest.update(content)
    return digest.hexdigest()


def _stored(glyphs: list[Any], groups: dict[str, Any]) -> bytes:
    sources = []
    for glyph in glyphs:
        for part in glyph.get_family():
            if "path_obj" in part.__dict__:
                sources.append((part, part.path_obj))
                part.path_obj = None
    try:
        return pickle.dumps((glyphs, groups), protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        for part, source in sources:
            part.path_obj = source


def _write(path: Path, blob: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(blob)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def install(folder: Path) -> None:
    """Keep parsed SVGs in ``folder`` (and in this process)."""
    from manim.mobject.svg.svg_mobject import SVGMobject

    uninstall()  # one store at a time: installed again, it replaces the last
    original = SVGMobject.__dict__["init_svg_mobject"]

    def init_svg_mobject(self: Any, use_svg_cache: bool) -> Any:
        key = _key(self) if _reads_like_manim(type(self)) else None
        if key is None:
            return original(self, use_svg_cache)
        path = folder / key[:2] / f"{key}.pickle"
        blob = _in_memory.get(key)
        if blob is None:
            try:
                blob = path.read_bytes()
            except OSError:
                blob = None
        if blob is not None:
            try:
                glyphs, groups = pickle.loads(blob)
            except Exception:  # a damaged file: parse again and replace it
                blob = None
            else:
                _in_memory[key] = blob
                counts["loaded"] += 1
                self.add(*glyphs)
                self.id_to_vgroup_dict = groups
                return self
        self.generate_mobject()
        counts["parsed"] += 1
        blob = _stored(list(self.submobjects), self.id_to_vgroup_dict)
        _in_memory[key] = blob
        try:
            _write(path, blob)
        except OSError:
            pass  # a full or read-only cache only costs the next render the parse
        return self

    init_svg_mobject.original = original  # type: ignore[attr-defined]
    SVGMobject.init_svg_mobject = init_svg_mobject  # type: ignore[method-assign]


def uninstall() -> None:
    from manim.mobject.svg.svg_mobject import SVGMobject

    original = getattr(SVGMobject.init_svg_mobject, "original", None)
    if original is not None:
        SVGMobject.init_svg_mobject = original  # type: ignore[method-assign]
    _in_memory.clear()
