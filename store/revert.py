"""Reverting a recorded change: the old value written back as a new, recorded change.

A revert goes through the store's ordinary write methods, so the same permissions apply and
the revert itself lands in the history: nothing is ever rewritten in place. A field changed
again since is not reverted unless forced: writing back the old value would silently discard
the newer change (and reverting changes out of order would make values that never existed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from vatui.store.asof import event_at
from vatui.store.errors import StoreError
from vatui.store.models import Change
from vatui.store.rows import as_text
from vatui.store.text import shorten

if TYPE_CHECKING:
    from vatui.store.definitions import Definitions


def _flag(text: str | None) -> bool:
    return text == "yes"


def _number(text: str | None) -> float | None:
    return None if text is None else float(text)


def _codes(text: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


# How a field's text in history turns back into the field's value, where it is not plain text.
_FIELD_TYPES: dict[str, Callable[[str | None], Any]] = {
    "archived": _flag,
    "per_year": _flag,
    "number": lambda text: int(text or 0),
    "due_month": lambda text: int(text or 0),
    "baseline": _number,
    "green_at": _number,
    "amber_at": _number,
    "baseline_countries": _codes,
    "installations": _codes,
}


def _typed(change: Change) -> Any:
    convert = _FIELD_TYPES.get(change.field)
    return convert(change.old) if convert else change.old


def revert_change(
    store: Definitions, actor: str, change_id: int, source: str = "", *, force: bool = False
) -> None:
    """Write back the old value of one recorded change, as ``actor``; refused when the field
    has changed since, unless ``force``."""
    change = store.change(change_id)
    source = source or f"revert of change {change.id}"
    if change.field == "created":
        raise StoreError(
            f"change {change.id} added {change.new!r}; an addition is undone by archiving it"
        )
    if change.table == "delays":
        raise StoreError("delay entries are never changed; add a new entry that corrects it")
    if change.table == "reviews":
        raise StoreError(
            "review steps are never undone; take the next step instead "
            "(the leader reopens accepted figures, a provider submits returned ones)"
        )
    revert = _REVERTERS.get(change.table)
    if revert is None:
        raise StoreError(f"changes to {change.table} cannot be reverted")
    if _field_text(store, change) != change.new:  # a later change is still in force
        later = store.later_changes(change)
        if not force:
            raise StoreError(_changed_since(change, later))
        source += f" (forced over change {later[-1].id})" if later else " (forced)"
    revert(store, actor, change, source)


def _field_text(store: Definitions, change: Change) -> str | None:
    """What the changed field holds now, written as history writes it (None: no such row)."""
    parts = change.row.split("/")
    if change.table == "metric_values":
        row: object = store.value(*parts)
    elif change.table == "assessments":
        row = store.assessment(parts[0], parts[-1], parts[1] if len(parts) == 3 else None)
    elif change.table == "installations":
        row = store.installation(change.row)
    elif change.table == "metrics":
        row = store.metric(*parts)
    elif change.table == "stage_events":
        row = event_at(store.stage_events(parts[0]), dt.date.fromisoformat(parts[1]))
    else:
        row = store.milestone(change.row)
    return None if row is None else as_text(getattr(row, change.field))


def _changed_since(change: Change, later: list[Change]) -> str:
    """The refusal of a revert whose field holds something else now: the later changes."""
    field = change.field.replace("_", " ")
    listed = [
        f"change {c.id} by {c.actor} at {c.at} set it to {shorten(c.new, 40)!r}" for c in later
    ]
    if len(listed) > 3:
        listed[-3:-3] = [f"{len(listed) - 3} earlier changes"]
        listed = listed[-4:]
    since = f" since ({'; '.join(listed)})" if listed else ""
    return (
        f"change {change.id} cannot be reverted: {change.row} {field} has changed{since}; "
        "nothing was changed. Revert the later changes first, newest first, or force it "
        f"(`vatui revert --force {change.id}`) to write back {shorten(change.old, 40)!r} anyway"
    )


def _revert_value(store: Definitions, actor: str, change: Change, source: str) -> None:
    installation, metric, period = change.row.split("/")
    if change.field == "note":
        store.set_value(
            actor, installation, metric, period, None, note=change.old or "", source=source
        )
    elif change.old is None:
        store.clear_value(actor, installation, metric, period, source=source)
    else:
        store.set_value(
            actor, installation, metric, period, change.old, keep_wording=True, source=source
        )


def _revert_assessment(store: Definitions, actor: str, change: Change, source: str) -> None:
    parts = change.row.split("/")
    installation, period = parts[0], parts[-1]
    site = parts[1] if len(parts) == 3 else None
    texts: dict[str, Any] = {change.field: change.old or ""}
    store.set_assessment(actor, installation, period, site=site, source=source, **texts)


def _revert_installation(store: Definitions, actor: str, change: Change, source: str) -> None:
    store.update_installation(actor, change.row, source=source, **{change.field: _typed(change)})


def _revert_metric(store: Definitions, actor: str, change: Change, source: str) -> None:
    installation, metric = change.row.split("/")
    fields = {change.field: _typed(change)}
    store.update_metric(actor, installation, metric, source=source, **fields)


def _revert_stage(store: Definitions, actor: str, change: Change, source: str) -> None:
    """A stage event is never changed: the old stage or date is recorded again from the same
    day, as a new event that takes the place of the reverted one."""
    installation, since = change.row.split("/")
    if change.field == "stage":
        store.set_stage(actor, installation, change.old, since, source=source)
    elif change.field == "planned_production":
        store.set_stage(actor, installation, None, since, planned=change.old, source=source)
    else:
        raise StoreError(
            f"change {change.id} recorded a stage from {since}; record the stage that should "
            f"hold from then instead (`vatui stage --on {since}`)"
        )


def _revert_milestone(store: Definitions, actor: str, change: Change, source: str) -> None:
    store.update_milestone(actor, change.row, source=source, **{change.field: _typed(change)})


_REVERTERS: dict[str, Callable[[Definitions, str, Change, str], None]] = {
    "metric_values": _revert_value,
    "assessments": _revert_assessment,
    "installations": _revert_installation,
    "metrics": _revert_metric,
    "milestones": _revert_milestone,
    "stage_events": _revert_stage,
}
