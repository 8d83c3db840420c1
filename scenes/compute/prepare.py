"""Everything a scene needs before anything is drawn: its data, its speech and its timeline.

The maths runs once (``scenes.kinds``), the voice says each beat's phrases (``scenes.speech``,
cached by content), and the timeline is laid out from both (``scenes.spec.timeline``). The
render pipeline does this in the parent process and hands the result to the workers that draw;
``loss-scenes script`` prints the timeline; the plain ``manim`` command plays it.
"""

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scenes.compute.translation import language_of, translations_for
from scenes.errors import EXIT_INVALID, LossScenesError
from scenes.kinds import kind_of
from scenes.spec.fields import MAX_VIDEO_SECONDS
from scenes.spec.timeline import Timeline, phrases, scene_timeline


class SceneTooLong(LossScenesError, exit_code=EXIT_INVALID):
    """A scene that lasts longer than a scene may once its narration is spoken: exit 2.

    The command line places it at the scene's ``narration`` (:func:`scenes.cli._common.located`).
    """

    def __init__(self, scene: str, seconds: float) -> None:
        self.scene = scene
        self.seconds = seconds
        super().__init__(
            f"narration: the scene {scene} would last {seconds:.1f} s once spoken (its speech, "
            f"pauses and timing); a scene may last at most {MAX_VIDEO_SECONDS:g} s: shorten "
            "its narration, speak faster (voice.rate) or split the scene"
        )


@dataclass(frozen=True)
class PreparedScene:
    spec: Any
    data: Any
    timeline: Timeline
    speech: dict[str, Any] = field(default_factory=dict)
    """Beat id -> ``scenes.speech.base.BeatSpeech`` for every beat that is said."""
    warnings: list[str] = field(default_factory=list)
    translations: dict[tuple[str, str], str] = field(default_factory=dict)
    """The catalogue of the spec's language (``scenes.compute.translation``), for the drawing
    in a render worker; empty in the source language."""


def voice_engine(spec: Any) -> Any:
    """The engine that speaks ``spec``'s narration (paths in its voice are absolute already)."""
    from scenes.speech import engine_for

    return engine_for(spec.voice, Path.cwd())


def voice_identity(spec: Any) -> dict[str, str]:
    """What identifies the voice that speaks ``spec`` ({} when it is silent): cheap to ask, no
    speech is made.
    """
    if spec.voice is None or spec.voice.engine == "none":
        return {}
    return dict(voice_engine(spec).identity())


def prepare_scene(spec: Any, *, data: Any = None, speak: bool = True) -> PreparedScene:
    """Compute, synthesise and lay out one scene spec (of any kind)."""
    kind = kind_of(spec)
    data = kind.compute(spec) if data is None else data
    generated = kind.narration(data)
    warnings = list(getattr(data, "warnings", []))
    speech: dict[str, Any] = {}
    identity: dict[str, str] = {}
    if speak and spec.voice is not None and spec.voice.engine != "none":
        engine = voice_engine(spec)
        identity = engine.identity()
        # The narration that will be said: the spec's, or the computed result where it has none.
        draft = scene_timeline(spec, generated=generated)
        for beat in draft.beats:
            said = phrases(beat.text)
            if said:
                speech[beat.id] = engine.beat_speech(spec.scene, beat.id, said)
        warnings += list(getattr(engine, "warnings", []))
    timeline = scene_timeline(spec, speech=speech, generated=generated, voice=identity)
    if timeline.seconds > MAX_VIDEO_SECONDS:
        # check measures the silent timeline; only the speech says how long a slow voice or a
        # long take makes the scene.
        raise SceneTooLong(spec.scene, timeline.seconds)
    translations = translations_for(language_of(spec))
    return PreparedScene(spec, data, timeline, speech, warnings, translations)


def print_warnings(prepared: PreparedScene) -> None:
    for warning in prepared.warnings:
        print(f"warning: {warning}", file=sys.stderr, flush=True)


def loudness_target(spec: Any) -> float:
    """The integrated loudness (LUFS) of ``spec``'s narration: its ``audio.loudness`` profile."""
    from scenes.spec.voice import AudioSpec

    audio = getattr(spec, "audio", None) or AudioSpec()
    return audio.target_lufs


def narration_track(prepared: PreparedScene, seconds: float) -> Any:
    """The scene's narration (48 kHz, at its loudness profile, ``seconds`` long): every piece of
    speech at the time the timeline gives it.
    """
    from scenes.speech.track import narration_track as track

    placements = []
    for beat in prepared.timeline.beats:
        speech = prepared.speech.get(beat.id)
        if speech is not None:
            clips = [piece.clip for piece in speech.pieces]
            placements += list(zip(beat.speech_starts, clips, strict=True))
    return track(placements, seconds, target_lufs=loudness_target(prepared.spec))


def narration_wav(prepared: PreparedScene) -> Path | None:
    """The narration as a WAV file in the cache (for Manim's own ``add_sound``), or None when
    the scene is silent.
    """
    import hashlib

    import soundfile

    from scenes.files import atomic_path, cache_dir
    from scenes.speech.base import SAMPLE_RATE

    if not prepared.speech:
        return None
    digest = hashlib.sha256(f"{loudness_target(prepared.spec)}".encode())
    for beat in prepared.timeline.beats:
        speech = prepared.speech.get(beat.id)
        digest.update(
            f"{beat.id}:{beat.speech_starts}:{speech.digest() if speech else ''}".encode()
        )
    path = cache_dir() / "narration" / f"{digest.hexdigest()}.wav"
    if not path.is_file():
        samples = narration_track(prepared, prepared.timeline.seconds)
        with atomic_path(path) as temp:
            soundfile.write(temp, samples, SAMPLE_RATE, subtype="PCM_16", format="WAV")
    return path
