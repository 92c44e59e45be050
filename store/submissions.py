"""Submission files: a provider's figures and texts for one installation and period, in TOML.

A provider who does not run vatui fills in a template (``exports/submission.py`` writes it)
and sends it back. ``read_submission`` checks the whole file against the store and the
provider's rights before anything is written, and either refuses it with every problem as
``FILE:LINE: message`` or returns what would change, old and new. ``apply_submission`` then
writes it all in one transaction through the store's own write methods, so that permissions,
the review lock and history apply exactly as they do in the app; ``import_submission`` submits
it for review in that same transaction. A value left empty keeps what the store has; a file
imported twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vatui.store import plausibility
from vatui.store.countries import format_countries
from vatui.store.errors import InvalidValue, NotFound, PermissionDenied, StoreError
from vatui.store.models import ASSESSMENT_LABELS, Installation, Metric, Value
from vatui.store.numbers import format_count
from vatui.store.periods import parse_date
from vatui.store.reviews import SUBMITTED, ReviewEntry
from vatui.store.store import Store
from vatui.store.text import NOTE_LIMIT, TEXT_LIMIT, check_text, shorten
from vatui.store.tomllines import TomlSyntaxError, key_lines, line_of, parse_toml
from vatui.store.validation import parse_value

TOP_KEYS = ("installation", "period", "metric", "assessment", "delay")
METRIC_KEYS = ("name", "id", "value", "note")
ASSESSMENT_KEYS = ("site", "assessment", "delay", "planning")
DELAY_KEYS = ("reason", "replanned")
Parsed = tuple[float | None, tuple[str, ...] | None, str | None]


@dataclass(frozen=True)
class PlannedChange:
    """One change an import would make: where in the file, what, the old and the new text, and
    why the new value looks implausible (``store/plausibility.py``), if it does."""

    line: int
    what: str
    old: str
    new: str
    implausible: str = ""


@dataclass
class Submission:
    """A checked submission file: the changes it makes, and the writes that make them."""

    source: str
    actor: str
    installation: str
    period: str
    changes: list[PlannedChange] = field(default_factory=list)
    writes: list[Callable[[], object]] = field(default_factory=list, repr=False)
    adds_delay: bool = False


class SubmissionRefused(StoreError):
    """A submission file with problems; ``problems`` holds each as ``FILE:LINE: message``."""

    def __init__(self, source: str, problems: list[tuple[int, str]]) -> None:
        ordered = sorted(problems, key=lambda problem: problem[0])
        self.problems = [f"{source}:{line}: {message}" for line, message in ordered]
        super().__init__("\n".join(self.problems))


# ---- values as a file holds them ----------------------------------------------------------


def read_value(metric: Metric, raw: Any) -> Parsed | None:
    """A file's entry for a metric as (number, countries, text); None when left empty.

    Counts take a TOML number or text such as "2,075,958"; countries take text ("Belgium,
    FR") or a list of names or codes; text metrics take text. Anything else is the wrong kind.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if metric.kind == "count" and isinstance(raw, int | float) and not isinstance(raw, bool):
        return parse_value(metric, str(raw))
    if metric.kind == "countries" and isinstance(raw, list):
        if not all(isinstance(part, str) for part in raw):
            raise InvalidValue(metric.name, raw, _ACCEPTED_BY_KIND["countries"])
        return parse_value(metric, ", ".join(raw)) if raw else (None, (), None)
    if isinstance(raw, str):
        return parse_value(metric, raw)
    raise InvalidValue(metric.name, raw, f"{metric.kind} metric: {_ACCEPTED_BY_KIND[metric.kind]}")


_ACCEPTED_BY_KIND = {
    "count": 'a number such as 1250 or "2,075,958"',
    "countries": 'the countries as text such as "Belgium, France" or a list such as ["BE", "FR"]',
    "text": 'text between quotes, e.g. "researchers and students"',
}


def same_value(parsed: Parsed, value: Value | None) -> bool:
    """Whether a parsed entry says what the store already holds (wording aside)."""
    return value is not None and parsed == (value.number, value.countries, value.text)


def value_text(metric: Metric, value: Value | None) -> str:
    """The text a file holds for ``value``: its wording when that reads back as the same value,
    else the plain figure, so that importing an untouched file changes nothing."""
    if value is None:
        return ""
    candidates = [value.shown]
    if value.number is not None:
        candidates.append(format_count(value.number))
    if value.countries is not None:
        candidates += [format_countries(list(value.countries)), ", ".join(value.countries)]
    for text in candidates:
        try:
            if same_value(read_value(metric, text) or (None, None, None), value):
                return text
        except InvalidValue:
            continue
    return value.text or ""


def _replanned_date(raw: Any) -> dt.date | None:
    """A re-planned date written as text or as a TOML date; None when left empty."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    return parse_date(str(raw), "replanned")


def _brief(text: str | None) -> str:
    """A text on one short line, for showing old → new."""
    return shorten(text, 70, absent="(none)", empty="(empty)")


# ---- reading a file ------------------------------------------------------------------------


def read_submission(store: Store, actor: str, text: str, source: str) -> Submission:
    """Check a submission file and return what importing it would change.

    Raises ``SubmissionRefused`` naming every problem at once; nothing is written either way.
    """
    try:
        data = parse_toml(text).unwrap()
    except TomlSyntaxError as error:
        raise SubmissionRefused(
            source, [(error.line, f"not valid TOML: {error.message}")]
        ) from None
    reader = _Reader(store, actor, source, key_lines(text))
    submission = reader.read(data)
    if reader.problems or submission is None:
        raise SubmissionRefused(source, reader.problems)
    return submission


def apply_submission(store: Store, submission: Submission) -> list[PlannedChange]:
    """Write every change of a checked submission in one transaction: all of it or nothing."""
    with store.transaction():
        for write in submission.writes:
            write()
    return submission.changes


def import_submission(
    store: Store, submission: Submission, *, submit: bool = False, comment: str = ""
) -> ReviewEntry | None:
    """Write a checked submission and, with ``submit``, submit its period for review with
    ``comment``, all in one transaction: a refused submission writes none of the file either.

    Returns the submission's thread entry; None when not asked to submit, or when the period is
    submitted already and the file changed nothing in it.
    """
    with store.transaction():
        apply_submission(store, submission)
        where = (submission.installation, submission.period)
        if not submit or (not submission.changes and store.review_state(*where) == SUBMITTED):
            return None
        return store.review(submission.actor, *where, "submit", comment, source=submission.source)


class _Reader:
    """Walks a parsed submission file, collecting problems with the line each is on."""

    def __init__(self, store: Store, actor: str, source: str, lines: dict[str, int]) -> None:
        self.store = store
        self.actor = actor
        self.source = source
        self.lines = lines
        self.problems: list[tuple[int, str]] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append((line_of(self.lines, path), message))

    def unknown_keys(self, path: str, table: dict[str, Any], known: tuple[str, ...]) -> None:
        for key in table:
            if key not in known:
                where = f"{path}.{key}" if path else key
                shown = f"[{path.split('[')[0]}]" if path else "the top level"
                self.problem(where, f"unknown key {key!r} in {shown}; known: {', '.join(known)}")

    def read(self, data: dict[str, Any]) -> Submission | None:
        self.unknown_keys("", data, TOP_KEYS)
        period = self.read_period(data.get("period"))
        item = self.read_installation(data.get("installation"))
        if item is None:
            return None
        submission = Submission(self.source, self.actor, item.id, period or "")
        entries = self.table_list(data, "metric")
        metrics = self.read_metrics(item, entries)
        sites = self.table_list(data, "assessment")
        texts = self.read_assessments(item, sites)
        delay = self.read_delay(item, data.get("delay"))
        if period is not None and not self.problems:
            for planned in (*metrics, *texts, *delay):
                planned(submission)
            self.check_open(submission, item)
        return submission

    def checked(self, path: str, label: str, text: str, limit: int) -> bool:
        """Whether ``text`` may be stored (``check_text``); if not, the problem is noted."""
        try:
            check_text(label, text, limit=limit)
        except InvalidValue as error:
            self.problem(path, str(error))
            return False
        return True

    def table_list(self, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
        items = data.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            self.problem(key, f"{key} must be written as [[{key}]] tables")
            return []
        return items

    def read_period(self, raw: Any) -> str | None:
        if not isinstance(raw, str) or not raw.strip():
            self.problem("period", 'period: give the reporting period, e.g. period = "M25-M36"')
            return None
        try:
            return self.store.period(raw).label
        except StoreError as error:
            self.problem("period", str(error))
            return None

    def read_installation(self, raw: Any) -> Installation | None:
        if not isinstance(raw, str) or not raw.strip():
            self.problem("installation", 'installation: give its id, e.g. installation = "uc5"')
            return None
        try:
            item = self.store.installation(raw)
        except NotFound as error:
            self.problem("installation", str(error))
            return None
        try:
            self.store.require_provider(self.actor, item, "submit figures")
        except PermissionDenied as error:
            self.problem("installation", str(error))
            return None
        return item

    # Each reader returns callables that add its changes to the submission once the whole file
    # is known to be good; they compare against the store at that moment.

    def read_metrics(
        self, item: Installation, entries: list[dict[str, Any]]
    ) -> list[Callable[[Submission], None]]:
        planned: list[Callable[[Submission], None]] = []
        seen: dict[str, int] = {}
        for n, entry in enumerate(entries):
            path = f"metric[{n}]"
            self.unknown_keys(path, entry, METRIC_KEYS)
            metric = self.find_metric(item, path, entry)
            if metric is None:
                continue
            if metric.id in seen:
                self.problem(path, f"{metric.name!r} is already given in metric[{seen[metric.id]}]")
                continue
            seen[metric.id] = n
            try:
                parsed = read_value(metric, entry.get("value"))
            except InvalidValue as error:
                self.problem(f"{path}.value", str(error))
                continue
            note = entry.get("note")
            if note is not None and not isinstance(note, str):
                self.problem(f"{path}.note", f"note: {note!r} is not text; write it in quotes")
                continue
            if not self.checked(f"{path}.note", "note", note or "", NOTE_LIMIT):
                continue
            planned.append(self.plan_value(path, metric, entry.get("value"), parsed, note))
        return planned

    def find_metric(self, item: Installation, path: str, entry: dict[str, Any]) -> Metric | None:
        key = "id" if entry.get("id") else "name"
        ref = entry.get(key)
        if not isinstance(ref, str) or not ref.strip():
            self.problem(path, "each [[metric]] needs the metric's name (or its id)")
            return None
        metrics = self.store.metrics(item.id)
        wanted = ref.strip().lower()
        found = [m for m in metrics if wanted in (m.id.lower(), m.name.lower())]
        if len(found) == 1:
            return found[0]
        if found:
            ids = ", ".join(m.id for m in found)
            self.problem(f"{path}.{key}", f"{ref!r} names several metrics; give its id: {ids}")
        else:
            known = "; ".join(f"{m.id} ({m.name})" for m in metrics)
            self.problem(f"{path}.{key}", f"{item.id} has no metric {ref!r}; its metrics: {known}")
        return None

    def plan_value(
        self, path: str, metric: Metric, raw: Any, parsed: Parsed | None, note: str | None
    ) -> Callable[[Submission], None]:
        store, actor, label = self.store, self.actor, metric.name
        line, note_line = line_of(self.lines, f"{path}.value"), line_of(self.lines, f"{path}.note")

        def plan(submission: Submission) -> None:
            current = store.value(metric.installation, metric.id, submission.period)
            new_text = None if parsed is None or same_value(parsed, current) else str(raw)
            if isinstance(raw, list):
                new_text = None if new_text is None else ", ".join(raw)
            new_note = note if note and note != (current.note if current else "") else None
            if new_text is None and new_note is None:
                return
            if new_text is not None and parsed is not None:
                old = _brief(current.shown if current else None)
                why = plausibility.check(store, metric, submission.period, parsed[0], parsed[1])
                change = PlannedChange(line, label, old, _brief(new_text), why or "")
                submission.changes.append(change)
            if new_note is not None:
                old_note = current.note if current else None
                change = PlannedChange(
                    note_line, f"{label} (note)", _brief(old_note), _brief(new_note)
                )
                submission.changes.append(change)
            submission.writes.append(
                lambda: store.set_value(
                    actor,
                    metric.installation,
                    metric.id,
                    submission.period,
                    new_text,
                    note=new_note,
                    expected_version=current.version if current else 0,
                    source=submission.source,
                )
            )

        return plan

    def read_assessments(
        self, item: Installation, entries: list[dict[str, Any]]
    ) -> list[Callable[[Submission], None]]:
        planned: list[Callable[[Submission], None]] = []
        seen: set[str | None] = set()
        for n, entry in enumerate(entries):
            path = f"assessment[{n}]"
            self.unknown_keys(path, entry, ASSESSMENT_KEYS)
            try:
                site = self.find_site(item, entry.get("site"))
            except NotFound as error:
                self.problem(f"{path}.site", str(error))
                continue
            if site in seen:
                self.problem(path, f"the assessment of {site or item.id} is given twice")
                continue
            seen.add(site)
            texts = {}
            for key in ASSESSMENT_LABELS:
                text = entry.get(key, "")
                if not isinstance(text, str):
                    self.problem(f"{path}.{key}", f"{key}: write the text between triple quotes")
                elif not self.checked(f"{path}.{key}", ASSESSMENT_LABELS[key], text, TEXT_LIMIT):
                    continue
                elif text.strip():
                    texts[key] = text.strip() + "\n"
            planned.append(self.plan_assessment(path, item, site, texts))
        return planned

    def find_site(self, item: Installation, ref: Any) -> str | None:
        """The site's id, or None for the installation as a whole."""
        if ref is None or ref == "":
            return None
        return self.store.site(item.id, str(ref)).id

    def plan_assessment(
        self, path: str, item: Installation, site: str | None, texts: dict[str, str]
    ) -> Callable[[Submission], None]:
        store, actor = self.store, self.actor
        lines = {key: line_of(self.lines, f"{path}.{key}") for key in texts}

        def plan(submission: Submission) -> None:
            current = store.assessment(item.id, submission.period, site)
            changed = {
                key: text
                for key, text in texts.items()
                if text.strip() != getattr(current, key).strip()
            }
            if not changed:
                return
            for key, text in changed.items():
                what = ASSESSMENT_LABELS[key] + (f" ({site})" if site else "")
                old = _brief(getattr(current, key))
                submission.changes.append(PlannedChange(lines[key], what, old, _brief(text)))
            submission.writes.append(
                lambda: store.set_assessment(
                    actor,
                    item.id,
                    submission.period,
                    site=site,
                    expected_version=current.version,
                    source=submission.source,
                    **changed,
                )
            )

        return plan

    def read_delay(self, item: Installation, entry: Any) -> list[Callable[[Submission], None]]:
        if entry is None:
            return []
        if not isinstance(entry, dict):
            self.problem("delay", "delay must be a [delay] table with reason and replanned")
            return []
        self.unknown_keys("delay", entry, DELAY_KEYS)
        reason, replanned = entry.get("reason", ""), entry.get("replanned", "")
        if not isinstance(reason, str):
            self.problem("delay.reason", "reason: write the reason between quotes")
            return []
        if not self.checked("delay.reason", "reason", reason, NOTE_LIMIT):
            return []
        try:
            date = _replanned_date(replanned)
        except InvalidValue as error:
            self.problem("delay.replanned", str(error))
            return []
        if not reason.strip():
            if date is not None:
                self.problem("delay.reason", "reason: say why production is late (it is empty)")
            return []
        return [self.plan_delay(item, reason.strip(), date)]

    def plan_delay(
        self, item: Installation, reason: str, replanned: dt.date | None
    ) -> Callable[[Submission], None]:
        store, actor = self.store, self.actor
        line = line_of(self.lines, "delay.reason")

        def plan(submission: Submission) -> None:
            if any(
                entry.reason == reason and entry.replanned == replanned
                for entry in store.delays(item.id)
            ):
                return
            shown = reason + (f" (re-planned {replanned.isoformat()})" if replanned else "")
            submission.changes.append(PlannedChange(line, "delay log", "", _brief(shown)))
            submission.adds_delay = True
            submission.writes.append(
                lambda: store.add_delay(
                    actor, item.id, reason, replanned=replanned, source=submission.source
                )
            )

        return plan

    def check_open(self, submission: Submission, item: Installation) -> None:
        """A submitted or accepted period takes no provider changes until the submission is
        withdrawn or the leader reopens it; nor does the delay log while a period of the
        installation waits for review."""
        if not submission.changes:
            return
        actor = self.store.organisation(self.actor)
        try:
            self.store.require_open(actor, item, submission.period)
        except PermissionDenied as error:
            self.problem("period", str(error))
            return
        try:
            if submission.adds_delay:
                self.store.require_no_submission(actor, item)
        except PermissionDenied as error:
            self.problem("delay.reason", str(error))
