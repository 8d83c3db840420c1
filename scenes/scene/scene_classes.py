"""Manim ``Scene`` classes for specs, so the CLI and the plain ``manim`` command share one path."""

import sys
from pathlib import Path
from typing import Any, ClassVar

from manim import Scene

from scenes.compute.prepare import PreparedScene, narration_wav, prepare_scene
from scenes.kinds import kind_of


def play_scene(
    scene: Scene,
    prepared: PreparedScene,
    beats: tuple[int, int] | None = None,
    stills: Path | None = None,
) -> None:
    """Play one prepared scene of any kind onto ``scene`` (``beats``: first and last beat drawn;
    ``stills``: a folder for each drawn beat's last frame).
    """
    if beats is None:
        # A whole scene played by Manim itself (the plain `manim` command, or inside a user's
        # scene): Manim lays the narration under it. loss-scenes' own renders draw parts
        # silent and lay the narration on the joined video.
        wav = narration_wav(prepared)
        if wav is not None:
            scene.add_sound(str(wav))
    builder = kind_of(prepared.spec).builder()
    builder(scene, prepared.data, prepared.timeline, beats=beats, stills=stills).play()


class SpecScene(Scene):
    """The scene of one spec, of any kind; subclasses are named after the spec's ``scene``."""

    scene_spec: ClassVar[Any] = None
    prepared: ClassVar[PreparedScene | None] = None
    beats: ClassVar[tuple[int, int] | None] = None
    stills: ClassVar[Path | None] = None

    def construct(self) -> None:
        play_scene(self, self.prepare(), self.beats, self.stills)

    @classmethod
    def prepare(cls) -> PreparedScene:
        if cls.prepared is None:
            assert cls.scene_spec is not None, "SpecScene needs a spec"
            cls.prepared = prepare_scene(cls.scene_spec)
        return cls.prepared


class LectureScene(Scene):
    """A whole lecture as one Scene: each scene in turn, as ``loss-scenes render`` joins them
    (cut, no transition), so both paths give the same video.
    """

    scene_specs: ClassVar[tuple[Any, ...]] = ()

    def construct(self) -> None:
        for spec in self.scene_specs:
            self.clear()
            play_scene(self, prepare_scene(spec))


def spec_scene_class(
    spec: Any,
    prepared: PreparedScene | None = None,
    module: str = __name__,
    beats: tuple[int, int] | None = None,
    stills: Path | None = None,
) -> type[SpecScene]:
    """A ``SpecScene`` subclass named after the spec's ``scene`` (any kind)."""
    attributes = {"scene_spec": spec, "prepared": prepared, "beats": beats, "stills": stills}
    return type(spec.scene, (SpecScene,), {**attributes, "__module__": module})


def lecture_scene_class(name: str, specs: list[Any], module: str = __name__) -> type:
    return type(name, (LectureScene,), {"scene_specs": tuple(specs), "__module__": module})


def classes_for_folder(folder: Path, module: str) -> dict[str, type[Scene]]:
    """Scene classes for every valid spec in ``folder``: scenes of every kind and lectures.

    Invalid specs are reported on stderr and skipped, so one broken file does not hide the rest
    from ``manim``.
    """
    from scenes.compute.resolve import load_resolved
    from scenes.spec import Course, Lecture, SpecError

    classes: dict[str, type[Scene]] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            loaded = load_resolved(path)
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
