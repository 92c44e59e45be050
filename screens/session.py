"""What every screen needs to know: the store, the period shown and who is working.

The App holds these, the period and the identity as reactives that screens watch. Screens see
the App only through this protocol, so ``screens`` imports nothing from ``vatui``.
"""

from __future__ import annotations

from typing import Protocol, cast

from textual.app import App
from vatui.store import Store
from vatui.store.roster import Identity

JUST_LOOKING = (
    "you are just looking (read-only): choose who you are with ctrl+p, “Work as…”, "
    "or start vatui with --as ORG"
)


class Session(Protocol):
    store: Store
    period: str
    identity: str | None
    #: The roster's decision when it fixed who is working (nobody may pick another), else None.
    roster: Identity | None


def session_of(app: App[object]) -> Session:
    """The running App seen as a session (the App implements the protocol)."""
    return cast(Session, app)


def write_refusal(session: Session, installation: str, *, per_period: bool = False) -> str | None:
    """Why the identity may not change ``installation`` (with ``per_period``, its figures and
    texts for the period shown), in the store's words; None if it may.

    Shown before anyone tries, so that read-only parts say why they are read-only.
    """
    if session.identity is None:
        return JUST_LOOKING
    if session.store.read_only:
        return f"the store at {session.store.path} is read-only here; nothing can be changed"
    period = session.period if per_period else None
    refusal = session.store.write_refusal(session.identity, installation, period)
    return str(refusal) if refusal else None


def writable_installations(session: Session, among: list[str]) -> set[str]:
    """The installations among ``among`` the identity may change: what the dashboard marks as
    theirs."""
    if session.identity is None or session.store.read_only:
        return set()
    return session.store.writable_installations(session.identity, among)
