"""One installation: a heading with its lights and review state, and its metrics, description,
assessment, delays, history and review in tabs. Each tab loads when first shown (see
``InstallationTab``), and again when someone else changed the store (``StoreChanged``).
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Input, Static, TabbedContent, TabPane, Tabs, TextArea
from vatui.screens.changes import StoreChanged
from vatui.screens.footer import KeyFooter
from vatui.screens.guard import GuardedScreen
from vatui.screens.installation.assessment import AssessmentTab
from vatui.screens.installation.delays import DelaysTab
from vatui.screens.installation.description import DescriptionTab
from vatui.screens.installation.history import HistoryTab
from vatui.screens.installation.metrics import MetricsTab
from vatui.screens.installation.review import STEPS, ReviewTab
from vatui.screens.installation.tab import InstallationTab
from vatui.screens.kept import KeptScreen
from vatui.screens.keyboard import focus_now
from vatui.screens.lights import light_label
from vatui.screens.session import session_of, write_refusal
from vatui.screens.widgets import WRITABLE_MARK, one_line, review_label
from vatui.store.text import one_line_printable

#: (pane id, title); the number before each title is the key that shows it.
TABS = (
    ("metrics", "Metrics"),
    ("description", "Description"),
    ("assessment", "Assessment"),
    ("delays", "Delays"),
    ("history", "History"),
    ("review", "Review"),
)
#: Which tab each tab-specific action belongs to.
TAB_ACTIONS = {
    "edit_description": "description",
    "add_delay": "delays",
    "save": "assessment",
    "revert": "history",
    "review": "review",
}


class InstallationScreen(GuardedScreen, KeptScreen):
    CSS_PATH = "screen.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    BINDINGS = [
        Binding(
            "escape",
            "back",
            "Back",
            id="installation.back",
            tooltip="Back to the dashboard; asks first when a form holds unsaved changes",
        ),
        *(
            Binding(
                str(number),
                f"show_tab('{pane}')",
                title,
                show=False,
                id=f"installation.tab.{pane}",
                tooltip=f"Show the {title} tab",
                # Read before the next key, so what is typed right after lands in the tab's
                # box; never while a text field has the keyboard (see check_action).
                priority=True,
            )
            for number, (pane, title) in enumerate(TABS, start=1)
        ),
        Binding(
            "enter",
            "edit_description",
            "Edit",
            id="installation.edit_description",
            tooltip="Edit the description, stage and planned production date",
        ),
        Binding(
            "a",
            "add_delay",
            "Add delay",
            id="installation.add_delay",
            tooltip="Add an entry to the delay log",
        ),
        Binding(
            "ctrl+s",
            "save",
            "Save",
            id="installation.save_assessment",
            tooltip="Save the assessment texts of the period shown",
        ),
        Binding(
            "r",
            "revert",
            "Revert",
            id="installation.revert",
            tooltip="Revert the highlighted change: its old value is written back, as a new change",
        ),
        *(
            Binding(
                step.key,
                f"review('{action}')",
                step.label,
                id=f"installation.review.{action}",
                tooltip=step.help,
            )
            for action, step in STEPS.items()
        ),
    ]

    def __init__(self, installation: str) -> None:
        super().__init__()
        self.installation = installation

    def compose(self) -> ComposeResult:
        store = session_of(self.app).store
        sites = store.sites(self.installation)
        tabs: dict[str, InstallationTab] = {
            "metrics": MetricsTab(self.installation, sites),
            "description": DescriptionTab(self.installation),
            "assessment": AssessmentTab(self.installation, sites),
            "delays": DelaysTab(self.installation, sites),
            "history": HistoryTab(self.installation),
            "review": ReviewTab(self.installation),
        }
        yield Header()
        yield Static(id="installation-heading")
        with TabbedContent(id="tabs"):
            for number, (pane, title) in enumerate(TABS, start=1):
                with TabPane(f"{number} {title}", id=pane):
                    yield tabs[pane]
        yield KeyFooter()

    async def on_mount(self) -> None:
        self.watch(self.app, "period", self._everything_changed, init=False)
        self.watch(self.app, "identity", self._everything_changed, init=False)
        self._show_heading()
        await self._active_tab().show_current()
        self._active_tab().focus_content()

    async def show_installation(self, installation: str) -> None:
        """Refill the screen with another installation, from its Metrics tab: the App keeps
        one installation screen, since building one costs far more than filling it."""
        sites = session_of(self.app).store.sites(installation)
        self.installation = installation
        for pane, _ in TABS:
            self._tab(pane).show_installation(installation, sites)
        tabs = self.query_one(TabbedContent)
        if tabs.active != "metrics":  # focus left in the pane hidden would pull the tabs back
            self.set_focus(None)
            tabs.active = "metrics"
        self._show_heading()
        await self._active_tab().show_current()
        self._active_tab().focus_content()
        self.refresh_bindings()

    # ---- what is shown ---------------------------------------------------------------------

    def _tab(self, pane: str) -> InstallationTab:
        return self.query_one(f"#{pane}", TabPane).query_one(InstallationTab)

    def _active_tab(self) -> InstallationTab:
        return self._tab(self.query_one(TabbedContent).active)

    def _show_heading(self) -> None:
        session = session_of(self.app)
        status = session.store.status(session.period, installations=[self.installation])[0]
        item = status.installation
        writable = write_refusal(session, item.id) is None
        planned = item.planned_production.isoformat() if item.planned_production else "not planned"
        # The name, providers and stage are stored text: on one line each, with escapes.
        about = one_line_printable(f"{', '.join(item.providers)} · {item.stage}")
        heading = Text.assemble(
            one_line(f"{item.number} {item.name}", "bold"),
            f"  {WRITABLE_MARK} yours to edit" if writable else "  read-only",
            "\n",
            (f"{about} · production {planned} · ", "dim"),
            "overall ",
            light_label(status.overall_light),
            "" if status.has_figures else " (no figures yet)",
            " · deployment ",
            light_label(status.deployment_light),
            " · review ",
            review_label(session.store.review_state(item.id, session.period)),
        )
        self.query_one("#installation-heading", Static).update(heading)

    @on(StoreChanged)
    async def _everything_changed(self) -> None:
        """Another period or identity, or someone else changed the store: every tab reloads
        when next shown, the open one now. The screen kept for the next installation and not
        shown reloads nothing: it is refilled when opened."""
        self._mark_stale()
        if self not in self.app.screen_stack:
            return
        self._show_heading()
        await self._active_tab().show_current()
        self.refresh_bindings()

    @on(TabbedContent.TabActivated)
    async def _tab_shown(self) -> None:
        """A tab shown, by its key, a click or the tab bar, gets the keyboard."""
        await self._active_tab().show_current()
        if not isinstance(self.focused, Tabs):  # moving along the tab bar keeps it there
            self._active_tab().focus_content()
        self.refresh_bindings()

    @on(InstallationTab.Saved)
    def _saved(self, event: InstallationTab.Saved) -> None:
        self._mark_stale(but=event.tab)
        self._show_heading()
        self.refresh_bindings()

    def _mark_stale(self, but: InstallationTab | None = None) -> None:
        """Have the tabs reload when next shown, except ``but`` (just reloaded) and any tab
        holding unsaved edits: saving those is refused as stale, and offers to reload."""
        for pane, _ in TABS:
            tab = self._tab(pane)
            if tab is not but and not tab.unsaved_changes():
                tab.stale = True

    def unsaved_changes(self) -> list[str]:
        return [name for pane, _ in TABS for name in self._tab(pane).unsaved_changes()]

    # ---- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Each tab's own keys show in the footer only on that tab; the review's, only the
        steps the identity may take now."""
        if action in TAB_ACTIONS and self.query_one(TabbedContent).active != TAB_ACTIONS[action]:
            return False
        if action == "show_tab" and isinstance(self.focused, TextArea | Input):
            return False  # a digit typed in a text is text
        if action in ("edit_description", "add_delay", "save", "revert"):
            per_period = action == "save"  # the texts are the period's; a review locks them
            session = session_of(self.app)
            return write_refusal(session, self.installation, per_period=per_period) is None
        if action == "review":
            return parameters[0] in self.query_one(ReviewTab).allowed
        return True

    def action_back(self) -> None:
        """Escape leaves a text field first (to the tab bar), and the screen only after."""
        if isinstance(self.focused, TextArea | Input):
            focus_now(self.query_one(TabbedContent).query_one(Tabs))
            return
        self.leave_then(self.dismiss)

    async def action_show_tab(self, pane: str) -> None:
        # Focus left in the pane being hidden would pull the tabs back to it.
        self.set_focus(None)
        self.query_one(TabbedContent).active = pane
        await self._tab(pane).show_current()
        self._tab(pane).focus_content()

    def action_edit_description(self) -> None:
        self.query_one(DescriptionTab).edit()

    def action_add_delay(self) -> None:
        self.query_one(DelaysTab).add()

    def action_save(self) -> None:
        self.query_one(AssessmentTab).save()

    def action_revert(self) -> None:
        self.query_one(HistoryTab).revert()

    def action_review(self, action: str) -> None:
        self.query_one(ReviewTab).take(action)
