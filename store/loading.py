"""Loading a project file's records into a new store, all in one transaction (``vatui init``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from vatui.store import rows
from vatui.store.models import (
    Assessment,
    DelayEntry,
    Installation,
    Metric,
    Milestone,
    Site,
    StageEvent,
    Value,
)
from vatui.store.reads import Reads
from vatui.store.reviews import ReviewEntry


class Loading(Reads):
    """The bulk load of ``Store``."""

    def load_records(
        self,
        *,
        installations: list[Installation],
        sites: list[Site],
        metrics: list[Metric],
        values: list[Value],
        assessments: list[Assessment],
        milestones: list[Milestone],
        delays: list[DelayEntry],
        reviews: list[ReviewEntry] | None = None,
        stage_events: list[StageEvent] | None = None,
        cutoffs: dict[str, dt.date] | None = None,
    ) -> None:
        """Insert a project file's records as they are, in one transaction (used by ``init``).

        Values keep their wording and are stamped with the leader and the store's clock; review
        entries are the record of earlier reviews and are kept as written.
        """
        entries = reviews or []
        leader, at = self.project().leader, self.clock()
        with self.transaction():
            self.db.table("installations").insert_all(
                rows.INSTALLATIONS.dump(i) for i in installations
            )
            self.forget()
            self.db.table("sites").insert_all(rows.SITES.dump(s) for s in sites)
            self.db.table("metrics").insert_all(rows.METRICS.dump(m) for m in metrics)
            self.db.table("metric_values").insert_all(
                rows.VALUES.dump(replace(v, updated_by=leader, updated_at=at)) for v in values
            )
            self.db.table("assessments").insert_all(
                rows.ASSESSMENTS.dump(replace(a, updated_by=leader, updated_at=at))
                for a in assessments
            )
            self.db.table("milestones").insert_all(
                rows.MILESTONES.dump(m) | {"position": n} for n, m in enumerate(milestones)
            )
            self.db.table("delays").insert_all(
                {k: v for k, v in rows.DELAYS.dump(d).items() if k != "id"} for d in delays
            )
            self.db.table("reviews").insert_all(
                {k: v for k, v in entry.__dict__.items() if k != "id"} for entry in entries
            )
            self.db.table("stage_events").insert_all(
                {k: v for k, v in rows.STAGE_EVENTS.dump(e).items() if k != "id"}
                for e in stage_events or []
            )
            for label, cutoff in (cutoffs or {}).items():
                self.db.table("periods").update(label, {"cutoff": cutoff.isoformat()})
            self.forget()
