"""Who is working, and what they may do, as the milestones, set-up and export screens see it.

A provider who presses "edit" on a leader's record should learn at once why not, in the store's
own words, rather than after typing a whole form that is then refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen
from vatui.screens.session import JUST_LOOKING
from vatui.store import PermissionDenied, Store


def leader_refusal(store: Store, actor: str | None, action: str) -> str | None:
    """Why ``actor`` may not ``action`` (the store's refusal), or None when they may."""
    if not actor:
        return JUST_LOOKING
    if store.read_only:
        return f"the store at {store.path} is read-only here; nothing can be changed"
    try:
        store.require_leader(actor, action)
    except PermissionDenied as refusal:
        return str(refusal)
    return None


def follow_session(screen: Screen[Any], changed: Callable[[str, str | None], None]) -> None:
    """Inside vatui's App, call ``changed(period, identity)`` whenever the user changes either.

    A screen is given its period and actor when it is made, so that it can be tested alone;
    in the App (which has ``period`` and ``identity``) it then follows the App's.
    """
    app = screen.app
    if not (hasattr(app, "period") and hasattr(app, "identity")):
        return

    def update() -> None:
        changed(app.period, app.identity)

    screen.watch(app, "period", update, init=False)
    screen.watch(app, "identity", update, init=False)
