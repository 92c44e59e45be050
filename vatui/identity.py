"""Which organisation a session works for: what the user claims, then what the roster says.

The claim is ``--as``, else ``$VATUI_AS``, else the config's identity. The store's roster has the
last word (``store.roster.decide_identity``): on a shared host the OS login decides.
"""

from __future__ import annotations

import argparse
import os

from vatui.commands import open_store, store_path
from vatui.output import warn
from vatui.store import roster
from vatui.store.roster import Identity


def claimed(args: argparse.Namespace) -> tuple[str | None, str]:
    """(the organisation claimed, where the claim came from), (None, "") when nobody said."""
    sources = (
        ("--as", getattr(args, "actor", None)),
        ("VATUI_AS", os.environ.get("VATUI_AS")),
        ("the config's identity", args.config.identity),
    )
    return next(((value, source) for source, value in sources if value), (None, ""))


def session_identity(args: argparse.Namespace) -> Identity:
    """Who this command works for, from the claim and the roster of the store it will use.

    A command without a store option (``demo`` makes a fresh store) or a store that does not
    exist yet has no roster: the claim decides. A claim the roster overrides is warned about.
    """
    claim, source = claimed(args)
    if not getattr(args, "roster_decides", False) or not store_path(args).exists():
        return roster.decide_identity([], roster.os_login(), claim, source)
    with open_store(args) as store:
        identity = store.identity(roster.os_login(), claim, source)
    if identity.ignored:
        warn(f"{source} {identity.ignored} ignored: {identity.reason}")
    return identity
