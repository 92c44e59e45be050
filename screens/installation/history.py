"""The History tab: every recorded change to the installation, newest first; ``r`` reverts the
highlighted one.

A revert writes the old value back through the store's ordinary write methods, so the same
permissions apply and the revert is itself a recorded change, shown at the top of the tab.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Static
from vatui.screens.changes import IN_SENTENCE, one_line
from vatui.screens.confirm import ConfirmScreen
from vatui.screens.installation.tab import InstallationTab
from vatui.screens.table import Column, FittedTable, Row
from vatui.screens.widgets import cell
from vatui.store import Change, StoreError
from vatui.store.text import one_line_printable

#: Changes listed at most; older ones stay in the store (``vatui history`` lists them all).
SHOWN = 500
NO_CHANGE = "No change recorded yet."


class HistoryTab(InstallationTab):
    def __init__(self, installation: str, *, id: str | None = None) -> None:
        super().__init__(installation, id=id)
        self._changes: dict[str, Change] = {}

    def build(self) -> ComposeResult:
        yield Static("", classes="access")
        yield FittedTable(id="history-table")
        yield Static("", id="history-detail")

    def load(self) -> None:
        changes = self.session.store.history(installation=self.installation, limit=SHOWN + 1)
        self._changes = {str(change.id): change for change in changes[:SHOWN]}
        columns = [
            Column("id", "#"),
            Column("at", "When"),
            Column("actor", "Who", max_width=12),
            Column("what", "What", max_width=30),
            Column("field", "Field", max_width=14),
            Column("change", "Old → new", flex=1),
        ]
        rows = [self._change_row(change) for change in self._changes.values()]
        table = self.query_one("#history-table", FittedTable)
        table.show(columns, rows)
        more = f"; the {SHOWN} latest are shown" if len(changes) > SHOWN else ""
        count = f"{len(rows)} change{'' if len(rows) == 1 else 's'}"
        note = f"{count}{more}; r reverts the highlighted one." if rows else NO_CHANGE
        self.query_one(".access", Static).update(Text(note, style="italic"))
        self._show_detail(table.selected_key)

    def _change_row(self, change: Change) -> Row:
        old = Text(one_line(change.old), style="dim")
        new = Text(one_line(change.new))
        return Row(
            str(change.id),
            [
                cell(change.id),
                cell(change.at.replace("T", " ").removesuffix("Z")),
                cell(change.actor),
                cell(self._what(change)),
                cell(change.field),
                Text.assemble(old, " → ", new, no_wrap=True, overflow="ellipsis"),
            ],
        )

    def _what(self, change: Change) -> str:
        what = change.row.removeprefix(f"{self.installation}/")
        return f"{change.table.removesuffix('s').replace('_', ' ')} {what}"

    @on(DataTable.RowHighlighted, "#history-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.row_key.value)

    def _show_detail(self, key: str | None) -> None:
        """The highlighted change in full, with where it came from (a revert says which)."""
        change = self._changes.get(key or "")
        detail = self.query_one("#history-detail", Static)
        if change is None:
            detail.update("")
            return
        source = f" · {change.source}" if change.source else ""
        title = one_line_printable(
            f"Change {change.id}: {self._what(change)} {change.field}{source}"
        )
        detail.update(
            Text.assemble(
                (f"{title}\n", "bold"),
                ("old: ", "dim"),
                one_line(change.old),
                ("\nnew: ", "dim"),
                one_line(change.new),
            )
        )

    # ---- reverting -------------------------------------------------------------------------

    def revert(self) -> None:
        """Ask, then write back the highlighted change's old value; refusals are the store's."""
        identity = self.writer()
        change = self._changes.get(self.query_one("#history-table", FittedTable).selected_key or "")
        if identity is None or change is None:
            return
        new, old = (one_line(text, IN_SENTENCE) for text in (change.new, change.old))
        question = (
            f"Revert change {change.id}? {self._what(change)} {change.field} goes back from "
            f"{new} to {old}; the revert is recorded as a new change."
        )
        self.app.push_screen(
            ConfirmScreen(question, yes="Revert", no="Keep"),
            lambda revert: self._revert(identity, change, bool(revert)),
        )

    def _revert(self, identity: str, change: Change, revert: bool) -> None:
        if not revert:
            return
        try:
            self.session.store.revert(identity, change.id)
        except StoreError as refusal:
            self.notify(str(refusal), title="Not reverted", severity="error", markup=False)
            return
        self.saved()
        self.query_one("#history-table", FittedTable).move_cursor(row=0)
        self.notify(f"Reverted change {change.id}.")
