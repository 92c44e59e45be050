"""What the set-up screens share: the leader check, the message line, forms and tables."""

from __future__ import annotations

from collections.abc import Callable

from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static
from vatui.screens.access import follow_session, leader_refusal
from vatui.screens.confirm import ConfirmScreen
from vatui.screens.record_form import RecordForm
from vatui.screens.table import Column, FittedTable, Row
from vatui.screens.widgets import cell, plain
from vatui.store import Store, StoreError

#: From this width on, the tables show their less needed columns too.
WIDE = 110


def record_row(key: str, texts: list[str], archived: bool = False) -> Row:
    """A table row, dimmed and struck through for an archived record."""
    style = "dim strike" if archived else ""
    return Row(key, [cell(text, style) for text in texts])


def show_rows(
    table: FittedTable, columns: list[Column], rows: list[Row], highlight: str | None
) -> None:
    """Fill ``table``, with the cursor on the row keyed ``highlight`` when there is one."""
    table.show(columns, rows)
    keys = [row.key for row in rows]
    if highlight in keys:
        table.move_cursor(row=keys.index(highlight), animate=False)


class SetupBase(Screen[None]):
    """What the set-up screens share: the leader check, the message line and forms.

    Only the leader changes the set-up: for anyone else the keys that change it are not
    offered, and the message line says why from the start.
    """

    CSS_PATH = "screen.tcss"
    #: The actions of the screen that change something (the leader's alone).
    LEADER_ACTIONS: frozenset[str] = frozenset()

    def __init__(self, store: Store, actor: str | None) -> None:
        super().__init__()
        self.store = store
        self.actor = actor

    def on_mount(self) -> None:
        follow_session(self, self._identity_changed)
        self._say_who_may()

    def _identity_changed(self, period: str, identity: str | None) -> None:
        self.actor = identity
        self._say_who_may()
        self.refresh_bindings()

    def _refusal(self) -> str | None:
        return leader_refusal(self.store, self.actor, "change the set-up")

    def _say_who_may(self) -> None:
        refusal = self._refusal()
        self.say(f"Read-only: {refusal}" if refusal else "")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """What only the leader may do is not offered to anyone else."""
        return action not in self.LEADER_ACTIONS or self._refusal() is None

    def say(self, text: str) -> None:
        self.query_one(".setup-message", Static).update(plain(text))

    def allowed(self, action: str) -> bool:
        """Whether the actor may ``action``; if not, say why (the store's own words)."""
        refusal = leader_refusal(self.store, self.actor, action)
        self.say(refusal or "")
        if refusal:
            self.notify(refusal, title="Read-only", severity="warning", markup=False)
        return refusal is None

    def open_form(self, form: RecordForm, done: Callable[[], None]) -> None:
        """Show ``form``; when the store has accepted it, call ``done`` to show the result."""

        def closed(saved: bool | None) -> None:
            if saved:
                done()

        self.app.push_screen(form, closed)

    def confirm(self, question: str, then: Callable[[], None]) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.attempt(then)

        self.app.push_screen(ConfirmScreen(question), answered)

    def attempt(self, write: Callable[[], None]) -> None:
        """Run a write; a refusal is shown in the message line instead of a traceback."""
        try:
            write()
        except StoreError as refusal:
            self.say(str(refusal))

    def action_back(self) -> None:
        self.dismiss()


BACK = Binding("escape", "back", "Back", id="setup.back", tooltip="Back to the previous screen")
