"""Resolve loaded specs: check and add what needs maths, the formula language or the machine.

:mod:`scenes.spec.loading` returns what the user wrote (plus a lecture's voice and captions,
inherited by its scenes). Resolving adds the rest, before anything is computed or rendered:

- formulas: an ``expr`` loss must parse, be finite where it is drawn, and compute
  (:mod:`scenes.compute.formula_check`);
- voices: the program, model file or takes a voice needs must be here (:mod:`scenes.speech.checks`);
- number lines: the scenes of a lecture (of a course) that show the same observations share one
  range (``observations.line``), so the data sits at the same place in each of them.

Problems are :class:`SpecError` lines at the YAML node they are about, as loading's are; the
YAML is read again only to place a problem. ``check``, ``compute``, ``script``, ``render``,
``export``, ``watch`` and ``scenes.load`` resolve what they load (:func:`load_resolved`).

Only a spec with a formula imports JAX here (to compute it); the rest needs numpy at most.
"""

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from scenes.compute.loss_table import LOSS_TABLE
from scenes.spec import Course, ExprLoss, Lecture, SceneSpec, SpecError, load_scene
from scenes.spec.errors import Problem, limit_problems
from scenes.spec.lectures import scene_path_problem
from scenes.spec.loading import validate_any, validate_scene
from scenes.spec.messages import problem_at
from scenes.spec.voice import VoiceSpec
from scenes.spec.yaml_loader import Document, PathKey, load_yaml_file, load_yaml_text

__all__ = [
    "load_resolved",
    "parse_resolved",
    "resolve_any",
    "resolve_course",
    "resolve_lecture",
    "resolve_scene",
    "shared_number_lines",
]

Source = Document | str | os.PathLike[str]
"""Where a scene spec came from: its YAML file, or the document read from it (text)."""


def load_resolved(path: str | os.PathLike[str]) -> SceneSpec | Lecture | Course:
    """Load a scene, lecture or course spec file and resolve it: what every command works on.

    All problems are raised together: when a lecture (a course) does not load, those its scene
    files that do load are resolved still, so one run reports every formula and voice problem.
    """
    # Read once: the file may be a pipe, which a second read would wait on for ever.
    doc = load_yaml_file(Path(path))
    try:
        loaded = validate_any(doc, Path(path))
    except SpecError as error:
        raise SpecError(error.problems + _problems_of_what_loaded(doc, error)) from None
    return resolve_any(loaded, doc)


def parse_resolved(text: str, filename: str = "<string>") -> Any:
    """Validate and resolve scene spec text; ``filename`` is only used in error messages."""
    doc = load_yaml_text(text, filename)
    return resolve_scene(validate_scene(doc), doc)


def resolve_any(loaded: Any, source: Source) -> Any:
    """Resolve what :func:`scenes.spec.load_any` returned for ``source``."""
    if isinstance(loaded, Course):
        return resolve_course(loaded)
    if isinstance(loaded, Lecture):
        return resolve_lecture(loaded)
    return resolve_scene(loaded, source)


def resolve_scene(spec: Any, source: Source) -> Any:
    """Check a loaded scene spec (of any kind) as only maths and the machine can; return it.

    ``source`` is the file it was loaded from, or its document (a scene given as text), for the
    positions of its problems.
    """
    problems = _scene_problems(spec, _Where(source), own_voice=spec.voice is not None)
    if problems:
        raise SpecError(problems)
    return spec


def resolve_lecture(lecture: Lecture) -> Lecture:
    """Check a loaded lecture and its scenes; return it with its number lines shared.

    All problems, of the lecture and of any of its scenes, are raised together, as loading does.
    """
    scene_problems: list[Problem] = []
    for scene_path, scene in lecture.scenes:
        where = _Where(lecture.documents.get(scene_path, scene_path))
        scene_problems += _scene_problems(scene, where, own_voice=_wrote_voice(scene, where))
    lecture_problems: list[Problem] = []
    voice = lecture.spec.voice
    where = _Where(lecture.documents.get(lecture.path, lecture.path))
    # A voice the lecture inherited from its course is checked, once, where the course says it.
    if voice is not None and _wrote_voice(lecture.spec, where):
        heirs = {scene.scene: scene for _, scene in lecture.scenes if scene.voice == voice}
        lecture_problems += _voice_problems(where, voice, heirs)
    if lecture_problems or scene_problems:
        raise SpecError(limit_problems(lecture_problems) + scene_problems)
    return replace(lecture, scenes=shared_number_lines(lecture.scenes))


def resolve_course(course: Course) -> Course:
    """Check a loaded course and its lectures; return it with its number lines shared course-wide.

    A scene file in two lectures is one video, so the range its observations are shown on must
    hold what every lecture's scenes need.
    """
    lectures: list[Lecture] = []
    problems: list[Problem] = []
    for lecture in course.lectures:
        try:
            lectures.append(resolve_lecture(lecture))
        except SpecError as error:
            problems += error.problems
    voice = course.spec.voice
    if voice is not None:
        heirs = {
            scene.scene: scene
            for lecture in course.lectures
            for _, scene in lecture.scenes
            if scene.voice == voice
        }
        problems = _voice_problems(_Where(course.path), voice, heirs) + problems
    if problems:
        raise SpecError(problems)
    flat = shared_number_lines([item for lecture in lectures for item in lecture.scenes])
    shared = []
    for lecture in lectures:
        count = len(lecture.scenes)
        shared.append(replace(lecture, scenes=flat[:count]))
        flat = flat[count:]
    return replace(course, lectures=shared)


# --------------------------------------------------------------------------------------------------
# Problems, at the YAML node each is about


def _problems_of_what_loaded(doc: Document, error: SpecError) -> list[Problem]:
    """What resolving finds in the scene files of a lecture or course (``doc``) that failed to
    load, in those of its scene files that load alone and have no problem of their own.

    Their lecture's voice is not checked: it needs the lecture, which did not load.
    """
    failed = {Path(problem.file) for problem in error.problems}
    found: list[Problem] = []
    for scene_path in _listed_scene_files(doc):
        if scene_path in failed:
            continue
        try:
            spec = load_scene(scene_path)
        except SpecError:
            continue  # the loader said what is wrong with it, where it is listed
        try:
            resolve_scene(spec, scene_path)
        except SpecError as scene_error:
            found += scene_error.problems
    return found


def _listed_scene_files(doc: Document) -> list[Path]:
    """The scene files a lecture lists, or the lectures of a course do, each once, as written
    (only paths the loader accepts: relative, inside the folder, existing regular files).
    """
    path, data = Path(doc.filename), doc.data
    if not isinstance(data, dict):
        return []
    key, kind = ("lectures", "lecture") if "course" in data else ("scenes", "scene")
    listed = data.get(key) if "course" in data or "lecture" in data else None
    files = [
        path.parent / rel
        for rel in (listed if isinstance(listed, list) else [])
        if isinstance(rel, str) and scene_path_problem(rel, path.parent, kind) is None
    ]
    if kind == "lecture":
        files = [scene for lecture in files for scene in _listed_scene_files(_read(lecture))]
    return list(dict.fromkeys(files))


class _Where:
    """A spec's YAML document, read when a problem has to be placed in it (once)."""

    def __init__(self, source: Source) -> None:
        self._source = source
        self._doc = source if isinstance(source, Document) else None

    @property
    def doc(self) -> Document:
        if self._doc is None:
            assert not isinstance(self._source, Document)
            self._doc = load_yaml_file(Path(self._source))
        return self._doc

    def problem(self, path: PathKey, message: str) -> Problem:
        return problem_at(self.doc, self.doc.value_pos(path), path, message)

    @property
    def folder(self) -> Path:
        """The folder the spec's relative paths are relative to (as the loader takes them)."""
        name = self._source.filename if isinstance(self._source, Document) else self._source
        return Path(name).parent if name != "<string>" else Path.cwd()


def _read(path: Path) -> Document:
    try:
        return load_yaml_file(path)
    except SpecError:
        return Document(str(path), None)


def _wrote_voice(scene: Any, where: _Where) -> bool:
    """Whether a lecture's scene, or a course's lecture, has a voice of its own (not one it
    inherited).
    """
    if scene.voice is None:
        return False
    return isinstance(where.doc.data, dict) and "voice" in where.doc.data


def _scene_problems(spec: Any, where: _Where, *, own_voice: bool) -> list[Problem]:
    """A scene's problems, in the order loading once found them: its formulas' form, its own
    voice, then whether its formula computes (the costly check, made only on a clean spec).
    """
    has_formula = isinstance(getattr(spec, "loss", None), ExprLoss) or any(
        isinstance(loss, ExprLoss) for loss in getattr(spec, "losses", None) or []
    )
    if has_formula:
        from scenes.compute.formula_check import formula_form_problems

        found = [where.problem(path, message) for path, message in formula_form_problems(spec)]
        if found:
            return limit_problems(found)
    if own_voice:
        found = _voice_problems(where, spec.voice, {spec.scene: spec})
        if found:
            return found
    if isinstance(getattr(spec, "loss", None), ExprLoss):
        # A formula is only known to compute by computing it.
        from scenes.compute.formula_check import formula_problem

        problem = formula_problem(spec)
        if problem is not None:
            return [where.problem(("loss", "expr"), problem)]
    if has_formula and getattr(spec, "losses", None):
        # A summary computes each loss's minimiser: a formula is known to have one by finding it.
        from scenes.compute.formula_check import summary_formula_problems

        found = [
            where.problem(("losses", index, "expr"), message)
            for index, message in summary_formula_problems(spec)
        ]
        return limit_problems(found)
    return []


def _voice_problems(where: _Where, voice: VoiceSpec, scenes: dict[str, Any]) -> list[Problem]:
    """Why ``voice`` (its paths absolute) cannot speak the ``scenes`` here, at the field of the
    ``voice`` mapping each problem is about: a missing program or model, an unknown voice, a
    folder of takes outside the spec's folder, a take that is not audio, or one for no beat.
    """
    from scenes.speech.checks import (
        outside_problem,
        recorded_folder_problems,
        stray_take_problems,
        take_candidates,
        voice_problems,
    )

    if voice.engine == "recorded" and voice.folder is not None:
        # Outside is refused before anything there is looked at, even whether it exists.
        problem = outside_problem(Path(voice.folder), where.folder, "the takes folder")
        if problem is not None:
            return [where.problem(("voice", "folder"), problem)]
    found = list(voice_problems(voice, Path.cwd()))
    if voice.engine == "recorded" and voice.folder is not None and not found:
        folder = Path(voice.folder)
        beats = {name: [plan.id for plan in spec.beat_plans()] for name, spec in scenes.items()}
        # Every take is resolved too: a link inside the folder may lead out of it.
        takes = [
            path
            for name, ids in beats.items()
            for beat in ids
            for path in take_candidates(folder, name, beat)
        ]
        outside = [
            problem
            for path in takes
            if (problem := outside_problem(path, where.folder, "take")) is not None
        ]
        messages = outside or [
            *recorded_folder_problems(folder, beats),
            *stray_take_problems(folder, beats),
        ]
        found += [("folder", message) for message in messages]
    return [where.problem(("voice", field), message) for field, message in found]


# --------------------------------------------------------------------------------------------------
# Number lines


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
        line = _snapped(min(lo for lo, _ in spans), max(hi for _, hi in spans))
        for i in members:
            path, scene = scenes[i]
            observations = scene.observations.model_copy(update={"line": line})
            shared[i] = (path, scene.model_copy(update={"observations": observations}))
    return shared


def _snapped(lo: float, hi: float) -> tuple[float, float]:
    """``[lo, hi]`` widened to whole half-steps of the ticks of the line that shows it.

    A small edit of one scene (Huber's delta from 1 to 1.2 widens the band its descent starts
    in) then leaves the shared line where it was, and with it the picture of every other scene:
    they are reused, not drawn again. Half a tick step (not a whole one) keeps the margin
    small: the data keep most of the line's width.
    """
    import math

    from scenes.maths.axis import nice_step

    grain = nice_step(hi - lo) / 2
    return math.floor(lo / grain) * grain, math.ceil(hi / grain) * grain


def _line_needs(scene: Any) -> tuple[float, float]:
    """The stretch of the number line a scene needs before its maths is run: its observations,
    and where its descent starts with the band it draws around theta (Huber's delta, a trimmed
    loss's c), padded as the scene pads its own (``SceneData.line_extent``, which widens the
    line further if the descent overshoots).
    """
    import numpy as np

    from scenes.maths.axis import padded_extent
    from scenes.maths.data_scale import default_start, robust_delta

    y = scene.observations.resolve()
    values = [float(np.min(y)), float(np.max(y))]
    estimate = getattr(scene, "estimate", None)
    start = None
    if estimate is not None:
        start = estimate.start
        if start is None:
            start = default_start(y)
    band = 0.0
    loss = getattr(scene, "loss", None)
    params = loss.params() if loss is not None else {}
    # The band is drawn for a loss that clips, at its threshold (as SceneData.band is computed).
    entry = LOSS_TABLE[loss.name] if loss is not None else None
    threshold = entry.threshold if entry is not None and entry.clips else None
    if params.get("delta") == "auto":
        band = robust_delta(y)
    elif threshold is not None and isinstance(params.get(threshold), int | float):
        band = float(params[threshold])
    if start is not None:
        values += [float(start) - band, float(start) + band]
    return padded_extent(values)
