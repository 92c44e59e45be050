"""The store's schema, as a sequence of migrations.

Each migration is applied once and recorded in ``_sqlite_migrations`` (sqlite-utils'
``Migrations``). A store that names a migration this vatui does not know was written by a newer
vatui, and is refused rather than touched. The first five steps are here, the later ones in
``schema_later.py``; a new step goes at the end of that module and of ``STEPS``. Old steps
never change.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from vatui.store import schema_later
from vatui.store.sqlscript import run_script

if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATION_SET = "vatui"
Step = Callable[["Database"], None]


def m001_initial(db: Database) -> None:
    """Every table the deliverable needs, with the history table that records each change."""
    run_script(
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


def m002_reviews(db: Database) -> None:
    """The review thread of each installation and period: every transition and comment, kept.

    An installation-period's state is the state after its latest entry (``draft`` if none).
    """
    run_script(
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


def m003_roster(db: Database) -> None:
    """Who is who on a shared host: each OS login's organisation and role (see store/roster.py).

    Empty means a machine of one's own, where ``--as`` decides.
    """
    run_script(
        db,
        """
        CREATE TABLE roster (
            login TEXT PRIMARY KEY,
            organisation TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('provider', 'leader', 'viewer'))
        );
        """,
    )


def m004_values_by_period_and_installation(db: Database) -> None:
    """The values of some installations in a period (what a screen shows) found directly, not by
    reading the whole period's; the index it replaces answered only the period."""
    run_script(
        db,
        """
        CREATE INDEX metric_values_period_installation ON metric_values(period, installation);
        DROP INDEX metric_values_period;
        """,
    )


def m005_store_wide_versions(db: Database) -> None:
    """One counter that every new version of every row takes its number from, so that a row
    never has the same version twice, even one cleared and made again: an edit made against
    the version before is then refused, not written over the newer one.

    It starts above every version and change the store has had (a row's version never
    exceeds one more than the history rows before it).
    """
    run_script(
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


#: The schema's steps, oldest first. sqlite-utils applies them (``apply_migrations``); the list
#: is kept here so that opening a store, which only compares names, need not import it.
STEPS: list[Step] = [
    m001_initial,
    m002_reviews,
    m003_roster,
    m004_values_by_period_and_installation,
    m005_store_wide_versions,
    schema_later.m006_periods_judged_as_of_their_date,
    schema_later.m007_review_withdraw,
    schema_later.m008_readable_views,
    schema_later.m009_accounting,
]


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
