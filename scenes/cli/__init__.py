"""The ``loss-scenes`` command: one module per subcommand, this one only wires them.

Exit codes (spec section 6): 0 success, 2 invalid input, 1 anything else, 130 interrupted. Each
error carries its own (:mod:`scenes.errors`); :func:`main` is the one place that turns an error
into its message and exit code.
"""

import argparse
import os
import sys
from collections.abc import Sequence

from scenes import interrupt
from scenes.cli import (
    check,
    compute,
    export,
    init,
    new,
    record,
    render,
    schema,
    script,
    takes,
    translate,
    watch,
)
from scenes.errors import (
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_TERMINATED,
    LossScenesError,
    show_warnings_on_one_line,
    unexpected_report,
)
from scenes.options import FORMATS

COMMANDS = {
    "render": render,
    "check": check,
    "compute": compute,
    "export": export,
    "watch": watch,
    "schema": schema,
    "script": script,
    "new": new,
    "init": init,
    "record": record,
    "takes": takes,
    "translate": translate,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="loss-scenes",
        description="Turn YAML scene specs into Manim lecture videos about loss functions.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module in COMMANDS.items():
        sub = commands.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("loss-scenes")
    except PackageNotFoundError:
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (also used by ``python -m scenes``)."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        hint = ""
        if any(word.lower() in FORMATS for word in extra):
            hint = " (to ask for several formats, write --format gif,webm or repeat --format)"
        parser.error(f"unrecognized arguments: {' '.join(extra)}{hint}")
    try:
        return args.run(args)
    except LossScenesError as error:
        if error.traceback_hint and os.environ.get("LOSS_SCENES_TRACEBACK"):
            raise
        print(error.report(), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt as stop:
        interrupt.settle()
        terminated = isinstance(stop, interrupt.Terminated)
        print(f"loss-scenes: {'terminated' if terminated else 'interrupted'}", file=sys.stderr)
        return EXIT_TERMINATED if terminated else EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`| head`); point stdout at nothing so the interpreter's final
        # flush does not print a second error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FAILURE
    except Exception as error:  # noqa: BLE001 - the promise is one line, never a traceback
        if os.environ.get("LOSS_SCENES_TRACEBACK"):
            raise
        print(unexpected_report(error), file=sys.stderr)
        return EXIT_FAILURE


def entry_point() -> None:
    interrupt.install()
    show_warnings_on_one_line()
    sys.exit(main())
