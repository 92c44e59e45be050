"""The review of an installation's figures for a period, between its providers and the leader.

An installation-period starts as ``draft``. Its providers submit it; the leader accepts it, or
returns it with a comment saying what to check; the leader may reopen an accepted one. Anyone
who may write the installation may add a comment at any time. Every step is one row of the
``reviews`` table, never changed: the thread is the record of who said what, and when.

While an installation-period is accepted, its providers may not change its figures or texts
(the leader still may): they ask the leader to reopen it.

This module holds the workflow and reads the threads; who may take a step is decided in
``store/access.py`` and a step is written by ``Store.review`` (``store/edits.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vatui.store.models import Installation
    from vatui.store.reads import Reads

DRAFT, SUBMITTED, ACCEPTED, RETURNED = "draft", "submitted", "accepted", "returned"
STATES: tuple[str, ...] = (DRAFT, SUBMITTED, ACCEPTED, RETURNED)


@dataclass(frozen=True)
class ReviewEntry:
    """One step of a review thread: what was done, the state it left, by whom, when, and why."""

    id: int
    installation: str
    period: str
    action: str
    state: str
    actor: str
    at: str
    comment: str = ""


@dataclass(frozen=True)
class Rule:
    """Who may take an action, from which states, and the state it leads to."""

    by: str  # "provider" (the installation's providers) or "leader" or "either"
    from_states: tuple[str, ...]
    to: str | None  # None keeps the state (a comment)
    needs_comment: bool = False
    verb: str = ""


RULES: dict[str, Rule] = {
    "submit": Rule("provider", (DRAFT, RETURNED), SUBMITTED, verb="submit"),
    "accept": Rule("leader", (SUBMITTED,), ACCEPTED, verb="accept"),
    "return": Rule("leader", (SUBMITTED,), RETURNED, needs_comment=True, verb="return"),
    "reopen": Rule("leader", (ACCEPTED,), DRAFT, verb="reopen"),
    "comment": Rule("either", STATES, None, needs_comment=True, verb="comment on"),
}


def entry(row: dict[str, Any]) -> ReviewEntry:
    return ReviewEntry(**row)


def thread(store: Reads, installation: str, period: str) -> list[ReviewEntry]:
    rows = store.db.table("reviews").rows_where(
        "installation = ? and period = ?", [installation, period], order_by="id"
    )
    return [entry(row) for row in rows]


def states(store: Reads, period: str) -> dict[str, str]:
    """Each installation's state for the period, ``draft`` where nothing happened yet."""
    latest = {
        row["installation"]: row["state"]
        for row in store.db.query(
            "select installation, state from reviews where id in "
            "(select max(id) from reviews where period = ? group by installation)",
            [period],
        )
    }
    return {item.id: latest.get(item.id, DRAFT) for item in store.installations()}


def state(store: Reads, installation: str, period: str) -> str:
    row = next(
        store.db.query(
            "select state from reviews where installation = ? and period = ? "
            "order by id desc limit 1",
            [installation, period],
        ),
        None,
    )
    return row["state"] if row else DRAFT


def why_not(action: str, item: Installation) -> str:
    """What must happen first, told in the words of the workflow."""
    providers = ", ".join(item.providers) or "its providers"
    return {
        "submit": "it can be submitted when it is draft or returned; "
        "an accepted one is first reopened by the leader",
        "accept": f"only a submitted one can be accepted; it is first submitted by {providers}",
        "return": f"only a submitted one can be returned; it is first submitted by {providers}",
        "reopen": "only an accepted one can be reopened",
    }.get(action, "")


def unaccepted(store: Reads, period: str) -> list[str]:
    """The installations (ids, in report order) whose figures for the period are not accepted."""
    return [ident for ident, current in states(store, period).items() if current != ACCEPTED]
