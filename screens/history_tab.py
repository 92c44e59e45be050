"""The History tab: every recorded change to the installation, newest first."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from screens.installation_tab import InstallationTab
from screens.widgets import Column, FittedTable, Row, cell
from store import Change

#: Changes listed at most; older ones stay in the store (``vatui history`` lists them all).
SHOWN = 500
ABSENT = "∅"


class HistoryTab(InstallationTab):
    def build(self) -> ComposeResult:
        yield Static("", classes="access")
        yield FittedTable(id="history-table")

    def load(self) -> None:
        changes = self.session.store.history(installation=self.installation, limit=SHOWN + 1)
        columns = [
            Column("at", "When"),
            Column("actor", "Who", max_width=12),
            Column("what", "What", max_width=30),
            Column("field", "Field", max_width=14),
            Column("change", "Old → new", flex=1),
        ]
        rows = [self._change_row(change) for change in changes[:SHOWN]]
        self.query_one("#history-table", FittedTable).show(columns, rows)
        more = f"; the {SHOWN} latest are shown" if len(changes) > SHOWN else ""
        count = f"{len(rows)} change{'' if len(rows) == 1 else 's'}"
        note = f"{count}{more}." if rows else "No change recorded yet."
        self.query_one(".access", Static).update(Text(note, style="italic"))

    def _change_row(self, change: Change) -> Row:
        what = change.row.removeprefix(f"{self.installation}/")
        old = Text(_one_line(change.old), style="dim")
        new = Text(_one_line(change.new))
        return Row(
            str(change.id),
            [
                cell(change.at.replace("T", " ").removesuffix("Z")),
                cell(change.actor),
                cell(f"{change.table.removesuffix('s').replace('_', ' ')} {what}"),
                cell(change.field),
                Text.assemble(old, " → ", new, no_wrap=True, overflow="ellipsis"),
            ],
        )


def _one_line(text: str | None) -> str:
    """A value as one line: a changed paragraph of an assessment fits the row."""
    return ABSENT if text is None else " ".join(text.split()) or '""'
