"""The deliverable's chapter as a small document model, built once from the store.

``build_chapter`` decides what the chapter says: its headings and their numbers, the
paragraphs written from the data, the tables (whose light cells carry the ``Light`` itself,
not how it is drawn) and where each provider's markdown goes, at which depth. The renderers
(``exports/markdown.py``, ``exports/docx.py``) decide only how each block is written, so the
markdown and the Word document cannot say different things.

The chapter follows D5.2's chapter 2 (per installation ``2.N <name>``, its description table,
``2.N.1 Metrics`` and ``2.N.2 Assessment``; one metrics table per site where an installation
has several), with what a WP leader wants up front (a summary) and the milestone table and
delay log after. Lights are read from the store, never recomputed here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol, TypeVar

from vatui.exports.prose import is_blank
from vatui.store import (
    Assessment,
    DelayEntry,
    InstallationStatus,
    InvalidValue,
    Light,
    MetricStatus,
    MilestoneStatus,
    Period,
    Project,
    Site,
)
from vatui.store.lights import shown_target, target_basis

SECTIONS = ("summary", "installations", "milestones", "delays")
LIGHT_STYLES = ("emoji", "words", "none")
#: A site's assessment part sits three levels below the chapter, and markdown has six levels.
HEADING_LEVELS = (1, 2, 3)
DELAY_LABEL = "Explanation of the delay"
PLANNING_LABEL = "The planning for achieving production status"

T = TypeVar("T")


# ---- the model ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """A heading at ``level`` (1 is the top), its text as plain text, numbered already."""

    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    """A paragraph written from the data, as plain text on one line."""

    text: str
    emphasis: Literal["", "italic", "bold"] = ""


@dataclass(frozen=True)
class LightCell:
    """A cell that shows a light, and a note after it (``(no figures yet)``)."""

    light: Light
    note: str = ""


@dataclass(frozen=True)
class LightCounts:
    """A cell counting an installation's metric lights: green, amber, red, grey."""

    counts: tuple[tuple[Light, int], ...]

    def in_words(self) -> str:
        """``3 green, 1 red``: as every renderer writes the counts where lights are words."""
        return ", ".join(f"{count} {light}" for light, count in self.counts)


Cell = str | LightCell | LightCounts


@dataclass(frozen=True)
class Table:
    """A table; an all-empty header makes it a label | text table with no header row (the
    deliverable's description table)."""

    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]

    @property
    def has_header(self) -> bool:
        return any(self.header)


@dataclass(frozen=True)
class Prose:
    """A provider's markdown, as stored, under a heading of level ``depth``: its own headings
    go below that level."""

    text: str
    depth: int


Block = Heading | Paragraph | Table | Prose


@dataclass(frozen=True)
class Chapter:
    """The chapter: its ``title`` (the project's name, the chapter and the period: what a
    document's title says) and its blocks in order."""

    title: str
    blocks: list[Block] = field(default_factory=list)


class ReportSource(Protocol):
    """What the chapter reads: a ``store.Store`` or anything that answers the same calls."""

    def project(self) -> Project: ...

    def period(self, label: str) -> Period: ...

    def status(
        self, period: str, *, installations: list[str] | None = None
    ) -> list[InstallationStatus]: ...

    def milestone_status(self, period: str) -> list[MilestoneStatus]: ...

    def assessment(self, installation: str, period: str, site: str | None = None) -> Assessment: ...

    def review_states(self, period: str) -> dict[str, str]: ...


# ---- building it --------------------------------------------------------------------------


def _checked_light_style(lights: str) -> str:
    """``lights`` if it is one of ``LIGHT_STYLES``, else the refusal naming them."""
    if lights not in LIGHT_STYLES:
        raise InvalidValue("lights", lights, f"one of: {', '.join(LIGHT_STYLES)}")
    return lights


def build_chapter(
    store: ReportSource,
    period: str,
    *,
    installations: Sequence[str] | None = None,
    sections: Iterable[str] | None = None,
    heading_level: int = 1,
    lights: str = "words",
    numbering: bool = True,
    stamp: str | None = None,
) -> Chapter:
    """The chapter for ``period``.

    ``installations`` (ids or numbers) narrows it, ``sections`` picks among ``SECTIONS`` (always
    in that order), ``heading_level`` is the level of the chapter heading, ``lights`` is the
    renderer's light style (one of ``LIGHT_STYLES``; ``none`` drops the light columns, how the
    others draw a light is the renderer's), ``numbering`` off drops the ``2.N`` numbers, and
    ``stamp`` (e.g. the export time) is said up front only when given. Bad options raise
    ``InvalidValue`` and unknown periods or installations ``NotFound``.
    """
    with_lights = _checked_light_style(lights) != "none"
    chosen = _checked_sections(sections)
    if heading_level not in HEADING_LEVELS:
        raise InvalidValue(
            "heading level",
            heading_level,
            "1, 2 or 3: a site's assessment sits three levels below the chapter heading",
        )
    span = store.period(period)
    project = store.project()
    reviews = store.review_states(span.label)
    layout = _Layout(str(project.chapter), heading_level, with_lights, numbering, span, reviews)
    rows = store.status(span.label, installations=list(installations) if installations else None)
    blocks: list[Block] = [
        layout.heading(0, layout.chapter, "Installations"),
        _front(project, span, stamp),
    ]
    if "summary" in chosen:
        blocks += _summary(layout, rows)
    if "installations" in chosen:
        for row in rows:
            blocks += _installation(store, layout, row)
    if "milestones" in chosen:
        blocks += _milestones(layout, store.milestone_status(span.label), rows, installations)
    if "delays" in chosen:
        blocks += _delays(layout, rows)
    title = f"{project.name}: {layout.chapter} Installations, {span.label} ({span.calendar_label})"
    return Chapter(title, blocks)


@dataclass(frozen=True)
class _Layout:
    """The options that shape every part: numbers, heading levels and whether lights show."""

    chapter: str
    level: int
    shows_lights: bool
    numbering: bool
    period: Period
    reviews: dict[str, str]

    def heading(self, depth: int, number: str, title: str) -> Heading:
        """A heading ``depth`` levels below the chapter's, numbered when numbering is on."""
        text = f"{number} {title}" if self.numbering and number else title
        return Heading(self.level + depth, text)

    def number(self, row: InstallationStatus) -> str:
        return f"{self.chapter}.{row.installation.number}"

    def titled(self, row: InstallationStatus) -> str:
        """``2.1 Marine litter assessment service``, or the name alone without numbering."""
        name = row.installation.name
        return f"{self.number(row)} {name}" if self.numbering else name

    def review(self, row: InstallationStatus) -> str:
        """The review state of the installation's figures for the period (``draft`` if none)."""
        return self.reviews.get(row.installation.id, "draft")


def _overall(row: InstallationStatus) -> LightCell:
    """The overall light, saying why where it is grey for want of any figure."""
    return LightCell(row.overall_light, "" if row.has_figures else "(no figures yet)")


def _light_counts(row: InstallationStatus) -> LightCounts:
    return LightCounts(tuple((Light(name), count) for name, count in row.light_counts().items()))


def _checked_sections(sections: Iterable[str] | None) -> set[str]:
    accepted = f"one or more of: {', '.join(SECTIONS)}"
    if sections is None:
        return set(SECTIONS)
    chosen = {name.strip().lower() for name in sections}
    for name in sorted(chosen):
        if name not in SECTIONS:
            raise InvalidValue("section", name, accepted)
    if not chosen:
        raise InvalidValue("sections", "", accepted)
    return chosen


def _front(project: Project, period: Period, stamp: str | None) -> Paragraph:
    """The period with its calendar dates, the project, and the stamp when one was asked for."""
    details = [project.work_package, f"grant agreement {project.grant}" if project.grant else ""]
    about = ", ".join(filter(None, details))
    text = (
        f"Reporting period {period.label} ({period.calendar_label}) of {project.name}"
        + (f" ({about})" if about else "")
        + f", judged as of {period.as_of.isoformat()}."
    )
    if stamp:
        text += f" Exported on {stamp}."
    return Paragraph(text)


def _table(columns: list[tuple[str, Callable[[T], Cell]]], items: Iterable[T]) -> Table:
    """A table with a column per (title, cell of an item)."""
    return Table(
        tuple(title for title, _ in columns),
        tuple(tuple(show(item) for _, show in columns) for item in items),
    )


# ---- summary ------------------------------------------------------------------------------


def _summary(layout: _Layout, rows: list[InstallationStatus]) -> list[Block]:
    columns: list[tuple[str, Callable[[InstallationStatus], Cell]]] = []
    if layout.numbering:
        columns.append(("No.", layout.number))
    columns += [
        ("Installation", lambda row: row.installation.name),
        ("Providers", lambda row: ", ".join(row.installation.providers)),
        ("Stage", lambda row: row.installation.stage),
    ]
    if layout.shows_lights:
        columns += [
            ("Metric lights", _light_counts),
            ("Deployment", lambda row: LightCell(row.deployment_light)),
            ("Overall", _overall),
        ]
    columns.append(("Planned production", lambda row: _date(row.installation.planned_production)))
    columns.append(("Review", layout.review))
    return [layout.heading(1, "", "Summary"), _table(columns, rows), _summary_text(layout, rows)]


def _summary_text(layout: _Layout, rows: list[InstallationStatus]) -> Paragraph:
    """A first draft of the summary paragraph, from the data, for the WP leader to keep or edit."""
    operational = [row for row in rows if row.installation.stage == "operational"]
    late = [row for row in rows if row.is_late]
    total = len(rows)
    noun = "installation" if total == 1 else "installations"
    if operational:
        verb = "is" if len(operational) == 1 else "are"
        names = _names(layout, operational)
        running = f"{len(operational)} of {total} {noun} {verb} operational: {names}."
    else:
        running = f"none of the {total} {noun} is operational."
    if late:
        verb = "is" if len(late) == 1 else "are"
        behind = f"{len(late)} {verb} late: {_names(layout, late)}."
    else:
        behind = "None is late."
    sentences = [f"In {layout.period.label} ({layout.period.calendar_label}), {running}", behind]
    empty = [row for row in rows if not row.has_figures]
    if empty:
        verb = "has" if len(empty) == 1 else "have"
        sentences.append(f"{len(empty)} {verb} no figures yet: {_names(layout, empty)}.")
    if layout.shows_lights:
        counts: Counter[str] = Counter()
        for row in rows:
            counts.update(row.light_counts())
        metrics = sum(counts.values())
        missing = sum(1 for row in rows for item in row.metrics if item.value is None)
        without = f" ({missing} of them with no figure yet)" if missing else ""
        sentences.append(
            f"Of their {metrics} metrics, {counts['green']} are green, {counts['amber']} amber, "
            f"{counts['red']} red and {counts['grey']} grey{without}."
        )
    return Paragraph(" ".join(sentences))


def _names(layout: _Layout, rows: list[InstallationStatus]) -> str:
    names = [layout.titled(row) for row in rows]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


# ---- installations ------------------------------------------------------------------------


def _installation(store: ReportSource, layout: _Layout, row: InstallationStatus) -> list[Block]:
    """``2.N <name>``, its description table, a metrics table per site and the assessment."""
    number = layout.number(row)
    blocks: list[Block] = [layout.heading(1, number, row.installation.name)]
    if (state := layout.review(row)) != "accepted":
        waiting = "the WP leader has not accepted these figures yet"
        blocks.append(Paragraph(f"Provisional: {waiting} (review state: {state}).", "italic"))
    description = row.installation.description_rows()
    if description:
        blocks.append(Table(("", ""), tuple(description)))
    groups = _metric_groups(row)
    for index, (site, metrics) in enumerate(groups, start=1):
        title = f"Metrics: {site.label}" if site else "Metrics"
        blocks.append(layout.heading(2, f"{number}.{index}", title))
        blocks.append(
            _metrics_table(layout, metrics) if metrics else Paragraph("No metrics are defined.")
        )
        blocks += _targets(layout, metrics)
    blocks.append(layout.heading(2, f"{number}.{len(groups) + 1}", "Assessment"))
    return blocks + _assessment(store, layout, row)


def _metric_groups(row: InstallationStatus) -> list[tuple[Site | None, list[MetricStatus]]]:
    """One group for an installation with one site; with several, a group per site in order,
    after the metrics that belong to no listed site (if any)."""
    if len(row.sites) <= 1:
        return [(None, row.metrics)]
    listed = {site.id for site in row.sites}
    loose = [item for item in row.metrics if item.metric.site not in listed]
    groups: list[tuple[Site | None, list[MetricStatus]]] = [(None, loose)] if loose else []
    return groups + [
        (site, [item for item in row.metrics if item.metric.site == site.id]) for site in row.sites
    ]


def _metrics_table(layout: _Layout, metrics: list[MetricStatus]) -> Table:
    """The seed's columns (name, baseline, how measured, the period's value) and a status."""
    columns: list[tuple[str, Callable[[MetricStatus], Cell]]] = [
        ("Metric name", lambda item: item.metric.name),
        ("Baseline", lambda item: item.metric.baseline_shown),
        ("Define how measurement is done", lambda item: item.metric.measured),
        (layout.period.label, lambda item: item.value.shown if item.value else ""),
    ]
    if layout.shows_lights:
        columns.append(("Status", lambda item: LightCell(item.light)))
    return _table(columns, metrics)


def _targets(layout: _Layout, metrics: list[MetricStatus]) -> list[Block]:
    """A line under the metrics table for the targets a reader cannot see in the baseline as
    written (pro-rated, stated in the project, counted from a list of countries); the table's
    own cells stay as the deliverable prints them."""
    notes = [
        f"{item.metric.name}: {shown_target(item.metric, layout.period)}"
        for item in metrics
        if target_basis(item.metric, layout.period)
    ]
    if not notes:
        return []
    return [Paragraph(f"Targets for {layout.period.label}: {'; '.join(notes)}.")]


def _assessment(store: ReportSource, layout: _Layout, row: InstallationStatus) -> list[Block]:
    """The installation's texts, then, where there are several sites, a headed part per site."""
    item, period = row.installation, layout.period.label
    several = len(row.sites) > 1
    blocks = _assessment_texts(store.assessment(item.id, period), layout.level + 2)
    for site in row.sites:
        depth = layout.level + (3 if several else 2)
        texts = _assessment_texts(store.assessment(item.id, period, site.id), depth)
        if several:
            blocks.append(layout.heading(3, "", site.label))
            blocks += texts or [Paragraph("No assessment has been written for this site.")]
        else:
            blocks += texts
    return blocks or [Paragraph(f"No assessment has been written for {period}.")]


def _assessment_texts(found: Assessment, depth: int) -> list[Block]:
    """The assessment, then the delay and the planning under their labels, where written."""
    blocks: list[Block] = []
    for label, text in (
        ("", found.assessment),
        (DELAY_LABEL, found.delay),
        (PLANNING_LABEL, found.planning),
    ):
        if is_blank(text):
            continue
        if label:
            blocks.append(Paragraph(label, "bold"))
        blocks.append(Prose(text, depth))
    return blocks


# ---- milestones and delays ----------------------------------------------------------------


def _milestones(
    layout: _Layout,
    milestones: list[MilestoneStatus],
    rows: list[InstallationStatus],
    installations: Sequence[str] | None,
) -> list[Block]:
    """The milestone table; narrowed to installations, those linked to them or to none."""
    if installations:
        chosen = {row.installation.id for row in rows}
        milestones = [
            item
            for item in milestones
            if not item.milestone.installations or chosen & set(item.milestone.installations)
        ]
    title = layout.heading(1, "", "Milestones")
    if not milestones:
        return [title, Paragraph("No milestones are recorded.")]
    columns: list[tuple[str, Callable[[MilestoneStatus], Cell]]] = [
        ("Milestone", lambda item: item.milestone.id),
        ("Title", lambda item: item.milestone.title),
        ("Due", lambda item: f"M{item.milestone.due_month} ({item.due:%b %Y})"),
        ("Status", lambda item: item.milestone.status),
        ("Achieved or re-planned", _milestone_date),
        ("Note", lambda item: item.milestone.note),
    ]
    if layout.shows_lights:
        columns.append(("Light", lambda item: LightCell(item.light)))
    return [title, _table(columns, milestones)]


def _milestone_date(item: MilestoneStatus) -> str:
    """The achieved date where it came by the cut-off (``item.achieved``), else the re-plan."""
    if item.achieved is not None:
        return f"achieved {item.achieved.isoformat()}"
    if item.milestone.replanned:
        return f"re-planned to {item.milestone.replanned.isoformat()}"
    return ""


def _delays(layout: _Layout, rows: list[InstallationStatus]) -> list[Block]:
    """The delay log of the chosen installations, in installation order, oldest entry first."""
    title = layout.heading(1, "", "Delay log")
    entries = [(row, entry) for row in rows for entry in row.delays]
    if not entries:
        return [title, Paragraph("No delays are recorded.")]

    def installation(pair: tuple[InstallationStatus, DelayEntry]) -> str:
        row, entry = pair
        if entry.site is None:
            return layout.titled(row)
        labels = {site.id: site.label for site in row.sites}
        return f"{layout.titled(row)} ({labels.get(entry.site, entry.site)})"

    columns: list[tuple[str, Callable[[tuple[InstallationStatus, DelayEntry]], Cell]]] = [
        ("Installation", installation),
        ("Recorded", lambda pair: pair[1].recorded.isoformat()),
        ("By", lambda pair: pair[1].author),
        ("Reason", lambda pair: pair[1].reason),
        ("Re-planned", lambda pair: _date(pair[1].replanned, "not re-planned")),
    ]
    return [title, _table(columns, entries)]


def _date(day: dt.date | None, missing: str = "not set") -> str:
    return day.isoformat() if day else missing
