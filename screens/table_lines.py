"""``LineDrawnTable``: a DataTable that draws the same lines as DataTable, in less time.

A DataTable draws each cell through three nested renderables (styles around padding around
the text), each of which renders, splits and crops the lines of the one inside, and it reads
its own style and colours again for every line, each read a walk up all its ancestors. It
draws every cell again each time the table is filled, refocused or resized, even in height
alone. On a period switch or an installation opened, that was most of the time.

This table draws a cell or heading one line high in one pass (``cell_line``), keeps what it
drew by text, width, styles and place (lights, organisations and metric names come back on
every screen and in every period), reads its style and settings once for all the lines of a
pass, and keeps its lines when only its height changes. Cells of other heights are drawn by
DataTable. ``tests/test_tui_widgets.py`` holds every line to DataTable's.

It reads DataTable's private cache and cell styles: a Textual release without them gets
DataTable's drawing, slower and the same.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.console import Console, ConsoleOptions, JustifyMethod, OverflowMethod
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.color import Color
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

_NEW_LINE = Text("\n")
#: Cells laid out by text and width, and cells drawn by text, width, styles and position;
#: each emptied when it reaches ``_KEPT``.
_LAID_OUT: dict[tuple[object, ...], list[Segment]] = {}
_DRAWN: dict[tuple[object, ...], list[Segment]] = {}
_KEPT = 4096


class _Pass(NamedTuple):
    """What every line and cell of one drawing pass reads: the table's style and colours,
    and its settings (each a reactive attribute, slow to read thousands of times)."""

    style: Style
    colors: tuple[Color, Color]
    options: ConsoleOptions
    padding: int
    plain: bool  # no fixed rows or columns
    #: ``show_cursor`` and the cursor's colour priorities, as DataTable's cell styles take them
    cursor: tuple[bool, bool, bool]
    #: Rows are drawn here (``LineDrawnTable._render_line_in_row``): a row cursor, no row
    #: labels, no zebra stripes, nothing fixed
    rows: bool
    widths: tuple[int, ...]  # each column's, with its padding, in order
    labels: tuple[Text, ...]  # each column's heading
    header_style: Style


class LineDrawnTable(DataTable[Text]):
    """A DataTable of ``Text`` cells, drawn as DataTable draws them, quicker."""

    _pass: _Pass | None = None
    _laid_out_width = -1

    def _on_resize(self, event: events.Resize) -> None:
        """A table that only grows or shrinks in height draws the same lines: DataTable takes
        any resize for new content and draws every line again (an installation's tables do,
        after the screen has been drawn once at their new height). Its handler is skipped then.
        """
        if event.size.width == self._laid_out_width:
            event.prevent_default()
        self._laid_out_width = event.size.width

    def render_lines(self, crop: Region) -> list[Strip]:
        self._pass = self._read_pass()
        try:
            return super().render_lines(crop)
        finally:
            self._pass = None

    def _read_pass(self) -> _Pass:
        plain = not (self.fixed_rows or self.fixed_columns)
        columns = self.ordered_columns
        return _Pass(
            self.rich_style,
            self.background_colors,
            self.app.console_options,
            self.cell_padding,
            plain,
            (
                self.show_cursor,
                self.cursor_foreground_priority == "css",
                self.cursor_background_priority == "css",
            ),
            plain
            and self.cursor_type == "row"
            and not self.zebra_stripes
            and not (getattr(self, "_labelled_row_exists", True) and self.show_row_labels),
            tuple(column.get_render_width(self) for column in columns),
            tuple(
                Text(column.label) if isinstance(column.label, str) else column.label
                for column in columns
            ),
            self.get_component_styles("datatable--header").rich_style,
        )

    @property
    def rich_style(self) -> Style:
        drawing = self._pass
        return drawing.style if drawing is not None else super().rich_style

    @property
    def background_colors(self) -> tuple[Color, Color]:
        drawing = self._pass
        return drawing.colors if drawing is not None else super().background_colors

    def _render_line_in_row(
        self,
        row_key: RowKey,
        line_no: int,
        base_style: Style,
        cursor_location: Coordinate,
        hover_location: Coordinate,
    ) -> tuple[list[list[Segment]], list[list[Segment]]]:
        """A row's line, as DataTable's own makes it for a table with a row cursor and nothing
        fixed or labelled: its cells, then blanks to the table's width. Kept in DataTable's
        cache under its key. DataTable's reads the heading's style, the columns and their
        widths again for every line, which cost more than drawing the cells."""
        drawing = self._pass
        if drawing is None or not drawing.rows:
            return super()._render_line_in_row(
                row_key, line_no, base_style, cursor_location, hover_location
            )
        try:
            shows_cursor, shows_hover = drawing.cursor[0], self._show_hover_cursor
            state = (shows_cursor, shows_hover, self._update_count, self._pseudo_class_state)
            cursor_type = self.cursor_type
            key = (
                row_key,
                line_no,
                base_style,
                cursor_location,
                hover_location,
                cursor_type,
                *state,
            )
            kept = self._row_render_cache.get(key)
            if kept is not None:
                return kept
            found = self._row_locations.get(row_key)
            row_index = -1 if found is None else found
            extend, _ = self._get_styles_to_render_cell(
                row_index == -1,
                False,
                False,
                hover_location.row == row_index,
                cursor_location.row == row_index,
                shows_cursor,
                shows_hover,
                False,
                False,
            )
        except AttributeError:
            return super()._render_line_in_row(
                row_key, line_no, base_style, cursor_location, hover_location
            )
        row_style = drawing.header_style if row_index == -1 else base_style
        cursor, hover = cursor_location.row == row_index, hover_location.row == row_index
        cells = [
            self._render_cell(row_index, column, row_style, width, cursor, hover)[line_no]
            for column, width in enumerate(drawing.widths)
        ]
        beyond = Style.from_meta({"row": row_index, "column": 0, "out_of_bounds": True})
        blank = max(0, self.size.width - sum(drawing.widths))
        cells.append([Segment(" " * blank, row_style + extend + beyond)])
        pair: tuple[list[list[Segment]], list[list[Segment]]] = ([], cells)
        self._row_render_cache[key] = pair
        return pair

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> list[list[Segment]]:
        lines = self._one_line_cell(row_index, column_index, base_style, width, cursor, hover)
        if lines is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        return lines

    def _one_line_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool,
        hover: bool,
    ) -> list[list[Segment]] | None:
        """The cell (or heading, row -1) drawn by ``cell_line``, kept in DataTable's cache under
        DataTable's key (so whatever empties that cache redraws it); None for a cell it does
        not draw, or when not drawing a pass."""
        drawing = self._pass
        if drawing is None or not drawing.plain or row_index < -1 or column_index < 0:
            return None
        padding = drawing.padding
        heading = row_index == -1
        try:
            column_key = self._column_locations.get_key(column_index)
            row_key = self._header_row_key if heading else self._row_locations.get_key(row_index)
            if row_key is None or column_key is None:
                return None
            if heading:
                text, height = drawing.labels[column_index], self.header_height
            else:
                text, height = self.get_cell(row_key, column_key), self.rows[row_key].height
            if height != 1 or not isinstance(text, Text) or width <= 2 * padding:
                return None
            shows_hover = self._show_hover_cursor
            state = (self._update_count, self._pseudo_class_state)
            key = (row_key, column_key, base_style, cursor, hover, shows_hover, *state)
            lines = self._cell_render_cache.get(key)
            if lines is None:
                shows_cursor, css_color, css_background = drawing.cursor
                style, post_style = self._get_styles_to_render_cell(
                    heading,
                    False,
                    False,
                    hover,
                    cursor,
                    shows_cursor,
                    shows_hover,
                    css_color,
                    css_background,
                )
        except AttributeError:
            return None
        if lines is None:
            styles = (base_style, style, post_style)
            where = (row_index, column_index)
            line = cell_line(self.app.console, drawing.options, text, width, padding, styles, where)
            lines = [line]
            self._cell_render_cache[key] = lines
        return lines


def cell_line(
    console: Console,
    options: ConsoleOptions,
    text: Text,
    width: int,
    padding: int,
    styles: tuple[Style, Style, Style],
    where: tuple[int, int],
) -> list[Segment]:
    """``text`` in a cell ``width`` wide with ``padding`` blanks each side: its first line, as a
    DataTable draws it in a row one line high at row and column ``where``, under the row's
    style and the cell's, and over the cell's last ``styles``.

    ``width`` must leave room for the text between the paddings.
    """
    justify = text.justify or options.justify or "default"
    overflow = text.overflow or options.overflow or "fold"
    spans = tuple(text.spans)
    shape = (justify, overflow, text.no_wrap, text.tab_size, width, padding)
    laid_key = (text.plain, text.style, spans, *shape)
    drawn_key = (laid_key, styles, where)
    drawn = _DRAWN.get(drawn_key)
    if drawn is not None:
        return drawn
    segments = _LAID_OUT.get(laid_key)
    if segments is None:
        segments = _laid_out(console, text, width - 2 * padding, padding, justify, overflow)
        _keep(_LAID_OUT, laid_key, segments)
    row_style, style, post_style = styles
    row, column = where
    pre_style = row_style + Style.from_meta({"row": row, "column": column}) + style
    drawn = list(Segment.apply_style(segments, pre_style, post_style))
    _keep(_DRAWN, drawn_key, drawn)
    return drawn


def _keep(
    cache: dict[tuple[object, ...], list[Segment]], key: tuple[object, ...], value: list[Segment]
) -> None:
    if len(cache) >= _KEPT:
        cache.clear()
    cache[key] = value


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
