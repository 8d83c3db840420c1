"""Shared test settings.

Hypothesis profiles: ``ci`` (default) keeps property tests quick and deterministic on 2 cores;
``thorough`` (``--hypothesis-profile=thorough``) runs many more examples.
"""

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def glyph_config(tmp_path_factory):
    """A ``manim.cfg`` for the plain ``manim`` command whose TeX and text folders start with the
    glyphs loss-scenes' renders already made (copies: nothing it does can touch the shared
    cache), so a test that runs ``manim`` typesets no formula the suite has typeset before.
    """
    from helpers import cache_with_glyphs

    home = cache_with_glyphs(tmp_path_factory.mktemp("manim-cfg")) / "loss-scenes"
    path = home.parent.parent / "manim.cfg"
    path.write_text(f"[CLI]\ntex_dir = {home / 'Tex'}\ntext_dir = {home / 'texts'}\n")
    return path


def _cache_jax_compilations() -> None:
    """The maths tests compile what every command compiles: from the same on-disk cache, as a
    user's commands do (``scenes.compute.loss`` sets it; a test of the maths alone may not import
    it).
    """
    from scenes import maths
    from scenes.files import cache_dir

    maths.cache_compilations(str(cache_dir() / "jax"))


_cache_jax_compilations()
