"""Changes made by someone else while vatui runs, noticed as they happen.

Several vatui processes may share one store (a shared host, or two terminals). SQLite's
``data_version`` moves when another connection commits and costs next to nothing to read, so
the App polls it every two seconds and whenever it regains focus. When it moved, every screen
is told (``StoreChanged``) and reloads what it shows, and the user reads who changed what.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from textual.app import App
from textual.message import Message
from vatui.store import Change, Store
from vatui.store.text import one_line_printable, shorten

POLL_SECONDS = 2.0
#: Changes named one by one in the notice; the rest are counted.
NAMED = 4
#: How a change shows a value that was not there, and one that was an empty text.
ABSENT = "∅"
EMPTY = '""'
#: A value inside a sentence (a notice, a question) is cut to this width.
IN_SENTENCE = 40
#: What a row of each table is called in a notice.
TABLE_WORDS = {
    "metric_values": "value",
    "assessments": "assessment",
    "installations": "installation",
    "milestones": "milestone",
    "reviews": "review",
    "delays": "delay",
    "metrics": "metric",
    "sites": "site",
}


class StoreChanged(Message):
    """Someone else changed the store: reload what the screen shows, keeping unsaved edits."""

    bubble = False

    def __init__(self, changes: list[Change]) -> None:
        super().__init__()
        self.changes = changes


class StoreWatch:
    """Polls the store for commits by other connections and passes them on to the screens."""

    def __init__(self, app: App[Any], store: Store) -> None:
        self.app = app
        self.store = store
        self._version = store.data_version()
        latest = store.history(limit=1)
        self._seen = latest[0].id if latest else 0

    def start(self) -> None:
        self.app.set_interval(POLL_SECONDS, self.check, name="store watch")

    def check(self) -> None:
        """Reload the screens and tell the user, if another connection committed since."""
        try:
            version = self.store.data_version()
            if version == self._version:
                return
            changes = self.store.changes_since(self._seen)
        except sqlite3.OperationalError:  # the store is busy: the next poll will see it
            return
        self._version = version
        if changes:
            self._seen = changes[-1].id
            self.app.notify(
                describe(changes), title="Changed by someone else", markup=False, timeout=8
            )
        for screen in self.app.screen_stack:
            screen.post_message(StoreChanged(changes))


def describe(changes: list[Change]) -> str:
    """The changes as lines a person reads at a glance, the latest last."""
    lines = [describe_change(change) for change in changes[-NAMED:]]
    if len(changes) > NAMED:
        lines.insert(0, f"{len(changes) - NAMED} earlier changes, and:")
    return "\n".join(lines)


def describe_change(change: Change) -> str:
    """``MARIS: value uc5/users/M25-M36 7 → 9``: who, which row and field, old and new.

    Every part is stored text: it comes out on one line, control characters as escapes."""
    subject = f"{TABLE_WORDS.get(change.table, change.table)} {change.row}"
    field = "" if change.field in ("shown", "review") else f" {change.field.replace('_', ' ')}"
    old, new = (one_line(text, IN_SENTENCE) for text in (change.old, change.new))
    return one_line_printable(f"{change.actor}: {subject}{field}") + f" {old} → {new}"


def one_line(text: str | None, width: int | None = None) -> str:
    """A changed value as the screens show it: on one line (a changed paragraph of an
    assessment fits a row), ``ABSENT`` for none, ``EMPTY`` for an empty text, and cut to
    ``width`` with "…" when one is given."""
    return shorten(text, width, absent=ABSENT, empty=EMPTY)
