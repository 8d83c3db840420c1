"""The spec layer: YAML scene, lecture and course specs in, validated models or precise errors out.

The models are what the user wrote (a lecture's scenes also get its voice and captions): the
same scene file is the same model alone and in a lecture. What needs maths, the formula language
or the machine (formulas that compute, voices that can speak, the number line a lecture's scenes
share) is added by ``scenes.compute.resolve``, which every command and ``scenes.load`` run.

This package imports nothing above it, nor Manim, JAX or numpy at import: ``check`` and
``schema`` must start fast.

Typical use::

    from scenes.spec import SpecError, load_any

    try:
        spec = load_any("config/huber.yaml")
    except SpecError as error:
        print(error)  # FILE:LINE:COLUMN: error: MESSAGE, one line per problem
"""

from .colors import DEFAULT_COLORS, MANIM_COLORS, resolve_color
from .errors import Problem, SpecError
from .loading import (
    Course,
    Lecture,
    expand_courses,
    load_any,
    load_course,
    load_lecture,
    load_scene,
    parse_scene_text,
    resolved_scene_dict,
)
from .models import (
    LOSS_MODELS,
    LOSS_NAMES,
    CauchyLoss,
    ColorsSpec,
    CourseSpec,
    CurvesSpec,
    EpsilonInsensitiveLoss,
    EstimateSpec,
    ExprLoss,
    HuberLoss,
    L1Loss,
    L2Loss,
    LectureSpec,
    LogCoshLoss,
    LossSpec,
    NarrationSpec,
    ObservationsSpec,
    PseudoHuberLoss,
    QuantileLoss,
    RenderSpec,
    SampleSpec,
    SceneSpec,
    TimingSpec,
    TrimmedLoss,
    TukeyLoss,
)

__all__ = [
    "DEFAULT_COLORS",
    "LOSS_MODELS",
    "LOSS_NAMES",
    "MANIM_COLORS",
    "CauchyLoss",
    "ColorsSpec",
    "Course",
    "CourseSpec",
    "CurvesSpec",
    "EpsilonInsensitiveLoss",
    "EstimateSpec",
    "ExprLoss",
    "HuberLoss",
    "L1Loss",
    "L2Loss",
    "Lecture",
    "LectureSpec",
    "LogCoshLoss",
    "LossSpec",
    "NarrationSpec",
    "ObservationsSpec",
    "Problem",
    "PseudoHuberLoss",
    "QuantileLoss",
    "RenderSpec",
    "SampleSpec",
    "SceneSpec",
    "SpecError",
    "TimingSpec",
    "TrimmedLoss",
    "TukeyLoss",
    "expand_courses",
    "load_any",
    "load_course",
    "load_lecture",
    "load_scene",
    "parse_scene_text",
    "resolve_color",
    "resolved_scene_dict",
]
