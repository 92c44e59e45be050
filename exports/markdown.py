"""The deliverable's chapter as GitHub-flavoured markdown, from the store: ``render_report``.

The output follows D5.2's chapter 2 (per installation ``2.N <name>``, its description table,
``2.N.1 Metrics`` and ``2.N.2 Assessment``; one metrics table per site where an installation
has several), with what a WP leader wants up front (a summary) and the milestone table and
delay log after. It is one string, the same bytes for the same store and options, so the CLI
writes it and the TUI previews it. Lights are read from the store, never recomputed here.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from html import unescape
from typing import Protocol, TypeVar
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common import utils as markdown_it_utils
from markdown_it.helpers import parseLinkLabel
from markdown_it.parser_inline import ParserInline
from markdown_it.ruler import Ruler
from markdown_it.rules_block import StateBlock, fence, hr, html_block, reference, table
from markdown_it.rules_block.html_block import HTML_SEQUENCES
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline, autolink, backtick, image, link
from markdown_it.token import Token
from markdown_it.utils import EnvType
from vatui.exports.tables import clean, heading, one_line, pipe_table
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

SECTIONS = ("summary", "installations", "milestones", "delays")
LIGHT_STYLES = ("emoji", "words", "none")
#: A site's assessment part sits three levels below the chapter, and markdown has six levels.
HEADING_LEVELS = (1, 2, 3)
DEEPEST_HEADING = 6
EMOJI = {Light.GREEN: "🟢", Light.AMBER: "🟡", Light.RED: "🔴", Light.GREY: "⚪"}
DELAY_LABEL = "Explanation of the delay"
PLANNING_LABEL = "The planning for achieving production status"

T = TypeVar("T")


class ReportSource(Protocol):
    """What the renderer reads: a ``store.Store`` or anything that answers the same calls."""

    def project(self) -> Project: ...

    def period(self, label: str) -> Period: ...

    def status(
        self, period: str, *, installations: list[str] | None = None
    ) -> list[InstallationStatus]: ...

    def milestone_status(self, period: str) -> list[MilestoneStatus]: ...

    def assessment(self, installation: str, period: str, site: str | None = None) -> Assessment: ...

    def review_states(self, period: str) -> dict[str, str]: ...


def render_report(
    store: ReportSource,
    period: str,
    *,
    installations: Sequence[str] | None = None,
    sections: Iterable[str] | None = None,
    heading_level: int = 1,
    lights: str = "emoji",
    numbering: bool = True,
    stamp: str | None = None,
    allow_html: bool = False,
) -> str:
    """The chapter for ``period`` as markdown.

    ``installations`` (ids or numbers) narrows it, ``sections`` picks among ``SECTIONS`` (always
    written in that order), ``heading_level`` is the level of the chapter heading, ``lights`` is
    one of ``LIGHT_STYLES`` (``none`` drops the light columns), ``numbering`` off drops the
    ``2.N`` numbers, and ``stamp`` (e.g. the export time) is printed up front only when given.
    Bad options raise ``InvalidValue`` and unknown periods or installations ``NotFound``.

    Providers' markdown (assessments, delay explanations, planning) is kept as markdown, but
    raw HTML in it is exported as text: its ``<`` escaped, so that a renderer or pandoc shows
    the characters rather than passing the tags on (see ``prose``). ``allow_html`` keeps raw
    HTML as written, for a project that trusts its providers' HTML; links to anything but
    ``LINK_SCHEMES`` are shown as text either way. The time taken is in proportion to the text.
    """
    chosen = _checked_sections(sections)
    if lights not in LIGHT_STYLES:
        raise InvalidValue("lights", lights, f"one of: {', '.join(LIGHT_STYLES)}")
    if heading_level not in HEADING_LEVELS:
        raise InvalidValue(
            "heading level",
            heading_level,
            "1, 2 or 3: a site's assessment sits three levels below the chapter heading",
        )
    span = store.period(period)
    project = store.project()
    reviews = store.review_states(span.label)
    layout = _Layout(
        str(project.chapter), heading_level, lights, numbering, span, reviews, allow_html
    )
    rows = store.status(span.label, installations=list(installations) if installations else None)
    blocks = [layout.heading(0, layout.chapter, "Installations"), _front(project, span, stamp)]
    if "summary" in chosen:
        blocks += _summary(layout, rows)
    if "installations" in chosen:
        for row in rows:
            blocks += _installation(store, layout, row)
    if "milestones" in chosen:
        blocks += _milestones(layout, store.milestone_status(span.label), rows, installations)
    if "delays" in chosen:
        blocks += _delays(layout, rows)
    return "\n\n".join(blocks) + "\n"


@dataclass(frozen=True)
class _Layout:
    """The options that shape every part: numbers, heading levels and how lights are written."""

    chapter: str
    level: int
    lights: str
    numbering: bool
    period: Period
    reviews: dict[str, str]
    allow_html: bool = False

    def heading(self, depth: int, number: str, title: str) -> str:
        """A heading ``depth`` levels below the chapter's, numbered when numbering is on."""
        text = f"{number} {title}" if self.numbering and number else title
        return heading(self.level + depth, text)

    def number(self, row: InstallationStatus) -> str:
        return f"{self.chapter}.{row.installation.number}"

    def titled(self, row: InstallationStatus) -> str:
        """``2.1 Marine litter assessment service``, or the name alone without numbering."""
        name = row.installation.name
        return f"{self.number(row)} {name}" if self.numbering else name

    @property
    def shows_lights(self) -> bool:
        return self.lights != "none"

    def light(self, light: Light) -> str:
        return f"{EMOJI[light]} {light}" if self.lights == "emoji" else str(light)

    def review(self, row: InstallationStatus) -> str:
        """The review state of the installation's figures for the period (``draft`` if none)."""
        return self.reviews.get(row.installation.id, "draft")

    def light_counts(self, row: InstallationStatus) -> str:
        counts = row.light_counts()
        if self.lights == "emoji":
            return " · ".join(f"{EMOJI[Light(name)]} {count}" for name, count in counts.items())
        return ", ".join(f"{count} {name}" for name, count in counts.items())


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


def _front(project: Project, period: Period, stamp: str | None) -> str:
    """The period with its calendar dates, the project, and the stamp when one was asked for."""
    details = [project.work_package, f"grant agreement {project.grant}" if project.grant else ""]
    about = ", ".join(filter(None, details))
    text = (
        f"Reporting period {period.label} ({period.calendar_label}) of {project.name}"
        + (f" ({about})" if about else "")
        + "."
    )
    if stamp:
        text += f" Exported on {stamp}."
    return one_line(text)


def _table(columns: list[tuple[str, Callable[[T], str]]], items: Iterable[T]) -> str:
    """A pipe table with a column per (title, cell text of an item)."""
    return pipe_table(
        [title for title, _ in columns], [[show(item) for _, show in columns] for item in items]
    )


# ---- summary ------------------------------------------------------------------------------


def _summary(layout: _Layout, rows: list[InstallationStatus]) -> list[str]:
    columns: list[tuple[str, Callable[[InstallationStatus], str]]] = []
    if layout.numbering:
        columns.append(("No.", layout.number))
    columns += [
        ("Installation", lambda row: row.installation.name),
        ("Providers", lambda row: ", ".join(row.installation.providers)),
        ("Stage", lambda row: row.installation.stage),
    ]
    if layout.shows_lights:
        columns += [
            ("Metric lights", layout.light_counts),
            ("Deployment", lambda row: layout.light(row.deployment_light)),
            ("Overall", lambda row: layout.light(row.overall_light)),
        ]
    columns.append(("Planned production", lambda row: _date(row.installation.planned_production)))
    columns.append(("Review", layout.review))
    return [layout.heading(1, "", "Summary"), _table(columns, rows), _summary_text(layout, rows)]


def _summary_text(layout: _Layout, rows: list[InstallationStatus]) -> str:
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
    if layout.shows_lights:
        counts: Counter[str] = Counter()
        for row in rows:
            counts.update(row.light_counts())
        metrics = sum(counts.values())
        sentences.append(
            f"Of their {metrics} metrics, {counts['green']} are green, {counts['amber']} amber, "
            f"{counts['red']} red and {counts['grey']} grey."
        )
    return one_line(" ".join(sentences))


def _names(layout: _Layout, rows: list[InstallationStatus]) -> str:
    names = [layout.titled(row) for row in rows]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


# ---- installations ------------------------------------------------------------------------


def _installation(store: ReportSource, layout: _Layout, row: InstallationStatus) -> list[str]:
    """``2.N <name>``, its description table, a metrics table per site and the assessment."""
    number = layout.number(row)
    blocks = [layout.heading(1, number, row.installation.name)]
    if layout.review(row) != "accepted":
        blocks.append(
            f"*Provisional: the WP leader has not accepted these figures yet "
            f"(review state: {layout.review(row)}).*"
        )
    description = row.installation.description_rows()
    if description:
        blocks.append(pipe_table(["", ""], description))
    groups = _metric_groups(row)
    for index, (site, metrics) in enumerate(groups, start=1):
        title = f"Metrics: {site.label}" if site else "Metrics"
        blocks.append(layout.heading(2, f"{number}.{index}", title))
        blocks.append(_metrics_table(layout, metrics) if metrics else "No metrics are defined.")
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


def _metrics_table(layout: _Layout, metrics: list[MetricStatus]) -> str:
    """The seed's columns (name, baseline, how measured, the period's value) and a status."""
    columns: list[tuple[str, Callable[[MetricStatus], str]]] = [
        ("Metric name", lambda item: item.metric.name),
        ("Baseline", lambda item: item.metric.baseline_shown),
        ("Define how measurement is done", lambda item: item.metric.measured),
        (layout.period.label, lambda item: item.value.shown if item.value else ""),
    ]
    if layout.shows_lights:
        columns.append(("Status", lambda item: layout.light(item.light)))
    return _table(columns, metrics)


def _assessment(store: ReportSource, layout: _Layout, row: InstallationStatus) -> list[str]:
    """The installation's texts, then, where there are several sites, a headed part per site."""
    item, period = row.installation, layout.period.label
    several = len(row.sites) > 1
    blocks = _assessment_texts(store.assessment(item.id, period), layout, layout.level + 2)
    for site in row.sites:
        depth = layout.level + (3 if several else 2)
        texts = _assessment_texts(store.assessment(item.id, period, site.id), layout, depth)
        if several:
            blocks.append(layout.heading(3, "", site.label))
            blocks += texts or ["No assessment has been written for this site."]
        else:
            blocks += texts
    return blocks or [f"No assessment has been written for {period}."]


def _assessment_texts(found: Assessment, layout: _Layout, depth: int) -> list[str]:
    """The assessment, then the delay and the planning under their labels, where written."""
    blocks = []
    for label, text in (
        ("", found.assessment),
        (DELAY_LABEL, found.delay),
        (PLANNING_LABEL, found.planning),
    ):
        body = prose(text, depth, allow_html=layout.allow_html)
        if body:
            blocks += [f"**{label}**", body] if label else [body]
    return blocks


# ---- milestones and delays ----------------------------------------------------------------


def _milestones(
    layout: _Layout,
    milestones: list[MilestoneStatus],
    rows: list[InstallationStatus],
    installations: Sequence[str] | None,
) -> list[str]:
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
        return [title, "No milestones are recorded."]
    columns: list[tuple[str, Callable[[MilestoneStatus], str]]] = [
        ("Milestone", lambda item: item.milestone.id),
        ("Title", lambda item: item.milestone.title),
        ("Due", lambda item: f"M{item.milestone.due_month} ({item.due:%b %Y})"),
        ("Status", lambda item: item.milestone.status),
        ("Achieved or re-planned", _milestone_date),
        ("Note", lambda item: item.milestone.note),
    ]
    if layout.shows_lights:
        columns.append(("Light", lambda item: layout.light(item.light)))
    return [title, _table(columns, milestones)]


def _milestone_date(item: MilestoneStatus) -> str:
    if item.milestone.achieved:
        return f"achieved {item.milestone.achieved.isoformat()}"
    if item.milestone.replanned:
        return f"re-planned to {item.milestone.replanned.isoformat()}"
    return ""


def _delays(layout: _Layout, rows: list[InstallationStatus]) -> list[str]:
    """The delay log of the chosen installations, in installation order, oldest entry first."""
    title = layout.heading(1, "", "Delay log")
    entries = [(row, entry) for row in rows for entry in row.delays]
    if not entries:
        return [title, "No delays are recorded."]

    def installation(pair: tuple[InstallationStatus, DelayEntry]) -> str:
        row, entry = pair
        if entry.site is None:
            return layout.titled(row)
        labels = {site.id: site.label for site in row.sites}
        return f"{layout.titled(row)} ({labels.get(entry.site, entry.site)})"

    columns: list[tuple[str, Callable[[tuple[InstallationStatus, DelayEntry]], str]]] = [
        ("Installation", installation),
        ("Recorded", lambda pair: pair[1].recorded.isoformat()),
        ("By", lambda pair: pair[1].author),
        ("Reason", lambda pair: pair[1].reason),
        ("Re-planned", lambda pair: _date(pair[1].replanned, "not re-planned")),
    ]
    return [title, _table(columns, entries)]


def _date(day: dt.date | None, missing: str = "not set") -> str:
    return day.isoformat() if day else missing


# ---- providers' prose -----------------------------------------------------------------------

#: How deep the parser follows nesting (a list is two levels, a quote one), as markdown-it's
#: CommonMark preset does: deeper than a real text goes. Past it the parser reads nothing, so
#: a text that gets there is shown as code. (Text heavy in brackets takes time in proportion.)
_MAX_NESTING = 20
#: A paragraph put after a text to see whether the text runs on into what follows it.
_SENTINEL = "vatui-end-of-text"
#: How many times a text is read for what to change, each reading after the changes the one
#: before asked for. One reading finds all but a link that hid behind another; a text that
#: still asks for changes after this many is shown as code.
_READINGS = 4
#: What may stand before a heading's ``#`` on its line: blockquote marks, list markers, indent.
_CONTAINER = re.compile(r"^(?:[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t])))*[ \t]*")
_LIST_MARKER = re.compile(r"[-+*]|\d{1,9}[.)]")
#: The schemes a provider's link may have; a link with any other (``javascript:``, ``data:``,
#: ``file:``, ``vbscript:``) is shown as text. A link with none (``#part``, ``other.html``) is kept.
LINK_SCHEMES = frozenset({"http", "https", "mailto", "ftp", "tel"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
#: Pictures written into the page (``data:image/png;base64,...``) are not links to anywhere.
_PICTURE = re.compile(r"data:image/(?:gif|png|jpeg|webp);", re.IGNORECASE)
#: What a browser drops from a link before reading its scheme.
_URL_DROPPED = re.compile(r"[\t\n\r]")
_URL_LEADING = "".join(map(chr, range(0x21)))
#: A ``<`` that a renderer (pandoc more readily than CommonMark) could read as opening a tag, a
#: comment, a declaration or a processing instruction.
_TAG = re.compile(r"<[A-Za-z!?/]")
#: pandoc's attributes with a value (``{onclick=...}``) and its raw blocks (``{=html}``).
_ATTRIBUTES = re.compile(r"\{[^{}]*=")
#: The first word of a fence's info string, kept if it is a language's name.
_LANGUAGE = re.compile(r"[\w+#.-]+")
#: What pandoc may read as a link definition: ``[label]:`` at the start of a line.
_DEFINITION = re.compile(r"\[(?:[^\]\\]|\\.)*\]:")
#: What markdown-it trims from a table row (markdown-it-py before 4: what Python does).
_TRIMMED: str | None = getattr(markdown_it_utils, "MD_TRIM_CHARS", None)
#: The start of a link's destination after its ``](``.
_DESTINATION = re.compile(r"\(\s*<?([^\s)>]*)")
#: What is escaped in a table row's cells that CommonMark drops, unread.
_UNREAD = re.compile(r"[<\[\]{]")
#: The characters a reading escapes inside a paragraph, a heading or a table cell.
_MARKS = {mark: re.compile(re.escape(mark)) for mark in "<{[]`"}
_FOUND = "vatui-found"


def prose(text: str, depth: int, *, allow_html: bool = False) -> str:
    """A provider's markdown, kept as markdown but unable to break the chapter around it.

    ``depth`` is the level of the heading the text sits under. What could go wrong, and what
    is done about it:

    * a heading at the wrong level (``# Results`` in an assessment would stand beside the
      chapter heading, in the outline and in Word's table of contents): every heading is moved
      below ``depth``, keeping the text's own nesting (``#`` becomes ``depth + 1``, ``##``
      ``depth + 2``; past level six it becomes a bold line);
    * a block that never ends (an unclosed code fence or HTML comment would swallow the rest of
      the chapter): an unclosed fence is closed, and a raw HTML block that runs on is shown as
      text;
    * raw HTML, which a renderer passes on to the page (``<script>``, ``<img onerror=...>``):
      unless ``allow_html``, every ``<`` that could open a tag is backslash-escaped outside code
      and autolinks, so that renderers show it, and so is a ``{`` opening pandoc attributes with
      a value or a raw block (``[x](y){onclick=...}``, ```` `<b>`{=html} ````);
    * a link that runs code: a link, image, autolink or link definition whose scheme is not in
      ``LINK_SCHEMES`` (``javascript:``) is shown as text, its brackets escaped;
    * a ``---`` line followed by text, which pandoc reads as a YAML metadata block (hiding what
      follows, or failing on it): it is written ``***``, the same rule;
    * where pandoc's own markdown reads a text otherwise than CommonMark (a ``~~~`` fence or one
      with a long info string, cells past a table's header, ``]:`` and backtick runs that pandoc
      pairs across blocks): fences are written as ``_Fence`` says, and those characters
      escaped. Some such differences remain (a code span across a lazy line that starts with a
      tag): convert the chapter with ``pandoc -f gfm``, the markdown it is written in.

    A text too deeply nested to be read to its end is shown as a code block. The time taken is
    in proportion to the text: a few readings of it, whatever it holds.
    """
    lines = clean(text).split("\n")
    written = [index for index, line in enumerate(lines) if line.strip()]
    if not written:
        return ""
    body = original = "\n".join(lines[written[0] : written[-1] + 1])
    for _ in range(_READINGS):
        reading = _read(body, allow_html)
        if reading is None:
            break
        changes, tokens = reading
        if not changes:
            return _demoted(body, tokens, depth)
        body = _changed(body, changes)
    return _as_code(original)


def _read(body: str, allow_html: bool) -> tuple[list[tuple[int, int, str]], list[Token]] | None:
    """What must change in ``body``, as (start, end, new text) in order, and the tokens it was
    read as (those of ``body`` as it is, when nothing must change); None if the parser cannot
    read it to its end."""
    source = f"{body}\n\n{_SENTINEL}"
    found = _Found(source, allow_html)
    try:
        tokens = _reader(allow_html).parse(source, {_FOUND: found})
    except RecursionError:
        return None
    if found.unreadable or any(token.level >= _MAX_NESTING - 1 for token in tokens):
        return None
    # Which top-level block runs on into the sentinel, if any: all else was ended while reading,
    # and a fence is closed with the others.
    last = [token for token in tokens if token.level == 0 and token.nesting >= 0][-1]
    if (not last.map or last.map[0] != body.count("\n") + 2) and last.type != "fence":
        return None
    found.rewrite_fences(len(body))
    return [(start, end, new) for start, (end, new) in sorted(found.changes.items())], tokens


def _changed(body: str, changes: list[tuple[int, int, str]]) -> str:
    parts, done = [], 0
    for start, end, new in changes:
        parts += [body[done:start], new]
        done = end
    return "".join([*parts, body[done:]])


def _as_code(body: str) -> str:
    """``body`` as a code block: shown as it is, read as nothing."""
    fence = "~" * max(3, max((len(run) for run in re.findall(r"~+", body)), default=0) + 1)
    return f"{fence}\n{body}\n{fence}"


def _demoted(body: str, tokens: list[Token], depth: int) -> str:
    """``body`` with every heading (found in ``tokens``, what it was read as) rewritten one
    level below ``depth`` per level of its own, as an ATX heading.

    A setext heading (text underlined with ``===`` or ``---``) becomes an ATX one too: it is the
    same heading, and its level can then go past two.
    """
    lines = body.split("\n")
    kept: list[str] = []
    done = 0
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or not token.map:
            continue
        first, end = token.map
        kept += lines[done:first]
        prefix = _CONTAINER.match(lines[first])
        start = prefix.group() if prefix else ""
        text = " ".join(tokens[index + 1].content.split("\n"))
        level = depth + int(token.tag[1:])
        if level <= DEEPEST_HEADING:
            kept.append(f"{start}{'#' * level} {text}".rstrip())
        else:  # too deep for markdown: a bold line, kept apart from the text that follows
            kept += [f"{start}**{text}**"] if text else []
            kept.append(_continuation(start))
        done = end
    return "\n".join(kept + lines[done:])


def _continuation(prefix: str) -> str:
    """The prefix that continues a container on the next line: list markers become spaces."""
    return _LIST_MARKER.sub(lambda match: " " * len(match.group()), prefix).rstrip()


def _safe_link(url: str, *, picture: bool = False) -> bool:
    """Whether a link to ``url`` may be followed: no scheme, or one of ``LINK_SCHEMES`` (read
    as a browser would, entities and escapes decoded)."""
    plain = _URL_DROPPED.sub("", unquote(unescape(url))).lstrip(_URL_LEADING)
    scheme = _SCHEME.match(plain)
    if scheme is None:
        return True
    return scheme.group(1).lower() in LINK_SCHEMES or (
        picture and _PICTURE.match(plain) is not None
    )


def _escaped(text: str, position: int) -> bool:
    """Whether the character at ``position`` is backslash-escaped."""
    start = position
    while start and text[start - 1] == "\\":
        start -= 1
    return (position - start) % 2 == 1


# ---- reading a provider's text --------------------------------------------------------------
#
# One reading is one parse, by markdown-it with some rules wrapped: a wrapped rule that meets
# something to change notes where it is and, where it can, answers as the rule would once the
# change is made (an escaped ``<`` opens no HTML block), so that one reading finds everything.
# Block rules see the text itself; inline rules see a paragraph's, heading's or cell's text
# without its containers' marks, so what they note is found in the text by counting: the n-th
# ``<`` of a paragraph is the n-th ``<`` of its lines, since no container mark is a ``<``.


@dataclass(frozen=True)
class _Fence:
    """A fenced code block as read, to be written the one way that pandoc's own markdown reads
    as CommonMark does: fenced with backticks (pandoc takes a ``~~~`` fence after a paragraph
    line for text), more than any run of backticks in the text has (so that, were it read as
    text, its fences would pair as a code span with nothing inside it escaping), the info
    string cut to a language's name (pandoc takes a fence with more for text), and closed
    (a fence left open would run on, in the chapter or in pandoc's reading of it)."""

    #: Where its fence starts and its first line ends; what to keep after the fence.
    opening: tuple[int, int]
    language: str
    #: Where its closing fence starts and ends, if it has one.
    closing: tuple[int, int] | None
    #: Where its last line ends, and what continues its container on a line of its own.
    last: int
    prefix: str
    top_level: bool
    #: The blank line to put before it, when it follows a paragraph with backticks: pandoc
    #: would pair them with backticks after the fence's first line, a code span across it.
    blank_before: str | None = None


class _Found:
    """What one reading found to change, by where it starts in the text read."""

    def __init__(self, source: str, allow_html: bool) -> None:
        self.source = source
        self.allow_html = allow_html
        self.changes: dict[int, tuple[int, str]] = {}
        self.unreadable = False
        #: Positions noted in the inline text being read, and where each inline reading of
        #: it (an image's description is read on its own) starts in it, by ``id`` of its state.
        self.marks: list[int] = []
        self.bases: dict[int, int] = {}
        self.next_base = 0
        self.fences: list[_Fence] = []
        self._line_starts: list[int] | None = None
        self._last_ends: dict[int, int] = {}

    def escape(self, position: int) -> None:
        self.changes[position] = (position, "\\")

    def mark(self, state: StateInline, position: int) -> None:
        self.marks.append(self.bases.get(id(state), 0) + position)

    @property
    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            newlines = (found.end() for found in re.finditer("\n", self.source))
            self._line_starts = [0, *newlines]
        return self._line_starts

    def rewrite_fences(self, end: int) -> None:
        """Note the changes that write every fence as ``_Fence`` says; ``end`` is where the
        text read ends (a fence open at the top level runs on to it)."""
        marked = {block.opening[0] for block in self.fences}
        marked |= {block.closing[0] for block in self.fences if block.closing}
        runs = (run for run in re.finditer("`+", self.source) if run.start() not in marked)
        marks = "`" * max(3, max((len(run.group()) for run in runs), default=0) + 1)
        for block in self.fences:
            start, line_end = block.opening
            line_start = self.line_starts[bisect_right(self.line_starts, start) - 1]
            opening = marks + block.language
            if block.blank_before is not None and line_start == start:
                self.changes[start] = (line_end, f"{block.blank_before}\n{opening}")
            elif self.source[start:line_end] != opening:
                self.changes[start] = (line_end, opening)
            if block.blank_before is not None and line_start < start:
                self.changes[line_start] = (line_start, f"{block.blank_before}\n")
            if block.closing:
                if self.source[slice(*block.closing)] != marks:
                    self.changes[block.closing[0]] = (block.closing[1], marks)
            elif block.top_level:
                self.changes[end] = (end, "\n" + marks)
            else:
                self.changes[block.last] = (block.last, "\n" + block.prefix + marks)

    def runs_on(self, state: StateBlock, line: int, kind: int) -> bool:
        """Whether the HTML block of ``kind`` (an index of ``HTML_SEQUENCES``) at ``line`` would
        run on to the end of the text: a top-level block of the kinds that end only at their
        closing sequence (a comment's ``-->``), with none on that line or after it."""
        if kind > 4 or state.level > 0:
            return False
        if kind not in self._last_ends:
            last = -1
            for last_found in HTML_SEQUENCES[kind][1].finditer(self.source):
                last = last_found.start()
            self._last_ends[kind] = bisect_right(self.line_starts, last) - 1 if last >= 0 else -1
        return self._last_ends[kind] < line

    def locate(self, content: str, region: tuple[int, int], before: Counter[str]) -> None:
        """Note, as changes to the text, the marks made while reading ``content``, the inline
        text of lines ``region``, after the inline texts whose marks are counted in ``before``
        (a table row's cells share their line)."""
        first, end = region
        starts = self.line_starts
        low, high = starts[first], starts[end] if end < len(starts) else len(self.source)
        in_content: dict[str, list[int]] = {}
        in_source: dict[str, list[int]] = {}
        for position in sorted(set(self.marks)):
            mark = content[position] if position < len(content) else ""
            if mark not in _MARKS:
                self.unreadable = True
                return
            if mark not in in_content:
                in_content[mark] = [found.start() for found in _MARKS[mark].finditer(content)]
                found = _MARKS[mark].finditer(self.source, low, high)
                in_source[mark] = [match.start() for match in found]
            index = before[mark] + bisect_left(in_content[mark], position)
            if index >= len(in_source[mark]):
                self.unreadable = True
                return
            self.escape(in_source[mark][index])


def _found(env: EnvType) -> _Found:
    found = env[_FOUND]
    assert isinstance(found, _Found)
    return found


class _InlineReader(ParserInline):
    """Reads inline text as markdown-it does, keeping where each reading starts in the text of
    its paragraph: an image's description is read on its own, from where the image left off."""

    def parse(self, src: str, md: MarkdownIt, env: EnvType, tokens: list[Token]) -> list[Token]:
        found = _found(env)
        state = StateInline(src, md, env, tokens)
        found.bases[id(state)] = found.next_base
        found.next_base = 0
        try:
            self.tokenize(state)
            for rule in self.ruler2.getRules(""):
                rule(state)
        finally:
            del found.bases[id(state)]
        return state.tokens


class _Reader(MarkdownIt):
    """CommonMark with tables, as the chapter is read, with the rules that note what to change.

    Every link is read whatever its scheme (markdown-it would leave a ``javascript:`` one as
    text, pandoc would not), to be judged by ``_safe_link``.
    """

    def __init__(self, allow_html: bool) -> None:
        super().__init__("commonmark", {"maxNesting": _MAX_NESTING})
        self.enable("table")
        inline = _InlineReader()
        inline.ruler, inline.ruler2 = self.inline.ruler, self.inline.ruler2
        self.inline = inline
        for name, rule in [
            ("html_block", _html_block),
            ("reference", _reference),
            ("fence", _fence),
            ("hr", _hr),
            ("table", _table_rows),
        ]:
            _replace(self.block.ruler, name, rule)
        for name, inline_rule in [
            ("link", _link),
            ("image", _image),
            ("autolink", _autolink),
            ("backticks", _backticks),
        ]:
            _replace(self.inline.ruler, name, inline_rule)
        if not allow_html:
            _replace(self.inline.ruler, "html_inline", _tag)
        self.inline.ruler.push("leftover", _leftover)
        self.core.ruler.at("inline", _read_inlines)

    def validateLink(self, url: str) -> bool:  # noqa: N802 (markdown-it's name)
        return True


@cache
def _reader(allow_html: bool) -> _Reader:
    return _Reader(allow_html)


R = TypeVar("R")


def _replace(ruler: Ruler[R], name: str, rule: R) -> None:
    """Put ``rule`` in the place of the rule ``name``, in the same chains."""
    alt = next(item.alt for item in ruler.__rules__ if item.name == name)
    ruler.at(name, rule, {"alt": alt})


def _read_inlines(state: StateCore) -> None:
    """Read every inline text, as markdown-it's core rule does, and locate what was noted."""
    found = _found(state.env)
    region: tuple[int, int] | None = None
    before: Counter[str] = Counter()
    for token in state.tokens:
        if token.type != "inline":
            continue
        if token.map is None:
            found.unreadable = True
            return
        if region != (token.map[0], token.map[1]):
            region, before = (token.map[0], token.map[1]), Counter()
        found.marks = []
        token.children = []
        state.md.inline.parse(token.content, state.md, state.env, token.children)
        if any(child.level >= _MAX_NESTING - 1 for child in token.children):
            found.unreadable = True
        if found.marks:
            found.locate(token.content, region, before)
        for mark in _MARKS:
            before[mark] += token.content.count(mark)


# Block rules: ``state.src`` is the text read, so positions are found where they are.


def _html_kind(state: StateBlock, line: int, silent: bool) -> int | None:
    """Which of ``HTML_SEQUENCES`` starts an HTML block at ``line``, as ``html_block`` finds it
    (None where it would find none, or where one cannot end the paragraph it would interrupt)."""
    if state.is_code_block(line):
        return None
    start, end = state.bMarks[line] + state.tShift[line], state.eMarks[line]
    if not state.src.startswith("<", start, end):
        return None
    text = state.src[start:end]
    # A line that would continue a paragraph lazily (outdented from its list item or quote):
    # pandoc's CommonMark reader ends the paragraph there even for a tag of its own.
    lazy = state.sCount[line] < state.blkIndent
    for kind, (opening, _, interrupts) in enumerate(HTML_SEQUENCES):
        if opening.search(text):
            return kind if interrupts or lazy or not silent else None
    return None


def _html_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """An HTML block is shown as text (its ``<`` escaped) unless HTML is allowed and it ends."""
    found = _found(state.env)
    kind = _html_kind(state, start, silent)
    if kind is not None and (not found.allow_html or found.runs_on(state, start, kind)):
        found.escape(state.bMarks[start] + state.tShift[start])
        return False
    return html_block(state, start, end, silent)


def _reference(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A link definition to an unsafe place is shown as text, and so links to it are none; and
    so is a line that looks like one but is none in CommonMark, which pandoc may read as one."""
    references = state.env.get("references", {})
    known, twice = len(references), len(state.env.get("duplicate_refs", []))
    begin = state.bMarks[start] + state.tShift[start]
    if not reference(state, start, end, silent):
        if not silent:
            _undefine(state, begin, state.eMarks[start], defined=False)
        return False
    if silent:
        return True
    references = state.env["references"]
    duplicates = state.env.get("duplicate_refs", [])
    if len(references) > known:
        defined = references[next(reversed(references))]
    elif len(duplicates) > twice:
        defined = duplicates[-1]
    else:
        return True
    if _safe_link(str(defined["href"])):
        return True
    if len(references) > known:
        references.popitem()
    else:
        duplicates.pop()
    state.line = start
    _undefine(state, begin, state.eMarks[start], defined=True)
    return False


def _undefine(state: StateBlock, begin: int, end: int, *, defined: bool) -> None:
    """Escape the brackets of a link definition at ``begin`` (``defined``), or of what pandoc
    could read as one: both, or pandoc pairs the ``]:`` with a ``[`` paragraphs before (and
    drops the text between)."""
    found = _found(state.env)
    label = _DEFINITION.match(state.src, begin, end)
    if label is not None or defined:
        found.escape(begin)
    if label is not None:
        found.escape(label.end() - 2)


def _fence(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Every fence is noted, to be written the one way that pandoc reads as CommonMark does
    (see ``_Fence``)."""
    if not fence(state, start, end, silent):
        return False
    if silent:
        return True
    found = _found(state.env)
    token = state.tokens[-1]
    after = token.map[1] if token.map else start + 1
    opening = state.bMarks[start] + state.tShift[start]
    marks = opening + len(token.markup)
    rest = state.src[marks : state.eMarks[start]]
    words = rest.split()
    space = rest[: len(rest) - len(rest.lstrip())]
    language = space + words[0] if words and _LANGUAGE.fullmatch(words[0]) else ""
    closing = None
    if after - 1 > start:
        begin = state.bMarks[after - 1] + state.tShift[after - 1]
        closer = state.src[begin : state.eMarks[after - 1]].rstrip()
        if len(closer) >= len(token.markup) and closer == token.markup[0] * len(closer):
            closing = (begin, begin + len(closer))
    prefix = state.src[found.line_starts[start] : opening]
    before = state.tokens[-3] if len(state.tokens) > 2 else None
    interrupts = (
        before is not None
        and before.type == "inline"
        and before.map is not None
        and before.map[1] == start
        and "`" in before.content
    )
    found.fences.append(
        _Fence(
            (opening, state.eMarks[start]),
            language,
            closing,
            state.eMarks[after - 1],
            _LIST_MARKER.sub(lambda match: " " * len(match.group()), prefix),
            state.level == 0,
            _continuation(prefix) if interrupts else None,
        )
    )
    return True


def _table_rows(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A table row's cells past the header's are dropped by CommonMark, unread: what they hold
    that could start a tag, a link or attributes is escaped, for a reader that shows them."""
    count = len(state.tokens)
    if not table(state, start, end, silent):
        return False
    if silent:
        return True
    found = _found(state.env)
    tokens = state.tokens[count:]
    columns = sum(token.type == "th_open" for token in tokens)
    rows = [token.map[0] for token in tokens if token.type == "tr_open" and token.map]
    for line in rows[1:]:
        begin = state.bMarks[line] + state.tShift[line]
        text = state.src[begin : state.eMarks[line]]
        trimmed = text.strip(_TRIMMED)
        begin += len(text) - len(text.lstrip(_TRIMMED))
        excess = _excess_cells(trimmed, columns)
        if excess is not None:
            for mark in _UNREAD.finditer(state.src, begin + excess, begin + len(trimmed)):
                if not _escaped(state.src, mark.start()):
                    found.escape(mark.start())
    return True


def _excess_cells(row: str, columns: int) -> int | None:
    """Where the cells past the first ``columns`` of a table row start, as markdown-it splits
    a row (at each ``|`` not after a ``\\``, an empty first and last cell dropped)."""
    pipes = [
        index for index, mark in enumerate(row) if mark == "|" and row[index - 1 : index] != "\\"
    ]
    starts = [0] + [pipe + 1 for pipe in pipes]
    if pipes and pipes[0] == 0:
        starts.pop(0)
    return starts[columns] if len(starts) > columns else None


def _hr(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A ``---`` rule followed by text is written ``***``: pandoc would read a YAML block."""
    if not hr(state, start, end, silent):
        return False
    begin = state.bMarks[start] + state.tShift[start]
    line = state.src[begin : state.eMarks[start]]
    if not silent and line.rstrip() == "---" and not state.isEmpty(start + 1):
        _found(state.env).changes[begin] = (begin + 3, "***")
    return True


# Inline rules: positions are in the inline text, noted with ``_Found.mark``.


def _tag(state: StateInline, silent: bool) -> bool:
    """In the place of ``html_inline``: a ``<`` that could open a tag is text, escaped."""
    if _TAG.match(state.src, state.pos):
        _found(state.env).mark(state, state.pos)
    return False


def _leftover(state: StateInline, silent: bool) -> bool:
    """Last of all, at a character no rule took: a ``{`` opening pandoc attributes with a value
    is escaped, and so is a ``]`` that pandoc could pair with a ``[`` that CommonMark does not
    (one in another block): before ``(`` and an unsafe link, or before ``:`` (pandoc would read
    a link definition, dropping the text from that ``[`` on)."""
    found = _found(state.env)
    mark = state.src[state.pos]
    if mark == "{" and not found.allow_html:
        if _ATTRIBUTES.match(state.src, state.pos, state.posMax):
            found.mark(state, state.pos)
    elif mark == "]" and not silent:
        target = _DESTINATION.match(state.src, state.pos + 1, state.posMax)
        if state.src.startswith(":", state.pos + 1) or (target and not _safe_link(target.group(1))):
            found.mark(state, state.pos)
    return False


def _backticks(state: StateInline, silent: bool) -> bool:
    """A run of backticks that opens no code span is text in CommonMark, but pandoc would read
    its last backtick as opening one (and a tag after it as HTML): it is escaped. Not on a line
    that starts with three backticks or more, though, but for those: pandoc's CommonMark reader
    would read the line as a fence if the backticks after them were escaped."""
    start, count = state.pos, len(state.tokens)
    if not backtick(state, silent):
        return False
    if not silent and len(state.tokens) == count and state.pos - start > 1:
        line = state.src.rfind("\n", 0, start) + 1
        head = state.src[line:start]
        if not head.strip(" \t") or not state.src.startswith(
            "```", line + len(head) - len(head.lstrip(" \t"))
        ):
            found = _found(state.env)
            for position in range(start, state.pos):
                found.mark(state, position)
    return True


def _autolink(state: StateInline, silent: bool) -> bool:
    """An autolink to an unsafe place is text, its ``<`` escaped."""
    start = state.pos
    if not autolink(state, True):
        return False
    url, state.pos = state.src[start + 1 : state.pos - 1], start
    if _safe_link(url):
        return autolink(state, silent)
    _found(state.env).mark(state, start)
    return False


def _link(state: StateInline, silent: bool) -> bool:
    """A link to an unsafe place: its brackets are escaped, so that it is text."""
    start, count = state.pos, len(state.tokens)
    if not link(state, silent):
        return False
    if not silent:
        opened = [token for token in state.tokens[count:] if token.type == "link_open"]
        if opened and not _safe_link(str(opened[0].attrs.get("href", ""))):
            _unlink(state, start, disable_nested=True)
    return True


def _image(state: StateInline, silent: bool) -> bool:
    """An image from an unsafe place: its brackets are escaped, so that it is text; its
    description is read on its own, from just after ``![``."""
    if silent:
        return image(state, True)
    found = _found(state.env)
    start = state.pos
    found.next_base = found.bases.get(id(state), 0) + start + 2
    try:
        shown = image(state, False)
    finally:
        found.next_base = 0
    if shown:
        picture = state.tokens[-1]
        if not _safe_link(str(picture.attrs.get("src", "")), picture=True):
            _unlink(state, start + 1, disable_nested=False)
    return shown


def _unlink(state: StateInline, start: int, *, disable_nested: bool) -> None:
    """Mark the brackets of the link label at ``start``: both, so that no bracket before it
    can take its ``](`` as its own."""
    found = _found(state.env)
    found.mark(state, start)
    end = parseLinkLabel(state, start, disable_nested)
    if end >= 0:
        found.mark(state, end)


__all__ = [
    "HEADING_LEVELS",
    "LIGHT_STYLES",
    "LINK_SCHEMES",
    "SECTIONS",
    "ReportSource",
    "prose",
    "render_report",
]
