"""Load scene, lecture and course specs: YAML text -> the models the user wrote, or a SpecError.

What a spec says is checked here, each problem at its FILE:LINE:COLUMN (:mod:`.messages` words
pydantic's errors). A lecture's scenes inherit its voice and captions here, since that needs no
maths. What needs maths or the machine is checked, and added, when a spec is *resolved*
(:mod:`scenes.compute.resolve`): formulas, voices, the number line shared by a lecture's scenes.
So one scene file loads to the same model alone and in a lecture, and this layer imports no
maths, JAX or speech.
"""

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Problem, SpecError, limit_problems
from .fields import MAX_LECTURE_SECONDS, MAX_VIDEO_SECONDS
from .lectures import CourseSpec, LectureSpec
from .messages import problems_of
from .models import SceneSpec
from .timeline import scene_timeline
from .voice import VoiceSpec
from .yaml_loader import Document, Pos, load_yaml_file, load_yaml_text

__all__ = [
    "Course",
    "Lecture",
    "case_clash",
    "expand_courses",
    "kind_mismatch",
    "load_any",
    "load_course",
    "load_lecture",
    "load_scene",
    "name_key",
    "parse_scene_text",
    "resolved_scene_dict",
    "validate_any",
    "validate_scene",
]


@dataclass(frozen=True)
class Lecture:
    """A validated lecture and its validated scenes, in rendering order."""

    spec: LectureSpec
    path: Path
    """The lecture file, as given."""
    scenes: list[tuple[Path, SceneSpec]]
    """Each scene file (the lecture's folder joined with the listed path) and its spec."""
    documents: Mapping[Path, Document] = field(default_factory=dict, compare=False, repr=False)
    """The YAML of the lecture file and of each scene file, as read: problems found later
    (resolving: :mod:`scenes.compute.resolve`) are placed in them, without reading a file twice.
    """


@dataclass(frozen=True)
class Course:
    """A validated course and its validated lectures, in publishing order."""

    spec: CourseSpec
    path: Path
    """The course file, as given."""
    lectures: list[Lecture]


# --------------------------------------------------------------------------------------------------
# Public API


def parse_scene_text(text: str, filename: str = "<string>") -> SceneSpec:
    """Validate scene spec text; ``filename`` is only used in error messages."""
    return validate_scene(load_yaml_text(text, filename))


def load_scene(path: str | Path) -> SceneSpec:
    """Load and validate a scene spec file (spec-v1 section 3)."""
    return validate_scene(load_yaml_file(path))


def load_lecture(path: str | Path) -> Lecture:
    """Load a lecture spec file and every scene file it lists (spec-v1 section 5).

    All problems, in the lecture and in any of its scene files, are raised together as one
    :class:`SpecError`, each naming the file it is in.
    """
    path = Path(path)
    return _validate_lecture(load_yaml_file(path), path)


def load_course(path: str | Path) -> Course:
    """Load a course spec file, every lecture it lists and their scenes (spec-v2 section 11).

    As for a lecture, all problems, in any of the files, are raised together.
    """
    path = Path(path)
    return _validate_course(load_yaml_file(path), path)


def load_any(path: str | Path) -> SceneSpec | Lecture | Course:
    """Load a scene, a lecture or a course: a mapping with a top-level ``lecture`` key is a
    lecture, one with a ``course`` key a course.
    """
    path = Path(path)
    return validate_any(load_yaml_file(path), path)


def validate_any(doc: Document, path: Path) -> SceneSpec | Lecture | Course:
    """The scene, lecture or course in the YAML document read from ``path``."""
    if isinstance(doc.data, dict) and "lecture" in doc.data:
        return _validate_lecture(doc, path)
    if isinstance(doc.data, dict) and "course" in doc.data:
        return _validate_course(doc, path)
    return validate_scene(doc)


def expand_courses(items: list[Any]) -> list[Any]:
    """Scene specs and lectures, with each course replaced by its lectures, in order."""
    return [
        lecture
        for item in items
        for lecture in (item.lectures if isinstance(item, Course) else [item])
    ]


def resolved_scene_dict(spec: SceneSpec) -> dict[str, Any]:
    """Return the fully-defaulted spec as plain JSON-able data (colours resolved, tuples as lists).

    Two specs that render the same video give equal dictionaries, so this is what to hash for
    caching. YAML keys are used (``loss.params`` of an ``expr`` loss, not the attribute name).
    """
    return spec.model_dump(mode="json", by_alias=True)


# --------------------------------------------------------------------------------------------------
# Validation


def validate_scene(doc: Document) -> SceneSpec:
    """The scene (of any kind) in a YAML document, as written; its voice's paths made absolute."""
    from .scene_kinds import SCENE_KINDS

    model: Any = SceneSpec
    kind = doc.data.get("kind") if isinstance(doc.data, dict) else None
    if isinstance(kind, str):
        if kind not in SCENE_KINDS:
            close = difflib.get_close_matches(kind, list(SCENE_KINDS), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            message = f"kind: unknown scene kind {kind!r}{hint} (valid: {', '.join(SCENE_KINDS)})"
            raise SpecError([doc.problem(doc.value_pos(("kind",)), message)])
        model = SCENE_KINDS[kind]
    try:
        spec = model.model_validate(doc.data, context={"yaml": True})
    except ValidationError as error:
        raise SpecError(limit_problems(problems_of(doc, model, error))) from None
    if spec.voice is not None:
        # Absolute, so that the voice means the same when a lecture hands it to its scenes.
        spec = spec.model_copy(update={"voice": _voice_paths(spec.voice, _folder_of(doc))})
    seconds = scene_timeline(spec).seconds
    if seconds > MAX_VIDEO_SECONDS:
        where = next((k for k in ("timing", "narration") if k in doc.data), "scene")
        raise SpecError(
            [
                doc.problem(
                    doc.value_pos((where,)) if where != "scene" else Pos(1, 1),
                    f"{where}: the scene would last {seconds:g} s (its beats' timing, and the "
                    f"time to read its narration); a scene may last at most "
                    f"{MAX_VIDEO_SECONDS:g} s",
                )
            ]
        )
    return spec


def _folder_of(doc: Document) -> Path:
    """The folder a spec's relative paths (voice model, recordings) are relative to."""
    name = Path(doc.filename)
    return name.parent if doc.filename != "<string>" else Path.cwd()


def _voice_paths(voice: VoiceSpec, folder: Path) -> VoiceSpec:
    """The voice with its files as absolute paths, so it can be handed to another spec."""
    update = {
        key: str((folder / value).absolute())
        for key in ("model", "folder")
        if (value := getattr(voice, key)) is not None
    }
    return voice.model_copy(update=update) if update else voice


def _validate_listing(
    doc: Document, model: type[BaseModel], key: str, base_dir: Path
) -> tuple[Any, list[Problem], list[tuple[int, str]]]:
    """Validate a lecture or course (``model``): its spec or None, its own problems, and the
    entries of its list ``key`` that are worth loading.
    """
    try:
        spec = model.model_validate(doc.data, context={"base_dir": base_dir, "yaml": True})
        return spec, [], list(enumerate(getattr(spec, key)))
    except ValidationError as error:
        problems = problems_of(doc, model, error)
    # Still check the files that are listed correctly, so that one run reports everything that
    # is wrong.
    bad = {Pos(p.line, p.column) for p in problems}
    raw = doc.data.get(key) if isinstance(doc.data, dict) else None
    entries = [
        (i, item)
        for i, item in enumerate(raw if isinstance(raw, list) else [])
        if isinstance(item, str) and doc.value_pos((key, i)) not in bad
    ]
    return None, problems, entries


def _validate_lecture(doc: Document, path: Path, course: CourseSpec | None = None) -> Lecture:
    base_dir = path.parent
    spec, lecture_problems, entries = _validate_listing(doc, LectureSpec, "scenes", base_dir)
    if spec is not None and spec.audio is None and course is not None and course.audio:
        spec = spec.model_copy(update={"audio": course.audio})
    if spec is not None and spec.voice is None and course is not None and course.voice:
        # The course's voice, its paths already made absolute from the course's folder.
        spec = spec.model_copy(update={"voice": course.voice})

    scene_problems: list[Problem] = []
    scenes: list[tuple[Path, SceneSpec]] = []
    documents = {path: doc}
    first_use: dict[str, tuple[int, str, str]] = {}
    for i, rel in entries:
        scene_path = base_dir / rel
        try:
            scene_doc = load_yaml_file(scene_path)
            if isinstance(scene_doc.data, dict) and "lecture" in scene_doc.data:
                # One line here says it; the scene model would find five faults inside.
                lecture_problems.append(
                    doc.problem(
                        doc.value_pos(("scenes", i)),
                        f"scenes[{i}]: {rel} is {kind_mismatch('scene', 'lecture')}; a "
                        "lecture lists scene specs",
                    )
                )
                continue
            scene = validate_scene(scene_doc)
        except SpecError as error:
            scene_problems.extend(error.problems)
            continue
        scenes.append((scene_path, _inherit(scene, spec, base_dir)))
        documents[scene_path] = scene_doc
        if name_key(scene.scene) in first_use:
            j, first_rel, first_name = first_use[name_key(scene.scene)]
            lecture_problems.append(
                doc.problem(
                    doc.value_pos(("scenes", i)),
                    f"scenes[{i}]: scene name {scene.scene!r} is already used by {first_rel} "
                    f"(scenes[{j}]){case_clash(scene.scene, first_name)}; scene names must be "
                    "unique in a lecture",
                )
            )
        else:
            first_use[name_key(scene.scene)] = (i, rel, scene.scene)

    if spec is not None and spec.voice is not None:
        spec = spec.model_copy(update={"voice": _voice_paths(spec.voice, base_dir)})
    lecture_problems += _lecture_output_problems(doc, spec, scenes, first_use)
    if lecture_problems or scene_problems:
        raise SpecError(limit_problems(lecture_problems) + scene_problems)
    assert spec is not None
    return Lecture(spec=spec, path=path, scenes=scenes, documents=documents)


def _inherit(scene: Any, lecture: LectureSpec | None, folder: Path) -> Any:
    """The scene with the lecture's voice, audio and captions where it sets none of its own."""
    if lecture is None:
        return scene
    update: dict[str, Any] = {}
    if scene.voice is None and lecture.voice is not None:
        update["voice"] = _voice_paths(lecture.voice, folder)
    if scene.captions is None and lecture.captions is not None:
        update["captions"] = lecture.captions
    if scene.audio is None and lecture.audio is not None:
        update["audio"] = lecture.audio
    return scene.model_copy(update=update) if update else scene


def kind_mismatch(wanted: str, actual: str) -> str:
    """The words for a spec of the wrong kind where a ``wanted`` one was expected."""
    return f"a {actual} spec (it has `{actual}:`), not a {wanted} spec"


def name_key(name: str) -> str:
    """What makes two video names the same file: macOS and Windows ignore case in file names."""
    return name.casefold()


def case_clash(name: str, other: str) -> str:
    """The words that explain a clash of names equal but for case ("" for equal names)."""
    if name == other:
        return ""
    return (
        f" as {other!r}, and names that differ only in case name the same files on macOS "
        "and Windows"
    )


def _validate_course(doc: Document, path: Path) -> Course:
    base_dir = path.parent
    spec, course_problems, entries = _validate_listing(doc, CourseSpec, "lectures", base_dir)
    if spec is not None and spec.voice is not None:
        spec = spec.model_copy(update={"voice": _voice_paths(spec.voice, base_dir)})
    inner_problems: list[Problem] = []
    lectures: list[Lecture] = []
    # Every lecture renders into one folder (renders/QUALITY) and exports to a folder named
    # after it: each video name must stand for one file, each lecture name for one lecture.
    # name_key(name) -> kind, name, source file, where listed
    videos: dict[str, tuple[str, str, Path, str]] = {}
    for i, rel in entries:
        lecture_path = base_dir / rel
        where = doc.value_pos(("lectures", i))
        try:
            lecture_doc = load_yaml_file(lecture_path)
            if not (isinstance(lecture_doc.data, dict) and "lecture" in lecture_doc.data):
                message = f"lectures[{i}]: {rel} is not a lecture spec (it has no `lecture:` key)"
                course_problems.append(doc.problem(where, message))
                continue
            lecture = _validate_lecture(lecture_doc, lecture_path, spec)
        except SpecError as error:
            inner_problems.extend(error.problems)
            continue
        lectures.append(lecture)
        named = [("lecture", lecture.spec.lecture, lecture_path)]
        named += [("scene", scene.scene, scene_path) for scene_path, scene in lecture.scenes]
        for kind, name, source in named:
            if name_key(name) not in videos:
                videos[name_key(name)] = (kind, name, source.resolve(), f"lectures[{i}] ({rel})")
                continue
            first_kind, first_name, first_source, first_where = videos[name_key(name)]
            if kind == first_kind == "scene" and first_source == source.resolve():
                continue  # one scene file in two lectures: one video
            message = (
                f"lectures[{i}]: {kind} name {name!r} is already used by {first_where}"
                f"{case_clash(name, first_name)}; names must be unique in a course (each names a "
                "video, a lecture also its folder of the course site)"
            )
            course_problems.append(doc.problem(where, message))
            break
    if course_problems or inner_problems:
        raise SpecError(limit_problems(course_problems) + inner_problems)
    assert spec is not None
    return Course(spec=spec, path=path, lectures=lectures)


def _lecture_output_problems(
    doc: Document,
    spec: LectureSpec | None,
    scenes: list[tuple[Path, SceneSpec]],
    first_use: dict[str, tuple[int, str, str]],
) -> list[Problem]:
    """Limits that need the lecture and its scenes together: length, and output names."""
    problems = []
    total = sum(scene_timeline(scene).seconds for _, scene in scenes)
    if total > MAX_LECTURE_SECONDS:
        problems.append(
            doc.problem(
                doc.value_pos(("scenes",)),
                f"scenes: together the scenes last {total:g} s; a lecture may last at most "
                f"{MAX_LECTURE_SECONDS:g} s",
            )
        )
    if spec is not None and name_key(spec.lecture) in first_use:
        i, rel, name = first_use[name_key(spec.lecture)]
        problems.append(
            doc.problem(
                doc.value_pos(("lecture",)),
                f"lecture: {spec.lecture!r} is also the scene name of {rel} (scenes[{i}])"
                f"{case_clash(spec.lecture, name)}; the lecture video would overwrite the "
                "scene's: give them different names",
            )
        )
    return problems
