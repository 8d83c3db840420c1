"""Worker: Manim's settings, and the rendering of one part of a prepared scene.

Runs in a pool process, on a Dask worker, or in the render's own process with ``-j 1``. The
maths (JAX) and the speech ran once per scene in the parent while the workers imported Manim; a
worker gets the prepared scene (arrays and timeline) and draws the beats it is given.
"""

import contextlib
import os
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scenes.files import cache_dir, staged_cache
from scenes.options import QUALITIES


@contextlib.contextmanager
def manim_config(quality: str, media_dir: Path) -> Iterator[None]:
    """Manim's settings for one render of ``quality`` into ``media_dir``, for the block's length."""
    from manim import config, tempconfig

    cache = cache_dir()
    settings = {
        "quality": QUALITIES[quality],
        "media_dir": str(media_dir),
        "tex_dir": str(cache / "Tex"),
        "text_dir": str(cache / "texts"),
        # Manim's play cache hashes mobjects' __dict__; ours are rebuilt from the spec each time,
        # and a hash collision would replay a stale video. The render is cheap enough without it.
        "disable_caching": True,
        "write_to_movie": True,
        "format": "mp4",
        "progress_bar": "none",
        # Our own progress lines speak for the render; Manim's warnings (a beat shorter than a
        # frame, say) are about choices the spec already made.
        "verbosity": "ERROR",
        "background_color": "#0f1117",
    }
    # Staged: a render killed mid-way must not leave a truncated glyph in the shared cache.
    with (
        staged_cache(cache / "Tex") as tex,
        staged_cache(cache / "texts") as texts,
    ):
        settings.update(tex_dir=str(tex), text_dir=str(texts))
        with tempconfig(settings):
            config.verbosity = "ERROR"
            # Manim logs to stdout; stdout is reserved for output paths.
            with contextlib.redirect_stdout(sys.stderr):
                yield


@dataclass
class PartResult:
    movie: str
    poster: str | None
    seconds: float  # wall time spent rendering
    frames: int
    fps: float
    stills: dict[str, str] = field(default_factory=dict)
    """Beat id -> PNG of the beat's last frame, for the beats this part drew."""


def die_with_parent() -> None:
    """On Linux, have the kernel kill this worker when the render that started it dies.

    A render killed outright (SIGKILL, the OOM killer) cannot stop its pool; its workers would
    live on, idle, holding the render's stdout and stderr open, so whoever waits for the
    render's output would wait forever.
    """
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):
        return  # not Linux: the workers end when their call queue closes, as before
    if os.getppid() == 1:  # the parent died before the call took effect
        os._exit(1)


def warm_up() -> None:
    """Pool initializer: pay Manim's import once per worker, while the parent computes.

    Ctrl-C reaches every process of the terminal's group; only the parent answers it (it stops
    the workers and says so in one line), so a worker ignores it instead of printing a traceback.
    """
    import signal

    from scenes.errors import show_warnings_on_one_line

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
    show_warnings_on_one_line()
    import scenes.production.encoding  # noqa: F401
    import scenes.scene.scene_classes  # noqa: F401


def render_part(prepared: Any, quality: str, media_dir: str, first: int, last: int) -> PartResult:
    """Render beats ``first``..``last`` (-1: to the end) of a prepared scene into ``media_dir``.

    Manim runs ``dvisvgm`` without looking at its exit status and then parses whatever SVG is
    there; under heavy parallel load a conversion now and then leaves an empty file, and the
    part fails with "no element found". Such a file is never published to the shared cache
    (:func:`scenes.files.staged_cache`), so one more try, in a fresh staging folder, makes it
    again; a second failure is reported as it is.
    """
    from xml.etree.ElementTree import ParseError

    try:
        return _render_part(prepared, quality, media_dir, first, last)
    except ParseError as error:
        print(
            f"warning: a glyph file was unreadable ({error}); drawing the part again",
            file=sys.stderr,
            flush=True,
        )
        shutil.rmtree(media_dir, ignore_errors=True)
        Path(media_dir).mkdir(parents=True, exist_ok=True)
        return _render_part(prepared, quality, media_dir, first, last)


def _render_part(prepared: Any, quality: str, media_dir: str, first: int, last: int) -> PartResult:
    from manim import config

    from scenes.production.encoding import encoder_options
    from scenes.production.video import probe
    from scenes.scene import speedups
    from scenes.scene.scene_classes import spec_scene_class

    started = time.perf_counter()
    speedups.install()
    media = Path(media_dir)
    from scenes.compute.translation import language_of, use_catalogue

    # A scene in another language draws its own labels from that language's catalogue.
    use_catalogue(language_of(prepared.spec), getattr(prepared, "translations", {}))
    beats = (first, len(prepared.timeline.beats) - 1 if last < 0 else last)
    with manim_config(quality, media):
        config.video_encoder_options = encoder_options()
        stills = media / "stills"
        scene_class = spec_scene_class(prepared.spec, prepared, beats=beats, stills=stills)
        scene = _draw(scene_class, media)
        movie = Path(scene.renderer.file_writer.movie_file_path)
        poster = None
        if last < 0:
            # The last full picture (the last beat's still, taken before the scene fades out).
            poster = media / "last.png"
            shutil.copyfile(stills / f"{prepared.timeline.beats[-1].id}.png", poster)
        fps = float(config.frame_rate)
        frames = probe(movie).frames
    return PartResult(
        movie=str(movie),
        poster=str(poster) if poster else None,
        seconds=time.perf_counter() - started,
        frames=frames,
        fps=fps,
        stills={path.stem: str(path) for path in sorted(stills.glob("*.png"))},
    )


def _draw(scene_class: Any, media: Path) -> Any:
    """Render a scene; if it meets a formula not typeset yet, first typeset every formula it
    needs in one TeX run (:mod:`scenes.scene.tex_batch`), then draw it from the start.

    The scene is built once more without drawing a frame (a stand-in for each missing formula,
    in a forked copy of this process) to learn which formulas it needs; whatever that pass
    misses, Manim typesets one by one.
    """
    from manim.renderer.cairo_renderer import CairoRenderer

    from scenes.production.encoding import FastSceneFileWriter, fast_renderer
    from scenes.scene import tex_batch

    try:
        with tex_batch.watching():
            scene = scene_class(renderer=fast_renderer())
            scene.render()
        return scene
    except tex_batch.FormulaMissing:
        pass
    _empty(media)

    def build() -> None:
        renderer = CairoRenderer(file_writer_class=FastSceneFileWriter, skip_animations=True)
        scene_class(renderer=renderer).render()

    tex_batch.typeset(tex_batch.collect_apart(build))
    _empty(media)
    scene = scene_class(renderer=fast_renderer())
    scene.render()
    return scene


def _empty(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
