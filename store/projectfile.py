"""Project files: a whole project in one TOML file (see docs/project-file.md).

``read_project_file`` checks a file and turns it into records; ``create_store`` makes a store
from them; ``projectdump.py`` writes a store back in the same format.

A project file comes from someone's editor or another tool, so it is checked as a submission
file is, before anything is made: every key against the keys its table takes, every value
against its type and range, every text against the shared rule (``text.check_text``), every id
against the others and every reference against what the file defines. All problems are given
at once, as ``FILE:LINE: field: what is wrong; what is accepted``; nothing the file says
reaches SQLite unchecked.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from vatui.store.accounting import MetricMapping
from vatui.store.asof import FIRST_STAGE, event_at
from vatui.store.errors import StoreError
from vatui.store.models import (
    DIRECTIONS,
    KINDS,
    Assessment,
    DelayEntry,
    Installation,
    Metric,
    Milestone,
    Project,
    Site,
    StageEvent,
    Value,
)
from vatui.store.periods import parse_period, parse_start
from vatui.store.projectaccounting import AccountingReader
from vatui.store.projectdated import DatedReader
from vatui.store.projecttable import (
    ASSESSMENT_KEYS,
    CHAPTERS,
    INSTALLATION_KEYS,
    METRIC_KEYS,
    NUMBERS,
    PERIOD_KEYS,
    PROJECT_KEYS,
    RATIOS,
    SITE_KEYS,
    TEXT_FIELDS,
    TOP_KEYS,
    VALUE_KEYS,
    YEARS,
    FileTable,
)
from vatui.store.reviews import ReviewEntry
from vatui.store.store import Store
from vatui.store.text import NOTE_LIMIT, TEXT_LIMIT, printable
from vatui.store.tomllines import decode_text, key_lines, line_of, without_bom

FORMAT = 1
DEMO_FILE = "imagine.toml"


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
    stage_events: list[StageEvent] = field(default_factory=list)
    cutoffs: dict[str, dt.date] = field(default_factory=dict)
    accounting_ids: dict[str, str] = field(default_factory=dict)
    accounting_mappings: list[MetricMapping] = field(default_factory=list)


def demo_text() -> str:
    """The iMagine D5.2 demo project, shipped inside the package."""
    return resources.files("vatui.store").joinpath("data", DEMO_FILE).read_text(encoding="utf-8")


class ProjectFileRefused(StoreError):
    """A project file with problems; ``problems`` holds each as ``FILE:LINE: message``."""

    def __init__(self, source: str, problems: list[tuple[int, str]]) -> None:
        ordered = sorted(problems, key=lambda problem: problem[0])
        self.problems = [printable(f"{source}:{line}: {message}") for line, message in ordered]
        super().__init__("\n".join(self.problems))


def read_project_file(text: str, name: str = "project file") -> ProjectFile:
    """Check a project file and return its records; every problem is reported at once.

    Raises ``ProjectFileRefused`` with each problem as ``NAME:LINE: field: what is wrong;
    what is accepted``, before anything is made. A leading byte-order mark is skipped.
    """
    text = without_bom(text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = re.search(r"at line (\d+)", message)
        line = int(found.group(1)) if found else text.count("\n") + 1
        raise ProjectFileRefused(name, [(line, f"not valid TOML: {message}")]) from None
    reader = Reader(key_lines(text))
    result = reader.read(data)
    if reader.problems:
        raise ProjectFileRefused(name, reader.problems)
    return result


def read_project_bytes(data: bytes, name: str) -> ProjectFile:
    """``read_project_file`` on a file's bytes: refused plainly when they are not UTF-8."""
    return read_project_file(decode_text(data, name), name)


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
            stage_events=data.stage_events,
            cutoffs=data.cutoffs,
        )
        store.load_accounting(data.accounting_ids, data.accounting_mappings)

    return Store.create(path, data.project, data.periods, fill=fill, **options)


class Reader(DatedReader, AccountingReader):
    """Walks a parsed project file, collecting problems with the line each is on."""

    def __init__(self, lines: dict[str, int]) -> None:
        self.lines = lines
        self.problems: list[tuple[int, str]] = []
        self.start = (2000, 1)
        # First line of each id and number, to say where the one given twice was first given.
        self.installation_ids: dict[str, int] = {}
        self.installation_numbers: dict[int, int] = {}
        self.milestone_ids: dict[str, int] = {}

    def problem(self, path: str, message: str) -> None:
        self.problems.append((line_of(self.lines, path), message))

    def line(self, path: str) -> int:
        return line_of(self.lines, path)

    def read(self, data: dict[str, Any]) -> ProjectFile:
        top = FileTable(self, data, "", "", "the top level")
        top.unknown_keys(TOP_KEYS)
        version = data.get("format")
        if version is None:
            top.missing("format", f"format = {FORMAT} at the top of the file")
        elif isinstance(version, bool) or version != FORMAT:
            top.refuse("format", version, f"{FORMAT}, the version of the format this vatui reads")
        project = self.read_project(top)
        result = ProjectFile(project, [])
        self.read_periods(top, result)
        for table in top.tables("installation", "a [[installation]] table for each"):
            self.read_installation(result, table)
        known = list(dict.fromkeys(i.id for i in result.installations if i.id))
        for table in top.tables("milestone", "a [[milestone]] table for each"):
            result.milestones.append(self.read_milestone(table, known))
        return result

    def read_project(self, top: FileTable) -> Project:
        table = top.table("project", "a [project] table with name, start and leader")
        if table is None:
            return Project(name="", start="", leader="")
        table.unknown_keys(PROJECT_KEYS)
        name = table.text("name", 'the project\'s name, e.g. "iMagine"', required=True)
        grant_raw = table.data.get("grant")
        if isinstance(grant_raw, int) and not isinstance(grant_raw, bool) and grant_raw >= 0:
            grant = str(grant_raw)  # a grant number written without quotes is taken as written
        else:
            grant = table.text("grant", 'the grant agreement number, e.g. "101058625"')
        work_package = table.text("work_package", 'the work package, e.g. "WP5"')
        start = table.text(
            "start", 'the calendar month of M1 as "YYYY-MM", e.g. "2022-09"', required=True
        )
        month = table.convert("start", parse_start, start) if start else None
        if month is not None and not YEARS[0] <= month[0] <= YEARS[1]:
            table.refuse("start", start, f"a month from {YEARS[0]}-01 to {YEARS[1]}-12")
        elif month is not None:
            self.start = month
        leader = table.text("leader", 'the leader organisation, e.g. "MARIS"', required=True)
        chapter = table.whole("chapter", CHAPTERS, "the report's section number")
        accepted = "a share of the target above 0, e.g. 1.0 or 0.5"
        green = table.number("green_at", RATIOS, accepted)
        amber = table.number("amber_at", RATIOS, accepted)
        thresholds = {"green_at": green or 1.0, "amber_at": amber or 0.5}
        if 0 in (green, amber):
            table.refuse("green_at" if green == 0 else "amber_at", 0, accepted)
        elif thresholds["amber_at"] > thresholds["green_at"]:
            table.refuse("amber_at", amber, f"a share not above green_at ({green or 1.0:g})")
        return Project(
            name=name,
            start=start,
            leader=leader,
            grant=grant,
            work_package=work_package,
            chapter=2 if chapter is None else chapter,
            **thresholds,
        )

    def read_periods(self, top: FileTable, result: ProjectFile) -> None:
        tables = top.tables("period", "a [[period]] table for each, with a label")
        if not tables and "period" not in top.data:
            top.missing("period", 'at least one [[period]] with a label such as "M13-M24"')
        labels: dict[str, int] = {}
        for table in tables:
            table.unknown_keys(PERIOD_KEYS)
            label = table.text("label", 'a month range such as "M13-M24"', required=True)
            period = table.convert("label", parse_period, label, self.start) if label else None
            if period is None:
                continue
            if period.label in labels:
                table.twice("label", period.label, labels[period.label], "each period once")
            else:
                labels[period.label] = table.line("label")
            cutoff = table.date("cutoff")
            if cutoff is not None and cutoff < period.start_date:
                table.refuse(
                    "cutoff", cutoff, f"a date from the period's start ({period.start_date})"
                )
            elif cutoff is not None:
                result.cutoffs[period.label] = cutoff
        result.periods = list(labels)

    def read_installation(self, result: ProjectFile, table: FileTable) -> None:
        table.unknown_keys(INSTALLATION_KEYS)
        ident = table.ident("id", "a short id such as uc5")
        number = table.whole(
            "number", NUMBERS, "the installation's number, giving its section", required=True
        )
        name = table.text("name", "the installation's name", required=True)
        providers = table.names("providers", 'a list of organisations, e.g. ["VLIZ", "MARIS"]')
        texts: dict[str, Any] = {
            key: table.text(
                key, "a row of the description table", single_line=key == "url", limit=TEXT_LIMIT
            )
            for key in TEXT_FIELDS
        }
        remote = self.read_accounting_id(table)
        if remote and ident:
            result.accounting_ids[ident] = remote
        events = self.read_deployment(table, ident)
        result.stage_events += events
        current = event_at(events, dt.date.max)
        if ident:
            table.unique(
                "id", ident.lower(), ident, self.installation_ids, "an id no other installation has"
            )
        if number is not None:
            table.unique(
                "number",
                number,
                number,
                self.installation_numbers,
                "a number no other installation has",
            )
        result.installations.append(
            Installation(
                id=ident,
                number=number or 0,
                name=name,
                providers=providers,
                stage=current.stage if current else FIRST_STAGE,
                planned_production=current.planned_production if current else None,
                **texts,
            )
        )
        sites = self.read_sites(result, table, ident)
        metric_ids: dict[str, int] = {}
        for position, metric in enumerate(table.tables("metric", "one table for each metric")):
            self.read_metric(result, metric, ident, sites, position, metric_ids)
        assessed: dict[tuple[str, str | None], int] = {}
        for entry in table.tables("assessment", "one table for each period (and site)"):
            self.read_assessment(result, entry, ident, sites, assessed)
        for entry in table.tables("delay", "one table for each entry of the delay log"):
            result.delays.append(self.read_delay(entry, ident, sites))
        for entry in table.tables("review", "one table for each step of a review"):
            result.reviews.append(self.read_review(entry, ident, result.periods))

    def read_sites(self, result: ProjectFile, table: FileTable, installation: str) -> list[str]:
        ids: dict[str, int] = {}
        for position, site in enumerate(table.tables("site", "one table for each site")):
            site.unknown_keys(SITE_KEYS)
            ident = site.ident("id", "a short id such as obsea")
            name = site.text("name", 'the site\'s name, e.g. "OBSEA"', required=True)
            code = site.text("code", 'the name the report uses for it, e.g. "UC3o"')
            if ident:
                site.unique(
                    "id", ident.lower(), ident, ids, f"an id no other site of {installation} has"
                )
            result.sites.append(
                Site(id=ident, installation=installation, name=name, code=code, position=position)
            )
        return [s.id for s in result.sites if s.installation == installation and s.id]

    def read_metric(
        self,
        result: ProjectFile,
        table: FileTable,
        installation: str,
        sites: list[str],
        position: int,
        ids: dict[str, int],
    ) -> None:
        table.unknown_keys(METRIC_KEYS)
        ident = table.ident("id", "a short id such as users")
        name = table.text("name", "the metric's name as the report prints it", required=True)
        site = table.site("site", sites, installation)
        kind = table.choice("kind", KINDS, "count")
        baseline: float | None = None
        countries: tuple[str, ...] = ()
        if kind == "countries":
            countries = table.countries("baseline") or ()
        elif kind is not None:
            baseline = table.count("baseline")
        baseline_text = table.text("baseline_text", 'the baseline\'s wording, e.g. "~300 / y"')
        per_year = table.flag("per_year")
        measured = table.text(
            "measured", "how it is measured, as text", single_line=False, limit=NOTE_LIMIT
        )
        direction = table.choice("direction", DIRECTIONS, "higher") or "higher"
        accepted = f"a ratio from {RATIOS[0]:g} to {RATIOS[1]:g}, e.g. 1.0 or 0.5"
        green = table.number("green_at", RATIOS, accepted)
        amber = table.number("amber_at", RATIOS, accepted)
        if green is not None and amber is not None and amber > green:
            table.refuse("amber_at", amber, f"a ratio not above green_at ({green:g})")
        target = table.count("target")
        if kind == "text" and target is not None:
            table.refuse("target", target, "no target: a text metric has no light")
        if ident:
            table.unique(
                "id", ident.lower(), ident, ids, f"an id no other metric of {installation} has"
            )
        metric = Metric(
            id=ident,
            installation=installation,
            name=name,
            kind=kind or "count",
            site=site,
            baseline=baseline,
            baseline_countries=countries,
            baseline_text=baseline_text,
            per_year=per_year,
            measured=measured,
            direction=direction,
            green_at=green,
            amber_at=amber,
            position=position,
            target=target,
        )
        result.metrics.append(metric)
        mapping = self.read_metric_accounting(table, metric)
        if mapping is not None and ident:
            result.accounting_mappings.append(mapping)
        periods: dict[str, int] = {}
        for value in table.tables("value", "one table for each period, with period and value"):
            self.read_value(result, value, metric, kind, periods)

    def read_value(
        self,
        result: ProjectFile,
        table: FileTable,
        metric: Metric,
        kind: str | None,
        periods: dict[str, int],
    ) -> None:
        table.unknown_keys(VALUE_KEYS)
        period = table.period("period", result.periods, self.start, required=True)
        number, countries, text = None, None, None
        if kind == "count":
            number = table.count("value")
        elif kind == "countries" and "value" in table.data:
            countries = table.countries("value")
        elif kind == "text" and "value" in table.data:
            text = table.text("value", "the value as text", single_line=False, limit=NOTE_LIMIT)
        display = table.text(
            "text",
            'the wording in the report, e.g. "1 (Italy)"',
            single_line=False,
            limit=NOTE_LIMIT,
        )
        note = table.text("note", "a note as text", single_line=False, limit=NOTE_LIMIT)
        if period:
            table.unique("period", period, period, periods, "one value per period for each metric")
        result.values.append(
            Value(
                installation=metric.installation,
                metric=metric.id,
                period=period,
                number=number,
                countries=countries,
                text=text,
                display=display,
                note=note,
            )
        )

    def read_assessment(
        self,
        result: ProjectFile,
        table: FileTable,
        installation: str,
        sites: list[str],
        assessed: dict[tuple[str, str | None], int],
    ) -> None:
        table.unknown_keys(ASSESSMENT_KEYS)
        period = table.period("period", result.periods, self.start, required=True)
        site = table.site("site", sites, installation)
        texts: dict[str, Any] = {
            key: table.text(key, "markdown text", single_line=False, limit=TEXT_LIMIT)
            for key in ("assessment", "delay", "planning")
        }
        if period and site != "":
            key = (period, site)
            shown = f"{period}, site {site}" if site else period
            table.unique(
                "period",
                key,
                shown,
                assessed,
                "one assessment per period (and site) for each installation",
            )
        result.assessments.append(
            Assessment(installation=installation, period=period, site=site or None, **texts)
        )
