"""Checks on what goes into the store: values by a metric's kind, ids, dates, definitions.

Each refusal is an ``InvalidValue`` naming the field and what is accepted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from vatui.store.countries import parse_countries
from vatui.store.errors import InvalidValue
from vatui.store.models import (
    DESCRIPTION_FIELDS,
    DIRECTIONS,
    KINDS,
    STAGES,
    Metric,
    Milestone,
    Project,
)
from vatui.store.numbers import parse_count
from vatui.store.periods import parse_date
from vatui.store.text import NAME_LIMIT, NOTE_LIMIT, TEXT_LIMIT, check_text

_LABELS = dict(DESCRIPTION_FIELDS)


def parse_value(
    metric: Metric, text: str
) -> tuple[float | None, tuple[str, ...] | None, str | None]:
    """(number, countries, text) from what a person typed, by the metric's kind."""
    if metric.kind == "count":
        return parse_count(text, field=metric.name), None, None
    if metric.kind == "countries":
        return None, tuple(parse_countries(text, field=metric.name)), None
    return None, None, check_text(metric.name, text, limit=NOTE_LIMIT)


def check_name(field: str, text: str) -> str:
    """A name, title or label: one line, no control characters, at most ``NAME_LIMIT``."""
    return check_text(field, text, single_line=True, limit=NAME_LIMIT)


def as_date(value: dt.date | str | None, field: str) -> dt.date | None:
    """A date from a date or ``YYYY-MM-DD`` text; empty is None."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    return parse_date(value, field)


def check_id(field: str, ident: str) -> None:
    """Short ids end up in command lines and file names: keep them plain."""
    if not ident or not all(ch.isalnum() or ch in "-_" for ch in ident):
        raise InvalidValue(field, ident, "letters, digits, '-' and '_' only, e.g. uc5")


def clean_installation_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Installation fields checked and converted: a stage vatui knows, a real date, a list."""
    clean = dict(fields)
    if "stage" in clean and clean["stage"] not in STAGES:
        raise InvalidValue("stage", clean["stage"], f"one of: {', '.join(STAGES)}")
    if "planned_production" in clean:
        clean["planned_production"] = as_date(clean["planned_production"], "planned production")
    if "providers" in clean:
        providers = clean["providers"]
        if isinstance(providers, str):
            providers = [p for p in (part.strip() for part in providers.split(",")) if p]
        clean["providers"] = tuple(providers)
    if "archived" in clean:
        clean["archived"] = bool(clean["archived"])
    if "name" in clean and not str(clean["name"]).strip():
        raise InvalidValue("name", clean["name"], "a name, not empty")
    if "name" in clean:
        check_name("name", str(clean["name"]))
    for provider in clean.get("providers", ()):
        check_name("providers", provider)
    for key, label in _LABELS.items():
        if key in clean and key != "providers":
            check_text(label, str(clean[key]), single_line=key == "url", limit=TEXT_LIMIT)
    if "number" in clean:
        number = clean["number"]
        if not isinstance(number, int) or number < 1:
            raise InvalidValue("number", number, "a whole number from 1")
    return clean


def checked_metric(metric: Metric) -> Metric:
    """A metric whose kind, direction, baseline and thresholds make sense together."""
    if not metric.name.strip():
        raise InvalidValue("metric name", metric.name, "a name, not empty")
    check_name("metric name", metric.name)
    check_name("baseline", metric.baseline_text)
    check_text("how it is measured", metric.measured, limit=NOTE_LIMIT)
    if metric.kind not in KINDS:
        raise InvalidValue("kind", metric.kind, f"one of: {', '.join(KINDS)}")
    if metric.direction not in DIRECTIONS:
        raise InvalidValue("direction", metric.direction, f"one of: {', '.join(DIRECTIONS)}")
    if metric.baseline is not None and metric.baseline < 0:
        raise InvalidValue("baseline", metric.baseline, "a number not below zero")
    if metric.target is not None and (metric.kind == "text" or metric.target < 0):
        accepted = "none for a text metric" if metric.kind == "text" else "a number not below zero"
        raise InvalidValue("target", metric.target, accepted)
    for name in ("green_at", "amber_at"):
        ratio = getattr(metric, name)
        if ratio is not None and ratio < 0:
            raise InvalidValue(name, ratio, "a ratio not below zero, e.g. 1.0 or 0.5")
    return metric


def checked_milestone_texts(milestone: Milestone) -> Milestone:
    """A milestone's title and status on one line each, its note within its limit."""
    check_name("title", milestone.title)
    check_name("status", milestone.status)
    check_text("note", milestone.note, limit=NOTE_LIMIT)
    return milestone


def checked_project(project: Project) -> Project:
    """A project's name, grant, work package and leader, each on one line."""
    check_name("project name", project.name)
    check_name("grant", project.grant)
    check_name("work package", project.work_package)
    check_name("leader", project.leader)
    checked_thresholds(project.green_at, project.amber_at)
    return project


def checked_thresholds(green: float, amber: float) -> tuple[float, float]:
    """The project's green and amber shares: amber above zero and not above green."""
    for name, share in (("green", green), ("amber", amber)):
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share <= 100:
            raise InvalidValue(name, share, "a share of the target above 0, e.g. 1.0 or 0.5")
    if amber > green:
        raise InvalidValue("amber", amber, f"a share not above green ({green})")
    return float(green), float(amber)
