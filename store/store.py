"""The store: one SQLite file that holds a project's whole reporting history.

``Store`` owns the connection. Everything the TUI, the CLI and the importers read or write goes
through its methods, which take and return the dataclasses of ``store.models``. Every write
names an actor (an organisation), is checked against what that actor may change, runs in one
transaction and leaves a row per changed field in ``history``.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vatui.store import reviews, roster, rows
from vatui.store.errors import InvalidValue, NotFound, PermissionDenied, StaleEdit, StoreError
from vatui.store.lights import (
    Thresholds,
    deployment_light,
    metric_ratio,
    metric_target,
    milestone_light,
    ratio_light,
    worst,
)
from vatui.store.models import (
    DESCRIPTION_FIELDS,
    Assessment,
    Change,
    DelayEntry,
    Installation,
    InstallationStatus,
    Metric,
    MetricStatus,
    Milestone,
    MilestoneStatus,
    Project,
    Site,
    Value,
)
from vatui.store.periods import Period, month_end, parse_period, parse_start
from vatui.store.roster import Identity, RosterEntry
from vatui.store.schema import MIGRATION_SET, apply_migrations
from vatui.store.storefile import (
    BUSY_TIMEOUT,
    check_schema,
    check_sqlite_file,
    connect,
    locked_message,
    remove_database_files,
)
from vatui.store.validation import (
    as_date,
    check_id,
    checked_metric,
    clean_installation_fields,
    parse_value,
)

if TYPE_CHECKING:
    from sqlite_utils import Database


# Fields a provider may change on its own installation; the rest are the leader's.
PROVIDER_FIELDS = {name for name, _ in DESCRIPTION_FIELDS if name != "providers"} | {
    "stage",
    "planned_production",
}
LEADER_FIELDS = {"name", "number", "providers", "archived"}
# The tables whose rows a Store keeps in memory between calls (``Store._cached``).
CACHED_TABLES = {"project", "periods", "installations"}


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Store:
    """A project's store. Open one with ``Store.open(path)`` or make one with ``Store.create``."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path | None = None,
        *,
        read_only: bool = False,
        clock: Callable[[], str] = utc_now,
        thresholds: Thresholds | None = None,
    ) -> None:
        self.conn = conn
        self._db: Database | None = None
        self.path = path
        self.read_only = read_only
        self.clock = clock
        self.thresholds = thresholds or Thresholds()
        self.busy_timeout = BUSY_TIMEOUT
        # Where the copy of the store went when opening it upgraded its schema, else None.
        self.upgrade_backup: Path | None = None
        # The history rows this connection wrote: committed, and in the open transaction.
        self._own_changes: set[int] = set()
        self._uncommitted_changes: list[int] = []
        # The project, its periods and installations, read once and kept until they change
        # (see ``_cached``): nearly every call needs them, and they seldom change.
        self._cache: dict[str, Any] = {}
        self._cache_version = -1

    # ---- opening and creating ------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, busy_timeout: float = BUSY_TIMEOUT, **options: Any) -> Store:
        """Open an existing store, migrating one written by an older vatui.

        Refuses, changing nothing, a missing file, a file that is not a vatui store and a store
        written by a newer vatui. A file this user may not write is opened read-only.
        """
        path = Path(path)
        if not path.exists():
            raise StoreError(
                f"no store at {path}; create one with `vatui init --db {path} --demo` "
                f"(the iMagine demo) or `vatui init --db {path} --from PROJECT.toml`"
            )
        check_sqlite_file(path)
        read_only = not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)
        conn = connect(path, read_only=read_only, busy_timeout=busy_timeout)
        try:
            upgrade_backup = check_schema(conn, path, read_only=read_only)
        except BaseException:
            conn.close()
            raise
        store = cls(conn, path, read_only=read_only, **options)
        store.busy_timeout = busy_timeout
        store.upgrade_backup = upgrade_backup
        return store

    @classmethod
    def create(
        cls,
        path: str | Path,
        project: Project,
        periods: list[str],
        *,
        overwrite: bool = False,
        fill: Callable[[Store], None] | None = None,
        **options: Any,
    ) -> Store:
        """Make a new store at ``path`` with a project and its periods, then ``fill`` it.

        The store is built in a temporary file beside ``path`` and moved into place only when
        complete, so an interrupted ``init`` never leaves a half-written store.
        """
        path = Path(path)
        if path.exists() and not overwrite:
            raise StoreError(f"a store already exists at {path}; pass --force to replace it")
        parse_start(project.start)
        temporary = path.with_name(f".{path.name}.creating")
        remove_database_files(temporary)
        conn = connect(temporary)
        try:
            store = cls(conn, temporary, **options)
            apply_migrations(store.db)
            with store._writing():
                store.db.table("project").insert(
                    {
                        "id": 1,
                        "name": project.name,
                        "grant_number": project.grant,
                        "work_package": project.work_package,
                        "start": project.start,
                        "leader": project.leader,
                        "chapter": project.chapter,
                    }
                )
                for label in periods:
                    store._insert_period(label)
                if fill is not None:
                    fill(store)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
        remove_database_files(path)
        os.replace(temporary, path)
        remove_database_files(temporary)
        return cls.open(path, **options)

    def close(self) -> None:
        self.conn.close()

    @property
    def db(self) -> Database:
        """sqlite-utils on the store's connection, made when first needed: what ``vatui status``
        reads goes through the connection alone, so scripts start without importing it."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn, execute_plugins=False)
        return self._db

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- reading -------------------------------------------------------------------------

    def _cached(self, key: str, load: Callable[[], Any]) -> Any:
        """What ``load()`` returns, kept until this store changes one of ``CACHED_TABLES`` or
        another connection commits anything (SQLite's ``data_version`` says so, cheaply)."""
        version = self.data_version()
        if version != self._cache_version:
            self._cache.clear()
            self._cache_version = version
        if key not in self._cache:
            self._cache[key] = load()
        return self._cache[key]

    def _forget(self) -> None:
        """Drop what ``_cached`` kept: this store has just changed it (or rolled it back)."""
        self._cache.clear()

    def project(self) -> Project:
        return self._cached("project", self._read_project)

    def _read_project(self) -> Project:
        row = next(_dicts(self.conn.execute("select * from project")), None)
        if row is None:
            raise StoreError("this store has no project yet; create it with `vatui init`")
        return rows.project(row)

    def periods(self) -> list[Period]:
        return list(self._cached("periods", self._read_periods))

    def _read_periods(self) -> list[Period]:
        start = parse_start(self.project().start)
        return [
            parse_period(row, start)
            for (row,) in self.conn.execute("select label from periods order by position")
        ]

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
        return list(self._cached("organisations", self._read_organisations))

    def _read_organisations(self) -> list[str]:
        names = {self.project().leader}
        for item in self.installations(include_archived=True):
            names.update(item.providers)
        return sorted(names, key=str.lower)

    def installations(self, *, include_archived: bool = False) -> list[Installation]:
        every: list[Installation] = self._cached("installations", self._read_installations)
        return list(every) if include_archived else [item for item in every if not item.archived]

    def _read_installations(self) -> list[Installation]:
        return [
            rows.installation(row)
            for row in _dicts(self.conn.execute("select * from installations order by number"))
        ]

    def installation(self, ref: str) -> Installation:
        """An installation by its short id (``uc5``) or its number (``5``)."""
        by_ref: dict[str, Installation] = self._cached("by ref", self._installation_refs)
        found = by_ref.get(ref.strip().lower())
        if found is None:
            raise NotFound("installation", ref, [i.id for i in self.installations()])
        return found

    def _installation_refs(self) -> dict[str, Installation]:
        """Each installation under its number and its id in lower case (an id wins a tie)."""
        every = self.installations(include_archived=True)
        return {str(item.number): item for item in every} | {
            item.id.lower(): item for item in every
        }

    def sites(self, installation: str | None = None) -> list[Site]:
        where, args = _where_installation(installation)
        clause = " and ".join(filter(None, [where, "archived = 0"]))
        return [
            rows.site(row)
            for row in self.db.table("sites").rows_where(
                clause, args, order_by="installation, position"
            )
        ]

    def metrics(
        self, installation: str | None = None, *, include_archived: bool = False
    ) -> list[Metric]:
        where, args = _where_installation(installation)
        clause = " and ".join(filter(None, [where, None if include_archived else "archived = 0"]))
        return [
            rows.metric(row)
            for row in self.db.table("metrics").rows_where(
                clause, args, order_by="installation, position"
            )
        ]

    def metric(self, installation: str, ref: str) -> Metric:
        """A metric by its short id or its name (case and surrounding spaces ignored)."""
        wanted = ref.strip().lower()
        candidates = self.metrics(self.installation(installation).id, include_archived=True)
        # A live metric wins over an archived one of the same name.
        for item in sorted(candidates, key=lambda m: m.archived):
            if wanted in (item.id.lower(), item.name.lower()):
                return item
        raise NotFound(f"metric of {installation}", ref, [m.id for m in candidates])

    def values(self, *, period: str | None = None, installation: str | None = None) -> list[Value]:
        where, args = _where({"period = ?": period, "installation = ?": installation})
        return [rows.value(row) for row in self.db.table("metric_values").rows_where(where, args)]

    def value(self, installation: str, metric: str, period: str) -> Value | None:
        row = _first(
            self.db.table("metric_values").rows_where(
                "installation = ? and metric = ? and period = ?", [installation, metric, period]
            )
        )
        return rows.value(row) if row else None

    def assessments(
        self, *, installation: str | None = None, period: str | None = None
    ) -> list[Assessment]:
        where, args = _where({"installation = ?": installation, "period = ?": period})
        return [
            rows.assessment(row)
            for row in self.db.table("assessments").rows_where(
                where, args, order_by="installation, period, site"
            )
        ]

    def assessment(self, installation: str, period: str, site: str | None = None) -> Assessment:
        """The assessment of an installation (or one of its sites) for a period; empty if none."""
        row = _first(
            self.db.table("assessments").rows_where(
                "installation = ? and period = ? and site = ?", [installation, period, site or ""]
            )
        )
        return rows.assessment(row) if row else Assessment(installation, period, site, version=0)

    def milestones(self) -> list[Milestone]:
        return [
            rows.milestone(row)
            for row in self.db.table("milestones").rows_where(order_by="position")
        ]

    def milestone(self, ref: str) -> Milestone:
        for item in self.milestones():
            if item.id.lower() == ref.strip().lower():
                return item
        raise NotFound("milestone", ref, [m.id for m in self.milestones()])

    def delays(self, installation: str | None = None) -> list[DelayEntry]:
        where, args = _where_installation(installation)
        return [
            rows.delay(row)
            for row in self.db.table("delays").rows_where(where, args, order_by="recorded, id")
        ]

    def history(
        self,
        *,
        installation: str | None = None,
        since: str | None = None,
        limit: int | None = None,
    ) -> list[Change]:
        """Recorded changes, newest first, for one installation and/or from a date on."""
        where, args = _where({"installation = ?": installation, "at >= ?": since})
        return [
            rows.change(row)
            for row in self.db.table("history").rows_where(
                where, args, order_by="id desc", limit=limit
            )
        ]

    def change(self, change_id: int) -> Change:
        """One recorded change by its number (as ``vatui history`` shows it)."""
        row = _first(self.db.table("history").rows_where("id = ?", [change_id]))
        if row is None:
            raise NotFound("change", change_id)
        return rows.change(row)

    def _latest_change(self, table: str, row: str) -> Change | None:
        """The latest recorded change of one row: who changed it last, when, and to what."""
        found = self.db.table("history").rows_where(
            "table_name = ? and row_key = ?", [table, row], order_by="id desc", limit=1
        )
        latest = _first(found)
        return rows.change(latest) if latest else None

    def data_version(self) -> int:
        """A number SQLite changes whenever another connection commits to the store (never
        for this one's own writes): cheap to poll, to learn that someone else changed something.
        """
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def changes_since(self, change_id: int) -> list[Change]:
        """The changes recorded after ``change_id`` by other connections, oldest first: what
        someone else changed while this store was open."""
        found = self.db.table("history").rows_where("id > ?", [change_id], order_by="id")
        return [rows.change(row) for row in found if row["id"] not in self._own_changes]

    # ---- status --------------------------------------------------------------------------

    def status(
        self, period: str, *, installations: list[str] | None = None
    ) -> list[InstallationStatus]:
        """Every installation's metrics, values and lights for a period, in a few queries.

        With ``installations``, only theirs are read: a screen showing a few pays for a few.
        """
        span = self.period(period)
        chosen = self.installations()
        among = None
        if installations:
            wanted = {self.installation(ref).id for ref in installations}
            chosen = [item for item in chosen if item.id in wanted]
            among = [item.id for item in chosen]
        live = "archived = 0"
        in_order = "installation, position"
        sites = _group(map(rows.site, _dicts(self._query("sites", among, live, order=in_order))))
        live_metrics = self._query(
            "metrics", among, live, columns=rows.METRIC_COLUMNS, order=in_order
        )
        metrics = _group(map(rows.metric_of, live_metrics))
        delays = _group(map(rows.delay, _dicts(self._query("delays", among, order="recorded, id"))))
        in_period = self._query(
            "metric_values", among, "period = ?", [span.label], columns=rows.VALUE_COLUMNS
        )
        values = {(v.installation, v.metric): v for v in map(rows.value_of, in_period)}
        result = []
        for item in chosen:
            statuses = [
                self._metric_status(metric, values.get((item.id, metric.id)), span)
                for metric in metrics.get(item.id, [])
            ]
            deployment = deployment_light(item, delays.get(item.id, []), span.end_date)
            overall = worst([*(s.light for s in statuses), deployment])
            result.append(
                InstallationStatus(
                    installation=item,
                    sites=sites.get(item.id, []),
                    metrics=statuses,
                    deployment_light=deployment,
                    overall_light=overall,
                    delays=delays.get(item.id, []),
                )
            )
        return result

    def _metric_status(self, metric: Metric, value: Value | None, period: Period) -> MetricStatus:
        ratio = metric_ratio(metric, value, period)
        return MetricStatus(
            metric=metric,
            value=value,
            light=ratio_light(metric, ratio, self.thresholds),
            target=metric_target(metric, period),
            ratio=ratio,
        )

    def _query(
        self,
        table: str,
        among: list[str] | None,
        where: str | None = None,
        args: list[Any] | None = None,
        *,
        columns: tuple[str, ...] = ("*",),
        order: str | None = None,
    ) -> sqlite3.Cursor:
        """One query of the ``columns`` of the rows of ``table`` that belong to the
        installations ``among`` (every one when None) and meet ``where``."""
        clauses, params = [where] if where else [], list(args or [])
        if among is not None:
            clauses.append(f"installation in ({', '.join('?' * len(among))})")
            params += among
        sql = f"select {', '.join(columns)} from {table}"
        if clauses:
            sql += " where " + " and ".join(clauses)
        if order:
            sql += " order by " + order
        return self.conn.execute(sql, params)

    def milestone_status(self, period: str) -> list[MilestoneStatus]:
        """Every milestone with its due date and its light as of the period's end."""
        start = parse_start(self.project().start)
        as_of = self.period(period).end_date
        result = []
        for item in self.milestones():
            due = month_end(start, item.due_month)
            result.append(MilestoneStatus(item, due, milestone_light(item, due, as_of)))
        return result

    # ---- permissions ---------------------------------------------------------------------

    def organisation(self, actor: str) -> str:
        """The organisation ``actor`` names, as the project spells it; refused if unknown."""
        for name in self.organisations():
            if name.lower() == actor.strip().lower():
                return name
        raise PermissionDenied(
            actor,
            "write to this store",
            f"it is not an organisation of this project (known: {', '.join(self.organisations())})",
        )

    def write_refusal(
        self, actor: str, installation: str, period: str | None = None
    ) -> PermissionDenied | None:
        """Why ``actor`` may not change ``installation`` (and, with ``period``, its figures and
        texts for that period, which an accepted review locks), or None when it may.

        A UI shows this before anyone tries, so read-only parts can say why they are read-only.
        """
        try:
            item = self.installation(installation)
            name = self._require_provider(actor, item, "make changes")
            if period is not None:
                reviews.require_open(self, name, item, self.period(period).label)
        except PermissionDenied as refusal:
            return refusal
        return None

    def is_leader(self, actor: str) -> bool:
        return actor.strip().lower() == self.project().leader.lower()

    def require_leader(self, actor: str, action: str) -> str:
        """The leader's name as the project spells it, else the refusal ``action`` would get.

        Screens ask before opening a leader's form, so a provider learns why before typing.
        """
        return self._require_leader(actor, action)

    def writable_installations(self, actor: str) -> set[str]:
        """The ids of the installations ``actor`` may change, in one pass (for the dashboard)."""
        name = self.organisation(actor)
        leader = self.is_leader(name)
        return {item.id for item in self.installations() if _may_change(name, leader, item)}

    def _require_provider(self, actor: str, item: Installation, action: str) -> str:
        name = self.organisation(actor)
        if _may_change(name, self.is_leader(name), item):
            return name
        providers = ", ".join(item.providers) or "nobody yet"
        raise PermissionDenied(
            name,
            f"{action} on {item.id} ({item.name})",
            f"it is provided by {providers}; only they and the project leader "
            f"{self.project().leader} may change it",
        )

    def _require_leader(self, actor: str, action: str) -> str:
        name = self.organisation(actor)
        if not self.is_leader(name):
            raise PermissionDenied(
                name, action, f"only the project leader {self.project().leader} may do that"
            )
        return name

    # ---- review (the rules are in store/reviews.py) ---------------------------------------

    def review(
        self,
        actor: str,
        installation: str,
        period: str,
        action: str,
        comment: str = "",
        *,
        source: str = "",
    ) -> reviews.ReviewEntry:
        """Submit, accept, return, reopen or comment on an installation's figures for a period."""
        return reviews.record(self, actor, installation, period, action, comment, source=source)

    def review_state(self, installation: str, period: str) -> str:
        """``draft``, ``submitted``, ``accepted`` or ``returned``."""
        item, span = self.installation(installation), self.period(period)
        return reviews.state(self, item.id, span.label)

    def review_thread(self, installation: str, period: str) -> list[reviews.ReviewEntry]:
        """Every step of the review, oldest first, with who, when and their comment."""
        item, span = self.installation(installation), self.period(period)
        return reviews.thread(self, item.id, span.label)

    def review_actions(self, actor: str, installation: str, period: str) -> list[str]:
        """The review actions ``actor`` may take now (``submit``, ``comment``, ...), so a UI
        offers only those; an organisation outside the project may take none."""
        return reviews.actions(self, actor, installation, period)

    def review_states(self, period: str) -> dict[str, str]:
        """Each installation's review state for the period, in one query (for the dashboard)."""
        return reviews.states(self, self.period(period).label)

    def unaccepted(self, period: str) -> list[str]:
        """The installations whose figures for the period the leader has not accepted yet."""
        return reviews.unaccepted(self, self.period(period).label)

    # ---- the roster of a shared host (the rules are in store/roster.py) --------------------

    def roster(self) -> list[RosterEntry]:
        """Each OS login's organisation and role, by login; empty on a machine of one's own."""
        return roster.entries(self)

    def identity(self, login: str, claim: str | None, claimed_by: str = "--as") -> Identity:
        """Who a session of ``login`` works for, given what it claims (``decide_identity``)."""
        return roster.decide_identity(self.roster(), login, claim, claimed_by)

    def set_roster_entry(
        self,
        actor: str,
        login: str,
        organisation: str,
        role: str | None = None,
        *,
        by_login: str,
        source: str = "",
    ) -> RosterEntry:
        """Put a login on the roster, or change its organisation or role (the leader only)."""
        return roster.set_entry(
            self, actor, login, organisation, role, by_login=by_login, source=source
        )

    def remove_roster_entry(
        self, actor: str, login: str, *, by_login: str, source: str = ""
    ) -> None:
        """Take a login off the roster (the leader only); the history keeps what it was."""
        roster.remove_entry(self, actor, login, by_login=by_login, source=source)

    # ---- writing -------------------------------------------------------------------------

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """One write transaction (``BEGIN IMMEDIATE``, so two writers queue rather than clash).

        Nested calls join the outer transaction, so an import of many values is all or nothing.
        """
        if self.read_only:
            raise StoreError(f"the store at {self.path} is read-only here; nothing was changed")
        if self.db.conn.in_transaction:
            written = len(self._uncommitted_changes)
            try:
                with self.db.atomic():
                    yield
            except BaseException:
                del self._uncommitted_changes[written:]  # rolled back to the savepoint
                self._forget()
                raise
            return
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise StoreError(locked_message(self.path, error, self.busy_timeout)) from None
        try:
            yield
        except BaseException:
            self.db.conn.rollback()
            self._uncommitted_changes.clear()
            self._forget()
            raise
        self.db.execute("COMMIT")
        self._own_changes.update(self._uncommitted_changes)
        self._uncommitted_changes.clear()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group several writes so they land together or not at all (used by importers)."""
        with self._writing():
            yield

    def _record(
        self,
        actor: str,
        table: str,
        row: str,
        installation: str | None,
        changes: Mapping[str, tuple[object, object]],
        source: str,
    ) -> None:
        if table in CACHED_TABLES:
            self._forget()
        at = self.clock()
        history = self.db.table("history")
        for field, (old, new) in changes.items():
            written = history.insert(
                {
                    "at": at,
                    "actor": actor,
                    "table_name": table,
                    "row_key": row,
                    "field": field,
                    "old": rows.as_text(old),
                    "new": rows.as_text(new),
                    "installation": installation,
                    "source": source,
                }
            )
            self._uncommitted_changes.append(int(written.last_pk or 0))

    def set_value(
        self,
        actor: str,
        installation: str,
        metric: str,
        period: str,
        text: str | None,
        *,
        note: str | None = None,
        expected_version: int | None = None,
        keep_wording: bool = False,
        source: str = "",
    ) -> Value:
        """Parse ``text`` by the metric's kind and store it as the metric's value for the period.

        ``text`` None keeps the value and changes only the note. Counts accept ``2,075,958``;
        countries accept codes and names (``FR, Italy, UK``); text is kept as typed. With
        ``keep_wording`` the text is also kept as the value's wording (``1 (Italy)``).
        """
        item = self.installation(installation)
        target = self.metric(item.id, metric)
        span = self.period(period)
        name = self._require_provider(actor, item, f"set {target.name!r}")
        reviews.require_open(self, name, item, span.label)
        current = self.value(item.id, target.id, span.label)
        _check_version(f"{target.name} ({span.label})", current, expected_version)
        parsed = parse_value(target, text) if text is not None else None
        base = current or Value(item.id, target.id, span.label, version=0)
        new = replace(base, updated_by=name, updated_at=self.clock(), version=base.version + 1)
        if parsed is not None and text is not None:
            new = replace(new, number=parsed[0], countries=parsed[1], text=parsed[2], display="")
            if keep_wording and new.shown != text:
                new = replace(new, display=text)
        if note is not None:
            new = replace(new, note=note)
        changes = _diff(base, new, ("shown", "note")) if current else _created(new)
        if not changes:
            return base
        with self._writing():
            self.db.table("metric_values").upsert(
                rows.value_row(new), pk=("installation", "metric", "period")
            )
            self._record(
                name,
                "metric_values",
                f"{item.id}/{target.id}/{span.label}",
                item.id,
                changes,
                source,
            )
        return new

    def clear_value(
        self, actor: str, installation: str, metric: str, period: str, *, source: str = ""
    ) -> None:
        """Remove a metric's value for a period; the history keeps what it was."""
        item = self.installation(installation)
        target = self.metric(item.id, metric)
        span = self.period(period)
        name = self._require_provider(actor, item, f"clear {target.name!r}")
        current = self.value(item.id, target.id, span.label)
        if current is None:
            return
        with self._writing():
            key = (item.id, target.id, span.label)
            self.db.table("metric_values").delete(key)
            changes = {"shown": (current.shown, None)}
            self._record(name, "metric_values", "/".join(key), item.id, changes, source)

    def set_assessment(
        self,
        actor: str,
        installation: str,
        period: str,
        *,
        site: str | None = None,
        assessment: str | None = None,
        delay: str | None = None,
        planning: str | None = None,
        expected_version: int | None = None,
        source: str = "",
    ) -> Assessment:
        """Write the assessment texts of an installation (or one of its sites) for a period.

        A text left None is kept as it is.
        """
        item = self.installation(installation)
        span = self.period(period)
        if site is not None:
            self._site(item.id, site)
        name = self._require_provider(actor, item, "write the assessment")
        reviews.require_open(self, name, item, span.label)
        current = self.assessment(item.id, span.label, site)
        key = "/".join(filter(None, [item.id, site, span.label]))
        _check_version(
            f"the assessment of {item.id} for {span.label}",
            current,
            expected_version,
            lambda: self._latest_change("assessments", key),
        )
        texts = {"assessment": assessment, "delay": delay, "planning": planning}
        new = replace(
            current,
            **{key: text for key, text in texts.items() if text is not None},
            updated_by=name,
            updated_at=self.clock(),
            version=current.version + 1,
        )
        changes = _diff(current, new, tuple(texts))
        if not changes:
            return current
        with self._writing():
            self.db.table("assessments").upsert(
                rows.assessment_row(new), pk=("installation", "site", "period")
            )
            self._record(name, "assessments", key, item.id, changes, source)
        return new

    def update_installation(
        self,
        actor: str,
        installation: str,
        *,
        expected_version: int | None = None,
        source: str = "",
        **fields: Any,
    ) -> Installation:
        """Change description fields, stage or planned production (providers and leader), or
        name, number and providers (leader only)."""
        item = self.installation(installation)
        unknown = set(fields) - PROVIDER_FIELDS - LEADER_FIELDS
        if unknown:
            raise InvalidValue(
                "field", ", ".join(sorted(unknown)), "a description field, stage or name"
            )
        if set(fields) & LEADER_FIELDS:
            name = self._require_leader(actor, f"change {item.id}'s name, number or providers")
        else:
            name = self._require_provider(actor, item, "edit the description")
        _check_version(
            f"installation {item.id}",
            item,
            expected_version,
            lambda: self._latest_change("installations", item.id),
        )
        new = replace(item, **clean_installation_fields(fields), version=item.version + 1)
        changes = _diff(item, new, tuple(fields))
        if not changes:
            return item
        with self._writing():
            self.db.table("installations").update(item.id, rows.installation_row(new))
            self._record(name, "installations", item.id, item.id, changes, source)
        return new

    def add_installation(self, actor: str, item: Installation, *, source: str = "") -> Installation:
        """Add an installation (leader only); its id and number must be new."""
        name = self._require_leader(actor, "add an installation")
        check_id("installation id", item.id)
        known = self.installations(include_archived=True)
        if any(i.id.lower() == item.id.lower() for i in known):
            raise InvalidValue("installation id", item.id, "an id no other installation has")
        if any(i.number == item.number for i in known):
            raise InvalidValue("number", item.number, "a number no other installation has")
        new = replace(item, **clean_installation_fields(item.__dict__) | {"version": 1})
        with self._writing():
            self.db.table("installations").insert(rows.installation_row(new))
            self._record(
                name, "installations", new.id, new.id, {"created": (None, new.name)}, source
            )
        return new

    def archive_installation(self, actor: str, installation: str, *, source: str = "") -> None:
        """Hide an installation from reports; nothing of it is deleted."""
        item = self.installation(installation)
        name = self._require_leader(actor, f"archive {item.id}")
        with self._writing():
            self.db.table("installations").update(item.id, {"archived": 1})
            self._record(
                name, "installations", item.id, item.id, {"archived": (False, True)}, source
            )

    def add_site(self, actor: str, site: Site, *, source: str = "") -> Site:
        item = self.installation(site.installation)
        name = self._require_leader(actor, f"add a site to {item.id}")
        check_id("site id", site.id)
        if not site.name.strip():
            raise InvalidValue("site name", site.name, "a name, not empty")
        if any(s.id == site.id for s in self.sites(item.id)):
            raise InvalidValue("site id", site.id, f"an id no other site of {item.id} has")
        new = replace(site, installation=item.id, position=len(self.sites(item.id)))
        with self._writing():
            self.db.table("sites").insert(new.__dict__ | {"archived": int(new.archived)})
            key = f"{item.id}/{site.id}"
            self._record(name, "sites", key, item.id, {"created": (None, site.name)}, source)
        return new

    def update_site(
        self, actor: str, installation: str, site: str, *, source: str = "", **fields: Any
    ) -> Site:
        """Rename a site or change its code (leader only); its id and metrics stay as they are."""
        current = self._site(self.installation(installation).id, site)
        name = self._require_leader(actor, f"change the site {current.label!r}")
        unknown = set(fields) - {"name", "code"}
        if unknown:
            raise InvalidValue("field", ", ".join(sorted(unknown)), "the site's name or code")
        clean: dict[str, Any] = {key: str(text).strip() for key, text in fields.items()}
        new = replace(current, **clean)
        if not new.name:
            raise InvalidValue("site name", fields.get("name", ""), "a name, not empty")
        changes = _diff(current, new, tuple(fields))
        if not changes:
            return current
        with self._writing():
            key = (current.installation, current.id)
            self.db.table("sites").update(key, {"name": new.name, "code": new.code})
            self._record(name, "sites", "/".join(key), current.installation, changes, source)
        return new

    def _site(self, installation: str, site: str) -> Site:
        for item in self.sites(installation):
            if site.lower() in (item.id.lower(), item.name.lower(), item.code.lower()):
                return item
        raise NotFound(f"site of {installation}", site, [s.id for s in self.sites(installation)])

    def add_metric(self, actor: str, metric: Metric, *, source: str = "") -> Metric:
        """Add a metric to an installation (leader only), after the ones it has."""
        item = self.installation(metric.installation)
        name = self._require_leader(actor, f"add a metric to {item.id}")
        check_id("metric id", metric.id)
        existing = self.metrics(item.id)
        if any(m.id.lower() == metric.id.lower() for m in existing):
            raise InvalidValue("metric id", metric.id, f"an id no other metric of {item.id} has")
        site = self._site(item.id, metric.site).id if metric.site else None
        new = checked_metric(replace(metric, installation=item.id, site=site))
        new = replace(new, position=len(existing), version=1)
        with self._writing():
            self.db.table("metrics").insert(rows.metric_row(new))
            key = f"{item.id}/{new.id}"
            self._record(name, "metrics", key, item.id, {"created": (None, new.name)}, source)
        return new

    def update_metric(
        self, actor: str, installation: str, metric: str, *, source: str = "", **fields: Any
    ) -> Metric:
        """Change a metric's definition (leader only): name, kind, baseline, how measured..."""
        current = self.metric(installation, metric)
        name = self._require_leader(actor, f"change the metric {current.name!r}")
        new = checked_metric(replace(current, **fields, version=current.version + 1))
        changes = _diff(current, new, tuple(fields))
        if not changes:
            return current
        with self._writing():
            self.db.table("metrics").update(
                (current.installation, current.id), rows.metric_row(new)
            )
            key = f"{current.installation}/{current.id}"
            self._record(name, "metrics", key, current.installation, changes, source)
        return new

    def archive_metric(
        self, actor: str, installation: str, metric: str, *, source: str = ""
    ) -> None:
        self.update_metric(actor, installation, metric, archived=True, source=source)

    def add_delay(
        self,
        actor: str,
        installation: str,
        reason: str,
        *,
        replanned: dt.date | str | None = None,
        recorded: dt.date | str | None = None,
        site: str | None = None,
        source: str = "",
    ) -> DelayEntry:
        """Append an entry to an installation's delay log; entries are never changed."""
        item = self.installation(installation)
        name = self._require_provider(actor, item, "record a delay")
        if not reason.strip():
            raise InvalidValue("reason", reason, "a sentence saying why production is late")
        entry = DelayEntry(
            id=0,
            installation=item.id,
            recorded=as_date(recorded, "recorded") or dt.date.fromisoformat(self.clock()[:10]),
            reason=reason.strip(),
            replanned=as_date(replanned, "replanned"),
            site=self._site(item.id, site).id if site else None,
            author=name,
        )
        with self._writing():
            new_row = {k: v for k, v in rows.delay_row(entry).items() if k != "id"}
            entry_id = self.db.table("delays").insert(new_row).last_pk
            entry = replace(entry, id=int(entry_id or 0))
            self._record(
                name,
                "delays",
                str(entry.id),
                item.id,
                {"reason": (None, entry.reason), "replanned": (None, entry.replanned)},
                source,
            )
        return entry

    def add_milestone(self, actor: str, milestone: Milestone, *, source: str = "") -> Milestone:
        name = self._require_leader(actor, "add a milestone")
        if not milestone.id.strip() or milestone.id != milestone.id.strip():
            raise InvalidValue("milestone id", milestone.id, "an id such as M5.5, no spaces around")
        if any(m.id.lower() == milestone.id.lower() for m in self.milestones()):
            raise InvalidValue("milestone id", milestone.id, "an id no other milestone has")
        new = _checked_milestone(self, replace(milestone, version=1))
        with self._writing():
            position = len(self.milestones())
            self.db.table("milestones").insert(rows.milestone_row(new) | {"position": position})
            self._record(name, "milestones", new.id, None, {"created": (None, new.title)}, source)
        return new

    def update_milestone(
        self,
        actor: str,
        milestone: str,
        *,
        expected_version: int | None = None,
        source: str = "",
        **fields: Any,
    ) -> Milestone:
        """Change a milestone's status, dates or title (leader only)."""
        current = self.milestone(milestone)
        name = self._require_leader(actor, f"change milestone {current.id}")
        _check_version(
            f"milestone {current.id}",
            current,
            expected_version,
            lambda: self._latest_change("milestones", current.id),
        )
        for key in ("achieved", "replanned"):
            if key in fields:
                fields[key] = as_date(fields[key], key)
        new = _checked_milestone(self, replace(current, **fields, version=current.version + 1))
        changes = _diff(current, new, tuple(fields))
        if not changes:
            return current
        with self._writing():
            self.db.table("milestones").update(current.id, rows.milestone_row(new))
            self._record(name, "milestones", current.id, None, changes, source)
        return new

    def add_period(self, actor: str, label: str, *, source: str = "") -> Period:
        name = self._require_leader(actor, "add a reporting period")
        with self._writing():
            period = self._insert_period(label)
            self._record(name, "periods", period.label, None, {"created": (None, label)}, source)
        return period

    def _insert_period(self, label: str) -> Period:
        period = parse_period(label, parse_start(self.project().start))
        table = self.db.table("periods")
        if table.count_where("label = ?", [period.label]):
            raise InvalidValue("period", label, "a period the project does not have yet")
        table.insert(
            {
                "label": period.label,
                "first_month": period.first,
                "last_month": period.last,
                "position": table.count,
            }
        )
        self._forget()
        return period

    def revert(self, actor: str, change_id: int, *, source: str = "") -> None:
        """Write back the old value of a recorded change; the revert is recorded too."""
        from vatui.store.revert import revert_change

        revert_change(self, actor, change_id, source)

    def backup(self, destination: str | Path, *, overwrite: bool = False) -> Path:
        """Copy the store through SQLite's online backup: safe while others have it open.

        The copy is written beside ``destination`` and moved into place when complete.
        """
        destination = Path(destination)
        if destination.is_dir():
            destination = destination / (self.path.name if self.path else "vatui.db")
        if destination.exists() and not overwrite:
            raise StoreError(f"{destination} already exists; pass --force to replace it")
        temporary = destination.with_name(f".{destination.name}.copying")
        remove_database_files(temporary)
        try:
            copy = sqlite3.connect(str(temporary))
            with copy:
                self.conn.backup(copy)
            copy.close()
            os.replace(temporary, destination)
        except (OSError, sqlite3.Error) as error:
            remove_database_files(temporary)
            raise StoreError(f"cannot write the backup {destination}: {error}") from None
        return destination

    # ---- loading whole records (project files) --------------------------------------------

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
        reviews: list[reviews.ReviewEntry] | None = None,
    ) -> None:
        """Insert a project file's records as they are, in one transaction (used by ``init``).

        Values keep their wording and are stamped with the leader and the store's clock; review
        entries are the record of earlier reviews and are kept as written.
        """
        entries = reviews or []
        leader, at = self.project().leader, self.clock()
        with self._writing():
            self.db.table("installations").insert_all(
                rows.installation_row(i) for i in installations
            )
            self._forget()
            self.db.table("sites").insert_all(
                s.__dict__ | {"archived": int(s.archived)} for s in sites
            )
            self.db.table("metrics").insert_all(rows.metric_row(m) for m in metrics)
            self.db.table("metric_values").insert_all(
                rows.value_row(replace(v, updated_by=leader, updated_at=at)) for v in values
            )
            self.db.table("assessments").insert_all(
                rows.assessment_row(replace(a, updated_by=leader, updated_at=at))
                for a in assessments
            )
            self.db.table("milestones").insert_all(
                rows.milestone_row(m) | {"position": n} for n, m in enumerate(milestones)
            )
            self.db.table("delays").insert_all(
                {k: v for k, v in rows.delay_row(d).items() if k != "id"} for d in delays
            )
            self.db.table("reviews").insert_all(
                {k: v for k, v in entry.__dict__.items() if k != "id"} for entry in entries
            )


# ---- helpers -------------------------------------------------------------------------------


def _may_change(name: str, leader: bool, item: Installation) -> bool:
    """The rule of who may change an installation: its providers and the project leader."""
    return leader or name in item.providers


def _where(conditions: dict[str, str | None]) -> tuple[str | None, list[str]]:
    """A WHERE clause of the conditions whose value is given (None drops one), and its values."""
    given = {clause: value for clause, value in conditions.items() if value is not None}
    return " and ".join(given) or None, list(given.values())


def _where_installation(installation: str | None) -> tuple[str | None, list[str]]:
    return _where({"installation = ?": installation or None})


def _first(items: Iterator[dict[str, Any]] | Any) -> dict[str, Any] | None:
    return next(iter(items), None)


def _dicts(cursor: sqlite3.Cursor) -> Iterator[dict[str, Any]]:
    names = [column[0] for column in cursor.description]
    return (dict(zip(names, row, strict=True)) for row in cursor)


def _group(items: Iterable[Any]) -> dict[str, list[Any]]:
    """Records by the installation they belong to, in the order given."""
    grouped: dict[str, list[Any]] = defaultdict(list)
    for item in items:
        grouped[item.installation].append(item)
    return grouped


def _check_version(
    what: str,
    current: Any,
    expected: int | None,
    latest: Callable[[], Change | None] | None = None,
) -> None:
    """Refuse an edit made against a version of the row that has changed since.

    A value keeps who changed it, when, and what it is now; for other rows ``latest`` gives the
    row's latest recorded change, which says the same of the field it changed.
    """
    if expected is None or current is None or current.version == expected:
        return
    by = getattr(current, "updated_by", "") or "another user"
    at = getattr(current, "updated_at", "") or "an unknown time"
    shown = getattr(current, "shown", None)
    change = latest() if latest and shown is None else None
    if change is not None:
        what = f"{what} ({change.field.replace('_', ' ')})"
        by, at, shown = change.actor, change.at, _cut(change.new or "")
    raise StaleEdit(what, current.version if shown is None else shown, by, at)


def _cut(text: str, width: int = 60) -> str:
    """A long text shortened for a one-line message."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _diff(old: Any, new: Any, fields: tuple[str, ...]) -> dict[str, tuple[object, object]]:
    changes = {}
    for name in fields:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            changes[name] = (before, after)
    return changes


def _created(value: Value) -> dict[str, tuple[object, object]]:
    changes: dict[str, tuple[object, object]] = {"shown": (None, value.shown)}
    if value.note:
        changes["note"] = (None, value.note)
    return changes


def _checked_milestone(store: Store, milestone: Milestone) -> Milestone:
    if not milestone.title.strip():
        raise InvalidValue("title", milestone.title, "a title, not empty")
    if not isinstance(milestone.due_month, int) or milestone.due_month < 1:
        raise InvalidValue("due month", milestone.due_month, "a project month number, e.g. 24")
    for ref in milestone.installations:
        store.installation(ref)
    return milestone


__all__ = ["MIGRATION_SET", "Store", "utc_now"]
