"""What each table, view and column of the store holds, in words: for people who open the file
with Datasette, sqlite-utils or a spreadsheet rather than with vatui.

``datasette_metadata`` gives them as a Datasette metadata file (``vatui metadata -o FILE``
writes it); a test checks that every column the schema has is described here, so a new
migration cannot leave one out.
"""

from __future__ import annotations

from typing import Any

_WHO = "the organisation that wrote it"
_WHEN = "when it was written, UTC, ISO 8601"
_VERSION = (
    "the row's version, from one store-wide counter (an edit made against an older one is refused)"
)
_INSTALLATION = "the installation's short id (installations.id)"
_PERIOD = "the reporting period, a month range such as M13-M24 (periods.label)"

#: Table or view -> (what it holds, {column: what it holds}).
TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "installation_metric_values": (
        "A row per metric value, readable: names instead of ids, the value in one column, the "
        "baseline and the target the light is judged against. No lights: they are computed "
        "by vatui (`vatui status --format csv` gives them).",
        {
            "installation": "the installation's name",
            "installation_id": _INSTALLATION,
            "installation_number": "its number: section 2.N of the chapter",
            "site": "the site's name, where the installation has several (else empty)",
            "site_id": "the site's short id",
            "metric": "the metric's name, as the deliverable words it",
            "metric_id": "the metric's short id",
            "kind": "count, countries or text",
            "period": _PERIOD,
            "value": "a number; the countries' ISO 3166 alpha-2 codes, comma-separated; or text",
            "countries_count": "how many countries the value lists (countries metrics only)",
            "display": "the value as the report prints it, where it differs from the figure",
            "note": "the provider's note on the value",
            "baseline": "the baseline figure, or the baseline countries' ISO codes",
            "baseline_wording": "the baseline as the deliverable words it (e.g. ~300 / y)",
            "target": "what the value is held against: the stated target or the baseline, "
            "pro-rated for a yearly baseline in a period of other than 12 months; for "
            "countries, the number listed (none for an open list ending in etc)",
            "measured": "how the measurement is done",
            "review": "the review state of the installation's figures for the period: draft, "
            "submitted, returned or accepted",
            "updated_by": _WHO,
            "updated_at": _WHEN,
        },
    ),
    "installation_providers": (
        "Each installation once per provider organisation.",
        {
            "installation": "the installation's name",
            "installation_id": _INSTALLATION,
            "installation_number": "its number: section 2.N of the chapter",
            "provider": "an organisation providing it",
            "stage": "its deployment stage now: in development, near-operational, operational",
            "planned_production": "the date production is planned for, YYYY-MM-DD",
            "task": "the project task it belongs to",
            "url": "its web page",
            "service_category": "its service category",
            "location": "where it runs",
        },
    ),
    "project": (
        "The project: one row.",
        {
            "id": "always 1",
            "name": "the project's name",
            "grant_number": "the grant agreement's number",
            "work_package": "the work package the chapter reports on",
            "start": "the calendar month of M1, YYYY-MM",
            "leader": "the leader organisation (the WP leader), who reviews and issues",
            "chapter": "the chapter's number in the deliverable (2 gives sections 2.N)",
            "green_at": "the share of its target from which a metric is green",
            "amber_at": "the share of its target from which a metric is amber (below: red)",
        },
    ),
    "periods": (
        "The reporting periods.",
        {
            "label": "the month range, e.g. M13-M24",
            "first_month": "its first project month",
            "last_month": "its last project month",
            "position": "its order",
            "cutoff": "the date it is judged at, set by the leader (empty: the day after it)",
        },
    ),
    "installations": (
        "The Virtual Access installations, with their description table's fields.",
        {
            "id": "its short id, e.g. uc5",
            "number": "its number: section 2.N of the chapter",
            "name": "its name",
            "providers": "the providing organisations, a JSON list (one a row: "
            "installation_providers)",
            "description": "Description",
            "task": "Task",
            "url": "URL",
            "service_category": "Service Category",
            "service_catalogue": "Service Catalogue",
            "location": "Location",
            "modality_of_access": "Modality of access",
            "support_offered": "Support offered",
            "operational_since": "Operational since",
            "user_definition": "User definition",
            "stage": "its deployment stage now (stage_events holds them dated)",
            "planned_production": "the date production is planned for",
            "archived": "1 when archived: kept, but no longer shown",
            "version": _VERSION,
        },
    ),
    "sites": (
        "The sites of installations that have several, each with its own metrics table.",
        {
            "installation": _INSTALLATION,
            "id": "the site's short id",
            "name": "its name",
            "code": "its code in the deliverable, e.g. UC3o",
            "position": "its order",
            "archived": "1 when archived",
        },
    ),
    "metrics": (
        "The metrics of each installation (and site).",
        {
            "installation": _INSTALLATION,
            "id": "the metric's short id",
            "site": "the site's short id, where it is a site's",
            "name": "its name, as the deliverable words it",
            "kind": "count, countries or text",
            "baseline": "the baseline figure (counts)",
            "baseline_countries": "the baseline countries' ISO codes, a JSON list",
            "baseline_text": "the baseline as the deliverable words it",
            "per_year": "1 when the baseline is per year (pro-rated for other periods)",
            "measured": "how the measurement is done",
            "direction": "higher or lower: which is better",
            "green_at": "its own green share, instead of the project's",
            "amber_at": "its own amber share, instead of the project's",
            "position": "its order",
            "archived": "1 when archived",
            "version": _VERSION,
            "target": "a target stated in the project, instead of the baseline",
        },
    ),
    "metric_values": (
        "Each metric's value for a period, by ids (installation_metric_values reads better).",
        {
            "installation": _INSTALLATION,
            "metric": "the metric's short id",
            "period": _PERIOD,
            "number": "the value of a count",
            "countries": "the value of a countries metric: ISO codes, a JSON list",
            "text": "the value of a text metric",
            "display": "the wording the report prints, where it differs from the figure",
            "note": "the provider's note",
            "updated_by": _WHO,
            "updated_at": _WHEN,
            "version": _VERSION,
        },
    ),
    "assessments": (
        "The texts of each installation (and site) for a period, in markdown.",
        {
            "installation": _INSTALLATION,
            "site": "the site's short id (empty: the installation's own)",
            "period": _PERIOD,
            "assessment": "the assessment",
            "delay": "the explanation of the delay",
            "planning": "the planning for achieving production status",
            "updated_by": _WHO,
            "updated_at": _WHEN,
            "version": _VERSION,
        },
    ),
    "milestones": (
        "The work package's milestones.",
        {
            "id": "its id, e.g. M5.4",
            "title": "its title",
            "due_month": "the project month it is due",
            "status": "its status in words",
            "achieved": "the date it was achieved",
            "replanned": "the date it is re-planned for",
            "note": "a note",
            "installations": "the installations it concerns, a JSON list of ids",
            "position": "its order",
            "version": _VERSION,
        },
    ),
    "delays": (
        "The delay log: entries are only ever added.",
        {
            "id": "the entry's number",
            "installation": _INSTALLATION,
            "site": "the site's short id, where one site is late",
            "recorded": "the date it was recorded",
            "reason": "why",
            "replanned": "the date production is re-planned for",
            "author": "the organisation that recorded it",
        },
    ),
    "history": (
        "Every change to every field: old value, new value, who, when.",
        {
            "id": "the change's number (`vatui revert N`)",
            "at": _WHEN,
            "actor": "the organisation that made it",
            "table_name": "the table changed",
            "row_key": "the row changed, its key parts joined by / (a period's row ends in it)",
            "field": "the field changed",
            "old": "its value before, as text",
            "new": "its value after, as text",
            "installation": "the installation concerned, if any",
            "source": "what made it: the app, a command, an import",
        },
    ),
    "reviews": (
        "The review thread of each installation and period: only ever added to.",
        {
            "id": "the entry's number",
            "installation": _INSTALLATION,
            "period": _PERIOD,
            "action": "submit, withdraw, accept, return, reopen or comment",
            "state": "the state it left: draft, submitted, returned or accepted",
            "actor": "the organisation that took the step",
            "at": _WHEN,
            "comment": "what and why",
        },
    ),
    "roster": (
        "Who is who on a shared host: OS logins and their organisations.",
        {
            "login": "an OS login name",
            "organisation": "the organisation it works for",
            "role": "provider, leader or viewer",
        },
    ),
    "stage_events": (
        "Each installation's deployment stage and planned production date, from a date.",
        {
            "id": "the event's number",
            "installation": _INSTALLATION,
            "since": "the date it holds from",
            "stage": "in development, near-operational or operational",
            "planned_production": "the planned production date from then on",
            "actor": "the organisation that recorded it",
            "at": _WHEN,
        },
    ),
    "issued_chapters": (
        "Each chapter issued with `vatui export --final`, exactly as issued.",
        {
            "id": "its number",
            "period": _PERIOD,
            "cutoff": "the date it was judged at",
            "sha256": "the SHA-256 of its text",
            "actor": "the leader organisation that issued it",
            "at": _WHEN,
            "text": "the chapter's markdown",
        },
    ),
    "accounting_installations": (
        "Each installation's id on the EOSC Accounting Service (`vatui accounting push`).",
        {"installation": _INSTALLATION, "remote_id": "its installation id on the service"},
    ),
    "accounting_metrics": (
        "Each metric's definition on the EOSC Accounting Service: its id there, or the name, "
        "unit type and metric type vatui creates it with.",
        {
            "installation": _INSTALLATION,
            "metric": "the metric's short id",
            "definition_id": "the service's metric definition id, when given",
            "name": "the metric definition's name, to create it with",
            "unit_type": "its unit type, e.g. #",
            "metric_type": "its metric type, e.g. count",
        },
    ),
    "accounting_definitions": (
        "The metric definitions vatui created on the EOSC Accounting Service, with their ids.",
        {
            "name": "the definition's name",
            "unit_type": "its unit type",
            "metric_type": "its metric type",
            "remote_id": "the id the service gave it",
        },
    ),
    "accounting_sent": (
        "Each figure sent to the EOSC Accounting Service, as sent, with the id it got there.",
        {
            "installation": _INSTALLATION,
            "metric": "the metric's short id",
            "period": _PERIOD,
            "remote_installation": "the installation's id on the service",
            "remote_id": "the metric id the service gave the figure",
            "definition_id": "the metric definition id it was sent under",
            "time_period_start": "the start of the period as sent, UTC",
            "time_period_end": "the end of the period as sent, UTC",
            "value": "the number sent",
            "sent_at": _WHEN,
            "sent_by": "the organisation that sent it",
        },
    ),
}

#: vatui's own bookkeeping: hidden in Datasette.
HIDDEN = {
    "version_counter": ("The last version given to a row.", {"id": "always 1", "last": "it"}),
    "_sqlite_migrations": (
        "The schema steps this store has had (sqlite-utils' migrations).",
        {
            "id": "the step's number",
            "migration_set": "vatui",
            "name": "the step's name",
            "applied_at": "when it was applied",
        },
    ),
}


def datasette_metadata(database: str, title: str) -> dict[str, Any]:
    """Datasette's metadata for a store opened as ``database`` (Datasette names a database by
    its file's name without the extension): a title, and each table's and column's meaning."""
    tables: dict[str, Any] = {
        name: {"description": about, "columns": columns}
        for name, (about, columns) in TABLES.items()
    }
    for name, (about, columns) in HIDDEN.items():
        tables[name] = {"description": about, "columns": columns, "hidden": True}
    return {
        "title": title,
        "description": "A vatui store: the metrics of Virtual Access installations, their "
        "reviews and history. Start with installation_metric_values.",
        "databases": {database: {"tables": tables}},
    }
