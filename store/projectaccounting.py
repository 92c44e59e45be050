"""The accounting keys of a project file: where each installation's figures go on the EOSC
Accounting Service; read by ``projectfile.Reader``, checked the same way.

An installation names its id on the service (``accounting_id``); a count or countries metric
names its metric definition there, by id (``accounting_definition``) or by the name, unit type
and metric type to create it with (``accounting_name``, ``accounting_unit_type``,
``accounting_metric_type``). A text metric has no number to send, so it takes none of them.
"""

from __future__ import annotations

from vatui.store.accounting import SENT_KINDS, DefinitionSpec, MetricMapping
from vatui.store.models import Metric
from vatui.store.projecttable import FileTable

#: The metric keys that describe a definition to create, with what each accepts.
CREATE_KEYS = {
    "accounting_name": 'the metric definition\'s name, e.g. "Number of users"',
    "accounting_unit_type": 'its unit type on the service, e.g. "#"',
    "accounting_metric_type": 'its metric type on the service, e.g. "count"',
}


class AccountingReader:
    """The readers of a project file's accounting keys (a part of ``projectfile.Reader``)."""

    def read_accounting_id(self, table: FileTable) -> str:
        """The installation's id on the service, or "" when the file gives none."""
        return _remote_id(table, "accounting_id", "the installation's id on the service")

    def read_metric_accounting(self, table: FileTable, metric: Metric) -> MetricMapping | None:
        """Where the metric's figures go on the service, or None when the file says nothing."""
        given = [key for key in ("accounting_definition", *CREATE_KEYS) if key in table.data]
        if not given:
            return None
        if metric.kind not in SENT_KINDS:
            table.refuse(given[0], table.data[given[0]], "nothing: a text metric is not sent")
            return None
        definition = _remote_id(table, "accounting_definition", "a metric definition id")
        texts = {key: table.text(key, accepted) for key, accepted in CREATE_KEYS.items()}
        if definition and any(texts.values()):
            key = next(k for k in CREATE_KEYS if texts[k])
            table.refuse(key, texts[key], "either accounting_definition or the keys to create it")
            return None
        if definition:
            return MetricMapping(metric.installation, metric.id, definition_id=definition)
        for key, accepted in CREATE_KEYS.items():
            if not texts[key]:
                table.missing(key, f"{accepted} (or accounting_definition, an existing id)")
        if not all(texts.values()):
            return None
        spec = DefinitionSpec(*texts.values())
        return MetricMapping(metric.installation, metric.id, create=spec)


def _remote_id(table: FileTable, key: str, accepted: str) -> str:
    """An id on the service, when given: it goes into request paths, so a short id as
    ``FileTable.ident`` takes one (letters, digits, '-' and '_')."""
    return table.ident(key, accepted) if key in table.data else ""
