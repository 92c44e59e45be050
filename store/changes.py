"""What an edit changes: the fields that differ between two versions of a row, and the
refusal of an edit made against a version that someone has changed since."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vatui.store.errors import StaleEdit
from vatui.store.models import Change, Value
from vatui.store.text import shorten

#: A field's (old, new) pair, by field name: what ``record_change`` writes into history.
Changes = dict[str, tuple[object, object]]


def diff(old: Any, new: Any, fields: tuple[str, ...]) -> Changes:
    """The ``fields`` whose value differs between ``old`` and ``new``, with both values."""
    changes = {}
    for name in fields:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            changes[name] = (before, after)
    return changes


def created(value: Value) -> Changes:
    """The history of a value that did not exist before: its shown text, and its note."""
    changes: Changes = {"shown": (None, value.shown)}
    if value.note:
        changes["note"] = (None, value.note)
    return changes


def check_version(
    what: str,
    current: Any,
    expected: int | None,
    latest: Callable[[], Change | None] | None = None,
) -> None:
    """Refuse an edit made against a version of the row that has changed since.

    A value keeps who changed it, when, and what it is now; for other rows ``latest`` gives the
    row's latest recorded change, which says the same of the field it changed.
    """
    if expected is None or (current is None and not expected):
        return
    if current is None:  # cleared since the editor loaded it
        change = latest() if latest else None
        if change is None:
            return
        raise StaleEdit(what, "cleared", change.actor, change.at)
    if current.version == expected:
        return
    by = getattr(current, "updated_by", "") or "another user"
    at = getattr(current, "updated_at", "") or "an unknown time"
    shown = getattr(current, "shown", None)
    change = latest() if latest and shown is None else None
    if change is not None:
        what = f"{what} ({change.field.replace('_', ' ')})"
        by, at, shown = change.actor, change.at, shorten(change.new, absent="")
    raise StaleEdit(what, current.version if shown is None else shown, by, at)
