"""Course-site export: a self-contained folder of pages, videos, posters and captions.

Three steps that do not know each other's insides: :mod:`.model` turns what rendering wrote (the
render manifest) into plain data, :mod:`.pages` turns that data into HTML and WebVTT text (a pure
function over the templates in ``assets/site``), and :mod:`.build` renders, converts the media,
writes the files and swaps the finished folder into place. Nothing here imports Manim.
"""

from .build import (
    CourseExportResult,
    ExportError,
    ExportResult,
    build_site,
    export_course,
    export_site,
)
from .model import Chapter, Download, Site, SiteVideo, plan_site
from .pages import iframe_snippet, render_course_pages, render_pages

__all__ = [
    "Chapter",
    "CourseExportResult",
    "Download",
    "ExportError",
    "ExportResult",
    "Site",
    "SiteVideo",
    "build_site",
    "export_course",
    "export_site",
    "iframe_snippet",
    "plan_site",
    "render_course_pages",
    "render_pages",
]
