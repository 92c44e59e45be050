"""Traffic lights: the one place that decides green, amber, red or grey.

The dashboard, ``vatui status`` and the export all call these functions, so they cannot
disagree. The rules are those of the design card:

* a metric's target is the target stated in the project, else its baseline (for countries, the
  number listed; a list ending in "etc" is open and gives none), pro-rated when the baseline is
  yearly and the period is not twelve months; ratio = value / target (target / value when
  lower is better); countries count distinct countries; green at the project's green share
  (1.0), amber at its amber share (0.5), red below; grey when there is no value or no target,
  and for text metrics;
* an installation's light is the worst of its lights that say something, and grey when the
  period has no figures for it at all;
* the deployment light, as of the period's cut-off: operational is green; a delay logged makes
  it amber while every delayed part has a re-planned date still ahead, red when one has none or
  its date has passed; without delays, a planned production date still ahead (not yet due) is
  green, one passed is red, none at all grey;
* a milestone is green when achieved by the cut-off, grey before it is due, amber when overdue
  with a re-plan and red when overdue without one.

Everything is judged as of the cut-off (``Period.as_of``): what is dated after it does not count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from vatui.store.models import DelayEntry, Installation, Light, Metric, Milestone, Value
from vatui.store.numbers import format_count
from vatui.store.periods import Period

_SEVERITY = {Light.GREY: 0, Light.GREEN: 1, Light.AMBER: 2, Light.RED: 3}


@dataclass(frozen=True)
class Thresholds:
    """Ratios at which a metric turns green and amber: the project's (``Project.green_at``)."""

    green: float = 1.0
    amber: float = 0.5


def metric_target(metric: Metric, period: Period) -> float | None:
    """The figure the period's value is held against, or None when there is none."""
    if metric.kind == "text":
        return None
    if metric.kind == "countries":
        if metric.target is not None:
            return metric.target
        if metric.is_open_list or not metric.baseline_countries:
            return None
        return float(len(metric.baseline_countries))
    base = metric.target if metric.target is not None else metric.baseline
    if base is None:
        return None
    return base * period.months / 12 if metric.per_year else base


def target_basis(metric: Metric, period: Period) -> str:
    """How the target comes from the baseline as written, where a reader could not see it
    there ("pro-rated to 18 months", "stated in the project", "counted from the list"); ""
    where the target is the baseline's own figure, or there is none."""
    if metric_target(metric, period) is None:
        return ""
    if metric.target is not None:
        stated = "stated in the project"
        if metric.per_year and metric.kind == "count" and period.months != 12:
            return f"{stated}, pro-rated to {period.months} months"
        return stated
    if metric.kind == "countries":
        return "counted from the list"
    if metric.per_year and period.months != 12:
        return f"pro-rated to {period.months} months"
    return ""


def shown_target(metric: Metric, period: Period) -> str:
    """The target as it is written beside a baseline: its figure, with how it comes from the
    baseline where a reader could not see that (``60 (pro-rated to 18 months)``); "" where
    there is none. The Metrics tab, the chapter and the submission template write it so."""
    target = metric_target(metric, period)
    if target is None:
        return ""
    basis = target_basis(metric, period)
    return f"{format_count(target)} ({basis})" if basis else format_count(target)


def baseline_with_target(metric: Metric, period: Period) -> str:
    """The baseline as written, with the target beside it where the target differs from it:
    ``~40 / y (target 60: pro-rated to 18 months)``; what the app and the template show."""
    basis = target_basis(metric, period)
    target = metric_target(metric, period)
    if not basis or target is None:
        return metric.baseline_shown
    return f"{metric.baseline_shown} (target {format_count(target)}: {basis})"


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
    """Whether the installation is in production, on schedule, re-planned or late at ``as_of``.

    ``installation`` is as it stood at ``as_of`` (its stage and planned date then) and
    ``delays`` are the entries recorded by then. Operational is green. A delay in the log makes
    it amber while each delayed part's latest entry has a re-planned date not yet passed, and red
    when one has none or its date has passed. Without delays, a planned production date not yet
    passed is green (not yet due), one passed is red, and no date at all grey.
    """
    if installation.stage == "operational":
        return Light.GREEN
    if delays:
        latest: dict[str | None, DelayEntry] = {}
        for entry in sorted(delays, key=lambda d: (d.recorded, d.id)):
            latest[entry.site] = entry
        dates = [entry.replanned for entry in latest.values()]
        if all(day is not None and day >= as_of for day in dates):
            return Light.AMBER
        return Light.RED
    if installation.planned_production is None:
        return Light.GREY
    return Light.GREEN if installation.planned_production >= as_of else Light.RED


def achieved_by(milestone: Milestone, as_of: dt.date) -> bool:
    """Whether the milestone had been achieved at ``as_of`` (a later date does not count)."""
    return milestone.achieved is not None and milestone.achieved <= as_of


def milestone_light(milestone: Milestone, due: dt.date, as_of: dt.date) -> Light:
    """Achieved by ``as_of`` is green; not yet due grey; overdue amber with a re-plan, red
    without."""
    if achieved_by(milestone, as_of):
        return Light.GREEN
    if as_of < due:
        return Light.GREY
    return Light.AMBER if milestone.replanned is not None else Light.RED
