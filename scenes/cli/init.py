"""``loss-scenes init DIR``: a starter course (spec-v2 section 11) that passes ``check``.

``DIR/config/`` gets a course, a short narrated lecture and its scenes, with the JSON Schema beside
them (every spec's ``$schema`` line names it); ``DIR`` gets a README, a ``.gitignore`` and
``manim_scenes.py`` for the plain ``manim`` command. The files come from ``assets/starter`` (package
data). Nothing is ever overwritten: when one of the files exists, nothing is written at all.
"""

import argparse
import json
import shlex
import sys
import tempfile
import unicodedata
from pathlib import Path
from string import Template

from scenes.cli._common import UsageError
from scenes.cli.new import scene_name
from scenes.errors import InternalError

HELP = "write a starter course into DIR (never overwrites): config/, README.md, .gitignore"
STARTER = (
    "README.md",
    "gitignore",
    "config/lecture.yaml",
    "config/squared.yaml",
    "config/huber.yaml",
    "config/course.yaml",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    # A string, not a Path: Path("") is ".", and an empty DIR must not mean the current folder.
    parser.add_argument("folder", metavar="DIR", help="where the course goes")


def course_name(title: str) -> str:
    """The course's CamelCase name from its folder's name: ``stat-157`` -> ``Stat157``, ``über``
    -> ``Uber`` (accents dropped); :class:`UsageError` for letters with no ASCII form.
    """
    # Names are ASCII (they name Python classes and files); without this ``über`` became ``Ber``.
    decomposed = unicodedata.normalize("NFKD", title)
    ascii_title = "".join(char for char in decomposed if not unicodedata.combining(char))
    foreign = "".join(
        dict.fromkeys(char for char in ascii_title if char.isalnum() and not char.isascii())
    )
    if foreign:
        raise UsageError(
            f"the course is named after its folder, and {title!r} has letters with no ASCII "
            f"form ({foreign}); a course name is CamelCase ASCII: choose a folder name in ASCII "
            "letters and digits"
        )
    return scene_name(ascii_title, prefix="Course")


def starter_files(folder: Path) -> dict[Path, str]:
    """Every file ``init`` writes into ``folder``, by path, with the course named after it."""
    from importlib.resources import files

    from scenes.package_data import SCHEMA_NAME, asset, packaged_schema_text

    title = (folder.resolve().name or "Course")[:200]
    values = {"course": course_name(title), "title": title}
    # In YAML the title is a JSON string (valid YAML), whatever characters the folder name has.
    yaml_values = {**values, "title": json.dumps(title, ensure_ascii=False)[1:-1]}
    written: dict[Path, str] = {}
    for name in STARTER:
        text = asset("starter", *name.split("/")).read_text(encoding="utf-8")
        template = Template(text)
        text = template.safe_substitute(yaml_values if name.endswith(".yaml") else values)
        written[folder / ("." + name if name == "gitignore" else name)] = text
    written[folder / "config" / SCHEMA_NAME] = packaged_schema_text()
    # The plain-Manim entry point, as the package ships it (it finds config/ beside itself).
    written[folder / "manim_scenes.py"] = (
        files("scenes").joinpath("manim_scenes.py").read_text(encoding="utf-8")
    )
    return written


def _check(written: dict[Path, str], folder: Path) -> str | None:
    """Load the starter course from a scratch copy; the problems, if any (a bug of ours)."""
    from scenes.compute.resolve import load_resolved
    from scenes.spec import SpecError

    with tempfile.TemporaryDirectory() as scratch:
        for path, text in written.items():
            copy = Path(scratch) / path.relative_to(folder)
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(text, encoding="utf-8")
        try:
            load_resolved(Path(scratch) / "config" / "course.yaml")
        except SpecError as error:
            return str(error)
    return None


def run(args: argparse.Namespace) -> int:
    from scenes.files import create_new_files

    if not args.folder:
        raise UsageError("DIR is empty; name the folder for the course (. for this one)")
    folder = Path(args.folder)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} exists and is not a folder")
    written = starter_files(folder)
    problems = _check(written, folder)
    if problems is not None:
        raise InternalError(f"starter course invalid:\n{problems}")
    try:
        create_new_files(written)
    except FileExistsError as error:
        raise UsageError(
            f"{error.filename} exists; init never overwrites, so it wrote nothing"
        ) from None
    except NotADirectoryError as error:
        raise UsageError(f"{error.filename} is not a folder") from None
    except OSError as error:
        # The error names a temporary file of the atomic write, or a folder on the way: say
        # what could not be done, to what the user typed.
        raise UsageError(
            f"cannot write the starter course into {folder}: {error.strerror or error}"
        ) from None
    for path in written:
        print(path, flush=True)
    course = shlex.quote(str(folder / "config" / "course.yaml"))
    site = shlex.quote(str(folder / "site"))
    print(f"next: loss-scenes export {course} -o {site}", file=sys.stderr)
    return 0
