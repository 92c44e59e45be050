"""Driving the whole vatui app as a person would: find an installation, open it, read rows."""

from __future__ import annotations

from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import DataTable
from vatui.screens.installation.screen import InstallationScreen
from vatui.store import Store

from tests.tui_helpers import fill
from vatui.app import VatuiApp

SIZE = (120, 40)


def vatui(store: Store, actor: str | None = "VLIZ", period: str | None = None) -> VatuiApp:
    """The app as the tests drive it: no animations, so the pilot never waits for one."""
    app = VatuiApp(store, actor=actor, period=period)
    app.animation_level = "none"
    return app


async def open_installation(pilot: Pilot[None], ref: str) -> InstallationScreen:
    """From the dashboard: filter on ``ref`` (``uc5``), then Enter on the one row left."""
    await pilot.press("slash")
    await fill(pilot, "#filter", ref)
    await pilot.press("enter", "enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, InstallationScreen), screen
    return screen


def row(pilot: Pilot[None], table: str, key: str) -> list[str]:
    """The plain text of one row of a table of the current screen."""
    found = pilot.app.screen.query_one(table, DataTable)
    return [str(cell) for cell in found.get_row(key)]


def toasts(pilot: Pilot[None]) -> list[str]:
    """The text of the notifications on screen (run the app with ``notifications=True``)."""
    return [str(toast.render()) for toast in pilot.app.screen.query("Toast")]


def drawn(pilot: Pilot[None], selector: str) -> str:
    """The text a widget of the current screen draws, line by line, as a person reads it."""
    widget = pilot.app.screen.query_one(selector)
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "\n".join(line.text.rstrip() for line in lines)


def screen_text(pilot: Pilot[None]) -> str:
    """Every line the current screen draws, footer included."""
    strips = pilot.app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)
