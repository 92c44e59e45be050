"""The Metrics tab: per site, each metric's baseline, its values in the periods up to the one
shown (a trend), its light and its note. Enter edits the value in a form."""

from __future__ import annotations

from collections.abc import Iterator

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import DataTable, Static
from vatui.screens.installation.tab import InstallationTab
from vatui.screens.installation.value_form import ValueEdit, ValueForm
from vatui.screens.lights import light_label
from vatui.screens.table import Column, FittedTable, Row
from vatui.screens.widgets import cell, one_line
from vatui.store import Metric, MetricStatus, Site, Value
from vatui.store.lights import shown_target

#: Earlier periods shown beside the period's value.
TREND_PERIODS = 2
#: From this width on, the table shows two earlier periods and the notes.
WIDE = 110


class MetricTable(FittedTable):
    BINDINGS = [
        Binding(
            "enter",
            "select_cursor",
            "Edit",
            id="metrics.edit",
            tooltip="Edit the value and note of the metric under the cursor for the period shown",
            priority=True,  # as FittedTable's keys
        ),
    ]


class MetricsTab(InstallationTab):
    """A table of the installation's own metrics, then one per site, under its name. The
    tables are kept by position and refilled with the next installation's sites; those of
    sites it does not have are hidden, kept for the next installation that has them: no
    installation opened after the first builds any."""

    PER_PERIOD = True

    def __init__(self, installation: str, sites: list[Site], *, id: str | None = None) -> None:
        super().__init__(installation, sites, id=id)
        self._form: ValueForm | None = None  # made once, refilled for each value edited
        self._site_tables = 0  # tables built for sites, shown or not

    def build(self) -> ComposeResult:
        # Tables for as many sites as any installation has: the next one opened fills them.
        self._site_tables = max(len(self.sites), self.session.store.most_sites())
        yield Static("", classes="access")
        with VerticalScroll(classes="tab-body"):
            yield MetricTable(id="metrics-installation")
            for number in range(self._site_tables):
                yield from _site_table(number)

    async def show_current(self) -> None:
        """An installation given more sites since the tables were made gets tables for the
        others, added to those there are."""
        if self.built and len(self.sites) > self._site_tables:
            more = range(self._site_tables, len(self.sites))
            self._site_tables = len(self.sites)
            body = self.query_one(".tab-body", VerticalScroll)
            await body.mount_all([widget for number in more for widget in _site_table(number)])
        await super().show_current()

    def load(self, only: Metric | None = None) -> None:
        """Fill the tables; with ``only``, just the table of that metric (after its value was
        saved: the others show nothing that changed, and each table refilled is drawn again)."""
        store, period = self.session.store, self.session.period
        status = store.status(period, installations=[self.installation])[0]
        span = store.period(period)
        labels = [item.label for item in store.periods()]
        earlier = labels[max(0, labels.index(period) - TREND_PERIODS) : labels.index(period)]
        history = {(v.metric, v.period): v for v in store.values(installation=self.installation)}
        wide = self.app.size.width >= WIDE
        if not wide:  # at 80 columns: the last period before, and no notes (in the form)
            earlier = earlier[-1:]
        columns = [
            Column("metric", "Metric", flex=2, middle=True),
            Column("baseline", "Baseline", max_width=12),
            Column("target", "Target", max_width=16 if wide else 9),
            *(Column(f"period-{label}", label, max_width=14) for label in earlier),
            Column("value", period, max_width=16),
            Column("light", "Light"),
            *([Column("note", "Note", flex=1)] if wide else []),
        ]
        for number in range(len(self.sites), self._site_tables):  # none of this one's
            self.query_one(f"#site-title-{number}").display = False
            self.query_one(_table_id(number)).display = False
        for number, site in enumerate([None, *self.sites], start=-1):
            if only is not None and only.site != (site.id if site else None):
                continue
            if site:
                title = self.query_one(f"#site-title-{number}", Static)
                title.update(one_line(site.label))
                title.display = True
            table = self.query_one(_table_id(number), MetricTable)
            rows = [
                _metric_row(
                    row,
                    [history.get((row.metric.id, label)) for label in earlier],
                    shown_target(row.metric, span),
                    notes=wide,
                )
                for row in status.metrics
                if row.metric.site == (site.id if site else None)
            ]
            table.display = bool(rows)
            table.show(columns, rows)
        self.show_access("Enter edits the value under the cursor, and its note.")

    @on(DataTable.RowSelected)
    def _edit(self, event: DataTable.RowSelected) -> None:
        event.stop()
        identity = self.writer()
        if identity is None:
            return
        store, period = self.session.store, self.session.period
        metric = store.metric(self.installation, str(event.row_key.value))
        item = store.installation(self.installation)
        site = next((s.label for s in self.sites if s.id == metric.site), "")
        # The form hides the screen: its bottom line says whose value it is.
        where = " · ".join(filter(None, [f"{item.number} {item.name}", site]))
        value = store.value(metric.installation, metric.id, period)
        edit = ValueEdit(store, identity, metric, period, value, where)
        if self._form is None:
            self._form = ValueForm(edit)
            self.app.install_screen(self._form, name=f"value-form-{id(self)}")
        else:
            self._form.show_value(edit)
        self.app.push_screen(self._form, self._edited)

    def _edited(self, saved: bool | None) -> None:
        if saved and self._form is not None:
            self.load(only=self._form.metric)
            self.post_message(self.Saved(self))


def _site_table(number: int) -> Iterator[Widget]:
    """The title and the table of the site at ``number`` among the installation's."""
    yield Static("", id=f"site-title-{number}", classes="site-title")
    yield MetricTable(id=f"metrics-site-{number}")


def _table_id(site_number: int) -> str:
    """The table of the site at ``site_number`` among the installation's; -1: its own."""
    return f"#metrics-site-{site_number}" if site_number >= 0 else "#metrics-installation"


def _metric_row(row: MetricStatus, earlier: list[Value | None], target: str, *, notes: bool) -> Row:
    """A metric's row, its target as ``lights.shown_target`` writes it."""
    value = row.value
    cells = [
        cell(row.metric.name),
        cell(row.metric.baseline_shown),
        cell(target),
        *(cell(item.shown if item else "", "dim") for item in earlier),
        cell(value.shown if value else "", "bold"),
        light_label(row.light),
    ]
    if notes:
        cells.append(cell(value.note if value else ""))
    return Row(row.metric.id, cells)
