"""How each model dataclass is kept as a row: one declaration per table.

Lists are kept as JSON text, dates as ISO text, flags as 0/1; a field whose column has another
name says so. ``RowMap.load`` makes a dataclass of a row and ``RowMap.dump`` a row of a
dataclass; this module is the only place that knows how fields are kept.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import Any, Generic, TypeVar

from vatui.store.models import (
    Assessment,
    Change,
    DelayEntry,
    Installation,
    IssuedChapter,
    Metric,
    Milestone,
    Project,
    Site,
    StageEvent,
    Value,
)

Row = dict[str, Any]
Model = TypeVar("Model")


def to_json(items: tuple[str, ...] | list[str] | None) -> str | None:
    return None if items is None else json.dumps(list(items), ensure_ascii=False)


def from_json(text: str | None) -> tuple[str, ...] | None:
    if text == "[]":  # most lists are empty: the store reads thousands at a time
        return ()
    return None if text is None else _parsed_list(text)


@functools.lru_cache(maxsize=4096)
def _parsed_list(text: str) -> tuple[str, ...]:
    """A JSON list as a tuple, kept: the same providers and countries come back thousands of
    times when a whole store is read, and a tuple is safe to share."""
    return tuple(json.loads(text))


def to_date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def from_date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True)
class Codec:
    """How one field is kept in its column: ``load`` reads the column, ``dump`` writes it."""

    load: Callable[[Any], Any]
    dump: Callable[[Any], Any]


LIST = Codec(lambda text: from_json(text) or (), to_json)
LIST_OR_NONE = Codec(from_json, to_json)  # a value's countries: None when it is no list
DATE = Codec(to_date, from_date)
FLAG = Codec(bool, int)
# A key column holds "" where the field is None (SQLite's unique keys treat NULLs as distinct).
BLANK_IS_NONE = Codec(lambda text: text or None, lambda item: item or "")


class RowMap(Generic[Model]):
    """The row of one model: its columns in the order of the dataclass's fields, and codecs."""

    def __init__(
        self,
        model: type[Model],
        codecs: dict[str, Codec] | None = None,
        renamed: dict[str, str] | None = None,
    ) -> None:
        self.model = model
        names = [field.name for field in fields(model)]  # type: ignore[arg-type]
        codecs, renamed = codecs or {}, renamed or {}
        self.fields = tuple(names)
        #: The columns that hold the fields, in the fields' order (a query selects these).
        self.columns = tuple(renamed.get(name, name) for name in names)
        self._loads = [(n, codecs[name].load) for n, name in enumerate(names) if name in codecs]
        self._dumps = [(n, codecs[name].dump) for n, name in enumerate(names) if name in codecs]

    def load(self, row: Row) -> Model:
        """The dataclass of a row read as a dict; columns that are no field are ignored."""
        return self.load_columns([row[column] for column in self.columns])

    def load_columns(self, values: Sequence[Any]) -> Model:
        """The dataclass of a row read as a tuple of ``columns``: the status of a period reads
        thousands of rows, and building each from a dict would cost twice as much."""
        items = list(values)
        for n, load in self._loads:
            items[n] = load(items[n])
        return self.model(*items)

    def dump(self, item: Model) -> Row:
        """The row that keeps ``item``, by column name."""
        items = [getattr(item, name) for name in self.fields]
        for n, dump in self._dumps:
            items[n] = dump(items[n])
        return dict(zip(self.columns, items, strict=True))


PROJECT = RowMap(Project, renamed={"grant": "grant_number"})
INSTALLATIONS = RowMap(
    Installation, {"providers": LIST, "planned_production": DATE, "archived": FLAG}
)
SITES = RowMap(Site, {"archived": FLAG})
METRICS = RowMap(Metric, {"baseline_countries": LIST, "per_year": FLAG, "archived": FLAG})
VALUES = RowMap(Value, {"countries": LIST_OR_NONE})
ASSESSMENTS = RowMap(Assessment, {"site": BLANK_IS_NONE})
MILESTONES = RowMap(Milestone, {"achieved": DATE, "replanned": DATE, "installations": LIST})
DELAYS = RowMap(DelayEntry, {"recorded": DATE, "replanned": DATE})
STAGE_EVENTS = RowMap(StageEvent, {"since": DATE, "planned_production": DATE})
ISSUED = RowMap(IssuedChapter, {"cutoff": DATE})
HISTORY = RowMap(Change, renamed={"table": "table_name", "row": "row_key"})


def as_text(item: object) -> str | None:
    """How a field's value is written into history: dates and lists as text, None kept."""
    if item is None:
        return None
    if isinstance(item, tuple | list):
        return ", ".join(str(part) for part in item)
    if isinstance(item, bool):
        return "yes" if item else "no"
    if isinstance(item, dt.date):
        return item.isoformat()
    return str(item)
