"""The export screen: the chapter previewed, saved (asking before overwriting) and copied."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input, MarkdownViewer
from vatui.exports.markdown import render_report
from vatui.screens.confirm import ConfirmScreen
from vatui.screens.dashboard import DashboardScreen
from vatui.screens.export_screen import ExportScreen
from vatui.store import Store
from vatui.store.projectfile import create_store, read_project_file

from tests.tui_helpers import ScreenHost, fill, shown
from vatui.app import VatuiApp

PERIOD = "M13-M24"
#: One installation: a quick preview where the test is about saving, not about the chapter.
SMALL_PROJECT = """
format = 1

[project]
name = "Small"
work_package = "WP9"
start = "2022-09"
leader = "MARIS"

[[period]]
label = "M13-M24"

[[installation]]
id = "uc5"
number = 5
name = "Flowcam phytoplankton identification"
providers = ["VLIZ"]
stage = "operational"

[[installation.metric]]
id = "users"
name = "Number of unique users"
baseline = 5

[[installation.metric.value]]
period = "M13-M24"
value = 7
"""


@pytest.fixture
def small(tmp_path: Path) -> Iterator[Store]:
    store = create_store(tmp_path / "small.db", read_project_file(SMALL_PROJECT))
    yield store
    store.close()


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder (the store lives beside it, not in it)."""
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def headings(pilot: object) -> list[str]:
    viewer = pilot.app.screen.query_one(MarkdownViewer)  # type: ignore[attr-defined]
    return [str(block._content) for block in viewer.document.query("MarkdownHeader")]


async def rendered(pilot: object) -> None:
    await pilot.app.workers.wait_for_complete()  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def test_e_previews_the_chapter_of_the_period_shown_and_copies_it(demo: Store) -> None:
    async with VatuiApp(demo, actor="VLIZ").run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await rendered(pilot)
        assert isinstance(pilot.app.screen, ExportScreen)
        assert "2.5 Flowcam phytoplankton identification" in headings(pilot)
        await pilot.press("c")
        assert pilot.app.clipboard == render_report(demo, PERIOD)
        await pilot.press("p")  # the next period: rendered again, the file name follows
        await rendered(pilot)
        assert "M25-M36" in shown(pilot, "#export-status")
        path = pilot.app.screen.query_one("#export-path", Input).value
        assert path == "iMagine-WP5-M25-M36.md"
        await pilot.press("c")
        assert pilot.app.clipboard == render_report(demo, "M25-M36")
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, DashboardScreen)


async def test_save_explains_a_bad_path_then_writes_and_asks_before_overwriting(
    small: Store, in_tmp: Path
) -> None:
    target = in_tmp / "chapter.md"
    async with ScreenHost(ExportScreen(small, PERIOD)).run_test(size=(80, 24)) as pilot:
        await rendered(pilot)
        await fill(pilot, "#export-path", "no/such/folder/x.md")
        await pilot.press("enter")
        assert "does not exist" in shown(pilot, "#export-path-error")
        await fill(pilot, "#export-path", str(in_tmp))
        await pilot.press("enter")
        assert "is a folder" in shown(pilot, "#export-path-error")
        assert list(in_tmp.iterdir()) == []
        await fill(pilot, "#export-path", "chapter.md")
        await pilot.press("enter")
        assert target.read_text(encoding="utf-8") == render_report(small, PERIOD)
        assert "Saved the M13-M24 export" in shown(pilot, "#export-status")
        target.write_text("keep me", encoding="utf-8")
        await pilot.click("#export-save")
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("n")
        assert target.read_text(encoding="utf-8") == "keep me"
        await pilot.press("l")  # lights as words, then saved over the file once agreed
        await rendered(pilot)
        await pilot.press("ctrl+s", "y")
        assert target.read_text(encoding="utf-8") == render_report(small, PERIOD, lights="words")
