"""The project's calendar: the dated stage of each installation, the periods' cut-offs, the
project's name and light thresholds, and the chapters issued for a period.

A period is judged as of its cut-off, so each of these is kept with its date: a stage change
is an event from a date (``stage_events``, only ever added to), and an issued chapter is kept as
the exact text that went out (``issued_chapters``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace
from typing import Any

from vatui.store import rows
from vatui.store.asof import event_at
from vatui.store.core import writes
from vatui.store.edits import Edits
from vatui.store.errors import InvalidValue
from vatui.store.models import STAGES, Change, IssuedChapter, Project, StageEvent
from vatui.store.periods import Period
from vatui.store.validation import as_date, check_name, checked_thresholds

#: ``planned`` left out of ``set_stage``: the planned production date stays as it was.
KEEP: Any = object()


class Timeline(Edits):
    """The calls of ``Store`` that keep what was true when."""

    @writes
    def set_stage(
        self,
        actor: str,
        installation: str,
        stage: str | None = None,
        on: dt.date | str | None = None,
        *,
        planned: dt.date | str | None = KEEP,
        source: str = "",
    ) -> StageEvent:
        """Record that from ``on`` (default today) the installation is at ``stage`` (default:
        the stage it had then) with the planned production date ``planned`` (default: the one
        it had then; None clears it). Its providers or the leader; never a date after today."""
        item = self.installation(installation)
        name = self.require_provider(actor, item, "change the deployment stage")
        since = as_date(on, "from (date)") or self.today()
        if since > self.today():
            raise InvalidValue("from (date)", since.isoformat(), "a date not after today")
        events = self.stage_events(item.id)
        before = event_at(events, since)
        new_stage = stage if stage is not None else (before.stage if before else STAGES[0])
        if new_stage not in STAGES:
            raise InvalidValue("stage", new_stage, f"one of: {', '.join(STAGES)}")
        kept = before.planned_production if before else None
        new_planned = kept if planned is KEEP else as_date(planned, "planned production")
        event = StageEvent(0, item.id, since, new_stage, new_planned, name, self.clock())
        table = self.db.table("stage_events")
        event_id = table.insert(
            {k: v for k, v in rows.STAGE_EVENTS.dump(event).items() if k != "id"}
        )
        event = replace(event, id=int(event_id.last_pk or 0))
        latest = event_at([*events, event], dt.date.max)
        assert latest is not None  # the event just added is one
        self.db.table("installations").update(
            item.id,
            {
                "stage": latest.stage,
                "planned_production": rows.from_date(latest.planned_production),
                "version": self.next_version(),
            },
        )
        changes = {
            "stage": (before.stage if before else STAGES[0], new_stage),
            "planned_production": (kept, new_planned),
        }
        self.record_change(
            name,
            "stage_events",
            f"{item.id}/{since.isoformat()}",
            item.id,
            {"since": (None, since)} | {k: v for k, v in changes.items() if v[0] != v[1]},
            source,
        )
        self.forget()
        return event

    @writes
    def set_cutoff(
        self, actor: str, period: str, cutoff: dt.date | str | None, *, source: str = ""
    ) -> Period:
        """Set the date a period is judged at (leader only); None goes back to the default,
        the day after the period ends. Not before the period's first day."""
        name = self.require_leader(actor, "set a period's cut-off")
        span = self.period(period)
        day = as_date(cutoff, "cut-off")
        if day is not None and day < span.start_date:
            raise InvalidValue(
                "cut-off", day.isoformat(), f"a date from the period's start ({span.start_date})"
            )
        old = span.cutoff if span.cutoff_set else None
        if old == day:
            return span
        self.db.table("periods").update(span.label, {"cutoff": rows.from_date(day)})
        self.record_change(name, "periods", span.label, None, {"cutoff": (old, day)}, source)
        self.forget()
        return self.period(span.label)

    @writes
    def rename_project(self, actor: str, new_name: str, *, source: str = "") -> Project:
        """Give the project another name (leader only); the history keeps the old one."""
        name = self.require_leader(actor, "rename the project")
        text = new_name.strip()
        if not text:
            raise InvalidValue("project name", new_name, "a name, not empty")
        check_name("project name", text)
        return self._set_project(name, {"name": text}, source)

    @writes
    def set_thresholds(
        self, actor: str, green: float, amber: float, *, source: str = ""
    ) -> Project:
        """Set the shares of its target at which a metric turns green and amber (leader only):
        the project's, so that everyone sees the same lights."""
        name = self.require_leader(actor, "set the light thresholds")
        green, amber = checked_thresholds(green, amber)
        return self._set_project(name, {"green_at": green, "amber_at": amber}, source)

    def _set_project(self, actor: str, fields: dict[str, Any], source: str) -> Project:
        current = self.project()
        new = replace(current, **fields)
        changes = {
            k: (getattr(current, k), v) for k, v in fields.items() if getattr(current, k) != v
        }
        if changes:
            self.db.table("project").update(1, {k: v for k, (_, v) in changes.items()})
            self.record_change(actor, "project", "project", None, changes, source)
            self.forget()
        return new

    @writes
    def issue_chapter(
        self, actor: str, period: str, text: str, *, source: str = ""
    ) -> IssuedChapter:
        """Keep ``text`` as the chapter issued for ``period`` (leader only), with its cut-off,
        its SHA-256, who and when; ``issued_chapters`` never changes once written."""
        name = self.require_leader(actor, "issue the chapter")
        span = self.period(period)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        chapter = IssuedChapter(0, span.label, span.as_of, digest, name, self.clock(), text)
        dumped = {k: v for k, v in rows.ISSUED.dump(chapter).items() if k != "id"}
        chapter_id = self.db.table("issued_chapters").insert(dumped).last_pk
        self.record_change(
            name, "issued_chapters", span.label, None, {"sha256": (None, digest)}, source
        )
        return replace(chapter, id=int(chapter_id or 0))

    def changes_since_issue(self, period: str) -> list[Change]:
        """The recorded changes since the period's latest issued chapter that could make
        today's export of it differ: its own figures, texts and review, the definitions every
        chapter shows, and dated events on or before its cut-off. Oldest first."""
        span = self.period(period)
        issued = self.db.execute(
            "select max(id) from history where table_name = 'issued_chapters' and row_key = ?",
            [span.label],
        ).fetchone()[0]
        if issued is None:
            return []
        later = self.db.table("history").rows_where("id > ?", [issued], order_by="id")
        delays = {str(entry.id): entry.recorded for entry in self.delays()}
        return [change for change in map(rows.HISTORY.load, later) if touches(change, span, delays)]


#: Tables whose every change shows in every period's chapter.
DEFINITIONS = {"installations", "sites", "metrics", "milestones", "project"}


def touches(change: Change, period: Period, delays: dict[str, dt.date]) -> bool:
    """Whether a recorded change can alter ``period``'s chapter, judged as of its cut-off."""
    cutoff = period.as_of
    parts = change.row.split("/")
    if change.table in ("metric_values", "assessments", "reviews"):
        return parts[-1] == period.label
    if change.table == "periods":
        return change.row == period.label
    if change.table == "stage_events":
        return dt.date.fromisoformat(parts[-1]) <= cutoff
    if change.table == "delays":
        recorded = delays.get(change.row)
        return recorded is not None and recorded <= cutoff
    if change.table == "milestones" and change.field == "achieved":
        return any(day and dt.date.fromisoformat(day) <= cutoff for day in (change.old, change.new))
    return change.table in DEFINITIONS
