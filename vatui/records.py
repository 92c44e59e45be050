"""What the read commands give scripts: one plain record per row, for ``--json`` and
``--format csv|tsv``. The shapes are documented in docs/json.md; a change there is a change
for every script that reads them.

Values are typed (a count is a number, countries are a list of ISO 3166 alpha-2 codes, a
text is a string, none is null) and come with ``display``, the wording the report prints.
Every row about a period says which (``period``).
"""

from __future__ import annotations

import csv
import io
import math
import sys
from collections.abc import Sequence
from typing import Any

from vatui.output import json_text
from vatui.store import Change, InstallationStatus, Metric, Value
from vatui.store.roster import Identity, RosterEntry
from vatui.store.text import one_line_printable, printable

Record = dict[str, Any]
#: How ``--format`` writes records; ``table`` is the command's own (boxes on a terminal).
RECORD_FORMATS = ("json", "csv", "tsv")


def number(figure: float | None) -> int | float | None:
    """A figure as JSON should hold it: ``2075958``, not ``2075958.0``."""
    if figure is None:
        return None
    return int(figure) if float(figure).is_integer() else figure


def typed_value(value: Value | None) -> int | float | list[str] | str | None:
    """A metric's value as what it is: a number, a list of country codes, or text."""
    if value is None:
        return None
    if value.countries is not None:
        return list(value.countries)
    if value.number is not None:
        return number(value.number)
    return value.text


def typed_baseline(metric: Metric) -> int | float | list[str] | str | None:
    """A metric's baseline as what it is; for a text metric, its wording."""
    if metric.kind == "countries":
        return list(metric.baseline_countries)
    if metric.kind == "text":
        return metric.baseline_text or None
    return number(metric.baseline)


def status_records(rows: list[InstallationStatus], period: str) -> list[Record]:
    """One record per metric row: the installation and its lights as of the period's cut-off,
    the metric, its value, baseline and target, who entered the value and when."""
    records: list[Record] = []
    for row in rows:
        item = row.installation
        for metric_status in row.metrics:
            metric, value = metric_status.metric, metric_status.value
            records.append(
                {
                    "period": period,
                    "installation": item.id,
                    "installation_name": item.name,
                    "site": metric.site,
                    "metric_id": metric.id,
                    "metric": metric.name,
                    "kind": metric.kind,
                    "value": typed_value(value),
                    "display": value.shown if value else None,
                    "note": value.note if value else "",
                    "baseline": typed_baseline(metric),
                    "baseline_display": metric.baseline_shown,
                    "target": number(metric_status.target),
                    "ratio": _finite(metric_status.ratio),
                    "light": str(metric_status.light),
                    "updated_by": value.updated_by if value else None,
                    "updated_at": value.updated_at if value else None,
                    "stage": item.stage,
                    "deployment": str(row.deployment_light),
                    "overall": str(row.overall_light),
                }
            )
    return records


def _finite(ratio: float | None) -> float | None:
    """A ratio JSON can hold: a target of 0 met gives an infinite one, written null."""
    return ratio if ratio is not None and math.isfinite(ratio) else None


def change_records(changes: list[Change], periods: Sequence[str]) -> list[Record]:
    """The recorded changes, each with the period its row belongs to (null for a row of no
    period: an installation's name, a metric's definition): a row's key ends in its period."""
    labels = set(periods)
    records = []
    for change in changes:
        last = change.row.rsplit("/", 1)[-1]
        records.append(change.__dict__ | {"period": last if last in labels else None})
    return records


def roster_record(entries: list[RosterEntry], login: str, identity: Identity) -> Record:
    """The roster, and whom this login works for here and why."""
    return {
        "roster": [entry.__dict__ for entry in entries],
        "you": {"login": login, "organisation": identity.actor, "reason": identity.reason},
    }


def print_records(records: list[Record], form: str) -> None:
    """``records`` on stdout as JSON, or as CSV or TSV with a header line (a list as its items
    joined by ", ", null as an empty cell)."""
    if form == "json":
        print(json_text(records))
        return
    if not records:
        return
    columns = list(records[0])
    if form == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([printable(_flat(record[key])) for key in columns] for record in records)
        sys.stdout.write(buffer.getvalue())
        return
    lines = ["\t".join(columns)]
    lines += [
        "\t".join(one_line_printable(_flat(record[key])) for key in columns) for record in records
    ]
    sys.stdout.write("\n".join(lines) + "\n")


def _flat(item: object) -> str:
    if item is None:
        return ""
    if isinstance(item, list):
        return ", ".join(str(part) for part in item)
    return str(item)
