"""The store's later migration steps (after m005): periods judged as of their date, the
withdrawal of a submission, the readable views, and the mapping to the EOSC Accounting
Service. ``schema.STEPS`` lists them after the first five; old steps never change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vatui.store.sqlscript import run_script

if TYPE_CHECKING:
    from sqlite_utils import Database


def m006_periods_judged_as_of_their_date(db: Database) -> None:
    """What a period's report is judged at, and what it issued.

    * ``periods.cutoff``: the date the leader set (NULL: the day after the period ends);
    * ``stage_events``: the deployment stage and planned production date, each from a date, so
      that a period sees the stage of its own cut-off. Each installation's stage and date so
      far become one event from the project's first day (they were undated);
    * ``issued_chapters``: the exact bytes of each chapter exported with ``--final``;
    * the light thresholds belong to the project, and a metric may state its target.
    """
    run_script(
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


def m007_review_withdraw(db: Database) -> None:
    """A provider may withdraw a submission (back to draft) to change what it submitted: the
    reviews table takes the action ``withdraw``.

    SQLite cannot change a CHECK constraint in place, so the table is made again with the new
    one, its rows copied as they are (ids kept), and its index and triggers made again.
    """
    run_script(
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
    run_script(
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
    run_script(
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
