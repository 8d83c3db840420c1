"""spec-v3 section 14: `voice` in a course, inherited by its lectures and their scenes unless they
set their own (as `audio` is).

Positions were worked out by hand from the YAML texts (1-based lines and columns).
"""

from pathlib import Path

from helpers import run_cli

from scenes.spec import load_course

SCENE = "scene: {name}\nloss: {{name: l2}}\nobservations: {{values: [1, 2, 3]}}\n"


def _course(tmp_path: Path, course_voice: str) -> Path:
    """A course of two lectures, ``plain`` (no voice) and ``own`` (a voice of its own), each
    with a scene that has no voice and, in ``plain``, one with its own voice.
    """
    (tmp_path / "a.yaml").write_text(SCENE.format(name="A"))
    (tmp_path / "b.yaml").write_text(
        SCENE.format(name="B") + "voice: {engine: espeak-ng, voice: en-gb, rate: 120}\n"
    )
    (tmp_path / "c.yaml").write_text(SCENE.format(name="C"))
    (tmp_path / "plain.yaml").write_text("lecture: Plain\nscenes: [a.yaml, b.yaml]\n")
    (tmp_path / "own.yaml").write_text(
        "lecture: Own\nscenes: [c.yaml]\nvoice: {engine: espeak-ng, voice: en-us, rate: 160}\n"
    )
    course = tmp_path / "course.yaml"
    course.write_text(f"course: K\nlectures: [plain.yaml, own.yaml]\nvoice: {course_voice}\n")
    return course


def test_a_course_hands_its_voice_to_lectures_and_scenes_without_their_own(tmp_path):
    course = load_course(_course(tmp_path, "{engine: espeak-ng, voice: en-us, rate: 140}"))
    plain, own = course.lectures
    voices = {
        scene.scene: (scene.voice.voice, scene.voice.rate)
        for lecture in (plain, own)
        for _, scene in lecture.scenes
    }
    # A: the course's; B: its own; C: its lecture's (which beats the course's).
    assert voices == {"A": ("en-us", 140), "B": ("en-gb", 120), "C": ("en-us", 160)}
    assert plain.spec.voice == course.spec.voice
    assert own.spec.voice.rate == 160


def test_without_a_course_voice_nothing_is_inherited(tmp_path):
    path = _course(tmp_path, "null")
    path.write_text(path.read_text().replace("voice: null\n", ""))
    course = load_course(path)
    assert course.spec.voice is None
    assert course.lectures[0].spec.voice is None
    assert course.lectures[0].scenes[0][1].voice is None


def test_a_course_voice_model_is_found_from_the_course_folder(tmp_path):
    # The lecture sits in a subfolder: the model path is the course's, not the lecture's.
    sub = tmp_path / "part"
    sub.mkdir()
    (sub / "a.yaml").write_text(SCENE.format(name="A"))
    (sub / "lecture.yaml").write_text("lecture: L\nscenes: [a.yaml]\n")
    (tmp_path / "course.yaml").write_text(
        "course: K\nlectures: [part/lecture.yaml]\nvoice: {engine: piper, model: m/v.onnx}\n"
    )
    course = load_course(tmp_path / "course.yaml")
    scene = course.lectures[0].scenes[0][1]
    assert Path(scene.voice.model) == (tmp_path / "m" / "v.onnx").absolute()
    assert Path(course.lectures[0].spec.voice.model) == (tmp_path / "m" / "v.onnx").absolute()


def test_a_course_voice_that_cannot_speak_is_reported_once_at_the_course(tmp_path):
    course = _course(tmp_path, "{engine: piper, model: missing.onnx}")
    result = run_cli("check", str(course))
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if "missing.onnx" in line]
    # Line 3 `voice: {engine: piper, model: missing.onnx}`: the model's value at column 31; once,
    # although scene A of lecture Plain speaks with it (lecture Own and scene B have their own).
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{course}:3:31: error: ")
