"""The milestones screen, driven by keys and clicks as the leader and as a provider."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable
from vatui.screens.confirm import ConfirmScreen
from vatui.screens.dashboard import DashboardScreen
from vatui.screens.milestones import MilestoneForm, MilestonesScreen
from vatui.store import Store

from tests.tui_helpers import ScreenHost, fill, shown
from vatui.app import VatuiApp

PERIOD = "M13-M24"


def host(store: Store, actor: str | None) -> ScreenHost:
    return ScreenHost(MilestonesScreen(store, actor, PERIOD))


def row_of(pilot: object, milestone: str) -> list[str]:
    table = pilot.app.screen.query_one(DataTable)  # type: ignore[attr-defined]
    return [str(cell) for cell in table.get_row(milestone)]


async def test_the_list_shows_each_milestone_with_its_light(demo: Store) -> None:
    async with host(demo, "VLIZ").run_test(size=(120, 40)) as pilot:
        row = row_of(pilot, "M5.4")
        # M5.4 was due at M24, is not achieved and has no re-planned date: red.
        assert row[:2] == ["✕ red", "M5.4"]
        assert "Aug 2024" in row[3]
        assert row[4] == "partially achieved"
        assert "Five mature use cases" in shown(pilot, "#milestones-detail")


async def test_leader_records_the_achieved_date_and_the_light_turns_green(demo: Store) -> None:
    async with host(demo, "MARIS").run_test(size=(120, 40)) as pilot:
        await pilot.click("#milestones-table", offset=(10, 1))  # highlight the row,
        await pilot.click("#milestones-table", offset=(10, 1))  # then open it
        assert isinstance(pilot.app.screen, MilestoneForm)
        await fill(pilot, "#field-status", "achieved")
        await fill(pilot, "#field-achieved", "2024-10-01")
        await pilot.press("ctrl+s")
        assert isinstance(pilot.app.screen, MilestonesScreen)
        assert row_of(pilot, "M5.4")[0] == "● green"
    saved = demo.milestone("M5.4")
    assert (saved.status, saved.achieved) == ("achieved", dt.date(2024, 10, 1))


async def test_a_bad_date_is_explained_under_its_field_and_nothing_is_saved(demo: Store) -> None:
    before = demo.milestone("M5.4")
    async with host(demo, "MARIS").run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        await fill(pilot, "#field-status", "achieved")
        await fill(pilot, "#field-replanned", "31/12/2024")
        await pilot.press("ctrl+s")
        assert isinstance(pilot.app.screen, MilestoneForm)
        error = shown(pilot, "#error-replanned")
        assert "'31/12/2024'" in error and "YYYY-MM-DD" in error
    assert demo.milestone("M5.4") == before


async def test_leader_adds_a_milestone_once_the_id_and_due_month_are_right(demo: Store) -> None:
    async with host(demo, "MARIS").run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        await fill(pilot, "#field-id", "m5.4")
        await fill(pilot, "#field-title", "All use cases in production")
        await fill(pilot, "#field-due_month", "")
        await pilot.press("3", "x")  # typed key by key
        await pilot.press("ctrl+s")
        assert "project month number" in shown(pilot, "#error-due_month")
        await fill(pilot, "#field-due_month", "M36")
        assert "31 Aug 2025" in shown(pilot, "#hint-due_month")
        await pilot.press("ctrl+s")
        assert "no other milestone has" in shown(pilot, "#error-id")
        assert shown(pilot, "#error-due_month") == ""
        assert [m.id for m in demo.milestones()] == ["M5.4"]
        await fill(pilot, "#field-id", "M5.5")
        await fill(pilot, "#field-installations", "UC2, uc3")
        await pilot.press("ctrl+s")
        assert row_of(pilot, "M5.5")[:3] == ["○ grey", "M5.5", "All use cases in production"]
    added = demo.milestone("M5.5")
    assert (added.due_month, added.installations) == (36, ("uc2", "uc3"))


async def test_a_provider_is_told_why_it_cannot_edit(demo: Store) -> None:
    async with host(demo, "VLIZ").run_test(size=(120, 40)) as pilot:
        assert "read-only" in shown(pilot, "#milestones-heading")
        await pilot.press("enter")
        assert isinstance(pilot.app.screen, MilestonesScreen)
        message = shown(pilot, "#milestones-message")
        assert "VLIZ may not change milestone M5.4" in message
        assert "only the project leader MARIS" in message
        await pilot.press("a")  # not offered to a provider: nothing opens
        assert isinstance(pilot.app.screen, MilestonesScreen)
        assert "only the project leader MARIS" in shown(pilot, "#milestones-heading")


async def test_without_an_organisation_nothing_opens(demo: Store) -> None:
    async with host(demo, None).run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        assert isinstance(pilot.app.screen, MilestonesScreen)
        assert "--as ORG" in shown(pilot, "#milestones-heading")


async def test_leaving_a_changed_form_asks_first(demo: Store) -> None:
    before = demo.milestone("M5.4")
    async with host(demo, "MARIS").run_test(size=(120, 40)) as pilot:
        await pilot.press("e", "escape")  # nothing changed: no question
        assert isinstance(pilot.app.screen, MilestonesScreen)
        await pilot.press("e")
        await fill(pilot, "#field-status", "achieved")
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("n")
        assert isinstance(pilot.app.screen, MilestoneForm)
        await pilot.press("escape")
        await pilot.click("#confirm-yes")
        assert isinstance(pilot.app.screen, MilestonesScreen)
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, MilestonesScreen)
    assert demo.milestone("M5.4") == before


async def test_m_opens_the_milestones_of_the_period_shown_and_they_follow_it(demo: Store) -> None:
    async with VatuiApp(demo, actor="MARIS").run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        assert isinstance(pilot.app.screen, MilestonesScreen)
        assert "M13-M24" in shown(pilot, "#milestones-heading")
        await pilot.press("p")
        assert "M25-M36" in shown(pilot, "#milestones-heading")
        await pilot.press("m")  # already there: nothing stacks up
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, DashboardScreen)
