"""Shared test settings and renders.

Hypothesis profiles: ``ci`` (default) keeps property tests quick and deterministic on 2 cores;
``thorough`` (``--hypothesis-profile=thorough``) runs many more examples.
"""

import os
import shutil
from pathlib import Path

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


def _keep_compiled_modules() -> None:
    """Most slow tests start Python again: the command line, Manim, render parts, Dask workers,
    a few hundred processes per suite. Where ``PYTHONDONTWRITEBYTECODE`` is set (some sandboxes
    and CI images set it) each of them compiles scenes/ and its dependencies afresh, over a
    second apiece. The suite lets them keep what they compile, in a folder of its own in the
    temporary directory (``PYTHONPYCACHEPREFIX``), so no ``__pycache__`` appears beside the
    sources, which is what that setting is usually for. Nothing a test checks depends on it.
    """
    import sys
    import tempfile

    if not os.environ.get("PYTHONDONTWRITEBYTECODE") or os.environ.get("PYTHONPYCACHEPREFIX"):
        return
    prefix = Path(tempfile.gettempdir()) / f"loss-scenes-tests-pycache-{os.getuid()}"
    del os.environ["PYTHONDONTWRITEBYTECODE"]
    os.environ["PYTHONPYCACHEPREFIX"] = str(prefix)
    sys.dont_write_bytecode = False  # and this process's own imports from here on
    sys.pycache_prefix = str(prefix)


_keep_compiled_modules()


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


def made_once(tmp_path_factory, name: str, make) -> Path:
    """A folder ``make(folder)`` fills once per test session, shared by the xdist workers.

    Renders that several tests (in several files, perhaps on both workers) read cost their
    seconds once: the first worker to ask makes the folder under a lock, the others wait for it
    and read it. ``done`` is written last, so a failed ``make`` leaves nothing half-made behind
    for the next to trust: it fails again, in the next test that asks. Whoever reads must not
    change the folder (copy it first).
    """
    from filelock import FileLock

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the session's folder, above each worker's own
    folder = root / "made-once" / name
    folder.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(folder) + ".lock"):
        if not (folder / "done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            (folder / "done").write_text("")
    return folder


def _render_loss_lecture(folder: Path) -> None:
    from helpers import CONFIG, fast_copy, loss_lecture, run_cli

    for name in ("l2.yaml", "l1.yaml", "huber.yaml"):
        fast_copy(CONFIG / name, folder)
    lecture = loss_lecture(folder)
    # On this machine: never on a cluster that $LOSS_SCENES_CLUSTER may name.
    result = run_cli(
        "render",
        str(lecture),
        "-q",
        "low",
        "-o",
        str(folder / "out"),
        "-j",
        "2",
        env={"LOSS_SCENES_CLUSTER": ""},
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="session")
def loss_lecture_render(tmp_path_factory) -> Path:
    """The output folder of ``render lecture.yaml -q low -j 2`` for helpers.loss_lecture's three
    short-timed scenes: read by the tests of joining and of the Dask cluster (the local
    reference), rendered once for both. Read only.
    """
    return made_once(tmp_path_factory, "loss-lecture", _render_loss_lecture) / "out"


# --------------------------------------------------------------------------------------------------
# Scheduling on xdist workers (`-n 2`; pyproject's addopts asks for `--dist loadgroup`)

WHOLE_ON_ONE_WORKER = (
    "tests/browser/test_site_in_chromium.py",  # `exported`: a site export, and a Chromium
    "tests/production/test_faults_and_interrupts.py",  # `versions`: two renders
    "tests/production/test_narrated_renders.py",  # `narrated`: a render with its own voice
    "tests/production/test_rendered_videos.py",  # `huber_render`
    "tests/contract/test_wheel.py",  # `wheel`: a build
)
"""Modules whose tests share a module-scoped fixture that costs a render (or a build): each runs
as one unit on one worker, so the fixture is made once, not once on each worker as ``load``
scheduling (tests spread one by one) makes it. Every other test is sent on its own.

Listed by path because ``pytest.mark.xdist_group`` does nothing with pytest 9: xdist 3.8 marks a
group by appending to ``item._nodeid``, which pytest 9 no longer reads.
"""


@pytest.hookimpl(optionalhook=True)  # an xdist hook: no error when xdist is left out
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadgroup`` with the modules above as groups (see WHOLE_ON_ONE_WORKER)."""
    if config.getoption("dist", "no") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class Scheduling(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            if module in WHOLE_ON_ONE_WORKER:
                return module
            return super()._split_scope(nodeid)

    # The groups are sent out first (xdist orders work units by size, largest first), so the
    # longest units start at once and single tests fill both workers until the end.
    return Scheduling(config, log)


@pytest.fixture(autouse=True, scope="session")
def _typeset_in_folders_of_this_worker(tmp_path_factory):
    """Tests that draw in this process (panels, labels, captions) typeset with Manim's default
    folders, ``media/Tex`` and ``media/texts`` under the working folder, which both xdist workers
    share: in a fresh clone, where nothing is typeset yet, two workers wrote the same formula at
    once and one read the other's half-written ``.xdv`` ("does not support converting .xdv
    files"). Each worker typesets in folders of its own, which start with copies of the glyphs
    the user's cache already holds (nothing here can change that cache).
    """
    import manim
    from helpers import cache_with_glyphs

    home = cache_with_glyphs(tmp_path_factory.mktemp("typeset")) / "loss-scenes"
    manim.config.tex_dir = str(home / "Tex")
    manim.config.text_dir = str(home / "texts")
