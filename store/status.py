"""A period's status: every installation's metrics, values and traffic lights, and the
milestones' lights. The rules of the lights are in ``store/lights.py``; this reads what they
need in a few queries, so that a dashboard of a thousand installations stays quick.
"""

from __future__ import annotations

from vatui.store import rows
from vatui.store.asof import installation_at
from vatui.store.lights import (
    Thresholds,
    achieved_by,
    deployment_light,
    metric_ratio,
    metric_target,
    milestone_light,
    ratio_light,
    worst,
)
from vatui.store.models import (
    InstallationStatus,
    Light,
    Metric,
    MetricStatus,
    MilestoneStatus,
    Site,
    Value,
)
from vatui.store.periods import Period, month_end, parse_start
from vatui.store.reads import Reads
from vatui.store.sql import by_installation, dicts, select_among


class Status(Reads):
    """The status calls of ``Store``."""

    def status(
        self, period: str, *, installations: list[str] | None = None
    ) -> list[InstallationStatus]:
        """Every installation's metrics, values and lights for a period, in a few queries.

        With ``installations``, only theirs are read: a screen showing a few pays for a few.
        """
        span = self.period(period)
        if not installations:
            chosen, among = self.installations(), None
        else:
            found = {item.id: item for item in map(self.installation, installations)}
            chosen = sorted(
                (item for item in found.values() if not item.archived), key=lambda i: i.number
            )
            among = [item.id for item in chosen]
        sites, metrics = self._definitions(among)
        conn = self.conn
        as_of = span.as_of
        delay_rows = select_among(
            conn, "delays", among, "recorded <= ?", [as_of.isoformat()], order="recorded, id"
        )
        delays = by_installation(map(rows.DELAYS.load, dicts(delay_rows)))
        event_rows = select_among(
            conn, "stage_events", among, "since <= ?", [as_of.isoformat()], order="since, id"
        )
        events = by_installation(map(rows.STAGE_EVENTS.load, dicts(event_rows)))
        in_period = select_among(
            conn, "metric_values", among, "period = ?", [span.label], columns=rows.VALUES.columns
        )
        values = {(v.installation, v.metric): v for v in map(rows.VALUES.load_columns, in_period)}
        with_figures = {installation for installation, _ in values}
        thresholds = self.thresholds()
        result = []
        for current in chosen:
            item = installation_at(current, events.get(current.id, []), as_of)
            statuses = [
                self._metric_status(metric, values.get((item.id, metric.id)), span, thresholds)
                for metric in metrics.get(item.id, [])
            ]
            deployment = deployment_light(item, delays.get(item.id, []), as_of)
            has_figures = item.id in with_figures
            lit = [*(s.light for s in statuses), deployment]
            result.append(
                InstallationStatus(
                    installation=item,
                    sites=sites.get(item.id, []),
                    metrics=statuses,
                    deployment_light=deployment,
                    overall_light=worst(lit) if has_figures else Light.GREY,
                    delays=delays.get(item.id, []),
                    has_figures=has_figures,
                )
            )
        return result

    def _definitions(
        self, among: list[str] | None
    ) -> tuple[dict[str, list[Site]], dict[str, list[Metric]]]:
        """The live sites and metrics of the installations ``among`` (every one when None).

        Those of some installations are kept between calls, as the installations are (until
        this store changes a site or metric, or another process commits): a dashboard reads
        them for the rows it shows at every period switch, and they seldom change.
        """
        if among is None:
            return self._read_definitions(None)
        kept: dict[str, tuple[list[Site], list[Metric]]] = self.cached("definitions", dict)
        missing = [ident for ident in among if ident not in kept]
        if missing:
            sites, metrics = self._read_definitions(missing)
            for ident in missing:
                kept[ident] = (sites.get(ident, []), metrics.get(ident, []))
        return {i: kept[i][0] for i in among}, {i: kept[i][1] for i in among}

    def _read_definitions(
        self, among: list[str] | None
    ) -> tuple[dict[str, list[Site]], dict[str, list[Metric]]]:
        live, in_order = "archived = 0", "installation, position"
        site_rows = select_among(self.conn, "sites", among, live, order=in_order)
        sites = by_installation(map(rows.SITES.load, dicts(site_rows)))
        metric_rows = select_among(
            self.conn, "metrics", among, live, columns=rows.METRICS.columns, order=in_order
        )
        return sites, by_installation(map(rows.METRICS.load_columns, metric_rows))

    def thresholds(self) -> Thresholds:
        """The project's light thresholds: the same for everyone who opens the store."""
        project = self.project()
        return Thresholds(project.green_at, project.amber_at)

    @staticmethod
    def _metric_status(
        metric: Metric, value: Value | None, period: Period, thresholds: Thresholds
    ) -> MetricStatus:
        ratio = metric_ratio(metric, value, period)
        return MetricStatus(
            metric=metric,
            value=value,
            light=ratio_light(metric, ratio, thresholds),
            target=metric_target(metric, period),
            ratio=ratio,
        )

    def milestone_status(self, period: str) -> list[MilestoneStatus]:
        """Every milestone with its due date and its light as of the period's cut-off."""
        start = parse_start(self.project().start)
        as_of = self.period(period).as_of
        result = []
        for item in self.milestones():
            due = month_end(start, item.due_month)
            light = milestone_light(item, due, as_of)
            achieved = item.achieved if achieved_by(item, as_of) else None
            result.append(MilestoneStatus(item, due, light, achieved))
        return result
