"""Tables that fit the terminal's width and hold only the rows on screen: ``FittedTable``, the
rows it is given (``Row``, or ``LazyRows`` made only when shown) and how its columns share the
width. Every cell and heading goes through ``widgets.neutralised``: no stored text acts on the
terminal, whoever built the row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets import DataTable
from vatui.screens.table_lines import LineDrawnTable
from vatui.screens.widgets import cell_width, neutralised, one_line

T = TypeVar("T")


@dataclass(frozen=True)
class Column:
    """A column of a FittedTable.

    A column with ``flex`` shares what width is left, in proportion; the others are as wide as
    their widest cell, up to ``max_width``.
    """

    key: str
    label: str
    flex: int = 0
    max_width: int = 24
    #: Cut a cell too long for the column in its middle, keeping its end: names that differ
    #: only at the end ("Number of images processed", "Number of images ingested") stay apart.
    middle: bool = False


@dataclass(frozen=True)
class Row:
    key: str
    cells: Sequence[Text]
    height: int = 1


class LazyRows(Sequence[Row], Generic[T]):
    """Rows made only when a table shows them: a screen of 10,000 items builds a screenful.

    ``build`` makes the rows of a run of items at once, so a screen can read their data in one
    query; ``key`` gives an item's row key without making its row. Made rows are kept.
    """

    def __init__(
        self,
        items: Sequence[T],
        key: Callable[[T], str],
        build: Callable[[Sequence[T]], list[Row]],
    ) -> None:
        self._items = items
        self._key = key
        self._build = build
        self._made: dict[int, Row] = {}

    def __len__(self) -> int:
        return len(self._items)

    def keys(self) -> list[str]:
        return [self._key(item) for item in self._items]

    @overload
    def __getitem__(self, index: int) -> Row: ...

    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...

    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        if isinstance(index, slice):
            wanted = range(*index.indices(len(self)))
            missing = [i for i in wanted if i not in self._made]
            if missing:
                made = self._build([self._items[i] for i in missing])
                self._made.update(zip(missing, made, strict=True))
            return [self._made[i] for i in wanted]
        position = range(len(self))[index]  # IndexError as a list would raise it
        return self[position : position + 1][0]


class FittedTable(LineDrawnTable):
    """A row-cursor table whose columns are fitted to its width, so 80 columns still work.

    Call ``show(columns, rows)`` with the data; the table lays itself out again on resize and
    keeps the cursor on the same row key.

    A DataTable measures every cell it holds (10,000 rows cost seconds), so this one holds a
    window of the rows, as many as the terminal is high, that slides as the cursor moves (arrow
    and page keys, ctrl+home/end, ``move_cursor``, the mouse wheel at its end): its cost follows
    what is shown, not how many rows there are. ``rows`` may be ``LazyRows``, which makes only
    the rows that come into the window; columns are then fitted to the rows made so far. Row
    numbers given to ``move_cursor`` count from the first row given to ``show``; the
    ``cursor_row`` of a DataTable message counts within the window, so go by row keys.
    """

    DEFAULT_CSS = """
    FittedTable {
        height: auto;
        max-height: 100%;
        overflow-x: hidden;
    }
    """

    # Priority: a table's keys act at once, not after the key has climbed through every
    # widget up to the app and come back (a few milliseconds a key on the installation screen).
    # The table has the keyboard when they are read: no text field loses a letter to them.
    BINDINGS = [
        Binding(
            "enter",
            "select_cursor",
            "Select",
            show=False,
            priority=True,
            id="table.select",
            tooltip="Open or edit the row under the cursor",
        ),
        *(
            Binding(key, action, description, show=False, priority=True, id=ident, tooltip=tip)
            for key, action, description, ident, tip in (
                ("up", "cursor_up", "Up", "table.up", "The cursor to the row above"),
                ("down", "cursor_down", "Down", "table.down", "The cursor to the row below"),
                ("pageup", "page_up", "Page up", "table.page_up", "The cursor a page up"),
                ("pagedown", "page_down", "Page down", "table.page_down", "The cursor a page down"),
                ("home,ctrl+home", "scroll_top", "First row", "table.first", "The first row"),
                ("end,ctrl+end", "scroll_bottom", "Last row", "table.last", "The last row"),
            )
        ),
    ]

    MIN_FLEX_WIDTH = 8
    #: The window holds this many terminal heights of rows.
    WINDOW_SCREENS = 1.0

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        # The cells' own colours win under the cursor: a light keeps its colour there too.
        super().__init__(
            cursor_type="row", cursor_foreground_priority="renderable", id=id, classes=classes
        )
        self._fitted_columns: list[Column] = []
        self._fitted_rows: Sequence[Row] = []
        self._keys: list[str] = []
        self._natural: list[int] = []
        self._fitted_width = 0
        self._first = 0  # the position of the window's first row among all rows
        self._window: list[Row] = []
        self._waiting: int | None = None  # the cursor's row, while shown before laid out

    @property
    def selected_key(self) -> str | None:
        """The key of the row under the cursor, None when the table is empty."""
        if self._waiting is not None and self._keys:
            return self._keys[self._waiting]
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0)).row_key.value

    def show(self, columns: list[Column], rows: Sequence[Row]) -> None:
        keep = self.selected_key
        lazy = isinstance(rows, LazyRows)
        self._fitted_columns = columns
        self._fitted_rows = rows
        self._keys = rows.keys() if isinstance(rows, LazyRows) else [row.key for row in rows]
        self._natural = natural_widths(columns, [] if lazy else rows)
        at = self._keys.index(keep) if keep is not None and keep in self._keys else 0
        if not self.size.width:
            # Not laid out yet (just built, or hidden): the columns would be fitted to no
            # width and every cell drawn twice. Filled once, at its width, when it has one.
            self.clear()
            self._window = []
            self._waiting = at
            return
        self._waiting = None
        self._fill(at - self._window_size() // 2, cursor=at)

    def on_resize(self) -> None:
        if self._waiting is not None:
            at, self._waiting = self._waiting, None
            self._fill(at - self._window_size() // 2, cursor=at)
        elif self.size.width != self._fitted_width or self._room_for_more():
            self._lay_out()

    def watch_show_vertical_scrollbar(self) -> None:
        """A scrollbar came or went: the columns get its room, or give it up."""
        self._lay_out()

    def _lay_out(self) -> None:
        """Fit the columns again and refill the window, the cursor's row staying where it is."""
        self._slide(self._first)

    # ---- the window ------------------------------------------------------------------------

    def _window_size(self) -> int:
        """Rows enough to fill the table: as many as the terminal is high, or, for a table held
        to fewer lines than its rows take (a max-height), as many as it shows. So the list of
        installations reads only what its part of the screen shows, and a table of a few rows
        refilled with many grows to show them."""
        shown = self.size.height if self._held() else self.app.size.height
        lines = self.WINDOW_SCREENS * max(shown, 12)
        height = self._window[0].height if self._window else 1
        return max(int(lines / height), 1)

    def _room_for_more(self) -> bool:
        """Whether the table, grown taller, could show rows its window does not hold."""
        return len(self._window) < len(self._keys) and not self._held()

    def _held(self) -> bool:
        """Whether the table shows fewer lines than its rows take."""
        return bool(self._window) and 0 < self.size.height < self._top_of(
            self._first + len(self._window)
        )

    @property
    def _cursor(self) -> int:
        """The cursor's row among all rows."""
        return self._first + self.cursor_row

    def _top_of(self, position: int) -> int:
        """Where the row at ``position`` (among all rows, inside the window) starts, in lines."""
        inside = self._window[: position - self._first]
        return sum(row.height for row in inside) + (self.header_height if self.show_header else 0)

    def _fill(self, first: int, cursor: int) -> None:
        """Hold the rows from ``first`` on, fitted to the width, the cursor on row ``cursor``."""
        size = self._window_size()
        first = max(0, min(first, len(self._fitted_rows) - size))
        self._first = first
        self._window = list(self._fitted_rows[first : first + size])
        if isinstance(self._fitted_rows, LazyRows):
            seen = natural_widths(self._fitted_columns, self._window)
            self._natural = [max(pair) for pair in zip(self._natural, seen, strict=True)]
        self._fitted_width = self.size.width
        available = self.size.width - self.scrollbar_size_vertical
        widths = fit_to(self._fitted_columns, self._natural, available, self.cell_padding)
        self.clear(columns=True)
        for column, width in zip(self._fitted_columns, widths, strict=True):
            self.add_column(one_line(column.label, style="bold"), width=width, key=column.key)
        middles = [i for i, column in enumerate(self._fitted_columns) if column.middle]
        for row in self._window:
            # Whoever built the cells, no control character in them reaches the terminal.
            cells = list(map(neutralised, row.cells))
            for i in middles:
                cells[i] = cut_in_the_middle(cells[i], widths[i])
            self.add_row(*cells, key=row.key, height=row.height)
        self._measured()
        inside = min(max(cursor - first, 0), max(len(self._window) - 1, 0))
        if inside:
            super().move_cursor(row=inside, animate=False)

    def _measured(self) -> None:
        """Spare DataTable measuring the new rows' every cell when idle: it looks for column
        widths and row heights, and this table gives both. (A private set of DataTable's: a
        Textual without it measures, as before.)"""
        new_rows = getattr(self, "_new_rows", None)
        if isinstance(new_rows, set):
            new_rows.clear()

    def _slide(self, first: int, *, follow: bool = False) -> None:
        """Move the window to start at ``first`` without moving what is on screen: the rows
        still in the window stay where they were, and so does the cursor if its row stays.
        With ``follow`` a cursor scrolled off screen comes to its first row (the mouse wheel
        drags it along, as a DataTable keeps its cursor among its rows)."""
        if not self._window:
            self._fill(first, cursor=0)
            return
        top = self._first + self._row_at(self.scroll_y)
        offset = self._top_of(top) - self.scroll_y
        cursor = self._cursor
        self._fill(first, cursor=cursor)
        if self._first <= top < self._first + len(self._window):
            self.scroll_y = self._top_of(top) - offset
        if follow and not self._shows(cursor):
            super().move_cursor(row=self._row_at(self.scroll_y), scroll=False)

    def _shows(self, position: int) -> bool:
        """Whether the row at ``position`` is in the window and on screen."""
        if not self._first <= position < self._first + len(self._window):
            return False
        top = self._top_of(position) - self.scroll_y
        bottom = top + self._window[position - self._first].height
        header = self.header_height if self.show_header else 0
        return header <= top and bottom <= self.scrollable_content_region.height

    def _row_at(self, y: float) -> int:
        """The window row on the table's first line under the header when scrolled to ``y``."""
        lines = -round(y)
        for index, row in enumerate(self._window):
            lines += row.height
            if lines > 0:
                return index
        return max(len(self._window) - 1, 0)

    def _reach(self, position: int) -> None:
        """Slide the window, when needed, so that it holds the row at ``position``."""
        if not self._first <= position < self._first + len(self._window):
            self._slide(position - self._window_size() // 2)

    def _go(self, position: int, *, keep_offset: bool = False, animate: bool = False) -> None:
        """Put the cursor on the row at ``position``, as a key moves it; with ``keep_offset``
        the view scrolls so that the cursor stays at the same height on screen (as paging does).
        """
        hide_hover_cursor(self)
        if not self._keys:
            return
        position = max(0, min(position, len(self._keys) - 1))
        offset = self._top_of(self._cursor) - self.scroll_y
        self._reach(position)
        super().move_cursor(row=position - self._first, animate=animate, scroll=not keep_offset)
        if keep_offset:
            self.scroll_y = self._top_of(position) - offset

    def _page(self) -> int:
        """How many rows paging moves: as many as the table shows (rows of the cursor's height)."""
        lines = self.scrollable_content_region.height - self.header_height
        return max(1, lines // self._window[self.cursor_row].height) if self._window else 1

    def move_cursor(
        self,
        *,
        row: int | None = None,
        column: int | None = None,
        animate: bool = False,
        scroll: bool = True,
    ) -> None:
        """Move the cursor to ``row``, counted from the first row given to ``show``."""
        if row is not None and self._waiting is not None:
            self._waiting = max(0, min(row, len(self._keys) - 1))
            return
        if row is not None and self._keys:
            self._reach(max(0, min(row, len(self._keys) - 1)))
            row -= self._first
        super().move_cursor(row=row, column=column, animate=animate, scroll=scroll)

    def action_cursor_down(self) -> None:
        self._go(self._cursor + 1)

    def action_cursor_up(self) -> None:
        self._go(self._cursor - 1)

    def action_page_down(self) -> None:
        self._go(self._cursor + self._page(), keep_offset=True)

    def action_page_up(self) -> None:
        self._go(self._cursor - self._page(), keep_offset=True)

    def action_scroll_top(self) -> None:
        self._go(0)

    def action_scroll_bottom(self) -> None:
        self._go(len(self._keys) - 1)

    def on_mouse_scroll_down(self) -> None:
        """The wheel at the window's end brings the next rows in."""
        if self.scroll_y >= self.max_scroll_y and self._first + len(self._window) < len(self._keys):
            self._slide(self._first + len(self._window) // 2, follow=True)

    def on_mouse_scroll_up(self) -> None:
        if self.scroll_y <= 0 and self._first > 0:
            self._slide(self._first - len(self._window) // 2, follow=True)


def cut_in_the_middle(text: Text, width: int) -> Text:
    """``text`` in ``width`` cells: whole if it fits, else its start and its longer end around
    an ellipsis, in the text's own style."""
    if cell_len(text.plain) <= width or width < 3:
        return text
    head = (width - 1) // 3
    tail = width - 1 - head
    return Text(f"{text.plain[:head]}…{text.plain[-tail:]}", style=text.style, no_wrap=True)


def hide_hover_cursor(table: DataTable[Any]) -> None:
    """Hide the faint highlight the mouse left on a row until the mouse moves again, as
    DataTable's own key actions do: FittedTable overrides them to slide its window, and its
    keyboard cursor must not show beside a stale hover highlight.

    Textual has no public call for this; DataTable's actions call the private method named
    here, and tests/test_tui_widgets.py fails loudly if a Textual release changes it.
    """
    table._set_hover_cursor(False)


def natural_widths(columns: list[Column], rows: Sequence[Row]) -> list[int]:
    """Each column's width with nothing cut: its widest cell, or its label."""
    return [
        max([cell_width(column.label), *(cell_width(row.cells[i]) for row in rows)])
        for i, column in enumerate(columns)
    ]


def fit_widths(
    columns: list[Column], rows: Sequence[Row], available: int, padding: int
) -> list[int]:
    """Content widths of the columns: fixed ones as needed, flexible ones sharing the rest."""
    return fit_to(columns, natural_widths(columns, rows), available, padding)


def fit_to(columns: list[Column], natural: list[int], available: int, padding: int) -> list[int]:
    """Content widths of columns whose contents need ``natural``: fixed ones as needed,
    flexible ones sharing the rest.

    A flexible column that needs less than its share takes what it needs and leaves the rest to
    the others, so a short note never starves a long metric name.
    """
    widths = [min(width, column.max_width) for column, width in zip(columns, natural, strict=True)]
    pending = [i for i, column in enumerate(columns) if column.flex]
    fixed = sum(width for i, width in enumerate(widths) if i not in pending)
    left = available - fixed - 2 * padding * len(columns)
    while pending:
        weights = sum(columns[i].flex for i in pending)
        share = {i: left * columns[i].flex // weights for i in pending}
        least = {i: min(natural[i], FittedTable.MIN_FLEX_WIDTH) for i in pending}
        # One column at a time takes its whole content, and only if the others can still have
        # their minimum: settling several at once could overspend what is left.
        floor = sum(least.values())
        fits = [
            i for i in pending if natural[i] <= share[i] and left - natural[i] >= floor - least[i]
        ]
        settled = {i: natural[i] for i in sorted(fits, key=natural.__getitem__)[:1]}
        if not settled:  # no column's content fits its share: the starved get their minimum
            settled = {i: least[i] for i in pending if share[i] < least[i]}
        if not settled:
            for i in pending:
                widths[i] = share[i]
            break
        for i, width in settled.items():
            widths[i] = width
            left -= width
            pending.remove(i)
    return widths
