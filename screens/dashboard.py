"""The home screen: every installation with its lights and review state for the period, and
the milestones.

Lights and review states come from the store (``status``, ``review_states`` and
``milestone_status``), never from here.
Installations the identity may change are marked ✎ and bold: a provider sees at once what is
theirs. The leader sees beside an installation's review state how many of its values look
implausible (``store/plausibility.py``), until the figures are accepted. The table gives each
installation two lines when the terminal is narrow.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static
from vatui.screens.changes import StoreChanged
from vatui.screens.footer import KeyFooter
from vatui.screens.keyboard import focus_now
from vatui.screens.lights import legend, light_dot, light_dots, light_label
from vatui.screens.messages import OpenInstallation
from vatui.screens.session import session_of, writable_installations
from vatui.screens.table import Column, FittedTable, LazyRows, Row
from vatui.screens.widgets import WRITABLE_MARK, cell, one_line, plain, review_label
from vatui.store import Installation, InstallationStatus, Light, MilestoneStatus
from vatui.store.numbers import format_count
from vatui.store.plausibility import Key, for_leader, judged

#: From this width on, an installation's row holds everything on one line.
WIDE = 110
#: Beside the review state, for the leader: how many values look like slips, to check.
IMPLAUSIBLE_MARK = "⚠"


class InstallationTable(FittedTable):
    BINDINGS = [
        Binding(
            "enter",
            "select_cursor",
            "Open",
            id="dashboard.open",
            tooltip="Open the installation under the cursor: its metrics, texts and history",
            priority=True,  # as FittedTable's keys
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
            # Read before the next key: what is typed right after / lands in the filter.
            priority=True,
            tooltip="Show only the installations whose number, name, providers or stage match, "
            "or whose light is the one typed (red, amber, green, grey)",
        ),
        Binding(
            "escape",
            "clear_filter",
            "Clear filter",
            id="dashboard.clear_filter",
            tooltip="Show every installation again",
        ),
        Binding(
            "q",
            "app.quit",
            "Quit",
            show=False,
            id="dashboard.quit",
            tooltip="Leave vatui; asks first when something is not saved",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._ids: list[str] = []  # the installations listed, by number
        self._reviews: dict[str, str] = {}
        self._writable: set[str] = set()
        self._shown_wide = False
        self._shown: tuple[str, str | None, int] | None = None  # what the list was read for
        # The statuses read for the rows made since then: the line under the list reads them.
        self._statuses: dict[str, InstallationStatus] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Filter: red, amber, a name, an organisation, a stage", id="filter")
        yield Static("Installations", classes="section-title")
        yield InstallationTable(id="installations")
        yield Static("", id="no-match")
        yield Static("", id="why")
        yield Static("Milestones", classes="section-title")
        yield FittedTable(id="milestones")
        yield Static(Text.assemble(legend(), f"  {WRITABLE_MARK} you may edit"), id="legend")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.watch(self.app, "period", self.reload, init=False)
        self.watch(self.app, "identity", self.reload, init=False)
        focus_now(self.query_one(InstallationTable))

    def on_screen_resume(self) -> None:
        """Shown, first or back from an installation: what was saved there shows at once. When
        nothing was saved since, in the same period and as the same organisation, the list
        stands as it was, and coming back costs no reading."""
        if self._shown != self._what_to_show():
            self.reload()

    def _what_to_show(self) -> tuple[str, str | None, int]:
        session = session_of(self.app)
        return (session.period, session.identity, session.store.last_change_id())

    @on(StoreChanged)
    def reload(self) -> None:
        session = session_of(self.app)
        self._shown = self._what_to_show()
        self._ids = session.store.installation_ids()
        self._reviews = {}
        self._statuses = {}
        self._writable = set()
        self._show_installations()
        self._show_milestones(session.store.milestone_status(session.period))

    # ---- installations ---------------------------------------------------------------------

    @property
    def _wide(self) -> bool:
        return self.size.width >= WIDE

    def _matching(self, wanted: str) -> list[str]:
        """The installations the filter names: by light (``red``, ``amber``, ``green``,
        ``grey``: their overall light in the period), else by number, id, name, organisation
        or stage. Only a filter reads them all whole."""
        if not wanted:
            return self._ids
        session = session_of(self.app)
        if wanted in LIGHT_WORDS:
            statuses = session.store.status(session.period)
            lights = {row.installation.id: row.overall_light for row in statuses}
            return [ident for ident in self._ids if lights.get(ident) == wanted]
        every = session.store.installations()
        return [item.id for item in every if wanted in _searchable(item)]

    def _show_installations(self) -> None:
        wanted = self.query_one("#filter", Input).value.strip().casefold()
        shown = self._matching(wanted)
        wide = self._shown_wide = self._wide
        columns = [
            Column("number", "#"),
            Column("name", "Installation", flex=1),
            *([Column("providers", "Providers", max_width=22)] if wide else []),
            Column("stage", "Stage" if wide else "Stage / production", max_width=18),
            Column("metrics", "Metrics" if wide else "Metrics / review", max_width=30),
            Column("overall", "Overall"),
            *([Column("production", "Production"), Column("review", "Review")] if wide else []),
        ]
        keys = [column.key for column in columns]
        # Rows, and the lights in them, are made only for what the table shows.
        rows = LazyRows(shown, str, lambda some: self._rows(some, keys))
        self.query_one(InstallationTable).show(columns, rows)
        no_match = self.query_one("#no-match", Static)
        no_match.display = not shown
        if not shown:  # an update lays the screen out again: only when it shows
            no_match.update(plain(f"No installation matches “{wanted}”; Escape shows them all."))

    def _rows(self, ids: Sequence[str], keys: list[str]) -> list[Row]:
        """The rows of the installations ``ids``: their lights, review states and whether the
        identity may change them, each read in one go for all of them."""
        session = session_of(self.app)
        store, period, among = session.store, session.period, list(ids)
        statuses = store.status(period, installations=among)
        self._reviews.update(store.review_states(period, installations=among))
        self._writable.update(writable_installations(session, among))
        found = {row.installation.id: row for row in statuses}
        self._statuses.update(found)
        marks = Counter(key[0] for key in self._implausible(statuses))
        return [
            self._installation_row(found.get(ident) or self._unread(ident), keys, marks[ident])
            for ident in ids
        ]

    def _unread(self, ident: str) -> InstallationStatus:
        """Grey, for one archived by someone else since the list was read, until it reloads."""
        item = session_of(self.app).store.installation(ident)
        return InstallationStatus(item, [], [], Light.GREY, Light.GREY)

    def _implausible(self, statuses: list[InstallationStatus]) -> dict[Key, str]:
        """For the leader, the implausible values among these rows not accepted yet; nothing
        for anyone else (providers are asked when they enter one)."""
        session = session_of(self.app)
        store = session.store
        if session.identity is None or not store.is_leader(session.identity):
            return {}
        found = judged(store, store.period(session.period), statuses)
        return for_leader(found, self._reviews)

    def _installation_row(self, row: InstallationStatus, keys: list[str], marks: int) -> Row:
        item = row.installation
        writable = item.id in self._writable
        style = "bold" if writable else ""
        providers = ", ".join(item.providers)
        production = item.planned_production.isoformat() if item.planned_production else "—"
        sites = [None, *(site.id for site in row.sites)]
        by_site = [[s.light for s in row.metrics if s.metric.site == site] for site in sites]
        dots = light_dots(group for group in by_site if group)
        review = review_label(self._reviews.get(item.id, "draft"))
        if marks:
            review.append(f" {IMPLAUSIBLE_MARK}{marks}", style="bold yellow")
        cells = {
            "number": cell(f"{WRITABLE_MARK if writable else ' '} {item.number}", style),
            "overall": light_label(row.overall_light),
            "providers": cell(providers),
            "production": cell(production),
        }
        if self._wide:
            cells |= {
                "name": cell(item.name, style),
                "stage": cell(item.stage),
                "metrics": dots,
                "review": review,
            }
        else:
            cells |= {
                "name": _two_lines(item.name, providers, style),
                "stage": _two_lines(item.stage, production, ""),
                "metrics": Text.assemble(dots, "\n", review, no_wrap=True, overflow="ellipsis"),
            }
        return Row(item.id, [cells[key] for key in keys], height=1 if self._wide else 2)

    def on_resize(self) -> None:
        """Rows change shape across ``WIDE``; within it the table fits its columns itself."""
        if self._ids and self._shown_wide != self._wide:
            self._show_installations()

    @on(DataTable.RowHighlighted, "#installations")
    def _explain(self, event: DataTable.RowHighlighted) -> None:
        """Why the highlighted installation is not green, without opening it."""
        why = self.query_one("#why", Static)
        ident = event.row_key.value
        if ident is None:
            why.update("")
            return
        row = self._statuses.get(ident)
        if row is None:  # a row made before the list was read again
            session = session_of(self.app)
            found = session.store.status(session.period, installations=[ident])
            row = found[0] if found else None
        why.update(reasons(row) if row else "")

    @on(DataTable.RowSelected, "#installations")
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.post_message(OpenInstallation(event.row_key.value))

    # ---- filter ----------------------------------------------------------------------------

    def action_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.display = True
        focus_now(field)

    def action_clear_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.value = ""
        field.display = False
        focus_now(self.query_one(InstallationTable))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            return self.query_one("#filter", Input).display
        if action == "filter":  # a / typed in the filter is text
            return not isinstance(self.focused, Input)
        return True

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._show_installations()
        self.refresh_bindings()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        focus_now(self.query_one(InstallationTable))

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


#: The words the filter takes as a light.
LIGHT_WORDS = {light.value for light in Light}
#: How many metrics the line under the table names before it says how many more.
SHOWN_REASONS = 3


def reasons(row: InstallationStatus) -> Text:
    """One line on why ``row`` has the light it has: its metrics that are not green (name,
    value against target, light), worst first, and its deployment light when not green."""
    number = f"{row.installation.number} {row.installation.name}"
    if not row.has_figures:
        return Text.assemble(one_line(number, "bold"), ": no figures for this period yet")
    order = {Light.RED: 0, Light.AMBER: 1, Light.GREY: 2}
    behind = sorted(
        (item for item in row.metrics if item.light != Light.GREEN),
        key=lambda item: order[item.light],
    )
    parts: list[Text] = []
    if row.deployment_light != Light.GREEN:
        parts.append(Text.assemble("deployment ", light_label(row.deployment_light)))
    for item in behind[:SHOWN_REASONS]:
        value = item.value.shown if item.value else "no value"
        target = f" of {format_count(item.target)}" if item.target is not None else ""
        parts.append(
            Text.assemble(
                light_dot(item.light), " ", one_line(f"{item.metric.name}: {value}{target}")
            )
        )
    if len(behind) > SHOWN_REASONS:
        parts.append(Text(f"{len(behind) - SHOWN_REASONS} more not green"))
    if not parts:
        parts.append(Text("every light green"))
    return Text.assemble(one_line(number, "bold"), ": ", Text(" · ").join(parts))


def _searchable(item: Installation) -> str:
    return " ".join([str(item.number), item.id, item.name, *item.providers, item.stage]).casefold()


def _two_lines(first: str, second: str, style: str) -> Text:
    return Text.assemble(
        one_line(first, style), "\n", one_line(second, "dim"), no_wrap=True, overflow="ellipsis"
    )
