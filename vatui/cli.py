"""The ``vatui`` command: argument parsing and dispatch.

The commands that scripts call (``status``, ``set``, ``init``, ``dump``, ``export``) import no
Textual: it is loaded only when a command opens the TUI, so scripts start fast. Each command's
module is imported when that command runs (``command``), and the version only when asked.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

from vatui import serve
from vatui.commands import store_path
from vatui.config import Config, load_config
from vatui.identity import session_identity
from vatui.output import fail, fail_on_errors, warn
from vatui.parsers import (
    accounting_parsers,
    calendar_parsers,
    command,
    json_option,
    period_option,
    roster_parsers,
    store_options,
)

#: The steps of a review, with what each does, for ``vatui review ACTION``.
REVIEW_ACTIONS = {
    "submit": "send your figures for the period to the leader for review",
    "withdraw": "take your submission back to change it (then submit again)",
    "accept": "accept the figures (leader); providers then need a reopen to change them",
    "return": "send the figures back with a comment saying what to check (leader)",
    "reopen": "let the providers change accepted figures again (leader)",
    "comment": "add a comment to the review thread without changing its state",
}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("vatui")
    except PackageNotFoundError:  # running from a checkout that was not installed
        return "unknown"


class _Version(argparse.Action):
    """``--version``, read from the package's metadata only when asked: reading it costs more
    than the rest of a ``vatui status``."""

    def __init__(self, option_strings: list[str], dest: str, **options: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show vatui's version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: Any) -> None:
        print(f"vatui {_version()}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vatui",
        description="Keep, review and export the metrics of Virtual Access installations.",
        epilog="Run `vatui demo` to try it on the iMagine D5.2 data. "
        "`vatui COMMAND --help` tells more about each command.",
    )
    parser.add_argument("--version", action=_Version, default=argparse.SUPPRESS)
    store_options(parser)
    parser.set_defaults(run=command("commands", "tui"))
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    demo = sub.add_parser("demo", help="open the TUI on a fresh copy of the D5.2 demo data")
    store_options(demo, db=False)
    demo.set_defaults(run=command("commands", "demo"))

    init = sub.add_parser("init", help="create a store: empty, the demo data, or a project file")
    store_options(init, identity=False)
    source = init.add_mutually_exclusive_group(required=True)
    source.add_argument("--demo", action="store_true", help="the iMagine D5.2 demo project")
    source.add_argument("--from", dest="source", metavar="FILE", help="a project file (TOML)")
    init.add_argument("--force", action="store_true", help="replace an existing store")
    init.set_defaults(run=command("commands", "init"))

    status = sub.add_parser("status", help="installations and metrics with their lights")
    store_options(status, identity=False)
    period_option(status)
    status.add_argument("--installation", action="append", metavar="ID", help="only these")
    status.add_argument(
        "--json", action="store_true", help="one JSON object per metric row (docs/json.md)"
    )
    status.add_argument(
        "--format",
        metavar="table|json|csv|tsv",
        help="table, json, csv or tsv (default: table on a terminal, tsv into a pipe)",
    )
    status.set_defaults(run=command("commands", "status"))

    set_ = sub.add_parser("set", help="write one metric value (for scripts and pipelines)")
    store_options(set_)
    set_.add_argument("--installation", required=True, metavar="ID", help="e.g. uc5")
    set_.add_argument("--metric", required=True, metavar="NAME", help="its name or short id")
    set_.add_argument(
        "--site", metavar="SITE", help="the site, where the installation's sites share the name"
    )
    set_.add_argument("--period", required=True, metavar="P", help="e.g. M25-M36")
    set_.add_argument("value", metavar="VALUE", help="a number, a list of countries, or text")
    set_.add_argument("--note", metavar="TEXT", help="a note kept with the value")
    set_.set_defaults(run=command("commands", "set_value"))

    dump = sub.add_parser("dump", help="write the store as a project file (TOML)")
    store_options(dump, identity=False)
    dump.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    dump.set_defaults(run=command("commands", "dump"))

    submission = sub.add_parser(
        "submission", help="TOML files providers fill in offline and send back"
    )
    submission_sub = submission.add_subparsers(title="actions", metavar="ACTION", required=True)
    template = submission_sub.add_parser(
        "template",
        help="write the file a provider fills in (merged into FILE if it exists)",
        description="Write a submission file for an installation and period, holding the "
        "store's current values. Written onto an existing file, it is merged: the store's "
        "values replace the file's, your comments stay.",
    )
    store_options(template, identity=False)
    template.add_argument("--installation", required=True, metavar="ID", help="e.g. uc5")
    template.add_argument("--period", required=True, metavar="P", help="e.g. M25-M36")
    template.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    template.set_defaults(run=command("submission_commands", "template"))
    import_ = submission_sub.add_parser(
        "import",
        help="check a filled-in file and write its values, all or nothing",
        description="Check the whole file, show what would change (old -> new), then write it "
        "all in one go. Every problem is reported as FILE:LINE: message and nothing is written.",
    )
    store_options(import_)
    import_.add_argument("file", metavar="FILE", help="the filled-in submission file")
    import_.add_argument("--dry-run", action="store_true", help="show the changes, write nothing")
    import_.add_argument("--submit", action="store_true", help="then submit it for review")
    import_.add_argument(
        "--comment", metavar="TEXT", default="", help="with --submit: the submission's comment"
    )
    import_.set_defaults(run=command("submission_commands", "import_file"))

    review = sub.add_parser(
        "review", help="submit, withdraw, accept, return or reopen a period's figures"
    )
    review_sub = review.add_subparsers(title="actions", metavar="ACTION", required=True)
    for action, text in REVIEW_ACTIONS.items():
        step = review_sub.add_parser(action, help=text)
        store_options(step)
        step.add_argument("--installation", required=True, metavar="ID", help="e.g. uc5")
        step.add_argument("--period", required=True, metavar="P", help="e.g. M25-M36")
        step.add_argument("--comment", metavar="TEXT", default="", help="what and why")
        step.set_defaults(run=command("submission_commands", "review"), action=action)
    show = review_sub.add_parser(
        "show", help="the review thread of an installation, or every installation's state"
    )
    store_options(show, identity=False)
    show.add_argument("--installation", metavar="ID", help="its thread (default: all states)")
    show.add_argument("--period", required=True, metavar="P", help="e.g. M25-M36")
    json_option(show)
    show.set_defaults(run=command("submission_commands", "review_show"))

    config = sub.add_parser("config", help="your settings: identity, store, lights, theme")
    config.set_defaults(roster_decides=False)  # opens no store, so no roster decides
    config_sub = config.add_subparsers(title="actions", metavar="ACTION", required=True)
    config_sub.add_parser("path", help="where the config file is").set_defaults(
        run=command("submission_commands", "config_path")
    )
    config_show = config_sub.add_parser("show", help="every setting, its value and meaning")
    json_option(config_show)
    config_show.set_defaults(run=command("submission_commands", "config_show"))
    config_set = config_sub.add_parser(
        "set", help="change one setting, keeping the file's comments (empty VALUE: default)"
    )
    config_set.add_argument("key", metavar="KEY", help="identity, db, light_style, theme")
    config_set.add_argument("value", metavar="VALUE", help="the new value")
    config_set.set_defaults(run=command("submission_commands", "config_set"))

    export = sub.add_parser(
        "export", help="write the deliverable's chapter as markdown or a Word document"
    )
    store_options(export)
    period_option(export)
    export.add_argument(
        "--installation", action="append", metavar="ID", help="only this one (repeatable)"
    )
    export.add_argument(
        "--sections",
        metavar="LIST",
        help="comma-separated, from summary,installations,milestones,delays (default: all)",
    )
    export.add_argument("--heading-level", metavar="N", default="1", help="of the chapter (1-3)")
    export.add_argument(
        "--lights", metavar="STYLE", help="emoji, words or none (default: light_style in config)"
    )
    export.add_argument("--numbering", metavar="on|off", default="on", help="the 2.N numbers")
    export.add_argument("--stamp", action="store_true", help="print the export time up front")
    export.add_argument(
        "--final",
        action="store_true",
        help="issue the chapter (the leader): refused while any installation is not accepted; "
        "the bytes are kept in the store",
    )
    export.add_argument(
        "--issued", action="store_true", help="the chapter as issued for the period, unchanged"
    )
    export.add_argument(
        "--changes",
        action="store_true",
        help="the recorded changes since the period's chapter was issued that touch it",
    )
    export.add_argument("--json", action="store_true", help="with --changes: as JSON")
    export.add_argument(
        "--allow-html",
        action="store_true",
        help="keep the raw HTML in providers' texts (by default it is shown as text)",
    )
    export.add_argument(
        "--format",
        metavar="md|docx",
        help="markdown or a Word document (default: what -o FILE ends in, else md)",
    )
    export.add_argument(
        "-o", "--output", metavar="FILE", help="write here (.md or .docx) instead of stdout"
    )
    export.set_defaults(run=command("export_commands", "export"))

    metadata = sub.add_parser(
        "metadata",
        help="write Datasette's metadata for the store: what each table and column holds",
        description="The store is a plain SQLite file: `datasette wp5.db -m metadata.json` "
        "shows it with these descriptions (the views installation_metric_values and "
        "installation_providers read best).",
    )
    store_options(metadata, identity=False)
    metadata.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    metadata.set_defaults(run=command("commands", "metadata"))

    history = sub.add_parser("history", help="recorded changes, newest first")
    store_options(history, identity=False)
    history.add_argument("--installation", metavar="ID", help="only this installation")
    history.add_argument("--since", metavar="DATE", help="only changes from this date (YYYY-MM-DD)")
    history.add_argument("--limit", type=int, default=200, metavar="N", help="at most N (200)")
    json_option(history)
    history.set_defaults(run=command("commands", "history"))

    revert = sub.add_parser("revert", help="write back the old value of a recorded change")
    store_options(revert)
    revert.add_argument("change", type=int, metavar="CHANGE", help="its number in `vatui history`")
    revert.add_argument(
        "--force",
        action="store_true",
        help="revert even though the field has changed since (the newer value is overwritten)",
    )
    revert.set_defaults(run=command("commands", "revert"))

    check = sub.add_parser(
        "check",
        help="check the store after an incident: integrity, references, history against values",
    )
    store_options(check, identity=False)
    check.set_defaults(run=command("commands", "check"))

    backup = sub.add_parser("backup", help="copy the store safely, even while it is in use")
    store_options(backup, identity=False)
    backup.add_argument("destination", metavar="DEST", help="a file or a folder")
    backup.add_argument("--force", action="store_true", help="replace an existing file")
    backup.set_defaults(run=command("commands", "backup"))

    completion = sub.add_parser(
        "completion",
        help="the script that completes vatui's commands, options and ids in your shell",
        description='Print the completion script for SHELL: eval "$(vatui completion bash)" in '
        "~/.bashrc (zsh alike); vatui completion fish > ~/.config/fish/completions/vatui.fish",
    )
    completion.add_argument("shell", metavar="SHELL", help="bash, zsh or fish")
    completion.set_defaults(run=command("completion", "completion"), roster_decides=False)

    roster_parsers(sub)
    calendar_parsers(sub)
    _serve_parser(sub)
    accounting_parsers(sub)
    return parser


def _serve_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    served = sub.add_parser(
        "serve",
        help="the TUI in a web browser (textual-serve), one vatui per browser tab",
        description="Serve the TUI to web browsers. Each tab runs its own vatui on the store, "
        "as your OS login: the store's roster decides whom it works for. Binds to loopback "
        "(this machine only) unless --host says otherwise.",
    )
    store_options(served, identity=False)
    served.add_argument(
        "--host",
        default=serve.LOOPBACK,
        metavar="ADDRESS",
        help=f"the address to listen on (default: {serve.LOOPBACK}, this machine only)",
    )
    served.add_argument(
        "--port", default="8000", metavar="N", help="the port to listen on (default: 8000)"
    )
    # No --as: each tab's vatui is who VATUI_AS or the config says, unless the roster decides.
    served.set_defaults(run=command("serve", "serve"), roster_decides=True)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    refusal = _not_utf8(arguments)
    if refusal:
        fail(refusal)  # before argparse, which would echo the bytes back
        return 1
    parser = build_parser()
    if "_ARGCOMPLETE" in os.environ:  # the shell asks for completions: answer, and exit
        from vatui.completion import complete

        complete(parser)
    args = parser.parse_args(arguments)
    args.config = _load_config()
    args.db = getattr(args, "db", None) or os.environ.get("VATUI_DB") or args.config.db or None
    try:
        with fail_on_errors(lambda: store_path(args)) as outcome:
            args.identity = session_identity(args)
            args.actor = args.identity.actor
            outcome.code = args.run(args)
            sys.stdout.flush()
    except BrokenPipeError:
        return _reader_went_away()
    finally:
        if getattr(args, "store", None) is not None:
            args.store.close()
    return outcome.code


def _not_utf8(arguments: list[str]) -> str | None:
    """Why an argument cannot be taken when its bytes are not UTF-8 text, naming it (by the
    option it follows), or None. Text goes into the store and to other people's terminals."""
    for position, argument in enumerate(arguments):
        try:
            argument.encode("utf-8")
        except UnicodeEncodeError:
            before = arguments[position - 1] if position else ""
            which = before if before.startswith("-") else f"argument {position + 1}"
            shown = str(argument.encode("utf-8", "surrogateescape"))[2:-1]
            return (
                f"{which}: '{shown}' is not UTF-8 text; nothing was done. "
                "Write it in UTF-8 (or convert it, e.g. with iconv -t UTF-8)"
            )
    return None


def _reader_went_away() -> int:
    """``vatui status | head -1``: the reader closed the pipe. End quietly, as Unix tools do,
    and keep Python from complaining when it flushes stdout on the way out."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 141  # 128 + SIGPIPE, what the shell reports for a tool the pipe ended


def _load_config() -> Config:
    """The user's settings; a broken file is reported on stderr and the defaults are used."""
    config, warnings = load_config()
    for warning in warnings:
        warn(warning)
    return config


if __name__ == "__main__":
    sys.exit(main())
