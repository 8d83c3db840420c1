"""``loss-scenes export [LECTURE] -o DIR``: a self-contained course-site folder."""

import argparse
import sys
import time
from pathlib import Path

from scenes.cli._common import add_cluster_argument, output_folder, positive_int, wrong_kind
from scenes.cli.render import DEFAULT_LECTURE
from scenes.options import QUALITIES
from scenes.spec import load_any

HELP = (
    "export a lecture (or a course: one folder per lecture under a course page) as a "
    "self-contained site folder (videos, posters, captions, chapters, HTML); prints the index "
    "page and an <iframe> snippet per scene"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "lecture",
        nargs="?",
        default=str(DEFAULT_LECTURE),
        metavar="LECTURE",
        help=f"lecture or course YAML file (default: {DEFAULT_LECTURE})",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("site"),
        metavar="DIR",
        help="site folder, created or replaced as a whole (default: site)",
    )
    parser.add_argument(
        "-q",
        "--quality",
        choices=tuple(QUALITIES),
        help="video quality (default: the lecture's render.quality)",
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=positive_int,
        default=None,
        metavar="N",
        help="render in N processes (default: the number of cores)",
    )
    add_cluster_argument(parser)
    parser.add_argument(
        "--render-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="where the videos are rendered and reused from (default: renders/site/QUALITY; "
        "the site's videos have no burned-in captions, so they are not render's videos)",
    )
    parser.add_argument(
        "--no-handout",
        dest="handout",
        action="store_false",
        help="leave out handout.html and handout.pdf (the PDF is printed with headless Chromium)",
    )
    parser.add_argument(
        "--gif",
        action="store_true",
        help="also write an animated GIF per scene, for slides and Markdown pages",
    )


def run(args: argparse.Namespace) -> int:
    from scenes.spec import Course, Lecture

    output_folder(args.output)
    if args.render_dir is not None:
        output_folder(args.render_dir)
    loaded = load_any(args.lecture)
    if not isinstance(loaded, Lecture | Course):
        raise wrong_kind(str(args.lecture), "export", "lecture or course", "scene")
    from scenes.production.pipeline import default_jobs
    from scenes.site import (
        CourseExportResult,
        ExportError,
        ExportResult,
        export_course,
        export_site,
    )
    from scenes.site.build import default_render_dir
    from scenes.site.printing import PrintError

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    started = time.perf_counter()
    options = {
        "gif": args.gif,
        "handout": args.handout,
        "progress": progress,
        "jobs": args.jobs or default_jobs(),
        "cluster": args.cluster,
    }
    result: CourseExportResult | ExportResult
    try:
        if isinstance(loaded, Course):
            result = export_course(
                loaded,
                args.output,
                quality=args.quality,
                render_dir=lambda quality: args.render_dir or default_render_dir(quality),
                **options,
            )
        else:
            quality = args.quality or loaded.spec.render.quality
            result = export_site(
                loaded,
                args.output,
                quality=quality,
                render_dir=args.render_dir or default_render_dir(quality),
                **options,
            )
    except ExportError as error:
        print(f"loss-scenes: error: {error}", file=sys.stderr)
        return 2
    except PrintError as error:
        # Not bad input: the machine lacks (or has a broken) browser.
        print(f"loss-scenes: error: {error}", file=sys.stderr)
        return 1
    total = sum(result.files.values())
    progress(
        f"exported {len(result.files)} files ({total / 1e6:.1f} MB) in "
        f"{time.perf_counter() - started:.1f} s"
    )
    print(result.index, flush=True)
    for snippet in result.snippets:
        print(snippet, flush=True)
    return 0
