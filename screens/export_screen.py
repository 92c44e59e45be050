"""The export screen: the period's chapter as the reviewer will read it, saved or copied.

The markdown is rendered in a thread, on a connection of its own (an SQLite connection belongs
to the thread that opened it), so the screen answers keys while a large store renders. It is
saved through ``write_atomic`` (never half a file) after asking before overwriting, and copied
with OSC 52, which reaches the user's clipboard even over SSH.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Label, MarkdownViewer, Static
from vatui.exports.files import write_atomic
from vatui.exports.markdown import LIGHT_STYLES, render_report
from vatui.screens.access import follow_session
from vatui.screens.confirm import ConfirmScreen
from vatui.screens.footer import KeyFooter
from vatui.screens.keyboard import focus_now
from vatui.screens.widgets import plain
from vatui.store import Store, StoreError
from vatui.store.text import printable


def default_file_name(store: Store, period: str) -> str:
    """``iMagine-WP5-M13-M24.md``: the project, work package and period, safe as a file name."""
    project = store.project()
    stem = "-".join(filter(None, [project.name, project.work_package, period]))
    return re.sub(r"[^\w.-]+", "_", stem) + ".md"


class ExportScreen(Screen[None]):
    """A preview of the export for one period, with a path to save it to."""

    CSS_PATH = "export_screen.tcss"

    BINDINGS = [
        Binding(
            "ctrl+s",
            "save",
            "Save",
            id="export.save",
            tooltip="Save the export to the file named in the path box (asks before overwriting)",
        ),
        Binding(
            "c",
            "copy",
            "Copy",
            id="export.copy",
            tooltip="Copy the markdown to the clipboard (OSC 52: works over SSH)",
        ),
        Binding(
            "l",
            "next_lights",
            "Lights",
            id="export.lights",
            tooltip="Write lights as emoji, as words, or leave them out",
        ),
        Binding(
            "t",
            "contents",
            "Contents",
            id="export.contents",
            tooltip="Show or hide the table of contents, to jump to a section",
        ),
        Binding("escape", "back", "Back", id="export.back", tooltip="Back to the previous screen"),
    ]

    def __init__(self, store: Store, period: str, *, path: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.period = store.period(period).label
        self.start_path = path or default_file_name(store, self.period)
        self.lights = LIGHT_STYLES[0]
        self.markdown: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="export-bar"):
            yield Label("Save to", id="export-path-label")
            yield Input(self.start_path, id="export-path", placeholder="a file name, e.g. D5.2.md")
            yield Button("Save", id="export-save", variant="primary")
            yield Button("Copy", id="export-copy")
        yield Static(id="export-path-error")
        yield Static(id="export-status")
        yield MarkdownViewer(id="export-preview", show_table_of_contents=False, open_links=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#export-path-error", Static).display = False
        self.query_one(MarkdownViewer).document.focus()
        follow_session(self, self.show_period)
        self.render_export()

    def show_period(self, period: str, identity: str | None = None) -> None:
        """Export another period; a file name still at its default follows the period."""
        if period == self.period:
            return
        path = self.query_one("#export-path", Input)
        if path.value == default_file_name(self.store, self.period):
            path.value = default_file_name(self.store, period)
        self.period = period
        self.render_export()

    # ---- rendering ------------------------------------------------------------------------

    def render_export(self) -> None:
        self.markdown = None
        self._status(f"Rendering the {self.period} export (lights: {self.lights})…")
        self._build(self.lights)

    @work(exclusive=True, group="export-render")
    async def _build(self, lights: str) -> None:
        """Render in a thread and show the result; a newer render cancels this one, so a
        superseded result is never shown."""
        try:
            text = await asyncio.to_thread(self._export_text, lights)
        except StoreError as refusal:
            self._status(f"Cannot render the export: {refusal}")
            return
        await self._show(text)

    def _export_text(self, lights: str) -> str:
        """The export's markdown, read on a connection of the calling thread's own."""
        if self.store.path is None:
            raise StoreError("this store has no file, so it cannot be read in the background")
        with Store.open(self.store.path, clock=self.store.clock) as reader:
            return render_report(reader, self.period, lights=lights)

    async def _show(self, text: str) -> None:
        # The preview shows any control character left in stored text as an escape; the file
        # saved and the text copied are the export itself.
        await self.query_one(MarkdownViewer).document.update(printable(text))
        self.markdown = text
        lines = text.count("\n")
        self._status(
            f"{self.period}: {len(text):,} characters, {lines:,} lines · lights: {self.lights} "
            "(l changes) · t: contents"
        )

    def _status(self, text: str) -> None:
        self.query_one("#export-status", Static).update(plain(text))

    def _path_error(self, text: str) -> None:
        error = self.query_one("#export-path-error", Static)
        if text or error.display:  # a needless update lays out the whole preview again
            error.update(plain(text))
            error.display = bool(text)

    # ---- actions --------------------------------------------------------------------------

    def action_next_lights(self) -> None:
        self.lights = LIGHT_STYLES[(LIGHT_STYLES.index(self.lights) + 1) % len(LIGHT_STYLES)]
        self.render_export()

    def action_contents(self) -> None:
        viewer = self.query_one(MarkdownViewer)
        viewer.show_table_of_contents = not viewer.show_table_of_contents

    def action_copy(self) -> None:
        if self.markdown is None:
            self._status("Still rendering; copy again in a moment.")
            return
        self.app.copy_to_clipboard(self.markdown)
        self._status(
            f"Copied {len(self.markdown):,} characters to the clipboard "
            "(through the terminal, OSC 52; some terminals must be told to allow it)."
        )
        self.notify("Export copied to the clipboard.", title="Copied")

    def action_save(self) -> None:
        self._path_error("")
        if self.markdown is None:
            self._status("Still rendering; save again in a moment.")
            return
        try:
            path = self._target()
        except ValueError as problem:
            self._path_error(str(problem))
            focus_now(self.query_one("#export-path", Input))
            return
        text = self.markdown
        if path.exists():
            question = f"{path} exists. Overwrite it with the {self.period} export?"
            self.app.push_screen(
                ConfirmScreen(question, yes="Overwrite", no="Cancel"),
                lambda yes: self._write(path, text) if yes else None,
            )
        else:
            self._write(path, text)

    def _target(self) -> Path:
        """The file named in the path box, or ValueError saying what is wrong with it."""
        typed = self.query_one("#export-path", Input).value.strip()
        if not typed:
            raise ValueError(
                f"file: give a file name, e.g. {default_file_name(self.store, self.period)}"
            )
        path = Path(typed).expanduser()
        if path.is_dir():
            raise ValueError(f"file: {path} is a folder; add a file name, e.g. {path / 'D5.2.md'}")
        if not path.parent.is_dir():
            raise ValueError(f"file: the folder {path.parent} does not exist; create it first")
        return path

    def _write(self, path: Path, text: str) -> None:
        try:
            write_atomic(path, text)
        except OSError as error:
            self._path_error(f"file: cannot write {path}: {error.strerror or error}")
            return
        self._status(
            f"Saved the {self.period} export to {path.resolve()} ({len(text):,} characters)."
        )
        self.notify(f"Saved {path}", title="Export saved", markup=False)

    def action_back(self) -> None:
        self.dismiss()

    @on(Button.Pressed, "#export-save")
    @on(Input.Submitted, "#export-path")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#export-copy")
    def _copy_pressed(self) -> None:
        self.action_copy()

    @on(Input.Changed, "#export-path")
    def _path_changed(self) -> None:
        self._path_error("")
