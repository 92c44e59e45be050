"""``vatui check``: what an operator runs after an incident (a crash, a full disk, a copy made
by hand), to learn whether the store can be trusted.

Three checks, each a list of what is wrong (empty when it holds): SQLite's integrity check of
every page, its foreign-key check, and the history against the rows: every value and text
must be what its last recorded change made it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from vatui.store.reads import Reads
from vatui.store.rows import as_text

# The fields of values and texts whose every change is recorded, by table.
_TRACKED = {
    "metric_values": ("shown", "note"),
    "assessments": ("assessment", "delay", "planning"),
}


@dataclass
class Check:
    """One check's name and what it found wrong (nothing: it holds)."""

    name: str
    problems: list[str] = field(default_factory=list)

    @property
    def holds(self) -> bool:
        return not self.problems


def check_store(store: Reads) -> list[Check]:
    """Every check, in order; the store holds when each of them does."""
    integrity = Check("integrity of every page (PRAGMA integrity_check)")
    try:
        found = [row[0] for row in store.conn.execute("PRAGMA integrity_check(20)")]
    except sqlite3.DatabaseError as error:
        found = [str(error)]
    integrity.problems = [line for line in found if line != "ok"]
    keys = Check("references between rows (PRAGMA foreign_key_check)")
    if integrity.holds:
        keys.problems = [
            f"{table} row {rowid} names a missing {parent} row"
            for table, rowid, parent, _ in store.conn.execute("PRAGMA foreign_key_check")
        ]
    history = Check("every value and text is what its last recorded change made it")
    if integrity.holds:
        history.problems = _history_problems(store)
    return [integrity, keys, history]


def _history_problems(store: Reads) -> list[str]:
    """Rows whose tracked fields differ from the last change recorded for them. Rows loaded
    from a project file have no history until first changed, and are taken as they are."""
    last = {
        (table, row, name): new
        for table, row, name, new in store.conn.execute(
            "select table_name, row_key, field, new from history where id in "
            "(select max(id) from history group by table_name, row_key, field)"
        )
    }
    problems = []
    current: dict[tuple[str, str, str], str | None] = {}
    for value in store.values():
        key = f"{value.installation}/{value.metric}/{value.period}"
        current[("metric_values", key, "shown")] = value.shown
        current[("metric_values", key, "note")] = value.note
    for text in store.assessments():
        key = "/".join(filter(None, [text.installation, text.site, text.period]))
        for name in _TRACKED["assessments"]:
            current[("assessments", key, name)] = getattr(text, name)
    for (table, row, name), new in sorted(last.items(), key=lambda item: str(item[0])):
        if name not in _TRACKED.get(table, ()):
            continue
        now = as_text(current.get((table, row, name)))
        if (now or None) != (new or None):
            problems.append(f"{row} {name} is {now!r} but its last recorded change made it {new!r}")
    return problems
