"""The chapter text track of a lecture's MP4 speaks the language of its audio (issue 20: FFmpeg
wrote it as language 0, which players read as English, so a German lecture offered its German
chapter titles as an "English" subtitle track)."""

import importlib.util
from pathlib import Path

import av
import numpy as np
import pytest

from scenes.production.video import ChapterMark, chapters, remux, tag_chapter_track
from scenes.speech.base import SAMPLE_RATE
from scenes.speech.mux import add_audio

_spec = importlib.util.spec_from_file_location(
    "export_fakes", Path(__file__).parents[1] / "site" / "test_export_pages.py"
)
_fakes = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_fakes)


def _languages(path: Path) -> dict[str, str]:
    with av.open(str(path)) as container:
        return {s.type: s.metadata.get("language", "") for s in container.streams}


@pytest.mark.parametrize("spoken", ["de", "en"])
def test_the_chapter_track_takes_the_audio_language(tmp_path, spoken):
    silent = tmp_path / "silent.mp4"
    _fakes.tiny_video(silent, 30, 40)
    narrated = tmp_path / "narrated.mp4"
    add_audio(silent, np.zeros(SAMPLE_RATE, np.float32), narrated, spoken)
    lecture = tmp_path / "lecture.mp4"
    marks = [ChapterMark("Verlustfunktionen", 0.0, 0.5), ChapterMark("Median", 0.5, 1.0)]
    remux(narrated, lecture, chapters=marks)
    expected = {"de": "deu", "en": "eng"}[spoken]
    languages = _languages(lecture)
    assert languages["audio"] == expected
    assert languages["data"] == expected  # the chapter track
    assert [mark.title for mark in chapters(lecture)] == ["Verlustfunktionen", "Median"]


def test_a_file_without_a_text_track_is_left_alone(tmp_path):
    silent = tmp_path / "silent.mp4"
    _fakes.tiny_video(silent, 10, 40)
    before = silent.read_bytes()
    assert tag_chapter_track(silent, "deu") == 0
    assert silent.read_bytes() == before
