"""Setting up installations, sites and metrics from the TUI, as the leader and as a provider."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable
from vatui.screens.confirm import ConfirmScreen
from vatui.screens.dashboard import DashboardScreen
from vatui.screens.setup.forms import InstallationForm, MetricForm, SiteForm
from vatui.screens.setup.project import PeriodForm, ProjectForm, ProjectSetupScreen
from vatui.screens.setup.screen import InstallationSetupScreen, SetupScreen
from vatui.store import Store

from tests.tui_helpers import ScreenHost, fill, shown
from vatui.app import VatuiApp


def setup(store: Store, actor: str | None) -> ScreenHost:
    return ScreenHost(SetupScreen(store, actor))


def installation_setup(store: Store, actor: str | None, installation: str) -> ScreenHost:
    return ScreenHost(InstallationSetupScreen(store, actor, installation))


def cells(pilot: object, table: str, key: str) -> list[str]:
    found = pilot.app.screen.query_one(table, DataTable)  # type: ignore[attr-defined]
    return [str(cell) for cell in found.get_row(key)]


async def test_leader_adds_an_installation_once_the_id_and_date_are_right(demo: Store) -> None:
    async with setup(demo, "MARIS").run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        assert isinstance(pilot.app.screen, InstallationForm)
        await fill(pilot, "#field-id", "UC5")
        await fill(pilot, "#field-name", "Seagrass mapping")
        await fill(pilot, "#field-providers", "VLIZ, CNR")
        await pilot.press("ctrl+s")
        assert "no other installation has" in shown(pilot, "#error-id")
        await fill(pilot, "#field-id", "uc6")
        await fill(pilot, "#field-planned_production", "next June")
        await pilot.press("ctrl+s")
        assert "YYYY-MM-DD" in shown(pilot, "#error-planned_production")
        assert shown(pilot, "#error-id") == ""
        assert len(demo.installations()) == 5
        await fill(pilot, "#field-planned_production", "2025-06-30")
        await pilot.click("#form-save")
        assert cells(pilot, "#installations-table", "uc6")[:4] == [
            "6",
            "uc6",
            "Seagrass mapping",
            "VLIZ, CNR",
        ]
    added = demo.installation("uc6")
    assert (added.providers, added.planned_production) == (("VLIZ", "CNR"), dt.date(2025, 6, 30))


async def test_leader_renames_an_installation_and_changes_its_providers(demo: Store) -> None:
    async with setup(demo, "MARIS").run_test(size=(120, 40)) as pilot:
        await pilot.press("down", "e")
        await fill(pilot, "#field-providers", "CNR, MARIS")
        await pilot.press("ctrl+s")
        assert isinstance(pilot.app.screen, SetupScreen)
        assert "CNR, MARIS" in cells(pilot, "#installations-table", "uc2")
    assert demo.installation("uc2").providers == ("CNR", "MARIS")


async def test_archiving_asks_first_and_can_be_undone(demo: Store) -> None:
    async with setup(demo, "MARIS").run_test(size=(120, 40)) as pilot:
        await pilot.press("down", "down", "down", "x")
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("y")
        assert "uc4" not in [i.id for i in demo.installations()]
        assert "(archived)" in cells(pilot, "#installations-table", "uc4")[2]
        await pilot.press("x")
        assert "uc4" in [i.id for i in demo.installations()]
        assert "Restored uc4" in shown(pilot, ".setup-message")


async def test_a_provider_sees_the_list_and_is_told_why_it_cannot_change_it(
    demo: Store,
) -> None:
    async with setup(demo, "VLIZ").run_test(size=(120, 40)) as pilot:
        assert "VLIZ may not change the set-up: only the project leader MARIS" in shown(
            pilot, ".setup-message"
        )  # said from the start, and the keys that change it are not offered
        await pilot.press("a")
        assert isinstance(pilot.app.screen, SetupScreen)
        await pilot.press("x")
        assert not isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("enter")
        assert isinstance(pilot.app.screen, InstallationSetupScreen)
        await pilot.press("e")
        assert isinstance(pilot.app.screen, InstallationSetupScreen)
        assert "only the project leader MARIS" in shown(pilot, ".setup-message")
    assert len(demo.installations()) == 5


async def test_a_countries_baseline_shows_what_it_was_read_as(demo: Store) -> None:
    async with installation_setup(demo, "MARIS", "uc5").run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        assert isinstance(pilot.app.screen, MetricForm)
        await fill(pilot, "#field-id", "partner-countries")
        await fill(pilot, "#field-name", "Countries of partner labs")
        pilot.app.screen.query_one("#field-kind").focus()
        await pilot.press("enter", "down", "enter")  # open the list, pick "countries"
        await fill(pilot, "#field-baseline", "Germany, BIH, Narnia")
        assert "'Narnia' is not accepted" in shown(pilot, "#error-baseline")
        await pilot.press("ctrl+s")
        assert "partner-countries" not in [m.id for m in demo.metrics("uc5")]
        await fill(pilot, "#field-baseline", "Germany, BIH, UK")
        hint = shown(pilot, "#hint-baseline")
        assert "read as 3" in hint and "(BA)" in hint and "(GB)" in hint
        await pilot.press("ctrl+s")
        assert isinstance(pilot.app.screen, InstallationSetupScreen)
        assert "Countries of partner labs" in cells(pilot, "#metrics-table", "partner-countries")
    added = demo.metric("uc5", "partner-countries")
    assert (added.kind, added.baseline_countries) == ("countries", ("DE", "BA", "GB"))


async def test_a_letter_in_a_baseline_is_refused(demo: Store) -> None:
    before = demo.metric("uc1", "users")
    async with installation_setup(demo, "MARIS", "uc1").run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        assert isinstance(pilot.app.screen, MetricForm)
        await fill(pilot, "#field-baseline", "12a")
        await pilot.press("ctrl+s")
        assert "baseline: '12a' is not accepted" in shown(pilot, "#error-baseline")
        await fill(pilot, "#field-baseline", "12")
        await fill(pilot, "#field-baseline_text", "")
        await pilot.press("ctrl+s")
        assert cells(pilot, "#metrics-table", "users")[2] == "12"
    assert (before.baseline, demo.metric("uc1", "users").baseline) == (10, 12)


async def test_archiving_a_metric_takes_it_out_of_the_status(demo: Store) -> None:
    async with installation_setup(demo, "MARIS", "uc1").run_test(size=(120, 40)) as pilot:
        await pilot.press("x")
        await pilot.click("#confirm-yes")
        assert "Archived" in shown(pilot, ".setup-message")
    [status] = demo.status("M13-M24", installations=["uc1"])
    assert "users" not in [row.metric.id for row in status.metrics]


async def test_leader_adds_and_renames_a_site(demo: Store) -> None:
    async with installation_setup(demo, "MARIS", "uc5").run_test(size=(120, 40)) as pilot:
        assert not pilot.app.screen.query_one("#sites-table").display
        await pilot.press("n")
        assert isinstance(pilot.app.screen, SiteForm)
        await fill(pilot, "#field-id", "ostend")
        await fill(pilot, "#field-name", "")
        await pilot.press("ctrl+s")
        assert "site name" in shown(pilot, "#error-name")
        await fill(pilot, "#field-name", "Ostend")
        await pilot.press("ctrl+s")
        sites = pilot.app.screen.query_one("#sites-table", DataTable)
        assert sites.display and cells(pilot, "#sites-table", "ostend")[1] == "Ostend"
        sites.focus()
        await pilot.press("e")
        await fill(pilot, "#field-name", "Oostende")
        await fill(pilot, "#field-code", "UC5o")
        await pilot.press("ctrl+s")
        assert cells(pilot, "#sites-table", "ostend")[1:] == ["Oostende", "UC5o"]
    assert [s.label for s in demo.sites("uc5")] == ["UC5o - Oostende"]


async def test_s_opens_the_set_up_and_escape_backs_out_step_by_step(demo: Store) -> None:
    async with VatuiApp(demo, actor="MARIS").run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        assert isinstance(pilot.app.screen, SetupScreen)
        await pilot.press("enter")
        assert isinstance(pilot.app.screen, InstallationSetupScreen)
        await pilot.press("s")  # set-up is open already: nothing stacks up
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, SetupScreen)
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, DashboardScreen)


# ---- the project and its periods --------------------------------------------------------


async def test_leader_renames_the_project_sets_its_lights_and_a_periods_cut_off(
    demo: Store,
) -> None:
    async with setup(demo, "MARIS").run_test(size=(120, 40)) as pilot:
        await pilot.press("t")
        assert isinstance(pilot.app.screen, ProjectSetupScreen)
        assert cells(pilot, "#periods-table", "M13-M24")[2] == "2024-10-09"
        assert cells(pilot, "#periods-table", "M1-M12")[2] == "2023-09-01 (default)"
        await pilot.press("n")
        assert isinstance(pilot.app.screen, ProjectForm)
        await fill(pilot, "#field-name", "iMagine II")
        await fill(pilot, "#field-amber", "1.2")
        await pilot.press("ctrl+s")
        assert "not above green" in shown(pilot, "#error-amber")
        await fill(pilot, "#field-amber", "60%")
        await pilot.press("ctrl+s")
        assert "iMagine II · green from 1 of the target, amber from 0.6" in shown(
            pilot, "#project-heading"
        )
        await pilot.press("down", "down", "e")  # M25-M36
        assert isinstance(pilot.app.screen, PeriodForm)
        await fill(pilot, "#field-cutoff", "2024-08-01")
        await pilot.press("ctrl+s")
        assert "from the period's start (2024-09-01)" in shown(pilot, "#error-cutoff")
        await fill(pilot, "#field-cutoff", "2025-10-01")
        await pilot.press("ctrl+s")
        assert cells(pilot, "#periods-table", "M25-M36")[2] == "2025-10-01"
        await pilot.press("a")
        await fill(pilot, "#field-label", "M37-M48")
        await pilot.press("ctrl+s")
        assert cells(pilot, "#periods-table", "M37-M48")[1] == "Sep 2025 – Aug 2026"
    project = demo.project()
    assert (project.name, project.green_at, project.amber_at) == ("iMagine II", 1.0, 0.6)
    assert demo.period("M25-M36").as_of == dt.date(2025, 10, 1)
    assert {c.field for c in demo.history(limit=5)} >= {"cutoff", "created", "amber_at"}


async def test_a_provider_sees_the_periods_and_is_told_why_it_may_not_change_them(
    demo: Store,
) -> None:
    async with setup(demo, "VLIZ").run_test(size=(120, 40)) as pilot:
        await pilot.press("t", "a")
        assert isinstance(pilot.app.screen, ProjectSetupScreen)
        assert "only the project leader MARIS" in shown(pilot, ".setup-message")
    assert len(demo.periods()) == 3


async def test_a_stage_changed_in_set_up_holds_from_the_date_given(demo: Store) -> None:
    async with setup(demo, "MARIS").run_test(size=(120, 40)) as pilot:
        await pilot.press("down", "down", "e")  # uc3
        assert isinstance(pilot.app.screen, InstallationForm)
        await pilot.click("#field-stage")
        await pilot.press("down", "down", "enter")  # operational
        await fill(pilot, "#field-stage_since", "2024-10-10")
        await pilot.press("ctrl+s")
        assert "a date not after today" in shown(pilot, "#error-stage_since")
        await fill(pilot, "#field-stage_since", "2024-09-20")
        await pilot.press("ctrl+s")
        assert cells(pilot, "#installations-table", "uc3")[4] == "operational"
    (event,) = demo.stage_events("uc3")
    assert (event.stage, event.since) == ("operational", dt.date(2024, 9, 20))
    (row,) = demo.status("M13-M24", installations=["uc3"])
    assert row.installation.stage == "operational"  # 2024-09-20 is before its cut-off
