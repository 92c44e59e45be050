"""Plausibility: whether a figure looks like a slip (a digit too many or too few, a wrong unit)
rather than what happened, in the spirit of DHIS2's min–max and outlier checks.

The rule, the same for the TUI, the CLI and imports:

* a count's value, or the number of distinct countries of a countries metric, is *implausible*
  when it is more than 10× (``FACTOR``) or under 1/10 of the same metric's value for the
  previous period (the one before it in the project's list), or of its target for the period
  (``lights.metric_target``: the baseline, pro-rated for a yearly one);
* zero, on either side, is never judged. A value of 0 says that nothing happened (a service not
  in production yet): that is a fact to report, which the traffic light already shows red
  against the target, not a slip of scale, which cannot make a figure zero. A reference of 0
  (no users last period, a target of 0) cannot be scaled: any figure after it is a start;
* text metrics, and a reference that is missing (no previous value, no baseline), are not
  judged.

An implausible value is not refused (a workshop may well bring ten times the users): the TUI
asks before saving one, ``vatui set`` and imports flag it, and the leader sees it marked on the
dashboard and the Review tab until the figures are accepted (``to_review``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vatui.store import reviews, rows
from vatui.store.lights import metric_target
from vatui.store.models import InstallationStatus, Metric, Value
from vatui.store.numbers import format_count
from vatui.store.periods import Period
from vatui.store.sql import select_among

if TYPE_CHECKING:
    from vatui.store.store import Store

#: How many times larger, or smaller, than its reference a figure may be and stay plausible.
FACTOR = 10

#: A figure's place: (installation, metric).
Key = tuple[str, str]


# ---- the rule, on figures ---------------------------------------------------------------------


def figure(metric: Metric, number: float | None, countries: tuple[str, ...] | None) -> float | None:
    """What is compared: a count's number, a countries metric's count of distinct countries;
    None for a text metric or no value."""
    if metric.kind == "count":
        return number
    if metric.kind == "countries" and countries is not None:
        return float(len(set(countries)))
    return None


def value_figure(metric: Metric, value: Value | None) -> float | None:
    """``figure`` of a stored value."""
    return None if value is None else figure(metric, value.number, value.countries)


def outlier(value: float, reference: float | None) -> str | None:
    """How far ``value`` is from ``reference`` when it is beyond ``FACTOR`` either way (``40×``,
    ``1/25 of``), else None; zero on either side is never an outlier (module docstring)."""
    if reference is None or value <= 0 or reference <= 0:
        return None
    ratio = value / reference
    if ratio > FACTOR:
        return f"{_times(ratio)}×"
    if ratio < 1 / FACTOR:
        return f"1/{_times(1 / ratio)} of"
    return None


def judge(
    metric: Metric, value: float | None, previous: float | None, target: float | None
) -> str | None:
    """Why ``value`` of ``metric`` is implausible against the previous period's figure and the
    target, e.g. ``12,000 is 40× the previous period's 300``; None when it is plausible."""
    if value is None:
        return None
    found = [
        f"{how} {what} {_amount(metric, reference)}"
        for what, reference in (("the previous period's", previous), ("the target of", target))
        if reference is not None and (how := outlier(value, reference)) is not None
    ]
    return f"{_amount(metric, value)} is {' and '.join(found)}" if found else None


def _times(ratio: float) -> str:
    """A factor as people say it: 40, 12.5, 1,200."""
    return format_count(round(ratio)) if ratio >= 100 or ratio == round(ratio) else f"{ratio:.1f}"


def _amount(metric: Metric, amount: float) -> str:
    shown = format_count(round(amount, 1))
    return f"{shown} countries" if metric.kind == "countries" else shown


# ---- the rule, on the store ------------------------------------------------------------------


def previous_period(store: Store, period: Period) -> Period | None:
    """The period before ``period`` in the project's list; None for the first."""
    labels = [span.label for span in store.periods()]
    index = labels.index(period.label)
    return store.periods()[index - 1] if index else None


def check(
    store: Store,
    metric: Metric,
    period: str,
    number: float | None,
    countries: tuple[str, ...] | None = None,
) -> str | None:
    """Why a value about to be stored for ``metric`` in ``period`` is implausible, else None:
    what the TUI asks about before saving, and ``vatui set`` and imports flag."""
    span = store.period(period)
    before = previous_period(store, span)
    earlier = store.value(metric.installation, metric.id, before.label) if before else None
    return judge(
        metric,
        figure(metric, number, countries),
        value_figure(metric, earlier),
        metric_target(metric, span),
    )


def implausible(
    store: Store, period: str, installations: list[str] | None = None
) -> dict[Key, str]:
    """Every implausible value of the period (of ``installations`` only, when given), with why."""
    span = store.period(period)
    return judged(store, span, store.status(span.label, installations=installations))


def judged(store: Store, period: Period, statuses: list[InstallationStatus]) -> dict[Key, str]:
    """The implausible values among a period's ``statuses`` (``Store.status``), with why: a
    screen that has read its rows' status already pays one query for the previous period."""
    before = previous_period(store, period)
    among = [row.installation.id for row in statuses]
    earlier = _values(store, before.label, among) if before else {}
    found = {}
    for row in statuses:
        for status in row.metrics:
            key = (row.installation.id, status.metric.id)
            reason = judge(
                status.metric,
                value_figure(status.metric, status.value),
                value_figure(status.metric, earlier.get(key)),
                status.target,
            )
            if reason is not None:
                found[key] = reason
    return found


def to_review(store: Store, period: str, installations: list[str] | None = None) -> dict[Key, str]:
    """``implausible`` without the figures the leader has accepted: what is still to look at."""
    label = store.period(period).label
    found = implausible(store, label, installations)
    return for_leader(found, reviews.states(store, label, installations))


def for_leader(found: dict[Key, str], states: dict[str, str]) -> dict[Key, str]:
    """The implausible values (``found``) the leader still has to look at, given each
    installation's review state: an accepted one's are settled, and no longer marked."""
    return {key: why for key, why in found.items() if states.get(key[0]) != reviews.ACCEPTED}


def _values(store: Store, period: str, among: list[str] | None) -> dict[Key, Value]:
    found = select_among(
        store.conn, "metric_values", among, "period = ?", [period], columns=rows.VALUES.columns
    )
    return {(v.installation, v.metric): v for v in map(rows.VALUES.load_columns, found)}
