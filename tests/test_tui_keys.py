"""The keyboard as people expect it: focus where the work is, text that stays text, Escape in
steps, Home and End, q to quit, the palette and pickers found by typing, and the reasons for
a light without opening the installation."""

from __future__ import annotations

import pytest
from textual import events
from textual.command import CommandPalette
from textual.widgets import Input, OptionList, TextArea
from vatui.screens.confirm import ConfirmScreen
from vatui.screens.dashboard import DashboardScreen
from vatui.screens.identity import IdentityScreen
from vatui.screens.installation.delays import DelayForm
from vatui.screens.installation.screen import InstallationScreen
from vatui.screens.lights import GLYPHS, use_light_style
from vatui.screens.setup.screen import SetupScreen
from vatui.store import Light, Store

from tests.tui_app_helpers import SIZE, drawn, open_installation, screen_text, vatui
from tests.tui_helpers import shown
from vatui.app import VatuiApp

LATER = "M25-M36"


def typed_at_once(app: VatuiApp, keys: list[str]) -> None:
    """Keys as a fast typist (or a paste) sends them: all queued before any is handled."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_text_typed_fast_after_tab_or_pasted_lands_in_the_field_with_the_focus(
    demo: Store,
) -> None:
    app = vatui(demo, "SU", LATER)
    async with app.run_test(size=SIZE) as pilot:
        await open_installation(pilot, "uc2")
        await pilot.press("4", "a")
        form = app.screen
        assert isinstance(form, DelayForm)
        typed_at_once(app, [*"late", "tab", *"2025"])
        app.post_message(events.Paste("-03-31"))
        await pilot.pause()
        assert form.values()["reason"] == "late"
        assert form.values()["replanned"] == "2025-03-31"
        typed_at_once(app, ["shift+tab", *"r"])
        await pilot.pause()
        assert form.values()["reason"] == "later"


async def test_a_tab_shown_gives_its_box_the_keyboard_and_letters_stay_text(demo: Store) -> None:
    app = vatui(demo, "VLIZ", LATER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_installation(pilot, "uc5")
        typed_at_once(app, ["3", *"psme2"])  # right after the tab's key, fast
        await pilot.pause()
        area = screen.query_one("#text-assessment", TextArea)
        assert screen.focused is area and area.text == "psme2"
        assert app.screen is screen and app.period == LATER


async def test_escape_leaves_the_field_then_the_screen_asking_once_in_one_wording(
    demo: Store,
) -> None:
    app = vatui(demo, "VLIZ", LATER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_installation(pilot, "uc5")
        await pilot.press("3", "o", "k")
        await pilot.press("escape")
        assert app.screen is screen
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen)
        question = shown(pilot, "#confirm-question")
        await pilot.press("n")  # keep editing
        await pilot.press("1", "enter")
        await pilot.press("5", "escape")  # a form: its question is worded the same
        assert isinstance(app.screen, ConfirmScreen)
        assert shown(pilot, "#confirm-question").startswith("You have unsaved changes in ")
        assert question.startswith("You have unsaved changes in ")
        await pilot.press("y")
        assert isinstance(app.screen, InstallationScreen)


async def test_end_then_enter_opens_the_last_installation_and_home_the_first(
    demo: Store,
) -> None:
    app = vatui(demo, "VLIZ", LATER)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("end", "enter")
        assert isinstance(app.screen, InstallationScreen)
        assert app.screen.installation == "uc5"
        await pilot.press("escape", "home", "enter")
        assert app.screen.installation == "uc1"  # type: ignore[attr-defined]


async def test_q_quits_from_the_dashboard_and_asks_when_something_is_unsaved(
    demo: Store,
) -> None:
    app = vatui(demo, "VLIZ", LATER)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        assert app.return_code == 0 or not app.is_running
    app = vatui(demo, "VLIZ", LATER)
    async with app.run_test(size=SIZE) as pilot:
        await open_installation(pilot, "uc5")
        await pilot.press("3", "x", "escape", "ctrl+q")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Quit and drop them?" in shown(pilot, "#confirm-question")


async def test_the_footer_shows_quit_and_help_at_80_columns(demo: Store) -> None:
    app = vatui(demo, "VLIZ", LATER)
    async with app.run_test(size=(80, 24)) as pilot:
        footer = screen_text(pilot).splitlines()[-1]
        assert "^q Quit" in footer and "? Help" in footer
        await open_installation(pilot, "uc5")
        footer = screen_text(pilot).splitlines()[-1]
        assert "^q Quit" in footer and "? Help" in footer


async def test_the_footer_follows_the_tab_shown_and_comes_back_after_a_form(
    demo: Store,
) -> None:
    """The footer is rebuilt only when its keys change: it must still change when they do."""
    app = vatui(demo, "VLIZ", LATER)
    async with app.run_test(size=SIZE) as pilot:

        async def footer() -> str:
            await pilot.pause()
            return screen_text(pilot).splitlines()[-1]

        await open_installation(pilot, "uc5")
        assert "Edit" in await footer() and "Add delay" not in await footer()
        await pilot.press("4")
        assert "Add delay" in await footer()
        await pilot.press("a")
        assert "^s Save" in await footer() and "Add delay" not in await footer()
        await pilot.press("escape")
        assert isinstance(app.screen, InstallationScreen)
        assert "Add delay" in await footer() and "^s Save" not in await footer()
        await pilot.press("1")
        assert "Add delay" not in await footer() and "Edit" in await footer()


async def test_the_palette_finds_who_you_work_as_by_any_of_its_words(demo: Store) -> None:
    app = vatui(demo, "VLIZ", LATER)
    async with app.run_test(size=SIZE) as pilot:
        for query in ("identity", "switch", "work as", "maris"):
            await pilot.press("ctrl+p")
            assert isinstance(app.screen, CommandPalette)
            await pilot.press(*query.replace(" ", ""))
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert "switch identity" in drawn(pilot, "CommandList"), query
            await pilot.press("escape")
        await pilot.press("ctrl+p", *"maris")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.identity == "MARIS"


async def test_the_who_are_you_list_moves_to_what_is_typed(demo: Store) -> None:
    app = vatui(demo, None, LATER)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, IdentityScreen)
        options = app.screen.query_one(OptionList)
        await pilot.press("v")
        assert options.get_option_at_index(options.highlighted or 0).id == "VLIZ"
        await pilot.press("m", "a")  # typed on: "ma"... after "v" resets only after a pause
        options._last = 0.0  # as after a pause of a second
        await pilot.press("o", "g")
        assert options.get_option_at_index(options.highlighted or 0).id == "OGS"
        await pilot.press("enter")
        assert app.identity == "OGS"


async def test_the_dashboard_says_why_and_filters_by_light_and_organisation(
    demo: Store,
) -> None:
    app = vatui(demo, "MARIS", "M13-M24")
    async with app.run_test(size=SIZE) as pilot:
        why = drawn(pilot, "#why")
        assert "1 Marine litter assessment service" in why
        assert "Number of images processed per year: 1 of 1,500" in why
        await pilot.press("end")
        assert "every light green" in drawn(pilot, "#why")
        await pilot.press("slash", *"red")
        table = app.screen.query_one("#installations")
        assert table.row_count == 4  # type: ignore[attr-defined]
        await pilot.press("escape", "slash", *"vliz", "enter")
        assert table.row_count == 1  # type: ignore[attr-defined]
        assert isinstance(app.screen, DashboardScreen)
        assert isinstance(app.screen.focused, type(table))
        assert not isinstance(app.screen.focused, Input)


async def test_set_up_offers_a_provider_nothing_it_may_not_do(demo: Store) -> None:
    app = vatui(demo, "VLIZ", LATER)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        assert isinstance(app.screen, SetupScreen)
        footer = screen_text(pilot).splitlines()[-1]
        assert "Add" not in footer and "Edit" not in footer and "Archive" not in footer
        assert "only the project leader MARIS" in shown(pilot, ".setup-message")
        await pilot.press("a")
        assert isinstance(app.screen, SetupScreen)  # no form opened


# ---- lights without colour ----------------------------------------------------------------


async def test_without_colour_each_light_has_its_own_glyph_and_word(
    demo: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    demo.set_thresholds("MARIS", 1.0, 0.1)  # UC1's users 10 of 10 green, countries 1 of 7 amber
    app = vatui(demo, "MARIS", "M13-M24")
    async with app.run_test(size=SIZE) as pilot:
        assert app.no_color
        text = screen_text(pilot)
        assert len(set(GLYPHS.values())) == len(Light)
        for light in Light:
            assert f"{GLYPHS[light]} {light.value}" in text  # in the legend and the tables
        assert "●✕✕◐◐" in text  # UC1's five metrics, each readable by shape


async def test_the_light_style_words_writes_the_lights_as_words(demo: Store) -> None:
    app = VatuiApp(demo, actor="MARIS", period="M13-M24", light_style="words")
    async with app.run_test(size=SIZE) as pilot:
        uc1 = [str(cell) for cell in app.screen.query_one("#installations").get_row("uc1")]  # type: ignore[attr-defined]
        assert "1 green 4 red" in uc1 and "red" in uc1
        assert not any(glyph in screen_text(pilot) for glyph in GLYPHS.values())
    use_light_style("emoji")


async def test_back_on_the_dashboard_it_reads_again_only_what_changed(
    demo: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []
    review_states = demo.review_states
    monkeypatch.setattr(
        demo, "review_states", lambda p, **some: reads.append(p) or review_states(p, **some)
    )
    app = vatui(demo, "VLIZ", LATER)
    async with app.run_test(size=SIZE) as pilot:
        await open_installation(pilot, "uc5")
        before = len(reads)
        await pilot.press("escape")  # nothing saved: the list stands as it was
        assert isinstance(app.screen, DashboardScreen) and len(reads) == before
        await open_installation(pilot, "uc5")  # the filter reads the rows it leaves
        await pilot.press("enter", *"9", "ctrl+s")
        await pilot.pause()
        before = len(reads)
        await pilot.press("escape")
        assert len(reads) == before + 1  # a value saved: read again, its light shown
        overall = app.screen.query_one("#installations").get_row("uc5")[5]  # type: ignore[attr-defined]
        assert str(overall) == "● green"  # 9 users of 5; it was grey, with no figures
