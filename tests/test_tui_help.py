"""The help screen, and the promise that every key can be looked up and remapped."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from importlib.resources import files

from vatui.screens.dashboard import DashboardScreen
from vatui.screens.help import HelpScreen
from vatui.store import Store

from vatui import screens
from vatui.app import VatuiApp

HELP = files("vatui").joinpath("help.md").read_text(encoding="utf-8")


def screen_text(pilot: object) -> str:
    """Every line of the terminal as the user sees it."""
    strips = pilot.app.screen._compositor.render_strips()  # type: ignore[attr-defined]
    return "\n".join(strip.text for strip in strips)


def headings(pilot: object) -> list[str]:
    viewer = pilot.app.screen.query_one("#help-text")  # type: ignore[attr-defined]
    return [str(block._content) for block in viewer.document.query("MarkdownHeader")]


async def test_question_mark_and_f1_open_the_help_and_escape_closes_it(demo: Store) -> None:
    async with VatuiApp(demo, actor="MARIS").run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        shown_headings = headings(pilot)
        for section in ("Getting around", "Milestones (m)", "Setting up (s)", "Export (e)"):
            assert section in shown_headings
        seen = screen_text(pilot)  # 80x24: the box, its title and the first lines fit
        assert "vatui help" in seen
        assert "keeps the metrics of a project" in seen
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, DashboardScreen)
        await pilot.press("f1")
        assert isinstance(pilot.app.screen, HelpScreen)
        await pilot.press("f1")
        assert isinstance(pilot.app.screen, DashboardScreen)


def test_every_key_has_an_id_and_a_tooltip() -> None:
    """Ids let users remap keys (App.set_keymap); tooltips say what a key does in the footer."""
    modules = [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(screens.__path__, prefix="vatui.screens.")
    ]
    owners = {VatuiApp}
    for module in modules:
        owners.update(
            cls
            for _, cls in inspect.getmembers(module, inspect.isclass)
            if cls.__module__ == module.__name__ and "BINDINGS" in cls.__dict__
        )
    missing = [
        f"{owner.__name__}: {binding.key}"
        for owner in owners
        for binding in owner.BINDINGS
        if not (getattr(binding, "id", None) and getattr(binding, "tooltip", None))
    ]
    assert len(owners) > 5
    # The walk reaches into the subpackages (installation/, setup/) too.
    assert {"vatui.screens.installation.screen", "vatui.screens.setup.screen"} <= {
        owner.__module__ for owner in owners
    }
    assert missing == []
