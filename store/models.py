"""The dataclasses that go in and out of the store.

The TUI, the CLI, the importers and the renderers see only these; no caller sees a row or SQL.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from vatui.store.countries import format_countries
from vatui.store.numbers import format_count

Kind = Literal["count", "countries", "text"]
Direction = Literal["higher", "lower"]

KINDS: tuple[str, ...] = ("count", "countries", "text")
DIRECTIONS: tuple[str, ...] = ("higher", "lower")
STAGES: tuple[str, ...] = ("in development", "near-operational", "operational")
#: "etc" (or "etc.") as a word: a list of countries that names some and leaves the rest open.
OPEN_LIST = re.compile(r"\betc\b", re.IGNORECASE)


class Light(StrEnum):
    """A traffic light; a ``str``, so it prints and serialises as its name."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    GREY = "grey"


# The description rows of the deliverable's table, in the deliverable's order: (field, label).
DESCRIPTION_FIELDS: tuple[tuple[str, str], ...] = (
    ("description", "Description"),
    ("task", "Task"),
    ("url", "URL"),
    ("service_category", "Service Category"),
    ("service_catalogue", "Service Catalogue"),
    ("providers", "Providers"),
    ("location", "Location"),
    ("modality_of_access", "Modality of access"),
    ("support_offered", "Support offered"),
    ("operational_since", "Operational since"),
    ("user_definition", "User definition"),
)

# The texts of an assessment, by the labels the deliverable gives them.
ASSESSMENT_LABELS: dict[str, str] = {
    "assessment": "assessment",
    "delay": "explanation of delay",
    "planning": "planning for production",
}


@dataclass(frozen=True)
class Project:
    name: str
    start: str  # calendar month of M1, YYYY-MM
    leader: str
    grant: str = ""
    work_package: str = ""
    chapter: int = 2
    # The light thresholds, the project's so that everyone sees the same lights: the share of
    # its target at which a metric turns green, and amber (below it: red).
    green_at: float = 1.0
    amber_at: float = 0.5


@dataclass(frozen=True)
class Installation:
    id: str
    number: int
    name: str
    providers: tuple[str, ...] = ()
    description: str = ""
    task: str = ""
    url: str = ""
    service_category: str = ""
    service_catalogue: str = ""
    location: str = ""
    modality_of_access: str = ""
    support_offered: str = ""
    operational_since: str = ""
    user_definition: str = ""
    stage: str = "in development"
    planned_production: dt.date | None = None
    archived: bool = False
    version: int = 1

    def description_rows(self) -> list[tuple[str, str]]:
        """The (label, text) rows of the deliverable's description table, empty ones left out."""
        rows = []
        for name, label in DESCRIPTION_FIELDS:
            text = ", ".join(self.providers) if name == "providers" else getattr(self, name)
            if text.strip():
                rows.append((label, text))
        return rows


@dataclass(frozen=True)
class Site:
    id: str
    installation: str
    name: str
    code: str = ""
    position: int = 0
    archived: bool = False

    @property
    def label(self) -> str:
        """``UC3o - OBSEA`` where the report has a code for the site, else its name."""
        return f"{self.code} - {self.name}" if self.code else self.name


@dataclass(frozen=True)
class Metric:
    id: str
    installation: str
    name: str
    kind: str = "count"
    site: str | None = None
    baseline: float | None = None
    baseline_countries: tuple[str, ...] = ()
    baseline_text: str = ""
    per_year: bool = False
    measured: str = ""
    direction: str = "higher"
    green_at: float | None = None
    amber_at: float | None = None
    position: int = 0
    archived: bool = False
    version: int = 1
    # A target stated in the project, where the baseline does not give one (an open list of
    # countries ending in "etc") or the project holds the metric to another figure.
    target: float | None = None

    @property
    def is_open_list(self) -> bool:
        """A countries baseline that names some and says "etc": its length is no target."""
        return self.kind == "countries" and OPEN_LIST.search(self.baseline_text) is not None

    @property
    def baseline_shown(self) -> str:
        """The baseline as the report words it, or as a plain figure when no wording was kept."""
        if self.baseline_text:
            return self.baseline_text
        if self.kind == "countries":
            return format_countries(list(self.baseline_countries))
        return format_count(self.baseline) if self.baseline is not None else ""


@dataclass(frozen=True)
class Value:
    installation: str
    metric: str
    period: str
    number: float | None = None
    countries: tuple[str, ...] | None = None
    text: str | None = None
    display: str = ""  # the wording as the report prints it, when it differs from the figure
    note: str = ""
    updated_by: str = ""
    updated_at: str = ""
    version: int = 1

    @property
    def shown(self) -> str:
        """What a reader sees: the kept wording, else the figure with thousands separators."""
        if self.display:
            return self.display
        if self.number is not None:
            return format_count(self.number)
        if self.countries is not None:
            return format_countries(list(self.countries)) if self.countries else "0"
        return self.text or ""


@dataclass(frozen=True)
class Assessment:
    installation: str
    period: str
    site: str | None = None
    assessment: str = ""
    delay: str = ""
    planning: str = ""
    updated_by: str = ""
    updated_at: str = ""
    version: int = 1

    @property
    def is_empty(self) -> bool:
        return not (self.assessment.strip() or self.delay.strip() or self.planning.strip())


@dataclass(frozen=True)
class Milestone:
    id: str
    title: str
    due_month: int
    status: str = ""
    achieved: dt.date | None = None
    replanned: dt.date | None = None
    note: str = ""
    installations: tuple[str, ...] = ()
    version: int = 1


@dataclass(frozen=True)
class StageEvent:
    """From ``since`` on, the installation is at ``stage``, planned for production on
    ``planned_production``: the log a period reads its stage from, as of its cut-off."""

    id: int
    installation: str
    since: dt.date
    stage: str
    planned_production: dt.date | None = None
    actor: str = ""
    at: str = ""


@dataclass(frozen=True)
class IssuedChapter:
    """A chapter exported with ``--final``: the exact text, kept so that it never changes."""

    id: int
    period: str
    cutoff: dt.date
    sha256: str
    actor: str
    at: str
    text: str


@dataclass(frozen=True)
class DelayEntry:
    id: int
    installation: str
    recorded: dt.date
    reason: str
    replanned: dt.date | None = None
    site: str | None = None
    author: str = ""


@dataclass(frozen=True)
class Change:
    """One recorded change of one field: the history the store keeps of every write."""

    id: int
    at: str
    actor: str
    table: str
    row: str
    field: str
    old: str | None
    new: str | None
    installation: str | None = None
    source: str = ""


@dataclass(frozen=True)
class MetricStatus:
    """A metric with its value for a period and the light it earns."""

    metric: Metric
    value: Value | None
    light: Light
    target: float | None
    ratio: float | None


@dataclass(frozen=True)
class InstallationStatus:
    """An installation's standing in a period: its metrics, lights, delays and plan."""

    installation: Installation
    sites: list[Site]
    metrics: list[MetricStatus]
    deployment_light: Light
    overall_light: Light
    delays: list[DelayEntry] = field(default_factory=list)
    has_figures: bool = True  # any value entered for the period; without, overall is grey

    def light_counts(self) -> dict[str, int]:
        counts = {"green": 0, "amber": 0, "red": 0, "grey": 0}
        for row in self.metrics:
            counts[row.light] += 1
        return counts

    @property
    def is_late(self) -> bool:
        """Not in production, with a delay logged or a planned date gone by."""
        return self.installation.stage != "operational" and self.deployment_light in (
            "amber",
            "red",
        )


@dataclass(frozen=True)
class MilestoneStatus:
    """A milestone as a period sees it: its due date, its light, and the date it was achieved
    if that came by the period's cut-off (a later one does not count)."""

    milestone: Milestone
    due: dt.date
    light: Light
    achieved: dt.date | None = None
