"""One line of a table cell, drawn straight to segments.

A DataTable draws each cell through three nested renderables (styles around padding around
the text), each of which renders, splits and crops the lines of the one inside: on the
dashboard's period switch that was a third of the time, for cells one line high that need
none of it. ``cell_line`` draws the same segments in one pass, and
``tests/test_tui_widgets.py`` checks that they are the same, cell for cell, as DataTable's.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, JustifyMethod, OverflowMethod
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

_NEW_LINE = Text("\n")
#: Cells laid out, by text and width; emptied when it reaches ``_KEPT``.
_LAID_OUT: dict[tuple[object, ...], list[Segment]] = {}
_KEPT = 4096


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

    ``width`` must leave room for the text between the paddings. The same text at the same
    width is laid out once: lights, organisations and metric names come back on every screen.
    """
    justify = text.justify or options.justify or "default"
    overflow = text.overflow or options.overflow or "fold"
    spans = tuple(text.spans)
    key = (
        text.plain,
        text.style,
        spans,
        justify,
        overflow,
        text.no_wrap,
        text.tab_size,
        width,
        padding,
    )
    segments = _LAID_OUT.get(key)
    if segments is None:
        if len(_LAID_OUT) >= _KEPT:
            _LAID_OUT.clear()
        segments = _LAID_OUT[key] = _laid_out(
            console, text, width - 2 * padding, padding, justify, overflow
        )
    return list(Segment.apply_style(segments, style, post_style))


def _laid_out(
    console: Console,
    text: Text,
    inner: int,
    padding: int,
    justify: JustifyMethod,
    overflow: OverflowMethod,
) -> list[Segment]:
    """The segments of ``text`` in ``inner`` cells between paddings, before the cell's styles."""
    lines = text.wrap(
        console,
        inner,
        justify=justify,
        overflow=overflow,
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
    return segments
