"""The Python API refuses wrong arguments up front, with a message naming them (issue 23)."""

import pytest

import scenes


@pytest.mark.parametrize("value", [None, 3, b"config/l2.yaml"])
def test_compute_scene_names_a_wrong_argument(value):
    with pytest.raises(TypeError, match="takes a spec file or a loaded spec"):
        scenes.compute_scene(value)


@pytest.mark.parametrize("value", [None, b"config/l2.yaml", [None]])
def test_render_specs_names_a_wrong_spec(value, tmp_path):
    with pytest.raises(TypeError, match="render_specs takes spec files or loaded specs"):
        scenes.render_specs(value, output=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_render_specs_needs_a_spec(tmp_path):
    with pytest.raises(ValueError, match="at least one spec"):
        scenes.render_specs([], output=tmp_path)


@pytest.mark.parametrize("jobs", ["2", 0, -1, 1.5, True])
def test_jobs_must_be_a_count(jobs, tmp_path):
    with pytest.raises(TypeError, match="jobs must be a whole number"):
        scenes.render_specs("config/l2.yaml", output=tmp_path, jobs=jobs)
    assert list(tmp_path.iterdir()) == []


def test_one_format_by_name_is_not_read_letter_by_letter(monkeypatch, tmp_path):
    seen = {}

    def fake_render(videos, **options):
        seen.update(options)
        return []

    monkeypatch.setattr("scenes.production.run.render", fake_render)
    scenes.render_specs("config/l2.yaml", output=tmp_path, formats="webm")
    assert seen["formats"] == ["webm"]
    with pytest.raises(ValueError, match="formats must be among"):
        scenes.render_specs("config/l2.yaml", output=tmp_path, formats="mkv")


def test_an_output_that_is_a_file_is_refused_before_work(tmp_path):
    target = tmp_path / "renders"
    target.write_text("a file the user made\n")
    with pytest.raises(NotADirectoryError, match="must be a folder"):
        scenes.render_specs("config/l2.yaml", output=target)
    assert target.read_text() == "a file the user made\n"


def test_a_wrong_cluster_address_is_refused_before_work(tmp_path):
    from scenes.production.cluster import ClusterAddressError

    with pytest.raises(ClusterAddressError, match="web address"):
        scenes.render_specs("config/l2.yaml", output=tmp_path, cluster="http://127.0.0.1:8787")
    assert list(tmp_path.iterdir()) == []
