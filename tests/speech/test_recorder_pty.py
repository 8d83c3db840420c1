"""``loss-scenes record SPEC --input FILE`` driven through a pseudo-terminal, as a lecturer would.

Each answer is typed at the prompt it answers: accept, redo, skip, answers that mean nothing (asked
again, never taken as accept), and a kill in the middle of a take, by SIGTERM and by SIGKILL.
Whatever happens to the session, the takes accepted before stay whole: the same bytes, a sidecar
that describes them, and nothing half-written under a take's name.
"""

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile

from scenes.speech.base import SAMPLE_RATE
from scenes.speech.takes import recorded_text, sidecar_path, take_path

CONFIG = Path(__file__).resolve().parents[2] / "config"
SCENE = "HuberLoss"
WAIT = 60.0
"""Seconds to wait for a prompt (the machine may be busy); a prompt that never comes fails."""


class Terminal:
    """A ``loss-scenes record`` process on a pseudo-terminal."""

    def __init__(self, *args: str) -> None:
        # The terminal's two ends, and the child started on its second by subprocess (fork and
        # exec in C): pty.fork() runs Python in a forked copy of this multi-threaded process
        # (JAX's threads), which can deadlock before the exec.
        self.fd, child_end = pty.openpty()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "scenes", "record", *args],
            stdin=child_end,
            stdout=child_end,
            stderr=child_end,
            start_new_session=True,
        )
        os.close(child_end)
        self.pid = self.process.pid
        self.seen = ""
        self.read_to = 0

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.fd, 4096)
        except OSError:  # the child is gone (EIO on Linux)
            return False
        self.seen += data.decode("utf-8", "replace")
        return bool(data)

    def expect(self, prompt: str) -> str:
        """Wait for ``prompt`` after what was read so far; return the text up to its end."""
        deadline = time.monotonic() + WAIT
        while (at := self.seen.find(prompt, self.read_to)) < 0:
            left = deadline - time.monotonic()
            if left <= 0 or not self._read(left):
                raise AssertionError(f"no {prompt!r} in:\n{self.seen[self.read_to :]}")
        before = self.seen[self.read_to : at + len(prompt)]
        self.read_to = at + len(prompt)
        return before

    def type(self, line: str) -> None:
        os.write(self.fd, f"{line}\n".encode())

    def answer(self, prompt: str, line: str) -> str:
        text = self.expect(prompt)
        self.type(line)
        return text

    def finish(self) -> int:
        """Read to the end; the exit status (negative: killed by that signal)."""
        while self._read(WAIT):
            pass
        try:
            code = self.process.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise AssertionError(f"record did not end; it printed:\n{self.seen}") from None
        finally:
            os.close(self.fd)
        return code

    def kill(self, sig: int) -> int:
        os.kill(self.pid, sig)
        return self.finish()


START = "Enter to start recording "
STOP = "recording... Enter to stop "
DECIDE = "[a]ccept, [r]edo or [s]kip? "
EXISTS = "[k]eep it or [r]ecord it again? "


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.slow
def test_accept_redo_skip_and_kills_leave_earlier_takes_whole(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    reading = tmp_path / "reading.wav"
    samples = (0.2 * rng.standard_normal(SAMPLE_RATE // 2)).astype(np.float32)
    soundfile.write(reading, samples, SAMPLE_RATE, subtype="PCM_24")
    folder = tmp_path / "takes"
    args = (str(CONFIG / "huber.yaml"), "--folder", str(folder), "--input", str(reading))
    beats = ["intro", "loss", "density", "derivative"]
    takes = {beat: take_path(folder, SCENE, beat) for beat in beats}

    # First session: accept, redo then accept, skip, then SIGTERM while the fourth is recorded.
    first = Terminal(*args)
    assert "HuberLoss/intro" in first.answer(START, "")
    first.answer(STOP, "")
    first.answer(DECIDE, "a")
    assert "HuberLoss/loss" in first.answer(START, "")
    first.answer(STOP, "")
    first.answer(DECIDE, "yes")  # not an answer: asked again, not accepted
    assert "please answer accept, redo or skip" in first.answer(DECIDE, "")  # Enter alone too
    first.answer(DECIDE, "redo")
    first.answer(START, "")
    first.answer(STOP, "")
    first.answer(DECIDE, "A")
    assert "HuberLoss/density" in first.answer(START, "")
    first.answer(STOP, "")
    first.answer(DECIDE, "s")
    assert "HuberLoss/derivative" in first.answer(START, "")
    first.expect(STOP)
    code = first.kill(signal.SIGTERM)
    assert code != 0
    assert "skipped" in first.seen
    assert takes["intro"].is_file() and takes["loss"].is_file()
    assert not takes["density"].exists() and not takes["derivative"].exists()
    for beat in ("intro", "loss"):
        assert recorded_text(takes[beat]) is not None  # the sidecar describes this very take
        kept, rate = soundfile.read(takes[beat], dtype="float32")
        assert rate == SAMPLE_RATE
        np.testing.assert_allclose(kept, samples, atol=2**-22)
    before = _snapshot(folder)
    # SIGTERM lets the session clean up: nothing but takes and their sidecars.
    assert sorted(before) == sorted(
        f"{SCENE}/{name}"
        for beat in ("intro", "loss")
        for name in (takes[beat].name, sidecar_path(takes[beat]).name)
    )

    # Second session: existing takes are kept (an unclear answer is asked again), the third is
    # recorded and accepted, then SIGKILL at the fourth's question.
    second = Terminal(*args)
    second.answer(EXISTS, "")
    assert "please answer keep or record" in second.answer(EXISTS, "k")
    second.answer(EXISTS, "keep")
    assert "HuberLoss/density" in second.answer(START, "")
    second.answer(STOP, "")
    second.answer(DECIDE, "accept")
    second.expect("saved")
    assert "HuberLoss/derivative" in second.answer(START, "")
    second.answer(STOP, "")
    second.expect(DECIDE)
    assert second.kill(signal.SIGKILL) == -signal.SIGKILL
    after = _snapshot(folder)
    assert {name: after[name] for name in before} == before  # earlier takes: the same bytes
    assert recorded_text(takes["density"]) is not None
    assert not takes["derivative"].exists()
    visible = {name for name in after if not Path(name).name.startswith(".")}
    assert visible == set(before) | {
        f"{SCENE}/{takes['density'].name}",
        f"{SCENE}/{sidecar_path(takes['density']).name}",
    }
