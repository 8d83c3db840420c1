"""A lecture in several languages (spec-v3 section 16): what is translated, and the one lookup.

The texts of a scene that a translator sees (:func:`scene_texts`): each beat's narration as the
spec writes it (``<Scene>/<beat>``), the sentences the scene generates from its numbers where the
spec says nothing (templates with named placeholders, ``{estimate}``; every variant the scene can
say, so no maths is needed to list them) and each text drawn on screen (``<Scene>/<text id>``:
title, subtitle, card lines, the labels the drawing writes).

Every translated text goes through :func:`translate`; with no language asked (or the source
language) it returns the source unchanged, so English renders stay byte-identical. A render in
another language runs on :func:`translated_spec` (the spec with its texts translated, its voice
that of the language, its scene named ``<Scene>.<lang>`` so that files, reuse keys and manifest
entries stay apart) and the drawing looks up its own labels in the catalogue carried by the
prepared scene (:func:`use_catalogue`).
"""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scenes.compute.loss_table import LOSS_TABLE, PARAMETERS, TARGETS
from scenes.spec.catalogue import CatalogueText, catalogue_path, read_translations

__all__ = [
    "GENERATED",
    "NAMES",
    "SCREEN",
    "SHARED_SCREEN",
    "SOURCE_LANGUAGE",
    "WORDS",
    "item_texts",
    "lecture_languages",
    "scene_texts",
    "summary_words",
    "translate",
    "translated_spec",
    "use_catalogue",
]

SOURCE_LANGUAGE = "en"

GENERATED: dict[str, dict[str, str]] = {
    # kind -> text id -> template: the sentences scenes.compute says when the spec does not.
    "loss": {
        "hold.point": "θ settled on {the_target}: {estimate}.",
        "hold.interval": "θ = {estimate} settled in {the_target} interval, from {lo} to {hi}.",
        "hold.unreached": "θ = {estimate} has not yet reached {the_target}, {target}.",
        "adapt": "Spread the data {factor} times wider, and delta grows with them, from "
        "{delta_before} to {delta_after}.",
        "hold.adapt": "On the wider data, delta is {delta} and θ is their Huber estimate, "
        "{estimate}.",
        "restart.unreached": "From {start}, θ = {second} has not yet reached {the_target}, "
        "{target}.",
        "restart.same": "From {start}, θ settles on the same {name}: {second}.",
        "restart.other": "From {start}, θ settles on {second}, not {estimate}: another local "
        "minimum. The loss is not convex, so the answer depends on the start.",
        "hold.restart": "From {first}, θ = {estimate}; from {start}, θ = {second}.",
    },
    "clipping": {
        "hold.balanced": "θ = {where}: the clipped gradients balance there; the mean is {mean}.",
        "hold.unbalanced": "θ = {where} has not yet reached the point where the clipped "
        "gradients balance, {target}.",
    },
    "summary": {
        "compare.loss": "The {loss} loss",
        "compare.loss_with": "The {loss} loss with {parameters}",
        "compare.parameter": "{parameter} equal to {value}",
        "compare.and": "{first} and {second}",
        "compare.named": "{who}, {target},",
        "compare.local": "{who} has its lowest minimum at {lowest}; {where}, it stops at "
        "{value}, a local minimum.",
        "compare.from_median": "from the median",
        "compare.settles": "{who} settles on {where}.",
        "compare.anywhere": "anywhere from {lo} to {hi}",
        "compare.any": "any {target}, {where}",
        "compare.the": "the {target}, {value}",
    },
    "influence": {
        "hold": "With the outlier at {outlier}: mean {mean}, median {median}, Huber {huber}, "
        "trimmed {trimmed}. The trimmed loss has several minima: this is the one reached from "
        "the median.",
    },
}
"""Generated narration, by scene kind: ``<Scene>/<text id>`` in the catalogue. A text id
``<beat>.<variant>`` is said in ``<beat>``; one whose variant names another beat
(``hold.adapt``, ``hold.restart``) or that names such a beat (``adapt``, ``restart.same``) is
listed only for a scene that has that beat.
"""

OPTIONAL_BEATS = frozenset({"adapt", "restart"})
"""Beats only some scenes of a kind have: their generated sentences are listed only there."""

SCREEN: dict[str, dict[str, str]] = {
    # kind -> text id -> template: labels the drawing writes itself.
    "loss": {"pulls": "pulls: left {left}, right {right}"},
}
"""Texts drawn by the scene builders, by scene kind: ``<Scene>/<text id>`` in the catalogue."""

SHARED_SCREEN: dict[str, dict[str, str]] = {
    # kind -> text id -> text: words every scene of the kind draws the same way.
    "loss": {
        "pull_on": "pull on",
        "scale": "at {fraction} scale",
        "scale_words": "arrows at {fraction} scale",
        "key.mean": "mean",
        "key.median": "median",
        "key.huber": "Huber",
        "key.quantile": "quantile",
        "key.epsilon": "minimisers",
        "key.numeric": "minimiser",
        "key.within": "mean within {symbol}",
        "key.set": "= set of minimisers",
        "key.from": "{name}, from {start}",
        "from_start": "from {start}: {value}",
        "spread": "data spread ×",
        "curve.loss": "loss",
        "curve.density": "density",
        "curve.derivative": "derivative",
    },
    "summary": {
        "auto": "(auto)",
        "named": "{target} {value}",
        "with_target": "{value} ({target})",
        "lowest": "{value} (lowest minimum)",
        "local": "{where}: {value}, a local minimum",
        "from_median": "from the median",
    },
}
"""On-screen words shared by every scene of a kind: ``screen/<text id>`` in the catalogue, once."""

WORDS: dict[str, str] = {key: f"the {target.called}" for key, target in TARGETS.items()}
"""Words put into generated sentences (``{the_target}``): ``words/<key>`` in the catalogue."""

NAMES: dict[str, str] = {key: target.called for key, target in TARGETS.items()}
"""The same without the article (``the same {name}``): ``names/<key>`` in the catalogue."""

# The catalogue the drawing of this process reads: (context, source) -> translation.
_active: dict[str, dict[tuple[str, str], str]] = {}


def use_catalogue(lang: str | None, translations: Mapping[tuple[str, str], str]) -> None:
    """Make ``translations`` the catalogue :func:`translate` reads for ``lang`` in this process
    (a render worker calls it with what the prepared scene carries).
    """
    if lang:
        _active[lang] = dict(translations)


def translate(text_id: str, source: str, lang: str | None, **values: str) -> str:
    """The text ``text_id`` (``<Scene>/<beat or text id>``) in ``lang``: its translation, or the
    source where there is none; placeholders filled from ``values`` (numbers already written in
    ``lang``'s way). ``lang`` None or the source language: the source, as it always was.
    """
    text = source
    if lang and lang != SOURCE_LANGUAGE:
        text = _active.get(lang, {}).get((text_id, source)) or source
    return text.format(**values) if values else text


def kind_name(spec: Any) -> str:
    return getattr(spec, "kind", None) or "loss"


def scene_texts(spec: Any) -> list[CatalogueText]:
    """The texts of one scene spec a translator sees, in the order the scene shows them."""
    scene = spec.scene
    texts: list[CatalogueText] = []
    for field in ("title", "subtitle"):
        value = getattr(spec, field, None)
        if value:
            texts.append(CatalogueText(f"{scene}/{field}", value, "on screen"))
    for index, item in enumerate(getattr(spec, "items", None) or []):
        texts.append(CatalogueText(f"{scene}/items.{index + 1}", item, "on screen: a card line"))
    kind = kind_name(spec)
    for plan in spec.beat_plans():
        if plan.text:
            texts.append(CatalogueText(f"{scene}/{plan.id}", plan.text, "narration"))
    written = {plan.id for plan in spec.beat_plans() if plan.text}
    beats = {plan.id for plan in spec.beat_plans()}
    for text_id, template in GENERATED.get(kind, {}).items():
        named = set(text_id.split(".")) & OPTIONAL_BEATS
        if text_id.split(".")[0] not in written and named <= beats:
            texts.append(
                CatalogueText(
                    f"{scene}/{text_id}",
                    template,
                    "narration, computed: one of these is said; numbers in your language's way",
                )
            )
    for text_id, template in SCREEN.get(kind, {}).items():
        texts.append(CatalogueText(f"{scene}/{text_id}", template, "on screen, computed"))
    return texts


def item_texts(item: Any) -> list[CatalogueText]:
    """The texts of a loaded scene, lecture or course (each once, words last)."""
    from scenes.spec import Course, Lecture

    texts: list[CatalogueText] = []
    lectures = item.lectures if isinstance(item, Course) else [item]
    if isinstance(item, Course) and item.spec.title:
        texts.append(CatalogueText(f"{item.spec.course}/title", item.spec.title, "on screen"))
    specs = []
    for lecture in lectures:
        if isinstance(lecture, Lecture):
            if lecture.spec.title:
                texts.append(
                    CatalogueText(f"{lecture.spec.lecture}/title", lecture.spec.title, "on screen")
                )
            specs += [spec for _, spec in lecture.scenes]
        else:
            specs.append(lecture)
    for spec in specs:
        texts += scene_texts(spec)
    kinds = {kind_name(spec) for spec in specs}
    if "loss" in kinds:
        texts += [
            CatalogueText(f"words/{key}", word, "put into generated sentences as {the_target}")
            for key, word in WORDS.items()
        ]
        if any("restart" in {p.id for p in spec.beat_plans()} for spec in specs):
            texts += [
                CatalogueText(f"names/{key}", word, "put into generated sentences as {name}")
                for key, word in NAMES.items()
            ]
    if "summary" in kinds:
        texts += summary_words(spec for spec in specs if kind_name(spec) == "summary")
    for kind in sorted(kinds & set(SHARED_SCREEN)):
        texts += [
            CatalogueText(f"screen/{text_id}", text, f"on screen, in every {kind} scene")
            for text_id, text in SHARED_SCREEN[kind].items()
        ]
    seen: set[tuple[str, str]] = set()
    unique = []
    for text in texts:
        if (text.context, text.source) not in seen:
            seen.add((text.context, text.source))
            unique.append(text)
    return unique


def summary_words(specs: Any) -> list[CatalogueText]:
    """The words a summary's sentences are made of: each loss's name, what it settles on, the
    parameters said (``words/loss.<name>``, ``words/target.<key>``, ``words/parameter.<key>``).
    """
    texts: list[CatalogueText] = []
    for spec in specs:
        for loss in spec.losses:
            entry = LOSS_TABLE.get(loss.name)
            if entry is None:
                continue
            texts.append(CatalogueText(f"words/loss.{loss.name}", entry.words, "put in as {loss}"))
            texts.append(
                CatalogueText(
                    f"screen/loss.{loss.name}", f"{entry.words} loss", "on screen: a summary row"
                )
            )
            target = TARGETS.get(entry.target)
            if target is not None and target.on_card:
                texts.append(
                    CatalogueText(f"words/target.{target.name}", target.on_card, "as {target}")
                )
    texts += [
        CatalogueText(f"words/parameter.{key}", parameter.spoken, "as {parameter}")
        for key, parameter in PARAMETERS.items()
    ]
    return texts


def lecture_languages(item: Any) -> list[str]:
    """The ``languages`` of a loaded lecture or course (its first: the source); [] if none."""
    from scenes.spec import Course, Lecture

    if isinstance(item, Course):
        return list(item.spec.languages or [])
    if isinstance(item, Lecture):
        return list(item.spec.languages or [])
    return []


def catalogue_of(item: Any, lang: str) -> dict[tuple[str, str], str]:
    """The translations of ``lang`` for the lecture or course ``item`` (its ``locale`` folder)."""
    return read_translations(catalogue_path(Path(item.path), lang))


def translated_spec(
    spec: Any, lang: str, translations: Mapping[tuple[str, str], str], source: str
) -> Any:
    """``spec`` in ``lang``: its texts translated, its voice that of ``lang`` (``voice.voices``)
    and its name ``<Scene>.<lang>``. ``lang`` the source language: ``spec`` itself.
    """
    if lang == source:
        return spec
    use_catalogue(lang, translations)
    scene = spec.scene

    def tr(text_id: str, text: str | None) -> str | None:
        return translate(f"{scene}/{text_id}", text, lang) if text else text

    update: dict[str, Any] = {"scene": f"{scene}.{lang}"}
    for field in ("title", "subtitle"):
        if getattr(spec, field, None):
            update[field] = tr(field, getattr(spec, field))
    if getattr(spec, "items", None):
        update["items"] = [tr(f"items.{i + 1}", item) for i, item in enumerate(spec.items)]
    narration = getattr(spec, "narration", None)
    if narration is not None:
        said = {
            plan.id: tr(plan.id, plan.text) for plan in spec.beat_plans() if plan.text is not None
        }
        update["narration"] = narration.model_copy(
            update={k: v for k, v in said.items() if k in type(narration).model_fields}
        )
    voice = getattr(spec, "voice", None)
    if voice is not None and voice.voices and lang in voice.voices:
        update["voice"] = voice.model_copy(update={"voice": voice.voices[lang]})
    return spec.model_copy(update=update)


def language_of(spec: Any) -> str | None:
    """The language a spec made by :func:`translated_spec` is in (None: the source)."""
    _, dot, lang = spec.scene.rpartition(".")
    return lang if dot else None


def source_scene(spec: Any) -> str:
    """The scene's name in the catalogue (without the language suffix)."""
    return spec.scene.rpartition(".")[0] or spec.scene


def translations_for(lang: str | None) -> dict[tuple[str, str], str]:
    """The active catalogue of ``lang`` in this process (to hand to a render worker)."""
    return dict(_active.get(lang or "", {}))


def languages_asked(asked: str | None, item: Any) -> list[str]:
    """``--lang X`` / ``--lang all`` against the item's languages: the languages to render."""
    languages = lecture_languages(item)
    if asked is None:
        return [languages[0]] if languages else [SOURCE_LANGUAGE]
    if asked == "all":
        return languages or [SOURCE_LANGUAGE]
    return [asked]


def translated_item(item: Any, lang: str) -> Any:
    """A loaded lecture (or course: its lectures) in ``lang``: every scene by
    :func:`translated_spec`, the lecture named ``<Lecture>.<lang>``; the source language: as is.
    """
    import dataclasses

    from scenes.spec import Course, Lecture

    if isinstance(item, Course):
        return [translated_item(lecture, lang) for lecture in item.lectures]
    if not isinstance(item, Lecture):
        return item
    languages = lecture_languages(item)
    source = languages[0] if languages else SOURCE_LANGUAGE
    if lang == source:
        return item
    translations = catalogue_of(item, lang)
    use_catalogue(lang, translations)
    name = item.spec.lecture
    title = item.spec.title and translate(f"{name}/title", item.spec.title, lang)
    return dataclasses.replace(
        item,
        spec=item.spec.model_copy(update={"lecture": f"{name}.{lang}", "title": title}),
        scenes=[
            (path, translated_spec(spec, lang, translations, source)) for path, spec in item.scenes
        ],
    )
