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
    """A ``manim.cfg`` for the plain ``manim`` command whose TeX and text folders hold the glyphs
    loss-scenes' renders already made (a staged copy of its shared cache, published back at the
    end), so a test that runs ``manim`` typesets no formula the suite has typeset before.
    """
    from scenes.files import cache_dir, staged_cache

    cache = cache_dir()
    with staged_cache(cache / "Tex") as tex, staged_cache(cache / "texts") as texts:
        path = tmp_path_factory.mktemp("manim-cfg") / "manim.cfg"
        path.write_text(f"[CLI]\ntex_dir = {tex}\ntext_dir = {texts}\n")
        yield path
