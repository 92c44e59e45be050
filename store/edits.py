"""Providers' edits: a period's values and assessment texts, the delay log and review steps.

Each edit resolves what it names, checks who may make it (``store/access.py``), refuses an
edit made against an older version, writes in one transaction and records every changed field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from vatui.store import reviews, rows
from vatui.store.access import Access
from vatui.store.changes import Changes, check_version, created, diff
from vatui.store.core import writes
from vatui.store.errors import InvalidValue
from vatui.store.models import (
    ASSESSMENT_LABELS,
    Assessment,
    DelayEntry,
    Installation,
    Value,
)
from vatui.store.sql import upsert
from vatui.store.text import NOTE_LIMIT, TEXT_LIMIT, check_text
from vatui.store.validation import as_date, parse_value


class Edits(Access):
    """The edit calls of ``Store`` for a period's figures and texts."""

    @writes
    def set_value(
        self,
        actor: str,
        installation: str,
        metric: str,
        period: str,
        text: str | None,
        *,
        note: str | None = None,
        expected_version: int | None = None,
        keep_wording: bool = False,
        source: str = "",
    ) -> Value:
        """Parse ``text`` by the metric's kind and store it as the metric's value for the period.

        ``text`` None keeps the value and changes only the note. Counts accept ``2,075,958``;
        countries accept codes and names (``FR, Italy, UK``); text is kept as typed. With
        ``keep_wording`` the text is also kept as the value's wording (``1 (Italy)``).
        """
        item = self.installation(installation)
        target = self.metric(item.id, metric)
        span = self.period(period)
        name = self.require_provider(actor, item, f"set {target.name!r}")
        self.require_open(name, item, span.label)
        current = self.value(item.id, target.id, span.label)
        key = f"{item.id}/{target.id}/{span.label}"
        check_version(
            f"{target.name} ({span.label})",
            current,
            expected_version,
            lambda: self.latest_change("metric_values", key),
        )
        parsed = parse_value(target, text) if text is not None else None
        base = current or Value(item.id, target.id, span.label, version=0)
        new = replace(base, updated_by=name, updated_at=self.clock())
        if parsed is not None and text is not None:
            new = replace(new, number=parsed[0], countries=parsed[1], text=parsed[2], display="")
            if keep_wording and new.shown != text:
                new = replace(new, display=text)
        if note is not None:
            new = replace(new, note=check_text("note", note, limit=NOTE_LIMIT))
        changes = diff(base, new, ("shown", "note")) if current else created(new)
        if not changes:
            return base
        new = replace(new, version=self.next_version())
        upsert(
            self.conn, "metric_values", rows.VALUES.dump(new), ("installation", "metric", "period")
        )
        self.record_change(name, "metric_values", key, item.id, changes, source)
        self._note_for_review(
            name, item, span.label, changes, lambda f: reviews.value_label(target, f)
        )
        return new

    @writes
    def clear_value(
        self, actor: str, installation: str, metric: str, period: str, *, source: str = ""
    ) -> None:
        """Remove a metric's value for a period; the history keeps what it was. Refused to a
        provider, as any change is, while the period is submitted or accepted."""
        item = self.installation(installation)
        target = self.metric(item.id, metric)
        span = self.period(period)
        name = self.require_provider(actor, item, f"clear {target.name!r}")
        self.require_open(name, item, span.label)
        current = self.value(item.id, target.id, span.label)
        if current is None:
            return
        key = (item.id, target.id, span.label)
        self.db.table("metric_values").delete(key)
        changes: Changes = {"shown": (current.shown, None)}
        self.record_change(name, "metric_values", "/".join(key), item.id, changes, source)
        self._note_for_review(
            name, item, span.label, changes, lambda f: reviews.value_label(target, f)
        )

    @writes
    def set_assessment(
        self,
        actor: str,
        installation: str,
        period: str,
        *,
        site: str | None = None,
        assessment: str | None = None,
        delay: str | None = None,
        planning: str | None = None,
        expected_version: int | None = None,
        source: str = "",
    ) -> Assessment:
        """Write the assessment texts of an installation (or one of its sites) for a period.

        A text left None is kept as it is.
        """
        item = self.installation(installation)
        span = self.period(period)
        if site is not None:
            self.site(item.id, site)
        name = self.require_provider(actor, item, "write the assessment")
        self.require_open(name, item, span.label)
        current = self.assessment(item.id, span.label, site)
        key = "/".join(filter(None, [item.id, site, span.label]))
        check_version(
            f"the assessment of {item.id} for {span.label}",
            current,
            expected_version,
            lambda: self.latest_change("assessments", key),
        )
        texts: dict[str, Any] = {"assessment": assessment, "delay": delay, "planning": planning}
        for field, text in texts.items():
            if text is not None:
                check_text(ASSESSMENT_LABELS[field], text, limit=TEXT_LIMIT)
        new = replace(
            current,
            **{key: text for key, text in texts.items() if text is not None},
            updated_by=name,
            updated_at=self.clock(),
        )
        changes = diff(current, new, tuple(texts))
        if not changes:
            return current
        new = replace(new, version=self.next_version())
        upsert(
            self.conn, "assessments", rows.ASSESSMENTS.dump(new), ("installation", "site", "period")
        )
        self.record_change(name, "assessments", key, item.id, changes, source)
        where = f" ({site})" if site else ""
        self._note_for_review(
            name, item, span.label, changes, lambda f: ASSESSMENT_LABELS[f] + where
        )
        return new

    @writes
    def add_delay(
        self,
        actor: str,
        installation: str,
        reason: str,
        *,
        replanned: dt.date | str | None = None,
        recorded: dt.date | str | None = None,
        site: str | None = None,
        source: str = "",
    ) -> DelayEntry:
        """Append an entry to an installation's delay log; entries are never changed.

        Refused to a provider while a period of the installation waits for review."""
        item = self.installation(installation)
        name = self.require_provider(actor, item, "record a delay")
        self.require_no_submission(name, item)
        if not reason.strip():
            raise InvalidValue("reason", reason, "a sentence saying why production is late")
        check_text("reason", reason, limit=NOTE_LIMIT)
        entry = DelayEntry(
            id=0,
            installation=item.id,
            recorded=as_date(recorded, "recorded on") or dt.date.fromisoformat(self.clock()[:10]),
            reason=reason.strip(),
            replanned=as_date(replanned, "re-planned production date"),
            site=self.site(item.id, site).id if site else None,
            author=name,
        )
        new_row = {k: v for k, v in rows.DELAYS.dump(entry).items() if k != "id"}
        entry_id = self.db.table("delays").insert(new_row).last_pk
        entry = replace(entry, id=int(entry_id or 0))
        self.record_change(
            name,
            "delays",
            str(entry.id),
            item.id,
            {"reason": (None, entry.reason), "replanned": (None, entry.replanned)},
            source,
        )
        return entry

    @writes
    def review(
        self,
        actor: str,
        installation: str,
        period: str,
        action: str,
        comment: str = "",
        *,
        source: str = "",
    ) -> reviews.ReviewEntry:
        """Submit, withdraw, accept, return, reopen or comment on an installation's figures for
        a period.

        Refuses an unknown action, an actor the rule does not allow, a state the action does not
        start from (saying what would be needed), and a missing comment where one is required.
        A resubmission after a return says, after the provider's comment, what changed since.
        """
        rule = reviews.RULES.get(action)
        if rule is None:
            raise InvalidValue("review action", action, f"one of: {', '.join(reviews.RULES)}")
        item = self.installation(installation)
        span = self.period(period)
        name = self.require_reviewer(actor, item, rule, span.label)
        current = reviews.state(self, item.id, span.label)
        if current not in rule.from_states:
            what = f"{action} of {item.id} {span.label}"
            raise InvalidValue(what, current, reviews.why_not(action, item))
        comment = check_text("comment", comment.strip(), limit=NOTE_LIMIT)
        if rule.needs_comment and not comment:
            raise InvalidValue("comment", comment, f"a comment saying why: {action} needs one")
        if action == "submit" and current == reviews.RETURNED:
            room = NOTE_LIMIT - len(comment) - 2
            since = reviews.changed_since_return(self, item.id, span.label, room)
            comment = "\n\n".join(filter(None, [comment, since]))
        new = reviews.ReviewEntry(
            0, item.id, span.label, action, rule.to or current, name, self.clock(), comment
        )
        new = replace(new, id=reviews.add(self, new))
        changes: Changes = {}
        if new.state != current:
            changes["review"] = (current, new.state)
        if comment:
            changes["comment"] = (None, comment)
        key = f"{item.id}/{span.label}"
        self.record_change(name, "reviews", key, item.id, changes, source)
        return new

    def _note_for_review(
        self,
        actor: str,
        item: Installation,
        period: str,
        changes: Changes,
        label: Callable[[str], str],
    ) -> None:
        """Write the leader's change of submitted or accepted figures or texts into the review
        thread, field by field, old → new (``label`` names a field): what the providers
        submitted, or the leader accepted, does not change unseen."""
        if not self.is_leader(actor):
            return
        current = reviews.state(self, item.id, period)
        if current not in (reviews.SUBMITTED, reviews.ACCEPTED):
            return
        lines = [reviews.change_line(label(field), *change) for field, change in changes.items()]
        text = reviews.change_note(actor, lines)
        reviews.add(
            self,
            reviews.ReviewEntry(0, item.id, period, "comment", current, actor, self.clock(), text),
        )
