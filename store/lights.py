"""Traffic lights: the one place that decides green, amber, red or grey.

The dashboard, ``vatui status`` and the export all call these functions, so they cannot
disagree. The rules are those of the design card:

* a metric's target is its baseline, pro-rated when the baseline is yearly and the period is
  not twelve months; ratio = value / target (target / value when lower is better); countries
  count distinct countries; green at ratio >= 1.0, amber at >= 0.5, red below; grey when there is
  no value or no baseline, and for text metrics;
* an installation's light is the worst of its lights that say something (grey only if all are);
* the deployment light comes from the stage and the delay log;
* a milestone is green when achieved, grey before it is due, amber when overdue with a re-plan
  and red when overdue without one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from vatui.store.models import DelayEntry, Installation, Light, Metric, Milestone, Value
from vatui.store.periods import Period

_SEVERITY = {Light.GREY: 0, Light.GREEN: 1, Light.AMBER: 2, Light.RED: 3}


@dataclass(frozen=True)
class Thresholds:
    """Ratios at which a metric turns green and amber; the config may change them."""

    green: float = 1.0
    amber: float = 0.5


def metric_target(metric: Metric, period: Period) -> float | None:
    """The figure the period's value is held against, or None when there is no baseline."""
    if metric.kind == "countries":
        return float(len(metric.baseline_countries)) if metric.baseline_countries else None
    if metric.kind != "count" or metric.baseline is None:
        return None
    if metric.per_year:
        return metric.baseline * period.months / 12
    return metric.baseline


def metric_ratio(metric: Metric, value: Value | None, period: Period) -> float | None:
    """How far the value goes towards the target (1.0 = met), or None when it cannot be said."""
    target = metric_target(metric, period)
    if target is None or value is None:
        return None
    if metric.kind == "countries":
        if value.countries is None:
            return None
        achieved = float(len(set(value.countries)))
    elif value.number is None:
        return None
    else:
        achieved = value.number
    if metric.direction == "lower":
        achieved, target = target, achieved
    if target <= 0:
        return float("inf") if achieved >= target else 0.0
    return achieved / target


def metric_light(
    metric: Metric, value: Value | None, period: Period, thresholds: Thresholds = Thresholds()
) -> Light:
    """The light of one metric for one period; the metric's own thresholds win over the given."""
    return ratio_light(metric, metric_ratio(metric, value, period), thresholds)


def ratio_light(
    metric: Metric, ratio: float | None, thresholds: Thresholds = Thresholds()
) -> Light:
    """The light a metric's ratio (from ``metric_ratio``) earns; grey when there is none."""
    if ratio is None:
        return Light.GREY
    green = metric.green_at if metric.green_at is not None else thresholds.green
    amber = metric.amber_at if metric.amber_at is not None else thresholds.amber
    if ratio >= green:
        return Light.GREEN
    if ratio >= amber:
        return Light.AMBER
    return Light.RED


def worst(lights: Iterable[Light]) -> Light:
    """The most severe light; grey (nothing known) only when nothing else is there."""
    return max(lights, key=_SEVERITY.__getitem__, default=Light.GREY)


def deployment_light(installation: Installation, delays: list[DelayEntry], as_of: dt.date) -> Light:
    """Whether the installation is in production, on schedule, re-planned or late.

    Operational is green. A delay in the log makes it amber when every delayed part has a
    re-planned date and red when one has none. Without delays, a planned production date still
    ahead of ``as_of`` is green and one already past is red; no date at all is grey.
    """
    if installation.stage == "operational":
        return Light.GREEN
    if delays:
        latest: dict[str | None, DelayEntry] = {}
        for entry in sorted(delays, key=lambda d: (d.recorded, d.id)):
            latest[entry.site] = entry
        if all(entry.replanned is not None for entry in latest.values()):
            return Light.AMBER
        return Light.RED
    if installation.planned_production is None:
        return Light.GREY
    return Light.GREEN if installation.planned_production >= as_of else Light.RED


def milestone_light(milestone: Milestone, due: dt.date, as_of: dt.date) -> Light:
    """Achieved is green; not yet due grey; overdue amber with a re-plan, red without."""
    if milestone.achieved is not None:
        return Light.GREEN
    if as_of < due:
        return Light.GREY
    return Light.AMBER if milestone.replanned is not None else Light.RED
