"""Manim ``Scene`` classes for specs, so the CLI and the plain ``manim`` command share one path."""

import sys
from pathlib import Path
from typing import ClassVar

from manim import Scene

from scenes.compute import SceneData
from scenes.compute_kinds import compute_any
from scenes.render.loss_scene import LossSceneBuilder
from scenes.spec import SceneSpec


def play_scene(scene: Scene, data) -> None:
    """Play one scene of any kind (spec ``kind``) from its computed data."""
    kind = getattr(data.spec, "kind", "loss")
    if kind == "clipping":
        from scenes.render.clipping_scene import ClippingSceneBuilder

        ClippingSceneBuilder(scene, data).play()
    elif kind == "influence":
        from scenes.render.influence_scene import InfluenceSceneBuilder

        InfluenceSceneBuilder(scene, data).play()
    else:
        LossSceneBuilder(scene, data).play()


class SpecScene(Scene):
    """The scene of one spec, of any kind; subclasses are named after the spec's ``scene``."""

    scene_spec: ClassVar[SceneSpec | None] = None
    scene_data: ClassVar[SceneData | None] = None

    def construct(self) -> None:
        play_scene(self, self.data())

    @classmethod
    def data(cls) -> SceneData:
        if cls.scene_data is None:
            assert cls.scene_spec is not None, "SpecScene needs a spec"
            cls.scene_data = compute_any(cls.scene_spec)
        return cls.scene_data


class LectureScene(Scene):
    """A whole lecture as one Scene: each loss scene in turn, as ``loss-scenes render`` joins them
    (cut, no transition), so both paths give the same video.
    """

    scene_specs: ClassVar[tuple[SceneSpec, ...]] = ()

    def construct(self) -> None:
        for spec in self.scene_specs:
            self.clear()
            play_scene(self, compute_any(spec))


def spec_scene_class(
    spec: SceneSpec, data: SceneData | None = None, module: str = __name__
) -> type[SpecScene]:
    """A ``SpecScene`` subclass named after the spec's ``scene`` (any kind)."""
    return type(
        spec.scene, (SpecScene,), {"scene_spec": spec, "scene_data": data, "__module__": module}
    )


def lecture_scene_class(name: str, specs: list[SceneSpec], module: str = __name__) -> type:
    return type(name, (LectureScene,), {"scene_specs": tuple(specs), "__module__": module})


def classes_for_folder(folder: Path, module: str) -> dict[str, type[Scene]]:
    """Scene classes for every valid spec in ``folder``: loss scenes and lectures.

    Invalid specs are reported on stderr and skipped, so one broken file does not hide the rest
    from ``manim``.
    """
    from scenes.spec import Course, Lecture, SpecError, load_any

    classes: dict[str, type[Scene]] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            loaded = load_any(path)
        except SpecError as error:
            print(error, file=sys.stderr)
            continue
        if isinstance(loaded, Course):
            continue  # its lectures are files of their own
        if isinstance(loaded, Lecture):
            specs = [spec for _, spec in loaded.scenes]
            classes[loaded.spec.lecture] = lecture_scene_class(loaded.spec.lecture, specs, module)
        else:
            classes[loaded.scene] = spec_scene_class(loaded, module=module)
    return classes
