"""The review of an installation's figures for a period, between its providers and the leader.

An installation-period starts as ``draft``. Its providers submit it, and may withdraw the
submission (back to draft) while it waits; the leader accepts it, or returns it with a comment
saying what to check; the leader may reopen an accepted one. Anyone who may write the
installation may add a comment at any time. Every step is one row of the ``reviews`` table,
never changed: the thread is the record of who said what, and when.

While an installation-period is submitted or accepted, its providers may not change its figures
or texts (the leader still may): what the leader reviews, or accepted, stays what it was. They
withdraw a submission first, or ask the leader to reopen accepted figures. While any period of
an installation is submitted, its providers may not add to its delay log either: the report
under review shows the log. The leader's changes to submitted or accepted figures and texts are
written into the thread by the store (``change_note``), and a resubmission after a return says
what changed since (``changed_since_return``), so the thread tells what the leader reviewed.

This module holds the workflow and reads the threads; who may take a step is decided in
``store/access.py`` and a step is written by ``Store.review`` (``store/edits.py``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from vatui.store.models import ASSESSMENT_LABELS
from vatui.store.sql import in_installations
from vatui.store.text import shorten

if TYPE_CHECKING:
    from vatui.store.models import Installation, Metric
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
    "withdraw": Rule("provider", (SUBMITTED,), DRAFT, verb="withdraw"),
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


def states(store: Reads, period: str, installations: list[str] | None = None) -> dict[str, str]:
    """Each installation's state for the period (those of ``installations`` only, when given:
    a screen showing a few reads a few), ``draft`` where nothing happened yet."""
    among, params = "", [period]
    if installations is not None:
        among = f" and {in_installations(installations)}"
        params += installations
    latest = {
        row["installation"]: row["state"]
        for row in store.db.query(
            "select installation, state from reviews where id in "
            f"(select max(id) from reviews where period = ?{among} group by installation)",
            params,
        )
    }
    wanted = store.installation_ids() if installations is None else installations
    return {ident: latest.get(ident, DRAFT) for ident in wanted}


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
        "withdraw": "only a submitted one can be withdrawn",
        "reopen": "only an accepted one can be reopened",
    }.get(action, "")


def unaccepted(store: Reads, period: str) -> list[str]:
    """The installations (ids, in report order) whose figures for the period are not accepted."""
    return [ident for ident, current in states(store, period).items() if current != ACCEPTED]


def latest(store: Reads, installation: str, period: str, action: str) -> ReviewEntry | None:
    """The latest step ``action`` of the thread, None when it was never taken."""
    row = next(
        store.db.table("reviews").rows_where(
            "installation = ? and period = ? and action = ?",
            [installation, period, action],
            order_by="id desc",
            limit=1,
        ),
        None,
    )
    return entry(row) if row else None


def submitted_periods(store: Reads, installation: str) -> list[str]:
    """The periods whose figures of ``installation`` wait for the leader's review."""
    found = store.db.query(
        "select period, state from reviews where id in "
        "(select max(id) from reviews where installation = ? group by period) order by period",
        [installation],
    )
    return [row["period"] for row in found if row["state"] == SUBMITTED]


def add(store: Reads, new: ReviewEntry) -> int:
    """Append ``new`` to its thread (inside the caller's transaction); its row id."""
    fields = {key: value for key, value in asdict(new).items() if key != "id"}
    return int(store.db.table("reviews").insert(fields).last_pk or 0)


# ---- what the store writes into a thread ----------------------------------------------------

#: How much of a changed text or value a thread entry quotes, and of a field's name.
QUOTED, NAMED = 40, 80


def change_line(what: str, old: object, new: object) -> str:
    """One changed field as a thread tells it: ``Users: 9 → 12``, texts cut short."""
    before, after = (_quoted(value) for value in (old, new))
    return f"{shorten(what, NAMED)}: {before} → {after}"


def _quoted(value: object) -> str:
    if value is None:
        return "(none)"
    return shorten(str(value), QUOTED, empty="(empty)")


def change_note(actor: str, lines: list[str]) -> str:
    """The entry the store writes when the leader changes submitted or accepted figures."""
    return f"{actor} changed " + "; ".join(lines)


def changed_since_return(store: Reads, installation: str, period: str, room: int) -> str:
    """What the providers changed in the period's figures, texts and the delay log since the
    leader last returned it, at most ``room`` characters: what a resubmission says.

    Read from the history: every change after the return's own entry there (a thread loaded
    from a project file has none; then every change since counts, none being older), each
    field once, from what it held at the return to what it holds now.
    """
    since = store.conn.execute(
        "select coalesce(max(id), 0) from history where table_name = 'reviews' "
        "and row_key = ? and field = 'review' and new = ?",
        [f"{installation}/{period}", RETURNED],
    ).fetchone()[0]
    net: dict[tuple[str, str, str], list[Any]] = {}
    for table, row, field, old, new in store.conn.execute(
        "select table_name, row_key, field, old, new from history where installation = ? "
        "and id > ? and table_name in ('metric_values', 'assessments', 'delays') order by id",
        [installation, since],
    ):
        if table == "delays" or row.endswith(f"/{period}"):
            net.setdefault((table, row, field), [old, new])[1] = new
    lines = [
        change_line(_field_label(store, *key), old, new)
        for key, (old, new) in net.items()
        if old != new and key[2] != "replanned"
    ]
    if not lines:
        return "Nothing changed since the return."[: max(room, 0)]
    return _fitted("Changed since the return: ", lines, room)


def _field_label(store: Reads, table: str, row: str, field: str) -> str:
    """A changed field as a person names it: the metric's name, the text's label."""
    parts = row.split("/")
    if table == "delays":
        return "delay log"
    if table == "assessments":
        site = f" ({parts[1]})" if len(parts) == 3 else ""
        return ASSESSMENT_LABELS.get(field, field) + site
    return value_label(store.metric(parts[0], parts[1]), field)


def value_label(metric: Metric, field: str) -> str:
    """A value's field as a thread names it: the metric (and its site), or its note."""
    name = f"{metric.name} (site {metric.site})" if metric.site else metric.name
    return f"{name} (note)" if field == "note" else name


def _fitted(start: str, lines: list[str], room: int) -> str:
    """``start`` and as many of ``lines`` as fit in ``room`` characters, then how many more:
    the entry stays within a comment's limit, whatever the provider wrote beside it."""
    for count in range(len(lines), 0, -1):
        rest = len(lines) - count
        text = start + "; ".join(lines[:count]) + (f"; and {rest} more" if rest else "")
        if len(text) <= room:
            return text
    return f"{start}{len(lines)} fields"[: max(room, 0)]
