"""``loss-scenes script`` of a course: every lecture's beats in order, as the render plays them."""

import json

from helpers import CONFIG, run_cli

from scenes.spec import load_course


def test_script_of_a_course_lists_each_lecture_in_order():
    result = run_cli("script", str(CONFIG / "course.yaml"), "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    course = load_course(CONFIG / "course.yaml")
    scene_order = [spec.scene for lecture in course.lectures for _, spec in lecture.scenes]
    # One run of rows per scene, in the course's order (a scene in two lectures: twice), each
    # run starting at the scene's first beat.
    starts = [i for i, row in enumerate(rows) if i == 0 or rows[i - 1]["scene"] != row["scene"]]
    assert [rows[i]["scene"] for i in starts] == scene_order
    assert all(rows[i]["start"] == 0 for i in starts)
