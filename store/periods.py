"""Project months and reporting periods.

A project counts its months from M1 (iMagine: September 2022). A period is a range of such
months, written ``M13-M24``; vatui shows it with its calendar dates (Sep 2023 – Aug 2024) and
uses its length to pro-rate yearly baselines.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from vatui.store.errors import InvalidValue

_LABEL = re.compile(r"^\s*M(\d{1,3})\s*[-–]\s*M(\d{1,3})\s*$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_start(text: str) -> tuple[int, int]:
    """The calendar (year, month) of M1, from ``YYYY-MM``."""
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise InvalidValue("start", text, "the calendar month of M1 as YYYY-MM, e.g. 2022-09")
    return int(match.group(1)), int(match.group(2))


def month_start(start: tuple[int, int], month: int) -> dt.date:
    """The first day of project month ``month`` (M1 is ``start``)."""
    index = start[0] * 12 + (start[1] - 1) + (month - 1)
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(start: tuple[int, int], month: int) -> dt.date:
    """The last day of project month ``month``."""
    first = month_start(start, month)
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


@dataclass(frozen=True)
class Period:
    """A reporting period: ``label`` such as ``M13-M24``, months ``first`` to ``last``."""

    label: str
    first: int
    last: int
    start_date: dt.date
    end_date: dt.date
    #: The date the period's report is judged at; None until the store says (see ``as_of``).
    cutoff: dt.date | None = None
    cutoff_set: bool = False  # set by the leader, rather than the default

    @property
    def as_of(self) -> dt.date:
        """The cut-off: what is dated on or before it counts for the period, nothing after.

        By default the day after the period ends (the store makes it today while the period
        is under way)."""
        return self.cutoff or self.day_after

    @property
    def day_after(self) -> dt.date:
        return self.end_date + dt.timedelta(days=1)

    @property
    def months(self) -> int:
        return self.last - self.first + 1

    @property
    def calendar_label(self) -> str:
        """``Sep 2023 – Aug 2024``: how a reader who does not count months sees the period."""
        return f"{self.start_date:%b %Y} – {self.end_date:%b %Y}"


def parse_period(label: str, start: tuple[int, int]) -> Period:
    """A period from its label, checked: months count from 1 and the range runs forward."""
    match = _LABEL.match(label)
    accepted = "a month range such as M13-M24 (first month not after the last)"
    if not match:
        raise InvalidValue("period", label, accepted)
    first, last = int(match.group(1)), int(match.group(2))
    if first < 1 or last < first:
        raise InvalidValue("period", label, accepted)
    return Period(
        label=f"M{first}-M{last}",
        first=first,
        last=last,
        start_date=month_start(start, first),
        end_date=month_end(start, last),
    )


def parse_date(text: str, field: str) -> dt.date:
    """A calendar date from ``YYYY-MM-DD``, refused with the field's name otherwise."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidValue(field, text, "a date as YYYY-MM-DD, e.g. 2024-10-31") from None
