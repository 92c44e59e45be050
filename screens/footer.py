"""The footer of every screen, rebuilt only when the keys it shows change.

Textual's footer builds all its key widgets again each time a screen says its bindings may
have changed, which it says on every move of the focus, every screen pushed or popped and
every ``refresh_bindings``, several times in one frame. Each rebuild styles a dozen new
widgets: that was most of the time of opening a form. This one compares what it would show
with what it shows, and rebuilds only on a difference.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer


class KeyFooter(Footer):
    """A Footer that keeps its widgets while the keys, their labels and states stay the same."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._shown: tuple[object, ...] | None = None

    def shown_keys(self) -> tuple[object, ...]:
        """Everything the footer's widgets are made from: each key shown, its label, whether it
        is enabled, its tooltip; and the footer's own settings."""
        keys = tuple(
            (binding.key, binding.description, binding.action, binding.group, enabled, tooltip)
            for _, binding, enabled, tooltip in self.screen.active_bindings.values()
            if binding.show
        )
        return (*keys, self.compact, self.show_command_palette, self.combine_groups)

    async def recompose(self) -> None:
        if not self.is_attached or self.screen is not self.app.screen:
            return  # a screen under another one: rebuilt if need be once it is on top again
        shown = self.shown_keys()
        if shown == self._shown:
            return
        self._shown = shown
        await super().recompose()
