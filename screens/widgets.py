"""Small pieces the screens share: light dots, plain-text cells and tables that fit the width.

Every text shown here is a ``rich.text.Text``, never markup, so a value such as ``[red]`` in a
note shows as typed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from store import Light

#: Fixed colours, not theme colours: a light must read the same in every theme.
LIGHT_COLOURS = {
    Light.GREEN: "#3fb950",
    Light.AMBER: "#d29922",
    Light.RED: "#f85149",
    Light.GREY: "#8b949e",
}
DOT = "●"
WRITABLE_MARK = "✎"


def light_dot(light: Light) -> Text:
    return Text(DOT, style=LIGHT_COLOURS[Light(light)])


def light_label(light: Light) -> Text:
    """A dot and the light's name: the name keeps the light readable without colour."""
    return Text.assemble(light_dot(light), " ", Light(light).value)


def light_dots(groups: Iterable[Iterable[Light]]) -> Text:
    """One dot per light, the groups (an installation's sites) set apart by a space."""
    return Text(" ").join(Text.assemble(*(light_dot(light) for light in group)) for group in groups)


def legend() -> Text:
    meanings = [
        (Light.GREEN, "target met"),
        (Light.AMBER, "half way"),
        (Light.RED, "behind"),
        (Light.GREY, "no value or baseline"),
    ]
    parts = [Text.assemble(light_dot(light), f" {meaning}") for light, meaning in meanings]
    return Text("  ").join(parts)


def cell(text: object, style: str = "") -> Text:
    """A table cell holding ``text`` as typed, cut with an ellipsis when the column is narrow."""
    return Text(str(text), style=style, no_wrap=True, overflow="ellipsis", end="")


def cell_width(content: Text | str) -> int:
    plain = content.plain if isinstance(content, Text) else content
    return max((cell_len(line) for line in plain.split("\n")), default=0)


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


@dataclass(frozen=True)
class Row:
    key: str
    cells: Sequence[Text]
    height: int = 1


class FittedTable(DataTable[Text]):
    """A row-cursor table whose columns are fitted to its width, so 80 columns still work.

    Call ``show(columns, rows)`` with the data; the table lays itself out again on resize and
    keeps the cursor on the same row key.
    """

    DEFAULT_CSS = """
    FittedTable {
        height: auto;
        max-height: 100%;
        overflow-x: hidden;
    }
    """

    MIN_FLEX_WIDTH = 8

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        # The cells' own colours win under the cursor: a light keeps its colour there too.
        super().__init__(
            cursor_type="row", cursor_foreground_priority="renderable", id=id, classes=classes
        )
        self._fitted_columns: list[Column] = []
        self._fitted_rows: list[Row] = []
        self._fitted_width = 0

    @property
    def selected_key(self) -> str | None:
        """The key of the row under the cursor, None when the table is empty."""
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0)).row_key.value

    def show(self, columns: list[Column], rows: list[Row]) -> None:
        self._fitted_columns = columns
        self._fitted_rows = rows
        self._lay_out()

    def on_resize(self) -> None:
        if self.size.width != self._fitted_width:
            self._lay_out()

    def watch_show_vertical_scrollbar(self) -> None:
        """A scrollbar came or went: the columns get its room, or give it up."""
        self._lay_out()

    def _lay_out(self) -> None:
        self._fitted_width = self.size.width
        available = self.size.width - self.scrollbar_size_vertical
        widths = fit_widths(self._fitted_columns, self._fitted_rows, available, self.cell_padding)
        keep = self.selected_key
        self.clear(columns=True)
        for column, width in zip(self._fitted_columns, widths, strict=True):
            self.add_column(Text(column.label, style="bold"), width=width, key=column.key)
        for row in self._fitted_rows:
            self.add_row(*row.cells, key=row.key, height=row.height)
        keys = [row.key for row in self._fitted_rows]
        if keep in keys:
            self.move_cursor(row=keys.index(keep), animate=False)


def fit_widths(columns: list[Column], rows: list[Row], available: int, padding: int) -> list[int]:
    """Content widths of the columns: fixed ones as needed, flexible ones sharing the rest.

    A flexible column that needs less than its share takes what it needs and leaves the rest to
    the others, so a short note never starves a long metric name.
    """
    natural = [
        max([cell_width(column.label), *(cell_width(row.cells[i]) for row in rows)])
        for i, column in enumerate(columns)
    ]
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
