"""``loss-scenes export [LECTURE] -o DIR``: a self-contained course-site folder."""

import argparse
import sys
import time
from pathlib import Path

from scenes.cli._common import output_folder, wrong_kind
from scenes.cli.arguments import add_cluster, add_jobs, add_output, add_quality
from scenes.cli.render import DEFAULT_LECTURE
from scenes.compute.resolve import load_resolved

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
    add_output(
        parser,
        default=Path("site"),
        what="site folder, created or replaced as a whole (default: site)",
    )
    add_quality(parser, default_help="the lecture's render.quality")
    add_jobs(parser)
    add_cluster(parser)
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
    loaded = load_resolved(args.lecture)
    if not isinstance(loaded, Lecture | Course):
        raise wrong_kind(str(args.lecture), "export", "lecture or course", "scene")
    from scenes.cli.translate import check_catalogues
    from scenes.compute.translation import lecture_languages

    # A site in several languages (spec-v3 section 16) needs every catalogue whole first.
    check_catalogues(loaded, lecture_languages(loaded)[1:])
    from scenes.site import CourseExportResult, ExportResult, export_course, export_site
    from scenes.site.build import default_render_dir

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    started = time.perf_counter()
    options = {
        "gif": args.gif,
        "handout": args.handout,
        "progress": progress,
        # None: the render decides (scenes.production.plan.automatic_jobs), conversions use
        # every core.
        "jobs": args.jobs,
        "cluster": args.cluster,
    }
    # A bad target folder (ExportError) is invalid input, exit 2; a missing or broken browser
    # (PrintError) is not, exit 1: scenes.cli reports both.
    result: CourseExportResult | ExportResult
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
    total = sum(result.files.values())
    progress(
        f"exported {len(result.files)} files ({total / 1e6:.1f} MB) in "
        f"{time.perf_counter() - started:.1f} s"
    )
    print(result.index, flush=True)
    for snippet in result.snippets:
        print(snippet, flush=True)
    return 0
