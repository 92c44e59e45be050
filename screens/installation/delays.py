"""The Delays tab: the installation's delay log, newest first, and a form to add an entry.

The log is never changed, only added to: a new re-planned date is a new entry.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, DataTable, Static
from vatui.screens.installation.tab import InstallationTab
from vatui.screens.record_form import FormField, RecordForm
from vatui.screens.table import Column, FittedTable, Row
from vatui.screens.widgets import cell, plain
from vatui.store import DelayEntry, Site, Store

WHOLE = "whole"  # the site Select's value for a delay of the whole installation


class DelaysTab(InstallationTab):
    def __init__(self, installation: str, sites: list[Site], *, id: str | None = None) -> None:
        super().__init__(installation, sites, id=id)
        self._entries: list[DelayEntry] = []

    def build(self) -> ComposeResult:
        yield Static("", classes="access")
        yield FittedTable(id="delay-log")
        yield Static("", id="delay-reason")
        yield Button("Add a delay (a)", id="add-delay")

    def load(self) -> None:
        self._entries = list(reversed(self.session.store.delays(self.installation)))
        site_column = [Column("site", "Site", max_width=16)] if self.sites else []
        columns = [
            Column("recorded", "Recorded"),
            *site_column,
            Column("reason", "Reason", flex=1),
            Column("replanned", "Re-planned"),
            Column("author", "By", max_width=12),
        ]
        rows = [Row(str(entry.id), self._cells(entry)) for entry in self._entries]
        self.query_one("#delay-log", FittedTable).show(columns, rows)
        self._show_reason(None)
        self.show_access("a adds an entry to the log: why production is late, and the new date.")
        self.query_one("#add-delay", Button).disabled = self.refusal is not None

    def _cells(self, entry: DelayEntry) -> list[Text]:
        site = next((s.label for s in self.sites if s.id == entry.site), "")
        return [
            cell(entry.recorded.isoformat()),
            *([cell(site)] if self.sites else []),
            cell(entry.reason),
            cell(entry.replanned.isoformat() if entry.replanned else "none yet"),
            cell(entry.author),
        ]

    @on(DataTable.RowHighlighted, "#delay-log")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_reason(event.row_key.value)

    def _show_reason(self, key: str | None) -> None:
        """The whole reason of the entry under the cursor (by its row key: the table shows only
        a window of its rows), or of the first entry; the table cuts it short."""
        reason = self.query_one("#delay-reason", Static)
        if not self._entries:
            reason.update(Text("No delay recorded.", style="italic"))
            return
        entry = next((e for e in self._entries if str(e.id) == key), self._entries[0])
        reason.update(plain(entry.reason))

    def add(self) -> None:
        identity = self.writer()
        if identity is None:
            return
        form = DelayForm(self.session.store, identity, self.installation, self.sites)
        self.app.push_screen(form, self._added)

    @on(Button.Pressed, "#add-delay")
    def _add_pressed(self) -> None:
        self.add()

    def _added(self, saved: bool | None) -> None:
        if saved:
            self.saved()


class DelayForm(RecordForm):
    """A new entry of the delay log: why, and when production is now planned."""

    def __init__(self, store: Store, actor: str, installation: str, sites: list[Site]) -> None:
        self.store = store
        self.actor = actor
        self.installation = installation
        fields = [
            FormField("reason", "Why is production late?", kind="textarea"),
            FormField(
                "replanned",
                "Re-planned production date",
                hint="YYYY-MM-DD, e.g. 2024-10-31; empty when there is no new date yet",
                placeholder="YYYY-MM-DD",
            ),
        ]
        if sites:
            options = (("Whole installation", WHOLE), *((s.label, s.id) for s in sites))
            fields.append(FormField("site", "Site", value=WHOLE, kind="select", options=options))
        super().__init__(f"New delay of {installation}", fields)

    def save(self, values: dict[str, str]) -> None:
        site = values.get("site", WHOLE)
        self.store.add_delay(
            self.actor,
            self.installation,
            values["reason"],
            replanned=values["replanned"].strip() or None,
            site=None if site == WHOLE else site,
            source="tui",
        )
