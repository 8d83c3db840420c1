"""What ``record``, ``takes``, ``check`` and ``script`` share about the lecturer's takes: which
scene files a spec names, where their takes go, each beat's words, where a beat's narration is.
"""

from pathlib import Path
from typing import Any

from scenes.cli._common import UsageError
from scenes.spec import Course, Lecture
from scenes.spec.yaml_loader import Pos, load_yaml_file


def scene_files(path: str, loaded: Any) -> list[tuple[Path, Any]]:
    """The scene specs of a loaded scene, lecture or course, each with the file it came from."""
    if isinstance(loaded, Course):
        return [item for lecture in loaded.lectures for item in lecture.scenes]
    if isinstance(loaded, Lecture):
        return list(loaded.scenes)
    return [(Path(path), loaded)]


def takes_folder(spec: Any) -> Path | None:
    """The takes folder of a scene spec's voice (absolute), if it is a ``recorded`` voice."""
    voice = spec.voice
    if voice is None or voice.engine != "recorded" or voice.folder is None:
        return None
    return Path(voice.folder)


def folder_for(scenes: list[tuple[Path, Any]], override: str | None) -> Path:
    """Where ``record`` and ``takes`` write: ``--folder``, else the scenes' recorded voice's folder.

    A spec whose voice is not ``recorded`` (espeak-ng, say, while the lecturer records) needs
    ``--folder``: no folder is guessed.
    """
    if override is not None:
        return Path(override)
    folders = {folder for _, spec in scenes if (folder := takes_folder(spec)) is not None}
    if len(folders) == 1:
        return folders.pop()
    if not folders:
        raise UsageError(
            "the spec's voice is not `engine: recorded`: give the takes folder with --folder DIR"
        )
    raise UsageError("the scenes record into different folders: record them one scene at a time")


def beat_words(spec: Any) -> list[tuple[str, str]]:
    """``(beat, narration)`` of each beat that is said, in timeline order (computed narration
    included, as ``script`` prints it).
    """
    from scenes.compute.prepare import prepare_scene

    prepared = prepare_scene(spec, speak=False)
    return [(beat.id, beat.text) for beat in prepared.timeline.beats if beat.text.strip()]


def narration_pos(path: Path, beat: str) -> Pos:
    """Where ``beat``'s narration is written in the scene file (its scene name if not there)."""
    doc = load_yaml_file(path)
    if ("narration", beat) in doc.values:
        return doc.values[("narration", beat)]
    return doc.value_pos(("scene",))
