"""Course specs (spec-v2 section 11): loading with exact positions, check, render, export."""

import json
import re
from pathlib import Path

import pytest
from bad_input_cases import assert_clean_exit_2, check_everywhere, run
from course_cases import COURSE_CASES, GOOD, course_folder
from helpers import CONFIG, fast_copy, run_cli

from scenes.spec import Course, Lecture, SpecError, load_any, load_course


@pytest.mark.parametrize(
    ("course", "files", "where", "fragment"),
    [case[1:] for case in COURSE_CASES],
    ids=[case[0] for case in COURSE_CASES],
)
def test_bad_courses(capsys, tmp_path, course, files, where, fragment):
    spec = course_folder(tmp_path, course, files)
    file = spec.parent / where[0]
    check_everywhere(capsys, tmp_path, spec, fragment, scene=False, file=file)
    code, out, err = run(capsys, "check", str(spec))
    first = re.match(r"^(.+):(\d+):(\d+): error: ", err.splitlines()[0])
    assert first is not None, err
    assert (first[1], int(first[2]), int(first[3])) == (str(file), *where[1:]), err
    code, out, err = run(capsys, "export", str(spec), "-o", str(tmp_path / "site"))
    assert_clean_exit_2(code, out, err, str(file))
    assert not (tmp_path / "site").exists()


def test_one_scene_file_in_two_lectures_is_one_video(tmp_path):
    spec = course_folder(tmp_path, GOOD, {"lec2.yaml": "lecture: Lec2\nscenes: [a.yaml, b.yaml]\n"})
    course = load_course(spec)
    assert [lecture.spec.lecture for lecture in course.lectures] == ["Lec", "Lec2"]
    assert [[s.scene for _, s in lecture.scenes] for lecture in course.lectures] == [
        ["A"],
        ["A", "B"],
    ]


def test_the_repository_course_holds_both_lectures():
    course = load_any(CONFIG / "course.yaml")
    assert isinstance(course, Course)
    assert [lecture.path.name for lecture in course.lectures] == [
        "lecture.yaml",
        "full-lecture.yaml",
    ]
    assert all(isinstance(lecture, Lecture) for lecture in course.lectures)
    result = run_cli("check", str(CONFIG / "course.yaml"))
    assert result.returncode == 0, result.stderr
    assert "ok (2 lectures, 14 scenes)" in result.stderr


def test_compute_refuses_a_course(capsys):
    code, out, err = run(capsys, "compute", str(CONFIG / "course.yaml"))
    [match] = assert_clean_exit_2(code, out, err, str(CONFIG / "course.yaml"))
    assert "this is a course spec" in match["message"]
    assert "compute takes a scene" in match["message"]


def test_load_course_of_a_lecture_file_is_an_error():
    with pytest.raises(SpecError, match="course: required key is missing"):
        load_course(CONFIG / "lecture.yaml")


# --------------------------------------------------------------------------------------------------
# Rendering and export (slow)


def tiny_course(folder: Path) -> Path:
    """Two lectures at low quality with short timings; the second shares the first's scene."""
    folder.mkdir(parents=True)
    fast_copy(CONFIG / "l2.yaml", folder)
    fast_copy(CONFIG / "huber.yaml", folder)
    (folder / "one.yaml").write_text("lecture: One\nscenes: [l2.yaml]\n")
    (folder / "two.yaml").write_text(
        "lecture: Two\ntitle: 'Two: <em>both</em>'\nscenes: [l2.yaml, huber.yaml]\n"
    )
    spec = folder / "course.yaml"
    spec.write_text("course: Tiny\ntitle: A tiny course\nlectures: [one.yaml, two.yaml]\n")
    return spec


@pytest.mark.slow
def test_render_a_course_renders_every_lecture(tmp_path):
    spec = tiny_course(tmp_path / "config")
    out = tmp_path / "out"
    result = run_cli("render", str(spec), "-q", "low", "-o", str(out), "-j", "1")
    assert result.returncode == 0, result.stderr
    written = {Path(line).name for line in result.stdout.splitlines()}
    assert {"One.mp4", "Two.mp4", "SquaredLoss.mp4", "HuberLoss.mp4"} <= written
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["videos"]["Two"]["scenes"] == ["SquaredLoss", "HuberLoss"]
    assert manifest["videos"]["One"]["scenes"] == ["SquaredLoss"]
    # The scene both lectures share was rendered once and reused for the second.
    assert result.stderr.count("SquaredLoss: unchanged, reused") == 1, result.stderr


@pytest.mark.slow
def test_export_a_course_links_one_ordinary_lecture_site_per_lecture(tmp_path):
    spec = tiny_course(tmp_path / "config")
    site = tmp_path / "site"
    result = run_cli(
        "export", str(spec), "-q", "low", "-o", str(site), "--render-dir", str(tmp_path / "r")
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == str(site / "index.html")
    assert sum(line.startswith("<iframe") for line in result.stdout.splitlines()) == 3
    assert 'src="site/Two/embed/HuberLoss.html"' in result.stdout

    page = (site / "index.html").read_text()
    assert "<h1>A tiny course</h1>" in page
    # Titles are escaped, as on the lecture pages.
    assert "Two: &lt;em&gt;both&lt;/em&gt;" in page
    links = re.findall(r'href="([^"]+)"', page)
    assert "One/index.html" in links and "Two/index.html" in links
    assert "Two/index.html#scene-HuberLoss" in links
    for link in links:
        assert (site / link.split("#")[0]).is_file(), link
    for image in re.findall(r'src="([^"]+)"', page):
        assert (site / image).is_file(), image
    # Each lecture folder is an ordinary lecture export (its own marker, pages and media).
    for name in ("One", "Two"):
        marker = json.loads((site / name / "site.json").read_text())
        assert marker["lecture"] == name
        assert (site / name / "media" / f"{name}.mp4").is_file()
        assert (site / name / "style.css").read_text() == (site / "style.css").read_text()
    marker = json.loads((site / "site.json").read_text())
    assert marker["course"] == "Tiny" and marker["lectures"] == ["One", "Two"]
    assert set(marker["files"]) >= {"index.html", "One/index.html", "Two/media/Two.webm"}

    # A second export replaces the folder as a whole: a stray file does not survive.
    (site / "stray.txt").write_text("x")
    again = run_cli(
        "export", str(spec), "-q", "low", "-o", str(site), "--render-dir", str(tmp_path / "r")
    )
    assert again.returncode == 0, again.stderr
    assert not (site / "stray.txt").exists()


def test_course_export_refuses_a_folder_that_is_not_an_export(capsys, tmp_path):
    spec = tiny_course(tmp_path / "config")
    target = tmp_path / "notes"
    target.mkdir()
    (target / "mine.txt").write_text("keep")
    code, out, err = run(capsys, "export", str(spec), "-q", "low", "-o", str(target))
    assert code == 2 and "is not an earlier export" in err
    assert (target / "mine.txt").read_text() == "keep"
