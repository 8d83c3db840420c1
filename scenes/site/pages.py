"""The site's text files (HTML, CSS, JavaScript, WebVTT) from a :class:`Site`: a pure function.

HTML comes from the Jinja2 templates in ``assets/site`` (package data, see
:mod:`scenes.package_data`) with autoescaping on, so titles and narration may contain any
character. Nothing here touches the file system except to read the templates.

The site's own words (headings, links, buttons, labels, and the strings present.js and
explore.js show, which the pages hand them as a JSON data block) are English in the templates
and follow the page's language through Jinja2's i18n extension (``{% trans %}``, ``_()``) and a
gettext catalogue per language, ``assets/locale/<lang>/LC_MESSAGES/site.po`` (read with polib).
A language without a catalogue shows the English words.
"""

import base64
import functools
import gettext
import hashlib
import io
import json
from importlib.resources.abc import Traversable

import jinja2
import polib
from markupsafe import Markup

from scenes.compute.loss_table import LOSS_TABLE
from scenes.errors import LossScenesError
from scenes.numbers import DECIMAL_COMMA, fixed
from scenes.package_data import PACKAGE, asset
from scenes.production.subtitles import Cue, format_vtt, vtt_stamp

from .model import LANGUAGE_NAMES, SOURCE_LANGUAGE, Site, SiteVideo

TEMPLATES = (
    "index.html",
    "embed.html",
    "iframe.html",
    "_player.html",
    "_script_text.html",
    "course.html",
    "present.html",
    "speaker.html",
    "handout.html",
    "explore.html",
    "transcript.html",
)
STATIC = ("style.css", "site.js", "present.js", "favicon.svg")
EXPLORE_STATIC = ("explore.css", "explore.js", "explore-maths.js")
"""What the explorable pages share; written only by a site that has explorable pages."""
CATALOGUE = "site.po"
"""Each language's catalogue of the site's words: ``assets/locale/<lang>/LC_MESSAGES/site.po``."""
DOWNLOAD_LABELS = ("MP4 (H.264)", "WebM (VP9)", "Captions (WebVTT)", "Animated GIF")
"""The download links' labels (:func:`scenes.site.model.plan_site`), translated on the page."""


def loss_heading(words: str) -> str:
    """The explorable page's heading of a loss, in English (the catalogue's ``msgid``)."""
    return f"The {words} loss"


DATA_MESSAGES = (
    *DOWNLOAD_LABELS,
    *sorted({loss_heading(entry.words) for entry in LOSS_TABLE.values()}),
)
"""The site's words that come from data, not from a template: each needs a catalogue entry
(the templates' own are found by Jinja2's extractor, see :func:`template_messages`)."""


class MissingAssets(LossScenesError, RuntimeError, traceback_hint=True):
    """A template or style file is not installed: a broken installation, not bad input (exit 1,
    with its type and the traceback hint, as the installation's other failures are shown).
    """


def check_assets() -> None:
    """Load every template and style file the export uses, before anything is rendered.

    A broken installation should fail in a second, not after the videos have been rendered.
    """
    environment = _environment()
    for name in TEMPLATES:
        try:
            environment.get_template(name)
        except jinja2.TemplateNotFound:
            raise MissingAssets(
                f"the site template {name} is missing from {PACKAGE} (assets/site): "
                "reinstall loss-scenes"
            ) from None
    for name in (*STATIC, *EXPLORE_STATIC):
        if not asset("site", name).is_file():
            raise MissingAssets(
                f"the site file {name} is missing from {PACKAGE} (assets/site): "
                "reinstall loss-scenes"
            )


def catalogue_path(lang: str) -> Traversable:
    """Where the site's catalogue for ``lang`` is (it may not exist)."""
    return asset("locale", lang, "LC_MESSAGES", CATALOGUE)


def translations(lang: str) -> gettext.NullTranslations:
    """The site's words in ``lang``: its catalogue's translated entries (fuzzy ones left out,
    as gettext tools leave them out of a compiled catalogue); English, or a language without a
    catalogue, the English source text.
    """
    path = catalogue_path(lang)
    if lang == SOURCE_LANGUAGE or not path.is_file():
        return gettext.NullTranslations()
    catalogue = polib.pofile(path.read_text(encoding="utf-8"))
    for entry in catalogue:
        if entry.fuzzy:  # polib's binary keeps fuzzy entries; gettext would not use them
            entry.msgstr = ""
            entry.msgstr_plural = {index: "" for index in entry.msgstr_plural}
    return gettext.GNUTranslations(io.BytesIO(catalogue.to_binary()))


def base_environment() -> jinja2.Environment:
    """The templates' environment without translations installed: what the extractor reads."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader(PACKAGE, "site"),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )


@functools.cache
def _environment(lang: str = SOURCE_LANGUAGE) -> jinja2.Environment:
    environment = base_environment()
    environment.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    environment.filters["clock"] = clock
    environment.filters["megabytes"] = functools.partial(megabytes, lang=lang)
    environment.filters["language_name"] = lambda code: LANGUAGE_NAMES.get(code, code)
    environment.globals["decimal_mark"] = "," if lang in DECIMAL_COMMA else "."
    environment.globals["loss_heading"] = loss_heading
    return environment


def template_messages() -> dict[str, set[str]]:
    """Every message the templates translate (``_()``, ``gettext``, ``ngettext``,
    ``{% trans %}``; a plural as its singular and plural), by template.
    """
    environment = base_environment()
    found: dict[str, set[str]] = {}
    for name in environment.list_templates(extensions=["html"]):
        source = environment.loader.get_source(environment, name)[0]  # type: ignore[union-attr]
        messages: set[str] = set()
        for _, _, message in environment.extract_translations(source):  # type: ignore[attr-defined]
            parts = message if isinstance(message, tuple) else (message,)
            messages.update(part for part in parts if part)
        found[name] = messages
    return found


def clock(seconds: float) -> str:
    """``75.2`` -> ``1:15``: how a chapter list shows times."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def megabytes(size: int, lang: str | None = None) -> str:
    """A file's size as a download link shows it: ``1.2 MB`` (``1,2 MB`` in German)."""
    if size >= 100_000:
        return f"{fixed(size / 1e6, 1, lang)} MB"
    return f"{max(1, round(size / 1e3))} kB"


def captions_vtt(cues: tuple[Cue, ...] | list[Cue]) -> str:
    return format_vtt(list(cues))


def chapters_vtt(video: SiteVideo) -> str:
    return format_vtt(
        [Cue(chapter.start, chapter.end, chapter.title) for chapter in video.chapters]
    )


def beats_vtt(site: Site) -> str:
    """The beats as a WebVTT metadata track: cue id ``Scene/beat``, the narration as payload."""
    blocks = [
        f"{beat.cue_id}\n{vtt_stamp(beat.start)} --> {vtt_stamp(beat.end)}\n"
        + "".join(f"{line}\n" for line in [_one_line(beat.text)] if line)
        for beat in site.beats
    ]
    return "WEBVTT\n\n" + "\n".join(blocks)


def descriptions_vtt(cues: tuple[Cue, ...]) -> str:
    """The ``kind="descriptions"`` track: one cue per described beat, its text on one line
    (read aloud, never wrapped like a caption), with ``&``, ``<`` and ``>`` as WebVTT escapes.
    """
    blocks = [
        f"{vtt_stamp(cue.start)} --> {vtt_stamp(cue.end)}\n{_escaped(_one_line(cue.text))}\n"
        for cue in cues
        if cue.text.strip()
    ]
    return "WEBVTT\n\n" + "\n".join(blocks)


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _one_line(text: str) -> str:
    """The whole narration on one line (a blank line would end the cue).

    A metadata cue's text is read as it is, not as markup: only "-->", which would end the cue
    header's syntax, is broken by a zero-width space.
    """
    return " ".join(text.split()).replace("-->", "--\u200b>")


def beats_json(site: Site) -> str:
    """What present.html and speaker.html step through, as JSON for a data block in the page."""
    titles = {video.name: video.title for video in site.scenes}
    data = {
        "lecture": site.lecture.name,
        "fps": site.fps,
        "duration": site.lecture.duration,
        "beats": [
            {
                "number": beat.number,
                "cue": beat.cue_id,
                "title": titles.get(beat.scene, beat.scene),
                "start": round(beat.start, 6),
                "end": round(beat.end, 6),
                "text": beat.text,
            }
            for beat in site.beats
        ],
    }
    # The presenter's BroadcastChannel reaches every page of the origin: its name carries a
    # digest of this lecture's site, so two courses' lectures of one name on a host stay apart.
    digest = hashlib.sha256(json.dumps([site.title, data], sort_keys=True).encode()).hexdigest()
    data["channel"] = digest[:16]
    # No "<", ">" or "&" at all inside the <script> element: neither "</script>" nor "<!--" in
    # a narration can change where the HTML parser ends it.
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def transcript_scenes(site: Site) -> list[tuple[SiteVideo, Markup, tuple]]:
    """The transcript's sections: each scene, its formula (MathML, made by the export from the
    video's own LaTeX; empty for a scene without one) and its beats.
    """
    return [
        (video, Markup(site.formulas.get(video.name, "")), site.scene_beats(video))
        for video in site.scenes
    ]


def iframe_snippet(video: SiteVideo, prefix: str = "") -> str:
    """A one-line ``<iframe>`` for a course page; ``prefix`` leads from that page to the site."""
    template = _environment().get_template("iframe.html")
    return template.render(video=video, src=prefix + video.embed).strip()


def data_url(vtt: str) -> str:
    return "data:text/vtt;charset=utf-8;base64," + base64.b64encode(vtt.encode()).decode()


def render_pages(site: Site) -> dict[str, str]:
    """Every text file of the site, keyed by its path relative to the site folder."""
    environment = _environment(site.lang)
    videos = (*site.scenes, site.lecture)
    tracks: dict[str, str] = {}
    for video in videos:
        tracks[video.captions] = captions_vtt(video.cues)
        if video.chapters_file:
            tracks[video.chapters_file] = chapters_vtt(video)
        if video.descriptions_file:
            tracks[video.descriptions_file] = descriptions_vtt(video.descriptions)
        for other in video.other_captions:
            tracks[other.path] = captions_vtt(other.cues)
    # Tracks link their .vtt files (a strict content policy refuses data: URLs); each page also
    # carries them as data: URLs, which site.js swaps in under file://, where Chromium refuses
    # <track src> (each file is its own origin there) and the folder must still work from disk.
    inline = {path: data_url(text) for path, text in tracks.items()}
    pages = {
        "index.html": environment.get_template("index.html").render(
            site=site, root="", inline=inline, page="index.html"
        ),
    }
    for video in videos:
        pages[video.embed] = environment.get_template("embed.html").render(
            site=site, video=video, root="../", inline=inline, page=video.embed
        )
    if site.beats:
        tracks[site.beats_file] = beats_vtt(site)
        data = beats_json(site)
        for name in ("present.html", "speaker.html"):
            pages[name] = environment.get_template(name).render(
                site=site, root="", inline=inline, beats=data, page=name
            )
        if site.handout:
            pages["handout.html"] = environment.get_template("handout.html").render(
                site=site, root="", page="handout.html"
            )
    if site.transcript:
        pages[site.transcript] = environment.get_template("transcript.html").render(
            site=site, root="", inline=inline, scenes=transcript_scenes(site), page=site.transcript
        )
    for explorable in site.explore:
        pages[explorable.path] = environment.get_template("explore.html").render(
            site=site, page=explorable, root="../", page_path=explorable.path
        )
        pages[explorable.script_path] = explorable.script
    if site.explore:
        pages.update(_static(EXPLORE_STATIC))
    pages.update(tracks)
    pages.update(_static())
    return pages


def render_course_pages(title: str, lectures: list[tuple[str, Site]]) -> dict[str, str]:
    """The course page and its style files: ``lectures`` pairs each site with its folder."""
    lang = lectures[0][1].lang if lectures else SOURCE_LANGUAGE
    page = (
        _environment(lang)
        .get_template("course.html")
        .render(
            title=title,
            lang=lang,
            lectures=lectures,
            total=sum(site.lecture.duration for _, site in lectures),
        )
    )
    return {
        "index.html": page,
        **_static(),
    }


def _static(names: tuple[str, ...] = STATIC) -> dict[str, str]:
    return {name: asset("site", name).read_text(encoding="utf-8") for name in names}
