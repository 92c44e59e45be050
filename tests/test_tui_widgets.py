"""Fitting table columns to the terminal's width, without a terminal."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.text import Text

from screens.widgets import Column, FittedTable, Row, fit_widths

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
