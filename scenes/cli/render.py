"""``loss-scenes render [SPEC ...]``: render scene or lecture specs to video."""

import argparse
from pathlib import Path

from scenes.cli._common import load_specs, output_folder
from scenes.cli.arguments import add_cluster, add_jobs, add_output, add_quality
from scenes.options import FORMATS
from scenes.spec import Course, Lecture, Problem, SceneSpec, SpecError
from scenes.spec.loading import case_clash, name_key
from scenes.spec.yaml_loader import Pos, load_yaml_file

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
    from scenes.production.plan import default_jobs
    from scenes.production.run import render
    from scenes.production.run import say_on_stderr as _stderr

    written = render(
        loaded,
        quality=args.quality,
        out_dir=args.output,
        formats=args.formats,
        progress=None if args.quiet else _stderr,
        jobs=args.jobs or default_jobs(),
        reuse=not args.force,
        cluster=args.cluster,
    )
    for path in written:
        print(path, flush=True)
    return 0


def videos_to_render(
    paths: list[str], loaded: list, quality: str | None, output: Path | None
) -> list[SceneSpec | Lecture]:
    """The scenes and lectures of ``loaded`` (``paths`` name their files), courses expanded.

    Raises :class:`SpecError` when two of them would write the same files.
    """
    pairs: list[tuple[str, SceneSpec | Lecture]] = []
    for path, item in zip(paths, loaded, strict=True):
        if isinstance(item, Course):  # a course is its lectures, each with its own file
            pairs += [(str(lecture.path), lecture) for lecture in item.lectures]
        else:
            pairs.append((path, item))
    clashes = output_name_clashes(
        [path for path, _ in pairs], [item for _, item in pairs], quality, output
    )
    if clashes:
        raise SpecError(clashes)
    return [item for _, item in pairs]


def output_name_clashes(
    paths: list[str], loaded: list, quality: str | None, output: Path | None
) -> list[Problem]:
    """Problems for videos of one command that would be written to the same file.

    Two specs naming the same scene (or a scene and a lecture sharing a name) would overwrite
    each other's output in one folder; each later one is reported at its name.
    """
    seen: dict[tuple[Path, str], tuple[str, str]] = {}
    problems: list[Problem] = []
    for path, item in zip(paths, loaded, strict=True):
        if isinstance(item, Lecture):
            folder = output or Path("renders") / (quality or item.spec.render.quality)
            named = [(str(item.path), "lecture", item.spec.lecture)]
            named += [(str(scene_path), "scene", spec.scene) for scene_path, spec in item.scenes]
        else:
            folder = output or Path("renders") / (quality or "high")
            named = [(path, "scene", item.scene)]
        for file, key, name in named:
            earlier, earlier_name = seen.setdefault(
                (folder.resolve(), name_key(name)), (file, name)
            )
            # The same file given twice (alone and in a lecture) renders the same video.
            if Path(earlier).resolve() != Path(file).resolve():
                # A spec made in Python (scenes.render_specs) has no file to point into.
                pos = load_yaml_file(file).value_pos((key,)) if Path(file).is_file() else Pos(1, 1)
                problems.append(
                    Problem(
                        file,
                        pos.line,
                        pos.column,
                        f"{key}: {name!r} is also the name of a video from {earlier}"
                        f"{case_clash(name, earlier_name)}; both would be written to "
                        f"{folder / earlier_name}.*: give them different names",
                    )
                )
    return problems
