"""A yes/no question in a modal: overwrite a file, discard unsaved changes, archive a record.

Push it with a callback, ``app.push_screen(ConfirmScreen("Overwrite x.md?"), on_answer)``;
the callback gets True for yes and False for no, Escape or a click outside the box. The
question often quotes stored text (a name, a changed value): it is shown as plain text, never
markup, its control characters as escapes.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Click
from textual.screen import ModalScreen
from textual.widgets import Button, Static
from vatui.screens.keyboard import focus_now
from vatui.screens.widgets import plain


class ConfirmScreen(ModalScreen[bool]):
    """Ask one question; answer with y/n, Enter on a button, Escape or the mouse."""

    CSS_PATH = "confirm.tcss"

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes", tooltip="Answer yes"),
        Binding("n", "answer(False)", "No", id="confirm.no", tooltip="Answer no"),
        Binding("escape", "answer(False)", "Cancel", id="confirm.cancel", tooltip="Answer no"),
    ]

    def __init__(self, question: str, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self.yes_label = yes
        self.no_label = no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(plain(self.question), id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self.yes_label} (y)", id="confirm-yes", variant="warning")
                yield Button(f"{self.no_label} (n)", id="confirm-no", variant="primary")

    def on_mount(self) -> None:
        # The safe answer has the focus, so a stray Enter changes nothing.
        focus_now(self.query_one("#confirm-no", Button))

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed, "#confirm-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _no(self) -> None:
        self.dismiss(False)

    def on_click(self, event: Click) -> None:
        """A click outside the box is a no, as Escape is."""
        if event.widget is self:
            self.dismiss(False)
