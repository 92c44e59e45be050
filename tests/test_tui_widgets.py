"""Fitting table columns to the terminal's width, without a terminal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import DataTable
from vatui.screens import table_lines
from vatui.screens.table import Column, FittedTable, LazyRows, Row, fit_widths, hide_hover_cursor
from vatui.screens.table_lines import cell_line

PADDING = 1
texts = st.text(alphabet="abc ✎●", max_size=60)


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[Column], list[Row]]:
    flexes = draw(st.lists(st.integers(0, 2), min_size=1, max_size=7))
    columns = [
        Column(f"c{i}", draw(texts), flex=flex, max_width=draw(st.integers(1, 30)))
        for i, flex in enumerate(flexes)
    ]
    rows = [
        Row(f"r{n}", [Text(draw(texts)) for _ in columns]) for n in range(draw(st.integers(0, 5)))
    ]
    return columns, rows


@settings(max_examples=200)
@given(tables(), st.integers(0, 200))
def test_columns_fit_when_the_width_allows_and_never_grow_past_their_content(
    table: tuple[list[Column], list[Row]], available: int
) -> None:
    columns, rows = table
    widths = fit_widths(columns, rows, available, PADDING)
    natural = [
        max([len(c.label), *(len(r.cells[i].plain) for r in rows)]) for i, c in enumerate(columns)
    ]
    for column, width, needed in zip(columns, widths, natural, strict=True):
        if column.flex:
            assert min(needed, FittedTable.MIN_FLEX_WIDTH) <= width <= needed
        else:
            assert width == min(needed, column.max_width)
    least = sum(
        min(needed, FittedTable.MIN_FLEX_WIDTH) if column.flex else width
        for column, width, needed in zip(columns, widths, natural, strict=True)
    )
    if least + 2 * PADDING * len(columns) <= available:
        assert sum(widths) + 2 * PADDING * len(columns) <= available


def test_a_short_flexible_column_leaves_its_room_to_a_long_one() -> None:
    columns = [Column("name", "Metric", flex=2), Column("note", "Note", flex=1)]
    rows = [Row("m", [Text("x" * 100), Text("")])]
    assert fit_widths(columns, rows, 80, PADDING) == [80 - 4 - 4, 4]


# ---- a table of thousands of rows ---------------------------------------------------------------

ROWS = 5000
TERMINAL = (60, 16)


class LongTable(App[None]):
    """A FittedTable of ``ROWS`` rows, made lazily, recording which rows were made."""

    def __init__(self) -> None:
        super().__init__()
        self.made: list[int] = []

    def compose(self) -> ComposeResult:
        yield FittedTable(id="long")

    def on_mount(self) -> None:
        columns = [Column("n", "#"), Column("name", "Name", flex=1)]
        rows = LazyRows(range(ROWS), lambda n: f"r{n}", self._rows)
        table = self.query_one(FittedTable)
        table.show(columns, rows)
        table.focus()

    def _rows(self, numbers: Sequence[int]) -> list[Row]:
        self.made += numbers
        return [Row(f"r{n}", [Text(str(n)), Text("x" * (n % 30))]) for n in numbers]


def on_screen(app: App[None]) -> str:
    table = app.query_one(FittedTable)
    lines = table.render_lines(Region(0, 0, table.size.width, table.size.height))
    return "\n".join(line.text for line in lines)


async def test_a_long_table_holds_and_makes_only_about_a_screenful() -> None:
    app = LongTable()
    async with app.run_test(size=TERMINAL) as pilot:
        await pilot.pause()
        table = app.query_one(FittedTable)
        assert table.selected_key == "r0"
        assert table.row_count <= TERMINAL[1] * 2
        assert len(app.made) <= TERMINAL[1] * 2


async def test_the_cursor_walks_past_the_rows_held_and_the_screen_follows() -> None:
    app = LongTable()
    async with app.run_test(size=TERMINAL) as pilot:
        table = app.query_one(FittedTable)
        for step in range(1, 40):
            await pilot.press("down")
            assert table.selected_key == f"r{step}"
        assert "39" in on_screen(app)
        await pilot.press("pagedown")
        below = int(str(table.selected_key)[1:])
        assert below > 39 and f"{below}" in on_screen(app)
        for step in range(1, 45):
            await pilot.press("up")
            assert table.selected_key == f"r{below - step}"


async def test_the_ends_and_any_row_can_be_reached() -> None:
    app = LongTable()
    async with app.run_test(size=TERMINAL) as pilot:
        table = app.query_one(FittedTable)
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert table.selected_key == f"r{ROWS - 1}"
        assert f"{ROWS - 1}" in on_screen(app)
        table.move_cursor(row=2500)
        await pilot.pause()
        assert table.selected_key == "r2500" and "2500" in on_screen(app)
        await pilot.press("ctrl+home")
        await pilot.pause()
        assert table.selected_key == "r0"
        assert len(app.made) < ROWS // 20


class Refilled(App[None]):
    """A FittedTable the test fills."""

    def compose(self) -> ComposeResult:
        yield FittedTable(id="refilled")


def numbered(count: int) -> list[Row]:
    return [Row(f"r{n}", [Text(f"n{n}")]) for n in range(count)]


async def test_a_table_refilled_with_more_rows_grows_to_show_them() -> None:
    """The installation screen refills its tables: one of 14 metrics after one of 2 shows all."""
    app = Refilled()
    async with app.run_test(size=TERMINAL) as pilot:
        table = app.query_one(FittedTable)
        table.show([Column("n", "#")], numbered(2))
        await pilot.pause()
        table.show([Column("n", "#")], numbered(14))
        await pilot.pause()
        assert "n13" in on_screen(app)


async def test_a_table_filled_while_hidden_opens_at_its_cursor_once_shown() -> None:
    app = Refilled()
    async with app.run_test(size=TERMINAL) as pilot:
        table = app.query_one(FittedTable)
        table.display = False
        await pilot.pause()
        table.show([Column("n", "#")], numbered(500))
        table.move_cursor(row=300)
        assert table.selected_key == "r300"
        table.display = True
        await pilot.pause()
        assert table.selected_key == "r300" and "n300" in on_screen(app)


async def test_the_mouse_wheel_scrolls_past_the_rows_held() -> None:
    app = LongTable()
    async with app.run_test(size=TERMINAL) as pilot:
        table = app.query_one(FittedTable)
        for _ in range(30):
            table.post_message(events.MouseScrollDown(table, 1, 1, 0, 1, 0, False, False, False))
            await pilot.pause()
        shown = [int(n) for n in on_screen(app).split() if n.isdigit()]
        assert max(shown) > table.row_count


async def test_a_key_hides_the_hover_highlight_the_mouse_left() -> None:
    """``hide_hover_cursor`` leans on DataTable's private ``_set_hover_cursor`` (no public call
    does this): if a Textual release renames it or changes what it does, this fails."""
    assert callable(getattr(DataTable, "_set_hover_cursor", None)), (
        "Textual no longer has DataTable._set_hover_cursor: update hide_hover_cursor"
    )
    app = LongTable()
    async with app.run_test(size=TERMINAL) as pilot:
        table = app.query_one(FittedTable)
        await pilot.hover(FittedTable, offset=(2, 3))
        await pilot.pause()
        assert table._show_hover_cursor and table.hover_coordinate.row == 2
        await pilot.press("down")
        assert not table._show_hover_cursor and table.selected_key == "r1"
        await pilot.hover(FittedTable, offset=(2, 4))
        assert table._show_hover_cursor
        hide_hover_cursor(table)
        assert not table._show_hover_cursor


# ---- cells drawn in one pass ----------------------------------------------------------------


class DrawnByDataTable(FittedTable):
    """A FittedTable that DataTable draws, to hold the quicker drawing to."""

    def render_lines(self, crop: Region) -> list[Strip]:
        return DataTable.render_lines(self, crop)

    def _render_cell(self, *args: Any, **kwargs: Any) -> Any:
        return DataTable._render_cell(self, *args, **kwargs)

    def _on_resize(self, event: events.Resize) -> None:
        DataTable._on_resize(self, event)


class OneTable(App[None]):
    """Rows of every kind of cell the screens show, in a table of the given class, as high as
    the terminal."""

    CSS = "FittedTable { height: 1fr; }"

    def __init__(self, table: type[FittedTable]) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield self.table(id="table")

    def on_mount(self) -> None:
        columns = [
            Column("light", "Light"),
            Column("name", "Metric", flex=2, middle=True),
            Column("value", "Value", max_width=9),
            Column("note", "Note", flex=1),
        ]
        rows = [
            Row(
                f"r{n}",
                [
                    Text.assemble(("●", "green"), " ", ("green", "bold")),
                    Text(name, style="italic" if n % 2 else ""),
                    Text(value, justify="right"),
                    Text(note, no_wrap=True, overflow="ellipsis"),
                ],
            )
            for n, (name, value, note) in enumerate(
                [
                    ("Number of images processed", "2,075,958", "by hand \x1b]52;c;x\x07"),
                    ("Number of images ingested", "123456789012", ""),
                    ("Countries of users", "12", "日本語のテキスト, long enough to be cut"),
                    ("", "", "  spaced  "),
                ]
            )
        ]
        self.query_one(FittedTable).show(columns, rows)


async def drawn_lines(table: type[FittedTable]) -> list[list[Segment]]:
    """Every line of the table: focused, after Down, with the mouse over a row, unfocused,
    in a taller terminal, then in a narrower one."""
    app = OneTable(table)
    lines: list[list[Segment]] = []
    async with app.run_test(size=(70, 8)) as pilot:
        shown = app.query_one(FittedTable)
        for step in ("focus", "down", "hover", "blur", "taller", "narrower"):
            if step == "focus":
                shown.focus()
            elif step == "down":
                await pilot.press("down")
            elif step == "hover":
                await pilot.hover(FittedTable, offset=(3, 3))
            elif step == "blur":
                shown.blur()
            else:
                await pilot.resize_terminal(70 if step == "taller" else 50, 12)
            await pilot.pause()
            drawn = shown.render_lines(Region(0, 0, shown.size.width, shown.size.height))
            lines += [list(line) for line in drawn]
    return lines


async def test_cells_drawn_in_one_pass_are_the_cells_datatable_draws(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``FittedTable`` draws its headings and cells itself, faster: with the cursor, the mouse
    over a row and without, focused and not, taller and narrower, each line is what DataTable
    draws for the same rows."""
    theirs = await drawn_lines(DrawnByDataTable)
    drawn: list[str] = []

    def counted(*args: Any) -> Any:
        drawn.append(args[2].plain)
        return cell_line(*args)

    monkeypatch.setattr(table_lines, "cell_line", counted)
    mine = await drawn_lines(FittedTable)
    assert {"Metric", "Countries of users", "2,075,958"} <= set(drawn)  # a heading, cells
    assert len(mine) == len(theirs) > 40
    for y, (one_pass, by_datatable) in enumerate(zip(mine, theirs, strict=True)):
        assert one_pass == by_datatable, y
