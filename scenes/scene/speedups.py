"""Faster paths through Manim that cannot change a pixel, switched on per render process.

``Mobject.copy`` is ``copy.deepcopy``, and every glyph of a ``Text`` or ``MathTex`` (and every
path of an SVG) keeps the ``svgelements.Path`` it was made from (``path_obj``): about 85% of the
time of copying a two-line caption went into deep-copying those paths (measured: 53 ms against
6 ms per copy). Manim reads ``path_obj`` only while it makes the glyph's points
(``VMobjectFromSVGPath.generate_points``, which never changes it), and ``FadeIn``, ``Transform``,
the caption line and Manim's own SVG cache copy glyphs dozens of times per scene. A copy made
here shares that source path and deep-copies everything drawn (points, colours, widths) as
before, so the copies draw the same pixels.

``LOSS_SCENES_PLAIN=1`` in the environment leaves Manim as it is (the frame-exactness test
renders once each way and compares decoded frames).
"""

import os
from typing import Any

PLAIN = "LOSS_SCENES_PLAIN"
"""Environment variable: when set (to anything but ``0`` or empty), :func:`install` does nothing."""

_installed = False


def enabled() -> bool:
    return os.environ.get(PLAIN, "") in {"", "0"}


def install() -> bool:
    """Install the fast paths in this process (once); return whether they are on."""
    global _installed
    if not enabled():
        return False
    if _installed:
        return True
    from manim import Mobject
    from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

    def deepcopy_sharing_source(self: Any, memo: dict[int, Any]) -> Any:
        source = self.__dict__.get("path_obj")
        if source is not None:
            # Read-only once the points exist: the copy refers to the same parsed path.
            memo.setdefault(id(source), source)
        return Mobject.__deepcopy__(self, memo)

    VMobjectFromSVGPath.__deepcopy__ = deepcopy_sharing_source  # type: ignore[method-assign,assignment]
    _installed = True
    return True


def uninstall() -> None:
    """Back to Manim's own copying (for tests that compare both in one process)."""
    global _installed
    from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

    if "__deepcopy__" in VMobjectFromSVGPath.__dict__:
        del VMobjectFromSVGPath.__deepcopy__
    _installed = False


__all__ = ["PLAIN", "enabled", "install", "uninstall"]
