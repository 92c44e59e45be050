"""Reading a store: the project, its periods, installations, sites, metrics, values, texts,
milestones, delays and history, as the dataclasses of ``vatui.store.models``.

No read changes anything. The project, periods and installations are kept between calls
(``StoreCore.cached``) since nearly every call needs them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from vatui.store import rows
from vatui.store.core import StoreCore
from vatui.store.errors import InvalidValue, NotFound, StoreError
from vatui.store.models import (
    Assessment,
    Change,
    DelayEntry,
    Installation,
    IssuedChapter,
    Metric,
    Milestone,
    Project,
    Site,
    StageEvent,
    Value,
)
from vatui.store.periods import Period, parse_period, parse_start
from vatui.store.sql import dicts, first, where, where_installation


class Reads(StoreCore):
    """The read calls of ``Store``."""

    def project(self) -> Project:
        return self.cached("project", self._read_project)

    def _read_project(self) -> Project:
        row = next(dicts(self.conn.execute("select * from project")), None)
        if row is None:
            raise StoreError("this store has no project yet; create it with `vatui init`")
        return rows.PROJECT.load(row)

    def periods(self) -> list[Period]:
        return list(self.cached("periods", self._read_periods))

    def _read_periods(self) -> list[Period]:
        """Each period with its cut-off: the leader's, else the day after it ends, or today
        while it is under way (what is known today is all there is)."""
        start = parse_start(self.project().start)
        today = self.today()
        result = []
        for label, cutoff in self.conn.execute(
            "select label, cutoff from periods order by position"
        ):
            period = parse_period(label, start)
            stated = rows.to_date(cutoff)
            shown = stated or min(period.day_after, today)
            result.append(replace(period, cutoff=shown, cutoff_set=stated is not None))
        return result

    def today(self) -> dt.date:
        """The store's date (its clock is UTC): a period under way is judged as of today."""
        return dt.date.fromisoformat(self.clock()[:10])

    def period(self, label: str) -> Period:
        wanted = parse_period(label, parse_start(self.project().start)).label
        for period in self.periods():
            if period.label == wanted:
                return period
        raise NotFound("period", label, [p.label for p in self.periods()])

    def default_period(self) -> str:
        """The period to show when none is asked for: the latest with values, else the first."""
        labels = [period.label for period in self.periods()]
        if not labels:
            raise StoreError("this store has no reporting periods yet; add one with the leader")
        has_values = "select 1 from metric_values where period = ? limit 1"
        for label in reversed(labels):
            if self.conn.execute(has_values, [label]).fetchone():
                return label
        return labels[0]

    def organisations(self) -> list[str]:
        """The leader and every provider: the organisations that may act in this store."""
        return list(self.cached("organisations", self._read_organisations))

    def _read_organisations(self) -> list[str]:
        providers = "select distinct p.value from installations, json_each(providers) as p"
        names = {self.project().leader} | {name for (name,) in self.conn.execute(providers)}
        return sorted(names, key=str.lower)

    def installations(self, *, include_archived: bool = False) -> list[Installation]:
        every: list[Installation] = self.cached("installations", self._read_installations)
        return list(every) if include_archived else [item for item in every if not item.archived]

    def installation_ids(self) -> list[str]:
        """The ids of the installations not archived, by number, read without the rest of each:
        a list of them starts from these (reading 10,000 whole was most of the app's start)."""
        query = "select id from installations where archived = 0 order by number"
        return list(
            self.cached("installation ids", lambda: [i for (i,) in self.conn.execute(query)])
        )

    def _read_installations(self) -> list[Installation]:
        """Every installation, read by position: at start the app reads them all, and building
        each from a dict cost half of it at 10,000."""
        columns = ", ".join(rows.INSTALLATIONS.columns)
        query = f"select {columns} from installations order by number"
        return [rows.INSTALLATIONS.load_columns(row) for row in self.conn.execute(query)]

    def installation(self, ref: str) -> Installation:
        """An installation by its short id (``uc5``, case ignored) or its number (``5``); an id
        wins over another installation's number.

        Read on its own, not with all the others: a command about one installation costs the
        same on a store of ten thousand.
        """
        wanted = ref.strip().lower()
        found = self.cached(f"installation {wanted}", lambda: self._find_installation(wanted))
        if found is None:
            raise NotFound("installation", ref, [i.id for i in self.installations()])
        return found

    def _find_installation(self, wanted: str) -> Installation | None:
        """The id as given first (the primary key's index answers it), then the number, and
        only then the id in other capitals (which reads the whole table)."""
        columns = ", ".join(rows.INSTALLATIONS.columns)
        lookups: list[tuple[str, str | int]] = [("id = ?", wanted)]
        if wanted.isdigit():
            lookups.append(("number = ?", int(wanted)))
        lookups.append(("lower(id) = ?", wanted))
        for condition, value in lookups:
            query = f"select {columns} from installations where {condition}"
            row = self.conn.execute(query, [value]).fetchone()
            if row is not None:
                return rows.INSTALLATIONS.load_columns(row)
        return None

    def sites(self, installation: str | None = None) -> list[Site]:
        condition, args = where_installation(installation)
        clause = " and ".join(filter(None, [condition, "archived = 0"]))
        return [
            rows.SITES.load(row)
            for row in self.db.table("sites").rows_where(
                clause, args, order_by="installation, position"
            )
        ]

    def most_sites(self) -> int:
        """How many live sites the installation with the most has: a screen that shows one
        installation after another can make room for that many at once."""
        query = (
            "select coalesce(max(n), 0) from "
            "(select count(*) as n from sites where archived = 0 group by installation)"
        )
        return int(self.conn.execute(query).fetchone()[0])

    def site(self, installation: str, ref: str) -> Site:
        """A live site of an installation by its id, name or code (case ignored)."""
        for item in self.sites(installation):
            if ref.lower() in (item.id.lower(), item.name.lower(), item.code.lower()):
                return item
        raise NotFound(f"site of {installation}", ref, [s.id for s in self.sites(installation)])

    def metrics(
        self, installation: str | None = None, *, include_archived: bool = False
    ) -> list[Metric]:
        condition, args = where_installation(installation)
        clause = " and ".join(
            filter(None, [condition, None if include_archived else "archived = 0"])
        )
        return [
            rows.METRICS.load(row)
            for row in self.db.table("metrics").rows_where(
                clause, args, order_by="installation, position"
            )
        ]

    def metric(self, installation: str, ref: str, *, site: str | None = None) -> Metric:
        """A metric by its short id or its name (case and surrounding spaces ignored); with
        ``site``, among that site's metrics only.

        A name that several metrics share (each site of UC3 has "Number of countries of
        users") is refused, listing their ids: a value must never go to the wrong site.
        """
        item = self.installation(installation)
        wanted = ref.strip().lower()
        candidates = self.metrics(item.id, include_archived=True)
        if site is not None:
            site_id = self.site(item.id, site).id
            candidates = [m for m in candidates if m.site == site_id]
        by_id = [m for m in candidates if m.id.lower() == wanted]
        # A live metric wins over an archived one of the same name.
        by_name = [m for m in candidates if m.name.lower() == wanted and not m.archived] or [
            m for m in candidates if m.name.lower() == wanted
        ]
        found = by_id or by_name
        if len(found) == 1:
            return found[0]
        if found:
            ids = ", ".join(f"{m.id} (site {m.site})" if m.site else m.id for m in found)
            raise InvalidValue(
                "metric",
                ref,
                f"the id of one of the {len(found)} metrics of {item.id} with that name: "
                f"{ids}; or name the site",
            )
        raise NotFound(f"metric of {installation}", ref, [m.id for m in candidates])

    def values(self, *, period: str | None = None, installation: str | None = None) -> list[Value]:
        condition, args = where({"period = ?": period, "installation = ?": installation})
        return [
            rows.VALUES.load(row)
            for row in self.db.table("metric_values").rows_where(condition, args)
        ]

    def value(self, installation: str, metric: str, period: str) -> Value | None:
        row = first(
            self.db.table("metric_values").rows_where(
                "installation = ? and metric = ? and period = ?", [installation, metric, period]
            )
        )
        return rows.VALUES.load(row) if row else None

    def assessments(
        self, *, installation: str | None = None, period: str | None = None
    ) -> list[Assessment]:
        condition, args = where({"installation = ?": installation, "period = ?": period})
        return [
            rows.ASSESSMENTS.load(row)
            for row in self.db.table("assessments").rows_where(
                condition, args, order_by="installation, period, site"
            )
        ]

    def assessment(self, installation: str, period: str, site: str | None = None) -> Assessment:
        """The assessment of an installation (or one of its sites) for a period; empty if none."""
        row = first(
            self.db.table("assessments").rows_where(
                "installation = ? and period = ? and site = ?", [installation, period, site or ""]
            )
        )
        return (
            rows.ASSESSMENTS.load(row) if row else Assessment(installation, period, site, version=0)
        )

    def milestones(self) -> list[Milestone]:
        return [
            rows.MILESTONES.load(row)
            for row in self.db.table("milestones").rows_where(order_by="position")
        ]

    def milestone(self, ref: str) -> Milestone:
        for item in self.milestones():
            if item.id.lower() == ref.strip().lower():
                return item
        raise NotFound("milestone", ref, [m.id for m in self.milestones()])

    def delays(self, installation: str | None = None) -> list[DelayEntry]:
        condition, args = where_installation(installation)
        return [
            rows.DELAYS.load(row)
            for row in self.db.table("delays").rows_where(condition, args, order_by="recorded, id")
        ]

    def stage_events(self, installation: str | None = None) -> list[StageEvent]:
        """The dated stages and planned dates, by installation, oldest first (ties: as added)."""
        condition, args = where_installation(installation)
        return [
            rows.STAGE_EVENTS.load(row)
            for row in self.db.table("stage_events").rows_where(
                condition, args, order_by="installation, since, id"
            )
        ]

    def issued_chapters(self, period: str) -> list[IssuedChapter]:
        """The chapters issued for a period with ``--final``, oldest first."""
        label = self.period(period).label
        return [
            rows.ISSUED.load(row)
            for row in self.db.table("issued_chapters").rows_where(
                "period = ?", [label], order_by="id"
            )
        ]

    def last_change_id(self) -> int:
        """The number of the latest recorded change (0 in a store never changed): a screen
        compares it to know whether anything was written since it last read."""
        return int(self.conn.execute("select coalesce(max(id), 0) from history").fetchone()[0])

    def history(
        self,
        *,
        installation: str | None = None,
        since: str | None = None,
        limit: int | None = None,
    ) -> list[Change]:
        """Recorded changes, newest first, for one installation and/or from a date on."""
        condition, args = where({"installation = ?": installation, "at >= ?": since})
        return [
            rows.HISTORY.load(row)
            for row in self.db.table("history").rows_where(
                condition, args, order_by="id desc", limit=limit
            )
        ]

    def change(self, change_id: int) -> Change:
        """One recorded change by its number (as ``vatui history`` shows it)."""
        row = first(self.db.table("history").rows_where("id = ?", [change_id]))
        if row is None:
            raise NotFound("change", change_id)
        return rows.HISTORY.load(row)

    def latest_change(self, table: str, row: str) -> Change | None:
        """The latest recorded change of one row: who changed it last, when, and to what."""
        found = self.db.table("history").rows_where(
            "table_name = ? and row_key = ?", [table, row], order_by="id desc", limit=1
        )
        latest = first(found)
        return rows.HISTORY.load(latest) if latest else None

    def later_changes(self, change: Change) -> list[Change]:
        """The changes recorded after ``change`` to the same field of the same row, oldest
        first: what a revert of ``change`` would write over."""
        found = self.db.table("history").rows_where(
            "table_name = ? and row_key = ? and field = ? and id > ?",
            [change.table, change.row, change.field, change.id],
            order_by="id",
        )
        return [rows.HISTORY.load(row) for row in found]

    def changes_since(self, change_id: int) -> list[Change]:
        """The changes recorded after ``change_id`` by other connections, oldest first: what
        someone else changed while this store was open."""
        found = self.db.table("history").rows_where("id > ?", [change_id], order_by="id")
        return [rows.HISTORY.load(row) for row in found if not self.is_own_change(row["id"])]
