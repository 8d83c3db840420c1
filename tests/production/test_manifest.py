"""The render manifest: one typed model, the only code that reads or writes ``manifest.json``.

Hand-made entries below (no rendering): the round trip, merging, older and damaged files, the
lecture's beats in lecture time, and reuse checks against recorded checksums.
"""

import json
import re
from pathlib import Path

import pytest

from scenes.production import keys, manifest
from scenes.production.manifest import Beat, Cue, Manifest, RenderedVideo

SCENES_DIR = Path(manifest.__file__).parents[1]


def scene(name: str, duration: float, beats: list[tuple[str, float, float, str]]) -> RenderedVideo:
    """A scene entry whose beats are (id, start, end, text), each captioned over its length."""
    return RenderedVideo(
        name=name,
        kind="scene",
        files={"mp4": f"{name}.mp4"},
        duration=duration,
        width=854,
        height=480,
        fps=15.0,
        beats=[
            Beat(
                scene=name,
                id=beat_id,
                start=start,
                end=end,
                text=text,
                cues=[Cue(start=start, end=end, text=text)] if text else [],
            )
            for beat_id, start, end, text in beats
        ],
    )


def test_write_then_read_gives_the_same_videos(tmp_path):
    first = scene("A", 2.0, [("intro", 0.0, 1.0, "Hello."), ("hold", 1.0, 2.0, "")])
    path = manifest.write(tmp_path, [first], quality="low")
    assert path == tmp_path / "manifest.json"
    assert manifest.read(tmp_path) == Manifest(quality="low", videos={"A": first})
    # Field names say what they hold; a cue is an object, not an anonymous triple.
    data = json.loads(path.read_text())
    assert data["videos"]["A"]["beats"][0]["cues"] == [{"start": 0.0, "end": 1.0, "text": "Hello."}]


def test_write_merges_with_earlier_renders_and_replaces_the_same_name(tmp_path):
    manifest.write(tmp_path, [scene("A", 1.0, []), scene("B", 1.0, [])], quality="low")
    manifest.write(tmp_path, [scene("B", 3.0, [])], quality="high")
    recorded = manifest.read(tmp_path)
    assert recorded.quality == "high"
    assert sorted(recorded.videos) == ["A", "B"]
    assert recorded.videos["B"].duration == 3.0
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.json"]  # nothing half-written


def test_lecture_beats_and_cues_are_in_lecture_time():
    a = scene("A", 2.5, [("intro", 0.0, 1.0, "One."), ("hold", 1.0, 2.5, "Two.")])
    b = scene("B", 1.5, [("intro", 0.0, 1.5, "Three.")])
    beats = manifest.lecture_beats([a, b])
    assert [(beat.scene, beat.id, beat.start, beat.end) for beat in beats] == [
        ("A", "intro", 0.0, 1.0),
        ("A", "hold", 1.0, 2.5),
        ("B", "intro", 2.5, 4.0),
    ]
    assert [(cue.start, cue.end, cue.text) for beat in beats for cue in beat.cues] == [
        (0.0, 1.0, "One."),
        (1.0, 2.5, "Two."),
        (2.5, 4.0, "Three."),
    ]
    assert b.beats[0].start == 0.0  # the scene's own entry stays in scene time
    lecture = RenderedVideo(name="L", kind="lecture", scenes=["A", "B"], scene_seconds=[2.5, 1.5])
    assert lecture.scene_spans() == [("A", 0.0, 2.5), ("B", 2.5, 4.0)]


def test_a_manifest_of_version_2_still_reads(tmp_path):
    """Version 2 named a lecture's scenes ``parts`` and their durations ``part_durations``, and
    wrote a cue as [start, end, text]."""
    old = {
        "quality": "low",
        "videos": {
            "L": {
                "name": "L",
                "kind": "lecture",
                "duration": 4.0,
                "parts": ["A", "B"],
                "part_durations": [2.5, 1.5],
                "beats": [
                    {
                        "scene": "A",
                        "id": "intro",
                        "start": 0.0,
                        "end": 1.0,
                        "text": "One.",
                        "cues": [[0.0, 1.0, "One."]],
                    }
                ],
                "checksums": {},
            }
        },
    }
    (tmp_path / "manifest.json").write_text(json.dumps(old))
    lecture = manifest.read(tmp_path).lecture("L")
    assert lecture.scenes == ["A", "B"] and lecture.scene_seconds == [2.5, 1.5]
    assert lecture.beats[0].cues == [Cue(start=0.0, end=1.0, text="One.")]


@pytest.mark.parametrize("text", ["", "{not json", "[]", '{"videos": []}'])
def test_a_damaged_manifest_reads_as_empty(tmp_path, text):
    (tmp_path / "manifest.json").write_text(text)
    assert manifest.read(tmp_path) == Manifest()


def test_an_unreadable_entry_is_left_out_and_the_others_kept(tmp_path):
    manifest.write(tmp_path, [scene("A", 1.0, [])], quality="low")
    data = json.loads((tmp_path / "manifest.json").read_text())
    data["videos"]["Broken"] = {"name": "Broken", "kind": "poster"}
    (tmp_path / "manifest.json").write_text(json.dumps(data))
    assert sorted(manifest.read(tmp_path).videos) == ["A"]


def test_lecture_lookup_names_what_is_missing():
    with pytest.raises(ValueError, match="no lecture named 'L'"):
        Manifest(videos={"L": scene("L", 1.0, [])}).lecture("L")


def test_a_video_is_reused_only_while_its_files_are_whole(tmp_path):
    (tmp_path / "A.srt").write_text("1\n00:00:00,000 --> 00:00:01,000\nHello.\n")
    video = RenderedVideo(name="A", kind="scene", subtitles="A.srt", key="k")
    video.checksums = {"A.srt": keys.file_sha256(tmp_path / "A.srt")}
    manifest.write(tmp_path, [video], quality="low")
    recorded = manifest.read(tmp_path)
    assert keys.reusable(recorded, tmp_path, "A", "k") == video
    assert keys.reusable(recorded, tmp_path, "A", "other key") is None
    (tmp_path / "A.srt").write_text("edited")
    assert keys.reusable(recorded, tmp_path, "A", "k") is None


def test_only_the_manifest_module_names_the_file():
    """Everything else goes through the model: no other module opens ``manifest.json``."""
    naming = sorted(
        path.relative_to(SCENES_DIR).as_posix()
        for path in SCENES_DIR.rglob("*.py")
        if re.search(r"""["']manifest\.json["']""", path.read_text(encoding="utf-8"))
    )
    assert naming == ["production/manifest.py"]


def test_a_scene_s_last_caption_ends_where_the_next_scene_starts():
    # The sound review of issue 17: cues of one scene ran 10-24 ms into the next one.
    from scenes.production.manifest import Beat, Cue, RenderedVideo, lecture_beats

    def scene(name, duration, cue_end):
        cue = Cue(start=duration - 1.0, end=cue_end, text=f"{name} ends")
        beat = Beat(scene=name, id="hold", start=0.0, end=cue_end, text=cue.text, cues=[cue])
        return RenderedVideo(name=name, kind="scene", duration=duration, beats=[beat])

    beats = lecture_beats([scene("A", 56.933, 56.957), scene("B", 10.0, 9.5)])
    cues = [cue for beat in beats for cue in beat.cues]
    assert cues[0].end == 56.933 and beats[0].end == 56.933
    assert cues[1].start == pytest.approx(56.933 + 9.0)
    assert all(a.end <= b.start for a, b in zip(cues, cues[1:], strict=False))
