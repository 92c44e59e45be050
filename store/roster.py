"""Who is who on a shared host: the roster of OS logins and the rule that picks a session's
organisation.

On a machine of one's own, whoever runs vatui says who they are (``--as``, ``VATUI_AS``, the
config's identity) and is believed: the store's permission checks then guard against mistakes,
not against lies. On a shared host, where several providers use one store, the leader fills
the roster (login name -> organisation and role) and from then on the OS login decides: a
provider's login acts for its own organisation whatever it claims, a viewer's login and a login
the roster does not know only read. The leader's login may still act as any organisation: the
leader can change the roster anyway, so refusing would protect nothing.

``decide_identity`` is the rule, a pure function, so that the CLI, ``vatui serve`` and the TUI
cannot disagree. The roster does not stop anyone who can write the store file directly (with
``sqlite3``, or a vatui of their own): see "Who is who on a shared host" in README.md.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vatui.store.errors import InvalidValue, NotFound, PermissionDenied
from vatui.store.sql import upsert

if TYPE_CHECKING:
    from vatui.store.access import Access

PROVIDER, LEADER, VIEWER = "provider", "leader", "viewer"
ROLES: tuple[str, ...] = (PROVIDER, LEADER, VIEWER)
MAX_LOGIN = 64


@dataclass(frozen=True)
class RosterEntry:
    """One login of the shared host: the organisation it works for and what it may do."""

    login: str
    organisation: str
    role: str


@dataclass(frozen=True)
class Identity:
    """Who a session works for, and why.

    ``actor`` is the organisation (None: read-only). ``locked`` is True when the roster decided
    it: the session may not pick another organisation. ``ignored`` is a claim the roster
    overrode, so the user can be told rather than silently corrected.
    """

    actor: str | None
    locked: bool
    reason: str
    ignored: str | None = None


def os_login() -> str:
    """The login name the operating system runs this process as.

    On POSIX it is read from the process's user id, not from ``$USER`` or ``$LOGNAME`` as
    ``getpass.getuser()`` does first: anyone can set an environment variable, nobody can
    change their user id.
    """
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):
        return getpass.getuser()


def decide_identity(
    roster: Sequence[RosterEntry],
    login: str,
    claim: str | None,
    claimed_by: str = "--as",
) -> Identity:
    """The organisation a session of ``login`` works for, given what it claims.

    An empty roster means a machine of one's own: the claim decides (None: nobody said).
    Otherwise the roster decides from the login; only the leader's logins may claim.
    """
    if not roster:
        said = f"{claimed_by} says {claim}" if claim else "nobody said who is working"
        return Identity(claim, False, f"no roster in this store: {said}")
    entry = next((item for item in roster if item.login == login), None)
    if entry is None:
        return Identity(
            None,
            True,
            f"your login {login!r} is not in this store's roster, so you may only read; "
            f"the leader adds it with `vatui roster set {login} ORGANISATION`",
            _ignored(claim, None),
        )
    if entry.role == LEADER:
        actor = claim or entry.organisation
        return Identity(
            actor,
            False,
            f"login {login!r} is the leader's ({entry.organisation}) in the roster, "
            f"so it may act for any organisation; here for {actor}",
        )
    if entry.role == VIEWER:
        return Identity(
            None,
            True,
            f"login {login!r} is a viewer for {entry.organisation} in the roster: read-only",
            _ignored(claim, None),
        )
    return Identity(
        entry.organisation,
        True,
        f"login {login!r} works for {entry.organisation} (the store's roster)",
        _ignored(claim, entry.organisation),
    )


def _ignored(claim: str | None, actor: str | None) -> str | None:
    if not claim or (actor is not None and claim.strip().lower() == actor.lower()):
        return None
    return claim


# ---- the roster table (the Store's methods call these) ------------------------------------------


def entries(store: Access) -> list[RosterEntry]:
    """The roster, by login."""
    return [
        RosterEntry(row["login"], row["organisation"], row["role"])
        for row in store.db.table("roster").rows_where(order_by="login")
    ]


def set_entry(
    store: Access,
    actor: str,
    login: str,
    organisation: str,
    role: str | None,
    *,
    by_login: str,
    source: str = "",
) -> RosterEntry:
    """Add a login to the roster or change its organisation or role (the leader only).

    ``role`` None means leader for the leader's organisation, provider for any other.
    ``by_login`` is the login making the change; it must stay a leader's login afterwards, so
    that nobody locks the leader out of the roster.
    """
    name = store.require_leader(actor, "change the roster")
    login = _checked_login(login)
    new = RosterEntry(login, *_checked_role(store, organisation, role))
    current = {item.login: item for item in entries(store)}
    old = current.get(login)
    if old == new:
        return new
    _refuse_lockout(name, by_login, current, {**current, login: new})
    with store.transaction():
        row = {"login": new.login, "organisation": new.organisation, "role": new.role}
        upsert(store.conn, "roster", row, ("login",))
        changes = {
            field: (getattr(old, field) if old else None, getattr(new, field))
            for field in ("organisation", "role")
            if old is None or getattr(old, field) != getattr(new, field)
        }
        store.record_change(name, "roster", login, None, changes, source)
    return new


def remove_entry(store: Access, actor: str, login: str, *, by_login: str, source: str = "") -> None:
    """Take a login off the roster (the leader only); the history keeps what it was."""
    name = store.require_leader(actor, "change the roster")
    current = {item.login: item for item in entries(store)}
    old = current.pop(login, None)
    if old is None:
        raise NotFound("login in the roster", login, list(current))
    _refuse_lockout(name, by_login, {**current, login: old}, current)
    with store.transaction():
        store.db.table("roster").delete(login)
        changes = {"organisation": (old.organisation, None), "role": (old.role, None)}
        store.record_change(name, "roster", login, None, changes, source)


def _checked_login(login: str) -> str:
    if (
        not login
        or len(login) > MAX_LOGIN
        or any(ch.isspace() or not ch.isprintable() for ch in login)
    ):
        raise InvalidValue(
            "login",
            login,
            f"an OS login name as `whoami` prints it: no spaces, at most {MAX_LOGIN} characters",
        )
    return login


def _checked_role(store: Access, organisation: str, role: str | None) -> tuple[str, str]:
    """(organisation as the project spells it, role), refused when the two do not fit."""
    leader = store.project().leader
    if role is not None and role not in ROLES:
        raise InvalidValue("role", role, f"one of: {', '.join(ROLES)}")
    if role == VIEWER:
        if not organisation.strip():
            raise InvalidValue("organisation", organisation, "the organisation the viewer is from")
        return _known(store, organisation) or organisation.strip(), VIEWER
    known = _known(store, organisation)
    if known is None:
        raise InvalidValue(
            "organisation",
            organisation,
            f"an organisation of this project ({', '.join(store.organisations())}); "
            "use --role viewer for someone from outside",
        )
    is_leader = known == leader
    if role is None:
        return known, LEADER if is_leader else PROVIDER
    if (role == LEADER) != is_leader:
        accepted = (
            f"{leader} (the project leader) for --role leader"
            if role == LEADER
            else f"a provider for --role provider; {leader} is the leader: use --role leader"
        )
        raise InvalidValue("organisation", organisation, accepted)
    return known, role


def _known(store: Access, organisation: str) -> str | None:
    wanted = organisation.strip().lower()
    return next((name for name in store.organisations() if name.lower() == wanted), None)


def _refuse_lockout(
    actor: str,
    by_login: str,
    before: dict[str, RosterEntry],
    after: dict[str, RosterEntry],
) -> None:
    """Refuse a roster change by a login that is not a leader's, before or after the change.

    Before: once the roster is in use, only a leader's login may change it. After: nobody locks
    the leader out, so the login making the change must still be a leader's; an empty roster is
    allowed, it means the store is no longer shared.
    """
    if before and not _is_leader_login(before, by_login):
        raise PermissionDenied(
            actor,
            "change the roster",
            f"your login {by_login!r} is not a leader's login in the roster; "
            "ask the leader to make the change",
        )
    if after and not _is_leader_login(after, by_login):
        raise PermissionDenied(
            actor,
            "change the roster that way",
            f"your login {by_login!r} would not be a leader's login in it, and only a leader's "
            f"login may change the roster; add yourself first: "
            f"`vatui roster set {by_login} {actor}`",
        )


def _is_leader_login(roster: dict[str, RosterEntry], login: str) -> bool:
    entry = roster.get(login)
    return entry is not None and entry.role == LEADER
