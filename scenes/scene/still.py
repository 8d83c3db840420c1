"""Still frames of mobjects without a Scene: for the type and palette tests and the demo."""

import contextlib
from collections.abc import Iterator

import numpy as np
from manim import Camera, Mobject, tempconfig

from scenes.scene import style


@contextlib.contextmanager
def still_config(height: int = 720) -> Iterator[None]:
    """Manim settings for a 16:9 frame ``height`` pixels high, with the shared glyph cache.

    The cache is the one renders use (staged, as there), so TeX and text are typeset once per
    machine rather than once per run.
    """
    from scenes.files import cache_dir, staged_cache

    cache = cache_dir()
    with staged_cache(cache / "Tex") as tex, staged_cache(cache / "texts") as texts:
        settings = {
            "pixel_height": height,
            "pixel_width": height * 16 // 9,
            "tex_dir": str(tex),
            "text_dir": str(texts),
            "background_color": style.BACKGROUND,
            "verbosity": "ERROR",
        }
        with tempconfig(settings):
            yield


def snapshot(*mobjects: Mobject) -> np.ndarray:
    """The RGB pixels of ``mobjects`` drawn on the background at the current Manim settings."""
    camera = Camera()
    camera.capture_mobjects(list(mobjects))
    return np.asarray(camera.get_image().convert("RGB"))
