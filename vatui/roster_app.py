"""The TUI for a session whose organisation the store's roster decided.

On a shared host the OS login says whom a session works for; the TUI must not then offer to
pick another organisation, at start or from the palette. Asked to, it says why it may not.
"""

from __future__ import annotations

from screens.messages import ChooseIdentity
from store import Store
from store.roster import Identity
from vatui.app import VatuiApp


class RosterBoundApp(VatuiApp):
    """``VatuiApp`` with the roster's identity fixed: choosing another one is refused."""

    def __init__(self, store: Store, identity: Identity, *, theme: str | None = None) -> None:
        super().__init__(store, actor=identity.actor, theme=theme)
        self.roster_identity = identity

    def on_choose_identity(self, request: ChooseIdentity | None = None) -> None:
        if request is not None:
            request.prevent_default()  # VatuiApp's handler would open the picker
        self.notify(
            self.roster_identity.reason,
            title="Who you are is set by the roster",
            severity="warning" if self.roster_identity.actor is None else "information",
            markup=False,
        )
