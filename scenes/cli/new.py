"""``loss-scenes new NAME --loss LOSS``: write a commented starter scene spec."""

import argparse
import json
import re
import sys
from pathlib import Path
from typing import get_args

from scenes.cli._common import UsageError, output_folder
from scenes.errors import InternalError
from scenes.spec import SpecError
from scenes.spec.loading import case_clash, name_key
from scenes.spec.models import CAMEL_CASE, LOSS_MODELS, LOSS_NAMES, MAX_NAME
from scenes.spec.yaml_loader import load_yaml_file

HELP = "write a commented starter scene spec (NAME.yaml) that passes check"
SCHEMA_LINE = "# yaml-language-server: $schema={}\n"
SCHEMA_PATTERN = re.compile(r"#\s*yaml-language-server:\s*\$schema=(\S+)")
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "name",
        metavar="NAME",
        help="file name (snake_case, .yaml optional) or scene name: letters, digits, _ or -",
    )
    parser.add_argument("--loss", choices=LOSS_NAMES, default="huber", help="default: huber")
    parser.add_argument(
        "-d",
        "--dir",
        type=Path,
        default=None,
        help="folder to write into (default: config/ when it exists, else the current folder)",
    )


def scene_name(stem: str, prefix: str = "Scene") -> str:
    """``my_huber`` or ``my-huber`` -> ``MyHuber``; a CamelCase name stays as it is.

    A name that would not start with a letter gets ``prefix`` in front (``2024`` ->
    ``Scene2024``); the result is cut to 64 characters, the longest name a spec takes.
    """
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", stem) if p]
    name = "".join(p[:1].upper() + p[1:] for p in parts)
    if not name or not name[0].isalpha():
        name = prefix + name
    return name[:MAX_NAME]


def file_stem(name: str) -> str:
    """``MyHuber`` -> ``my_huber``; ``my_huber`` stays."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def _loss_lines(loss: str) -> list[str]:
    model = next(m for m in LOSS_MODELS if get_args(m.model_fields["name"].annotation)[0] == loss)
    lines = [
        "loss:",
        f"  name: {loss}  # one of {', '.join(LOSS_NAMES)}",
    ]
    for field, info in model.model_fields.items():
        if field == "name":
            continue
        key = info.alias or field
        value = None if info.is_required() else info.get_default(call_default_factory=True)
        if value is None or (isinstance(value, dict) and not value):
            value = (info.examples or [value])[0]
        lines.append(f"  {key}: {json.dumps(value)}  # {info.description}")
    return lines


def starter_spec(scene: str, loss: str, schema: str) -> str:
    """The text of a starter spec: every section, each field commented."""
    lines = [
        SCHEMA_LINE.format(schema).rstrip("\n"),
        f"# {scene}: a loss scene (reference: docs/spec-reference.md). Edit, then run",
        "#   loss-scenes watch THIS_FILE    (a preview on every save)",
        f"scene: {scene}  # CamelCase; names the video files",
        f'title: "{scene}"  # on-screen title',
        *_loss_lines(loss),
        "curves:",
        "  x_range: [-5, 5]  # residual axis, also where the density is normalised",
        "  show: [loss, density, derivative]  # which curves, in drawing order",
        "  # colors: {loss: BLUE}  # default: the palette's; Manim names, palette roles, #rrggbb",
        "observations:  # exactly one of values / sample",
        "  values: [-1.8, -0.6, -0.2, 0.1, 0.4, 0.9, 1.3, 6.0]",
        "  # sample: {n: 9, seed: 3, dist: normal, loc: 0.0, scale: 1.0, outliers: [7.5]}",
        "estimate:",
        "  start: -4.0  # theta_0; leave out for a point left of all observations",
        "  steps: 100  # descent iterations animated",
        "  target: auto  # auto | mean | median | huber",
        "narration:  # one caption per beat, also written as subtitles",
        '  loss: "The blue curve is the loss."',
        '  density: "Green is its density, e to the minus loss, normalised."',
        '  derivative: "Red is its derivative, computed by autodiff."',
        '  estimate: "Each observation pulls the estimate by its gradient."',
        "timing:  # seconds",
        "  intro: 1.5",
        "  curve: 2.0",
        "  data: 1.5",
        "  estimate: 6.0",
        "  hold: 2.0",
    ]
    return "\n".join(lines) + "\n"


def _spec_named(folder: Path, name: str) -> tuple[Path, str] | None:
    """The spec in ``folder`` whose scene or lecture name is ``name`` (but for case), and that
    name; None if there is none.
    """
    for spec in sorted(folder.glob("*.yaml")):
        if not spec.is_file():
            continue  # a pipe would be waited on for ever
        try:
            data = load_yaml_file(spec).data
        except (SpecError, OSError):
            continue  # not a spec this command needs to read
        if not isinstance(data, dict):
            continue
        for key in ("scene", "lecture"):
            each = data.get(key)
            if isinstance(each, str) and name_key(each) == name_key(name):
                return spec, each
    return None


def schema_reference(folder: Path) -> tuple[str, dict[Path, str]]:
    """The ``$schema`` reference for a new spec in ``folder``, and the schema file to create.

    A spec in ``folder`` whose ``$schema`` names a JSON Schema file (:func:`_is_schema_inside`)
    shows what the folder uses: the new spec says the same. Otherwise the schema goes next to
    the specs, as ``loss-scenes init`` puts it, copied from the package when it is not there.
    """
    from scenes.package_data import SCHEMA_NAME, packaged_schema_text

    for spec in sorted(folder.glob("*.yaml")):
        try:
            with spec.open(encoding="utf-8") as handle:
                first = handle.readline()
        except (OSError, UnicodeDecodeError):
            continue
        match = SCHEMA_PATTERN.match(first)
        if match and _is_schema_inside(match[1], folder, SCHEMA_NAME):
            return match[1], {}
    if (folder / SCHEMA_NAME).is_file():
        return SCHEMA_NAME, {}
    return SCHEMA_NAME, {folder / SCHEMA_NAME: packaged_schema_text()}


def _is_schema_inside(reference: str, folder: Path, schema_name: str) -> bool:
    """Whether a neighbour's ``$schema`` may be followed: a relative path to an existing file
    named like the package's schema that holds a JSON object (symbolic links resolved).

    Anything else (``../../notes.txt``, ``/etc/passwd``) would be copied into the new spec and
    named in "``loss-scenes schema > THAT_PATH`` updates it", which overwrites it. A schema file
    outside the folder is fine (this repository's ``config/`` names ``../assets/schema/``):
    overwriting a schema file with this version's is what the note asks for.
    """
    import json

    if "://" in reference or Path(reference).is_absolute() or Path(reference).name != schema_name:
        return False
    target = (folder / reference).resolve()
    if not target.is_file() or target.name != schema_name:
        return False
    try:
        schema = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    # A JSON object: this version's schema, or an older one that the note below names.
    return isinstance(schema, dict)


def _note_if_stale(schema: Path) -> None:
    """Say so when the schema the folder uses is not this version's (editors would be wrong)."""
    from scenes.package_data import packaged_schema_text

    try:
        current = schema.read_text(encoding="utf-8") == packaged_schema_text()
    except (OSError, UnicodeDecodeError):
        current = False
    if not current:
        print(
            f"note: {schema} is not the schema of this loss-scenes version; "
            f"`loss-scenes schema > {schema}` updates it",
            file=sys.stderr,
        )


def run(args: argparse.Namespace) -> int:
    from scenes.compute.resolve import parse_resolved
    from scenes.files import create_new_files

    raw = args.name[:-5] if args.name.endswith(".yaml") else args.name
    if not NAME.fullmatch(raw) or len(raw) > MAX_NAME:
        # An empty name wrote a hidden ".yaml"; other characters would vanish from the scene name.
        raise UsageError(
            f"{args.name!r} cannot name a scene: use up to {MAX_NAME} letters, digits, _ or -, "
            "starting with a letter (for example my_huber or MyHuber)"
        )
    folder = output_folder(args.dir or (Path("config") if Path("config").is_dir() else Path(".")))
    stem = file_stem(raw)
    target = folder / f"{stem}.yaml"
    if target.exists():
        raise UsageError(f"{target} exists; not overwriting it")
    # A CamelCase NAME is the scene name as written (ABC stays ABC, not Abc).
    name = raw if re.fullmatch(CAMEL_CASE, raw) else scene_name(stem)
    used = _spec_named(folder, name)
    if used is not None:
        # my-huber.yaml beside my_huber.yaml: two scenes MyHuber, one video (and class) name.
        spec, existing = used
        raise UsageError(
            f"the scene name {name!r} is already used by {spec}{case_clash(name, existing)}; "
            "choose another NAME"
        )
    reference, schema_files = schema_reference(folder)
    text = starter_spec(name, args.loss, reference)
    try:
        parse_resolved(text, str(target))
    except SpecError as error:  # a bug here, not the user's: say so plainly
        raise InternalError(f"starter spec invalid:\n{error}") from None
    try:
        create_new_files({**schema_files, target: text})
    except FileExistsError as error:
        raise UsageError(f"{error.filename} exists; not overwriting it") from None
    for path in schema_files:
        print(f"wrote the JSON Schema {path}", file=sys.stderr)
    if not schema_files:
        _note_if_stale(folder / reference)
    print(target)
    return 0
