"""The review of an installation's figures for a period, between its providers and the leader.

An installation-period starts as ``draft``. Its providers submit it; the leader accepts it, or
returns it with a comment saying what to check; the leader may reopen an accepted one. Anyone
who may write the installation may add a comment at any time. Every step is one row of the
``reviews`` table, never changed: the thread is the record of who said what, and when.

While an installation-period is accepted, its providers may not change its figures or texts
(the leader still may): they ask the leader to reopen it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Any

from vatui.store.errors import InvalidValue, PermissionDenied

if TYPE_CHECKING:
    from vatui.store.models import Installation
    from vatui.store.store import Store

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


def thread(store: Store, installation: str, period: str) -> list[ReviewEntry]:
    rows = store.db.table("reviews").rows_where(
        "installation = ? and period = ?", [installation, period], order_by="id"
    )
    return [entry(row) for row in rows]


def states(store: Store, period: str) -> dict[str, str]:
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


def state(store: Store, installation: str, period: str) -> str:
    row = next(
        store.db.query(
            "select state from reviews where installation = ? and period = ? "
            "order by id desc limit 1",
            [installation, period],
        ),
        None,
    )
    return row["state"] if row else DRAFT


def record(
    store: Store,
    actor: str,
    installation: str,
    period: str,
    action: str,
    comment: str = "",
    *,
    source: str = "",
) -> ReviewEntry:
    """Take ``action`` on the installation's review for the period, if ``actor`` may.

    Refuses an unknown action, an actor the rule does not allow, a state the action does not
    start from (saying what would be needed), and a missing comment where one is required.
    """
    rule = RULES.get(action)
    if rule is None:
        raise InvalidValue("review action", action, f"one of: {', '.join(RULES)}")
    item = store.installation(installation)
    span = store.period(period)
    name = _require_actor(store, actor, item, rule, span.label)
    current = state(store, item.id, span.label)
    if current not in rule.from_states:
        raise InvalidValue(f"{action} of {item.id} {span.label}", current, _why_not(action, item))
    comment = comment.strip()
    if rule.needs_comment and not comment:
        raise InvalidValue("comment", comment, f"a comment saying why: {action} needs one")
    new = ReviewEntry(
        0, item.id, span.label, action, rule.to or current, name, store.clock(), comment
    )
    with store._writing():
        fields = {key: value for key, value in asdict(new).items() if key != "id"}
        row_id = store.db.table("reviews").insert(fields).last_pk
        changes: dict[str, tuple[object, object]] = {}
        if new.state != current:
            changes["review"] = (current, new.state)
        if comment:
            changes["comment"] = (None, comment)
        store._record(name, "reviews", f"{item.id}/{span.label}", item.id, changes, source)
    return replace(new, id=int(row_id or 0))


def actions(store: Store, actor: str, installation: str, period: str) -> list[str]:
    """The actions ``actor`` may take on the review right now, in the order of ``RULES``.

    A UI offers these and no others; ``record`` still decides when one is taken.
    """
    item = store.installation(installation)
    span = store.period(period)
    current = state(store, item.id, span.label)
    allowed = []
    for action, rule in RULES.items():
        if current not in rule.from_states:
            continue
        try:
            _require_actor(store, actor, item, rule, span.label)
        except PermissionDenied:
            continue
        allowed.append(action)
    return allowed


def _require_actor(store: Store, actor: str, item: Installation, rule: Rule, period: str) -> str:
    if rule.by == "leader":
        return store._require_leader(actor, f"{rule.verb} {item.id} {period}")
    what = f"{rule.verb} the figures of {period}"
    name = store._require_provider(actor, item, what)
    if rule.by == "provider" and name not in item.providers:
        raise PermissionDenied(
            name,
            f"{what} on {item.id}",
            f"its providers ({', '.join(item.providers) or 'nobody yet'}) submit it; "
            "the leader accepts or returns it",
        )
    return name


def _why_not(action: str, item: Installation) -> str:
    """What must happen first, told in the words of the workflow."""
    providers = ", ".join(item.providers) or "its providers"
    return {
        "submit": "it can be submitted when it is draft or returned; "
        "an accepted one is first reopened by the leader",
        "accept": f"only a submitted one can be accepted; it is first submitted by {providers}",
        "return": f"only a submitted one can be returned; it is first submitted by {providers}",
        "reopen": "only an accepted one can be reopened",
    }.get(action, "")


def require_open(store: Store, actor: str, item: Installation, period: str) -> None:
    """Refuse a provider's edit of an accepted installation-period; the leader may edit it."""
    if store.is_leader(actor) or state(store, item.id, period) != ACCEPTED:
        return
    accepted = thread(store, item.id, period)[-1]
    leader = store.project().leader
    raise PermissionDenied(
        actor,
        f"change {item.id} {period}",
        f"it was accepted by {accepted.actor} at {accepted.at}; ask the leader ({leader}) "
        "to reopen it (`vatui review reopen`)",
    )


def unaccepted(store: Store, period: str) -> list[str]:
    """The installations (ids, in report order) whose figures for the period are not accepted."""
    return [ident for ident, current in states(store, period).items() if current != ACCEPTED]
