"""Small helpers for the store's own SQL: WHERE clauses from optional filters, rows as dicts.

The store reads through its connection directly where speed matters (a period's status reads
thousands of rows) and through sqlite-utils elsewhere; these keep both short.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any


def where(conditions: dict[str, str | None]) -> tuple[str | None, list[str]]:
    """A WHERE clause of the conditions whose value is given (None drops one), and its values."""
    given = {clause: value for clause, value in conditions.items() if value is not None}
    return " and ".join(given) or None, list(given.values())


def where_installation(installation: str | None) -> tuple[str | None, list[str]]:
    """The WHERE clause of one installation's rows, or of every row when it is None or ""."""
    return where({"installation = ?": installation or None})


def first(items: Iterable[dict[str, Any]]) -> dict[str, Any] | None:
    """The first row of a query, or None when it found nothing."""
    return next(iter(items), None)


def dicts(cursor: sqlite3.Cursor) -> Iterator[dict[str, Any]]:
    """The rows of a plain ``sqlite3`` query as dicts of column name to value."""
    names = [column[0] for column in cursor.description]
    return (dict(zip(names, row, strict=True)) for row in cursor)


def in_installations(among: list[str]) -> str:
    """The condition that a row belongs to one of the installations ``among`` (their ids are
    its parameters, in that order)."""
    return f"installation in ({', '.join('?' * len(among))})"


def select_among(
    conn: sqlite3.Connection,
    table: str,
    among: list[str] | None,
    condition: str | None = None,
    args: list[Any] | None = None,
    *,
    columns: tuple[str, ...] = ("*",),
    order: str | None = None,
) -> sqlite3.Cursor:
    """One query of the ``columns`` of the rows of ``table`` that belong to the installations
    ``among`` (every one when None) and meet ``condition``."""
    clauses, params = [condition] if condition else [], list(args or [])
    if among is not None:
        clauses.append(in_installations(among))
        params += among
    sql = f"select {', '.join(columns)} from {table}"
    if clauses:
        sql += " where " + " and ".join(clauses)
    if order:
        sql += " order by " + order
    return conn.execute(sql, params)


def by_installation(items: Iterable[Any]) -> dict[str, list[Any]]:
    """Records by the installation they belong to, in the order given."""
    grouped: dict[str, list[Any]] = defaultdict(list)
    for item in items:
        grouped[item.installation].append(item)
    return grouped


def upsert(conn: sqlite3.Connection, table: str, row: dict[str, Any], key: tuple[str, ...]) -> None:
    """Insert ``row`` into ``table``, or update the row with its ``key`` columns.

    Written out rather than left to sqlite-utils, whose ``upsert`` decides once per process
    whether SQLite can do this, by creating a table: on a full disk that test fails, and its
    fallback then drops new rows without a word.
    """
    columns = ", ".join(f'"{name}"' for name in row)
    updates = ", ".join(f'"{name}" = excluded."{name}"' for name in row if name not in key)
    conflict = ", ".join(f'"{name}"' for name in key)
    conn.execute(
        f'insert into "{table}" ({columns}) values ({", ".join("?" * len(row))}) '
        f"on conflict ({conflict}) do update set {updates}",
        list(row.values()),
    )
