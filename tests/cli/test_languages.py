"""A lecture in English and German (spec-v3 section 16): the catalogue, its check, a render.

The German text is written here for the test; the catalogue is read back with polib, a gettext
library independent of how loss-scenes writes it.
"""

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from scenes.cli import main
from scenes.numbers import at_resolution, in_locale, significant

LECTURE = """\
lecture: Tiny
title: Loss functions
scenes: [title.yaml, l1.yaml]
languages: [en, de]
voice: {engine: espeak-ng, voice: en-us, rate: 160, voices: {en: en-us, de: de}}
"""
TITLE = """\
scene: TinyTitle
kind: card
title: "Loss functions"
subtitle: "Which point does an estimate listen to?"
items: ["Absolute loss: the median"]
narration:
  intro: "Loss functions."
  items: "One loss, fitted to five numbers."
timing: {intro: 0.5, items: 0.5, hold: 0.3}
"""
L1 = """\
scene: TinyAbsolute
title: "Absolute loss: the median"
loss: {name: l1}
curves: {x_range: [-5, 5], show: [loss]}
observations: {values: [-1.5, -0.5, 0.25, 1.0, 4.0]}
estimate: {start: -3.0, steps: 20, target: median}
narration:
  intro: "The absolute loss."
timing: {intro: 0.5, curve: 0.5, data: 0.5, estimate: 1.0, hold: 0.5}
"""
GERMAN = {
    "Tiny/title": "Verlustfunktionen",
    "TinyTitle/title": "Verlustfunktionen",
    "TinyTitle/subtitle": "Auf welchen Punkt hört eine Schätzung?",
    "TinyTitle/items.1": "Absoluter Verlust: der Median",
    "TinyTitle/intro": "Verlustfunktionen.",
    "TinyTitle/items": "Ein Verlust, angepasst an fünf Zahlen, die wir nacheinander betrachten.",
    "TinyAbsolute/title": "Absoluter Verlust: der Median",
    "TinyAbsolute/intro": "Der absolute Verlust, Betrag des Residuums.",
    "TinyAbsolute/hold.point": "θ kommt bei {the_target} zur Ruhe: {estimate}.",
    "TinyAbsolute/hold.interval": "θ = {estimate} liegt im Intervall {the_target}, "
    "von {lo} bis {hi}.",
    "TinyAbsolute/hold.unreached": "θ = {estimate} hat {the_target}, {target}, noch nicht "
    "erreicht.",
    "TinyAbsolute/pulls": "Zug: links {left}, rechts {right}",
    "words/mean": "dem Mittelwert",
    "words/median": "dem Median",
    "words/huber": "der Huber-Schätzung",
    "words/quantile": "dem Quantil",
    "words/epsilon": "der Menge der Minimierer",
    "words/numeric": "dem bergab erreichten Minimum",
    "screen/pull_on": "Zug auf",
    "screen/scale": "im Maßstab {fraction}",
    "screen/scale_words": "Pfeile im Maßstab {fraction}",
    "screen/key.mean": "Mittelwert",
    "screen/key.median": "Median",
    "screen/key.huber": "Huber",
    "screen/key.quantile": "Quantil",
    "screen/key.epsilon": "Minimierer",
    "screen/key.numeric": "Minimierer",
    "screen/key.within": "Mittelwert innerhalb {symbol}",
    "screen/key.set": "= Menge der Minimierer",
    "screen/spread": "Daten gestreut ×",
    "screen/curve.loss": "Verlust",
    "screen/curve.density": "Dichte",
    "screen/curve.derivative": "Ableitung",
    "screen/key.from": "{name}, ab {start}",
    "screen/from_start": "ab {start}: {value}",
}


def write_lecture(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lecture.yaml").write_text(LECTURE)
    (folder / "title.yaml").write_text(TITLE)
    (folder / "l1.yaml").write_text(L1)
    return folder / "lecture.yaml"


def translate_all(po_path: Path, german: dict[str, str] = GERMAN) -> None:
    """What a translator does: fill every msgstr (with polib, as a gettext tool would)."""
    po = polib.pofile(str(po_path))
    for entry in po:
        if not entry.obsolete:
            entry.msgstr = german[entry.msgctxt]
    po.save()


def msgstr_line(po_path: Path, context: str) -> int:
    """The line of the msgstr of the entry ``context``, found in the file's text."""
    lines = po_path.read_text(encoding="utf-8").splitlines()
    start = lines.index(f'msgctxt "{context}"')
    return next(i for i in range(start, len(lines)) if lines[i].startswith("msgstr")) + 1


@pytest.fixture
def lecture(tmp_path, monkeypatch):
    write_lecture(tmp_path)
    monkeypatch.chdir(tmp_path)
    return Path("lecture.yaml")


def test_catalogue_round_trip_keeps_translations_marks_fuzzy_and_obsolete(lecture, capsys):
    assert main(["translate", str(lecture), "--lang", "de"]) == 0
    po_path = Path("locale/de.po")
    po = polib.pofile(str(po_path))
    assert {e.msgctxt for e in po} == set(GERMAN)
    assert po.metadata["Language"] == "de"
    # Generated sentences carry named placeholders, flagged for gettext's format check.
    point = po.find("θ settled on {the_target}: {estimate}.", msgctxt="TinyAbsolute/hold.point")
    assert point is not None and "python-brace-format" in point.flags
    assert "python-brace-format" not in po.find("Loss functions.", msgctxt="TinyTitle/intro").flags
    translate_all(po_path)

    # Unchanged specs: every translation kept.
    assert main(["translate", str(lecture), "--lang", "de"]) == 0
    again = polib.pofile(str(po_path))
    assert {e.msgctxt: e.msgstr for e in again} == GERMAN
    assert again.fuzzy_entries() == [] and again.obsolete_entries() == []
    assert main(["check", str(lecture)]) == 0

    # The narration of a beat changes and a card line is gone: fuzzy with the old text, obsolete.
    Path("title.yaml").write_text(
        TITLE.replace(
            "One loss, fitted to five numbers.", "One loss, fitted to 5 numbers."
        ).replace('items: ["Absolute loss: the median"]', "items: []")
    )
    capsys.readouterr()
    assert main(["translate", str(lecture), "--lang", "de"]) == 0
    merged = polib.pofile(str(po_path))
    changed = next(e for e in merged if e.msgctxt == "TinyTitle/items" and not e.obsolete)
    assert changed.msgid == "One loss, fitted to 5 numbers."
    assert "fuzzy" in changed.flags
    assert changed.msgstr == GERMAN["TinyTitle/items"]
    assert changed.previous_msgid == "One loss, fitted to five numbers."
    gone = [e for e in merged.obsolete_entries()]
    assert [e.msgctxt for e in gone] == ["TinyTitle/items.1"]
    assert gone[0].msgstr == GERMAN["TinyTitle/items.1"]
    assert '#~ msgctxt "TinyTitle/items.1"' in po_path.read_text(encoding="utf-8")

    # A fuzzy entry is an error at its line until the translator revises it.
    assert main(["check", str(lecture)]) == 2
    err = capsys.readouterr().err
    line = msgstr_line(po_path, "TinyTitle/items")
    assert re.search(rf"^locale/de\.po:{line}:1: error: fuzzy translation", err, re.M), err

    # The item comes back: its obsolete translation is revived, not lost.
    Path("title.yaml").write_text(TITLE)
    assert main(["translate", str(lecture), "--lang", "de"]) == 0
    revived = polib.pofile(str(po_path))
    assert (
        revived.find("Absolute loss: the median", msgctxt="TinyTitle/items.1").msgstr
        == (GERMAN["TinyTitle/items.1"])
    )


def test_untranslated_and_broken_placeholders_are_errors_at_their_lines(lecture, capsys):
    assert main(["translate", str(lecture), "--lang", "de"]) == 0
    po_path = Path("locale/de.po")
    german = dict(GERMAN)
    german["TinyTitle/subtitle"] = ""
    german["TinyAbsolute/hold.point"] = "θ kommt zur Ruhe: {estimate}."  # drops {the_target}
    german["TinyAbsolute/pulls"] = "Zug: links {left}, rechts {right}, {total}"  # adds one
    translate_all(po_path, german)
    capsys.readouterr()
    assert main(["check", str(lecture)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (
        f"locale/de.po:{msgstr_line(po_path, 'TinyTitle/subtitle')}:1: error: empty "
        "translation of TinyTitle/subtitle 'Which point does an estimate listen to?'"
    )
    point = msgstr_line(po_path, "TinyAbsolute/hold.point")
    pulls = msgstr_line(po_path, "TinyAbsolute/pulls")
    assert f"locale/de.po:{point}:1: error: translation of TinyAbsolute/hold.point drops " in (
        "\n".join(err)
    )
    assert any(
        line.startswith(f"locale/de.po:{pulls}:1: error:") and "adds {total}" in line
        for line in err
    )
    assert len(err) == 3
    # Rendering checks the same catalogue and writes nothing.
    assert main(["render", str(lecture), "--lang", "de", "-q", "low", "-o", "out"]) == 2
    assert not Path("out").exists() or not any(Path("out").glob("*.mp4"))


def test_a_lecture_without_catalogue_for_its_language_is_an_error(lecture, capsys):
    assert main(["check", str(lecture)]) == 2
    assert capsys.readouterr().err.startswith("locale/de.po:1:1: error: no catalogue")


def test_numbers_follow_the_language():
    # Same digits as the English formatter, with the decimal mark of German (Duden: Komma).
    for value in (1.35, -0.5, 0.0204, 12345.678):
        english = significant(value, 4)
        assert in_locale(english, "de") == english.replace(".", ",")
        assert significant(value, 4, "de") == english.replace(".", ",")
        assert at_resolution(value, None, "de") == at_resolution(value).replace(".", ",")
    assert in_locale("[0.1, 0.4]", "de") == "[0,1; 0,4]"
    assert in_locale("[0.1, 0.4]", "en") == "[0.1, 0.4]"
    assert in_locale("1e-07", "de") == "1e-07"


# --------------------------------------------------------------------------------------------------
# One German render at low quality, shared by the tests below.


def _render_both(folder: Path) -> None:
    path = write_lecture(folder)
    assert main(["translate", str(path), "--lang", "de"]) == 0
    translate_all(folder / "locale" / "de.po")
    out = folder / "out"
    assert main(["render", str(path), "--lang", "all", "-q", "low", "-o", str(out), "-j", "1"]) == 0


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    from tests.conftest import made_once

    return made_once(tmp_path_factory, "german-lecture", _render_both) / "out"


def _seconds(path: Path) -> float:
    import av

    with av.open(str(path)) as container:
        return container.duration / 1e6


@pytest.mark.slow
def test_german_lecture_has_its_own_files_timeline_and_captions(rendered):
    for name in ("TinyTitle", "TinyAbsolute", "Tiny"):
        assert (rendered / f"{name}.mp4").is_file()
        assert (rendered / f"{name}.de.mp4").is_file()
    srt = (rendered / "TinyAbsolute.de.srt").read_text(encoding="utf-8")
    assert "Der absolute Verlust" in srt
    # The generated sentence, in German, with the median of the data (0.25) in German digits.
    english_srt = (rendered / "TinyAbsolute.srt").read_text(encoding="utf-8")
    said = re.search(r"settled on the median: (\d+)\.(\d+)\.", english_srt)
    assert said is not None, english_srt
    # The same digits as the English sentence, with a decimal comma.
    assert f"θ kommt bei dem Median zur Ruhe: {said[1]},{said[2]}." in srt.replace("\n", " ")
    assert abs(float(f"{said[1]}.{said[2]}") - 0.25) < 0.05  # the median of the five values
    english = _seconds(rendered / "Tiny.mp4")
    german = _seconds(rendered / "Tiny.de.mp4")
    # The German narration written above is longer, and the timeline follows the speech.
    assert german > english + 0.5, (english, german)


@pytest.mark.slow
def test_german_title_card_reads_back_in_german(rendered, tmp_path):
    if shutil.which("tesseract") is None:
        pytest.skip("tesseract is not installed")
    langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout
    if "deu" not in langs.split():
        pytest.skip("tesseract has no German (tesseract-ocr-deu)")
    import av

    still = tmp_path / "card.png"
    with av.open(str(rendered / "TinyTitle.de.mp4")) as container:
        frames = list(container.decode(video=0))
    # Past the card's drawing, before its fade: the frame at 60 % of the scene.
    image = frames[int(len(frames) * 0.6)].to_image()
    image.resize((image.width * 3, image.height * 3)).save(still)
    text = subprocess.run(
        ["tesseract", str(still), "-", "-l", "deu"], capture_output=True, text=True, check=True
    ).stdout
    assert "Verlustfunktionen" in text, text
    assert "hört" in text, text


@pytest.mark.slow
def test_audio_streams_carry_their_language_in_mp4_and_webm(rendered, tmp_path):
    import av

    from scenes.production.manifest import RenderedVideo
    from scenes.production.publish import stage_formats

    def tag(path: Path) -> str | None:
        with av.open(str(path)) as container:
            (audio,) = container.streams.audio
            return audio.language

    # ISO 639-2/T as containers store it: English from the voice (en-us), German from --lang.
    for name, language in (("TinyAbsolute", "eng"), ("Tiny", "eng")):
        assert tag(rendered / f"{name}.mp4") == language
        assert tag(rendered / f"{name}.de.mp4") == "deu"
    # WebM: the scene converted as `--format webm` converts it (VP9, the sound again as Opus).
    for name, language in (("TinyTitle", "eng"), ("TinyTitle.de", "deu")):
        staged = stage_formats(
            RenderedVideo(name=name, kind="scene"), rendered / f"{name}.mp4", tmp_path, ["webm"]
        )
        (webm,) = staged
        assert webm.suffix == ".webm" and tag(webm) == language


@pytest.mark.slow
def test_german_loss_scene_draws_its_key_and_pull_in_german(rendered, tmp_path):
    if shutil.which("tesseract") is None:
        pytest.skip("tesseract is not installed")
    langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout
    if "deu" not in langs.split():
        pytest.skip("tesseract has no German (tesseract-ocr-deu)")
    import numpy as np
    from PIL import Image

    values = np.array([-1.5, -0.5, 0.25, 1.0, 4.0])  # the observations of L1 above
    still = tmp_path / "hold.png"
    image = Image.open(rendered / "TinyAbsolute.de.beats" / "hold.png").convert("L")
    # The right column (the keys), white on black made black on white, three times the size.
    box = image.crop((image.width * 0.6, 0, image.width, image.height * 0.3))
    box = Image.eval(box, lambda v: 255 - v).resize((box.width * 3, box.height * 3))
    box.save(still)
    text = subprocess.run(
        ["tesseract", str(still), "-", "-l", "deu", "--psm", "6"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # The key in German words with decimal commas: the median and the mean of the data.
    assert f"Median {significant(float(np.median(values)), 2, 'de')}" in text, text
    assert f"Mittelwert {significant(float(values.mean()), 2, 'de')}" in text, text
    assert "Zug auf" in text, text
