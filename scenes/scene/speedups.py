"""Faster paths through Manim that cannot change a pixel, switched on per render process.

``Mobject.copy`` is ``copy.deepcopy``, and every glyph of a ``Text`` or ``MathTex`` (and every
path of an SVG) keeps the ``svgelements.Path`` it was made from (``path_obj``): about 85% of the
time of copying a two-line caption went into deep-copying those paths (measured: 53 ms against
6 ms per copy). Manim reads ``path_obj`` only while it makes the glyph's points
(``VMobjectFromSVGPath.generate_points``, which never changes it), and ``FadeIn``, ``Transform``,
the caption line and Manim's own SVG cache copy glyphs dozens of times per scene. A copy made
here shares that source path and deep-copies everything drawn (points, colours, widths) as
before, so the copies draw the same pixels.

Drawing a frame, Manim turns each VMobject's points into a Cairo path in a Python loop
(``Camera.set_cairo_context_path``: subpath splitting, one ``curve_to`` per curve), about 60 us
per path and 60 000 paths per 1080p60 scene, though most paths (glyphs, axes, dots) are the same
frame after frame. Here a path made once is kept, keyed by the exact points and the context's
matrix, in device coordinates (Cairo's own 24.8 fixed point, read back and written again without
rounding), and appended the next time: the same path, so the same pixels.

Every ``Text`` and ``MathTex`` is parsed from its SVG once per machine, then unpickled
(:mod:`scenes.scene.svg_store`).

``LOSS_SCENES_PLAIN=1`` in the environment leaves Manim as it is (the frame-exactness test
renders once each way and compares decoded frames).
"""

import os
from typing import Any

from scenes.files import cache_dir
from scenes.scene import svg_store

PLAIN = "LOSS_SCENES_PLAIN"
"""Environment variable: when set (to anything but ``0`` or empty), :func:`install` does nothing."""

# The cache's folder of parsed SVG glyphs (:mod:`scenes.scene.svg_store`).
SVG_STORE = "svg-glyphs"

_installed = False
# Paths kept per process before the store starts again (a 1080p60 scene draws 60 000 paths,
# of some thousand distinct shapes).
PATH_STORE_LIMIT = 20_000
# Paths made and paths reused in this process (for benchmarks/profile_render.py).
path_counts = {"made": 0, "reused": 0}


def enabled() -> bool:
    return os.environ.get(PLAIN, "") in {"", "0"}


def install() -> bool:
    """Install the fast paths in this process (once); return whether they are on."""
    global _installed
    if not enabled():
        return False
    if _installed:
        if not svg_store.installed():  # taken off on its own (a test of the store)
            svg_store.install(cache_dir() / SVG_STORE)
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
    _keep_cairo_paths()
    svg_store.install(cache_dir() / SVG_STORE)
    _installed = True
    return True


def _keep_cairo_paths() -> None:
    from manim.camera.camera import Camera

    make_path = Camera.__dict__["set_cairo_context_path"]
    paths: dict[tuple, Any] = {}

    def set_cairo_context_path(self: Any, ctx: Any, vmobject: Any) -> Any:
        points = vmobject.points
        if len(points) == 0:
            return make_path(self, ctx, vmobject)
        m = ctx.get_matrix()
        key = (
            type(vmobject),
            vmobject.n_points_per_cubic_curve,
            vmobject.tolerance_for_point_equality,
            (m.xx, m.yx, m.xy, m.yy, m.x0, m.y0),
            points.shape,
            points.tobytes(),
        )
        path = paths.get(key)
        if path is None:
            make_path(self, ctx, vmobject)
            path_counts["made"] += 1
            if len(paths) >= PATH_STORE_LIMIT:
                paths.clear()
            ctx.save()
            ctx.identity_matrix()
            paths[key] = ctx.copy_path()
        else:
            path_counts["reused"] += 1
            ctx.save()
            ctx.identity_matrix()
            ctx.new_path()
            ctx.append_path(path)
        ctx.restore()  # the matrix, not the path: Cairo's path is not saved state
        return self

    set_cairo_context_path.original = make_path  # type: ignore[attr-defined]
    Camera.set_cairo_context_path = set_cairo_context_path  # type: ignore[method-assign]


def uninstall() -> None:
    """Back to Manim's own copying (for tests that compare both in one process)."""
    global _installed
    from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

    if "__deepcopy__" in VMobjectFromSVGPath.__dict__:
        del VMobjectFromSVGPath.__deepcopy__
    from manim.camera.camera import Camera

    original = getattr(Camera.set_cairo_context_path, "original", None)
    if original is not None:
        Camera.set_cairo_context_path = original  # type: ignore[method-assign]
    svg_store.uninstall()
    _installed = False


__all__ = ["PLAIN", "enabled", "install", "uninstall"]
