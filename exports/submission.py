"""Submission templates: a TOML file a provider fills in without vatui and sends back.

The file holds the installation and period, one ``[[metric]]`` per metric with its current
value, the assessment texts and room for a new delay entry. Comments inside each table say what
to write there (the kind of value, the baseline, how it is measured, last period's value), so
that a provider who has never seen vatui can fill it in. Written onto an existing file, the
template is merged into it: the store's current values replace the file's, everything else the
user wrote (comments included) stays where it was.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

import tomlkit
from tomlkit.items import String, StringType, Table, Trivia
from tomlkit.toml_document import TOMLDocument
from vatui.store import Installation, InvalidValue, Metric, Store, StoreError, Value
from vatui.store.lights import shown_target, target_basis
from vatui.store.models import ASSESSMENT_LABELS
from vatui.store.periods import Period
from vatui.store.submissions import read_value, same_value, value_text
from vatui.store.text import one_line_printable, unicode_escaped
from vatui.store.tomllines import TomlSyntaxError, parse_toml

WIDTH = 95

KIND_HELP = {
    "count": 'write a number: digits, with or without thousands commas, e.g. "2,075,958" or 1250',
    "countries": 'write the countries, by name or ISO code, separated by commas, e.g. "Belgium, '
    'France, IT"; "none" for no countries',
    "text": "write free text",
}

TEXT_HELP = {
    "assessment": "How the service did in the period against its baselines: who used it and how, "
    "what the figures mean. Markdown is fine.",
    "delay": "Only if the service is not in production yet, or is late: why.",
    "planning": "Only if the service is not in production yet: the plan for getting there.",
}


@dataclass(frozen=True)
class _Context:
    """What every part of the template needs to know."""

    store: Store
    installation: Installation
    period: Period
    previous: Period | None


def submission_template(
    store: Store, installation: str, period: str, existing: str | None = None
) -> tuple[str, list[str]]:
    """The template for an installation and period, and notes on what a merge replaced.

    With ``existing`` (the text of a file already there), the store's current values are merged
    into it and the user's own lines are kept.
    """
    item, span = store.installation(installation), store.period(period)
    labels = [p.label for p in store.periods()]
    index = labels.index(span.label)
    previous = store.periods()[index - 1] if index else None
    context = _Context(store, item, span, previous)
    if existing is None:
        return _toml_escaped(tomlkit.dumps(_new_document(context))), []
    merged, notes = _merge(context, existing)
    return _toml_escaped(merged), notes


# ---- a new template -------------------------------------------------------------------------


def _comment(text: str) -> Any:
    """A comment line; stored text in it is shown with its control characters as escapes
    (TOML allows none in a comment, and the file may be printed on a terminal)."""
    return tomlkit.comment(one_line_printable(text))


def _toml_escaped(text: str) -> str:
    """The document with the control characters tomlkit leaves raw in strings (DEL, C1, the
    bidi controls) written as ``\\u`` escapes: the same strings, safe to print."""
    return unicode_escaped(text)


def _comment_lines(text: str, first: str = "", rest: str = "  ") -> list[str]:
    return textwrap.wrap(text, WIDTH - 2, initial_indent=first, subsequent_indent=rest) or [""]


def _add_comments(container: Any, text: str, first: str = "", rest: str = "  ") -> None:
    for line in _comment_lines(text, first, rest):
        container.add(_comment(line))


def _new_document(context: _Context) -> TOMLDocument:
    item, span = context.installation, context.period
    project = context.store.project()
    leader = project.leader
    providers = ", ".join(item.providers) or "its providers"
    document = tomlkit.document()
    for line in [
        f"vatui submission: {item.id} {item.name} (provided by {providers})",
        f"Period {span.label} ({span.calendar_label}) of {project.name} {project.work_package}.",
        "",
        *_review_lines(context),
        "How to fill this in:",
        '- For each [[metric]], write the period\'s figure between the quotes of value = "". The',
        "  lines starting with # above it say what kind of value it takes, its baseline, how it",
        "  is measured and what was reported for the previous period.",
        "- A value already there is what vatui holds now; change it if it is wrong.",
        "- Leave a value empty to keep what vatui has: an empty value never erases anything.",
        '- note = "" takes a short remark kept with the figure, e.g. how it was added up.',
        "- Under [[assessment]], write the texts between the triple quotes.",
        "- Under [delay], add an entry to the delay log only if production is late.",
        "- Do not change installation, period, name or id: they say where each figure goes.",
        "- Add your own comments (lines starting with #) anywhere: vatui keeps them when it",
        "  updates this file.",
        "",
        f"Send the file back to {leader}, who imports it with:",
        f"  vatui submission import --as {item.providers[0] if item.providers else 'ORG'} FILE",
    ]:
        document.add(_comment(line))
    document.add(tomlkit.nl())
    document.add("installation", item.id)
    document.add("period", span.label)
    document.add(tomlkit.nl())
    metrics = tomlkit.aot()
    for metric in context.store.metrics(item.id):
        metrics.append(_metric_table(context, metric))
    document.add("metric", metrics)
    assessments = tomlkit.aot()
    for site in [None, *context.store.sites(item.id)]:
        assessments.append(_assessment_table(context, site.id if site else None))
    document.add("assessment", assessments)
    document.add("delay", _delay_table(context))
    return document


#: What a provider filling in the file should know of each review state.
_STATE_HELP = {
    "draft": "not submitted yet",
    "submitted": "the leader is reviewing it; its providers withdraw the submission before "
    "sending changes",
    "returned": "the leader sent it back: see the comment",
    "accepted": "the leader accepted it; changes need the leader to reopen it first",
}


def _review_lines(context: _Context) -> list[str]:
    """The review state and the leader's latest comment (what to check, after a return), as
    comment lines for the file's head; nothing before the first review step."""
    store, item, span = context.store, context.installation, context.period
    thread = store.review_thread(item.id, span.label)
    if not thread:
        return []
    state = thread[-1].state
    lines = [f"Review: {state} ({_STATE_HELP[state]})."]
    leader = store.project().leader
    said = next(
        (entry for entry in reversed(thread) if entry.actor == leader and entry.comment), None
    )
    if said is not None:
        lines.append(f"The leader's latest comment ({said.actor}, {said.action}, {said.at}):")
        for paragraph in said.comment.splitlines():
            lines += _comment_lines(paragraph)
    return [*lines, ""]


def _metric_table(context: _Context, metric: Metric) -> Table:
    store, span = context.store, context.period
    value = store.value(metric.installation, metric.id, span.label)
    table = tomlkit.table()
    if metric.site:
        site = store.site(metric.installation, metric.site)
        table.add(_comment(f"site: {site.label}"))
    _add_comments(table, KIND_HELP[metric.kind], f"kind: {metric.kind}, ")
    if metric.kind != "text":
        _add_comments(table, _baseline(metric, span), "baseline: ")
    if metric.measured:
        _add_comments(table, metric.measured, "measured: ")
    if context.previous is not None:
        earlier = store.value(metric.installation, metric.id, context.previous.label)
        shown = earlier.shown if earlier else "no value"
        table.add(_comment(f"{context.previous.label} (previous period): {shown}"))
    table.add("name", metric.name)
    table.add("id", metric.id)
    table.add("value", value_text(metric, value))
    table.add("note", value.note if value else "")
    return table


def _baseline(metric: Metric, span: Period) -> str:
    """The baseline as written, and the target beside it where that is not the same figure
    (pro-rated, stated in the project, counted from a list of countries)."""
    shown = (metric.baseline_shown or "none") + (" per year" if metric.per_year else "")
    if target_basis(metric, span):
        return f"{shown}; target {shown_target(metric, span)}"
    return shown


def _multiline(text: str) -> String:
    """A multi-line string that opens on its own line, as people write them by hand."""
    body = tomlkit.string(text, multiline=True).as_string()[3:-3]
    if not body.startswith("\n"):
        body = "\n" + body
    return String(StringType.MLB, text, body, Trivia())


def _assessment_table(context: _Context, site: str | None) -> Table:
    current = context.store.assessment(context.installation.id, context.period.label, site)
    table = tomlkit.table()
    if site is not None:
        table.add(_comment(f"The texts for the site {site} alone."))
        table.add("site", site)
    for key in ASSESSMENT_LABELS:
        _add_comments(table, TEXT_HELP[key], f"{ASSESSMENT_LABELS[key]}: ")
        table.add(key, _multiline(getattr(current, key)))
    return table


def _delay_table(context: _Context) -> Table:
    table = tomlkit.table()
    _add_comments(
        table,
        "A new entry for the delay log, only if production is late or was re-planned: why, and "
        "the new date for production. Leave both empty to add nothing. The log so far (kept in "
        "vatui, never changed):",
    )
    log = context.store.delays(context.installation.id)
    for entry in log:
        replanned = f" (re-planned {entry.replanned.isoformat()})" if entry.replanned else ""
        _add_comments(table, f"{entry.recorded} {entry.author}: {entry.reason}{replanned}", "  ")
    if not log:
        table.add(_comment("  (empty)"))
    table.add("reason", "")
    replanned = tomlkit.item("")
    replanned.comment("YYYY-MM-DD")
    replanned.trivia.comment_ws = "  "
    table.add("replanned", replanned)
    return table


# ---- merging into an existing file -----------------------------------------------------------


def _merge(context: _Context, existing: str) -> tuple[str, list[str]]:
    """The existing file with the store's current values written into it.

    The store wins where it has a value; where it has none the file's entry is kept. Metrics and
    sites the file lacks are added. Each replaced entry is named in the notes.
    """
    try:
        document = parse_toml(existing)
    except TomlSyntaxError as error:
        raise StoreError(
            f"the file is there but is not valid TOML ({error}); "
            "fix it, or write the template to another file"
        ) from None
    item, span = context.installation, context.period
    _check_same_submission(context, document)
    notes: list[str] = []
    metrics = document.setdefault("metric", tomlkit.aot())
    found: set[str] = set()
    for table in metrics:
        metric = _matching_metric(context.store, item, table)
        if metric is not None:
            found.add(metric.id)
            value = context.store.value(item.id, metric.id, span.label)
            notes += _merge_value(metric, value, table)
    for metric in context.store.metrics(item.id):
        if metric.id not in found:
            metrics.append(_appended(_metric_table(context, metric)))
    assessments = document.setdefault("assessment", tomlkit.aot())
    sites = {table.get("site") or None: table for table in assessments}
    for site in [None, *(s.id for s in context.store.sites(item.id))]:
        if site in sites:
            notes += _merge_texts(context, site, sites[site])
        else:
            assessments.append(_appended(_assessment_table(context, site)))
    if "delay" not in document:
        document.add("delay", _delay_table(context))
    return tomlkit.dumps(document), notes


def _appended(table: Table) -> Table:
    """A table added to an existing file, with the blank line a fresh template would have."""
    table.add(tomlkit.nl())
    return table


def _check_same_submission(context: _Context, document: TOMLDocument) -> None:
    """Refuse to merge into a file meant for another installation or period."""
    wanted = f"{context.installation.id} {context.period.label}"
    try:
        found = context.store.installation(str(document.get("installation", "")))
        period = context.store.period(str(document.get("period", ""))).label
    except StoreError:
        found, period = None, ""
    if found is None or found.id != context.installation.id or period != context.period.label:
        shown = f"{document.get('installation', '?')} {document.get('period', '?')}"
        raise StoreError(
            f"the file there is a submission for {shown}, not {wanted}; "
            "write the template to another file"
        )


def _matching_metric(store: Store, item: Installation, table: Table) -> Metric | None:
    ref = str(table.get("id") or table.get("name") or "").strip().lower()
    return next((m for m in store.metrics(item.id) if ref in (m.id.lower(), m.name.lower())), None)


def _merge_value(metric: Metric, value: Value | None, table: Table) -> list[str]:
    """Write the store's value and note into a metric's table; a note when the file differed."""
    if value is None:
        return []
    notes = []
    raw = table.get("value")
    try:
        agrees = same_value(read_value(metric, raw) or (None, None, None), value)
    except InvalidValue:
        agrees = False
    if not agrees:
        if raw not in (None, ""):
            notes.append(f"{metric.name}: the file had {raw!r}, vatui has {value.shown!r}")
        table["value"] = value_text(metric, value)
    if value.note and table.get("note") != value.note:
        if table.get("note"):
            notes.append(f"{metric.name} (note): replaced by vatui's {value.note!r}")
        table["note"] = value.note
    return notes


def _merge_texts(context: _Context, site: str | None, table: Table) -> list[str]:
    current = context.store.assessment(context.installation.id, context.period.label, site)
    notes = []
    for key, label in ASSESSMENT_LABELS.items():
        text = getattr(current, key)
        old = table.get(key)
        if not text.strip() or (isinstance(old, str) and old.strip() == text.strip()):
            continue
        if isinstance(old, str) and old.strip():
            notes.append(f"{label}{f' ({site})' if site else ''}: replaced by vatui's text")
        table[key] = _multiline(text)
    return notes
