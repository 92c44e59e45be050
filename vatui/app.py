"""The App shell: the store, the period shown, who is working, and navigation between screens.

Everything else lives in ``screens``: the App only holds the session (the ``screens.session``
protocol), answers the screens' requests (``screens.messages``), keeps the header current and
watches the store for changes made by others (``screens.changes``).
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from importlib.resources import files
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen

from vatui.config import save_setting
from vatui.screens.changes import StoreWatch
from vatui.screens.dashboard import DashboardScreen
from vatui.screens.export_screen import ExportScreen
from vatui.screens.guard import GuardedScreen, drop_question
from vatui.screens.help import HelpScreen
from vatui.screens.identity import IdentityScreen
from vatui.screens.installation.screen import InstallationScreen
from vatui.screens.lights import use_light_style
from vatui.screens.messages import ChooseIdentity, OpenInstallation, ShowPeriod
from vatui.screens.milestones import MilestonesScreen
from vatui.screens.palette import VatuiCommands
from vatui.screens.record_form import RecordForm
from vatui.screens.setup.screen import InstallationSetupScreen, SetupScreen
from vatui.store import Store, StoreError
from vatui.store.roster import Identity
from vatui.store.text import one_line_printable, printable

JUST_LOOKING = "just looking (read-only)"
#: The name the one installation screen is installed under (see ``on_open_installation``).
INSTALLATION = "installation"
#: The next and previous period keys share one place in the footer.
PERIOD_KEYS = Binding.Group("Period", compact=True)
#: The App's actions that open a screen, and the screens each would open.
OPENED_BY: dict[str, tuple[type[Screen[Any]], ...]] = {
    "open_milestones": (MilestonesScreen,),
    "open_export": (ExportScreen,),
    "open_setup": (SetupScreen, InstallationSetupScreen),
    "open_help": (HelpScreen,),
}


class VatuiApp(App[None]):
    """vatui's TUI on one store; ``actor`` None asks at start who is working.

    When the store's roster decided who is working (``roster``, locked), that is who works:
    nobody is asked, and choosing another organisation is refused with the roster's reason.
    """

    COMMANDS = App.COMMANDS | {VatuiCommands}

    # Help and Quit first: the footer shows them even at 80 columns, where the last keys go.
    BINDINGS = [
        Binding(
            "question_mark,f1",
            "open_help",
            "Help",
            id="app.help",
            tooltip="How vatui works, and its keys",
        ),
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            id="app.quit",
            tooltip="Leave vatui; asks first when something is not saved",
            priority=True,
        ),
        Binding(
            "p",
            "step_period(1)",
            "Next period",
            id="app.period.next",
            tooltip="Show the next reporting period; every light follows",
            group=PERIOD_KEYS,
        ),
        Binding(
            "P",
            "step_period(-1)",
            "Prev period",
            id="app.period.previous",
            tooltip="Show the previous reporting period; every light follows",
            group=PERIOD_KEYS,
        ),
        Binding(
            "m",
            "open_milestones",
            "Milestones",
            id="app.milestones",
            tooltip="The milestones with their lights; the project leader edits them",
        ),
        Binding(
            "e",
            "open_export",
            "Export",
            id="app.export",
            tooltip="Preview the period's chapter; save it to a file or copy it",
        ),
        Binding(
            "s",
            "open_setup",
            "Set-up",
            id="app.setup",
            tooltip="Installations, sites and metrics; the project leader sets them up",
        ),
        # Tab moves the focus before the next key is read: text typed fast after Tab (or pasted)
        # lands in the field Tab went to, not in the one it left.
        Binding(
            "tab",
            "focus_next",
            "Next field",
            show=False,
            priority=True,
            id="app.focus_next",
            tooltip="The keyboard to the next field or control",
        ),
        Binding(
            "shift+tab",
            "focus_previous",
            "Previous field",
            show=False,
            priority=True,
            id="app.focus_previous",
            tooltip="The keyboard to the previous field or control",
        ),
    ]

    period: reactive[str] = reactive("", init=False)
    identity: reactive[str | None] = reactive(None, init=False)

    def __init__(
        self,
        store: Store,
        *,
        actor: str | None = None,
        period: str | None = None,
        theme: str | None = None,
        roster: Identity | None = None,
        light_style: str = "emoji",
    ) -> None:
        super().__init__()
        use_light_style(light_style)
        self.store = store
        self.roster = roster if roster and roster.locked else None
        if self.roster:
            actor = self.roster.actor
        self._ask_identity = actor is None and self.roster is None
        self.store_watch = StoreWatch(self, store)
        self._installation_screen: InstallationScreen | None = None
        shown = store.period(period).label if period else store.default_period()
        self.set_reactive(VatuiApp.period, shown)
        self.set_reactive(VatuiApp.identity, store.organisation(actor) if actor else None)
        self._saved_theme = theme
        if theme in self.available_themes:
            self.theme = theme

    def on_mount(self) -> None:
        project = self.store.project()
        self.title = " · ".join(filter(None, [project.name, project.work_package]))
        self._show_where()
        self.push_screen(DashboardScreen())
        if self.store.read_only:
            self.notify(
                f"The store at {self.store.path} is read-only here: you can look, not change.",
                severity="warning",
                timeout=10,
                markup=False,
            )
        if self._ask_identity:
            self.on_choose_identity()
        self.store_watch.start()
        # What start-up built lives as long as the app (Textual's styles, the store's caches):
        # frozen, Python's collector stops walking it again and again, pauses of ~100 ms at a
        # key press on a store of 1,000 installations (see README, Performance).
        self.call_after_refresh(gc.freeze)

    def on_unmount(self) -> None:
        gc.unfreeze()  # once the app is gone, what it froze may be collected

    def on_app_focus(self) -> None:
        """Back in the terminal: show at once what others changed meanwhile."""
        self.store_watch.check()

    def format_title(self, title: str, sub_title: str) -> Content:
        """The header's text: the project's name and the organisation working are stored text,
        so each is put on one line with its control characters shown as escapes."""
        return super().format_title(one_line_printable(title), one_line_printable(sub_title))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """A toast, its control characters shown as escapes: a message may quote stored text
        (a refusal naming an organisation, a change made by someone else). Messages that quote
        it are sent with ``markup=False`` besides."""
        super().notify(
            printable(message),
            title=one_line_printable(title),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    def _show_where(self) -> None:
        """The header's second half: the period with its dates, and who is working."""
        period = self.store.period(self.period)
        who = f"as {self.identity}" if self.identity else JUST_LOOKING
        if self.store.read_only:
            who += " · READ-ONLY STORE"
        self.sub_title = f"{period.label} ({period.calendar_label}) · {who}"

    def watch_period(self) -> None:
        self._show_where()

    def watch_identity(self) -> None:
        self._show_where()

    def watch_theme(self, theme: str) -> None:
        """Remember a theme picked in the palette for the next start."""
        if theme == self._saved_theme:
            return
        try:
            save_setting("theme", theme)
        except StoreError as error:
            self.notify(str(error), title="Theme not remembered", severity="warning", markup=False)
        else:
            self._saved_theme = theme

    # ---- requests from the screens and the palette -------------------------------------------

    def when_free(self, then: Callable[[], object]) -> None:
        """Run ``then`` once the current screen's unsaved edits are saved or dropped.

        Not under a form or question: what it asks belongs to the screen it was opened on.
        """
        screen = self.screen
        if isinstance(screen, ModalScreen):
            self.notify("Close the form first.", severity="warning")
            return
        if isinstance(screen, GuardedScreen):
            screen.leave_then(then)
        else:
            then()

    def on_show_period(self, request: ShowPeriod) -> None:
        self.when_free(lambda: setattr(self, "period", request.period))

    def action_step_period(self, step: int) -> None:
        labels = [period.label for period in self.store.periods()]
        index = (labels.index(self.period) + step) % len(labels)
        self.when_free(lambda: setattr(self, "period", labels[index]))

    async def on_open_installation(self, request: OpenInstallation) -> None:
        """Show the installation on the one installation screen, made the first time and
        refilled after (``InstallationScreen.show_installation``)."""
        screen = self._installation_screen
        if screen is None:
            screen = self._installation_screen = InstallationScreen(request.installation)
            self.install_screen(screen, name=INSTALLATION)
            self.push_screen(screen)
        elif self.screen is screen:
            self.when_free(lambda: self.run_worker(screen.show_installation(request.installation)))
        else:
            await screen.show_installation(request.installation)
            self.push_screen(screen)

    def on_choose_identity(self, request: ChooseIdentity | None = None) -> None:
        if self.roster:
            self.notify(
                self.roster.reason,
                title="Who you are is set by the roster",
                severity="warning" if self.roster.actor is None else "information",
                markup=False,
            )
            return

        def chosen(identity: str | None) -> None:
            self.identity = identity

        if request is not None and request.organisation:
            self.when_free(lambda: chosen(request.organisation))
            return
        ask = IdentityScreen(self.store.organisations(), self.identity)
        self.when_free(lambda: self.push_screen(ask, chosen))

    def _open(self, screen: Screen[Any]) -> None:
        self.when_free(lambda: self.push_screen(screen))

    def action_open_milestones(self) -> None:
        self._open(MilestonesScreen(self.store, self.identity, self.period))

    def action_open_export(self) -> None:
        self._open(ExportScreen(self.store, self.period))

    def action_open_setup(self) -> None:
        self._open(SetupScreen(self.store, self.identity))

    def action_open_help(self) -> None:
        self.push_screen(HelpScreen(files("vatui").joinpath("help.md").read_text("utf-8")))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No period change or new screen under a modal form: it belongs where it was opened.

        Help opens over anything; no screen opens over one of its own kind.
        """
        screen = self.screen
        if action in OPENED_BY and isinstance(screen, OPENED_BY[action]):
            return False
        if action == "step_period" or (action in OPENED_BY and action != "open_help"):
            return not isinstance(screen, ModalScreen)
        return True

    async def action_quit(self) -> None:
        """Quit, asking first when a form anywhere on the stack holds unsaved edits."""
        pending = [name for screen in self.screen_stack for name in _unsaved(screen)]
        if not pending:
            self.exit()
            return

        def answered(quit: bool | None) -> None:
            if quit:
                self.exit()

        self.push_screen(drop_question(pending, "Quit and drop them?", "Quit"), answered)


def _unsaved(screen: object) -> list[str]:
    if isinstance(screen, GuardedScreen):
        return screen.unsaved_changes()
    if isinstance(screen, RecordForm) and screen.is_dirty:
        return [screen.form_title]
    return []
