"""What was true at a date: an installation's stage and plan, and its delay log, as of a
period's cut-off.

A period is judged as of its own cut-off (``Period.as_of``), so that nothing that happens after
it changes the period's lights, stages, milestones or chapter. Stage changes are dated events
(``stage_events``); delays count from the day they were recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from vatui.store.models import DelayEntry, Installation, StageEvent

#: The stage of an installation before its first dated event.
FIRST_STAGE = "in development"


def event_at(events: Iterable[StageEvent], as_of: dt.date) -> StageEvent | None:
    """The event in force at ``as_of``: the latest from a date on or before it (of two from the
    same date, the one added last), or None before the first."""
    found = None
    for event in events:
        if event.since <= as_of and (
            found is None or (event.since, event.id) >= (found.since, found.id)
        ):
            found = event
    return found


def installation_at(
    item: Installation, events: Iterable[StageEvent], as_of: dt.date
) -> Installation:
    """``item`` with the stage and planned production date it had at ``as_of``."""
    event = event_at(events, as_of)
    if event is None:
        return replace(item, stage=FIRST_STAGE, planned_production=None)
    return replace(item, stage=event.stage, planned_production=event.planned_production)


def delays_at(delays: Iterable[DelayEntry], as_of: dt.date) -> list[DelayEntry]:
    """The delay log as it stood at ``as_of``: the entries recorded by then."""
    return [entry for entry in delays if entry.recorded <= as_of]
