"""vatui's store: the project's data, its rules and its history, with no UI in sight.

Everything that reads or writes a project goes through ``Store``; the rules about the data
(validation, permissions, traffic lights, audit) live in this package so that the TUI, the CLI
and the importers cannot disagree.
"""

from vatui.store.errors import InvalidValue, NotFound, PermissionDenied, StaleEdit, StoreError
from vatui.store.lights import Light, Thresholds
from vatui.store.models import (
    Assessment,
    Change,
    DelayEntry,
    Installation,
    InstallationStatus,
    Metric,
    MetricStatus,
    Milestone,
    MilestoneStatus,
    Project,
    Site,
    Value,
)
from vatui.store.periods import Period
from vatui.store.reviews import ReviewEntry
from vatui.store.store import Store

__all__ = [
    "Assessment",
    "Change",
    "DelayEntry",
    "Installation",
    "InstallationStatus",
    "InvalidValue",
    "Light",
    "Metric",
    "MetricStatus",
    "Milestone",
    "MilestoneStatus",
    "NotFound",
    "PermissionDenied",
    "Period",
    "Project",
    "ReviewEntry",
    "Site",
    "StaleEdit",
    "Store",
    "StoreError",
    "Thresholds",
    "Value",
]
