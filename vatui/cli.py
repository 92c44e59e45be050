"""The ``vatui`` command: argument parsing and dispatch.

The commands that scripts call (``status``, ``set``, ``init``, ``dump``, ``export``) import no
Textual: it is loaded only when a command opens the TUI, so scripts start fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version

from vatui import commands
from vatui.output import fail_on_errors

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def _version() -> str:
    try:
        return version("vatui")
    except PackageNotFoundError:  # running from a checkout that was not installed
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vatui",
        description="Keep, review and export the metrics of Virtual Access installations.",
        epilog="Run `vatui demo` to try it on the iMagine D5.2 data. "
        "`vatui COMMAND --help` tells more about each command.",
    )
    parser.add_argument("--version", action="version", version=f"vatui {_version()}")
    _store_options(parser)
    parser.set_defaults(run=commands.tui)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    demo = sub.add_parser("demo", help="open the TUI on a fresh copy of the D5.2 demo data")
    _store_options(demo, db=False)
    demo.set_defaults(run=commands.demo)

    init = sub.add_parser("init", help="create a store: empty, the demo data, or a project file")
    _store_options(init, identity=False)
    source = init.add_mutually_exclusive_group(required=True)
    source.add_argument("--demo", action="store_true", help="the iMagine D5.2 demo project")
    source.add_argument("--from", dest="source", metavar="FILE", help="a project file (TOML)")
    init.add_argument("--force", action="store_true", help="replace an existing store")
    init.set_defaults(run=commands.init)

    status = sub.add_parser("status", help="installations and metrics with their lights")
    _store_options(status, identity=False)
    _period_option(status)
    status.add_argument("--installation", action="append", metavar="ID", help="only these")
    status.add_argument("--json", action="store_true", help="one JSON object per metric row")
    status.set_defaults(run=commands.status)

    set_ = sub.add_parser("set", help="write one metric value (for scripts and pipelines)")
    _store_options(set_)
    set_.add_argument("--installation", required=True, metavar="ID", help="e.g. uc5")
    set_.add_argument("--metric", required=True, metavar="NAME", help="its name or short id")
    set_.add_argument("--period", required=True, metavar="P", help="e.g. M25-M36")
    set_.add_argument("value", metavar="VALUE", help="a number, a list of countries, or text")
    set_.add_argument("--note", metavar="TEXT", help="a note kept with the value")
    set_.set_defaults(run=commands.set_value)

    dump = sub.add_parser("dump", help="write the store as a project file (TOML)")
    _store_options(dump, identity=False)
    dump.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    dump.set_defaults(run=commands.dump)

    history = sub.add_parser("history", help="recorded changes, newest first")
    _store_options(history, identity=False)
    history.add_argument("--installation", metavar="ID", help="only this installation")
    history.add_argument("--since", metavar="DATE", help="only changes from this date (YYYY-MM-DD)")
    history.add_argument("--limit", type=int, default=200, metavar="N", help="at most N (200)")
    history.add_argument("--json", action="store_true", help="one JSON object per change")
    history.set_defaults(run=commands.history)

    revert = sub.add_parser("revert", help="write back the old value of a recorded change")
    _store_options(revert)
    revert.add_argument("change", type=int, metavar="CHANGE", help="its number in `vatui history`")
    revert.set_defaults(run=commands.revert)

    backup = sub.add_parser("backup", help="copy the store safely, even while it is in use")
    _store_options(backup, identity=False)
    backup.add_argument("destination", metavar="DEST", help="a file or a folder")
    backup.add_argument("--force", action="store_true", help="replace an existing file")
    backup.set_defaults(run=commands.backup)

    return parser


def _store_options(
    parser: argparse.ArgumentParser, *, db: bool = True, identity: bool = True
) -> None:
    if db:
        parser.add_argument(
            "--db",
            metavar="PATH",
            default=argparse.SUPPRESS,
            help="the store (default: $VATUI_DB, else vatui.db in your user data folder)",
        )
    if identity:
        parser.add_argument(
            "--as",
            dest="actor",
            metavar="ORG",
            default=argparse.SUPPRESS,
            help="the organisation you work for (default: $VATUI_AS)",
        )


def _period_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--period", metavar="P", help="e.g. M13-M24 (default: the latest period with values)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.db = getattr(args, "db", None) or os.environ.get("VATUI_DB") or None
    args.actor = getattr(args, "actor", None) or os.environ.get("VATUI_AS") or None
    with fail_on_errors() as outcome:
        outcome.code = args.run(args)
    return outcome.code


if __name__ == "__main__":
    sys.exit(main())
