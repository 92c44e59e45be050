"""Several vatui on one store: changes by others shown as they land, edits someone else saved
first offered for reloading, and changes reverted from the History tab."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from textual import events
from textual.widgets import DataTable, TextArea
from vatui.screens.confirm import ConfirmScreen
from vatui.screens.installation.description import DescriptionForm
from vatui.screens.installation.screen import InstallationScreen
from vatui.screens.installation.value_form import ValueForm
from vatui.screens.milestones import MilestoneForm, MilestonesScreen
from vatui.store import Store

from tests.conftest import counting_clock
from tests.test_serialisable import assert_one_chain, set_by_cli
from tests.tui_app_helpers import SIZE, drawn, open_installation, row, toasts, vatui
from tests.tui_helpers import fill, shown

PERIOD = "M25-M36"


def test_a_store_tells_changes_by_other_connections_from_its_own(demo_path: Path) -> None:
    with Store.open(demo_path) as mine, Store.open(demo_path) as theirs:
        seen = mine.data_version()
        mine.set_value("VLIZ", "uc5", "users", PERIOD, "7")
        assert mine.data_version() == seen  # its own commits do not count
        theirs.set_value("MARIS", "uc5", "users", PERIOD, "9")
        assert mine.data_version() != seen
        assert [(c.actor, c.old, c.new) for c in mine.changes_since(0)] == [("MARIS", "7", "9")]
        assert [c.actor for c in theirs.changes_since(0)] == ["VLIZ"]


async def test_what_another_vatui_changes_shows_on_the_screen_you_are_on(
    demo: Store, demo_path: Path
) -> None:
    """The leader looks at the dashboard, then the milestones, while a provider and another
    of the leader's sessions write to the same store."""
    other = Store.open(demo_path, clock=counting_clock())
    async with vatui(demo, "MARIS", PERIOD).run_test(size=SIZE, notifications=True) as pilot:
        assert row(pilot, "#installations", "uc5")[5] == "○ grey"  # no figures for M25-M36 yet
        for metric, value in (("users", "9"), ("images-processed", "1")):
            other.set_value("VLIZ", "uc5", metric, PERIOD, value)
        pilot.app.post_message(events.AppFocus())  # back in the terminal: checked at once
        await pilot.pause()
        assert row(pilot, "#installations", "uc5")[5] == "✕ red"  # 1 image of 300,000
        assert any(
            "VLIZ: value uc5/users/M25-M36 ∅ → 9" in text
            and "VLIZ: value uc5/images-processed/M25-M36 ∅ → 1" in text
            for text in toasts(pilot)
        )
        await pilot.press("m")
        assert isinstance(pilot.app.screen, MilestonesScreen)
        other.update_milestone("MARIS", "M5.4", status="achieved", achieved="2024-10-01")
        pilot.app.store_watch.check()
        await pilot.pause()
        assert pilot.app.screen.query_one(DataTable).get_row("M5.4")[0].plain == "● green"
        await pilot.press("e")
        other.update_milestone("MARIS", "M5.4", note="Five in production since September.")
        await fill(pilot, "#field-status", "achieved in full")
        await pilot.press("ctrl+s")
        assert "milestone M5.4 (note) was changed by MARIS" in shown(pilot, "#confirm-question")
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(pilot.app.screen, MilestoneForm)
        assert pilot.app.screen.values()["note"] == "Five in production since September."
        assert pilot.app.screen.values()["status"] == "achieved"
    other.close()


async def test_a_value_a_description_and_texts_someone_saved_first_are_offered_for_reloading(
    demo: Store, demo_path: Path
) -> None:
    demo.set_value("VLIZ", "uc5", "users", PERIOD, "7")
    other = Store.open(demo_path, clock=counting_clock())
    async with vatui(demo, "VLIZ", PERIOD).run_test(size=SIZE) as pilot:
        await open_installation(pilot, "uc5")
        await pilot.press("enter")
        form = pilot.app.screen
        assert isinstance(form, ValueForm)
        other.set_value("MARIS", "uc5", "users", PERIOD, "8")
        await fill(pilot, "#field-value", "9")
        await pilot.press("ctrl+s")
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("n")  # keep editing: what was typed stays
        assert pilot.app.screen is form
        assert form.values()["value"] == "9"
        assert "changed by MARIS" in shown(pilot, "#form-error")
        assert "(now '8')" in shown(pilot, "#form-error")
        await pilot.press("ctrl+s")
        await pilot.press("y")  # reload: the form shows what is saved now
        await pilot.pause()
        assert form.values()["value"] == "8"
        await fill(pilot, "#field-value", "10")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, InstallationScreen)

        await pilot.press("2", "enter")
        assert isinstance(pilot.app.screen, DescriptionForm)
        other.update_installation("MARIS", "uc5", task="T5.6")
        await fill(pilot, "#field-task", "T5.5 and T5.7")
        await pilot.press("ctrl+s")
        question = shown(pilot, "#confirm-question")
        assert "installation uc5 (task) was changed by MARIS at 2024-10-09" in question
        assert "(now 'T5.6')" in question
        await pilot.press("y")
        await pilot.pause()
        assert pilot.app.screen.query_one("#field-task").value == "T5.6"
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("3")
        area = pilot.app.screen.query_one("#text-assessment", TextArea)
        area.insert("Mine.")
        other.set_assessment("MARIS", "uc5", PERIOD, assessment="Theirs.")
        pilot.app.store_watch.check()  # the change is noticed; the typed text is kept
        await pilot.pause()
        assert area.text == "Mine."
        await pilot.press("ctrl+s")
        assert isinstance(pilot.app.screen, ConfirmScreen)
        question = shown(pilot, "#confirm-question")
        assert "the assessment of uc5 for M25-M36 (assessment) was changed by MARIS" in question
        assert "(now 'Theirs.')" in question
        await pilot.press("y")
        await pilot.pause()
        assert area.text == "Theirs."
    other.close()
    value = demo.value("uc5", "users", PERIOD)
    assert value is not None and (value.number, value.updated_by) == (10, "VLIZ")
    assert demo.installation("uc5").task == "T5.6"
    assert demo.assessment("uc5", PERIOD).assessment == "Theirs."


async def test_a_change_is_reverted_from_the_history_tab_and_refusals_say_why(
    demo: Store,
) -> None:
    demo.set_value("VLIZ", "uc5", "users", PERIOD, "7")
    demo.set_value("VLIZ", "uc5", "users", PERIOD, "9")
    demo.add_delay("VLIZ", "uc5", "The platform moved.")
    async with vatui(demo, "VLIZ", PERIOD).run_test(size=SIZE, notifications=True) as pilot:
        await open_installation(pilot, "uc5")
        await pilot.press("5")
        assert _history(pilot)[0][1:] == ["replanned", "∅ → ∅"]  # of the delay just added
        await pilot.press("r")
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert any("delay entries are never changed" in text for text in toasts(pilot))
        await pilot.press("down", "down", "r")  # the value's change from 7 to 9
        assert "goes back from 9 to 7" in shown(pilot, "#confirm-question")
        await pilot.press("y")
        await pilot.pause()
        assert _history(pilot)[0] == ["metric value users/M25-M36", "shown", "9 → 7"]
        assert "revert of change" in shown(pilot, "#history-detail")
        await pilot.press("1")
        assert row(pilot, "#metrics-installation", "users")[-3] == "7"
    value = demo.value("uc5", "users", PERIOD)
    assert value is not None and value.number == 7
    assert len(demo.delays("uc5")) == 1


def _history(pilot: object) -> list[list[str]]:
    """The History tab's rows, newest first, without their numbers, times and authors."""
    table = pilot.app.screen.query_one("#history-table", DataTable)  # type: ignore[attr-defined]
    return [[str(cell) for cell in table.get_row_at(i)][3:] for i in range(table.row_count)]


async def test_a_form_loaded_before_clear_set_set_is_refused_not_saved_over(
    demo_path: Path,
) -> None:
    """The value went back to the same version number before: the old form saved over it."""
    theirs = Store.open(demo_path)
    theirs.set_value("VLIZ", "uc5", "users", "M25-M36", "4")
    theirs.set_value("VLIZ", "uc5", "users", "M25-M36", "5")  # the form loads this one
    with Store.open(demo_path) as mine:
        async with vatui(mine, period="M25-M36").run_test(size=SIZE) as pilot:
            await open_installation(pilot, "uc5")
            await pilot.press("enter")
            assert isinstance(pilot.app.screen, ValueForm)
            theirs.clear_value("MARIS", "uc5", "users", "M25-M36")
            theirs.set_value("MARIS", "uc5", "users", "M25-M36", "8")
            theirs.set_value("MARIS", "uc5", "users", "M25-M36", "9", note="MARIS counted")
            await fill(pilot, "#field-value", "6")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(pilot.app.screen, ConfirmScreen)  # reload, or keep editing
            assert "MARIS" in " ".join(drawn(pilot, "#confirm-question").split())
    value = theirs.value("uc5", "users", "M25-M36")
    assert value is not None and (value.shown, value.note) == ("9", "MARIS counted")
    theirs.close()


async def test_a_tui_save_queued_with_a_command_behind_a_lock_keeps_one_chain(
    demo_path: Path,
) -> None:
    """The form and a `vatui set` both wait for a writer that holds the store; whichever goes
    second sees the first's value: the TUI's save is refused as stale, or the command's change
    starts from what the TUI saved."""
    with Store.open(demo_path) as mine:
        mine.set_value("VLIZ", "uc5", "users", "M25-M36", "5")
        async with vatui(mine, period="M25-M36").run_test(size=SIZE) as pilot:
            await open_installation(pilot, "uc5")
            await pilot.press("enter")
            await fill(pilot, "#field-value", "222")
            holder = sqlite3.connect(demo_path, check_same_thread=False)
            holder.execute("BEGIN IMMEDIATE")
            command = set_by_cli(demo_path, "MARIS", "111")
            time.sleep(1)  # the command has opened the store and waits for the lock
            threading.Timer(1, holder.rollback).start()
            await pilot.press("ctrl+s")  # waits for the lock too
            await pilot.pause()
            assert command.wait(timeout=30) == 0
            assert command.stdout is not None
            command.stdout.close()
            refused = isinstance(pilot.app.screen, ConfirmScreen)
        holder.close()
        chain = assert_one_chain(mine)
    assert chain == (["5", "111"] if refused else ["5", "222", "111"])
