"""``vatui accounting plan|push|pull``: the figures on the EOSC Accounting Service.

The store decides what to send (``Store.accounting_plan``) and keeps what was sent, each
figure as soon as the service answers; ``accounting_client`` speaks HTTP. httpx is imported
only when a push or a pull runs, so the other commands start as before.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from itertools import groupby
from typing import TYPE_CHECKING, Any

from vatui.commands import open_store, require_actor
from vatui.output import console, errors, json_text, print_table, shown
from vatui.store.accounting import Plan, PlannedMetric, figure
from vatui.store.numbers import format_count
from vatui.store.store import Store

if TYPE_CHECKING:
    from vatui.accounting_client import AccountingClient


def plan(args: argparse.Namespace) -> int:
    """The requests a push would send, sending nothing."""
    with open_store(args) as store:
        found = _plan(store, args)
    if args.json:
        print(json_text(plan_record(found)))
        return 0
    console.print(
        f"{found.period}: {found.time_period_start} to {found.time_period_end} (UTC); "
        f"{len(found.definitions)} metric definition(s) to create, "
        f"{len(found.to_send)} figure(s) to send"
    )
    print_table(
        "What a push would send",
        ("installation", "metric", "action", "value", "definition"),
        [
            (m.installation, m.metric, m.action, format_count(m.value), _definition(m))
            for m in found.metrics
        ],
    )
    for reason in found.skipped:
        console.print(f"not sent: {shown(reason)}")
    return 0


def plan_record(found: Plan) -> dict[str, Any]:
    """The plan for scripts: each request with its method, path and body (docs/json.md)."""
    definitions = [
        {"method": "POST", "path": "/accounting-system/metric-definitions", "body": spec.body()}
        for spec in found.definitions
    ]
    return {
        "period": found.period,
        "time_period_start": found.time_period_start,
        "time_period_end": found.time_period_end,
        "definitions": definitions,
        "metrics": [_metric_request(m) for m in found.to_send],
        "unchanged": [
            f"{m.installation} {m.metric}" for m in found.metrics if m not in found.to_send
        ],
        "skipped": found.skipped,
    }


def push(args: argparse.Namespace) -> int:
    """Send the period's figures: definitions first, then each figure, each kept once sent."""
    actor = require_actor(args)
    with open_store(args) as store:
        found = _plan(store, args)
        for name in dict.fromkeys(m.installation for m in found.metrics):
            store.require_provider(actor, store.installation(name), "push the figures")
        if not found.definitions and not found.to_send:
            console.print(f"Nothing to send: {len(found.metrics)} figure(s) unchanged.")
            return 0
        client = _client(args)
        try:
            counts = _send(store, client, actor, found, lambda: _plan(store, args))
        finally:
            client.close()
    summary = {"added": counts.get("add", 0), "updated": counts.get("update", 0)}
    summary["definitions_created"] = len(found.definitions)
    if args.json:
        print(json_text(summary))
    else:
        console.print(
            f"Sent {found.period}: {summary['added']} added, {summary['updated']} updated, "
            f"{summary['definitions_created']} metric definition(s) created."
        )
    return 0


def _send(
    store: Store, client: AccountingClient, actor: str, found: Plan, replan: Callable[[], Plan]
) -> dict[str, int]:
    """Create the definitions, then add or update each figure, keeping each in the store as
    soon as the service answers; progress per installation on stderr."""
    from vatui.accounting_client import AccountingError

    counts: dict[str, int] = {}
    try:
        for spec in found.definitions:
            store.record_definition(spec, client.create_definition(spec))
        figures = replan().to_send  # the definitions just created now have their ids
        by_installation = groupby(figures, key=lambda m: m.installation)
        total = len({m.installation for m in figures})
        for number, (name, group) in enumerate(by_installation, 1):
            for planned in group:
                _send_one(store, client, actor, found.period, planned)
                counts[planned.action] = counts.get(planned.action, 0) + 1
            errors.print(f"[{number}/{total}] {shown(name)}: sent")
    except AccountingError as error:
        done = sum(counts.values())
        raise AccountingError(
            f"{error}. {done} figure(s) sent before it are kept in the store: "
            "push again to send the rest"
        ) from None
    return counts


def _send_one(
    store: Store, client: AccountingClient, actor: str, period: str, planned: PlannedMetric
) -> None:
    what = f"sending {planned.installation} {planned.metric} ({period})"
    body = planned.body()
    if planned.action == "update" and planned.remote_id:
        client.update_metric(planned.remote_installation, planned.remote_id, body, what)
        store.record_sent(actor, period, planned, planned.remote_id)
    else:
        remote_id = client.add_metric(planned.remote_installation, body, what)
        store.record_sent(actor, period, planned, remote_id)


def pull(args: argparse.Namespace) -> int:
    """Read the service's figures for the period back; show where they differ from the
    store, and with ``--apply`` write the service's values as the leader, recorded."""
    actor = require_actor(args) if args.apply else ""
    with open_store(args) as store:
        if args.apply:
            store.require_leader(actor, "write the accounting service's figures")
        found = store.accounting_plan(args.period, args.installation, include_unaccepted=True)
        client = _client(args)
        try:
            differences = _differences(store, client, found)
        finally:
            client.close()
        applied = _apply(store, actor, found, differences, args.url) if args.apply else []
    rows = [_difference_record(*d, applied) for d in differences]
    if args.json:
        print(json_text(rows))
        return 0
    if not rows:
        console.print(f"The service's {found.period} figures are the store's.")
        return 0
    print_table(
        f"Where the service differs from the store ({found.period})",
        ("installation", "metric", "store", "service", "done"),
        [(r["installation"], r["metric"], r["store"], r["service"], r["done"]) for r in rows],
    )
    if not args.apply:
        console.print("Nothing was changed: the leader writes the service's values with --apply.")
    return 0


Difference = tuple[PlannedMetric, dict[str, Any] | None]


def _differences(store: Store, client: AccountingClient, found: Plan) -> list[Difference]:
    """Each planned figure whose value on the service differs (or is missing there)."""
    start, end = _instant(found.time_period_start), _instant(found.time_period_end)
    differences: list[Difference] = []
    remote_ids = dict.fromkeys(m.remote_installation for m in found.metrics)
    held = {rid: client.metrics(rid) for rid in remote_ids}
    for planned in found.metrics:
        match = [
            entry
            for entry in held[planned.remote_installation]
            if entry.get("metric_definition_id") == planned.definition_id
            and _instant(entry.get("time_period_start")) == start
            and _instant(entry.get("time_period_end")) == end
        ]
        remote = match[-1] if match else None
        if remote is None or float(remote.get("value", 0)) != planned.value:
            differences.append((planned, remote))
    return differences


def _apply(
    store: Store, actor: str, found: Plan, differences: list[Difference], url: str | None
) -> list[PlannedMetric]:
    """Write the service's values as the leader, each with its source in the history."""
    from vatui.accounting_client import service_url

    source = f"vatui accounting pull from {service_url(url)}"
    applied = []
    for planned, remote in differences:
        metric = store.metric(planned.installation, planned.metric)
        if remote is None or metric.kind != "count":
            continue  # nothing to write, or a count of countries that names none
        text = format_count(float(remote["value"]))
        store.set_value(actor, planned.installation, metric.id, found.period, text, source=source)
        value = store.value(planned.installation, metric.id, found.period)
        kept = PlannedMetric(**{**planned.__dict__, "value": figure(metric, value)})
        store.record_sent(actor, found.period, kept, str(remote["id"]))
        applied.append(planned)
    return applied


def _difference_record(
    planned: PlannedMetric, remote: dict[str, Any] | None, applied: list[PlannedMetric]
) -> dict[str, Any]:
    if remote is None:
        done = "not on the service (a push sends it)"
    elif planned in applied:
        done = "written to the store"
    else:
        done = "differs"
    return {
        "installation": planned.installation,
        "metric": planned.metric,
        "store": planned.value,
        "service": None if remote is None else remote.get("value"),
        "done": done,
    }


def _plan(store: Store, args: argparse.Namespace) -> Plan:
    return store.accounting_plan(
        args.period, args.installation, include_unaccepted=args.include_unaccepted
    )


def _client(args: argparse.Namespace) -> AccountingClient:
    from vatui.accounting_client import AccountingClient, obtain_token, service_url

    return AccountingClient(service_url(args.url), obtain_token())


def _metric_request(planned: PlannedMetric) -> dict[str, Any]:
    path = f"/accounting-system/installations/{planned.remote_installation}/metrics"
    request: dict[str, Any] = {"installation": planned.installation, "metric": planned.metric}
    if planned.action == "update":
        request |= {"method": "PATCH", "path": f"{path}/{planned.remote_id}"}
    else:
        request |= {"method": "POST", "path": path}
    request["body"] = planned.body()
    if planned.create is not None:
        request["definition_to_create"] = planned.create.body()
    return request


def _definition(planned: PlannedMetric) -> str:
    if planned.definition_id:
        return planned.definition_id
    return f"to create: {planned.create.name}" if planned.create else ""


def _instant(text: object) -> dt.datetime | None:
    """A time the service wrote, compared as an instant (it may write Z or +00:00)."""
    try:
        return dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
