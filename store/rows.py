"""Conversions between the store's rows and the model dataclasses.

Lists are kept as JSON text, dates as ISO text; these functions are the only place that knows.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import fields
from typing import Any

from vatui.store.models import (
    Assessment,
    Change,
    DelayEntry,
    Installation,
    Metric,
    Milestone,
    Project,
    Site,
    Value,
)

Row = dict[str, Any]
#: The columns of ``metrics`` and ``metric_values`` in the order of their dataclasses' fields.
METRIC_COLUMNS = tuple(field.name for field in fields(Metric))
VALUE_COLUMNS = tuple(field.name for field in fields(Value))
_COUNTRIES, _PER_YEAR, _ARCHIVED = map(
    METRIC_COLUMNS.index, ("baseline_countries", "per_year", "archived")
)


def to_json(items: tuple[str, ...] | list[str] | None) -> str | None:
    return None if items is None else json.dumps(list(items), ensure_ascii=False)


def from_json(text: str | None) -> tuple[str, ...] | None:
    if text == "[]":  # most lists are empty: the store reads thousands at a time
        return ()
    return None if text is None else tuple(json.loads(text))


def to_date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def from_date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def project(row: Row) -> Project:
    return Project(
        name=row["name"],
        start=row["start"],
        leader=row["leader"],
        grant=row["grant_number"],
        work_package=row["work_package"],
        chapter=row["chapter"],
    )


def installation(row: Row) -> Installation:
    fields = dict(row)
    fields["providers"] = from_json(row["providers"]) or ()
    fields["planned_production"] = to_date(row["planned_production"])
    fields["archived"] = bool(row["archived"])
    return Installation(**fields)


def installation_row(item: Installation) -> Row:
    row = dict(item.__dict__)
    row["providers"] = to_json(item.providers)
    row["planned_production"] = from_date(item.planned_production)
    row["archived"] = int(item.archived)
    return row


def site(row: Row) -> Site:
    return Site(
        id=row["id"],
        installation=row["installation"],
        name=row["name"],
        code=row["code"],
        position=row["position"],
        archived=bool(row["archived"]),
    )


def metric(row: Row) -> Metric:
    return metric_of([row[name] for name in METRIC_COLUMNS])


def metric_of(columns: Sequence[Any]) -> Metric:
    """A metric from its ``METRIC_COLUMNS``, as a query selecting them returns them: the status
    of a period reads thousands, and building each from a dict would cost twice as much."""
    values = list(columns)
    values[_COUNTRIES] = from_json(values[_COUNTRIES]) or ()
    values[_PER_YEAR] = bool(values[_PER_YEAR])
    values[_ARCHIVED] = bool(values[_ARCHIVED])
    return Metric(*values)


def metric_row(item: Metric) -> Row:
    row = dict(item.__dict__)
    row["baseline_countries"] = to_json(item.baseline_countries)
    row["per_year"] = int(item.per_year)
    row["archived"] = int(item.archived)
    return row


def value(row: Row) -> Value:
    return value_of([row[name] for name in VALUE_COLUMNS])


def value_of(columns: Sequence[Any]) -> Value:
    """A value from its ``VALUE_COLUMNS`` (see ``metric_of``)."""
    installation, metric, period, number, countries, *rest = columns
    return Value(installation, metric, period, number, from_json(countries), *rest)


def value_row(item: Value) -> Row:
    row = dict(item.__dict__)
    row["countries"] = to_json(item.countries)
    return row


def assessment(row: Row) -> Assessment:
    fields = dict(row)
    fields["site"] = row["site"] or None
    return Assessment(**fields)


def assessment_row(item: Assessment) -> Row:
    row = dict(item.__dict__)
    row["site"] = item.site or ""
    return row


def milestone(row: Row) -> Milestone:
    fields = {key: row[key] for key in row if key != "position"}
    fields["achieved"] = to_date(row["achieved"])
    fields["replanned"] = to_date(row["replanned"])
    fields["installations"] = from_json(row["installations"]) or ()
    return Milestone(**fields)


def milestone_row(item: Milestone) -> Row:
    row = dict(item.__dict__)
    row["achieved"] = from_date(item.achieved)
    row["replanned"] = from_date(item.replanned)
    row["installations"] = to_json(item.installations)
    return row


def delay(row: Row) -> DelayEntry:
    fields = dict(row)
    fields["recorded"] = dt.date.fromisoformat(row["recorded"])
    fields["replanned"] = to_date(row["replanned"])
    return DelayEntry(**fields)


def delay_row(item: DelayEntry) -> Row:
    row = dict(item.__dict__)
    row["recorded"] = from_date(item.recorded)
    row["replanned"] = from_date(item.replanned)
    return row


def change(row: Row) -> Change:
    return Change(
        id=row["id"],
        at=row["at"],
        actor=row["actor"],
        table=row["table_name"],
        row=row["row_key"],
        field=row["field"],
        old=row["old"],
        new=row["new"],
        installation=row["installation"],
        source=row["source"],
    )


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
