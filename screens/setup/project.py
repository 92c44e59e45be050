"""Setting up the project itself: its name, its light thresholds, and its reporting periods
with the cut-off date each is judged at. The leader changes them; everyone may look.

Each change goes through the store (``store/timeline.py``) and lands in the history, as the
same change made with ``vatui project`` or ``vatui period`` would.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static
from vatui.screens.footer import KeyFooter
from vatui.screens.keyboard import focus_now
from vatui.screens.record_form import FormField, RecordForm, optional_date
from vatui.screens.setup.base import BACK, SetupBase, record_row, show_rows
from vatui.screens.table import Column, FittedTable
from vatui.screens.widgets import one_line
from vatui.store import InvalidValue, Period, Store


def share(text: str, field: str) -> float:
    """A threshold typed as ``1``, ``0.5`` or ``50%``."""
    cleaned = text.strip()
    try:
        return float(cleaned[:-1]) / 100 if cleaned.endswith("%") else float(cleaned)
    except ValueError:
        raise InvalidValue(field, text, "a share of the target such as 1.0 or 0.5") from None


class ProjectForm(RecordForm):
    """The project's name and its thresholds."""

    def __init__(self, store: Store, actor: str) -> None:
        self.store = store
        self.actor = actor
        project = store.project()
        fields = [
            FormField("name", "Project name", project.name, aliases=("project name",)),
            FormField(
                "green",
                "Green from",
                f"{project.green_at:g}",
                hint="the share of its target at which a metric turns green, e.g. 1.0",
            ),
            FormField(
                "amber",
                "Amber from",
                f"{project.amber_at:g}",
                hint="the share at which it turns amber (below it: red), e.g. 0.5",
            ),
        ]
        super().__init__("The project", fields)

    def save(self, values: dict[str, str]) -> None:
        green, amber = share(values["green"], "green"), share(values["amber"], "amber")
        if values["name"] != self.store.project().name:
            self.store.rename_project(self.actor, values["name"], source="tui")
        self.store.set_thresholds(self.actor, green, amber, source="tui")


class PeriodForm(RecordForm):
    """A new period (``period`` None), or the cut-off of one."""

    def __init__(self, store: Store, actor: str, period: Period | None) -> None:
        self.store = store
        self.actor = actor
        self.period = period
        self.saved_label = period.label if period else None
        cutoff = period.as_of.isoformat() if period and period.cutoff_set else ""
        fields = [
            FormField(
                "cutoff",
                "Cut-off",
                cutoff,
                hint="the date its report is judged at (YYYY-MM-DD); empty: the day after it ends",
                placeholder="YYYY-MM-DD",
                aliases=("cut-off",),
            )
        ]
        if period is None:
            fields.insert(
                0, FormField("label", "Period", placeholder="e.g. M37-M48", aliases=("period",))
            )
        title = f"Period {period.label} ({period.calendar_label})" if period else "New period"
        super().__init__(title, fields)

    def save(self, values: dict[str, str]) -> None:
        cutoff = optional_date(values["cutoff"], "cut-off")
        if self.period is None:
            added = self.store.add_period(self.actor, values["label"], cutoff=cutoff, source="tui")
            self.saved_label = added.label
        else:
            self.store.set_cutoff(self.actor, self.period.label, cutoff, source="tui")


class ProjectSetupScreen(SetupBase):
    """The project's name and thresholds, and its periods with their cut-offs."""

    LEADER_ACTIONS = frozenset({"project", "add_period", "edit_period"})

    BINDINGS = [
        Binding("n", "project", "Name & lights", id="setup.project", tooltip="Rename the project "
                "or change its light thresholds (leader)"),
        Binding("a", "add_period", "Add period", id="setup.add_period", tooltip="Add a "
                "reporting period (leader)"),
        Binding("e", "edit_period", "Cut-off", id="setup.edit_period", tooltip="Set the "
                "highlighted period's cut-off date (leader)"),
        BACK,
    ]  # fmt: skip

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="project-heading", classes="setup-heading")
        yield Static(
            "Periods · each is judged as of its cut-off: what is dated later does not count",
            classes="setup-section",
        )
        yield FittedTable(id="periods-table")
        yield Static(classes="setup-message")
        yield KeyFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.show_project()
        focus_now(self.query_one(FittedTable))

    def show_project(self, highlight: str | None = None) -> None:
        project = self.store.project()
        self.query_one("#project-heading", Static).update(
            one_line(
                f"{project.name} · green from {project.green_at:g} of the target, "
                f"amber from {project.amber_at:g}"
            )
        )
        columns = [
            Column("period", "Period"),
            Column("dates", "Months", flex=1),
            Column("cutoff", "Judged as of"),
            Column("issued", "Issued", flex=1),
        ]
        rows = []
        for period in self.store.periods():
            issued = self.store.issued_chapters(period.label)
            rows.append(
                record_row(
                    period.label,
                    [
                        period.label,
                        period.calendar_label,
                        f"{period.as_of}" + ("" if period.cutoff_set else " (default)"),
                        f"{issued[-1].at} by {issued[-1].actor}" if issued else "–",
                    ],
                )
            )
        show_rows(self.query_one(FittedTable), columns, rows, highlight)

    def action_project(self) -> None:
        if self.allowed("rename the project"):
            self.open_form(ProjectForm(self.store, self.actor or ""), self._saved)

    def action_add_period(self) -> None:
        if self.allowed("add a reporting period"):
            form = PeriodForm(self.store, self.actor or "", None)
            self.open_form(form, lambda: self._saved(form.saved_label))

    @on(DataTable.RowSelected)
    def action_edit_period(self) -> None:
        label = self.query_one(FittedTable).selected_key
        if label and self.allowed("set a period's cut-off"):
            form = PeriodForm(self.store, self.actor or "", self.store.period(label))
            self.open_form(form, lambda: self._saved(label))

    def _saved(self, label: str | None = None) -> None:
        self.show_project(highlight=label)
        self.say("Saved.")
