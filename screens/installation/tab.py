"""What every tab of the installation screen shares: its installation, and loading when shown.

A tab builds its widgets the first time it is shown, and loads its data then and again when it
is shown after something changed (a save on another tab, another period, another identity).
"""

from __future__ import annotations

import asyncio

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable, Static, TextArea
from vatui.screens.keyboard import focus_now
from vatui.screens.session import Session, session_of, write_refusal
from vatui.screens.widgets import plain
from vatui.store import Site


class InstallationTab(Vertical):
    """One tab's content; subclasses implement ``load``."""

    #: Whether what the tab edits belongs to the period shown (which a review may lock).
    PER_PERIOD = False

    class Saved(Message):
        """Something of the installation was saved: the heading and the other tabs reload."""

        def __init__(self, tab: InstallationTab) -> None:
            super().__init__()
            self.tab = tab

    def __init__(
        self, installation: str, sites: list[Site] | None = None, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.installation = installation
        self.sites = sites or []
        self.built = False
        self.stale = True
        self._showing = asyncio.Lock()

    def show_installation(self, installation: str, sites: list[Site]) -> None:
        """Show another installation from now on (the screen is kept and refilled, which
        costs a fraction of building a new one); built again if its widgets do not fit."""
        if self.built and not self.fits(sites):
            self.built = False
        self.installation = installation
        self.sites = sites
        self.stale = True

    def fits(self, sites: list[Site]) -> bool:
        """Whether the widgets built for the sites shown so far can show ``sites``: a tab
        whose widgets depend on the sites says when they do not."""
        return True

    def compose(self) -> ComposeResult:
        """Nothing until the tab is first shown: the tabs nobody opens cost nothing."""
        if self.built:
            yield from self.build()

    def build(self) -> ComposeResult:
        """The tab's widgets, made when it is first shown."""
        raise NotImplementedError

    @property
    def session(self) -> Session:
        return session_of(self.app)

    @property
    def refusal(self) -> str | None:
        """Why the identity may not change this installation; None when it may."""
        return write_refusal(self.session, self.installation, per_period=self.PER_PERIOD)

    def writer(self) -> str | None:
        """The identity, when it may change this installation; else None, having said why not."""
        refusal = self.refusal
        if refusal:
            self.notify(refusal, title="Read-only", severity="warning", markup=False)
            return None
        return self.session.identity

    def show_access(self, hint: str) -> None:
        """Say on the tab's ``.access`` line how to edit here, or why the identity may not."""
        refusal = self.refusal
        text = plain(f"Read-only: {refusal}", style="italic") if refusal else plain(f"✎ {hint}")
        self.query_one(".access", Static).update(text)

    async def show_current(self) -> None:
        """Build the tab if it is shown for the first time; load it if something changed."""
        async with self._showing:  # the tab's key and the tab bar may both ask at once
            if not self.built:
                self.built = True
                await self.recompose()
            if self.stale:
                self.stale = False
                self.load()

    def load(self) -> None:
        """Fill the tab from the store."""
        raise NotImplementedError

    def focus_content(self) -> None:
        """Put the keyboard where the tab's work is, whenever it is shown: its first table, else
        its first text box that may be written, else its first control that takes the focus.
        A read-only box is passed over: there the keys are better left to the screen's."""
        for kind in (DataTable, TextArea, Widget):
            shown = [
                item
                for item in self.query(kind)
                if item.display
                and item.focusable
                and not (isinstance(item, TextArea) and item.read_only)
            ]
            if shown:
                focus_now(shown[0])
                return

    def unsaved_changes(self) -> list[str]:
        """Names of this tab's forms with edits not yet saved."""
        return []

    def saved(self) -> None:
        """Tell the screen a save went through, after reloading this tab."""
        self.load()
        self.post_message(self.Saved(self))
