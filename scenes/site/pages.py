"""The site's text files (HTML, CSS, JavaScript, WebVTT) from a :class:`Site`: a pure function.

HTML comes from the Jinja2 templates in ``assets/site`` with autoescaping on, so titles and
narration may contain any character. Nothing here touches the file system except to read the
templates.
"""

import base64
import functools
from pathlib import Path

import jinja2

from scenes.render.subtitles import Cue, format_vtt

from .model import Site, SiteVideo

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "site"
STATIC = ("style.css", "site.js", "favicon.svg")


@functools.cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(ASSETS),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["clock"] = clock
    environment.filters["megabytes"] = megabytes
    return environment


def clock(seconds: float) -> str:
    """``75.2`` -> ``1:15``: how a chapter list shows times."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def megabytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{max(1, round(size / 1e3))} kB"


def captions_vtt(cues: tuple[Cue, ...] | list[Cue]) -> str:
    return format_vtt(list(cues))


def chapters_vtt(video: SiteVideo) -> str:
    return format_vtt(
        [Cue(chapter.start, chapter.end, chapter.title) for chapter in video.chapters]
    )


def iframe_snippet(video: SiteVideo, prefix: str = "") -> str:
    """A one-line ``<iframe>`` for a course page; ``prefix`` leads from that page to the site."""
    template = _environment().get_template("iframe.html")
    return template.render(video=video, src=prefix + video.embed).strip()


def data_url(vtt: str) -> str:
    return "data:text/vtt;charset=utf-8;base64," + base64.b64encode(vtt.encode()).decode()


def render_pages(site: Site) -> dict[str, str]:
    """Every text file of the site, keyed by its path relative to the site folder."""
    environment = _environment()
    videos = (*site.scenes, site.lecture)
    tracks: dict[str, str] = {}
    for video in videos:
        tracks[video.captions] = captions_vtt(video.cues)
        if video.chapters_file:
            tracks[video.chapters_file] = chapters_vtt(video)
    # The pages carry their text tracks inline: Chromium refuses <track src> from file:// (each
    # file is its own origin there), and the folder must work opened from disk. The .vtt files
    # are written as well, for download and for learning platforms that take caption files.
    track_urls = {path: data_url(text) for path, text in tracks.items()}
    pages = {
        "index.html": environment.get_template("index.html").render(
            site=site, root="", tracks=track_urls
        ),
    }
    for video in videos:
        pages[video.embed] = environment.get_template("embed.html").render(
            site=site, video=video, root="../", tracks=track_urls
        )
    pages.update(tracks)
    for name in STATIC:
        pages[name] = (ASSETS / name).read_text(encoding="utf-8")
    return pages
