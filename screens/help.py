"""The help screen: vatui's bundled help text (markdown), over whatever screen asked for it.

The text is given by the caller (the App reads ``vatui/help.md``), so the screen holds no
knowledge of where help lives and can show any markdown.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import MarkdownViewer
from vatui.screens.footer import KeyFooter


class HelpScreen(ModalScreen[None]):
    """Help over the current screen; Escape, q, ? or F1 closes it."""

    CSS_PATH = "help.tcss"

    BINDINGS = [
        Binding(
            "escape,q,question_mark,f1",
            "close",
            "Close help",
            id="help.close",
            tooltip="Back to the screen you were on",
        ),
        Binding(
            "t",
            "contents",
            "Contents",
            id="help.contents",
            tooltip="Show or hide the table of contents",
        ),
    ]

    def __init__(self, markdown: str) -> None:
        super().__init__()
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box") as box:
            box.border_title = "vatui help"
            yield MarkdownViewer(
                self.markdown, id="help-text", show_table_of_contents=False, open_links=False
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(MarkdownViewer).document.focus()

    def action_close(self) -> None:
        self.dismiss()

    def action_contents(self) -> None:
        viewer = self.query_one(MarkdownViewer)
        viewer.show_table_of_contents = not viewer.show_table_of_contents
