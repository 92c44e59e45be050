"""The store's schema, as a sequence of migrations.

Each migration is applied once and recorded in ``_sqlite_migrations`` (sqlite-utils'
``Migrations``). A store that names a migration this vatui does not know was written by a newer
vatui, and is refused rather than touched. New migrations go at the end; old ones never change.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATION_SET = "vatui"
Step = Callable[["Database"], None]
#: The schema's steps, oldest first. sqlite-utils applies them (``apply_migrations``); the list
#: is kept here so that opening a store, which only compares names, need not import it.
STEPS: list[Step] = []


def migrations() -> Callable[[Step], Step]:
    """Register the decorated function as the next step of the schema."""

    def register(step: Step) -> Step:
        STEPS.append(step)
        return step

    return register


@migrations()
def m001_initial(db: Database) -> None:
    """Every table the deliverable needs, with the history table that records each change."""
    _run_script(
        db,
        """
        CREATE TABLE project (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            name TEXT NOT NULL,
            grant_number TEXT NOT NULL DEFAULT '',
            work_package TEXT NOT NULL DEFAULT '',
            start TEXT NOT NULL,
            leader TEXT NOT NULL,
            chapter INTEGER NOT NULL DEFAULT 2
        );
        CREATE TABLE periods (
            label TEXT PRIMARY KEY,
            first_month INTEGER NOT NULL,
            last_month INTEGER NOT NULL,
            position INTEGER NOT NULL
        );
        CREATE TABLE installations (
            id TEXT PRIMARY KEY,
            number INTEGER NOT NULL UNIQUE,
            name TEXT NOT NULL,
            providers TEXT NOT NULL DEFAULT '[]',
            description TEXT NOT NULL DEFAULT '',
            task TEXT NOT NULL DEFAULT '',
            url TEXT NOT NULL DEFAULT '',
            service_category TEXT NOT NULL DEFAULT '',
            service_catalogue TEXT NOT NULL DEFAULT '',
            location TEXT NOT NULL DEFAULT '',
            modality_of_access TEXT NOT NULL DEFAULT '',
            support_offered TEXT NOT NULL DEFAULT '',
            operational_since TEXT NOT NULL DEFAULT '',
            user_definition TEXT NOT NULL DEFAULT '',
            stage TEXT NOT NULL DEFAULT 'in development'
                CHECK (stage IN ('in development', 'near-operational', 'operational')),
            planned_production TEXT,
            archived INTEGER NOT NULL DEFAULT 0,
            version INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE sites (
            installation TEXT NOT NULL REFERENCES installations(id),
            id TEXT NOT NULL,
            name TEXT NOT NULL,
            code TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL,
            archived INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (installation, id)
        );
        CREATE TABLE metrics (
            installation TEXT NOT NULL REFERENCES installations(id),
            id TEXT NOT NULL,
            site TEXT,
            name TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'count' CHECK (kind IN ('count', 'countries', 'text')),
            baseline REAL,
            baseline_countries TEXT NOT NULL DEFAULT '[]',
            baseline_text TEXT NOT NULL DEFAULT '',
            per_year INTEGER NOT NULL DEFAULT 0,
            measured TEXT NOT NULL DEFAULT '',
            direction TEXT NOT NULL DEFAULT 'higher' CHECK (direction IN ('higher', 'lower')),
            green_at REAL,
            amber_at REAL,
            position INTEGER NOT NULL,
            archived INTEGER NOT NULL DEFAULT 0,
            version INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (installation, id),
            FOREIGN KEY (installation, site) REFERENCES sites(installation, id)
        );
        CREATE TABLE metric_values (
            installation TEXT NOT NULL,
            metric TEXT NOT NULL,
            period TEXT NOT NULL REFERENCES periods(label),
            number NUMERIC,
            countries TEXT,
            text TEXT,
            display TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            updated_by TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (installation, metric, period),
            FOREIGN KEY (installation, metric) REFERENCES metrics(installation, id),
            CHECK (number IS NULL OR number >= 0)
        );
        CREATE INDEX metric_values_period ON metric_values(period);
        CREATE TABLE assessments (
            installation TEXT NOT NULL REFERENCES installations(id),
            site TEXT NOT NULL DEFAULT '',
            period TEXT NOT NULL REFERENCES periods(label),
            assessment TEXT NOT NULL DEFAULT '',
            delay TEXT NOT NULL DEFAULT '',
            planning TEXT NOT NULL DEFAULT '',
            updated_by TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (installation, site, period)
        );
        CREATE TABLE milestones (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            due_month INTEGER NOT NULL,
            status TEXT NOT NULL DEFAULT '',
            achieved TEXT,
            replanned TEXT,
            note TEXT NOT NULL DEFAULT '',
            installations TEXT NOT NULL DEFAULT '[]',
            position INTEGER NOT NULL,
            version INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE delays (
            id INTEGER PRIMARY KEY,
            installation TEXT NOT NULL REFERENCES installations(id),
            site TEXT,
            recorded TEXT NOT NULL,
            reason TEXT NOT NULL,
            replanned TEXT,
            author TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX delays_installation ON delays(installation);
        CREATE TRIGGER delays_append_only_update BEFORE UPDATE ON delays
        BEGIN SELECT RAISE(ABORT, 'delay entries are never changed, only added'); END;
        CREATE TRIGGER delays_append_only_delete BEFORE DELETE ON delays
        BEGIN SELECT RAISE(ABORT, 'delay entries are never deleted'); END;
        CREATE TABLE history (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            table_name TEXT NOT NULL,
            row_key TEXT NOT NULL,
            field TEXT NOT NULL,
            old TEXT,
            new TEXT,
            installation TEXT,
            source TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX history_installation ON history(installation, id);
        CREATE INDEX history_at ON history(at);
        """,
    )


@migrations()
def m002_reviews(db: Database) -> None:
    """The review thread of each installation and period: every transition and comment, kept.

    An installation-period's state is the state after its latest entry (``draft`` if none).
    """
    _run_script(
        db,
        """
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            installation TEXT NOT NULL REFERENCES installations(id),
            period TEXT NOT NULL REFERENCES periods(label),
            action TEXT NOT NULL
                CHECK (action IN ('submit', 'accept', 'return', 'reopen', 'comment')),
            state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'accepted', 'returned')),
            actor TEXT NOT NULL,
            at TEXT NOT NULL,
            comment TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX reviews_period ON reviews(period, installation, id);
        CREATE TRIGGER reviews_append_only_update BEFORE UPDATE ON reviews
        BEGIN SELECT RAISE(ABORT, 'review entries are never changed, only added'); END;
        CREATE TRIGGER reviews_append_only_delete BEFORE DELETE ON reviews
        BEGIN SELECT RAISE(ABORT, 'review entries are never deleted'); END;
        """,
    )


@migrations()
def m003_roster(db: Database) -> None:
    """Who is who on a shared host: each OS login's organisation and role (see store/roster.py).

    Empty means a machine of one's own, where ``--as`` decides.
    """
    _run_script(
        db,
        """
        CREATE TABLE roster (
            login TEXT PRIMARY KEY,
            organisation TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('provider', 'leader', 'viewer'))
        );
        """,
    )


@migrations()
def m004_values_by_period_and_installation(db: Database) -> None:
    """The values of some installations in a period (what a screen shows) found directly, not by
    reading the whole period's; the index it replaces answered only the period."""
    _run_script(
        db,
        """
        CREATE INDEX metric_values_period_installation ON metric_values(period, installation);
        DROP INDEX metric_values_period;
        """,
    )


@migrations()
def m005_store_wide_versions(db: Database) -> None:
    """One counter that every new version of every row takes its number from, so that a row
    never has the same version twice, even one cleared and made again: an edit made against
    the version before is then refused, not written over the newer one.

    It starts above every version and change the store has had (a row's version never
    exceeds one more than the history rows before it).
    """
    _run_script(
        db,
        """
        CREATE TABLE version_counter (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            last INTEGER NOT NULL
        );
        INSERT INTO version_counter (id, last) SELECT 1, max(
            coalesce((SELECT max(version) FROM metric_values), 0),
            coalesce((SELECT max(version) FROM assessments), 0),
            coalesce((SELECT max(version) FROM installations), 0),
            coalesce((SELECT max(version) FROM metrics), 0),
            coalesce((SELECT max(version) FROM milestones), 0),
            coalesce((SELECT max(id) FROM history), 0) + 1
        );
        """,
    )


@migrations()
def m006_periods_judged_as_of_their_date(db: Database) -> None:
    """What a period's report is judged at, and what it issued.

    * ``periods.cutoff``: the date the leader set (NULL: the day after the period ends);
    * ``stage_events``: the deployment stage and planned production date, each from a date, so
      that a period sees the stage of its own cut-off. Each installation's stage and date so
      far become one event from the project's first day (they were undated);
    * ``issued_chapters``: the exact bytes of each chapter exported with ``--final``;
    * the light thresholds belong to the project, and a metric may state its target.
    """
    _run_script(
        db,
        """
        ALTER TABLE periods ADD COLUMN cutoff TEXT;
        ALTER TABLE project ADD COLUMN green_at REAL NOT NULL DEFAULT 1.0;
        ALTER TABLE project ADD COLUMN amber_at REAL NOT NULL DEFAULT 0.5;
        ALTER TABLE metrics ADD COLUMN target REAL;
        CREATE TABLE stage_events (
            id INTEGER PRIMARY KEY,
            installation TEXT NOT NULL REFERENCES installations(id),
            since TEXT NOT NULL,
            stage TEXT NOT NULL
                CHECK (stage IN ('in development', 'near-operational', 'operational')),
            planned_production TEXT,
            actor TEXT NOT NULL DEFAULT '',
            at TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX stage_events_installation ON stage_events(installation, since, id);
        CREATE TRIGGER stage_events_append_only_update BEFORE UPDATE ON stage_events
        BEGIN SELECT RAISE(ABORT, 'stage events are never changed, only added'); END;
        CREATE TRIGGER stage_events_append_only_delete BEFORE DELETE ON stage_events
        BEGIN SELECT RAISE(ABORT, 'stage events are never deleted'); END;
        INSERT INTO stage_events (installation, since, stage, planned_production)
            SELECT id, (SELECT start || '-01' FROM project), stage, planned_production
            FROM installations
            WHERE stage != 'in development' OR planned_production IS NOT NULL;
        CREATE TABLE issued_chapters (
            id INTEGER PRIMARY KEY,
            period TEXT NOT NULL REFERENCES periods(label),
            cutoff TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            actor TEXT NOT NULL,
            at TEXT NOT NULL,
            text TEXT NOT NULL
        );
        CREATE INDEX issued_chapters_period ON issued_chapters(period, id);
        CREATE TRIGGER issued_chapters_append_only_update BEFORE UPDATE ON issued_chapters
        BEGIN SELECT RAISE(ABORT, 'an issued chapter is never changed'); END;
        CREATE TRIGGER issued_chapters_append_only_delete BEFORE DELETE ON issued_chapters
        BEGIN SELECT RAISE(ABORT, 'an issued chapter is never deleted'); END;
        """,
    )


@migrations()
def m007_review_withdraw(db: Database) -> None:
    """A provider may withdraw a submission (back to draft) to change what it submitted: the
    reviews table takes the action ``withdraw``.

    SQLite cannot change a CHECK constraint in place, so the table is made again with the new
    one, its rows copied as they are (ids kept), and its index and triggers made again.
    """
    _run_script(
        db,
        """
        DROP TRIGGER reviews_append_only_update;
        DROP TRIGGER reviews_append_only_delete;
        CREATE TABLE reviews_withdraw (
            id INTEGER PRIMARY KEY,
            installation TEXT NOT NULL REFERENCES installations(id),
            period TEXT NOT NULL REFERENCES periods(label),
            action TEXT NOT NULL CHECK (
                action IN ('submit', 'withdraw', 'accept', 'return', 'reopen', 'comment')
            ),
            state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'accepted', 'returned')),
            actor TEXT NOT NULL,
            at TEXT NOT NULL,
            comment TEXT NOT NULL DEFAULT ''
        );
        INSERT INTO reviews_withdraw (id, installation, period, action, state, actor, at, comment)
            SELECT id, installation, period, action, state, actor, at, comment FROM reviews;
        DROP TABLE reviews;
        ALTER TABLE reviews_withdraw RENAME TO reviews;
        CREATE INDEX reviews_period ON reviews(period, installation, id);
        CREATE TRIGGER reviews_append_only_update BEFORE UPDATE ON reviews
        BEGIN SELECT RAISE(ABORT, 'review entries are never changed, only added'); END;
        CREATE TRIGGER reviews_append_only_delete BEFORE DELETE ON reviews
        BEGIN SELECT RAISE(ABORT, 'review entries are never deleted'); END;
        """,
    )


@migrations()
def m008_readable_views(db: Database) -> None:
    """Views for people who open the store with Datasette, sqlite-utils or a spreadsheet, where
    the tables show ids, a value split over four columns and providers as JSON text.

    * ``installation_metric_values``: a row per value, with the installation's, site's and
      metric's names, the period, the value in one column (a number, the countries' ISO codes,
      or the text), the baseline, the target, the review state, who entered it and when;
    * ``installation_providers``: each live installation once per provider.

    The target follows ``store/lights.py`` (``metric_target``), which a test holds it to. The
    lights are not here: they are computed in Python, and a second copy of that rule in SQL
    could come to disagree with the app; ``vatui status --format csv`` gives them.

    A later step that makes one of the tables these views read anew (as m007 does: create,
    copy, drop, rename) must drop the views first and make them again after: SQLite refuses
    to rename a table into place while a view names a table that is missing.
    """
    _run_script(
        db,
        """
        CREATE VIEW installation_metric_values AS
        SELECT
            i.name AS installation,
            i.id AS installation_id,
            i.number AS installation_number,
            s.name AS site,
            m.site AS site_id,
            m.name AS metric,
            m.id AS metric_id,
            m.kind AS kind,
            v.period AS period,
            CASE
                WHEN v.number IS NOT NULL THEN v.number
                WHEN v.countries IS NOT NULL THEN
                    (SELECT group_concat(c.value, ', ') FROM json_each(v.countries) AS c)
                ELSE v.text
            END AS value,
            CASE WHEN v.countries IS NOT NULL THEN json_array_length(v.countries) END
                AS countries_count,
            nullif(v.display, '') AS display,
            v.note AS note,
            CASE
                WHEN m.kind = 'countries' THEN
                    (SELECT group_concat(c.value, ', ') FROM json_each(m.baseline_countries) AS c)
                ELSE m.baseline
            END AS baseline,
            nullif(m.baseline_text, '') AS baseline_wording,
            CASE
                WHEN m.kind = 'text' THEN NULL
                WHEN m.kind = 'countries' THEN coalesce(
                    m.target,
                    CASE
                        WHEN (' ' || lower(m.baseline_text) || ' ')
                            GLOB '*[^a-z0-9_]etc[^a-z0-9_]*' THEN NULL
                        ELSE nullif(json_array_length(m.baseline_countries), 0)
                    END
                )
                WHEN m.per_year THEN coalesce(m.target, m.baseline)
                    * (p.last_month - p.first_month + 1) / 12.0
                ELSE coalesce(m.target, m.baseline)
            END AS target,
            m.measured AS measured,
            coalesce(
                (SELECT r.state FROM reviews AS r
                 WHERE r.installation = v.installation AND r.period = v.period
                 ORDER BY r.id DESC LIMIT 1),
                'draft'
            ) AS review,
            v.updated_by AS updated_by,
            v.updated_at AS updated_at
        FROM metric_values AS v
        JOIN installations AS i ON i.id = v.installation
        JOIN metrics AS m ON m.installation = v.installation AND m.id = v.metric
        JOIN periods AS p ON p.label = v.period
        LEFT JOIN sites AS s ON s.installation = m.installation AND s.id = m.site
        WHERE i.archived = 0 AND m.archived = 0
        ORDER BY p.position, i.number, m.position;
        CREATE VIEW installation_providers AS
        SELECT
            i.name AS installation,
            i.id AS installation_id,
            i.number AS installation_number,
            provider.value AS provider,
            i.stage AS stage,
            i.planned_production AS planned_production,
            i.task AS task,
            i.url AS url,
            i.service_category AS service_category,
            i.location AS location
        FROM installations AS i, json_each(i.providers) AS provider
        WHERE i.archived = 0
        ORDER BY i.number, provider.key;
        """,
    )


@migrations()
def m009_accounting(db: Database) -> None:
    """Where the figures go on the EOSC Accounting Service, and what was sent there.

    * ``accounting_installations``: an installation's id on the service;
    * ``accounting_metrics``: a metric's definition there, by its id or by the name, unit type
      and metric type to create it with (``accounting_definitions`` keeps the ids the service
      gave the definitions vatui created, so each is created once);
    * ``accounting_sent``: each figure sent, with the id the service gave it and what was
      sent, written as soon as the service answers: after a failure half-way, a second push
      updates what changed and adds nothing twice.
    """
    _run_script(
        db,
        """
        CREATE TABLE accounting_installations (
            installation TEXT PRIMARY KEY REFERENCES installations(id),
            remote_id TEXT NOT NULL
        );
        CREATE TABLE accounting_metrics (
            installation TEXT NOT NULL REFERENCES installations(id),
            metric TEXT NOT NULL,
            definition_id TEXT,
            name TEXT,
            unit_type TEXT,
            metric_type TEXT,
            PRIMARY KEY (installation, metric),
            CHECK (definition_id IS NOT NULL
                OR (name IS NOT NULL AND unit_type IS NOT NULL AND metric_type IS NOT NULL))
        );
        CREATE TABLE accounting_definitions (
            name TEXT NOT NULL,
            unit_type TEXT NOT NULL,
            metric_type TEXT NOT NULL,
            remote_id TEXT NOT NULL,
            PRIMARY KEY (name, unit_type, metric_type)
        );
        CREATE TABLE accounting_sent (
            installation TEXT NOT NULL REFERENCES installations(id),
            metric TEXT NOT NULL,
            period TEXT NOT NULL REFERENCES periods(label),
            remote_installation TEXT NOT NULL,
            remote_id TEXT NOT NULL,
            definition_id TEXT NOT NULL,
            time_period_start TEXT NOT NULL,
            time_period_end TEXT NOT NULL,
            value REAL NOT NULL,
            sent_at TEXT NOT NULL,
            sent_by TEXT NOT NULL,
            PRIMARY KEY (installation, metric, period)
        );
        """,
    )


def _run_script(db: Database, script: str) -> None:
    """Run SQL statements one by one: ``executescript`` would commit the migration's transaction."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""


def known_migrations() -> list[str]:
    """The names of the migrations this vatui knows, oldest first."""
    return [step.__name__ for step in STEPS]


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    """The names of the migrations a store has had, in the order they were applied, as
    sqlite-utils records them."""
    tables = "select 1 from sqlite_master where type = 'table' and name = '_sqlite_migrations'"
    if conn.execute(tables).fetchone() is None:
        return []
    applied = "select name from _sqlite_migrations where migration_set = ? order by rowid"
    return [name for (name,) in conn.execute(applied, [MIGRATION_SET])]


def apply_migrations(db: Database) -> None:
    """Apply the steps the store has not had yet, each in its own transaction."""
    from sqlite_utils import Migrations

    pending = Migrations(MIGRATION_SET)
    for step in STEPS:
        pending()(step)
    pending.apply(db)
