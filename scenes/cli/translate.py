"""``loss-scenes translate SPEC --lang de``: write or update the lecture's catalogue of ``de``."""

import argparse
import sys
from pathlib import Path

from scenes.cli._common import load_specs
from scenes.spec import Course, Lecture, Problem, SpecError

HELP = "write or update locale/LANG.po (gettext) with every text of a lecture or course"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", metavar="SPEC", help="a lecture or course YAML file")
    parser.add_argument(
        "--lang",
        required=True,
        metavar="LANG",
        help="the language to translate into (ISO 639-1, e.g. de), or `all` for every "
        "language of the spec's `languages` but the first",
    )


def run(args: argparse.Namespace) -> int:
    from scenes.compute.translation import SOURCE_LANGUAGE, item_texts, lecture_languages
    from scenes.spec.catalogue import catalogue_path, update_catalogue

    (item,) = load_specs([args.spec])
    if not isinstance(item, Lecture | Course):
        raise SpecError(
            [Problem(args.spec, 1, 1, "translate needs a lecture or course (its locale folder)")]
        )
    languages = lecture_languages(item)
    source = languages[0] if languages else SOURCE_LANGUAGE
    wanted = [lang for lang in languages[1:]] if args.lang == "all" else [args.lang]
    if args.lang != "all" and (
        len(args.lang) not in (2, 3) or not args.lang.isalpha() or not args.lang.islower()
    ):
        raise SpecError([Problem(args.spec, 1, 1, f"--lang {args.lang!r}: write a code like de")])
    if args.lang == source:
        raise SpecError(
            [Problem(args.spec, 1, 1, f"{source} is the language the specs are written in")]
        )
    texts = item_texts(item)
    for lang in wanted:
        path = catalogue_path(Path(args.spec), lang)
        counts = update_catalogue(path, lang, texts)
        print(path, flush=True)
        print(
            f"{path}: {len(texts)} entries ({counts['new']} new, {counts['kept']} kept, "
            f"{counts['fuzzy']} fuzzy, {counts['obsolete']} obsolete)",
            file=sys.stderr,
        )
    return 0


def check_catalogues(item: object, languages: list[str]) -> None:
    """Raise the problems of the catalogues of ``languages`` (not the source language)."""
    from scenes.compute.translation import item_texts, lecture_languages
    from scenes.spec.catalogue import catalogue_path, check_catalogue

    source = (lecture_languages(item) or ["en"])[0]
    problems = []
    for lang in languages:
        if lang == source:
            continue
        path = catalogue_path(Path(item.path), lang)  # type: ignore[attr-defined]
        problems += check_catalogue(path, item_texts(item), shown=str(path))
    if problems:
        raise SpecError(problems)
