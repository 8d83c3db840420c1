"""Whether a voice can speak on this machine: the checks the spec layer runs.

``check`` must stay fast, so nothing here imports numpy or soundfile at module level (soundfile
only once a take actually has to be decoded). The engines use the same functions, so a voice that
passes ``check`` is one they accept.
"""

import shutil
import subprocess
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scenes.spec.models import VoiceSpec

ESPEAK = "espeak-ng"
ESPEAK_MISSING = "espeak-ng is not installed: run scripts/install.sh, or apt-get install espeak-ng"
PIPER_PACKAGE = "piper-tts"
PIPER_INSTALL = "pip install 'loss-scenes[piper]'"

TAKE_SUFFIXES = (".wav", ".flac")


def take_candidates(folder: Path, scene: str, beat: str) -> list[Path]:
    """The files that exist for ``scene``'s ``beat``: ``FOLDER/<Scene>/<beat>.wav`` or ``.flac``."""
    return [path for s in TAKE_SUFFIXES if (path := folder / scene / f"{beat}{s}").is_file()]


def audio_file_problem(path: Path) -> str | None:
    """Why ``path`` is not a WAV or FLAC recording (None if it is one that decodes)."""
    try:
        with open(path, "rb") as file:
            head = file.read(12)
    except OSError as error:
        return f"{path}: cannot be read ({error.strerror or error})"
    is_wav = head[:4] == b"RIFF" and head[8:12] == b"WAVE"
    is_flac = head[:4] == b"fLaC"
    if not (is_wav or is_flac):
        return f"{path} is not audio: expected a WAV (RIFF/WAVE) or FLAC recording"
    if path.suffix.lower() != (".wav" if is_wav else ".flac"):
        kind = "WAV" if is_wav else "FLAC"
        return f"{path} holds {kind} audio: name it {path.stem}{'.wav' if is_wav else '.flac'}"
    import soundfile

    try:
        samples, _rate = soundfile.read(path, dtype="float32")
    except (soundfile.LibsndfileError, RuntimeError, ValueError) as error:
        return f"{path} does not decode as audio: {error}"
    if len(samples) == 0:
        return f"{path} is an empty recording"
    return None


def recorded_folder_problems(
    folder: Path, beats: Mapping[str, Iterable[str]] | None = None
) -> list[str]:
    """What is wrong with a folder of takes (empty list if nothing is), one sentence each.

    ``beats`` maps each scene name to its beat ids; only their takes are checked. Without it,
    every ``.wav`` and ``.flac`` file in the scene folders is. A missing take is no problem here
    (that beat is silent, with a warning at render time); a file that is not audio is.
    """
    if not folder.is_dir():
        return [f"{folder} is not a folder: the takes go in {folder}/<Scene>/<beat>.wav"]
    problems: list[str] = []
    if beats is None:
        files = sorted(
            path
            for path in folder.glob("*/*")
            if path.suffix.lower() in TAKE_SUFFIXES and path.is_file()
        )
    else:
        files = []
        for scene, ids in beats.items():
            for beat in ids:
                found = take_candidates(folder, scene, beat)
                if len(found) > 1:
                    problems.append(
                        f"{folder / scene} has both {beat}.wav and {beat}.flac: keep one take"
                    )
                files.extend(found)
    for path in files:
        problem = audio_file_problem(path)
        if problem is not None:
            problems.append(problem)
    return problems


def espeak_program() -> str | None:
    return shutil.which(ESPEAK)


def espeak_voice_problem(voice: str) -> str | None:
    """Why espeak-ng cannot speak with ``voice`` (None if it can): the program itself is asked."""
    program = espeak_program()
    if program is None:
        return ESPEAK_MISSING
    result = subprocess.run(
        [program, "-v", voice, "-q", "--stdin"], input=b"", capture_output=True, check=False
    )
    if result.returncode == 0:
        return None
    return f"espeak-ng has no voice {voice!r} (espeak-ng --voices lists them)"


def piper_config_path(model: Path) -> Path:
    return model.with_name(model.name + ".json")


def piper_model_problem(model: Path) -> str | None:
    """Why ``model`` is not a usable piper voice (None if it is), naming what is missing."""
    try:
        metadata.version(PIPER_PACKAGE)
    except metadata.PackageNotFoundError:
        return f"engine piper needs the {PIPER_PACKAGE} package: {PIPER_INSTALL}"
    if not model.is_file():
        return f"piper voice model {model} does not exist (loss-scenes never downloads one)"
    if not piper_config_path(model).is_file():
        return f"piper voice model {model} has no config {piper_config_path(model).name} beside it"
    return None


def voice_problems(voice: "VoiceSpec", base_dir: Path) -> list[tuple[str, str]]:
    """What keeps ``voice`` from speaking on this machine, as ``(field, message)`` pairs; the
    field is the key of the ``voice`` mapping the problem is about.

    Takes that are not audio are :func:`recorded_folder_problems`' business (it needs the beat
    ids); here a recorded voice only needs its folder.
    """
    problem: str | None = None
    field = ""
    if voice.engine == "espeak-ng":
        problem = espeak_voice_problem(voice.voice)
        field = "engine" if problem == ESPEAK_MISSING else "voice"
    elif voice.engine == "piper" and voice.model is not None:
        problem, field = piper_model_problem(base_dir / voice.model), "model"
    elif voice.engine == "recorded" and voice.folder is not None:
        folder = base_dir / voice.folder
        if not folder.is_dir():
            problem, field = (
                f"{folder} is not a folder: the takes go in {folder}/<Scene>/<beat>.wav",
                "folder",
            )
    return [] if problem is None else [(field, problem)]
