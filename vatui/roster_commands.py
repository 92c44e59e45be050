"""``vatui roster``: the OS logins of a shared host and the organisations they work for.

The rules (who may change it, what a login may claim) are in ``store/roster.py``.
"""

from __future__ import annotations

import argparse

from vatui.commands import open_store, require_actor
from vatui.output import console, json_text, print_table, shown
from vatui.records import roster_record
from vatui.store import roster


def show(args: argparse.Namespace) -> int:
    """The roster, and whom this login works for here."""
    with open_store(args) as store:
        entries = store.roster()
    if args.json:
        print(json_text(roster_record(entries, roster.os_login(), args.identity)))
        return 0
    if entries:
        print_table(
            "Roster of this shared host",
            ("login", "organisation", "role"),
            [(entry.login, entry.organisation, entry.role) for entry in entries],
            fold=False,
        )
    else:
        console.print(
            "The roster is empty: this store is not shared, and `--as` (or VATUI_AS, or the "
            "config's identity) says who is working."
        )
    console.print(f"You, as login {shown(roster.os_login())!r}: {shown(args.identity.reason)}.")
    return 0


def set_entry(args: argparse.Namespace) -> int:
    actor = require_actor(args)
    with open_store(args) as store:
        was_shared = bool(store.roster())
        entry = store.set_roster_entry(
            actor,
            args.login,
            args.organisation,
            args.role,
            by_login=roster.os_login(),
            source="vatui roster set",
        )
    console.print(f"{shown(entry.login)} works for {shown(entry.organisation)} ({entry.role}).")
    if not was_shared:
        console.print(
            "The roster is in use from now on: on this store each OS login acts for the "
            "organisation the roster gives it, whatever --as says; logins not on it only read."
        )
    return 0


def remove_entry(args: argparse.Namespace) -> int:
    actor = require_actor(args)
    with open_store(args) as store:
        store.remove_roster_entry(
            actor, args.login, by_login=roster.os_login(), source="vatui roster remove"
        )
        shared = bool(store.roster())
    console.print(f"{shown(args.login)} is off the roster.")
    if not shared:
        console.print("The roster is empty: `--as` says who is working again.")
    return 0
