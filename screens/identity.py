"""The question asked at start when nobody said who is working: which organisation are you?

The answer decides what may be changed; "just looking" changes nothing.
"""

from __future__ import annotations

import time

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from vatui.screens.keyboard import focus_now
from vatui.screens.widgets import one_line

JUST_LOOKING_ID = "just-looking"


class TypeAheadList(OptionList):
    """An option list where typing the start of a name moves to it, as a file picker does:
    ``v`` goes to VLIZ, ``ma`` to MARIS; a pause of a second starts the typing afresh."""

    PAUSE = 1.0

    def __init__(self, *options: Option, id: str | None = None) -> None:
        super().__init__(*options, id=id)
        self._typed = ""
        self._last = 0.0

    def on_key(self, event: events.Key) -> None:
        if not event.is_printable or event.character is None:
            return
        event.stop()
        now = time.monotonic()
        fresh = now - self._last > self.PAUSE
        self._typed = ("" if fresh else self._typed) + event.character.casefold()
        self._last = now
        for index in range(self.option_count):
            prompt = self.get_option_at_index(index).prompt
            shown = prompt.plain if isinstance(prompt, Text) else str(prompt)
            if shown.casefold().startswith(self._typed):
                self.highlighted = index
                return


class IdentityScreen(ModalScreen[str | None]):
    """Pick an organisation of the project; dismissed with its name, or None for read-only."""

    CSS_PATH = "identity.tcss"

    BINDINGS = [
        Binding(
            "escape",
            "just_looking",
            "Just looking",
            id="identity.just_looking",
            tooltip="Go on without an identity: everything is read-only",
        ),
    ]

    def __init__(self, organisations: list[str], current: str | None = None) -> None:
        super().__init__()
        self.organisations = organisations
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="identity-box") as box:
            box.border_title = "Who are you?"
            yield Static(
                "Pick the organisation you work for: you may change its installations only.",
                id="identity-help",
            )
            # Organisation names are stored text: plain, control characters as escapes.
            options = [Option(one_line(name), id=name) for name in self.organisations]
            options.append(Option("just looking (read-only)", id=JUST_LOOKING_ID))
            yield TypeAheadList(*options, id="identity-options")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.current in self.organisations:
            options.highlighted = self.organisations.index(self.current)
        focus_now(options)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        chosen = event.option.id
        self.dismiss(None if chosen == JUST_LOOKING_ID else chosen)

    def action_just_looking(self) -> None:
        self.dismiss(None)
