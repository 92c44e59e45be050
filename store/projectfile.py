"""Project files: a whole project in one TOML file (see docs/project-file.md).

``read_project_file`` checks a file and turns it into records; ``create_store`` makes a store
from them; ``projectdump.py`` writes a store back in the same format.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

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
