"""SVG snapshots of the screens people look at most, at fixed sizes.

The demo store's clock is fixed (``counting_clock``) and no screen here shows today's date, so
the pictures are the same on every run. Update them with ``pytest --snapshot-update`` after a
deliberate change, and look at the SVGs in ``tests/__snapshots__`` before committing.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from vatui.store import Store

from tests.tui_app_helpers import SIZE, open_installation, vatui
from tests.tui_helpers import fill


def test_dashboard(snap_compare: object, demo: Store) -> None:
    assert snap_compare(vatui(demo), terminal_size=SIZE)  # type: ignore[operator]


def test_dashboard_at_80_by_24(snap_compare: object, demo: Store) -> None:
    assert snap_compare(vatui(demo, "DFKI"), terminal_size=(80, 24))  # type: ignore[operator]


def test_installation_with_sites(snap_compare: object, demo: Store) -> None:
    async def open_uc3(pilot: Pilot[None]) -> None:
        await open_installation(pilot, "uc3")

    assert snap_compare(vatui(demo, "IFREMER"), terminal_size=SIZE, run_before=open_uc3)  # type: ignore[operator]


def test_value_form_reading_countries(snap_compare: object, demo: Store) -> None:
    async def type_countries(pilot: Pilot[None]) -> None:
        await open_installation(pilot, "uc1")
        await pilot.press("ctrl+end", "enter")
        await fill(pilot, "#field-value", "Italy, BE, Germny")

    app = vatui(demo, "DFKI", "M25-M36")
    assert snap_compare(app, terminal_size=SIZE, run_before=type_countries)  # type: ignore[operator]


def test_dashboard_without_colour(
    snap_compare: object, demo: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """NO_COLOR: every light still reads, by its glyph and its word."""
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(vatui(demo, "MARIS", "M13-M24"), terminal_size=SIZE)  # type: ignore[operator]


def test_dashboard_on_the_light_theme(snap_compare: object, demo: Store) -> None:
    app = vatui(demo, "MARIS", "M13-M24")
    app.theme = "textual-light"
    assert snap_compare(app, terminal_size=SIZE)  # type: ignore[operator]
