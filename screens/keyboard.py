"""The keyboard where the person typing expects it: moved at once, and kept by text boxes.

Textual hands a key to the focused widget and runs a screen's or the app's binding only when
the key comes back up unhandled; ``Widget.focus`` moves the focus a turn of the event loop
later. So a key typed fast after one that moves the focus could land where the focus was, and
a letter typed in a read-only box could switch the period. These two pieces close that.
"""

from __future__ import annotations

from textual import events
from textual.widget import Widget
from textual.widgets import TextArea


def focus_now(widget: Widget) -> None:
    """Give ``widget`` the keyboard before the next key is read. ``Widget.focus`` waits a turn
    of the event loop, and a key typed fast after the one that moved the focus (``/`` and then
    the filter's text, Tab and then a date) would go where the focus was."""
    widget.screen.set_focus(widget)


class TextBox(TextArea):
    """A text box whose keys are text: while it has the focus, a printable key is never one of
    the app's shortcuts, even when the box is read-only (a TextArea lets those through, and a
    ``p`` would switch the period under the person typing)."""

    def on_key(self, event: events.Key) -> None:
        if event.is_printable:
            event.stop()  # the box's own handler still runs; the screen's and app's keys do not
