"""The described video in German (spec-v3 section 16): the same beats described as in English,
the same numbers written with a decimal comma, no English left in the sentences, and the German
pages of an export carrying a German descriptions track. Numbers are checked against numpy and
scipy, not against the package.
"""

import base64
import re
from pathlib import Path

import numpy as np
import pytest
from helpers import CONFIG
from scipy.optimize import brentq

from scenes.compute.cards import CardData, value_words
from scenes.compute.descriptions import DESCRIBERS, describe
from scenes.compute.loss import compute_scene
from scenes.compute.resolve import load_resolved
from scenes.kinds import kind_of
from scenes.production import manifest
from tests.site import test_export_languages as export_languages
from tests.site.test_export_languages import Page
from tests.site.test_export_pages import fake_render

NUMBER = {
    "en": re.compile(r"−?\d+(?:\.\d+)?(?:e[−-]\d+)?"),
    "de": re.compile(r"−?\d+(?:,\d+)?(?:e[−-]\d+)?"),
}
ENGLISH = frozenset(
    "the and of at from to with is are its their on left right observations observation dots "
    "arrow arrows marker markers step steps moves curve picture title card list drawn below "
    "outlier trimmed mean estimate estimates points plane loss holds under".split()
)
"""English words that are not German ones (``in``, ``median``, ``band`` are both)."""


def number(text: str) -> float:
    return float(text.replace("\u2212", "-").replace(",", "."))


def quoted(spec) -> list[str]:
    """The texts the spec's author wrote and the descriptions quote as they are (titles, card
    lines): neither English nor German is asked of them.
    """
    texts = [getattr(spec, "title", None), getattr(spec, "subtitle", None)]
    texts += list(getattr(spec, "items", None) or [])
    return sorted((t for t in texts if t), key=len, reverse=True)


def unquoted(text: str, spec) -> str:
    for words in quoted(spec):
        text = text.replace(words, "…")
    return text


def scenes_of(*files: str):
    for file in files:
        for _, spec in load_resolved(CONFIG / file).scenes:
            yield file, spec, kind_of(spec).compute(spec)


@pytest.fixture(scope="module")
def described():
    """Every scene of the full lecture (every kind) and of the default lecture, in both."""
    said = []
    for file, spec, data in scenes_of("full-lecture.yaml", "lecture.yaml"):
        ids = [plan.id for plan in spec.beat_plans()]
        said.append(
            (f"{file}:{spec.scene}", spec, data, describe(data, ids), describe(data, ids, "de"))
        )
    return said


def test_every_beat_described_in_english_is_described_in_german(described):
    kinds = set()
    for name, _, data, english, german in described:
        kinds.add(type(data).__name__)
        assert set(german) == set(english), name
        for beat, text in german.items():
            assert text and text != english[beat], (name, beat)
            assert text.endswith((".", "?", "!")), (name, beat, text)
            assert "\n" not in text and "  " not in text, (name, beat, text)
    assert kinds == {"SceneData", "CardData", "SummaryData", "ClippingData", "InfluenceData"}


def test_german_numbers_are_the_english_ones_with_a_decimal_comma(described):
    counted = 0
    for name, spec, _, english, german in described:
        for beat, text in german.items():
            ours, theirs = unquoted(text, spec), unquoted(english[beat], spec)
            assert not re.search(r"\d\.\d", ours), (name, beat, text)
            # Minus signs as in English: U+2212 before a number, never a hyphen.
            assert not re.search(r"(?<![\w.,])-\d", ours), (name, beat, text)
            said = sorted(NUMBER["de"].findall(ours))
            expected = sorted(n.replace(".", ",") for n in NUMBER["en"].findall(theirs))
            assert said == expected, (name, beat, text, english[beat])
            counted += len(said)
    assert counted > 300


def test_no_english_words_in_the_german_sentences(described):
    for name, spec, _, _, german in described:
        for beat, text in german.items():
            words = {w.lower() for w in re.findall(r"[^\W\d_]+", unquoted(text, spec))}
            assert not words & ENGLISH, (name, beat, text, words & ENGLISH)
            assert " the " not in f" {unquoted(text, spec)} "


def test_german_huber_scene_against_scipy_and_numpy():
    spec = load_resolved(CONFIG / "huber.yaml")
    data = compute_scene(spec)
    said = describe(data, [plan.id for plan in spec.beat_plans()], "de")
    y, delta = data.observations, data.band

    # scipy on the estimating equation: the Huber estimate is where the residuals, clipped at
    # +-delta, sum to zero.
    reference = brentq(lambda theta: np.clip(y - theta, -delta, delta).sum(), y.min(), y.max())
    stopped = re.search(r"θ ist bei (\S+) stehen geblieben\.", said["arrival"])
    assert stopped is not None, said["arrival"]
    digits = len(stopped[1].split(",")[1]) if "," in stopped[1] else 0
    assert digits > 0 and abs(number(stopped[1]) - reference) <= 0.6 * 10.0**-digits
    assert f"die Huber-Schätzung bei {stopped[1]}" in said["arrival"]
    # The dots, read out one by one: numpy's sorted data, "; " between numbers with a comma.
    dots = re.search(r"von \S+ bis \S+: (.*?)\.$", said["data"])
    assert dots is not None, said["data"]
    listed = re.split(r"; | und ", dots[1])
    assert [number(v) for v in listed] == pytest.approx(sorted(y), abs=1e-9)
    # The observations greyed are those farther from the estimate than delta.
    theta = data.descent.trajectory[-1]
    far = np.sort(y[np.abs(y - theta) > delta])
    greyed = re.search(r"Beobachtungen bei (.*?) sind kürzer", said["estimate"])
    assert greyed is not None, said["estimate"]
    assert [number(v) for v in re.split(r"; | und ", greyed[1])] == pytest.approx(list(far))
    assert re.search(r"in \d+ Schritten von ", said["estimate"])


def test_german_summary_against_numpy_and_the_english_card_labels():
    spec = load_resolved(CONFIG / "lecture-summary.yaml")
    data = kind_of(spec).compute(spec)
    english = describe(data, ["compare"])["compare"]
    german = describe(data, ["compare"], "de")["compare"]
    for estimate in data.estimates:
        # English quotes the card's label and value as drawn.
        assert f"{estimate.label}: {value_words(estimate.reference)}" in english
    y = np.sort(data.observations)
    mean = re.search(r"Quadratischer Verlust: (\S+);", german)
    assert mean is not None and number(mean[1]) == pytest.approx(np.mean(y), abs=5e-4)
    # An even count: the absolute loss is least anywhere between the two middle values.
    middle = re.search(r"Absoluter Verlust: \[(\S+); (\S+)\]", german)
    assert middle is not None, german
    half = len(y) // 2
    assert [number(middle[1]), number(middle[2])] == pytest.approx([y[half - 1], y[half]])
    assert "Huber-Verlust, δ = " in german


def test_a_scene_without_a_title_and_a_one_item_card():
    spec = load_resolved(CONFIG / "huber.yaml").model_copy(update={"title": None})
    data = compute_scene(spec)
    assert describe(data, ["intro"], "de")["intro"].startswith("Der Titel, Der Huber-Verlust, ")
    assert describe(data, ["intro"])["intro"].startswith("The title, The Huber loss, ")
    card = load_resolved(CONFIG / "lecture-title.yaml")
    one = CardData(spec=card.model_copy(update={"items": ["Eins"]}))
    assert describe(one, ["items"], "de") == {"items": "Eine Liste mit 1 Eintrag: Eins."}
    assert describe(CardData(spec=card), ["items"], "de")["items"].startswith(
        f"Eine Liste mit {len(card.items)} Einträgen: "
    )


# --------------------------------------------------------------------------------------------------
# Through the site export


def render_with_beat_ids(specs, *, out_dir, **options):
    """``fake_render``, its two beats a scene named as the scene's own beats are (the first and
    the last before ``hold``), so that the descriptions have beats to land on.
    """
    result = fake_render(specs, out_dir=out_dir, **options)
    (lecture,) = specs
    ids = {}
    for _, spec in lecture.scenes:
        plans = [plan.id for plan in spec.beat_plans() if plan.id != "hold"]
        ids[spec.scene] = {"first": plans[0], "second": plans[-1]}
    recorded = manifest.read(out_dir)
    names = [spec.scene for _, spec in lecture.scenes] + [lecture.spec.lecture]
    videos = []
    for name in names:
        video = recorded.videos[name]
        beats = [b.model_copy(update={"id": ids[b.scene][b.id]}) for b in video.beats]
        videos.append(video.model_copy(update={"beats": beats}))
    manifest.write(out_dir, videos, quality=recorded.quality)
    return result


def export(folder: Path) -> Path:
    """The Tiny lecture (tests/cli/test_languages.py) translated into German and exported, by
    ``export_both`` with beats named as the scenes name them.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(export_languages, "fake_render", render_with_beat_ids)
        site, _ = export_languages.export_both(folder, "--no-handout")
    return site


def description_tracks(site: Path, page: str) -> list[tuple[str, str]]:
    """(srclang, text) of each descriptions track of ``page``: the file and its inline copy."""
    tracks = []
    for track in Page((site / page).read_text(encoding="utf-8")).tracks:
        if track["kind"] != "descriptions":
            continue
        text = ((site / page).parent / track["src"]).read_text(encoding="utf-8")
        inline = track["data-file-src"].split("base64,", 1)[1]
        assert base64.b64decode(inline).decode("utf-8") == text, track["src"]
        tracks.append((track["srclang"], text))
    return tracks


def cue_texts(vtt: str) -> list[str]:
    return [block.split("\n", 1)[1] for block in vtt.strip().split("\n\n")[1:]]


def test_the_german_pages_carry_german_descriptions(tmp_path):
    site = export(tmp_path)
    for page in ("de/index.html", "de/transcript.html", "de/embed/TinyAbsolute.de.html"):
        tracks = description_tracks(site, page)
        assert tracks, page
        for lang, vtt in tracks:
            assert lang == "de", page
            for text in cue_texts(vtt):
                words = {w.lower() for w in re.findall(r"[^\W\d_]+", text)}
                assert not words & ENGLISH, (page, text)
                assert not re.search(r"\d\.\d", text), (page, text)
    # The loss scene's player: its intro and arrival beats, as compute describes the German
    # spec (its title from the catalogue); the lecture's: the title card's too.
    ((_, vtt),) = description_tracks(site, "de/embed/TinyAbsolute.de.html")
    said = cue_texts(vtt)
    assert said[0].startswith("Der Titel, Absoluter Verlust: der Median, und oben rechts ")
    assert said[1].startswith("θ ist bei 0,2523 stehen geblieben. ") and len(said) == 2, said
    lecture = [t for _, vtt in description_tracks(site, "de/index.html") for t in cue_texts(vtt)]
    assert "Titelkarte: Verlustfunktionen. Darunter: Auf welchen Punkt hört eine Schätzung?" in (
        lecture
    )
    # The English pages keep English descriptions.
    english = description_tracks(site, "index.html")
    assert english and {lang for lang, _ in english} == {"en"}
    assert any(t.startswith("θ has stopped at ") for _, vtt in english for t in cue_texts(vtt))


def test_a_language_without_a_describer_keeps_english_descriptions(tmp_path, monkeypatch):
    monkeypatch.delitem(DESCRIBERS, "de")
    site = export(tmp_path)
    tracks = description_tracks(site, "de/index.html")
    assert tracks and {lang for lang, _ in tracks} == {"en"}
    assert any("θ has stopped at" in t for _, vtt in tracks for t in cue_texts(vtt))
