"""Project files: a whole project in one TOML file (see docs/project-file.md).

``read_project_file`` checks a file and turns it into records; ``create_store`` makes a store
from them; ``dump_project`` writes a store back in the same format, so that dump, init and dump
again give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import Table
from vatui.store.countries import resolve_country
from vatui.store.errors import InvalidValue, StoreError
from vatui.store.models import (
    DESCRIPTION_FIELDS,
    Assessment,
    DelayEntry,
    Installation,
    Metric,
    Milestone,
    Project,
    Site,
    Value,
)
from vatui.store.periods import parse_date, parse_period, parse_start
from vatui.store.reviews import RULES, STATES, ReviewEntry
from vatui.store.store import Store
from vatui.store.validation import checked_metric, clean_installation_fields

FORMAT = 1
DEMO_FILE = "imagine.toml"
TEXT_FIELDS = tuple(name for name, _ in DESCRIPTION_FIELDS if name != "providers")


@dataclass
class ProjectFile:
    """Everything a project file describes, as the store's records."""

    project: Project
    periods: list[str]
    installations: list[Installation] = field(default_factory=list)
    sites: list[Site] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    values: list[Value] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    delays: list[DelayEntry] = field(default_factory=list)
    reviews: list[ReviewEntry] = field(default_factory=list)


def demo_text() -> str:
    """The iMagine D5.2 demo project, shipped inside the package."""
    return resources.files("vatui.store").joinpath("data", DEMO_FILE).read_text(encoding="utf-8")


def read_project_file(text: str, name: str = "project file") -> ProjectFile:
    """Check a project file and return its records; every problem is reported at once."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise StoreError(f"{name}: not valid TOML: {error}") from None
    reader = _Reader(name)
    result = reader.read(data)
    if reader.problems:
        raise StoreError("\n".join(reader.problems))
    assert result is not None
    return result


def create_store(path: str | Path, data: ProjectFile, **options: Any) -> Store:
    """A new store at ``path`` holding everything in ``data``."""

    def fill(store: Store) -> None:
        store.load_records(
            installations=data.installations,
            sites=data.sites,
            metrics=data.metrics,
            values=data.values,
            assessments=data.assessments,
            milestones=data.milestones,
            delays=data.delays,
            reviews=data.reviews,
        )

    return Store.create(path, data.project, data.periods, fill=fill, **options)


class _Reader:
    """Walks a parsed project file, collecting problems as ``name: where: what``."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{self.name}: {where}: {message}")

    def guard(self, where: str, make: Any, *args: Any, **kwargs: Any) -> Any:
        """Call ``make``, turning a refusal into a problem at ``where``."""
        try:
            return make(*args, **kwargs)
        except (InvalidValue, StoreError, TypeError, ValueError) as error:
            self.problem(where, str(error))
            return None

    def read(self, data: dict[str, Any]) -> ProjectFile | None:
        if data.get("format") != FORMAT:
            self.problem("format", f"expected format = {FORMAT}, found {data.get('format')!r}")
        project = self.read_project(data.get("project"))
        if project is None:
            return None
        # A bad start is reported once; the period labels are still checked on their own.
        start = self.guard("project.start", parse_start, project.start) or (2000, 1)
        periods = []
        for n, item in enumerate(data.get("period", [])):
            period = self.guard(f"period[{n}]", parse_period, str(item.get("label", "")), start)
            if period:
                periods.append(period.label)
        if not periods:
            self.problem("period", "at least one [[period]] with a label such as M13-M24")
        result = ProjectFile(project, periods)
        for n, item in enumerate(data.get("installation", [])):
            self.read_installation(result, f"installation[{n}]", item)
        for n, item in enumerate(data.get("milestone", [])):
            self.read_milestone(result, f"milestone[{n}]", item)
        return result

    def read_project(self, item: Any) -> Project | None:
        if not isinstance(item, dict):
            self.problem("project", "a [project] table with name, start and leader is required")
            return None
        missing = [key for key in ("name", "start", "leader") if not item.get(key)]
        if missing:
            self.problem("project", f"missing {', '.join(missing)}")
            return None
        return Project(
            name=item["name"],
            start=item["start"],
            leader=item["leader"],
            grant=str(item.get("grant", "")),
            work_package=item.get("work_package", ""),
            chapter=item.get("chapter", 2),
        )

    def read_installation(self, result: ProjectFile, where: str, item: dict[str, Any]) -> None:
        fields = {
            key: item[key]
            for key in (*TEXT_FIELDS, "stage", "planned_production", "providers", "name", "number")
            if key in item
        }
        clean = self.guard(where, clean_installation_fields, fields)
        if clean is None:
            return
        installation = self.guard(where, Installation, id=item.get("id", ""), **clean)
        if installation is None:
            return
        if any(i.id == installation.id for i in result.installations):
            self.problem(where, f"installation id {installation.id!r} is used twice")
        result.installations.append(installation)
        for n, site in enumerate(item.get("site", [])):
            result.sites.append(
                Site(
                    id=site.get("id", ""),
                    installation=installation.id,
                    name=site.get("name", ""),
                    code=site.get("code", ""),
                    position=n,
                )
            )
        for n, metric in enumerate(item.get("metric", [])):
            self.read_metric(result, f"{where}.metric[{n}]", installation.id, n, metric)
        for n, text in enumerate(item.get("assessment", [])):
            self.guard(
                f"{where}.assessment[{n}]", self.check_period, result, text.get("period", "")
            )
            result.assessments.append(
                Assessment(
                    installation=installation.id,
                    period=text.get("period", ""),
                    site=text.get("site"),
                    assessment=text.get("assessment", ""),
                    delay=text.get("delay", ""),
                    planning=text.get("planning", ""),
                )
            )
        for n, entry in enumerate(item.get("delay", [])):
            self.read_delay(result, f"{where}.delay[{n}]", installation.id, entry)
        for n, entry in enumerate(item.get("review", [])):
            self.read_review(result, f"{where}.review[{n}]", installation.id, entry)

    def check_period(self, result: ProjectFile, label: str) -> None:
        if label not in result.periods:
            raise InvalidValue("period", label, f"one of {', '.join(result.periods)}")

    def read_metric(
        self,
        result: ProjectFile,
        where: str,
        installation: str,
        position: int,
        item: dict[str, Any],
    ) -> None:
        kind = item.get("kind", "count")
        baseline = item.get("baseline")
        countries: tuple[str, ...] = ()
        if kind == "countries" and baseline is not None:
            countries = tuple(
                self.guard(where, resolve_country, c, "baseline") or c for c in baseline
            )
            baseline = None
        metric = self.guard(
            where,
            lambda: checked_metric(
                Metric(
                    id=item.get("id", ""),
                    installation=installation,
                    name=item.get("name", ""),
                    kind=kind,
                    site=item.get("site"),
                    baseline=baseline,
                    baseline_countries=countries,
                    baseline_text=item.get("baseline_text", ""),
                    per_year=bool(item.get("per_year", False)),
                    measured=item.get("measured", ""),
                    direction=item.get("direction", "higher"),
                    green_at=item.get("green_at"),
                    amber_at=item.get("amber_at"),
                    position=position,
                )
            ),
        )
        if metric is None:
            return
        result.metrics.append(metric)
        for n, value in enumerate(item.get("value", [])):
            self.read_value(result, f"{where}.value[{n}]", metric, value)

    def read_value(
        self, result: ProjectFile, where: str, metric: Metric, item: dict[str, Any]
    ) -> None:
        period = item.get("period", "")
        self.guard(where, self.check_period, result, period)
        raw = item.get("value")
        number, countries, text = None, None, None
        if metric.kind == "count":
            if not isinstance(raw, int | float) or isinstance(raw, bool) or raw < 0:
                self.problem(where, f"value {raw!r}: a count is a number not below zero")
            number = raw
        elif metric.kind == "countries":
            countries = tuple(
                self.guard(where, resolve_country, c, "value") or c for c in raw or []
            )
        else:
            text = str(raw or "")
        result.values.append(
            Value(
                installation=metric.installation,
                metric=metric.id,
                period=period,
                number=number,
                countries=countries,
                text=text,
                display=item.get("text", ""),
                note=item.get("note", ""),
            )
        )

    def read_delay(
        self, result: ProjectFile, where: str, installation: str, item: dict[str, Any]
    ) -> None:
        recorded = self.guard(where, parse_date, str(item.get("recorded", "")), "recorded")
        replanned = item.get("replanned")
        if recorded is None:
            return
        result.delays.append(
            DelayEntry(
                id=0,
                installation=installation,
                recorded=recorded,
                reason=item.get("reason", ""),
                replanned=self.guard(where, parse_date, replanned, "replanned")
                if replanned
                else None,
                site=item.get("site"),
                author=item.get("author", ""),
            )
        )

    def read_review(
        self, result: ProjectFile, where: str, installation: str, item: dict[str, Any]
    ) -> None:
        """One step of an earlier review, kept as written (it is a record, not a request)."""
        self.guard(where, self.check_period, result, item.get("period", ""))
        action, state = item.get("action", ""), item.get("state", "")
        if action not in RULES:
            self.problem(where, f"action {action!r}: one of {', '.join(RULES)}")
        if state not in STATES:
            self.problem(where, f"state {state!r}: one of {', '.join(STATES)}")
        if not item.get("actor") or not item.get("at"):
            self.problem(where, "actor and at (when, e.g. 2024-10-09T12:00:00Z) are required")
        result.reviews.append(
            ReviewEntry(
                id=0,
                installation=installation,
                period=item.get("period", ""),
                action=action,
                state=state,
                actor=item.get("actor", ""),
                at=str(item.get("at", "")),
                comment=item.get("comment", ""),
            )
        )

    def read_milestone(self, result: ProjectFile, where: str, item: dict[str, Any]) -> None:
        dates = {}
        for key in ("achieved", "replanned"):
            if item.get(key):
                dates[key] = self.guard(where, parse_date, str(item[key]), key)
        result.milestones.append(
            Milestone(
                id=item.get("id", ""),
                title=item.get("title", ""),
                due_month=item.get("due_month", 0),
                status=item.get("status", ""),
                note=item.get("note", ""),
                installations=tuple(item.get("installations", [])),
                **dates,
            )
        )


# ---- writing a store back out ---------------------------------------------------------------


def dump_project(store: Store) -> str:
    """The store's project as a project file: the same format ``init --from`` reads."""
    project = store.project()
    doc = tomlkit.document()
    doc.add(tomlkit.comment(f"{project.name}: a vatui project file (docs/project-file.md)"))
    doc.add("format", FORMAT)
    head = tomlkit.table()
    head.add("name", project.name)
    head.add("grant", project.grant)
    head.add("work_package", project.work_package)
    head.add("start", project.start)
    head.add("leader", project.leader)
    head.add("chapter", project.chapter)
    doc.add("project", head)
    periods = tomlkit.aot()
    for period in store.periods():
        periods.append(_table({"label": period.label}))
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
        if isinstance(value, str) and "\n" in value:
            value = tomlkit.string(value, multiline=True)
        table.add(key, value)
    return table


def _installation_table(store: Store, item: Installation) -> Table:
    fields: dict[str, Any] = {"id": item.id, "number": item.number, "name": item.name}
    fields["providers"] = item.providers
    fields |= {name: getattr(item, name) for name in TEXT_FIELDS}
    fields["stage"] = item.stage
    fields["planned_production"] = item.planned_production
    table = _table(fields)
    sites = store.sites(item.id)
    if sites:
        table.add("site", _aot({"id": s.id, "name": s.name, "code": s.code} for s in sites))
    values = {(v.metric, v.period): v for v in store.values(installation=item.id)}
    periods = [p.label for p in store.periods()]
    metrics = tomlkit.aot()
    for metric in store.metrics(item.id):
        metric_table = _metric_table(metric)
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


def _metric_table(metric: Metric) -> Table:
    baseline: Any = metric.baseline
    if metric.kind == "countries":
        baseline = list(metric.baseline_countries) or None
    elif baseline is not None and float(baseline).is_integer():
        baseline = int(baseline)
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
        }
    )


def _value_fields(metric: Metric, value: Value) -> dict[str, Any]:
    raw: Any = value.text
    if metric.kind == "count":
        raw = value.number
        if raw is not None and float(raw).is_integer():
            raw = int(raw)
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
