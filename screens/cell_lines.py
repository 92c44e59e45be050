"""One line of a table cell, drawn straight to segments.

A DataTable draws each cell through three nested renderables (styles around padding around
the text), each of which renders, splits and crops the lines of the one inside: on the
dashboard's period switch that was a third of the time, for cells one line high that need
none of it. ``cell_line`` draws the same segments in one pass, and
``tests/test_tui_widgets.py`` checks that they are the same, cell for cell, as DataTable's.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

_NEW_LINE = Text("\n")


def cell_line(
    console: Console,
    options: ConsoleOptions,
    text: Text,
    width: int,
    padding: int,
    style: Style,
    post_style: Style,
) -> list[Segment]:
    """``text`` in a cell ``width`` wide with ``padding`` blanks each side, under ``style`` and
    over ``post_style``: its first line, as a DataTable would show it in a row one line high.

    ``width`` must leave room for the text between the paddings.
    """
    inner = width - 2 * padding
    lines = text.wrap(
        console,
        inner,
        justify=text.justify or options.justify or "default",
        overflow=text.overflow or options.overflow or "fold",
        tab_size=(console.tab_size if text.tab_size is None else text.tab_size) or 8,
        no_wrap=True if text.no_wrap is None else text.no_wrap,
    )
    # Joined as Text renders itself: the line's own style becomes a span of the whole.
    segments = list(_NEW_LINE.join(lines[:1]).render(console, end=""))
    blank = Style.null()
    segments = Segment.adjust_line_length(segments, inner, style=blank)
    if padding:
        side = Segment(" " * padding, blank)
        segments = [side, *segments, side]
    return list(Segment.apply_style(segments, style, post_style))
