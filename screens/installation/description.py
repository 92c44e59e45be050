"""The Description tab: the deliverable's description table, the deployment stage and the
planned production date; Enter (or the button) edits them in a form.

Providers may change the description, stage and date of their installation; the name and the
providers are the project leader's, so only the leader's form has them.
"""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Button, Static
from vatui.screens.installation.tab import InstallationTab
from vatui.screens.record_form import FormField, RecordForm, stage_fields
from vatui.screens.widgets import plain
from vatui.store import Installation, Store
from vatui.store.models import DESCRIPTION_FIELDS

#: Fields whose text runs to paragraphs get a text area rather than a one-line input.
LONG_FIELDS = {"description", "support_offered", "user_definition"}
LEADER_FIELDS = {"name", "providers"}


class DescriptionTab(InstallationTab):
    def build(self) -> ComposeResult:
        yield Static("", classes="access")
        with VerticalScroll(classes="tab-body", can_focus=True):
            yield Static(id="description-table")
        yield Button("Edit description (enter)", id="edit-description")

    def load(self) -> None:
        item = self.session.store.installation(self.installation)
        self.query_one("#description-table", Static).update(_description_table(item))
        self.show_access("Enter edits the description, the stage and the planned production date.")
        self.query_one("#edit-description", Button).disabled = self.refusal is not None

    def edit(self) -> None:
        identity = self.writer()
        if identity is None:
            return
        store = self.session.store
        form = DescriptionForm(store, identity, store.installation(self.installation))
        self.app.push_screen(form, self._edited)

    @on(Button.Pressed, "#edit-description")
    def _edit_pressed(self) -> None:
        self.edit()

    def _edited(self, saved: bool | None) -> None:
        if saved:
            self.saved()


class DescriptionForm(RecordForm):
    """Every field of the description table the identity may change, saved in one go."""

    def __init__(self, store: Store, actor: str, item: Installation) -> None:
        self.store = store
        self.actor = actor
        self.item = item
        self.original = _field_texts(item)
        leader = store.is_leader(actor)
        labels = {"name": "Name", **dict(DESCRIPTION_FIELDS)}
        fields = [
            FormField(
                name,
                labels[name],
                value=self.original[name],
                kind="textarea" if name in LONG_FIELDS else "input",
                hint="organisations, separated by commas" if name == "providers" else "",
            )
            for name in labels
            if leader or name not in LEADER_FIELDS
        ]
        fields += stage_fields(item.stage, item.planned_production, store.today())
        super().__init__(f"{item.number} {item.name}: description", fields)

    def save(self, values: dict[str, str]) -> None:
        since = values.pop("stage_since")
        changed = {name: text for name, text in values.items() if text != self.original[name]}
        if changed:
            self.store.update_installation(
                self.actor,
                self.item.id,
                expected_version=self.item.version,
                since=since,
                source="tui",
                **changed,
            )

    def reloaded(self) -> dict[str, str]:
        self.item = self.store.installation(self.item.id)
        self.original = _field_texts(self.item)
        today = {"stage_since": self.store.today().isoformat()}
        return {field.name: (self.original | today)[field.name] for field in self.fields}


def _field_texts(item: Installation) -> dict[str, str]:
    """Every field the form edits, as the text a field shows."""
    texts = {name: _text(item, name) for name, _ in DESCRIPTION_FIELDS}
    planned = item.planned_production.isoformat() if item.planned_production else ""
    return texts | {"name": item.name, "stage": item.stage, "planned_production": planned}


def _text(item: Installation, name: str) -> str:
    return ", ".join(item.providers) if name == "providers" else str(getattr(item, name))


def _description_table(item: Installation) -> Table:
    table = Table(box=box.SIMPLE, show_header=False, expand=True, padding=(0, 1))
    table.add_column(style="bold", ratio=1, min_width=14)
    table.add_column(ratio=4)
    planned = item.planned_production.isoformat() if item.planned_production else "not planned yet"
    rows = [
        ("Name", f"{item.number} {item.name} ({item.id})"),
        *((label, _text(item, name)) for name, label in DESCRIPTION_FIELDS),
        ("Deployment stage", item.stage),
        ("Planned production", planned),
    ]
    for label, text in rows:
        table.add_row(Text(label), plain(text))
    return table
