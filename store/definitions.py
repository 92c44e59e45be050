"""The leader's definitions: installations, sites, metrics, milestones and periods.

Adding checks that an id is new; every update takes one path (``_update``): the caller
resolves the row and checks who may change it, then the edit is checked against the version
the editor saw, written if anything differs, and every changed field recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any, TypeVar

from vatui.store import rows
from vatui.store.asof import FIRST_STAGE
from vatui.store.changes import check_version, diff
from vatui.store.core import writes
from vatui.store.errors import InvalidValue
from vatui.store.models import DESCRIPTION_FIELDS, Installation, Metric, Milestone, Site
from vatui.store.periods import Period, parse_period, parse_start
from vatui.store.timeline import KEEP, Timeline
from vatui.store.validation import (
    as_date,
    check_id,
    check_name,
    checked_metric,
    checked_milestone_texts,
    clean_installation_fields,
)

# Fields a provider may change on its own installation; the rest are the leader's.
PROVIDER_FIELDS = {name for name, _ in DESCRIPTION_FIELDS if name != "providers"} | {
    "stage",
    "planned_production",
}
LEADER_FIELDS = {"name", "number", "providers", "archived"}

Row = TypeVar("Row", Installation, Site, Metric, Milestone)
# Each updatable table: its row map, and the words that name one of its rows.
_TABLES: dict[str, tuple[rows.RowMap[Any], str]] = {
    "installations": (rows.INSTALLATIONS, "installation"),
    "sites": (rows.SITES, "site"),
    "metrics": (rows.METRICS, "metric"),
    "milestones": (rows.MILESTONES, "milestone"),
}


class Definitions(Timeline):
    """The calls of ``Store`` that change what a project reports on."""

    def _update(
        self,
        name: str,
        table: str,
        current: Row,
        new: Row,
        fields: dict[str, Any],
        *,
        expected_version: int | None = None,
        source: str,
    ) -> Row:
        """Write ``new`` over ``current`` in ``table`` as ``name``, if the editor saw the
        current version and anything of ``fields`` differs; record each changed field."""
        row_map, word = _TABLES[table]
        parent = getattr(current, "installation", None)  # sites and metrics belong to one
        key = (parent, current.id) if parent else (current.id,)
        row_key = "/".join(key)
        check_version(
            f"{word} {row_key}",
            current,
            expected_version,
            lambda: self.latest_change(table, row_key),
        )
        changes = diff(current, new, tuple(fields))
        if not changes:
            return current
        if not isinstance(new, Site):  # sites have no version: nobody edits them at once
            new = replace(new, version=self.next_version())
        installation = current.id if isinstance(current, Installation) else parent
        self.db.table(table).update(key, row_map.dump(new))
        self.record_change(name, table, row_key, installation, changes, source)
        return new

    # ---- installations -----------------------------------------------------------------------

    @writes
    def update_installation(
        self,
        actor: str,
        installation: str,
        *,
        expected_version: int | None = None,
        since: dt.date | str | None = None,
        source: str = "",
        **fields: Any,
    ) -> Installation:
        """Change description fields, stage or planned production (providers and leader), or
        name, number and providers (leader only).

        A stage or planned date changed here is a stage event from ``since`` (default today;
        see ``set_stage``)."""
        staged: dict[str, Any] = {
            key: fields.pop(key) for key in ("stage", "planned_production") if key in fields
        }
        item = self.installation(installation)
        unknown = set(fields) - PROVIDER_FIELDS - LEADER_FIELDS
        if unknown:
            raise InvalidValue(
                "field", ", ".join(sorted(unknown)), "a description field, stage or name"
            )
        if set(fields) & LEADER_FIELDS:
            name = self.require_leader(actor, f"change {item.id}'s name, number or providers")
        else:
            name = self.require_provider(actor, item, "edit the description")
        check_version(
            f"installation {item.id}",
            item,
            expected_version,
            lambda: self.latest_change("installations", item.id),
        )
        if fields:
            new = replace(item, **clean_installation_fields(fields))
            self._update(name, "installations", item, new, fields, source=source)
        if staged:
            self._stage_from(name, self.installation(item.id), staged, since, source)
        return self.installation(item.id)

    def _stage_from(
        self,
        actor: str,
        item: Installation,
        staged: dict[str, Any],
        since: dt.date | str | None,
        source: str,
    ) -> None:
        """Record a stage event from ``since`` where the stage or planned date differs from
        the installation's now."""
        clean = clean_installation_fields(staged)
        stage = clean.get("stage", item.stage)
        planned = clean.get("planned_production", item.planned_production)
        if (stage, planned) != (item.stage, item.planned_production):
            changed = planned if "planned_production" in clean else KEEP
            self.set_stage(actor, item.id, stage, since, planned=changed, source=source)

    @writes
    def add_installation(
        self,
        actor: str,
        item: Installation,
        *,
        since: dt.date | str | None = None,
        source: str = "",
    ) -> Installation:
        """Add an installation (leader only); its id and number must be new. A stage other
        than the first, or a planned date, holds from ``since`` (default today)."""
        name = self.require_leader(actor, "add an installation")
        check_id("installation id", item.id)
        known = self.installations(include_archived=True)
        if any(i.id.lower() == item.id.lower() for i in known):
            raise InvalidValue("installation id", item.id, "an id no other installation has")
        if any(i.number == item.number for i in known):
            raise InvalidValue("number", item.number, "a number no other installation has")
        new = replace(
            item, **clean_installation_fields(item.__dict__) | {"version": self.next_version()}
        )
        self.db.table("installations").insert(rows.INSTALLATIONS.dump(new))
        self.record_change(
            name, "installations", new.id, new.id, {"created": (None, new.name)}, source
        )
        if (new.stage, new.planned_production) != (FIRST_STAGE, None):
            planned = new.planned_production
            self.set_stage(name, new.id, new.stage, since, planned=planned, source=source)
        return self.installation(new.id)

    @writes
    def archive_installation(self, actor: str, installation: str, *, source: str = "") -> None:
        """Hide an installation from reports; nothing of it is deleted."""
        item = self.installation(installation)
        name = self.require_leader(actor, f"archive {item.id}")
        new = replace(item, archived=True)
        self._update(name, "installations", item, new, {"archived": True}, source=source)

    # ---- sites -------------------------------------------------------------------------------

    @writes
    def add_site(self, actor: str, site: Site, *, source: str = "") -> Site:
        item = self.installation(site.installation)
        name = self.require_leader(actor, f"add a site to {item.id}")
        check_id("site id", site.id)
        if not site.name.strip():
            raise InvalidValue("site name", site.name, "a name, not empty")
        check_name("site name", site.name)
        check_name("code", site.code)
        if any(s.id == site.id for s in self.sites(item.id)):
            raise InvalidValue("site id", site.id, f"an id no other site of {item.id} has")
        new = replace(site, installation=item.id, position=len(self.sites(item.id)))
        self.db.table("sites").insert(rows.SITES.dump(new))
        key = f"{item.id}/{site.id}"
        self.record_change(name, "sites", key, item.id, {"created": (None, site.name)}, source)
        return new

    @writes
    def update_site(
        self, actor: str, installation: str, site: str, *, source: str = "", **fields: Any
    ) -> Site:
        """Rename a site or change its code (leader only); its id and metrics stay as they are."""
        current = self.site(self.installation(installation).id, site)
        name = self.require_leader(actor, f"change the site {current.label!r}")
        unknown = set(fields) - {"name", "code"}
        if unknown:
            raise InvalidValue("field", ", ".join(sorted(unknown)), "the site's name or code")
        clean: dict[str, Any] = {key: str(text).strip() for key, text in fields.items()}
        new = replace(current, **clean)
        if not new.name:
            raise InvalidValue("site name", fields.get("name", ""), "a name, not empty")
        check_name("site name", new.name)
        check_name("code", new.code)
        return self._update(name, "sites", current, new, fields, source=source)

    # ---- metrics -----------------------------------------------------------------------------

    @writes
    def add_metric(self, actor: str, metric: Metric, *, source: str = "") -> Metric:
        """Add a metric to an installation (leader only), after the ones it has."""
        item = self.installation(metric.installation)
        name = self.require_leader(actor, f"add a metric to {item.id}")
        check_id("metric id", metric.id)
        existing = self.metrics(item.id)
        if any(m.id.lower() == metric.id.lower() for m in existing):
            raise InvalidValue("metric id", metric.id, f"an id no other metric of {item.id} has")
        site = self.site(item.id, metric.site).id if metric.site else None
        new = checked_metric(replace(metric, installation=item.id, site=site))
        new = replace(new, position=len(existing), version=self.next_version())
        self.db.table("metrics").insert(rows.METRICS.dump(new))
        key = f"{item.id}/{new.id}"
        self.record_change(name, "metrics", key, item.id, {"created": (None, new.name)}, source)
        return new

    @writes
    def update_metric(
        self, actor: str, installation: str, metric: str, *, source: str = "", **fields: Any
    ) -> Metric:
        """Change a metric's definition (leader only): name, kind, baseline, how measured..."""
        current = self.metric(installation, metric)
        name = self.require_leader(actor, f"change the metric {current.name!r}")
        new = checked_metric(replace(current, **fields))
        return self._update(name, "metrics", current, new, fields, source=source)

    def archive_metric(
        self, actor: str, installation: str, metric: str, *, source: str = ""
    ) -> None:
        self.update_metric(actor, installation, metric, archived=True, source=source)

    # ---- milestones --------------------------------------------------------------------------

    @writes
    def add_milestone(self, actor: str, milestone: Milestone, *, source: str = "") -> Milestone:
        name = self.require_leader(actor, "add a milestone")
        if not milestone.id.strip() or milestone.id != milestone.id.strip():
            raise InvalidValue("milestone id", milestone.id, "an id such as M5.5, no spaces around")
        if any(m.id.lower() == milestone.id.lower() for m in self.milestones()):
            raise InvalidValue("milestone id", milestone.id, "an id no other milestone has")
        new = self._checked_milestone(replace(milestone, version=self.next_version()))
        position = len(self.milestones())
        self.db.table("milestones").insert(rows.MILESTONES.dump(new) | {"position": position})
        self.record_change(name, "milestones", new.id, None, {"created": (None, new.title)}, source)
        return new

    @writes
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
        name = self.require_leader(actor, f"change milestone {current.id}")
        for key, label in (("achieved", "achieved on"), ("replanned", "re-planned for")):
            if key in fields:
                fields[key] = as_date(fields[key], label)
        new = self._checked_milestone(replace(current, **fields))
        return self._update(
            name,
            "milestones",
            current,
            new,
            fields,
            expected_version=expected_version,
            source=source,
        )

    def achieve_milestone(
        self, actor: str, milestone: str, on: dt.date | str, *, source: str = ""
    ) -> Milestone:
        """Mark a milestone achieved on a date (leader only); periods whose cut-off comes
        before that date still see it as not achieved. Not a date after today."""
        day = as_date(on, "achieved on")
        if day is None:
            raise InvalidValue("achieved on", on, "the date it was achieved, as YYYY-MM-DD")
        if day > self.today():
            raise InvalidValue("achieved on", day.isoformat(), "a date not after today")
        return self.update_milestone(actor, milestone, achieved=day, source=source)

    def _checked_milestone(self, milestone: Milestone) -> Milestone:
        if not milestone.title.strip():
            raise InvalidValue("title", milestone.title, "a title, not empty")
        checked_milestone_texts(milestone)
        if not isinstance(milestone.due_month, int) or milestone.due_month < 1:
            raise InvalidValue("due month", milestone.due_month, "a project month number, e.g. 24")
        for ref in milestone.installations:
            self.installation(ref)
        return milestone

    # ---- periods -----------------------------------------------------------------------------

    @writes
    def add_period(
        self, actor: str, label: str, *, cutoff: dt.date | str | None = None, source: str = ""
    ) -> Period:
        """Add a reporting period (leader only), with its cut-off if it is not the default."""
        name = self.require_leader(actor, "add a reporting period")
        period = self.insert_period(label)
        changes = {"created": (None, period.label)}
        self.record_change(name, "periods", period.label, None, changes, source)
        if cutoff:
            return self.set_cutoff(name, period.label, cutoff, source=source)
        return self.period(period.label)

    def insert_period(self, label: str) -> Period:
        """Add a period row with no permission check and no history: for ``add_period``, and
        for a store being created, whose periods come with its project."""
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
        self.forget()
        return period
