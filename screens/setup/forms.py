"""The leader's set-up forms: an installation, a site, a metric.

Each turns the typed text into the store's types (a number, a date, a list of countries) and
leaves every rule to the store; a refusal lands under the field it names.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from vatui.screens.record_form import (
    CHECKED,
    FormField,
    RecordForm,
    comma_list,
    optional_date,
    stage_fields,
)
from vatui.store import Installation, InvalidValue, Metric, Site, Store
from vatui.store.countries import country_name, parse_countries
from vatui.store.models import KINDS
from vatui.store.numbers import format_count, parse_count


def whole_number(text: str, field: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise InvalidValue(field, text, "a whole number from 1, e.g. 6")
    return int(text)


class InstallationForm(RecordForm):
    """Add an installation (``installation`` None) or change its name, number and providers."""

    def __init__(self, store: Store, actor: str, installation: Installation | None) -> None:
        self.store = store
        self.actor = actor
        self.installation = installation
        self.saved_id = installation.id if installation else None
        numbers = [i.number for i in store.installations(include_archived=True)]
        item = installation or Installation(id="", number=max(numbers, default=0) + 1, name="")
        texts = _installation_texts(item, store.today())
        fields = [
            FormField("number", "Number", texts["number"], hint="its section is 2.<number>"),
            FormField("name", "Name", texts["name"], placeholder="e.g. Flowcam phytoplankton ..."),
            FormField(
                "providers",
                "Providers",
                texts["providers"],
                placeholder="organisations, comma-separated, e.g. VLIZ, MARIS",
            ),
            *stage_fields(item.stage, item.planned_production, store.today()),
        ]
        if installation is None:
            fields.insert(
                0,
                FormField(
                    "id",
                    "Short id",
                    placeholder="e.g. uc6: letters, digits, - and _",
                    aliases=("installation id",),
                ),
            )
        title = f"Installation {installation.id}" if installation else "New installation"
        super().__init__(title, fields)

    def save(self, values: dict[str, str]) -> None:
        fields: dict[str, Any] = {
            "number": whole_number(values["number"], "number"),
            "name": values["name"].strip(),
            "providers": tuple(comma_list(values["providers"])),
            "stage": values["stage"],
            "planned_production": optional_date(values["planned_production"], "planned production"),
        }
        if self.installation is None:
            new = Installation(id=values["id"].strip(), **fields)
            since = values["stage_since"]
            self.saved_id = self.store.add_installation(self.actor, new, since=since).id
        else:
            self.store.update_installation(
                self.actor,
                self.installation.id,
                expected_version=self.installation.version,
                since=values["stage_since"],
                **fields,
            )

    def reloaded(self) -> dict[str, str]:
        assert self.installation is not None, "only an installation being changed can be stale"
        self.installation = self.store.installation(self.installation.id)
        return _installation_texts(self.installation, self.store.today())


def _installation_texts(item: Installation, today: dt.date) -> dict[str, str]:
    """The installation form's fields as an installation fills them."""
    return {
        "number": str(item.number),
        "name": item.name,
        "providers": ", ".join(item.providers),
        "stage": item.stage,
        "planned_production": str(item.planned_production or ""),
        "stage_since": today.isoformat(),
    }


class SiteForm(RecordForm):
    """Add a site to an installation (``site`` None) or rename one."""

    def __init__(self, store: Store, actor: str, installation: str, site: Site | None) -> None:
        self.store = store
        self.actor = actor
        self.installation = installation
        self.site = site
        self.saved_id = site.id if site else None
        fields = [
            FormField("name", "Name", site.name if site else "", aliases=("site name",)),
            FormField(
                "code",
                "Code",
                site.code if site else "",
                placeholder="the report's code, e.g. UC3o; may be empty",
            ),
        ]
        if site is None:
            ident = FormField(
                "id", "Short id", placeholder="e.g. obsea", aliases=("site id", "site")
            )
            fields.insert(0, ident)
        title = f"Site {site.label} of {installation}" if site else f"New site of {installation}"
        super().__init__(title, fields)

    def save(self, values: dict[str, str]) -> None:
        if self.site is None:
            new = Site(values["id"].strip(), self.installation, values["name"], values["code"])
            self.saved_id = self.store.add_site(self.actor, new).id
        else:
            self.store.update_site(
                self.actor,
                self.installation,
                self.site.id,
                name=values["name"],
                code=values["code"],
            )


BASELINE_HINTS = {
    "count": "a number such as 1,500; empty when there is none",
    "countries": "country names or codes, e.g. Germany, BIH, UK",
    "text": "none: a text metric has no light; put its words in the line below",
}


class MetricForm(RecordForm):
    """Add a metric to an installation (``metric`` None) or change its definition."""

    def __init__(self, store: Store, actor: str, installation: str, metric: Metric | None) -> None:
        self.store = store
        self.actor = actor
        self.installation = installation
        self.metric = metric
        self.saved_id = metric.id if metric else None
        item = metric or Metric(id="", installation=installation, name="")
        fields = [
            FormField("name", "Name", item.name, aliases=("metric name",)),
            FormField("kind", "Kind", item.kind, "select", tuple((k, k) for k in KINDS)),
            FormField(
                "baseline",
                "Baseline",
                _baseline_text(item),
                hint=BASELINE_HINTS[item.kind],
            ),
            FormField(
                "baseline_text",
                "Baseline as the report words it",
                item.baseline_text,
                placeholder="e.g. ~300 / y; empty to show the baseline itself",
            ),
            FormField(
                "per_year",
                "The baseline is per year (pro-rated for shorter periods)",
                CHECKED if item.per_year else "",
                "checkbox",
            ),
            FormField("measured", "How it is measured", item.measured),
            FormField(
                "direction",
                "Direction",
                item.direction,
                "select",
                (("higher is better", "higher"), ("lower is better", "lower")),
            ),
        ]
        sites = store.sites(installation)
        if sites:
            choices = (("the whole installation", ""), *((s.label, s.id) for s in sites))
            fields.insert(2, FormField("site", "Site", item.site or "", "select", choices))
        if metric is None:
            ident = FormField(
                "id", "Short id", placeholder="e.g. users", aliases=("metric id", "metric")
            )
            fields.insert(0, ident)
        title = (
            f"Metric {item.name} of {installation}" if metric else f"New metric of {installation}"
        )
        super().__init__(title, fields)

    def on_mount(self) -> None:
        self._show_baseline(self.values())

    def field_changed(self, name: str, text: str) -> None:
        if name in ("kind", "baseline"):
            self._show_baseline(self.values())

    def _show_baseline(self, values: dict[str, str]) -> None:
        """Say what the typed baseline means: for countries, the countries it was read as."""
        kind = values["kind"]
        if kind != "countries":
            self.set_hint("baseline", BASELINE_HINTS[kind])
            return
        try:
            codes = parse_countries(values["baseline"], field="baseline")
        except InvalidValue as refusal:
            self.set_hint("baseline", BASELINE_HINTS[kind])
            self.set_error("baseline", str(refusal))
            return
        named = ", ".join(f"{country_name(code)} ({code})" for code in codes)
        self.set_hint("baseline", f"read as {len(codes)}: {named or 'no countries'}")

    def save(self, values: dict[str, str]) -> None:
        kind = values["kind"]
        text = values["baseline"].strip()
        if kind == "text" and text:
            raise InvalidValue("baseline", text, BASELINE_HINTS["text"])
        fields: dict[str, Any] = {
            "name": values["name"].strip(),
            "kind": kind,
            "site": values.get("site") or None,
            "baseline": parse_count(text, "baseline") if kind == "count" and text else None,
            "baseline_countries": (
                tuple(parse_countries(text, "baseline")) if kind == "countries" else ()
            ),
            "baseline_text": values["baseline_text"].strip(),
            "per_year": values["per_year"] == CHECKED,
            "measured": values["measured"].strip(),
            "direction": values["direction"],
        }
        if self.metric is None:
            new = Metric(id=values["id"].strip(), installation=self.installation, **fields)
            self.saved_id = self.store.add_metric(self.actor, new).id
        else:
            self.store.update_metric(self.actor, self.installation, self.metric.id, **fields)


def _baseline_text(metric: Metric) -> str:
    """The baseline as it goes back into the form: a figure, country codes, or the words."""
    if metric.kind == "countries":
        return ", ".join(metric.baseline_countries)
    return format_count(metric.baseline) if metric.baseline is not None else ""
