"""loss-scenes: YAML scene specs to Manim lecture videos about loss functions.

The Python API (spec-v2 section 13)::

    import scenes

    spec = scenes.load("config/huber.yaml")          # a scene, lecture or course spec
    data = scenes.compute_scene(spec)                 # every number the animation shows
    estimate = scenes.to_json(data)["estimate"]       # the JSON of `loss-scenes compute`
    paths = scenes.render_specs([spec], quality="low")  # the files written: videos, subtitles, ...

    class MyScene(manim.Scene):
        def construct(self):
            scenes.play(self, "config/huber.yaml")  # the spec's scene, inside your own

An invalid spec raises :class:`scenes.SpecError`, whose text is one
``FILE:LINE:COLUMN: error: MESSAGE`` line per problem. ``import scenes`` is cheap: Manim and JAX
are imported by the functions that need them, when they are called. (The functions are not
called ``compute`` and ``scene``: those names are subpackages, which an import would put in
their place.)

Layers, each importing only those below it: ``scenes.spec`` (YAML to the models the user
wrote), ``scenes.formula`` (the ``expr`` language), ``scenes.maths`` (pure JAX and numpy),
``scenes.speech``, ``scenes.compute`` (spec + maths to numbers and timelines), ``scenes.scene``
(Manim drawing), ``scenes.production`` (parts, workers, files, manifest), ``scenes.site`` (course
sites), ``scenes.cli`` (the command line).
"""

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing import TypeAlias

    from manim import Scene

    from scenes.spec import Course, Lecture, SceneSpec, SpecError

    SpecLike: TypeAlias = str | os.PathLike[str] | SceneSpec | Lecture | Course

from scenes.errors import LossScenesError
from scenes.version import __version__

__all__ = [
    "LossScenesError",
    "SpecError",
    "__version__",
    "compute_scene",
    "load",
    "play",
    "render_specs",
    "to_json",
]


def __getattr__(name: str) -> Any:
    # SpecError lives in the spec layer (pydantic, PyYAML): imported on first use only.
    if name == "SpecError":
        from scenes.spec import SpecError

        return SpecError
    raise AttributeError(f"module 'scenes' has no attribute {name!r}")


def load(path: "str | os.PathLike[str]") -> "SceneSpec | Lecture | Course":
    """Load and validate a scene, lecture or course spec file, resolved as every command does.

    A lecture comes with its scenes (``lecture.scenes``: pairs of file and spec), a course with
    its lectures (``course.lectures``). Raises :class:`SpecError` for an invalid spec. What the
    file says, before formulas and voices are checked and a lecture's scenes share their number
    line, is ``scenes.spec.load_any`` (no maths, no JAX).
    """
    from scenes.compute.resolve import load_resolved

    return load_resolved(Path(path))


def _scene(spec: Any, what: str) -> Any:
    """A scene spec from a path or a loaded spec; lectures and courses are refused."""
    from scenes.spec import Course, Lecture

    if isinstance(spec, str | os.PathLike):
        spec = load(spec)
    if not isinstance(spec, (*_scene_classes(), Lecture, Course)):
        raise TypeError(f"{what} takes a spec file or a loaded spec, not {_kind(spec)}")
    if isinstance(spec, Lecture | Course):
        kind = "a lecture" if isinstance(spec, Lecture) else "a course"
        raise TypeError(f"{what} takes a scene spec, not {kind} ({spec.path})")
    return spec


def compute_scene(spec: "str | os.PathLike[str] | SceneSpec") -> Any:
    """Every number a scene's animation shows, computed from its spec (a file or a loaded spec).

    The result holds numpy arrays (for a loss scene: the curves, the observations, the descent's
    trajectory and step sizes, the references); ``data.warnings`` says when the descent has not
    converged. :func:`to_json` turns it into the JSON of ``loss-scenes compute``.
    """
    from scenes.kinds import compute_any

    return compute_any(_scene(spec, "compute_scene"))


def to_json(data: Any) -> dict[str, Any]:
    """The JSON document of ``loss-scenes compute`` for computed data, as Python values.

    ``json.dumps(scenes.to_json(data))`` is what the command prints; non-finite numbers are
    None (null).
    """
    from scenes.kinds import to_json_any

    return to_json_any(data)


def render_specs(
    specs: "SpecLike | Sequence[SpecLike]",
    *,
    quality: str | None = None,
    output: "str | os.PathLike[str] | None" = None,
    formats: Sequence[str] | None = None,
    jobs: int | None = None,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
    cluster: str | None = None,
) -> list[Path]:
    """Render specs as ``loss-scenes render`` does; return the paths of the files written.

    ``specs``: spec files or loaded specs (one, or a list). ``quality``: low, medium, high or 4k
    (default: a lecture's ``render.quality``, else high). ``output``: the folder (default
    ``renders/QUALITY``). ``formats``: any of mp4, webm, gif (default: a lecture's, else mp4).
    ``jobs``: processes (default: one per core when the work pays for a pool, else one).
    ``force``: render again what an earlier render left unchanged. ``progress`` receives one
    line per scene (default: silent).
    ``cluster``: the address of a Dask scheduler (``tcp://host:8786``) whose workers render the
    scenes' parts (default: this machine; ``$LOSS_SCENES_CLUSTER`` is the command line's, not
    read here); raises ``scenes.production.cluster.ClusterError`` when its workers cannot render.
    """
    from scenes.options import FORMATS, QUALITIES
    from scenes.production.plan import videos_to_render
    from scenes.production.run import render
    from scenes.spec import Course, Lecture

    # Every argument is checked before any work starts: a mistake costs no render.
    if quality is not None and quality not in QUALITIES:
        raise ValueError(f"quality must be one of {', '.join(QUALITIES)}, not {quality!r}")
    if isinstance(formats, str):
        formats = [formats]  # one format by name, not a sequence of letters
    for name in formats or ():
        if name not in FORMATS:
            raise ValueError(f"formats must be among {', '.join(FORMATS)}, not {name!r}")
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise TypeError(f"jobs must be a whole number of processes, at least 1, not {jobs!r}")
    if cluster is not None:
        if not isinstance(cluster, str):
            raise TypeError(f"cluster must be an address such as tcp://host:8786, not {cluster!r}")
        from scenes.production.cluster import check_address

        check_address(cluster)
    if specs is None or isinstance(specs, bytes):
        raise TypeError(f"render_specs takes spec files or loaded specs, not {_kind(specs)}")
    items = (
        [specs]
        if isinstance(specs, str | os.PathLike) or not isinstance(specs, Sequence)
        else list(specs)
    )
    if not items:
        raise ValueError("render_specs needs at least one spec")
    for item in items:
        if not isinstance(item, (str, os.PathLike, *_scene_classes(), Lecture, Course)):
            raise TypeError(f"render_specs takes spec files or loaded specs, not {_kind(item)}")
    out_dir = Path(output) if output is not None else None
    if out_dir is not None and out_dir.exists() and not out_dir.is_dir():
        raise NotADirectoryError(f"output must be a folder, and {out_dir} is a file")
    loaded = [load(item) if isinstance(item, str | os.PathLike) else item for item in items]
    labels = [_label(item, spec) for item, spec in zip(items, loaded, strict=True)]
    videos = videos_to_render(labels, loaded, quality, out_dir)
    return list(
        render(
            videos,
            quality=quality,
            out_dir=out_dir,
            formats=list(formats) if formats else None,
            progress=progress,
            jobs=jobs,
            reuse=not force,
            cluster=cluster,
        )
    )


def _scene_classes() -> tuple[type, ...]:
    """The models of every scene kind (loss, clipping, influence, cards)."""
    from scenes.spec.scene_kinds import SCENE_KINDS

    return tuple(SCENE_KINDS.values())


def _kind(value: Any) -> str:
    """What a wrong argument is, for an error message: ``None``, ``an int (2)``."""
    if value is None:
        return "None"
    return f"a {type(value).__name__} ({value!r:.60})"


def _label(item: Any, spec: Any) -> str:
    """The file a spec came from, for error messages; a spec made in Python has none."""
    from scenes.spec import Course, Lecture

    if isinstance(item, str | os.PathLike):
        return str(item)
    if isinstance(spec, Lecture | Course):
        return str(spec.path)
    return f"<{spec.scene}>"


def play(scene: "Scene", spec: "str | os.PathLike[str] | SceneSpec") -> None:
    """Play a spec's scene inside your own Manim ``scene`` (call it from ``construct``).

    The animations are added to ``scene`` as ``loss-scenes render`` plays them, beat by beat (one
    Manim section each), with the narration as the scene's sound when the spec has a voice; what
    they draw stays on screen for your own animations to follow.
    """
    from scenes.compute.prepare import prepare_scene
    from scenes.scene.scene_classes import play_scene

    play_scene(scene, prepare_scene(_scene(spec, "play")))
