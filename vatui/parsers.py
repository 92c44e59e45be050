"""The parts of ``vatui``'s argument parser that its commands share (the store and identity
options, ``--json``, ``--period``, importing a command's module only when it runs) and the
parsers of the command groups that keep ``vatui/cli.py`` short: the calendar, the roster and
the EOSC Accounting Service.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

Command = Callable[[argparse.Namespace], int]
if TYPE_CHECKING:  # argparse's class is generic only to type checkers
    Parsers = argparse._SubParsersAction[argparse.ArgumentParser]


def command(module: str, name: str) -> Command:
    """The function ``name`` of ``vatui.<module>``, imported when the command runs: a command
    loads what it needs and no more, so ``vatui status`` starts without TOML or renderers."""

    def run(args: argparse.Namespace) -> int:
        found: Command = getattr(importlib.import_module(f"vatui.{module}"), name)
        return found(args)

    return run


def accounting_parsers(sub: Parsers) -> None:
    """``accounting plan|push|pull``: the figures on the EOSC Accounting Service."""
    accounting = sub.add_parser(
        "accounting",
        help="report the figures to the EOSC Accounting Service (plan, push, pull)",
        description="The token comes from $VATUI_ACCOUNTING_TOKEN, or a client-credentials "
        "grant ($VATUI_ACCOUNTING_CLIENT_ID, $VATUI_ACCOUNTING_CLIENT_SECRET, "
        "$VATUI_ACCOUNTING_TOKEN_URL); never from the command line.",
    )
    actions = accounting.add_subparsers(title="actions", metavar="ACTION", required=True)
    helps = {
        "plan": "the requests a push would send, sending nothing",
        "push": "send the period's figures: add what is new, update what changed",
        "pull": "read the service's figures back and show where they differ (leader: --apply)",
    }
    for action, text in helps.items():
        step = actions.add_parser(action, help=text)
        store_options(step, identity=action != "plan")
        step.add_argument("--period", required=True, metavar="P", help="e.g. M13-M24")
        step.add_argument(
            "--installation", action="append", metavar="ID", help="only these (default: all)"
        )
        if action != "pull":
            step.add_argument(
                "--include-unaccepted",
                action="store_true",
                help="send figures the leader has not accepted yet too",
            )
        else:
            step.add_argument(
                "--apply", action="store_true", help="write the service's values (the leader)"
            )
        if action != "plan":
            step.add_argument(
                "--url",
                metavar="URL",
                help="the service (default: $VATUI_ACCOUNTING_URL, else the production API)",
            )
        json_option(step)
        step.set_defaults(run=command("accounting_commands", action))


def calendar_parsers(sub: Parsers) -> None:
    """``stage``, ``milestone``, ``period`` and ``project``: what was true when."""
    stage = sub.add_parser("stage", help="record an installation's deployment stage from a date")
    store_options(stage)
    stage.add_argument("--installation", required=True, metavar="ID", help="e.g. uc2")
    stage.add_argument(
        "stage", metavar="STAGE", help="in development, near-operational, operational"
    )
    stage.add_argument("--on", metavar="DATE", help="from this date, YYYY-MM-DD (default: today)")
    stage.add_argument(
        "--planned", metavar="DATE", help='the planned production date ("" clears it)'
    )
    stage.set_defaults(run=command("calendar_commands", "stage"))

    milestone = sub.add_parser("milestone", help="mark a milestone achieved (the leader)")
    milestone_sub = milestone.add_subparsers(title="actions", metavar="ACTION", required=True)
    achieve = milestone_sub.add_parser("achieve", help="mark it achieved on a date")
    store_options(achieve)
    achieve.add_argument("milestone", metavar="ID", help="e.g. M5.4")
    achieve.add_argument("--on", required=True, metavar="DATE", help="YYYY-MM-DD")
    achieve.set_defaults(run=command("calendar_commands", "achieve"))

    period = sub.add_parser("period", help="the reporting periods and their cut-off dates")
    period_sub = period.add_subparsers(title="actions", metavar="ACTION", required=True)
    listed = period_sub.add_parser("list", help="every period, its dates and what was issued")
    store_options(listed, identity=False)
    json_option(listed)
    listed.set_defaults(run=command("calendar_commands", "period_list"))
    add = period_sub.add_parser("add", help="add a reporting period (the leader)")
    store_options(add)
    add.add_argument("label", metavar="LABEL", help="e.g. M37-M48")
    add.add_argument("--cutoff", metavar="DATE", help="the date it is judged at (YYYY-MM-DD)")
    add.set_defaults(run=command("calendar_commands", "period_add"))
    cutoff = period_sub.add_parser("cutoff", help="set the date a period is judged at (leader)")
    store_options(cutoff)
    cutoff.add_argument("label", metavar="LABEL", help="e.g. M13-M24")
    cutoff.add_argument("date", metavar="DATE", help="YYYY-MM-DD, or default")
    cutoff.set_defaults(run=command("calendar_commands", "period_cutoff"))

    project = sub.add_parser("project", help="the project's name and light thresholds (leader)")
    project_sub = project.add_subparsers(title="actions", metavar="ACTION", required=True)
    rename = project_sub.add_parser("rename", help="give the project another name")
    store_options(rename)
    rename.add_argument("name", metavar="NAME")
    rename.set_defaults(run=command("calendar_commands", "project_rename"))
    thresholds = project_sub.add_parser(
        "thresholds", help="the shares of its target at which a metric turns green and amber"
    )
    store_options(thresholds)
    thresholds.add_argument("--green", type=float, metavar="SHARE", help="e.g. 1.0")
    thresholds.add_argument("--amber", type=float, metavar="SHARE", help="e.g. 0.5")
    thresholds.set_defaults(run=command("calendar_commands", "project_thresholds"))


def roster_parsers(sub: Parsers) -> None:
    roster = sub.add_parser(
        "roster",
        help="who is who on a shared host: OS logins and their organisations",
        description="On a shared host the leader lists each OS login with its organisation; "
        "from the first entry on, a login acts for its own organisation whatever it claims "
        "(see README.md, 'Who is who on a shared host').",
    )
    roster_sub = roster.add_subparsers(title="actions", metavar="ACTION", required=True)
    show = roster_sub.add_parser("show", help="the roster, and who you are here")
    store_options(show)
    json_option(show)
    show.set_defaults(run=command("roster_commands", "show"))
    set_ = roster_sub.add_parser("set", help="put a login on the roster (the leader only)")
    store_options(set_)
    set_.add_argument("login", metavar="LOGIN", help="an OS login name, as `whoami` prints it")
    set_.add_argument("organisation", metavar="ORG", help="the organisation it works for")
    set_.add_argument(
        "--role",
        metavar="R",
        help="provider, leader or viewer (read-only) (default: leader for the leader's "
        "organisation, else provider)",
    )
    set_.set_defaults(run=command("roster_commands", "set_entry"))
    remove = roster_sub.add_parser("remove", help="take a login off the roster (the leader only)")
    store_options(remove)
    remove.add_argument("login", metavar="LOGIN", help="the login to take off")
    remove.set_defaults(run=command("roster_commands", "remove_entry"))


def store_options(
    parser: argparse.ArgumentParser, *, db: bool = True, identity: bool = True
) -> None:
    if db:
        parser.add_argument(
            "--db",
            metavar="PATH",
            default=argparse.SUPPRESS,
            help="the store (default: $VATUI_DB, else db in `vatui config`, else vatui.db in "
            "your user data folder)",
        )
    if identity:
        parser.add_argument(
            "--as",
            dest="actor",
            metavar="ORG",
            default=argparse.SUPPRESS,
            help="the organisation you work for "
            "(default: $VATUI_AS, else identity in `vatui config`; "
            "on a shared host the store's roster decides)",
        )
    parser.set_defaults(roster_decides=db and identity)


def json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json", action="store_true", help="as JSON, typed, for scripts (docs/json.md)"
    )


def period_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--period", metavar="P", help="e.g. M13-M24 (default: the latest period with values)"
    )
