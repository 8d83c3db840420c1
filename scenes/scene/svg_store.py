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
it only while making the glyph's points, which the stored glyph already has (so, unlike
Manim's, a glyph read back cannot make its points again with ``generate_points``; nothing in
loss-scenes or in Manim's drawing asks it to).

The folder is the user's own cache (:func:`scenes.files.cache_dir`), written only by this module,
atomically: a pickle runs code when it is read, so it is trusted as the installed code beside
it is. A file that does not unpickle is parsed again and replaced.
"""

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

from scenes.files import temp_beside

# The layout of what is stored; a new one changes every key.
FORMAT = 2
# The methods that read an SVG into glyphs: a class whose own differ from Manim's (Typst) reads
# its SVGs its own way, and is left to Manim.
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
    "polyline_to_mobject",
    "line_to_mobject",
    "rect_to_mobject",
    "ellipse_to_mobject",
    "text_to_mobject",
    "get_mobject_type_class",
    "flip",
    "rotate",
)
# SVGs read from disk or parsed in this process, as pickles (each use unpickles its own copy);
# a long preview session starts again after this many.
_in_memory: dict[str, bytes] = {}
IN_MEMORY_LIMIT = 2_000
# SVGs parsed, and SVGs read back from the store, in this process (for the benchmarks and tests).
counts = {"parsed": 0, "loaded": 0}


def _reads_like_manim(svg_class: type) -> bool:
    from manim.mobject.svg.svg_mobject import SVGMobject

    return all(getattr(svg_class, name) is getattr(SVGMobject, name) for name in _READERS)


def _content(mobject: Any) -> bytes | None:
    """The SVG file's bytes; None when unreadable or empty.

    Empty happens: ``Text`` rewrites its SVG file at every construction (manimpango's
    ``remove_last_M`` empties it, then writes it again), and render processes share the file.
    """
    try:
        content = mobject.get_file_path().read_bytes()
    except (OSError, ValueError):
        return None
    return content or None


def _key(mobject: Any, content: bytes) -> str:
    import manim
    import svgelements

    described = repr(
        (
            FORMAT,
            manim.__version__,
            getattr(svgelements, "SVGELEMENTS_VERSION", "?"),
            type(mobject).__qualname__,
            sorted(mobject.svg_default.items()),
            sorted(mobject.path_string_config.items()),
            str(manim.config.renderer),
        )
    )
    digest = hashlib.sha256(described.encode())
    digest.update(content)
    return digest.hexdigest()


_GLYPHS = ("submobjects", "id_to_vgroup_dict")


def _fingerprints(mobject: Any) -> dict[str, Any]:
    """Each attribute of ``mobject`` as something comparable (arrays by their bytes)."""
    import numpy as np

    return {
        name: (value.shape, value.tobytes()) if isinstance(value, np.ndarray) else repr(value)
        for name, value in vars(mobject).items()
        if name not in _GLYPHS
    }


def _pickled(glyphs: list[Any], groups: dict[str, Any], changed: dict[str, Any]) -> bytes | None:
    """The glyphs, their groups and what else the parse changed as one pickle, without the
    glyphs' parsed source paths; None when something in them does not pickle (it is then parsed
    each time, as by Manim).
    """
    sources = []
    for glyph in glyphs:
        for part in glyph.get_family():
            if "path_obj" in part.__dict__:
                sources.append((part, part.path_obj))
                part.path_obj = None
    try:
        return pickle.dumps((glyphs, groups, changed), protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None
    finally:
        for part, source in sources:
            part.path_obj = source


def _write(path: Path, blob: bytes) -> None:
    """``blob`` into ``path`` at once (a temporary file beside it, renamed), readable as any
    cache file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = temp_beside(path)
    try:
        temporary.write_bytes(blob)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _remember(key: str, blob: bytes) -> None:
    if len(_in_memory) >= IN_MEMORY_LIMIT:
        _in_memory.clear()
    _in_memory[key] = blob


def installed() -> bool:
    from manim.mobject.svg.svg_mobject import SVGMobject

    return hasattr(SVGMobject.init_svg_mobject, "original")


def install(folder: Path) -> None:
    """Keep parsed SVGs in ``folder`` (and in this process)."""
    from manim.mobject.svg.svg_mobject import SVGMobject

    uninstall()  # one store at a time: installed again, it replaces the last
    original = SVGMobject.__dict__["init_svg_mobject"]

    def init_svg_mobject(self: Any, use_svg_cache: bool) -> Any:
        content = _content(self) if _reads_like_manim(type(self)) else None
        if content is None:
            return original(self, use_svg_cache)
        key = _key(self, content)
        path = folder / key[:2] / f"{key}.pickle"
        blob = _in_memory.get(key)
        if blob is None:
            try:
                blob = path.read_bytes()
            except OSError:
                blob = None
        if blob is not None:
            try:
                glyphs, groups, changed = pickle.loads(blob)
            except Exception:  # a damaged file: parse again and replace it
                blob = None
            else:
                _remember(key, blob)
                counts["loaded"] += 1
                self.add(*glyphs)
                self.id_to_vgroup_dict = groups
                self.__dict__.update(changed)
                return self
        before = _fingerprints(self)
        self.generate_mobject()
        counts["parsed"] += 1
        if _content(self) != content:
            return self  # the file changed under the parse: what was parsed is not what was keyed
        # What the parse changed of the object itself besides its glyphs (the flip turns its
        # sheen direction), to be set again when it is read back.
        own = {
            name: value
            for name, value in _fingerprints(self).items()
            if name not in _GLYPHS and before.get(name) != value
        }
        changed = {name: self.__dict__[name] for name in own}
        blob = _pickled(list(self.submobjects), self.id_to_vgroup_dict, changed)
        if blob is None:
            return self
        _remember(key, blob)
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
