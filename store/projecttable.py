"""The tables of a project file as it is read: each key checked against what its table
takes, each field against its type, range and size, every problem kept with its line, so that
the whole file is reported at once (``store/projectfile.py`` reads the file with these).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from vatui.store.countries import resolve_country
from vatui.store.errors import InvalidValue, StoreError
from vatui.store.models import DESCRIPTION_FIELDS
from vatui.store.numbers import MAXIMUM, format_count
from vatui.store.periods import parse_date, parse_period
from vatui.store.text import NAME_LIMIT, check_text
from vatui.store.validation import check_id

#: The description fields that are text (providers is a list).
TEXT_FIELDS = tuple(name for name, _ in DESCRIPTION_FIELDS if name != "providers")


class ProblemLog(Protocol):
    """Where a table's problems go: the file's reader, which knows each key's line."""

    def line(self, path: str) -> int: ...

    def problem(self, path: str, message: str) -> None: ...


#: The ranges of numbers a project file may hold (docs/project-file.md).
YEARS = (1900, 2200)  # the calendar year of M1
CHAPTERS = (1, 99)  # the report's section number of the installations
NUMBERS = (1, 999)  # an installation's number
MONTHS = (1, 999)  # a project month: period labels have up to three digits
RATIOS = (0.0, 100.0)  # green_at and amber_at, as the config's thresholds

#: The keys each table takes; any other is refused, with the closest of these.
TOP_KEYS = ("format", "project", "period", "installation", "milestone")
PROJECT_KEYS = (
    "name",
    "grant",
    "work_package",
    "start",
    "leader",
    "chapter",
    "green_at",
    "amber_at",
)
PERIOD_KEYS = ("label", "cutoff")
INSTALLATION_KEYS = (
    "id",
    "number",
    "name",
    "providers",
    *TEXT_FIELDS,
    "stage",
    "planned_production",
    "accounting_id",
    "deployment",
    "site",
    "metric",
    "assessment",
    "delay",
    "review",
)
SITE_KEYS = ("id", "name", "code")
METRIC_KEYS = (
    "id",
    "name",
    "site",
    "kind",
    "baseline",
    "baseline_text",
    "per_year",
    "measured",
    "direction",
    "green_at",
    "amber_at",
    "target",
    "accounting_definition",
    "accounting_name",
    "accounting_unit_type",
    "accounting_metric_type",
    "value",
)
DEPLOYMENT_KEYS = ("since", "stage", "planned_production")
VALUE_KEYS = ("period", "value", "text", "note")
ASSESSMENT_KEYS = ("period", "site", "assessment", "delay", "planning")
DELAY_KEYS = ("recorded", "reason", "replanned", "site", "author")
REVIEW_KEYS = ("period", "action", "state", "actor", "at", "comment")
MILESTONE_KEYS = (
    "id",
    "title",
    "due_month",
    "status",
    "achieved",
    "replanned",
    "note",
    "installations",
)

_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")


@dataclass
class FileTable:
    """One table of the file: ``path`` says where it is (``installation[1].metric[0]``), for
    its line; ``header`` is its name in the format (``installation.metric``), for messages.

    Each reader of a key returns what the key holds when it is good and records the problem
    otherwise, returning a neutral value so that the rest of the file is still checked.
    """

    reader: ProblemLog
    data: dict[str, Any]
    path: str
    header: str
    shown: str  # how messages name the table: [project], [[installation.metric]]

    # ---- where and what -----------------------------------------------------------------

    def where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def label(self, key: str) -> str:
        if not _PLAIN_KEY.fullmatch(key):
            key = repr(key)
        return f"{self.header}.{key}" if self.header else key

    def line(self, key: str) -> int:
        return self.reader.line(self.where(key))

    def problem(self, key: str, message: str) -> None:
        self.reader.problem(self.where(key), f"{self.label(key)}: {message}")

    def refuse(self, key: str, raw: Any, accepted: str) -> None:
        self.problem(key, f"{_shown(raw)} is not accepted; {accepted}")

    def missing(self, key: str, accepted: str) -> None:
        self.reader.problem(self.path, f"{self.label(key)}: missing; {accepted}")

    def refused(self, key: str, error: StoreError) -> None:
        if isinstance(error, InvalidValue):
            hint = f" (did you mean: {', '.join(error.suggestions)}?)" if error.suggestions else ""
            self.refuse(key, error.value, f"{error.accepted}{hint}")
        else:
            self.problem(key, str(error))

    def convert(self, key: str, make: Callable[..., Any], *args: Any) -> Any:
        """``make(*args)``, its refusal recorded as a problem of ``key``; None then."""
        try:
            return make(*args)
        except StoreError as error:
            self.refused(key, error)
            return None

    def unknown_keys(self, known: tuple[str, ...]) -> None:
        for key in self.data:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                self.problem(key, f"unknown key{hint}; {self.shown} takes {', '.join(known)}")

    def unique(
        self, key: str, identity: Any, shown: Any, seen: dict[Any, int], accepted: str
    ) -> None:
        """Record ``identity`` in ``seen`` with its line; refused when it is there already."""
        if identity in seen:
            self.twice(key, shown, seen[identity], accepted)
        else:
            seen[identity] = self.line(key)

    def twice(self, key: str, shown: Any, first: int, accepted: str) -> None:
        self.problem(key, f"{_shown(shown)} is given twice (first on line {first}); {accepted}")

    # ---- tables ---------------------------------------------------------------------------

    def table(self, key: str, accepted: str) -> FileTable | None:
        """The table under ``key``; None (the problem recorded) when it is missing or not one."""
        raw = self.data.get(key)
        header = f"{self.header}.{key}" if self.header else key
        if raw is None:
            self.missing(key, accepted)
            return None
        if not isinstance(raw, dict):
            self.refuse(key, raw, accepted)
            return None
        return FileTable(self.reader, raw, self.where(key), header, f"[{header}]")

    def tables(self, key: str, accepted: str) -> list[FileTable]:
        raw = self.data.get(key)
        header = f"{self.header}.{key}" if self.header else key
        if raw is None:
            return []
        if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
            self.refuse(key, raw, f"[[{header}]] tables: {accepted}")
            return []
        return [
            FileTable(self.reader, item, f"{self.where(key)}[{n}]", header, f"[[{header}]]")
            for n, item in enumerate(raw)
        ]

    # ---- values ---------------------------------------------------------------------------

    def text(
        self,
        key: str,
        accepted: str,
        *,
        required: bool = False,
        single_line: bool = True,
        limit: int = NAME_LIMIT,
    ) -> str:
        """Text within its field's rule (``check_text``); names and ids are one line."""
        raw = self.data.get(key)
        if raw is None or (required and isinstance(raw, str) and not raw.strip()):
            if raw is not None:
                self.refuse(key, raw, f"{accepted}, not empty")
            elif required:
                self.missing(key, accepted)
            return ""
        if not isinstance(raw, str):
            self.refuse(key, raw, f"text between quotes: {accepted}")
            return ""
        try:
            return check_text(self.label(key), raw, single_line=single_line, limit=limit)
        except InvalidValue as error:
            self.refused(key, error)
            return ""

    def ident(self, key: str, example: str) -> str:
        """A short id: one line, letters, digits, '-' and '_' (``validation.check_id``)."""
        ident = self.text(key, example, required=True)
        if not ident:
            return ""
        try:
            check_id(self.label(key), ident)
        except InvalidValue as error:
            self.refused(key, error)
            return ""
        return ident

    def names(self, key: str, accepted: str) -> tuple[str, ...]:
        """A list of one-line texts (organisations, installation ids)."""
        raw = self.data.get(key)
        if raw is None:
            return ()
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            self.refuse(key, raw, accepted)
            return ()
        names = []
        for item in raw:
            try:
                names.append(check_text(self.label(key), item, single_line=True, limit=NAME_LIMIT))
            except InvalidValue as error:
                self.refused(key, error)
                continue
            if not item.strip():
                self.refuse(key, item, f"{accepted}, none of them empty")
        return tuple(names)

    def number(
        self,
        key: str,
        bounds: tuple[float, float],
        accepted: str,
        *,
        whole: bool = False,
        required: bool = False,
    ) -> Any:
        """A finite number within ``bounds``; None when left out or refused."""
        raw = self.data.get(key)
        if raw is None:
            if required:
                self.missing(key, accepted)
            return None
        kinds: tuple[type, ...] = (int,) if whole else (int, float)
        good = isinstance(raw, kinds) and not isinstance(raw, bool)
        if good and isinstance(raw, float) and not math.isfinite(raw):
            good = False
        if not good or not bounds[0] <= raw <= bounds[1]:
            self.refuse(key, raw, accepted)
            return None
        return raw

    def whole(
        self, key: str, bounds: tuple[int, int], what: str, *, required: bool = False
    ) -> int | None:
        accepted = f"{what}: a whole number from {bounds[0]} to {bounds[1]}"
        number = self.number(key, bounds, accepted, whole=True, required=required)
        return int(number) if number is not None else None

    def count(self, key: str) -> float | int | None:
        accepted = f"a number from 0 to {format_count(MAXIMUM)}, e.g. 1250 (no quotes)"
        number: float | int | None = self.number(key, (0, MAXIMUM), accepted)
        return number

    def flag(self, key: str) -> bool:
        raw = self.data.get(key, False)
        if not isinstance(raw, bool):
            self.refuse(key, raw, "true or false (no quotes)")
            return False
        return raw

    def choice(
        self,
        key: str,
        options: tuple[str, ...],
        default: str | None = None,
        *,
        required: bool = False,
    ) -> str | None:
        """One of ``options``; ``default`` when left out; None when refused."""
        raw = self.data.get(key)
        accepted = f"one of: {', '.join(options)}"
        if raw is None:
            if required:
                self.missing(key, accepted)
            return default
        if raw not in options:
            self.refuse(key, raw, one_of(raw, options))
            return None
        return str(raw)

    def date(self, key: str, *, required: bool = False) -> dt.date | None:
        """A date written as "YYYY-MM-DD" or as a TOML date; empty text is no date."""
        raw = self.data.get(key)
        accepted = 'a date as "YYYY-MM-DD", e.g. "2024-10-31"'
        if raw is None or raw == "":
            if required:
                self.missing(key, accepted)
            return None
        if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
            return raw
        if not isinstance(raw, str):
            self.refuse(key, raw, accepted)
            return None
        date: dt.date | None = self.convert(key, parse_date, raw, self.label(key))
        return date

    def moment(self, key: str) -> str:
        """When something happened, as written: "2024-10-09T12:00:00Z" (or a TOML date-time)."""
        raw = self.data.get(key)
        accepted = 'a date and time such as "2024-10-09T12:00:00Z"'
        if isinstance(raw, dt.datetime):
            return raw.isoformat().replace("+00:00", "Z")
        text = self.text(key, accepted, required=True)
        if text:
            try:
                dt.datetime.fromisoformat(text)
            except ValueError:
                self.refuse(key, text, accepted)
        return text

    def countries(self, key: str) -> tuple[str, ...] | None:
        """A list of countries, each an ISO 3166 alpha-2 code (or a name vatui places)."""
        raw = self.data.get(key)
        accepted = 'a list of ISO 3166 alpha-2 codes, e.g. ["BE", "FR"] (empty: [])'
        if raw is None:
            return None
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            self.refuse(key, raw, accepted)
            return None
        codes = [self.convert(key, resolve_country, item, self.label(key)) for item in raw]
        return tuple(code for code in codes if code)

    def site(self, key: str, sites: list[str], installation: str) -> str | None:
        """The id of one of the installation's sites; None when left out; "" when refused."""
        if self.data.get(key) is None:
            return None
        text = self.text(key, "a site id of this installation", required=True)
        if text and text not in sites:
            if sites:
                self.refuse(key, text, f"a site of {installation}: {one_of(text, sites)}")
            else:
                self.refuse(key, text, f"{installation} has no [[installation.site]]; leave it out")
            return ""
        return text

    def period(
        self, key: str, periods: list[str], start: tuple[int, int], *, required: bool = False
    ) -> str:
        """One of the file's periods (``m13 - m24`` is taken as ``M13-M24``)."""
        accepted = f"a period of the file: {', '.join(periods) or 'none is listed'}"
        label = self.text(key, accepted, required=required)
        if not label:
            return ""
        with contextlib.suppress(InvalidValue):
            label = parse_period(label, start).label
        if label not in periods:
            self.refuse(key, label, f"a period of the file: {one_of(label, periods)}")
            return ""
        return label


def one_of(raw: Any, options: list[str] | tuple[str, ...]) -> str:
    """``one of: a, b, c``, with the closest when there is one."""
    close = difflib.get_close_matches(str(raw), list(options), n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return f"one of: {', '.join(options) or '(none)'}{hint}"


def _shown(raw: Any) -> str:
    """What a file held, as a message quotes it: short, every control character escaped."""
    text = raw.isoformat() if isinstance(raw, dt.date | dt.time) else repr(raw)
    return text if len(text) <= 60 else text[:59] + "…"
