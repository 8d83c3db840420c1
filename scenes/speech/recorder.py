"""Recording the lecturer's takes beat by beat (``loss-scenes record``).

The session shows each beat's words, records on Enter and stops on Enter, shows the take's level
(a meter and a clipping warning), plays it back, and asks: accept, redo or skip. Only those
answers count (a letter or the word); anything else, Enter alone included, asks again, and the end
of the input stops the session, so nothing is accepted by accident. An accepted take
is written atomically with its sidecar (:func:`scenes.speech.takes.write_take`), so a session killed
during a take leaves every earlier take whole. A take already on disk is kept unless the user
says to record it again (``--yes`` keeps it too: a script never replaces a take).

Sound comes from the default microphone through PortAudio (``sounddevice``) or, for scripts and
tests, from a file (``--input``): each take is then that file.
"""

import math
import select
import sys
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from scenes.errors import LossScenesError
from scenes.speech.base import SAMPLE_RATE
from scenes.speech.takes import take_path, write_take

CLIP_LEVEL = 10 ** (-0.1 / 20)
"""A sample this close to full scale (-0.1 dBFS) counts as clipped."""
METER_WIDTH = 30
METER_FLOOR_DB = -60.0


class NoMicrophone(LossScenesError):
    """No input device: exit 1 with one line."""


def peak_dbfs(samples: np.ndarray) -> float:
    peak = float(np.max(np.abs(samples))) if len(samples) else 0.0
    return 20 * math.log10(peak) if peak > 0 else -math.inf


def meter(samples: np.ndarray) -> str:
    """A text level meter of the take's peak: ``[#####.....] -12.3 dBFS``."""
    db = peak_dbfs(samples)
    filled = (
        0
        if db == -math.inf
        else round(METER_WIDTH * (1 - max(db, METER_FLOOR_DB) / METER_FLOOR_DB))
    )
    shown = "-inf" if db == -math.inf else f"{db:.1f}"
    return f"[{'#' * filled}{'.' * (METER_WIDTH - filled)}] peak {shown} dBFS"


def clipped_share(samples: np.ndarray) -> float:
    return float(np.mean(np.abs(samples) >= CLIP_LEVEL)) if len(samples) else 0.0


class Source(ABC):
    """Where takes come from: ``start()`` on the first Enter, ``stop()`` (the samples) on the
    second; ``play`` plays a take back if the machine can.
    """

    def start(self) -> None:  # noqa: B027 - a file source has nothing to begin
        """Begin a take."""

    @abstractmethod
    def stop(self) -> np.ndarray:
        """End the take; its samples."""

    def play(self, samples: np.ndarray) -> bool:
        return False


class FileSource(Source):
    def __init__(self, path: Path) -> None:
        from scenes.speech.audio import read_audio

        self.samples = read_audio(path)

    def stop(self) -> np.ndarray:
        return self.samples


class Microphone(Source):
    """The default input device, mono at 48 kHz, through PortAudio."""

    def __init__(self) -> None:
        try:
            import sounddevice
        except (ImportError, OSError) as error:
            raise NoMicrophone(f"cannot use the microphone: {error}; use --input FILE") from None
        self.sd = sounddevice
        try:
            sounddevice.query_devices(kind="input")
        except (ValueError, sounddevice.PortAudioError):
            raise NoMicrophone(
                "no microphone found (no default input device); use --input FILE"
            ) from None
        self.blocks: list[np.ndarray] = []
        self.stream: Any = None

    def start(self) -> None:
        self.blocks = []

        def keep(data: np.ndarray, frames: int, time: Any, status: Any) -> None:
            self.blocks.append(data[:, 0].copy())

        self.stream = self.sd.InputStream(
            samplerate=SAMPLE_RATE, channels=1, dtype="float32", callback=keep
        )
        self.stream.start()

    def stop(self) -> np.ndarray:
        self.stream.stop()
        self.stream.close()
        return np.concatenate(self.blocks) if self.blocks else np.zeros(0, np.float32)

    def play(self, samples: np.ndarray) -> bool:
        try:
            self.sd.play(samples, SAMPLE_RATE, blocking=True)
        except self.sd.PortAudioError:
            return False
        return True


ACCEPT_REDO_SKIP = {
    "a": "accept",
    "accept": "accept",
    "r": "redo",
    "redo": "redo",
    "s": "skip",
    "skip": "skip",
}
KEEP_OR_RECORD = {"k": "keep", "keep": "keep", "r": "record", "record": "record"}


WAKE_SECONDS = 0.2
"""How often a prompt waiting for its answer lets the interpreter run pending signal handlers."""


def ask_line(prompt: str) -> str:
    """``input(prompt)`` that Ctrl-C and SIGTERM always stop.

    A process signal goes to any thread that does not block it, and JAX and the audio library
    start threads: when one of them takes SIGTERM, Python only sets a flag, and ``input()``,
    asleep in ``read`` in the main thread, never sees it (the session hung until the next
    Enter). Waiting in short ``select`` calls returns to the interpreter, which runs the handler.
    """
    print(prompt, end="", flush=True)
    while not select.select([sys.stdin], [], [], WAKE_SECONDS)[0]:
        pass
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\r\n")


def choose(
    ask: Callable[[str], str], prompt: str, answers: dict[str, str], say: Callable[[str], None]
) -> str:
    """Ask until the answer is one of ``answers`` (its letter or its word, any case); return
    what it means. Anything else, Enter alone included, asks again: nothing is accepted, kept
    or thrown away by accident.
    """
    while True:
        answer = ask(prompt).strip().lower()
        if answer in answers:
            return answers[answer]
        words = list(dict.fromkeys(answers.values()))
        say(f"  please answer {', '.join(words[:-1])} or {words[-1]}")


@dataclass(frozen=True)
class BeatToRecord:
    scene: str
    beat: str
    text: str


def session(
    beats: Sequence[BeatToRecord],
    folder: Path,
    source: Source,
    *,
    yes: bool = False,
    ask: Callable[[str], str] = ask_line,
    out: TextIO = sys.stdout,
) -> dict[str, int]:
    """Record ``beats`` one after the other; return how many were accepted, kept and skipped."""
    counts = {"accepted": 0, "kept": 0, "skipped": 0}

    def say(line: str) -> None:
        print(line, file=out, flush=True)

    try:
        for number, item in enumerate(beats, 1):
            say(f"\n[{number}/{len(beats)}] {item.scene}/{item.beat}")
            say(f"  {item.text}")
            path = take_path(folder, item.scene, item.beat)
            if path.exists():
                if yes:
                    say(f"  {path} exists: kept (remove it to record it again)")
                    counts["kept"] += 1
                    continue
                answer = choose(
                    ask, f"  {path} exists: [k]eep it or [r]ecord it again? ", KEEP_OR_RECORD, say
                )
                if answer == "keep":
                    counts["kept"] += 1
                    continue
            while True:
                if not yes:
                    ask("  Enter to start recording ")
                source.start()
                if not yes:
                    ask("  recording... Enter to stop ")
                samples = source.stop()
                say(f"  {len(samples) / SAMPLE_RATE:.1f} s {meter(samples)}")
                share = clipped_share(samples)
                if share > 0:
                    say(
                        f"  warning: the take clips ({share:.2%} of samples at full scale): "
                        "record it again further from the microphone or with less gain"
                    )
                if peak_dbfs(samples) < -40:
                    say("  warning: the take is very quiet")
                if not yes:
                    say("  playing back..." if source.play(samples) else "  (no playback device)")
                    answer = choose(ask, "  [a]ccept, [r]edo or [s]kip? ", ACCEPT_REDO_SKIP, say)
                else:
                    answer = "accept"
                if answer == "redo":
                    continue
                if answer == "skip":
                    counts["skipped"] += 1
                    say("  skipped")
                    break
                write_take(folder, item.scene, item.beat, samples, item.text)
                counts["accepted"] += 1
                say(f"  saved {path}")
                break
    except EOFError:
        # The input ended (Ctrl-D, or a script's answers ran out): stop; nothing half-decided
        # is saved.
        say("\n  no more answers: stopped (the take in progress is not saved)")
    return counts
