"""The app shell and the dashboard: who is working, which period, the lights, the filter."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rich.text import Text
from textual.widgets import DataTable, OptionList
from vatui.screens.dashboard import DashboardScreen
from vatui.screens.identity import IdentityScreen
from vatui.screens.installation.screen import InstallationScreen
from vatui.screens.lights import LIGHT_COLOURS
from vatui.store import Light, PermissionDenied, Store

from tests.tui_app_helpers import SIZE, open_installation, row, toasts, vatui
from tests.tui_helpers import fill
from vatui.app import VatuiApp
from vatui.config import load_config

COLOURS = {colour: light for light, colour in LIGHT_COLOURS.items()}


def metric_lights(pilot: object, installation: str) -> list[Light]:
    """The lights the dashboard's dots show for an installation, read from their colours."""
    table = pilot.app.screen.query_one("#installations", DataTable)  # type: ignore[attr-defined]
    dots = table.get_cell(installation, "metrics")
    assert isinstance(dots, Text)
    return [COLOURS[str(span.style)] for span in dots.spans]


async def test_the_dashboard_shows_every_installation_with_its_lights(demo: Store) -> None:
    async with vatui(demo).run_test(size=SIZE) as pilot:
        assert pilot.app.title == "iMagine · WP5"
        assert pilot.app.sub_title == "M13-M24 (Sep 2023 – Aug 2024) · as VLIZ"
        assert row(pilot, "#installations", "uc5") == [
            "✎ 5",
            "Flowcam phytoplankton identification",
            "VLIZ",
            "operational",
            "●●●●",
            "● green",
            "2024-07-12",
            "accepted",  # the review state of M13-M24
        ]
        assert metric_lights(pilot, "uc5") == [Light.GREEN] * 4
        assert row(pilot, "#installations", "uc1")[0] == "  1"  # VLIZ may not edit UC1
        assert row(pilot, "#milestones", "M5.4")[:2] == ["✕ red", "M5.4"]


async def test_switching_the_period_changes_the_lights(demo: Store) -> None:
    async with vatui(demo).run_test(size=SIZE) as pilot:
        assert metric_lights(pilot, "uc5") == [Light.GREEN] * 4
        await pilot.press("p")
        assert pilot.app.sub_title.startswith("M25-M36 (Sep 2024 – Aug 2025)")
        assert metric_lights(pilot, "uc5") == [Light.GREY] * 4  # no values yet
        await pilot.press("P", "P")
        assert pilot.app.sub_title.startswith("M1-M12")
        assert metric_lights(pilot, "uc5") == [Light.GREY] * 4


async def test_the_command_palette_changes_the_period_and_opens_an_installation(
    demo: Store,
) -> None:
    async with vatui(demo, period="M25-M36").run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"m13")
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.sub_title.startswith("M13-M24")
        assert metric_lights(pilot, "uc5") == [Light.GREEN] * 4
        await pilot.press("ctrl+p")
        await pilot.press(*"zoo")
        await pilot.press("enter")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, InstallationScreen) and screen.installation == "uc2"


async def test_without_an_identity_the_app_asks_who_you_are(demo: Store) -> None:
    async with vatui(demo, actor=None).run_test(size=SIZE) as pilot:
        assert isinstance(pilot.app.screen, IdentityScreen)
        options = pilot.app.screen.query_one(OptionList)
        assert options.get_option_at_index(options.option_count - 1).id == "just-looking"
        options.highlighted = [o.id for o in options.options].index("SU")
        await pilot.press("enter")
        assert isinstance(pilot.app.screen, DashboardScreen)
        assert pilot.app.sub_title.endswith("· as SU")
        assert row(pilot, "#installations", "uc2")[0] == "✎ 2"


async def test_just_looking_changes_nothing_and_says_how_to_edit(demo: Store) -> None:
    async with vatui(demo, actor=None).run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("escape")  # just looking
        assert pilot.app.sub_title.endswith("· just looking (read-only)")
        assert all(cell.startswith(" ") for cell in _column(pilot, "number"))
        await open_installation(pilot, "uc5")
        await pilot.press("enter")
        assert isinstance(pilot.app.screen, InstallationScreen)
        assert any("just looking" in text and "--as ORG" in text for text in toasts(pilot))
    assert demo.history() == []


def test_an_unknown_identity_is_refused_before_the_app_starts(demo: Store) -> None:
    with pytest.raises(PermissionDenied, match="not an organisation of this project"):
        VatuiApp(demo, actor="ACME")


async def test_the_filter_keeps_matching_installations_and_escape_clears_it(demo: Store) -> None:
    async with vatui(demo).run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await fill(pilot, "#filter", "ifremer")
        assert _column(pilot, "number") == ["  3"]
        await fill(pilot, "#filter", "nothing like it")
        assert _column(pilot, "number") == []
        await pilot.press("escape")
        assert len(_column(pilot, "number")) == 5


async def test_at_80_by_24_every_installation_and_its_light_fits(demo: Store) -> None:
    async with vatui(demo).run_test(size=(80, 24)) as pilot:
        table = pilot.app.screen.query_one("#installations", DataTable)
        assert table.row_count == 5
        widths = sum(column.get_render_width(table) for column in table.columns.values())
        assert widths <= table.size.width  # nothing hides beyond the right edge
        assert row(pilot, "#installations", "uc5")[-1] == "● green"
        assert row(pilot, "#installations", "uc5")[1].splitlines() == [
            "Flowcam phytoplankton identification",
            "VLIZ",
        ]


def _column(pilot: object, key: str) -> list[str]:
    table = pilot.app.screen.query_one("#installations", DataTable)  # type: ignore[attr-defined]
    return [str(cell) for cell in table.get_column(key)]


async def test_a_theme_picked_in_the_palette_is_remembered(
    demo: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    monkeypatch.setenv("VATUI_CONFIG", str(config))
    async with vatui(demo).run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"theme", "enter")
        await pilot.press(*"nord", "enter")
        await pilot.pause()
        assert pilot.app.theme == "nord"
    assert load_config()[0].theme == "nord"
    starting = VatuiApp(demo, actor="VLIZ", theme="nord")
    assert starting.theme == "nord"


async def test_a_read_only_store_says_so_in_the_header_and_refuses_edits(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda path, mode, **kw: False if mode & os.W_OK else real_access(path, mode)
    )
    store = Store.open(demo_path)
    app = vatui(store, actor="VLIZ", period="M25-M36")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        assert "READ-ONLY STORE" in app.sub_title
        assert any("read-only here" in toast for toast in toasts(pilot))
        await open_installation(pilot, "uc5")
        await pilot.press("enter")  # try to edit the first metric anyway
        await pilot.pause()
        assert any("is read-only here; nothing can be changed" in t for t in toasts(pilot))
    assert store.value("uc5", "users", "M25-M36") is None
    store.close()
