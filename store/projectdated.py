"""The dated parts of a project file: each installation's deployment stages, its delay log
and review steps, and the milestones; read by ``projectfile.Reader``, checked the same way.

A stage is an event from a date (``[[installation.deployment]]``: since, stage, planned
production). The older form, ``stage`` and ``planned_production`` on the installation itself,
is still read: it is taken as true from the project's first day, since it carries no date.
"""

from __future__ import annotations

import datetime as dt

from vatui.store.models import STAGES, DelayEntry, Milestone, StageEvent
from vatui.store.periods import month_start
from vatui.store.projecttable import (
    DELAY_KEYS,
    DEPLOYMENT_KEYS,
    MILESTONE_KEYS,
    MONTHS,
    REVIEW_KEYS,
    FileTable,
    one_of,
)
from vatui.store.reviews import RULES, STATES, ReviewEntry
from vatui.store.text import NOTE_LIMIT


class DatedReader:
    """The readers of a project file's dated tables (a part of ``projectfile.Reader``)."""

    start: tuple[int, int]
    milestone_ids: dict[str, int]

    def read_deployment(self, table: FileTable, installation: str) -> list[StageEvent]:
        """The installation's stage events: its ``[[installation.deployment]]`` tables, or the
        undated ``stage`` and ``planned_production`` taken as from the project's first day."""
        stage = table.choice("stage", STAGES)
        planned = table.date("planned_production")
        tables = table.tables("deployment", "one table for each dated stage: since, stage")
        if tables and (stage is not None or planned is not None):
            key = "stage" if stage is not None else "planned_production"
            table.refuse(
                key,
                stage or planned,
                "either [[installation.deployment]] tables or stage and planned_production "
                "on the installation, not both",
            )
        events = [self.read_stage_event(entry, installation) for entry in tables]
        if not tables and (stage is not None or planned is not None):
            first_day = month_start(self.start, 1)
            events.append(StageEvent(0, installation, first_day, stage or STAGES[0], planned))
        return events

    def read_stage_event(self, table: FileTable, installation: str) -> StageEvent:
        table.unknown_keys(DEPLOYMENT_KEYS)
        since = table.date("since", required=True)
        stage = table.choice("stage", STAGES, required=True)
        planned = table.date("planned_production")
        return StageEvent(0, installation, since or dt.date.min, stage or STAGES[0], planned)

    def read_delay(self, table: FileTable, installation: str, sites: list[str]) -> DelayEntry:
        table.unknown_keys(DELAY_KEYS)
        recorded = table.date("recorded", required=True)
        reason = table.text(
            "reason",
            "why production is late, as text",
            single_line=False,
            limit=NOTE_LIMIT,
            required=True,
        )
        replanned = table.date("replanned")
        site = table.site("site", sites, installation)
        author = table.text("author", 'the organisation that recorded it, e.g. "VLIZ"')
        return DelayEntry(
            id=0,
            installation=installation,
            recorded=recorded or dt.date.min,
            reason=reason,
            replanned=replanned,
            site=site or None,
            author=author,
        )

    def read_review(self, table: FileTable, installation: str, periods: list[str]) -> ReviewEntry:
        """One step of an earlier review, kept as written (it is a record, not a request)."""
        table.unknown_keys(REVIEW_KEYS)
        period = table.period("period", periods, self.start, required=True)
        action = table.choice("action", tuple(RULES), required=True)
        state = table.choice("state", STATES, required=True)
        actor = table.text(
            "actor", 'the organisation that took the step, e.g. "VLIZ"', required=True
        )
        at = table.moment("at")
        comment = table.text("comment", "what they said", single_line=False, limit=NOTE_LIMIT)
        return ReviewEntry(
            id=0,
            installation=installation,
            period=period,
            action=action or "",
            state=state or "",
            actor=actor,
            at=at,
            comment=comment,
        )

    def read_milestone(self, table: FileTable, known: list[str]) -> Milestone:
        table.unknown_keys(MILESTONE_KEYS)
        ident = table.text("id", 'the milestone\'s id, e.g. "M5.4"', required=True)
        if ident and ident != ident.strip():
            table.refuse("id", ident, "an id such as M5.4, without spaces around it")
        elif ident:
            table.unique(
                "id", ident.lower(), ident, self.milestone_ids, "an id no other milestone has"
            )
        title = table.text("title", "the milestone's title", required=True)
        due = table.whole("due_month", MONTHS, "the project month it is due", required=True)
        status = table.text("status", 'its status, e.g. "partially achieved"')
        achieved = table.date("achieved")
        replanned = table.date("replanned")
        note = table.text("note", "a note as text", single_line=False, limit=NOTE_LIMIT)
        installations = table.names("installations", 'a list of installation ids, e.g. ["uc5"]')
        for ref in installations:
            if ref not in known:
                table.refuse("installations", ref, f"an installation id: {one_of(ref, known)}")
        return Milestone(
            id=ident,
            title=title,
            due_month=due or 0,
            status=status,
            achieved=achieved,
            replanned=replanned,
            note=note,
            installations=installations,
        )
