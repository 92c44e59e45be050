"""The review in the TUI: the dashboard's Review column, and the installation's Review tab,
where a provider submits and the leader returns, accepts or reopens, by keys."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button
from vatui.screens.dashboard import DashboardScreen
from vatui.screens.installation.review import ReviewForm
from vatui.screens.installation.screen import InstallationScreen
from vatui.store import Store

from tests.conftest import counting_clock
from tests.tui_app_helpers import SIZE, drawn, open_installation, row, toasts, vatui
from tests.tui_helpers import shown

PERIOD = "M25-M36"  # nothing reviewed yet in the demo data


def offered(pilot: object) -> list[str]:
    """The labels of the review buttons shown: the steps the identity may take now."""
    buttons = pilot.app.screen.query(".review-step").results(Button)  # type: ignore[attr-defined]
    return [str(button.label) for button in buttons if button.display]


def thread(pilot: object) -> list[list[str]]:
    """The review thread as the tab lists it, newest first, without the times."""
    table = pilot.app.screen.query_one("#review-thread")  # type: ignore[attr-defined]
    return [[str(cell) for cell in table.get_row_at(i)][1:] for i in range(table.row_count)]


async def test_the_leader_returns_without_a_comment_is_refused_then_with_one(demo: Store) -> None:
    demo.review("VLIZ", "uc5", PERIOD, "submit", "All four counted on the platform.")
    async with vatui(demo, "MARIS", PERIOD).run_test(size=SIZE) as pilot:
        assert row(pilot, "#installations", "uc5")[-1] == "submitted"
        assert row(pilot, "#installations", "uc1")[-1] == "draft"
        await open_installation(pilot, "uc5")
        await pilot.press("6")
        assert offered(pilot) == ["Accept (a)", "Return (r)", "Comment (c)"]
        assert "submitted · VLIZ submitted it" in shown(pilot, "#review-state")
        assert "All four counted on the platform." in shown(pilot, "#review-comment")
        await pilot.press("r")
        assert isinstance(pilot.app.screen, ReviewForm)
        await pilot.press("ctrl+s")  # no comment: the store says one is needed
        assert "a comment saying why: return needs one" in shown(pilot, "#error-comment")
        pilot.app.screen.query_one("#field-comment").insert("Users: count unique logins.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, InstallationScreen)
        assert thread(pilot) == [
            ["MARIS", "return", "returned", "Users: count unique logins."],
            ["VLIZ", "submit", "submitted", "All four counted on the platform."],
        ]
        assert offered(pilot) == ["Comment (c)"]  # returned: the providers submit again
        assert "review returned" in shown(pilot, "#installation-heading")
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, DashboardScreen)
        assert row(pilot, "#installations", "uc5")[-1] == "returned"
    last = demo.review_thread("uc5", PERIOD)[-1]
    assert (last.actor, last.action) == ("MARIS", "return")
    assert last.comment == "Users: count unique logins."


async def test_accepting_and_reopening_by_another_vatui_locks_and_unlocks_the_figures(
    demo: Store, demo_path: Path
) -> None:
    """A provider submits; the leader, in a vatui of their own on the same store, accepts and
    later reopens: the provider's screen follows each step without being left."""
    leader = Store.open(demo_path, clock=counting_clock())
    async with vatui(demo, "VLIZ", PERIOD).run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_installation(pilot, "uc5")
        await pilot.press("6")
        assert offered(pilot) == ["Submit (S)", "Comment (c)"]
        await pilot.press("S")
        assert isinstance(pilot.app.screen, ReviewForm)
        await pilot.press("ctrl+s")  # a submission needs no comment
        await pilot.pause()
        assert pilot.app.screen is screen
        assert thread(pilot) == [["VLIZ", "submit", "submitted", ""]]
        assert demo.review_state("uc5", PERIOD) == "submitted"

        leader.review("MARIS", "uc5", PERIOD, "accept", "Fine.")
        pilot.app.store_watch.check()  # what the two-second poll does
        await pilot.pause()
        assert "review accepted" in shown(pilot, "#installation-heading")
        assert thread(pilot)[0] == ["MARIS", "accept", "accepted", "Fine."]
        assert any("MARIS: review uc5/M25-M36 submitted → accepted" in t for t in toasts(pilot))
        await pilot.press("1")
        assert "Read-only: VLIZ may not change uc5 M25-M36" in drawn(pilot, "MetricsTab .access")
        await pilot.press("enter")
        assert pilot.app.screen is screen  # no form: the figures are locked

        leader.review("MARIS", "uc5", PERIOD, "reopen")
        pilot.app.store_watch.check()
        await pilot.pause()
        assert "✎ Enter edits" in drawn(pilot, "MetricsTab .access")
        await pilot.press("3")
        assert not screen.query_one("#text-assessment").read_only
    leader.close()


async def test_a_provider_withdraws_its_submission_to_change_a_figure(demo: Store) -> None:
    async with vatui(demo, "VLIZ", PERIOD).run_test(size=SIZE) as pilot:
        screen = await open_installation(pilot, "uc5")
        await pilot.press("6", "S", "ctrl+s")
        await pilot.pause()
        assert offered(pilot) == ["Withdraw (w)", "Comment (c)"]
        await pilot.press("1")
        access = " ".join(drawn(pilot, "MetricsTab .access").split())
        assert (
            "Read-only: VLIZ may not change uc5 M25-M36: it is under review (submitted by VLIZ"
            in access
        )
        await pilot.press("enter")
        assert pilot.app.screen is screen  # no form while the leader reviews it

        await pilot.press("6", "w")
        assert isinstance(pilot.app.screen, ReviewForm)
        pilot.app.screen.query_one("#field-comment").insert("One figure is wrong.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is screen
        assert thread(pilot)[0] == ["VLIZ", "withdraw", "draft", "One figure is wrong."]
        assert "review draft" in shown(pilot, "#installation-heading")
        assert offered(pilot) == ["Submit (S)", "Comment (c)"]
        await pilot.press("1")
        assert "✎ Enter edits" in drawn(pilot, "MetricsTab .access")
    assert [e.action for e in demo.review_thread("uc5", PERIOD)] == ["submit", "withdraw"]
