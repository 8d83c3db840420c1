"""One place maps an error to its message and exit code; the options several commands share read
the same everywhere.

Exit codes are spec section 6's: 0 success, 2 invalid input, 1 anything else, 130 interrupted
(143 terminated). The commands run in this process with their ``run`` replaced by one that raises,
so every error class is checked without making it happen for real (a cluster of another version,
a machine without Chromium): the subprocess tests of each command check that they are raised.
"""

import argparse

import pytest

from scenes import cli
from scenes.cli import schema
from scenes.cli._common import UsageError
from scenes.errors import InternalError, LossScenesError
from scenes.interrupt import Terminated
from scenes.options import QUALITIES
from scenes.production.cluster import ClusterError
from scenes.site.build import ExportError
from scenes.site.pages import MissingAssets
from scenes.site.printing import PrintError
from scenes.spec import Problem, SpecError
from scenes.speech import SpeechError


@pytest.mark.parametrize(
    ("error", "code", "stderr"),
    [
        (SpecError([Problem("a.yaml", 3, 7, "bad")]), 2, "a.yaml:3:7: error: bad\n"),
        (UsageError("out: a file"), 2, "loss-scenes: error: out: a file\n"),
        (ExportError("not a site"), 2, "loss-scenes: error: not a site\n"),
        (ClusterError("no workers"), 1, "loss-scenes: error: no workers\n"),
        (PrintError("no browser"), 1, "loss-scenes: error: no browser\n"),
        (InternalError("starter"), 1, "loss-scenes: internal error: starter\n"),
        (
            ValueError("odd"),
            1,
            "loss-scenes: error: odd (ValueError; set LOSS_SCENES_TRACEBACK=1 for details)\n",
        ),
        # The machine's failures keep the line of an unexpected error: type and traceback hint.
        (
            SpeechError("install espeak-ng"),
            1,
            "loss-scenes: error: install espeak-ng (SpeechError; set LOSS_SCENES_TRACEBACK=1 "
            "for details)\n",
        ),
        (
            MissingAssets("reinstall"),
            1,
            "loss-scenes: error: reinstall (MissingAssets; set LOSS_SCENES_TRACEBACK=1 for "
            "details)\n",
        ),
        (KeyboardInterrupt(), 130, "loss-scenes: interrupted\n"),
        (Terminated(), 143, "loss-scenes: terminated\n"),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, BaseException) else None,
)
def test_an_error_becomes_its_exit_code_and_one_message(monkeypatch, capsys, error, code, stderr):
    def fail(args: argparse.Namespace) -> int:
        raise error

    monkeypatch.delenv("LOSS_SCENES_TRACEBACK", raising=False)
    monkeypatch.setattr(schema, "run", fail)
    assert cli.main(["schema"]) == code
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", stderr)


def test_errors_a_user_meets_share_the_base_class():
    # A caller of the Python API can catch them all at once, as the command line does.
    for error in (
        SpecError,
        UsageError,
        ExportError,
        ClusterError,
        PrintError,
        InternalError,
        SpeechError,
        MissingAssets,
    ):
        assert issubclass(error, LossScenesError)
    # An interrupt must never be one: `except Exception` (a watcher outliving a failed render)
    # would swallow Ctrl-C.
    assert not issubclass(Terminated, Exception)


@pytest.mark.parametrize("error", [SpeechError("no voice"), MissingAssets("no template")])
def test_the_machines_errors_show_their_traceback_when_asked(monkeypatch, error):
    # As for an error the command line did not expect: LOSS_SCENES_TRACEBACK=1 lets it through.
    def fail(args: argparse.Namespace) -> int:
        raise error

    monkeypatch.setenv("LOSS_SCENES_TRACEBACK", "1")
    monkeypatch.setattr(schema, "run", fail)
    with pytest.raises(type(error)):
        cli.main(["schema"])


def _command(name: str) -> argparse.ArgumentParser:
    subcommands = next(
        action
        for action in cli.build_parser()._actions
        if isinstance(action, argparse._SubParsersAction)
    )
    return subcommands.choices[name]


def _option(command: str, flag: str) -> argparse.Action:
    return _command(command)._option_string_actions[flag]


@pytest.mark.parametrize(
    ("flag", "commands"),
    [
        ("--quality", ("render", "export", "watch")),
        ("--output", ("render", "export", "watch")),
        ("--jobs", ("render", "export")),
        ("--cluster", ("render", "export")),
    ],
)
def test_shared_options_are_declared_alike(flag, commands):
    actions = [_option(command, flag) for command in commands]
    assert len({tuple(action.option_strings) for action in actions}) == 1
    assert len({action.metavar for action in actions}) == 1
    assert len({action.type for action in actions}) == 1
    if flag == "--quality":
        assert all(action.choices == tuple(QUALITIES) for action in actions)
        # Only what the default is differs from command to command.
        assert len({action.help.partition("default:")[0] for action in actions}) == 1
    elif flag in ("--jobs", "--cluster"):
        assert len({action.help for action in actions}) == 1


def test_help_lists_the_shared_options():
    for command, flags in (
        ("render", ("-q", "--quality", "-o", "--output", "-j", "--jobs", "--cluster")),
        ("export", ("-q", "--quality", "-o", "--output", "-j", "--jobs", "--cluster")),
        ("watch", ("-q", "--quality", "-o", "--output")),
    ):
        words = _command(command).format_help().replace(",", " ").split()
        assert set(flags) <= set(words), command
