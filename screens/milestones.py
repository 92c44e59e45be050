"""The milestones screen: every milestone with its light as of the period's end.

The leader edits status, achieved and re-planned dates and adds milestones; anyone else sees
the list and, on trying to edit, the store's reason why not.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static
from vatui.screens.access import follow_session, leader_refusal
from vatui.screens.changes import StoreChanged
from vatui.screens.footer import KeyFooter
from vatui.screens.keyboard import focus_now
from vatui.screens.lights import light_label
from vatui.screens.record_form import (
    FormField,
    RecordForm,
    comma_list,
    month_number,
    optional_date,
)
from vatui.screens.table import Column, FittedTable, Row
from vatui.screens.widgets import cell, one_line, plain
from vatui.store import InvalidValue, Milestone, MilestoneStatus, Store
from vatui.store.periods import month_end, parse_start

USUAL_STATUSES = ("achieved", "partially achieved", "not achieved", "on track", "delayed")
#: From this width on, the achieved and re-planned dates get columns of their own.
WIDE = 110


class MilestonesScreen(Screen[None]):
    """The milestone table of the period, with a detail line for the highlighted one."""

    CSS_PATH = "milestones.tcss"

    BINDINGS = [
        Binding(
            "e",
            "edit",
            "Edit",
            id="milestones.edit",
            tooltip="Edit the highlighted milestone: status, dates, note (project leader)",
        ),
        Binding("a", "add", "Add", id="milestones.add", tooltip="Add a milestone (project leader)"),
        Binding(
            "escape", "back", "Back", id="milestones.back", tooltip="Back to the previous screen"
        ),
    ]

    def __init__(self, store: Store, actor: str | None, period: str) -> None:
        super().__init__()
        self.store = store
        self.actor = actor
        self.period = store.period(period)
        self.statuses: dict[str, MilestoneStatus] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="milestones-heading")
        yield FittedTable(id="milestones-table")
        yield Static(id="milestones-detail")
        yield Static(id="milestones-message")
        yield KeyFooter()

    def on_mount(self) -> None:
        follow_session(self, self.show_for)
        self.show_for(self.period.label, self.actor)
        focus_now(self.query_one(FittedTable))

    def on_resize(self) -> None:
        if self.statuses:
            self.show_milestones(highlight=self._highlighted_id())

    def show_for(self, period: str, actor: str | None) -> None:
        """Show the milestones as of ``period``'s cut-off, editable or not for ``actor``."""
        self.period = self.store.period(period)
        self.actor = actor
        heading = f"Milestones as {self.period.label} sees them, on {self.period.as_of:%d %b %Y}"
        refusal = leader_refusal(self.store, self.actor, "change milestones")
        if refusal:
            heading += f" · read-only: {refusal}"
        self.query_one("#milestones-heading", Static).update(one_line(heading))
        self.query_one("#milestones-message", Static).update("")
        self.show_milestones(highlight=self._highlighted_id())
        self.refresh_bindings()

    def show_milestones(self, highlight: str | None = None) -> None:
        """(Re)fill the table from the store, keeping the cursor on ``highlight`` if given."""
        table = self.query_one(FittedTable)
        self.statuses = {s.milestone.id: s for s in self.store.milestone_status(self.period.label)}
        wide = self.size.width >= WIDE
        columns = [
            Column("light", "Light"),
            Column("id", "Id"),
            Column("title", "Title", flex=1),
            Column("due", "Due"),
            Column("status", "Status", max_width=20),
        ]
        if wide:
            columns += [Column("achieved", "Achieved"), Column("replanned", "Re-planned")]
        table.show(columns, [self._row(status, wide) for status in self.statuses.values()])
        if highlight in self.statuses:
            table.move_cursor(row=list(self.statuses).index(highlight), animate=False)
        self._show_detail()

    def _row(self, status: MilestoneStatus, wide: bool) -> Row:
        item = status.milestone
        cells = [
            light_label(status.light),
            cell(item.id),
            cell(item.title),
            cell(f"M{item.due_month} · {status.due:%b %Y}"),
            cell(item.status or "–"),
        ]
        if wide:
            cells += [cell(_date_or_blank(item.achieved) or "–")]
            cells += [cell(_date_or_blank(item.replanned) or "–")]
        return Row(item.id, cells)

    @on(StoreChanged)
    def _store_changed(self) -> None:
        """Someone else changed the store: show the milestones as they are now."""
        self.show_milestones(highlight=self._highlighted_id())

    def _highlighted_id(self) -> str | None:
        return self.query_one(FittedTable).selected_key

    def _highlighted(self) -> MilestoneStatus | None:
        return self.statuses.get(self._highlighted_id() or "")

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        status = self._highlighted()
        detail = self.query_one("#milestones-detail", Static)
        if status is None:
            detail.update("No milestones yet." + (" Press a to add one." if self._may_edit else ""))
            return
        item = status.milestone
        lines = [
            Text.assemble(one_line(item.id, "bold"), " ", one_line(item.title)),
            one_line(
                f"due M{item.due_month} ({status.due:%d %b %Y}) · light {status.light} · "
                f"status {item.status or '–'}"
            ),
            one_line(
                f"achieved {_date_or_blank(item.achieved) or '–'} · "
                f"re-planned {_date_or_blank(item.replanned) or '–'} · "
                f"installations {', '.join(item.installations) or '–'}"
            ),
        ]
        if item.note:
            lines.append(plain(item.note))
        detail.update(Text("\n").join(lines))

    @property
    def _may_edit(self) -> bool:
        return leader_refusal(self.store, self.actor, "change milestones") is None

    # ---- actions --------------------------------------------------------------------------

    @on(DataTable.RowSelected)
    def action_edit(self) -> None:
        status = self._highlighted()
        if status is None:
            return
        if self._refused(f"change milestone {status.milestone.id}"):
            return
        form = MilestoneForm(self.store, self.actor or "", status.milestone)
        self.app.push_screen(form, lambda saved: self._saved(saved, status.milestone.id))

    def action_add(self) -> None:
        if self._refused("add a milestone"):
            return
        form = MilestoneForm(self.store, self.actor or "", None)
        self.app.push_screen(form, lambda saved: self._saved(saved, form.saved_id))

    def action_back(self) -> None:
        self.dismiss()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Editing and adding are offered to the leader alone."""
        return action not in ("edit", "add") or self._may_edit

    def _refused(self, action: str) -> bool:
        """Say why the actor may not ``action``, if so; True when refused."""
        refusal = leader_refusal(self.store, self.actor, action)
        self.query_one("#milestones-message", Static).update(plain(refusal or ""))
        if refusal:
            self.notify(refusal, title="Read-only", severity="warning", markup=False)
        return refusal is not None

    def _saved(self, saved: bool | None, milestone: str | None) -> None:
        if saved:
            self.show_milestones(highlight=milestone)
            self.query_one("#milestones-message", Static).update(
                plain(f"Saved milestone {milestone}.")
            )


class MilestoneForm(RecordForm):
    """Add a milestone (``milestone`` None) or change one's status, dates and note."""

    def __init__(self, store: Store, actor: str, milestone: Milestone | None) -> None:
        self.store = store
        self.actor = actor
        self.milestone = milestone
        self.saved_id: str | None = milestone.id if milestone else None
        self.start = parse_start(store.project().start)
        texts = _texts(milestone or Milestone(id="", title="", due_month=0))
        fields = [
            FormField(
                "title", "Title", texts["title"], placeholder="e.g. Five use cases in production"
            ),
            FormField(
                "due_month",
                "Due month",
                texts["due_month"],
                placeholder="a project month, e.g. 24",
                hint=self._month_hint(texts["due_month"]),
                aliases=("due month",),
            ),
            FormField(
                "status",
                "Status",
                texts["status"],
                placeholder="e.g. partially achieved",
                suggestions=self._statuses(),
            ),
            FormField(
                "achieved",
                "Achieved on",
                texts["achieved"],
                placeholder="YYYY-MM-DD; empty while not achieved",
            ),
            FormField(
                "replanned",
                "Re-planned for",
                texts["replanned"],
                placeholder="YYYY-MM-DD; empty unless overdue",
                aliases=("re-planned",),
            ),
            FormField(
                "installations",
                "Installations",
                texts["installations"],
                placeholder="ids, comma-separated, e.g. uc1, uc5",
                aliases=("installation",),
            ),
            FormField("note", "Note", texts["note"], kind="textarea"),
        ]
        if milestone is None:
            ident = FormField(
                "id", "Id", placeholder="e.g. M5.5", aliases=("milestone id", "milestone")
            )
            fields.insert(0, ident)
        title = f"Milestone {milestone.id}" if milestone else "New milestone"
        super().__init__(title, fields)

    def _statuses(self) -> tuple[str, ...]:
        known = [m.status for m in self.store.milestones() if m.status]
        return tuple(dict.fromkeys([*known, *USUAL_STATUSES]))

    def _month_hint(self, text: str) -> str:
        """The calendar date a typed month number falls due on, so M24 reads as Aug 2024."""
        try:
            month = month_number(text, "due month")
        except InvalidValue:
            return "the project month it falls due, e.g. 24"
        return f"M{month} ends on {month_end(self.start, month):%d %b %Y}"

    def field_changed(self, name: str, text: str) -> None:
        if name == "due_month":
            self.set_hint(name, self._month_hint(text))

    def save(self, values: dict[str, str]) -> None:
        fields: dict[str, Any] = {
            "title": values["title"].strip(),
            "due_month": month_number(values["due_month"], "due month"),
            "status": values["status"].strip(),
            "achieved": optional_date(values["achieved"], "achieved"),
            "replanned": optional_date(values["replanned"], "replanned"),
            "installations": tuple(
                self.store.installation(ref).id for ref in comma_list(values["installations"])
            ),
            "note": values["note"].strip(),
        }
        if self.milestone is None:
            added = self.store.add_milestone(self.actor, Milestone(id=values["id"], **fields))
            self.saved_id = added.id
        else:
            self.store.update_milestone(
                self.actor, self.milestone.id, expected_version=self.milestone.version, **fields
            )

    def reloaded(self) -> dict[str, str]:
        assert self.milestone is not None, "only a milestone being changed can be stale"
        self.milestone = self.store.milestone(self.milestone.id)
        return _texts(self.milestone)


def _texts(item: Milestone) -> dict[str, str]:
    """The form's fields as a milestone fills them."""
    return {
        "title": item.title,
        "due_month": str(item.due_month or ""),
        "status": item.status,
        "achieved": _date_or_blank(item.achieved),
        "replanned": _date_or_blank(item.replanned),
        "installations": ", ".join(item.installations),
        "note": item.note,
    }


def _date_or_blank(value: object) -> str:
    return str(value) if value else ""
