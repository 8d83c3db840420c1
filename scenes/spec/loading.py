"""Load scene, lecture and course specs: YAML text -> validated models, or a :class:`SpecError`.

Pydantic validates plain data and reports errors by location path (``("loss", "huber", "delta")``);
this module maps each path back to the YAML node it came from and rewrites the message in plain
words naming the field (``loss.delta: expected a number > 0 or 'auto', got the string '1.0'``).
"""

import difflib
import re
import types
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from .errors import Problem, SpecError, limit_problems
from .models import (
    CAMEL_CASE,
    LOSS_NAMES,
    MAX_LECTURE_SECONDS,
    MAX_MAGNITUDE,
    MAX_VIDEO_SECONDS,
    MIN_POSITIVE,
    CourseSpec,
    ExprLoss,
    LectureSpec,
    SceneSpec,
    VoiceSpec,
    describe_value,
)
from .timeline import scene_timeline
from .yaml_loader import Document, PathKey, Pos, load_yaml_file, load_yaml_text

__all__ = [
    "Course",
    "Lecture",
    "expand_courses",
    "load_any",
    "load_course",
    "load_lecture",
    "load_scene",
    "parse_scene_text",
    "resolved_scene_dict",
]


@dataclass(frozen=True)
class Lecture:
    """A validated lecture and its validated scenes, in rendering order."""

    spec: LectureSpec
    path: Path
    """The lecture file, as given."""
    scenes: list[tuple[Path, SceneSpec]]
    """Each scene file (the lecture's folder joined with the listed path) and its spec."""


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
    return _validate_scene(load_yaml_text(text, filename))


def load_scene(path: str | Path) -> SceneSpec:
    """Load and validate a scene spec file (spec-v1 section 3)."""
    return _validate_scene(load_yaml_file(path))


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
    doc = load_yaml_file(path)
    if isinstance(doc.data, dict) and "lecture" in doc.data:
        return _validate_lecture(doc, path)
    if isinstance(doc.data, dict) and "course" in doc.data:
        return _validate_course(doc, path)
    return _validate_scene(doc)


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


def _validate_scene(doc: Document) -> SceneSpec:
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
        raise SpecError(limit_problems(_problems(doc, model, error))) from None
    if spec.voice is not None:
        spec = spec.model_copy(update={"voice": _voice_paths(spec.voice, _folder_of(doc))})
        problems = _voice_problems(doc, ("voice",), spec.voice, {spec.scene: spec})
        if problems:
            raise SpecError(problems)
    if isinstance(getattr(spec, "loss", None), ExprLoss):
        # A formula is only known to compute by computing it (scenes.compute.formula_check).
        from scenes.compute.formula_check import formula_problem

        problem = formula_problem(spec)
        if problem is not None:
            path = ("loss", "expr")
            raise SpecError([_at(doc, doc.value_pos(path), path, problem)])
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


def _voice_problems(
    doc: Document, at: PathKey, voice: VoiceSpec, scenes: dict[str, Any]
) -> list[Problem]:
    """Why ``voice`` (its paths absolute) cannot speak here, at the field each problem is about:
    a missing program or model, an unknown voice, a take that is not audio.
    """
    from scenes.speech.checks import recorded_folder_problems, voice_problems

    found = [
        doc.problem(doc.value_pos((*at, field)), f"{_dotted((*at, field))}: {message}")
        for field, message in voice_problems(voice, Path.cwd())
    ]
    if voice.engine == "recorded" and voice.folder is not None and not found:
        beats = {name: [plan.id for plan in spec.beat_plans()] for name, spec in scenes.items()}
        found += [
            doc.problem(doc.value_pos((*at, "folder")), f"{_dotted((*at, 'folder'))}: {message}")
            for message in recorded_folder_problems(Path(voice.folder), beats)
        ]
    return found


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
        problems = _problems(doc, model, error)
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


def _validate_lecture(doc: Document, path: Path) -> Lecture:
    base_dir = path.parent
    spec, lecture_problems, entries = _validate_listing(doc, LectureSpec, "scenes", base_dir)

    scene_problems: list[Problem] = []
    scenes: list[tuple[Path, SceneSpec]] = []
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
            scene = _validate_scene(scene_doc)
        except SpecError as error:
            scene_problems.extend(error.problems)
            continue
        scenes.append((scene_path, _inherit(scene, spec, base_dir)))
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
        voice = _voice_paths(spec.voice, base_dir)
        spec = spec.model_copy(update={"voice": voice})
        heirs = {scene.scene: scene for _, scene in scenes if scene.voice == voice}
        lecture_problems += _voice_problems(doc, ("voice",), voice, heirs)
    lecture_problems += _lecture_output_problems(doc, spec, scenes, first_use)
    if lecture_problems or scene_problems:
        raise SpecError(limit_problems(lecture_problems) + scene_problems)
    assert spec is not None
    return Lecture(spec=spec, path=path, scenes=shared_number_lines(scenes))


def shared_number_lines(scenes: list[tuple[Path, Any]]) -> list[tuple[Path, Any]]:
    """The scenes, those that show the same observations on a number line given one range
    (``observations.line``) that holds what each of them shows (and any range one of them asks
    for), so the data sits at the same place in every scene of a lecture (of a course).
    """
    groups: dict[tuple[float, ...], list[int]] = {}
    for index, (_, scene) in enumerate(scenes):
        observations = getattr(scene, "observations", None)
        if observations is not None and "line" in type(observations).model_fields:
            key = tuple(float(v) for v in observations.resolve())
            groups.setdefault(key, []).append(index)
    shared = list(scenes)
    for members in groups.values():
        if len(members) < 2:
            continue
        spans = [scenes[i][1].observations.line or _line_needs(scenes[i][1]) for i in members]
        line = (min(lo for lo, _ in spans), max(hi for _, hi in spans))
        for i in members:
            path, scene = scenes[i]
            observations = scene.observations.model_copy(update={"line": line})
            shared[i] = (path, scene.model_copy(update={"observations": observations}))
    return shared


def _line_needs(scene: Any) -> tuple[float, float]:
    """The stretch of the number line a scene needs before its maths is run: its observations,
    and where its descent starts with the band it draws around theta (Huber's delta, a trimmed
    loss's c), padded as the scene pads its own (``SceneData.line_extent``, which widens the
    line further if the descent overshoots).
    """
    import numpy as np

    y = scene.observations.resolve()
    values = [float(np.min(y)), float(np.max(y))]
    estimate = getattr(scene, "estimate", None)
    start = None
    if estimate is not None:
        start = estimate.start
        if start is None:
            from scenes.maths.descent import default_start

            start = default_start(y)
    band = 0.0
    loss = getattr(scene, "loss", None)
    name = loss.name if loss is not None else None
    params = loss.params() if loss is not None else {}
    if params.get("delta") == "auto":
        from scenes.compute.loss import robust_delta

        band = robust_delta(y)
    elif isinstance(params.get("delta"), int | float) and name == "huber":
        band = float(params["delta"])
    elif isinstance(params.get("c"), int | float) and name == "trimmed":
        band = float(params["c"])
    if start is not None:
        values += [float(start) - band, float(start) + band]
    from scenes.maths.axis import padded_extent

    return padded_extent(values)


def _inherit(scene: Any, lecture: LectureSpec | None, folder: Path) -> Any:
    """The scene with the lecture's voice and captions where it sets none of its own."""
    if lecture is None:
        return scene
    update: dict[str, Any] = {}
    if scene.voice is None and lecture.voice is not None:
        update["voice"] = _voice_paths(lecture.voice, folder)
    if scene.captions is None and lecture.captions is not None:
        update["captions"] = lecture.captions
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
    inner_problems: list[Problem] = []
    lectures: list[Lecture] = []
    # Every lecture renders into one folder (renders/QUALITY) and exports to a folder named
    # after it: each video name must stand for one file, each lecture name for one lecture.
    videos: dict[str, tuple[str, Path, str]] = {}  # name -> kind, source file, where listed
    for i, rel in entries:
        lecture_path = base_dir / rel
        where = doc.value_pos(("lectures", i))
        try:
            lecture_doc = load_yaml_file(lecture_path)
            if not (isinstance(lecture_doc.data, dict) and "lecture" in lecture_doc.data):
                message = f"lectures[{i}]: {rel} is not a lecture spec (it has no `lecture:` key)"
                course_problems.append(doc.problem(where, message))
                continue
            lecture = _validate_lecture(lecture_doc, lecture_path)
        except SpecError as error:
            inner_problems.extend(error.problems)
            continue
        lectures.append(lecture)
        named = [("lecture", lecture.spec.lecture, lecture_path)]
        named += [("scene", scene.scene, scene_path) for scene_path, scene in lecture.scenes]
        for kind, name, source in named:
            if name not in videos:
                videos[name] = (kind, source.resolve(), f"lectures[{i}] ({rel})")
                continue
            first_kind, first_source, first_where = videos[name]
            if kind == first_kind == "scene" and first_source == source.resolve():
                continue  # one scene file in two lectures: one video
            message = (
                f"lectures[{i}]: {kind} name {name!r} is already used by {first_where}; names "
                "must be unique in a course (each names a video, a lecture also its folder of "
                "the course site)"
            )
            course_problems.append(doc.problem(where, message))
            break
    if course_problems or inner_problems:
        raise SpecError(limit_problems(course_problems) + inner_problems)
    assert spec is not None
    # A scene file in two lectures is one video: its number line is shared course-wide.
    flat = shared_number_lines([item for lecture in lectures for item in lecture.scenes])
    shared_lectures = []
    for lecture in lectures:
        count = len(lecture.scenes)
        shared_lectures.append(replace(lecture, scenes=flat[:count]))
        flat = flat[count:]
    return Course(spec=spec, path=path, lectures=shared_lectures)


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


# --------------------------------------------------------------------------------------------------
# Pydantic errors -> problems

_MISSING = object()


def _problems(doc: Document, root: type[BaseModel], error: ValidationError) -> list[Problem]:
    errors = error.errors(include_url=False, include_context=True, include_input=True)
    # A misspelt key also makes the key it was meant to be "missing"; the "did you mean" line
    # says all there is to say, so drop the second problem.
    meant: set[PathKey] = set()
    for e in errors:
        if e["type"] == "extra_forbidden":
            path, _ = _clean_path(doc.data, e["loc"])
            close = _suggest_key(root, doc.data, path)
            if close is not None:
                meant.add((*path[:-1], close))
    return [
        _problem(doc, root, e)
        for e in errors
        if not (e["type"] == "missing" and _clean_path(doc.data, e["loc"])[0] in meant)
    ]


def _clean_path(data: Any, loc: tuple[str | int, ...]) -> tuple[PathKey, Any]:
    """Keep the parts of a pydantic location that are keys or indices of the data.

    Pydantic inserts the tag of a discriminated union into the location (``("loss", "huber",
    "delta")``); those parts are not in the YAML. Returns the path and the data at its end
    (``_MISSING`` when the last key is absent).
    """
    path: list[str | int] = []
    first_in_mapping = True
    for part in loc:
        if isinstance(data, dict):
            # The union tag comes first, and is checked before the keys: the `expr` loss has a
            # key named like its tag.
            if first_in_mapping and "name" in data and part == data["name"]:
                first_in_mapping = False
                continue
            path.append(part)
            data = data[part] if part in data else _MISSING
            first_in_mapping = True
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            path.append(part)
            data = data[part]
            first_in_mapping = True
        # Anything else is a label pydantic adds (a union member, a dict `[key]`): skip it.
    return tuple(path), data


def _dotted(path: PathKey) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _problem(doc: Document, root: type[BaseModel], e: Any) -> Problem:
    kind: str = e["type"]
    ctx: dict[str, Any] = e.get("ctx") or {}
    value = e.get("input")
    path, _ = _clean_path(doc.data, e["loc"])
    if kind == "spec" and "at" in ctx:
        # A model-level check about one of its fields (see models.at).
        path = (*path, *ctx["at"])
    parent = path[:-1]

    if kind == "missing" and path and isinstance(e["loc"][-1], int):
        # A [lo, hi] pair with too few numbers: pydantic reports the absent index as missing.
        container = _data_at(doc.data, path)
        message = f"expected 2 numbers [lo, hi], got {describe_value(container)}"
        return _at(doc, doc.value_pos(path), path, message)
    if kind == "missing":
        field = _field_at(root, doc.data, path)
        hint = ""
        if field is not None and field.examples:
            hint = f"; for example `{path[-1]}: {_yaml_flow(field.examples[0])}`"
        return _at(doc, doc.value_pos(parent), path, f"required key is missing{hint}")
    if kind == "extra_forbidden":
        pos = doc.keys.get(path, doc.value_pos(path))
        return _at(doc, pos, path, _unknown_key_message(root, doc.data, path))
    if kind == "union_tag_invalid":
        names = ", ".join(LOSS_NAMES)
        tag = str(ctx.get("tag"))
        close = difflib.get_close_matches(tag, LOSS_NAMES, n=1)
        suggestion = f"; did you mean {close[0]!r}?" if close else ""
        name_path = (*path, "name")
        return _at(
            doc,
            doc.value_pos(name_path),
            name_path,
            f"unknown loss {tag!r}{suggestion} (valid names: {names})",
        )
    if kind == "union_tag_not_found":
        name_path = (*path, "name")
        return _at(
            doc,
            doc.value_pos(path),
            name_path,
            f"required key is missing; one of {', '.join(LOSS_NAMES)}",
        )
    return _at(doc, doc.value_pos(path), path, _plain_message(kind, ctx, value, e["msg"]))


def _at(doc: Document, pos: Pos, path: PathKey, message: str) -> Problem:
    where = _dotted(path)
    return doc.problem(pos, f"{where}: {message}" if where else message)


def _plain_message(kind: str, ctx: dict[str, Any], value: Any, default: str) -> str:
    """Write the "expected X, got Y" text of one pydantic error type."""
    got = f", got {describe_value(value)}"
    if kind == "spec":
        return default  # our own validators already wrote the whole message
    if kind in ("float_type", "int_type", "int_from_float"):
        what = "a number" if kind == "float_type" else "a whole number"
        hint = ""
        if isinstance(value, str) and _looks_numeric(value):
            hint = " (remove the quotes: a quoted number is text)"
        return f"expected {what}{got}{hint}"
    if kind == "finite_number":
        return f"expected a finite number{got}"
    bound = next(iter(ctx.values()), None)
    if kind == "greater_than_equal" and bound == MIN_POSITIVE:
        return f"expected a number > 0 (at least {MIN_POSITIVE:g}){got}"
    if kind in ("greater_than_equal", "less_than_equal") and abs(bound or 0) == MAX_MAGNITUDE:
        return f"expected a number between -1e15 and 1e15 (the largest magnitude allowed){got}"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        op = {"greater_than": ">", "greater_than_equal": ">=", "less_than": "<"}.get(kind, "<=")
        bound = next(iter(ctx.values()), "?")
        shown = f"{bound:g}" if isinstance(bound, float) else str(bound)
        return f"expected a number {op} {shown}{got}"
    if kind == "string_type":
        return f"expected text{got}"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == CAMEL_CASE:
        return (
            "expected a CamelCase name: a capital letter, then letters and digits "
            f"(for example HuberLoss){got}"
        )
    if kind == "string_too_long":
        return f"expected at most {ctx.get('max_length')} characters, got {len(value)}"
    if kind == "string_too_short":
        return "expected some text, got an empty string"
    if kind == "literal_error":
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        suggestion = ""
        if isinstance(value, str):
            close = difflib.get_close_matches(value, options, n=1)
            suggestion = f"; did you mean {close[0]!r}?" if close else ""
        return f"expected one of {', '.join(options)}{got}{suggestion}"
    if kind in ("list_type", "tuple_type"):
        return f"expected a list{got}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping (`key: value` lines){got}"
    if kind == "too_short":
        if ctx.get("field_type") == "Tuple":
            return f"expected 2 numbers [lo, hi]{got}"
        n = ctx.get("min_length")
        return f"expected at least {n} item{'s' if n != 1 else ''}{got}"
    if kind == "too_long":
        if ctx.get("field_type") == "Tuple":
            return f"expected 2 numbers [lo, hi]{got}"
        return f"expected at most {ctx.get('max_length')} items{got}"
    return default


_NUMERIC = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*|\s*[-+]?\.?(inf|nan)\s*", re.I)


def _looks_numeric(text: str) -> bool:
    return bool(_NUMERIC.fullmatch(text))


def _yaml_flow(value: Any) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, width=1000, sort_keys=False).strip()
    return text.removesuffix("\n...").strip()


def _data_at(data: Any, path: PathKey) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return _MISSING
    return data


# --------------------------------------------------------------------------------------------------
# Model introspection: which keys are valid where (for "did you mean" and examples)


def _unwrap(tp: Any, data: Any) -> Any:
    """Strip ``Annotated`` and ``None`` from a type; pick the loss model named by ``data``."""
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp = get_args(tp)[0]
            continue
        if origin in (Union, types.UnionType):
            args = [a for a in get_args(tp) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            if len(models) > 1 and isinstance(data, dict):
                for model in models:
                    if data.get("name") in get_args(model.model_fields["name"].annotation):
                        return model
                return None
            if len(args) == 1:
                tp = args[0]
                continue
        return tp


def _field_by_key(model: type[BaseModel], key: str) -> FieldInfo | None:
    for name, info in model.model_fields.items():
        if (info.alias or name) == key:
            return info
    return None


def _model_at(root: type[BaseModel], data: Any, path: PathKey) -> type[BaseModel] | None:
    """Find the model class validating the mapping at ``path`` (None if not a model)."""
    tp: Any = root
    for part in path:
        tp = _unwrap(tp, data)
        if isinstance(part, int):
            args = get_args(tp)
            if not args:
                return None
            tp = args[0]
            data = data[part] if isinstance(data, list) and part < len(data) else None
        else:
            if not (isinstance(tp, type) and issubclass(tp, BaseModel)):
                return None
            info = _field_by_key(tp, part)
            if info is None:
                return None
            tp = info.annotation
            data = data.get(part) if isinstance(data, dict) else None
    tp = _unwrap(tp, data)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _field_at(root: type[BaseModel], data: Any, path: PathKey) -> FieldInfo | None:
    if not path or not isinstance(path[-1], str):
        return None
    model = _model_at(root, data, path[:-1])
    return _field_by_key(model, path[-1]) if model is not None else None


def _unknown_key_message(root: type[BaseModel], data: Any, path: PathKey) -> str:
    model = _model_at(root, data, path[:-1])
    if model is None:
        return "unknown key"
    valid = [info.alias or name for name, info in model.model_fields.items()]
    close = _suggest_key(root, data, path)
    if close is not None:
        return f"unknown key; did you mean {close!r}?"
    if valid == ["name"]:
        return f"unknown key: the {_loss_name(data, path)} loss takes no parameters"
    return f"unknown key (valid keys here: {', '.join(valid)})"


def _loss_name(data: Any, path: PathKey) -> str:
    """Return the ``name`` of the mapping that holds ``path`` (for loss messages)."""
    parent = _data_at(data, path[:-1])
    return str(parent.get("name")) if isinstance(parent, dict) else "this"


def _suggest_key(root: type[BaseModel], data: Any, path: PathKey) -> str | None:
    """Find the valid key closest to the unknown key at the end of ``path``, if one is close."""
    model = _model_at(root, data, path[:-1])
    if model is None:
        return None
    valid = [info.alias or name for name, info in model.model_fields.items()]
    close = difflib.get_close_matches(str(path[-1]), valid, n=1, cutoff=0.6)
    return close[0] if close else None
