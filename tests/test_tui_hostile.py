"""Text from other people never drives the leader's terminal.

A store written by an older or hand-edited copy may hold anything the input checks now refuse:
an OSC 52 clipboard write, a window-title change, colour codes, C1 controls, NUL, a bidi
override, Textual markup that would run an action. Each is written here straight into the
store's tables with sqlite3, into every kind of text a screen shows; then the app is driven
through every screen, and what each draws is checked: no control character in any segment
(each is shown as a visible escape such as ``\\x1b``), markup shown as typed and never acted
on, and the app still running.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from rich.text import Text
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, TextArea
from vatui.screens.dashboard import DashboardScreen
from vatui.screens.export_screen import ExportScreen
from vatui.screens.help import HelpScreen
from vatui.screens.identity import IdentityScreen
from vatui.screens.installation.screen import InstallationScreen
from vatui.screens.installation.value_form import ValueForm
from vatui.screens.milestones import MilestoneForm, MilestonesScreen
from vatui.screens.setup.forms import MetricForm
from vatui.screens.setup.screen import InstallationSetupScreen, SetupScreen
from vatui.screens.widgets import editable, edited, neutralised
from vatui.store import Store

from tests.conftest import counting_clock
from tests.tui_app_helpers import SIZE, open_installation, vatui

PERIOD = "M25-M36"  # open for the providers: the value form can be opened and saved

OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"  # sets the clipboard to "rm -rf ~"
TITLE = "\x1b]2;pwned\x07"
CLICK = "[@click=app.quit]z[/]"
LINK = "[link=https://x]y[/link]"
HOSTILE = [
    CLICK,
    "[bold]x[/]",
    "[/]",
    LINK,
    OSC52,
    TITLE,
    "\x1b[31m",
    "\x9b31m",
    "\x90",
    "\x07",
    "\x00",
    "\u202e",
]
#: Every hostile string in one text; the markup first, so that cut cells still show it.
MIXED = " ".join(HOSTILE) + " end"
LONG = "A" * 5_000  # one word: nothing to break it at

#: What must never reach the terminal: C0 (a segment never holds even a newline), DEL, C1,
#: and the bidi embeddings, overrides and isolates.
FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def write_hostile(path: Path) -> None:
    """Hostile text in every kind of field the screens show, bypassing the store's checks."""
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("UPDATE project SET name = ?", (f"Project {MIXED}",))
        db.execute(
            "UPDATE installations SET name = ?, providers = ?, description = ?, location = ?"
            " WHERE id = 'uc5'",
            (
                f"Hostile {MIXED}",
                json.dumps(["VLIZ", f"Evil {MIXED}"]),
                f"{MIXED}\n{LONG}",
                MIXED,
            ),
        )
        db.execute(
            "INSERT INTO sites (installation, id, name, code, position)"
            " VALUES ('uc5', 'hs', ?, ?, 0)",
            (f"Site {MIXED}", "C\x1b[5m"),
        )
        db.execute(
            "UPDATE metrics SET name = ?, measured = ?, baseline_text = ?"
            " WHERE installation = 'uc5' AND id = 'users'",
            (f"Users {MIXED}", MIXED, MIXED),
        )
        db.execute(
            "INSERT INTO metrics (installation, id, site, name, kind, position)"
            " VALUES ('uc5', 'words', 'hs', ?, 'text', 9)",
            (f"Words {MIXED}",),
        )
        values = [
            ("users", "M13-M24", 7, None, MIXED, ""),  # the trend column shows its wording
            ("users", PERIOD, 9, None, "", f"{MIXED} {LONG}"),
            ("words", PERIOD, None, MIXED, "", MIXED),
        ]
        db.execute("DELETE FROM metric_values WHERE installation = 'uc5' AND metric = 'users'")
        db.executemany(
            "INSERT INTO metric_values"
            " (installation, metric, period, number, text, display, note, updated_by, updated_at)"
            " VALUES ('uc5', ?, ?, ?, ?, ?, ?, 'VLIZ', '2025-01-01T00:00:00Z')",
            values,
        )
        db.executemany(
            "INSERT INTO assessments"
            " (installation, site, period, assessment, delay, planning, updated_by, updated_at)"
            " VALUES ('uc5', ?, ?, ?, ?, ?, 'VLIZ', '2025-01-01T00:00:00Z')",
            [
                ("", PERIOD, f"# Heading {MIXED}\n\n{MIXED}\n\n{LONG}", MIXED, MIXED),
                ("hs", PERIOD, MIXED, "", ""),
            ],
        )
        db.execute(
            "INSERT INTO delays (installation, site, recorded, reason, replanned, author)"
            " VALUES ('uc5', 'hs', '2025-01-02', ?, '2025-06-30', ?)",
            (f"{MIXED} {LONG}", f"Evil {MIXED}"),
        )
        db.execute(
            "INSERT INTO reviews (installation, period, action, state, actor, at, comment)"
            " VALUES ('uc5', ?, 'comment', 'draft', ?, '2025-01-03T00:00:00Z', ?)",
            (PERIOD, f"Evil {MIXED}", f"{MIXED}\n{LONG}"),
        )
        db.execute(
            "UPDATE milestones SET title = ?, status = ?, note = ?",
            (f"Title {MIXED}", MIXED, f"{MIXED} {LONG}"),
        )
        db.execute(
            "INSERT INTO history"
            " (at, actor, table_name, row_key, field, old, new, installation, source)"
            " VALUES ('2025-01-04T00:00:00Z', ?, 'metric_values', ?, 'note', ?, ?, 'uc5', ?)",
            (f"Evil {MIXED}", f"uc5/users/{PERIOD}", MIXED, f"{MIXED} {LONG}", MIXED),
        )


@pytest.fixture
def hostile(demo_path: Path) -> Iterator[Store]:
    write_hostile(demo_path)
    store = Store.open(demo_path, clock=counting_clock())
    yield store
    store.close()


def assert_safe(pilot: Pilot[None], where: str) -> str:
    """Check what the current screen draws, every segment of every line; return its text."""
    app = pilot.app
    assert app.is_running and app.return_code is None, f"{where}: the app stopped"
    lines = []
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        for segment in strip:
            found = FORBIDDEN.search(segment.text)
            assert found is None, f"{where}, line {y}: {found.group()!r} in {segment.text!r}"
            style = segment.style
            if style is not None:  # markup read from stored text would leave these behind
                assert style.link != "https://x", f"{where}, line {y}: a link from stored text"
                assert style.meta.get("@click") != "app.quit", f"{where}, line {y}: an action"
        lines.append(strip.text)
    return "\n".join(lines)


async def test_every_screen_shows_hostile_text_inert(hostile: Store) -> None:
    app = vatui(hostile, "VLIZ", PERIOD)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        text = assert_safe(pilot, "dashboard")
        assert "Hostile [@click=app.quit]" in text  # the name, markup as typed (cut short)
        # The header: the project name, escapes shown.
        assert (
            r"Project [@click=app.quit]z[/] [bold]x[/] [/] [link=https://x]y[/link] \x1b]52;"
            in text
        )
        assert "Title [@click=app.quit]z[/]" in text  # the milestone

        await open_installation(pilot, "uc5")
        heading = assert_safe(pilot, "installation")
        assert "Hostile [@click=app.quit]z[/] [bold]x[/] [/]" in heading
        for key, tab in zip("123456", ["metrics", "description", "assessment", "delays",
                                        "history", "review"], strict=True):  # fmt: skip
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, InstallationScreen), tab
            text = assert_safe(pilot, f"{tab} tab")
            if isinstance(app.screen.focused, TextArea):  # keys are text there: leave the box
                await pilot.press("escape")
            assert CLICK in text, tab
        # The tabs that show a whole text show every escape, and the markup as typed.
        await pilot.press("4")
        await pilot.pause()
        text = assert_safe(pilot, "delays tab")
        for shown in (CLICK, LINK, r"\x1b]52;c;cm0gLXJmIH4=\x07", r"\x1b]2;pwned\x07"):
            assert shown in text
        for shown in (r"\x9b31m", r"\x90", r"\x07", r"\x00", r"\u202e"):
            assert shown in text

        # The value form: its fields hold the stored note with visible escapes.
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ValueForm)
        assert_safe(pilot, "value form")
        note = form.query_one("#field-note", Input)
        assert note.value.startswith(editable(CLICK))
        assert r"\x1b]52;c;" in note.value
        # Saved unchanged, the form gives the stored note back: the store refuses it, and
        # says where its control character is, in the form.
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#error-note").display
        assert_safe(pilot, "value form, refused")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, InstallationScreen)

        # The assessment's editors hold the stored text with visible escapes too.
        await pilot.press("3")
        await pilot.pause()
        area = app.screen.query_one("#text-assessment", TextArea)
        assert r"\x1b]2;pwned\x07" in area.text
        assert_safe(pilot, "assessment tab, editors")

        # Someone else writes hostile text while vatui runs: the notice shows it inert.
        with closing(sqlite3.connect(hostile.path)) as db, db:
            db.execute(
                "INSERT INTO history"
                " (at, actor, table_name, row_key, field, old, new, installation, source)"
                " VALUES ('2025-01-05T00:00:00Z', ?, 'delays', ?, ?, ?, ?, 'uc5', '')",
                (f"Evil {MIXED}", f"uc5/{OSC52}", TITLE, MIXED, f"{MIXED} {LONG}"),
            )
        app.store_watch.check()
        await pilot.pause()
        assert app.screen.query("Toast"), "the notice of the change by someone else"
        text = assert_safe(pilot, "notice of a change")
        assert "Changed by someone else" in text and r"uc5/\x1b]52;c;" in text

        await pilot.press("escape", "escape")  # out of the box, then off the installation
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MilestonesScreen)
        text = assert_safe(pilot, "milestones")
        assert "Title [@click=app.quit]z[/]" in text

        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert_safe(pilot, "help")
        await pilot.press("escape", "escape")
        await pilot.pause()

        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.markdown is not None
        assert_safe(pilot, "export preview")

        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        await pilot.press(*"hostile")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = assert_safe(pilot, "command palette")
        assert "Open 5 Hostile [@click=app.quit]z[/]" in text
        assert "provided by VLIZ, Evil [@click=app.quit]z[/]" in text  # its help, as typed
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert app.is_running and app.return_code is None


async def test_the_identity_picker_shows_organisation_names_inert(hostile: Store) -> None:
    async with vatui(hostile, None, PERIOD).run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, IdentityScreen)
        text = assert_safe(pilot, "identity picker")
        assert "Evil [@click=app.quit]z[/]" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, DashboardScreen)
        assert_safe(pilot, "dashboard, just looking")


async def test_the_leaders_screens_and_forms_show_hostile_text_inert(hostile: Store) -> None:
    app = vatui(hostile, "MARIS", PERIOD)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, MilestoneForm)
        assert_safe(pilot, "milestone form")
        title = form.query_one("#field-title", Input)
        assert title.value.startswith("Title [@click=app.quit]z[/]")
        await pilot.press("escape", "escape")
        await pilot.pause()

        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        text = assert_safe(pilot, "set-up")
        assert "Hostile [@click=app.quit]z[/]" in text
        await pilot.press("ctrl+end", "enter")
        await pilot.pause()
        assert isinstance(app.screen, InstallationSetupScreen)
        assert_safe(pilot, "installation set-up")
        await pilot.press("home", "e")
        await pilot.pause()
        assert isinstance(app.screen, MetricForm)
        assert_safe(pilot, "metric form")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, InstallationSetupScreen)
        await pilot.press("x")  # archive: a question naming the metric
        await pilot.pause()
        text = assert_safe(pilot, "archive question")
        assert "Users [@click=app.quit]z[/]" in text
        await pilot.press("n")
        await pilot.pause()
        assert app.is_running and app.return_code is None


def test_a_text_assembled_from_pieces_keeps_its_styles_around_the_escapes() -> None:
    text = Text.assemble(("a\x1bb", "bold"), " ", ("\u202ec", "red"), no_wrap=True)
    shown = neutralised(text)
    assert shown.plain == r"a\x1bb \u202ec"
    assert [shown.plain[span.start : span.end] for span in shown.spans] == [
        r"a\x1bb",
        r"\u202ec",
    ]
    assert shown.no_wrap


def test_a_field_left_as_loaded_gives_back_the_stored_text() -> None:
    stored = f"note {OSC52}\nline two"
    shown = editable(stored)
    assert FORBIDDEN.sub("", shown.replace("\n", "")) == shown.replace("\n", "")
    assert edited(shown, stored) == stored
    assert edited(shown + "!", stored) == shown + "!"
    one_line = editable(stored, single_line=True)
    assert "\n" not in one_line
    assert edited(one_line, stored, single_line=True) == stored
