"""Driving one screen as a person would, without the whole app around it."""

from __future__ import annotations

from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Static


class ScreenHost(App[None]):
    """An app that shows one screen on top of a blank one, as the real app pushes it."""

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        self.hosted = screen

    def on_mount(self) -> None:
        self.push_screen(self.hosted)


async def fill(pilot: Pilot[object], selector: str, text: str) -> None:
    """Go to an input of the current screen, clear it with keys and paste ``text`` in.

    Pasting (as a terminal's bracketed paste delivers it) rather than typing key by key keeps
    the tests quick: the pilot waits for the app to go idle after every key.
    """
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    if field.value:
        await pilot.press("home", "ctrl+k")
    field.post_message(events.Paste(text))
    await pilot.pause()


def shown(pilot: Pilot[object], selector: str) -> str:
    """The plain text a Static of the current screen shows."""
    return str(pilot.app.screen.query_one(selector, Static).render())
