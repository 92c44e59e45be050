"""The home screen: every installation with its lights for the period, and the milestones.

Lights come from the store (``status`` and ``milestone_status``), never from here.
Installations the identity may change are marked ✎ and bold: a provider sees at once what is
theirs. The table gives each installation two lines when the terminal is narrow.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from screens.messages import OpenInstallation
from screens.session import session_of, writable_installations
from screens.widgets import (
    WRITABLE_MARK,
    Column,
    FittedTable,
    Row,
    cell,
    legend,
    light_dots,
    light_label,
)
from store import InstallationStatus, MilestoneStatus

#: From this width on, an installation's row holds everything on one line.
WIDE = 110


class InstallationTable(FittedTable):
    BINDINGS = [
        Binding(
            "enter",
            "select_cursor",
            "Open",
            id="dashboard.open",
            tooltip="Open the installation under the cursor: its metrics, texts and history",
        ),
    ]


class DashboardScreen(Screen[None]):
    """Installations and milestones at a glance; Enter opens an installation."""

    CSS_PATH = "dashboard.tcss"

    BINDINGS = [
        Binding(
            "slash",
            "filter",
            "Filter",
            id="dashboard.filter",
            tooltip="Show only the installations whose number, name, providers or stage match",
        ),
        Binding(
            "escape",
            "clear_filter",
            "Clear filter",
            id="dashboard.clear_filter",
            tooltip="Show every installation again",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._statuses: list[InstallationStatus] = []
        self._writable: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Filter: number, name, provider or stage", id="filter")
        yield Static("Installations", classes="section-title")
        yield InstallationTable(id="installations")
        yield Static("", id="no-match")
        yield Static("Milestones", classes="section-title")
        yield FittedTable(id="milestones")
        yield Static(Text.assemble(legend(), f"  {WRITABLE_MARK} you may edit"), id="legend")
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.app, "period", self.reload, init=False)
        self.watch(self.app, "identity", self.reload, init=False)
        self.reload()
        self.query_one(InstallationTable).focus()

    def on_screen_resume(self) -> None:
        """Back from an installation: what was saved there shows here at once."""
        self.reload()

    def reload(self) -> None:
        session = session_of(self.app)
        self._statuses = session.store.status(session.period)
        self._writable = writable_installations(session)
        self._show_installations()
        self._show_milestones(session.store.milestone_status(session.period))

    # ---- installations ---------------------------------------------------------------------

    @property
    def _wide(self) -> bool:
        return self.size.width >= WIDE

    def _show_installations(self) -> None:
        wanted = self.query_one("#filter", Input).value.strip().casefold()
        shown = [row for row in self._statuses if wanted in _searchable(row)]
        wide = self._wide
        columns = [
            Column("number", "#"),
            Column("name", "Installation", flex=1),
            *([Column("providers", "Providers", max_width=22)] if wide else []),
            Column("stage", "Stage" if wide else "Stage / production", max_width=18),
            Column("metrics", "Metrics", max_width=30),
            Column("overall", "Overall"),
            *([Column("production", "Production")] if wide else []),
        ]
        keys = [column.key for column in columns]
        rows = [self._installation_row(row, keys) for row in shown]
        self.query_one(InstallationTable).show(columns, rows)
        no_match = self.query_one("#no-match", Static)
        no_match.display = not shown
        no_match.update(Text(f"No installation matches “{wanted}”; Escape shows them all."))

    def _installation_row(self, row: InstallationStatus, keys: list[str]) -> Row:
        item = row.installation
        writable = item.id in self._writable
        style = "bold" if writable else ""
        providers = ", ".join(item.providers)
        production = item.planned_production.isoformat() if item.planned_production else "—"
        sites = [None, *(site.id for site in row.sites)]
        by_site = [[s.light for s in row.metrics if s.metric.site == site] for site in sites]
        cells = {
            "number": cell(f"{WRITABLE_MARK if writable else ' '} {item.number}", style),
            "metrics": light_dots(group for group in by_site if group),
            "overall": light_label(row.overall_light),
            "providers": cell(providers),
            "production": cell(production),
        }
        if self._wide:
            cells |= {"name": cell(item.name, style), "stage": cell(item.stage)}
        else:
            cells |= {
                "name": _two_lines(item.name, providers, style),
                "stage": _two_lines(item.stage, production, ""),
            }
        return Row(item.id, [cells[key] for key in keys], height=1 if self._wide else 2)

    def on_resize(self) -> None:
        if self._statuses:
            self._show_installations()

    @on(DataTable.RowSelected, "#installations")
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.post_message(OpenInstallation(event.row_key.value))

    # ---- filter ----------------------------------------------------------------------------

    def action_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.display = True
        field.focus()

    def action_clear_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.value = ""
        field.display = False
        self.query_one(InstallationTable).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            return self.query_one("#filter", Input).display
        return True

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._show_installations()
        self.refresh_bindings()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(InstallationTable).focus()

    # ---- milestones ------------------------------------------------------------------------

    def _show_milestones(self, milestones: list[MilestoneStatus]) -> None:
        columns = [
            Column("light", "Light"),
            Column("id", "Milestone"),
            Column("title", "Title", flex=1),
            Column("due", "Due"),
            Column("status", "Status", max_width=20),
        ]
        rows = [
            Row(
                row.milestone.id,
                [
                    light_label(row.light),
                    cell(row.milestone.id),
                    cell(row.milestone.title),
                    cell(f"M{row.milestone.due_month} · {row.due:%b %Y}"),
                    cell(row.milestone.status),
                ],
            )
            for row in milestones
        ]
        self.query_one("#milestones", FittedTable).show(columns, rows)


def _searchable(row: InstallationStatus) -> str:
    item = row.installation
    return " ".join([str(item.number), item.id, item.name, *item.providers, item.stage]).casefold()


def _two_lines(first: str, second: str, style: str) -> Text:
    return Text.assemble(
        Text(first, style=style), "\n", Text(second, style="dim"), no_wrap=True, overflow="ellipsis"
    )
