"""``vatui stage``, ``vatui milestone``, ``vatui period`` and ``vatui project``: what was true
when, changed from the command line as in the app's set-up, each change kept in the history.

The rules (who may, which dates) are in ``store/timeline.py`` and ``store/definitions.py``.
"""

from __future__ import annotations

import argparse
from typing import Any

from vatui.commands import open_store, require_actor
from vatui.output import console, json_text, shown
from vatui.store.timeline import KEEP


def stage(args: argparse.Namespace) -> int:
    """Record the installation's stage (and planned production date) from a date."""
    actor = require_actor(args)
    planned = KEEP if args.planned is None else args.planned
    with open_store(args) as store:
        event = store.set_stage(
            actor, args.installation, args.stage, args.on, planned=planned, source="vatui stage"
        )
        item = store.installation(event.installation)
    plan = (
        f", production planned for {event.planned_production}" if event.planned_production else ""
    )
    console.print(
        f"{shown(item.id)} {shown(item.name)}: {event.stage} from {event.since}{plan} "
        f"(now: {item.stage})."
    )
    return 0


def achieve(args: argparse.Namespace) -> int:
    """Mark a milestone achieved on a date (the leader)."""
    actor = require_actor(args)
    with open_store(args) as store:
        milestone = store.achieve_milestone(
            actor, args.milestone, args.on, source="vatui milestone"
        )
    console.print(f"{shown(milestone.id)} {shown(milestone.title)}: achieved {milestone.achieved}.")
    return 0


def period_add(args: argparse.Namespace) -> int:
    actor = require_actor(args)
    with open_store(args) as store:
        period = store.add_period(actor, args.label, cutoff=args.cutoff, source="vatui period")
    console.print(f"Added {period.label} ({period.calendar_label}), judged as of {period.as_of}.")
    return 0


def period_cutoff(args: argparse.Namespace) -> int:
    """Set a period's cut-off, or (``default``) go back to the day after it ends."""
    actor = require_actor(args)
    day = None if args.date.strip().lower() == "default" else args.date
    with open_store(args) as store:
        period = store.set_cutoff(actor, args.label, day, source="vatui period")
    how = "set by the leader" if period.cutoff_set else "the default"
    console.print(f"{period.label} is judged as of {period.as_of} ({how}).")
    return 0


def period_list(args: argparse.Namespace) -> int:
    """The periods with their dates, cut-offs and issued chapters."""
    with open_store(args) as store:
        records: list[dict[str, Any]] = [
            {
                "period": period.label,
                "start": period.start_date.isoformat(),
                "end": period.end_date.isoformat(),
                "cutoff": period.as_of.isoformat(),
                "cutoff_set": period.cutoff_set,
                "issued": [
                    {"at": chapter.at, "by": chapter.actor, "sha256": chapter.sha256}
                    for chapter in store.issued_chapters(period.label)
                ],
            }
            for period in store.periods()
        ]
    if args.json:
        print(json_text(records))
        return 0
    for record in records:
        issued = record["issued"]
        last = f"; issued {issued[-1]['at']} by {shown(issued[-1]['by'])}" if issued else ""
        how = "" if record["cutoff_set"] else " (default)"
        console.print(
            f"{record['period']}  {record['start']} – {record['end']}, "
            f"judged as of {record['cutoff']}{how}{last}"
        )
    return 0


def project_rename(args: argparse.Namespace) -> int:
    actor = require_actor(args)
    with open_store(args) as store:
        project = store.rename_project(actor, args.name, source="vatui project")
    console.print(f"The project is now called {shown(project.name)}.")
    return 0


def project_thresholds(args: argparse.Namespace) -> int:
    """Set the project's light thresholds; everyone who opens the store sees them."""
    actor = require_actor(args)
    with open_store(args) as store:
        current = store.project()
        green = current.green_at if args.green is None else args.green
        amber = current.amber_at if args.amber is None else args.amber
        project = store.set_thresholds(actor, green, amber, source="vatui project")
    console.print(
        f"A metric is green from {project.green_at:g} of its target and amber from "
        f"{project.amber_at:g}; red below."
    )
    return 0
