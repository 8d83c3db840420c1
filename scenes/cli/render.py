"""``loss-scenes render [SPEC ...]``: render scene or lecture specs to video."""

import argparse
from pathlib import Path

from scenes.cli._common import load_specs, located, output_folder
from scenes.cli.arguments import add_cluster, add_jobs, add_output, add_quality
from scenes.options import FORMATS
from scenes.production.plan import videos_to_render
from scenes.spec import Problem, SpecError

HELP = "render scene, lecture or course specs (default: config/lecture.yaml)"
DEFAULT_LECTURE = Path("config/lecture.yaml")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "specs", nargs="*", metavar="SPEC", help="scene, lecture or course YAML files"
    )
    add_quality(parser, default_help="the lecture's render.quality, else high")
    parser.add_argument(
        "--format",
        dest="formats",
        action="extend",
        type=format_list,
        metavar="FORMAT",
        help=f"video formats besides MP4, which is always written: {', '.join(FORMATS[1:])}; "
        "repeat the option or separate them by commas (--format webm,gif)",
    )
    add_output(parser, default=None, what="output folder (default: renders/QUALITY)")
    add_jobs(parser)
    add_cluster(parser)
    parser.add_argument(
        "--force",
        action="store_true",
        help="render every scene again, even when an unchanged earlier render could be reused",
    )
    parser.add_argument(
        "--lang",
        metavar="LANG",
        default=None,
        help="render in this language of the spec's `languages` (its catalogue "
        "locale/LANG.po), or `all` for each of them; default: the language it is written in",
    )
    parser.add_argument(
        "--quiet", action="store_true", help="no progress lines on stderr (warnings still shown)"
    )


def format_list(text: str) -> list[str]:
    """An argparse type: one format or several separated by commas (``webm,gif``)."""
    names = [name.strip().lower() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in FORMATS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown format {(unknown or [text])[0]!r} (valid: {', '.join(FORMATS)})"
        )
    return names


def run(args: argparse.Namespace) -> int:
    paths = args.specs or [str(DEFAULT_LECTURE)]
    for path in paths:
        if path.lower() in FORMATS and not Path(path).exists():
            # `--format gif webm` reads webm as a spec file.
            raise SpecError(
                [
                    Problem(
                        path,
                        1,
                        1,
                        f"file not found; to ask for several formats, write --format gif,{path} "
                        "or repeat --format",
                    )
                ]
            )
    if args.output is not None:
        output_folder(args.output)
    loaded = videos_to_render(paths, load_specs(paths), args.quality, args.output)
    if args.lang is not None:
        loaded = in_languages(paths, loaded, args.lang)
    from scenes.production.run import render
    from scenes.production.run import say_on_stderr as _stderr

    written = render(
        loaded,
        quality=args.quality,
        out_dir=args.output,
        formats=args.formats,
        progress=None if args.quiet else _stderr,
        jobs=args.jobs,  # None: as many processes as the work is worth
        reuse=not args.force,
        cluster=args.cluster,
    )
    with located(paths, loaded):
        for path in written:
            print(path, flush=True)
    return 0


def in_languages(paths: list[str], loaded: list, asked: str) -> list:
    """Each lecture once per language asked (``--lang de`` or ``all``), translated; a language
    that is not among a lecture's ``languages``, or a catalogue with gaps, is an error (exit 2).
    """
    from scenes.cli.translate import check_catalogues
    from scenes.compute.translation import languages_asked, translated_item
    from scenes.spec import Lecture

    items = []
    for item in loaded:
        languages = languages_asked(asked, item)
        if not isinstance(item, Lecture):
            if asked not in ("all", "en"):
                raise SpecError(
                    [Problem(paths[0], 1, 1, "--lang needs a lecture or course with `languages`")]
                )
            items.append(item)
            continue
        known = item.spec.languages or []
        for lang in languages:
            if lang not in known:
                raise SpecError(
                    [
                        Problem(
                            str(item.path),
                            1,
                            1,
                            f"--lang {lang}: not one of the lecture's languages "
                            f"({', '.join(known) or 'none: add `languages`'})",
                        )
                    ]
                )
        check_catalogues(item, languages[1:] if asked == "all" else languages)
        items += [translated_item(item, lang) for lang in languages]
    return items
