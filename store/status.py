"""A period's status: every installation's metrics, values and traffic lights, and the
milestones' lights. The rules of the lights are in ``store/lights.py``; this reads what they
need in a few queries, so that a dashboard of a thousand installations stays quick.
"""

from __future__ import annotations

from vatui.store import rows
from vatui.store.lights import (
    deployment_light,
    metric_ratio,
    metric_target,
    milestone_light,
    ratio_light,
    worst,
)
from vatui.store.models import (
    InstallationStatus,
    Metric,
    MetricStatus,
    MilestoneStatus,
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
        live, in_order = "archived = 0", "installation, position"
        conn = self.conn
        site_rows = select_among(conn, "sites", among, live, order=in_order)
        sites = by_installation(map(rows.SITES.load, dicts(site_rows)))
        metric_rows = select_among(
            conn, "metrics", among, live, columns=rows.METRICS.columns, order=in_order
        )
        metrics = by_installation(map(rows.METRICS.load_columns, metric_rows))
        delay_rows = select_among(conn, "delays", among, order="recorded, id")
        delays = by_installation(map(rows.DELAYS.load, dicts(delay_rows)))
        in_period = select_among(
            conn, "metric_values", among, "period = ?", [span.label], columns=rows.VALUES.columns
        )
        values = {(v.installation, v.metric): v for v in map(rows.VALUES.load_columns, in_period)}
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

    def milestone_status(self, period: str) -> list[MilestoneStatus]:
        """Every milestone with its due date and its light as of the period's end."""
        start = parse_start(self.project().start)
        as_of = self.period(period).end_date
        result = []
        for item in self.milestones():
            due = month_end(start, item.due_month)
            result.append(MilestoneStatus(item, due, milestone_light(item, due, as_of)))
        return result
