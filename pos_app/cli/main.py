"""The `pos-app` command line: the till window by default, and headless commands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from pos_app.cli.pack_commands import add_pack_commands, run_pack_command
from pos_app.cli.shift_commands import add_shift_commands, run_shift_command
from pos_app.cli.sync_commands import add_sync_commands, run_sync_command
from pos_app.cli.till_commands import (
    add_persist_option,
    add_till_commands,
    data_dir_of,
    persisted_scenarios,
    run_till_command,
)
from pos_app.scenario.command import check_files, run_files
from pos_app.store.till_file import TillFileError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pos-app", description="Offline-first POS till")
    parser.add_argument("--data-dir", help="the till's data directory (database, settings)")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="open the window, ring up and close a demo ticket, and exit 0"
        " (on a throwaway demo store unless --data-dir is given)",
    )
    parser.add_argument(
        "--kiosk",
        "--full-screen",
        dest="kiosk",
        action="store_true",
        help="kiosk mode: the till window frameless over the whole screen (with or without"
        " a window manager); display.json in the data directory can make it the default",
    )
    commands = parser.add_subparsers(dest="command")

    scenario = commands.add_parser("scenario", help="replay till scenario files")
    scenario_commands = scenario.add_subparsers(dest="scenario_command", required=True)
    for name, text in (
        ("run", "replay and print the results as JSON"),
        ("check", "replay and compare with the files' expectations"),
    ):
        sub = scenario_commands.add_parser(name, help=text)
        sub.add_argument("files", nargs="+", metavar="FILE")
        sub.add_argument(
            "--explain", action="store_true", help="show each line's adjustments (R13)"
        )
        add_persist_option(sub)
    add_till_commands(commands)
    add_shift_commands(commands)
    add_sync_commands(commands)
    add_pack_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``pos-app``; a database the till cannot use ends in one plain message naming
    the file and what to do (exit 3), never a traceback."""
    args = _parser().parse_args(argv)
    try:
        return _dispatch(args)
    except TillFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return DATABASE_PROBLEM


# The exit code of a command refused because of the till's database file.
DATABASE_PROBLEM = 3


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "scenario":
        if args.persist:
            return persisted_scenarios(
                data_dir_of(args),
                args.files,
                check=args.scenario_command == "check",
                explain=args.explain,
            )
        command = run_files if args.scenario_command == "run" else check_files
        return command(args.files, explain=args.explain)
    if args.command is None:
        return _till_window(args)
    till_result = run_till_command(args)
    if till_result is not None:
        return till_result
    shift_result = run_shift_command(args, data_dir_of(args))
    if shift_result is not None:
        return shift_result
    sync_result = run_sync_command(args, data_dir_of(args))
    if sync_result is not None:
        return sync_result
    pack_result = run_pack_command(args, data_dir_of(args))
    if pack_result is not None:
        return pack_result
    _parser().print_help()
    return 0


def _window_commands() -> ModuleType:
    """The commands that open a window. Imported only when one runs: the headless
    commands must work on a till or server without Qt's display libraries, where
    importing Qt fails (the one import inside a function, for that reason)."""
    from pos_app.cli import window

    return window


def _till_window(args: argparse.Namespace) -> int:
    """No sub-command: the till window (or its smoke check)."""
    window = _window_commands()
    if args.smoke:
        return int(window.run_smoke(Path(args.data_dir) if args.data_dir else None))
    return int(window.run_window(data_dir_of(args), kiosk=args.kiosk))


if __name__ == "__main__":
    sys.exit(main())
