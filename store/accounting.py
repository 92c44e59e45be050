"""The project's figures as the EOSC Accounting Service takes them (``vatui accounting``).

The mapping says where each figure goes: an installation's id on the service, and each count
or countries metric's metric definition there (by its id, or by the name, unit type and metric
type vatui creates it with). A text metric has no number and is never sent.

``accounting_plan`` is a pure function of the store: the requests a push would make for a
period, each period turned into the UTC instants of its first and last day. What was sent is
kept (``accounting_sent``) with the id the service gave it, so a second push updates what
changed and adds nothing twice. The HTTP part lives in the shell (``vatui/accounting_*``):
the store only decides and remembers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vatui.store import reviews
from vatui.store.access import Access
from vatui.store.core import writes
from vatui.store.errors import StoreError
from vatui.store.models import Metric, Value
from vatui.store.periods import Period

#: Metric kinds whose figure is a number the service can take (countries send their count).
SENT_KINDS = ("count", "countries")


@dataclass(frozen=True)
class DefinitionSpec:
    """A metric definition to create on the service: its name, unit type and metric type."""

    name: str
    unit_type: str
    metric_type: str

    def body(self) -> dict[str, str]:
        """The request body of ``POST /accounting-system/metric-definitions``."""
        return {
            "metric_name": self.name,
            "unit_type": self.unit_type,
            "metric_type": self.metric_type,
        }


@dataclass(frozen=True)
class MetricMapping:
    """Where a metric's figures go: a definition id on the service, or one to create."""

    installation: str
    metric: str
    definition_id: str | None = None
    create: DefinitionSpec | None = None


@dataclass(frozen=True)
class PlannedMetric:
    """One figure of the plan: ``action`` is ``add``, ``update`` or ``unchanged``."""

    installation: str
    metric: str
    metric_name: str
    remote_installation: str
    definition_id: str | None  # None until the definition below is created
    create: DefinitionSpec | None
    time_period_start: str
    time_period_end: str
    value: float
    action: str
    remote_id: str | None = None  # the service's metric id, once sent

    def body(self) -> dict[str, object]:
        """The request body that adds or updates this figure on the service."""
        return {
            "metric_definition_id": self.definition_id,
            "time_period_start": self.time_period_start,
            "time_period_end": self.time_period_end,
            "value": self.value,
        }


@dataclass
class Plan:
    """What a push of one period would do, and what it leaves out with why."""

    period: str
    time_period_start: str
    time_period_end: str
    definitions: list[DefinitionSpec] = field(default_factory=list)
    metrics: list[PlannedMetric] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def to_send(self) -> list[PlannedMetric]:
        return [m for m in self.metrics if m.action != "unchanged"]


def period_window(period: Period) -> tuple[str, str]:
    """The period as the service takes it: its first day's start and its last day's last
    second, in UTC (iMagine's M13-M24 is 2023-09-01T00:00:00Z to 2024-08-31T23:59:59Z)."""
    return f"{period.start_date.isoformat()}T00:00:00Z", f"{period.end_date.isoformat()}T23:59:59Z"


def figure(metric: Metric, value: Value | None) -> float | None:
    """The number the service gets for a value: a count as it is, countries by how many."""
    if value is None or metric.kind not in SENT_KINDS:
        return None
    if metric.kind == "countries":
        return None if value.countries is None else float(len(value.countries))
    return value.number


class Accounting(Access):
    """The accounting calls of ``Store``: the mapping, the plan, and what was sent."""

    def accounting_ids(self) -> dict[str, str]:
        """Each mapped installation's id on the service, by installation id."""
        rows = self.conn.execute("SELECT installation, remote_id FROM accounting_installations")
        return dict(rows.fetchall())

    def accounting_mappings(self, installation: str | None = None) -> list[MetricMapping]:
        """The metrics' definitions on the service, of one installation or all."""
        query = "SELECT installation, metric, definition_id, name, unit_type, metric_type "
        query += "FROM accounting_metrics"
        found = self.conn.execute(
            query + (" WHERE installation = ?" if installation else ""),
            [installation] if installation else [],
        )
        return [
            MetricMapping(row[0], row[1], row[2], DefinitionSpec(*row[3:]) if row[3] else None)
            for row in found.fetchall()
        ]

    def created_definitions(self) -> dict[DefinitionSpec, str]:
        """The definitions vatui created on the service, with the ids it gave them."""
        found = "SELECT name, unit_type, metric_type, remote_id FROM accounting_definitions"
        return {DefinitionSpec(*row[:3]): row[3] for row in self.conn.execute(found)}

    def load_accounting(self, ids: dict[str, str], mappings: list[MetricMapping]) -> None:
        """Keep a project file's mapping (inside ``Store.create``'s transaction)."""
        for installation, remote_id in ids.items():
            self.conn.execute(
                "INSERT INTO accounting_installations VALUES (?, ?)", [installation, remote_id]
            )
        for mapping in mappings:
            spec = mapping.create
            self.conn.execute(
                "INSERT INTO accounting_metrics VALUES (?, ?, ?, ?, ?, ?)",
                [
                    mapping.installation,
                    mapping.metric,
                    mapping.definition_id,
                    spec.name if spec else None,
                    spec.unit_type if spec else None,
                    spec.metric_type if spec else None,
                ],
            )

    def accounting_plan(
        self,
        period: str,
        installations: list[str] | None = None,
        *,
        include_unaccepted: bool = False,
    ) -> Plan:
        """The requests a push of ``period`` would make; only accepted figures unless
        ``include_unaccepted``. An installation named in ``installations`` without an id on
        the service is refused; one left out of a push of all is listed as skipped."""
        span = self.period(period)
        plan = Plan(span.label, *period_window(span))
        ids = self.accounting_ids()
        chosen = [self.installation(ref) for ref in installations] if installations else None
        for item in chosen or self.installations():
            if item.id not in ids:
                if chosen:
                    raise StoreError(
                        f"accounting id of {item.id}: none is kept; give "
                        f'[[installation]] accounting_id = "…" in the project file '
                        "(docs/project-file.md), the installation's id on the service"
                    )
                plan.skipped.append(f"{item.id}: no accounting id")
                continue
            state = reviews.state(self, item.id, span.label)
            if state != "accepted" and not include_unaccepted:
                plan.skipped.append(
                    f"{item.id}: its {span.label} figures are {state}, not accepted "
                    "(--include-unaccepted sends them anyway)"
                )
                continue
            self._plan_installation(plan, item.id, ids[item.id])
        return plan

    def _plan_installation(self, plan: Plan, installation: str, remote: str) -> None:
        created = self.created_definitions()
        sent = self.accounting_sent(installation, plan.period)
        values = {v.metric: v for v in self.values(period=plan.period, installation=installation)}
        mapped = {m.metric: m for m in self.accounting_mappings(installation)}
        for metric in self.metrics(installation):
            number = figure(metric, values.get(metric.id))
            mapping = mapped.get(metric.id)
            if number is None or mapping is None:
                if number is not None:
                    plan.skipped.append(f"{installation} {metric.id}: no metric definition")
                continue
            spec = mapping.create
            definition = mapping.definition_id or (created.get(spec) if spec else None)
            if definition is None and spec is not None and spec not in plan.definitions:
                plan.definitions.append(spec)
            planned = PlannedMetric(
                installation,
                metric.id,
                metric.name,
                remote,
                definition,
                None if definition else spec,
                plan.time_period_start,
                plan.time_period_end,
                number,
                "add",
            )
            plan.metrics.append(_against_sent(planned, sent.get(metric.id)))

    def accounting_sent(self, installation: str, period: str) -> dict[str, PlannedMetric]:
        """What was sent of an installation's figures for a period, by metric id."""
        found = self.conn.execute(
            "SELECT metric, remote_installation, definition_id, time_period_start, "
            "time_period_end, value, remote_id FROM accounting_sent "
            "WHERE installation = ? AND period = ?",
            [installation, period],
        )
        return {
            row[0]: PlannedMetric(
                installation,
                row[0],
                row[0],
                row[1],
                row[2],
                None,
                row[3],
                row[4],
                row[5],
                "unchanged",
                row[6],
            )
            for row in found.fetchall()
        }

    @writes
    def record_definition(self, spec: DefinitionSpec, remote_id: str) -> None:
        """Keep the id the service gave a definition vatui created, as soon as it answers."""
        self.conn.execute(
            "INSERT OR REPLACE INTO accounting_definitions VALUES (?, ?, ?, ?)",
            [spec.name, spec.unit_type, spec.metric_type, remote_id],
        )

    @writes
    def record_sent(self, actor: str, period: str, sent: PlannedMetric, remote_id: str) -> None:
        """Keep what was sent of a figure and the service's id for it, as soon as it answers,
        so that a push that fails half-way knows what went."""
        item = self.installation(sent.installation)
        name = self.require_provider(actor, item, "send figures to the accounting service")
        self.conn.execute(
            "INSERT OR REPLACE INTO accounting_sent VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                item.id,
                sent.metric,
                period,
                sent.remote_installation,
                remote_id,
                sent.definition_id,
                sent.time_period_start,
                sent.time_period_end,
                sent.value,
                self.clock(),
                name,
            ],
        )


def _against_sent(planned: PlannedMetric, sent: PlannedMetric | None) -> PlannedMetric:
    """``planned`` as an add, an update of what was sent, or unchanged."""
    if sent is None:
        return planned
    same = (
        sent.remote_installation == planned.remote_installation
        and sent.definition_id == planned.definition_id
        and sent.value == planned.value
        and (sent.time_period_start, sent.time_period_end)
        == (planned.time_period_start, planned.time_period_end)
    )
    action = "unchanged" if same else "update"
    return PlannedMetric(**{**planned.__dict__, "action": action, "remote_id": sent.remote_id})
