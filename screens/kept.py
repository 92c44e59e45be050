"""Screens the App makes once and shows again and again: restyled only when the look changed.

Textual applies the whole stylesheet again to every widget of a screen each time it is pushed
(``ScreenResume``), in case the theme changed while the screen was away. For the installation
screen and the value form, pushed at every visit and every edit, that was a quarter of the
time of showing them. A screen that mixes ``KeptScreen`` in asks for that only when the app's
theme or classes differ from the last time it was restyled; changes to its own widgets'
classes restyle those widgets as they happen, shown or not.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.message import Message
from textual.screen import Screen


class KeptScreen(Screen[Any]):
    """Mixed in after the screen's own base: ``class S(GuardedScreen, KeptScreen)``. Textual
    finds a widget's CSS type names along its first bases only: first, this one would hide
    the styles of the screen's own base (a form would lose its centring and backdrop)."""

    _styled_for: tuple[object, ...] | None = None

    def post_message(self, message: Message) -> bool:
        if isinstance(message, events.ScreenResume) and message.refresh_styles:
            look = (self.app.theme, self.app.classes, self.app.ansi_color)
            if look == self._styled_for:
                message = events.ScreenResume(refresh_styles=False)
            self._styled_for = look
        return super().post_message(message)
