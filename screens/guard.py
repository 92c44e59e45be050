"""Screens that may hold edits not yet saved, and the question asked before they are dropped."""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen
from vatui.screens.confirm import ConfirmScreen


def drop_question(
    pending: list[str], action: str = "Drop them?", yes: str = "Drop"
) -> ConfirmScreen:
    """The question before unsaved edits are lost; answered True to drop them."""
    question = f"You have unsaved changes in {', '.join(pending)}. {action}"
    return ConfirmScreen(question, yes=yes, no="Keep editing")


class GuardedScreen(Screen[None]):
    """A screen that says what would be lost by leaving it (or changing what it shows)."""

    def unsaved_changes(self) -> list[str]:
        """Names of the forms on this screen with edits not yet saved."""
        return []

    def leave_then(self, then: Callable[[], object]) -> None:
        """Run ``then`` at once, or after the user agrees to drop the unsaved edits."""
        pending = self.unsaved_changes()
        if not pending:
            then()
            return

        def answered(drop: bool | None) -> None:
            if drop:
                then()

        self.app.push_screen(drop_question(pending), answered)
