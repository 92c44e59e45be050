"""Setting up: the leader adds and edits installations, their sites and their metrics.

Two screens: the installations, and one installation's sites and metrics (the project and
its periods are in ``project.py``). Archiving replaces
deleting: an archived installation or metric leaves the reports and can be brought back.
Anyone may look; a provider who tries to change something is told why not, in the store's words.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static
from vatui.screens.footer import KeyFooter
from vatui.screens.keyboard import focus_now
from vatui.screens.setup.base import BACK, WIDE, SetupBase, record_row, show_rows
from vatui.screens.setup.forms import InstallationForm, MetricForm, SiteForm
from vatui.screens.setup.project import ProjectSetupScreen
from vatui.screens.table import Column, FittedTable
from vatui.screens.widgets import one_line
from vatui.store import Installation, Metric, Store


class SetupScreen(SetupBase):
    """The installations of the project, archived ones included, for the leader to set up."""

    LEADER_ACTIONS = frozenset({"add", "edit", "archive"})

    BINDINGS = [
        Binding(
            "enter",
            "open",
            "Sites & metrics",
            id="setup.open",
            tooltip="Set up the highlighted installation's sites and metrics",
        ),
        Binding("a", "add", "Add", id="setup.add", tooltip="Add an installation (leader)"),
        Binding(
            "e",
            "edit",
            "Edit",
            id="setup.edit",
            tooltip="Edit the highlighted installation's number, name, providers, stage (leader)",
        ),
        Binding(
            "x",
            "archive",
            "Archive/restore",
            id="setup.archive",
            tooltip="Archive the highlighted installation (it leaves the reports), or restore it",
        ),
        Binding(
            "t",
            "project",
            "Project & periods",
            id="setup.project_periods",
            tooltip="The project's name and light thresholds, its periods and their cut-offs",
        ),
        BACK,
    ]

    def __init__(self, store: Store, actor: str | None) -> None:
        super().__init__(store, actor)
        self.items: dict[str, Installation] = {}

    def action_project(self) -> None:
        self.app.push_screen(ProjectSetupScreen(self.store, self.actor))

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Installations · Enter: sites and metrics · struck through: archived",
            classes="setup-heading",
        )
        yield FittedTable(id="installations-table")
        yield Static(classes="setup-message")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.show_installations()
        focus_now(self.query_one(FittedTable))

    def on_resize(self) -> None:
        self.show_installations(highlight=self.query_one(FittedTable).selected_key)

    def show_installations(self, highlight: str | None = None) -> None:
        self.items = {i.id: i for i in self.store.installations(include_archived=True)}
        wide = self.size.width >= WIDE
        columns = [
            Column("number", "No."),
            Column("id", "Id"),
            Column("name", "Name", flex=2),
            Column("providers", "Providers", flex=1),
            Column("stage", "Stage"),
        ]
        if wide:
            columns.append(Column("planned", "Planned production"))
        rows = []
        for item in self.items.values():
            texts = [
                str(item.number),
                item.id,
                item.name + (" (archived)" if item.archived else ""),
                ", ".join(item.providers),
                item.stage,
            ]
            if wide:
                texts.append(str(item.planned_production or "–"))
            rows.append(record_row(item.id, texts, item.archived))
        show_rows(self.query_one(FittedTable), columns, rows, highlight)

    def _highlighted(self) -> Installation | None:
        return self.items.get(self.query_one(FittedTable).selected_key or "")

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        item = self._highlighted()
        if item is not None:
            self.app.push_screen(InstallationSetupScreen(self.store, self.actor, item.id))

    def action_add(self) -> None:
        if self.allowed("add an installation"):
            form = InstallationForm(self.store, self.actor or "", None)
            self.open_form(form, lambda: self._saved(form.saved_id))

    def action_edit(self) -> None:
        item = self._highlighted()
        if item is not None and self.allowed(f"change {item.id}'s name, number or providers"):
            form = InstallationForm(self.store, self.actor or "", item)
            self.open_form(form, lambda: self._saved(item.id))

    def action_archive(self) -> None:
        item = self._highlighted()
        if item is None or not self.allowed(f"archive {item.id}"):
            return
        actor = self.actor or ""

        def archive() -> None:
            self.store.archive_installation(actor, item.id)
            self._saved(item.id, f"Archived {item.id}; restore it with x.")

        def restore() -> None:
            self.store.update_installation(actor, item.id, archived=False)
            self._saved(item.id, f"Restored {item.id}.")

        if item.archived:
            self.attempt(restore)
        else:
            question = (
                f"Archive {item.id} ({item.name})? It leaves the dashboard and the export; "
                "nothing of it is deleted and x brings it back."
            )
            self.confirm(question, archive)

    def _saved(self, installation: str | None, message: str = "") -> None:
        self.show_installations(highlight=installation)
        self.say(message or f"Saved {installation}.")


class InstallationSetupScreen(SetupBase):
    """One installation's sites and metrics: add, edit, archive."""

    LEADER_ACTIONS = frozenset({"add_metric", "add_site", "edit", "archive_metric"})

    BINDINGS = [
        Binding("a", "add_metric", "Add metric", id="setup.add_metric", tooltip="Add a metric"),
        Binding("n", "add_site", "New site", id="setup.add_site", tooltip="Add a site"),
        Binding(
            "e",
            "edit",
            "Edit",
            id="setup.edit_row",
            tooltip="Edit the highlighted metric or site (whichever table has the focus)",
        ),
        Binding(
            "x",
            "archive_metric",
            "Archive/restore",
            id="setup.archive_metric",
            tooltip="Archive the highlighted metric (it leaves the reports), or restore it",
        ),
        BACK,
    ]

    def __init__(self, store: Store, actor: str | None, installation: str) -> None:
        super().__init__(store, actor)
        self.installation = store.installation(installation)
        self.metrics: dict[str, Metric] = {}

    def compose(self) -> ComposeResult:
        item = self.installation
        yield Header()
        yield Static(one_line(f"{item.id} · {item.name}"), classes="setup-heading")
        yield Static("Sites", id="sites-label", classes="setup-section")
        yield FittedTable(id="sites-table")
        yield Static("Metrics · archived ones are struck through", classes="setup-section")
        yield FittedTable(id="metrics-table")
        yield Static(classes="setup-message")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.show_sites()
        self.show_metrics()
        focus_now(self.query_one("#metrics-table", FittedTable))

    def on_resize(self) -> None:
        self.show_metrics(highlight=self.query_one("#metrics-table", FittedTable).selected_key)

    def show_sites(self, highlight: str | None = None) -> None:
        sites = self.store.sites(self.installation.id)
        columns = [Column("id", "Id"), Column("name", "Name", flex=1), Column("code", "Code")]
        rows = [record_row(s.id, [s.id, s.name, s.code]) for s in sites]
        table = self.query_one("#sites-table", FittedTable)
        show_rows(table, columns, rows, highlight)
        table.display = bool(sites)
        label = "Sites" if sites else "No sites: its metrics form one table (n adds a site)"
        self.query_one("#sites-label", Static).update(label)

    def show_metrics(self, highlight: str | None = None) -> None:
        found = self.store.metrics(self.installation.id, include_archived=True)
        self.metrics = {m.id: m for m in found}
        sites = {s.id: s.label for s in self.store.sites(self.installation.id)}
        wide = self.size.width >= WIDE
        columns = [Column("name", "Metric", flex=3), Column("kind", "Kind")]
        if sites:
            columns.append(Column("site", "Site", max_width=16))
        columns += [Column("baseline", "Baseline", flex=1), Column("direction", "Better")]
        if wide:
            columns.append(Column("measured", "How measured", flex=2))
        rows = []
        for m in found:
            texts = [m.name, m.kind]
            if sites:
                texts.append(sites.get(m.site or "", "–"))
            texts += [m.baseline_shown + (" / year" if m.per_year else ""), m.direction]
            if wide:
                texts.append(m.measured)
            rows.append(record_row(m.id, texts, m.archived))
        show_rows(self.query_one("#metrics-table", FittedTable), columns, rows, highlight)

    def _highlighted_metric(self) -> Metric | None:
        return self.metrics.get(self.query_one("#metrics-table", FittedTable).selected_key or "")

    @on(DataTable.RowSelected)
    def action_edit(self) -> None:
        if self.focused is self.query_one("#sites-table"):
            self._edit_site()
        else:
            self._edit_metric()

    def _edit_site(self) -> None:
        key = self.query_one("#sites-table", FittedTable).selected_key
        site = next((s for s in self.store.sites(self.installation.id) if s.id == key), None)
        if site is not None and self.allowed(f"change the site {site.label!r}"):
            form = SiteForm(self.store, self.actor or "", self.installation.id, site)
            self.open_form(form, lambda: self._saved_site(site.id))

    def _edit_metric(self) -> None:
        metric = self._highlighted_metric()
        if metric is not None and self.allowed(f"change the metric {metric.name!r}"):
            form = MetricForm(self.store, self.actor or "", self.installation.id, metric)
            self.open_form(form, lambda: self._saved_metric(metric.id))

    def action_add_metric(self) -> None:
        if self.allowed(f"add a metric to {self.installation.id}"):
            form = MetricForm(self.store, self.actor or "", self.installation.id, None)
            self.open_form(form, lambda: self._saved_metric(form.saved_id))

    def action_add_site(self) -> None:
        if self.allowed(f"add a site to {self.installation.id}"):
            form = SiteForm(self.store, self.actor or "", self.installation.id, None)
            self.open_form(form, lambda: self._saved_site(form.saved_id))

    def action_archive_metric(self) -> None:
        metric = self._highlighted_metric()
        if metric is None or not self.allowed(f"change the metric {metric.name!r}"):
            return
        actor, installation = self.actor or "", self.installation.id

        def archive() -> None:
            self.store.archive_metric(actor, installation, metric.id)
            self._saved_metric(metric.id, f"Archived {metric.name!r}; restore it with x.")

        def restore() -> None:
            self.store.update_metric(actor, installation, metric.id, archived=False)
            self._saved_metric(metric.id, f"Restored {metric.name!r}.")

        if metric.archived:
            self.attempt(restore)
        else:
            question = (
                f"Archive the metric {metric.name!r}? It leaves the metrics table and the "
                "export; its values and history are kept and x brings it back."
            )
            self.confirm(question, archive)

    def _saved_metric(self, metric: str | None, message: str = "") -> None:
        self.show_metrics(highlight=metric)
        self.say(message or f"Saved the metric {metric}.")

    def _saved_site(self, site: str | None) -> None:
        self.show_sites(highlight=site)
        self.show_metrics(highlight=self.query_one("#metrics-table", FittedTable).selected_key)
        self.say(f"Saved the site {site}.")
