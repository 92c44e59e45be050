"""The installation screen, driven by keys as a provider would: values, texts, delays, history."""

from __future__ import annotations

import datetime as dt

from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Select, Tabs, TextArea
from vatui.screens.confirm import ConfirmScreen
from vatui.screens.dashboard import DashboardScreen
from vatui.screens.installation.description import DescriptionForm
from vatui.screens.installation.screen import InstallationScreen
from vatui.screens.installation.value_form import ValueForm
from vatui.store import Store

from tests.tui_app_helpers import SIZE, drawn, open_installation, row, toasts, vatui
from tests.tui_helpers import fill, shown

NEW_PERIOD = "M25-M36"


async def test_a_provider_enters_a_value_and_sees_the_light_and_the_history(demo: Store) -> None:
    async with vatui(demo).run_test(size=SIZE) as pilot:
        await pilot.press("p")  # M13-M24 -> M25-M36, which has no values yet
        await open_installation(pilot, "uc5")
        users = row(pilot, "#metrics-installation", "users")
        assert users[0].startswith("Number of unique")  # cut in the middle when narrow
        assert users[0].endswith("of the AI image processing service")
        assert users[-2:] == ["○ grey", ""]
        await pilot.press("enter")  # the cursor starts on the first metric
        assert isinstance(pilot.app.screen, ValueForm)
        await fill(pilot, "#field-value", "2,075")
        assert "= 2,075" in shown(pilot, "#hint-value")
        await fill(pilot, "#field-note", "counted on the platform")
        await pilot.press("ctrl+s")
        assert isinstance(pilot.app.screen, ConfirmScreen)  # 2,075 users after 7: implausible
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(pilot.app.screen, InstallationScreen)
        assert row(pilot, "#metrics-installation", "users")[-3:] == [
            "2,075",
            "● green",
            "counted on the platform",
        ]
        await pilot.press("5")
        what = ["VLIZ", f"metric value users/{NEW_PERIOD}"]
        assert _history(pilot) == [
            [*what, "note", "∅ → counted on the platform"],
            [*what, "shown", "∅ → 2,075"],
        ]
    value = demo.value("uc5", "users", NEW_PERIOD)
    assert value is not None and (value.number, value.note) == (2075, "counted on the platform")
    assert demo.history(installation="uc5")[-1].new == "2,075"


async def test_a_bad_value_is_explained_under_the_field_and_nothing_is_saved(demo: Store) -> None:
    async with vatui(demo, period=NEW_PERIOD).run_test(size=SIZE) as pilot:
        await open_installation(pilot, "uc5")
        await pilot.press("enter")
        await fill(pilot, "#field-value", "12 users")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ValueForm)
        error = shown(pilot, "#error-value")
        assert "'12 users' is not accepted" in error and "2,075,958" in error
        await pilot.press("escape")  # unsaved: asks first
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(pilot.app.screen, InstallationScreen)
        assert row(pilot, "#metrics-installation", "users")[-2] == "○ grey"
        await pilot.press("down", "enter")  # the form is kept: it opens clean on the next one
        form = pilot.app.screen
        assert isinstance(form, ValueForm) and form.metric.id != "users"
        assert form.values() == {"value": "", "note": ""}
        assert not form.query_one("#error-value").display
        assert form.query_one("#form-box").border_title == form.metric.name
        hint = shown(pilot, "#hint-value")
        assert hint.startswith("a number") and "Last period (M13-M24)" in hint
    assert demo.value("uc5", "users", NEW_PERIOD) is None
    assert demo.history(installation="uc5") == []


async def test_countries_show_what_they_parse_to_and_suggest_for_a_typo(demo: Store) -> None:
    async with vatui(demo, "DFKI", NEW_PERIOD).run_test(size=SIZE) as pilot:
        await open_installation(pilot, "uc1")
        await pilot.press("ctrl+end", "enter")  # the last metric: names of countries reached
        assert isinstance(pilot.app.screen, ValueForm)
        await fill(pilot, "#field-value", "Italy, BE, UK")
        assert "= 3 countries: Italy (IT), Belgium (BE), United Kingdom (GB)" in shown(
            pilot, "#hint-value"
        )
        await fill(pilot, "#field-value", "Italy, Germny")
        assert "did you mean: Germany (DE)" in shown(pilot, "#error-value")
        await fill(pilot, "#field-value", "Italy, Germany")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, InstallationScreen)
    value = demo.value("uc1", "country-names", NEW_PERIOD)
    assert value is not None and value.countries == ("IT", "DE")


async def test_another_providers_installation_is_read_only_and_says_why(demo: Store) -> None:
    async with vatui(demo, "DFKI").run_test(size=SIZE, notifications=True) as pilot:
        assert row(pilot, "#installations", "uc1")[0] == "✎ 1"
        assert row(pilot, "#installations", "uc5")[0] == "  5"
        screen = await open_installation(pilot, "uc5")
        assert "read-only" in shown(pilot, "#installation-heading")
        await pilot.press("enter")
        assert pilot.app.screen is screen  # no form opens
        assert any("DFKI may not make changes on uc5" in text for text in toasts(pilot))
        await pilot.press("2")
        assert screen.query_one("#edit-description", Button).disabled
        await pilot.press("enter")
        assert pilot.app.screen is screen
        await pilot.press("3")
        assert all(area.read_only for area in screen.query(TextArea))
    assert demo.history() == []


async def test_the_assessment_is_saved_and_leaving_unsaved_text_asks_first(demo: Store) -> None:
    async with vatui(demo, period=NEW_PERIOD).run_test(size=SIZE) as pilot:
        screen = await open_installation(pilot, "uc5")
        await pilot.press("3")
        area = screen.query_one("#text-assessment", TextArea)
        assert screen.focused is area  # the tab shown, its first box has the keyboard
        await pilot.press(*"psme1q")  # period, set-up, milestones, export, a tab, quit: text
        assert area.text == "psme1q"
        assert pilot.app.screen is screen and pilot.app.period == NEW_PERIOD
        area.insert(" All four targets **met** again.")
        await pilot.press("escape")  # leaves the box first, for the tab bar
        assert pilot.app.screen is screen and isinstance(screen.focused, Tabs)
        await pilot.press("escape")  # then leaves the screen, asking first
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("n")  # keep editing
        assert pilot.app.screen is screen
        await pilot.press("ctrl+q")  # quitting asks too
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("n")
        assert pilot.app.screen is screen
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape")  # saved: leaves without asking
        await pilot.pause()
        assert isinstance(pilot.app.screen, DashboardScreen)
    saved = demo.assessment("uc5", NEW_PERIOD)
    assert saved.updated_by == "VLIZ"
    assert saved.assessment.endswith("All four targets **met** again.")


async def test_the_description_form_refuses_a_bad_date_then_saves(demo: Store) -> None:
    async with vatui(demo).run_test(size=SIZE) as pilot:
        screen = await open_installation(pilot, "uc5")
        await pilot.press("2", "enter")
        assert isinstance(pilot.app.screen, DescriptionForm)
        await fill(pilot, "#field-planned_production", "31/01/2025")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "YYYY-MM-DD" in shown(pilot, "#error-planned_production")
        await fill(pilot, "#field-planned_production", "2025-01-31")
        await fill(pilot, "#field-task", "T5.5 and T5.6")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is screen
        assert "T5.5 and T5.6" in drawn(pilot, "#description-table")
    item = demo.installation("uc5")
    assert (item.planned_production, item.task) == (dt.date(2025, 1, 31), "T5.5 and T5.6")


async def test_a_delay_is_added_to_the_log(demo: Store) -> None:
    async with vatui(demo).run_test(size=SIZE) as pilot:
        screen = await open_installation(pilot, "uc5")
        await pilot.press("4", "a")
        reason = pilot.app.screen.query_one("#field-reason", TextArea)
        reason.insert("The platform move took longer.")
        await fill(pilot, "#field-replanned", "2025-03-31")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is screen
        assert "The platform move took longer." in shown(pilot, "#delay-reason")
        assert "deployment ● green" in shown(pilot, "#installation-heading")  # operational
    (entry,) = demo.delays("uc5")
    assert (entry.reason, entry.replanned, entry.author) == (
        "The platform move took longer.",
        dt.date(2025, 3, 31),
        "VLIZ",
    )


def _history(pilot: Pilot[None]) -> list[list[str]]:
    """The rows of the History tab, without their numbers and times."""
    table = pilot.app.screen.query_one("#history-table", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)][2:] for i in range(table.row_count)]


async def test_each_site_has_its_own_assessment(demo: Store) -> None:
    async with vatui(demo, "IFREMER").run_test(size=SIZE) as pilot:
        screen = await open_installation(pilot, "uc3")
        await pilot.press("3")
        sites = screen.query_one("#assessment-site", Select)
        sites.focus()
        await pilot.press("enter", "down", "enter")  # the first site: OBSEA
        area = screen.query_one("#text-assessment", TextArea)
        assert area.text == demo.assessment("uc3", "M13-M24", "obsea").assessment
        assert area.read_only  # M13-M24 is accepted: providers ask the leader to reopen it
        assert "accepted by MARIS" in drawn(pilot, "AssessmentTab .access")
        await pilot.press("p")  # M25-M36: OBSEA's texts are still shown, empty and open
        assert (area.text, area.read_only) == ("", False)
        area.insert("Checked again.")
        sites.focus()
        await pilot.press("enter", "up", "enter")  # back to the whole installation
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("n")
        assert sites.value == "obsea"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert demo.assessment("uc3", NEW_PERIOD, "obsea").assessment == "Checked again."
    assert demo.assessment("uc3", NEW_PERIOD).is_empty


async def test_a_save_on_a_full_disk_keeps_the_form_and_what_was_typed(demo: Store) -> None:
    """SQLite answers as on a full disk when the store may not grow (max_page_count)."""
    note = "counted on the platform; " * 79  # near the 2,000 characters a note may hold
    async with vatui(demo, period=NEW_PERIOD).run_test(size=SIZE) as pilot:
        await open_installation(pilot, "uc5")
        await pilot.press("enter")
        await fill(pilot, "#field-value", "9")
        await fill(pilot, "#field-note", note)
        pages = demo.conn.execute("PRAGMA page_count").fetchone()[0]
        demo.conn.execute(f"PRAGMA max_page_count = {pages}")
        await pilot.press("ctrl+s")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, ValueForm)
        message = " ".join(shown(pilot, "#form-error").split())
        assert "is full; nothing was written" in message and "damaged" not in message
        assert form.values()["value"] == "9" and form.values()["note"] == note
        assert demo.value("uc5", "users", NEW_PERIOD) is None
        demo.conn.execute("PRAGMA max_page_count = 1073741823")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, InstallationScreen)
    value = demo.value("uc5", "users", NEW_PERIOD)
    assert value is not None and value.number == 9 and value.note == note


async def test_the_installation_screen_refilled_shows_only_the_one_opened(demo: Store) -> None:
    """One installation screen is kept and refilled: nothing of the one before stays."""
    async with vatui(demo, "MARIS", NEW_PERIOD).run_test(size=SIZE) as pilot:
        first = await open_installation(pilot, "uc3")
        assert "Azores" in drawn(pilot, "#site-title-1")
        await pilot.press("3", "escape", "escape")  # the assessment, then back
        second = await open_installation(pilot, "uc5")
        assert second is first and second.installation == "uc5"
        assert not [title for title in second.query(".site-title") if title.display]
        assert "Flowcam phytoplankton identification" in drawn(pilot, "#installation-heading")
        assert row(pilot, "#metrics-installation", "users")[1] == "5"  # UC5's baseline
        await pilot.press("3")
        assert not second.query("#assessment-site")  # UC5 has no sites to choose from
        await pilot.press("escape", "escape")
        again = await open_installation(pilot, "uc3")
        assert again.query_one("#metrics-site-2").display
        assert "SmartBay" in drawn(pilot, "#site-title-2")


async def test_the_installation_opened_after_a_period_switch_shows_that_period(
    demo: Store,
) -> None:
    """The screen kept between visits reloads nothing while hidden, and all when opened."""
    async with vatui(demo, "VLIZ", "M13-M24").run_test(size=SIZE) as pilot:
        await open_installation(pilot, "uc5")
        assert row(pilot, "#metrics-installation", "users")[-3] == "7"
        await pilot.press("escape", "p")
        await pilot.pause()
        screen = await open_installation(pilot, "uc5")
        assert row(pilot, "#metrics-installation", "users")[-3] == ""  # M25-M36: none yet
        assert "M25-M36" in drawn(pilot, "#metrics-installation")
        assert "overall ○ grey (no figures yet)" in drawn(pilot, "#installation-heading")
        assert screen.installation == "uc5"


async def test_the_installation_screen_takes_a_theme_picked_while_it_was_away(
    demo: Store,
) -> None:
    """The screen kept between visits is restyled only when the look changed: it must be."""
    app = vatui(demo, "VLIZ", NEW_PERIOD)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_installation(pilot, "uc5")
        dark = screen.styles.background
        await pilot.press("escape")
        app.theme = "textual-light"
        await pilot.pause()
        await open_installation(pilot, "uc5")
        light = screen.styles.background
        assert light != dark and light == app.screen_stack[0].styles.background


async def test_an_installation_given_more_sites_shows_them_all(demo: Store) -> None:
    """The Metrics tab makes tables for as many sites as any installation has, and more when
    one is given more since."""
    from vatui.store import Site

    async with vatui(demo, "MARIS", NEW_PERIOD).run_test(size=SIZE) as pilot:
        await open_installation(pilot, "uc5")
        await pilot.press("escape")
        for number in range(4):
            demo.add_site("MARIS", Site(f"s{number}", "uc5", f"Lab {number}"))
        screen = await open_installation(pilot, "uc5")
        titles = [title for title in screen.query(".site-title") if title.display]
        assert [str(title.render()) for title in titles] == [f"Lab {n}" for n in range(4)]
