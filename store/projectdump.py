"""Writing a store back out as a project file, in the format ``projectfile.py`` reads, so
that dump, init and dump again give the same bytes (``vatui dump``).

A store written by an older or hand-edited copy may hold control characters in its texts. The
file must stay valid TOML and must not act on the terminal of whoever looks at it: every such
character (C0 but newline and tab, DEL, C1, the bidi controls) is written as a ``\\uXXXX``
escape in a basic string, which reads back as the same text.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import tomlkit
from tomlkit.items import Array, String, Table, Trivia
from vatui.store.accounting import MetricMapping
from vatui.store.models import Installation, Metric, Milestone, Site, Value
from vatui.store.projectfile import FORMAT
from vatui.store.projecttable import TEXT_FIELDS
from vatui.store.store import Store
from vatui.store.text import CONTROL, unicode_escaped


def dump_project(store: Store) -> str:
    """The store's project as a project file: the same format ``init --from`` reads."""
    project = store.project()
    doc = tomlkit.document()
    doc.add(
        tomlkit.comment(f"{_comment(project.name)}: a vatui project file (docs/project-file.md)")
    )
    doc.add("format", FORMAT)
    head = tomlkit.table()
    head.add("name", _string(project.name))
    head.add("grant", _string(project.grant))
    head.add("work_package", _string(project.work_package))
    head.add("start", _string(project.start))
    head.add("leader", _string(project.leader))
    head.add("chapter", project.chapter)
    head.add("green_at", project.green_at)
    head.add("amber_at", project.amber_at)
    doc.add("project", head)
    periods = tomlkit.aot()
    for period in store.periods():
        cutoff = period.cutoff if period.cutoff_set else None
        periods.append(_table({"label": period.label, "cutoff": cutoff}))
    doc.add("period", periods)
    installations = tomlkit.aot()
    for item in store.installations():
        installations.append(_installation_table(store, item))
    doc.add("installation", installations)
    milestones = tomlkit.aot()
    for milestone in store.milestones():
        milestones.append(_milestone_table(milestone))
    if store.milestones():
        doc.add("milestone", milestones)
    return tomlkit.dumps(doc)


def _table(fields: dict[str, Any]) -> Table:
    """A table of the fields that carry something; multi-line text as ``\"\"\"``.

    An empty list under ``value`` is kept: it is a value (no countries reached), not a gap.
    """
    table = tomlkit.table()
    for key, value in fields.items():
        empty = value == "" or value == () or (value == [] and key != "value")
        if value is None or empty:
            continue
        if isinstance(value, dt.date):
            value = value.isoformat()
        if isinstance(value, tuple):
            value = list(value)
        if isinstance(value, str):
            value = _string(value)
        elif isinstance(value, list) and any(_needs_escapes(v) for v in value):
            value = _array(value)
        table.add(key, value)
    return table


def _needs_escapes(value: object) -> bool:
    return isinstance(value, str) and CONTROL.search(value) is not None


def _string(value: str) -> String:
    """``value`` as a TOML basic string (multi-line when it holds a line break) in which every
    control character is a ``\\uXXXX`` escape, whatever tomlkit would write raw."""
    item = tomlkit.string(value, multiline="\n" in value)
    if not _needs_escapes(value):
        return item
    quotes = len(item.type.value)
    raw = item.as_string()[quotes:-quotes]
    safe = unicode_escaped(raw)
    return String(item.type, value, safe, Trivia())


def _array(values: list[Any]) -> Array:
    """A list of texts, each written as ``_string`` writes it."""
    array = tomlkit.array()
    array.extend(_string(v) if isinstance(v, str) else v for v in values)
    return array


def _comment(text: str) -> str:
    """``text`` for a ``#`` comment: on one line, control characters as escapes."""
    return unicode_escaped(" ".join(text.split()))


def _installation_table(store: Store, item: Installation) -> Table:
    fields: dict[str, Any] = {"id": item.id, "number": item.number, "name": item.name}
    fields["providers"] = item.providers
    fields |= {name: getattr(item, name) for name in TEXT_FIELDS}
    fields["accounting_id"] = store.accounting_ids().get(item.id)
    table = _table(fields)
    events = store.stage_events(item.id)
    if events:
        table.add(
            "deployment",
            _aot(
                {"since": e.since, "stage": e.stage, "planned_production": e.planned_production}
                for e in events
            ),
        )
    sites = store.sites(item.id)
    if sites:
        table.add("site", _aot({"id": s.id, "name": s.name, "code": s.code} for s in sites))
    values = {(v.metric, v.period): v for v in store.values(installation=item.id)}
    periods = [p.label for p in store.periods()]
    metrics = tomlkit.aot()
    mappings = {m.metric: m for m in store.accounting_mappings(item.id)}
    for metric in store.metrics(item.id):
        metric_table = _metric_table(metric, mappings.get(metric.id))
        kept = [values[(metric.id, p)] for p in periods if (metric.id, p) in values]
        if kept:
            metric_table.add("value", _aot(_value_fields(metric, v) for v in kept))
        metrics.append(metric_table)
    if len(metrics):
        table.add("metric", metrics)
    assessments = [a for a in store.assessments(installation=item.id) if not a.is_empty]
    assessments.sort(key=lambda a: (periods.index(a.period), _site_order(sites, a.site)))
    if assessments:
        table.add(
            "assessment",
            _aot(
                {
                    "period": a.period,
                    "site": a.site,
                    "assessment": a.assessment,
                    "delay": a.delay,
                    "planning": a.planning,
                }
                for a in assessments
            ),
        )
    thread = [entry for period in periods for entry in store.review_thread(item.id, period)]
    if thread:
        table.add(
            "review",
            _aot(
                {
                    "period": e.period,
                    "action": e.action,
                    "state": e.state,
                    "actor": e.actor,
                    "at": e.at,
                    "comment": e.comment,
                }
                for e in thread
            ),
        )
    delays = store.delays(item.id)
    if delays:
        table.add(
            "delay",
            _aot(
                {
                    "recorded": d.recorded,
                    "site": d.site,
                    "reason": d.reason,
                    "replanned": d.replanned,
                    "author": d.author,
                }
                for d in delays
            ),
        )
    return table


def _site_order(sites: list[Site], site: str | None) -> int:
    ids = [s.id for s in sites]
    return ids.index(site) + 1 if site in ids else 0


def _metric_table(metric: Metric, mapping: MetricMapping | None) -> Table:
    baseline: Any = metric.baseline
    if metric.kind == "countries":
        baseline = list(metric.baseline_countries) or None
    else:
        baseline = _whole_if_whole(baseline)
    return _table(
        {
            "id": metric.id,
            "site": metric.site,
            "name": metric.name,
            "kind": metric.kind,
            "baseline": baseline,
            "baseline_text": metric.baseline_text,
            "per_year": True if metric.per_year else None,
            "measured": metric.measured,
            "direction": None if metric.direction == "higher" else metric.direction,
            "green_at": metric.green_at,
            "amber_at": metric.amber_at,
            "target": _whole_if_whole(metric.target),
            **_accounting_fields(mapping),
        }
    )


def _accounting_fields(mapping: MetricMapping | None) -> dict[str, str | None]:
    """A metric's accounting keys: its definition's id, or what to create it with."""
    spec = mapping.create if mapping else None
    return {
        "accounting_definition": mapping.definition_id if mapping else None,
        "accounting_name": spec.name if spec else None,
        "accounting_unit_type": spec.unit_type if spec else None,
        "accounting_metric_type": spec.metric_type if spec else None,
    }


def _whole_if_whole(number: float | None) -> float | int | None:
    """A count as a reader wrote it: 3, not 3.0."""
    return int(number) if number is not None and float(number).is_integer() else number


def _value_fields(metric: Metric, value: Value) -> dict[str, Any]:
    raw: Any = value.text
    if metric.kind == "count":
        raw = _whole_if_whole(value.number)
    elif metric.kind == "countries":
        raw = None if value.countries is None else list(value.countries)
    return {"period": value.period, "value": raw, "text": value.display, "note": value.note}


def _aot(items: Any) -> Any:
    aot = tomlkit.aot()
    for fields in items:
        aot.append(_table(fields))
    return aot


def _milestone_table(milestone: Milestone) -> Table:
    return _table(
        {
            "id": milestone.id,
            "title": milestone.title,
            "due_month": milestone.due_month,
            "status": milestone.status,
            "achieved": milestone.achieved,
            "replanned": milestone.replanned,
            "note": milestone.note,
            "installations": milestone.installations,
        }
    )
