"""Every lecture the project ships is narrated (issue 21: `config/full-lecture.yaml` was silent
while `config/course.yaml` published it beside the narrated lecture)."""

from pathlib import Path

import pytest

from scenes.spec.loading import Course, Lecture, load_any

CONFIG = Path(__file__).resolve().parents[2] / "config"


def _lectures() -> list[Lecture]:
    found: dict[Path, Lecture] = {}
    for path in sorted(CONFIG.glob("*.yaml")):
        loaded = load_any(path)
        if isinstance(loaded, Lecture):
            found[path.resolve()] = loaded
        elif isinstance(loaded, Course):
            for lecture in loaded.lectures:
                found.setdefault(lecture.path.resolve(), lecture)
    return list(found.values())


LECTURES = _lectures()


def test_config_has_lectures_and_a_course_of_them():
    names = {lecture.path.name for lecture in LECTURES}
    assert {"lecture.yaml", "full-lecture.yaml"} <= names


@pytest.mark.parametrize("lecture", LECTURES, ids=lambda lecture: lecture.path.name)
def test_every_scene_of_every_lecture_has_a_voice(lecture):
    silent = [
        path.name
        for path, scene in lecture.scenes
        if scene.voice is None or scene.voice.engine == "none"
    ]
    assert not silent, f"{lecture.path.name}: scenes without narration: {silent}"


def test_the_lectures_speak_with_one_voice():
    voices = {lecture.spec.voice.model_dump_json() for lecture in LECTURES if lecture.spec.voice}
    assert len(voices) == 1, voices
