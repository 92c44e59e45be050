"""The form that edits one metric's value (and note) for one period.

As the user types, the value is read the way the store will read it and what it parsed to is
shown under the field: ``= 2,075,958``, or the countries with their codes, or the store's reason
for refusing it with its suggestions. A value that looks like a slip (ten times last period's,
or a tenth of the target) is saved only once the user says it is right. Saving goes through
``Store.set_value``, which decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from vatui.screens.confirm import ConfirmScreen
from vatui.screens.kept import KeptScreen
from vatui.screens.keyboard import focus_now
from vatui.screens.record_form import FormField, RecordForm
from vatui.store import InvalidValue, Metric, Period, Store, Value
from vatui.store.countries import format_countries, parse_countries
from vatui.store.lights import baseline_with_target
from vatui.store.numbers import format_count, parse_count
from vatui.store.plausibility import check, previous_period
from vatui.store.validation import parse_value

KIND_HELP = {
    "count": "a number: 2,075,958 or 2075958",
    "countries": "countries by name or code, separated by commas: Italy, BE, UK",
    "text": "free text",
}


@dataclass(frozen=True)
class ValueEdit:
    """What the value form edits: ``metric``'s value for ``period`` (``value``, None when
    there is none yet), as ``actor``; ``where`` names the installation and site."""

    store: Store
    actor: str
    metric: Metric
    period: str
    value: Value | None
    where: str = ""


class ValueForm(RecordForm, KeptScreen):
    """Dismissed with True once the store has saved the value.

    Unlike the other forms it hides the screen under it: drawing the installation again
    behind a see-through backdrop was half the time of opening it, and values are typed one
    after another. Its title names the metric, its bottom line whose value it is, and its
    hint gives the value of the period before, which the table beneath showed.
    """

    DEFAULT_CSS = """
    ValueForm {
        background: $background;
    }
    """

    def __init__(self, edit: ValueEdit) -> None:
        self._show(edit)
        super().__init__(edit.metric.name, self._fields(), subtitle=edit.where)

    def show_value(self, edit: ValueEdit) -> None:
        """Refill the form with another metric's value: the Metrics tab keeps one form."""
        self._show(edit)
        self.refill(edit.metric.name, self._fields(), subtitle=edit.where)

    def _show(self, edit: ValueEdit) -> None:
        self.store, self.actor, self.metric = edit.store, edit.actor, edit.metric
        self.period, self.current = edit.period, edit.value
        span = self.store.period(self.period)
        shown = baseline_with_target(self.metric, span)
        before = _before(self.store, self.metric, span)
        self.baseline = " ".join(filter(None, [f"Baseline: {shown}." if shown else "", before]))

    def _fields(self) -> list[FormField]:
        texts = _texts(self.current)
        kind = self.metric.kind
        return [
            FormField(
                "value",
                f"Value for {self.period}",
                value=texts["value"],
                hint=self._help(KIND_HELP[kind]),
                placeholder=KIND_HELP[kind],
                aliases=(self.metric.name,),
            ),
            FormField(
                "note",
                "Note",
                value=texts["note"],
                hint="how the figure was reached, e.g. 1,865,953 (M13-M18) + 210,005 (M19-M24)",
            ),
        ]

    def _help(self, text: str) -> str:
        return " ".join(filter(None, [f"{text}.", self.baseline]))

    def field_changed(self, name: str, text: str) -> None:
        """Show what the value reads as, or the store's reason for refusing it, as it is typed."""
        if name != "value":
            return
        try:
            self.set_hint("value", self._help(read_value(self.metric, text)))
        except InvalidValue as refusal:
            self.set_hint("value", self._help(KIND_HELP[self.metric.kind]))
            self.show_refusal(refusal.field, refusal_text(refusal))

    def action_save(self) -> None:
        """Ask before saving a value that looks like a slip (``store/plausibility.py``): it is
        saved if the user says it is right. The store still decides whether it may be saved."""
        why = self._implausible(self.values()["value"])
        if why is None:
            super().action_save()
            return
        question = f"{self.metric.name} for {self.period}: {why}.\n\nIs that right? Save it?"
        confirm = ConfirmScreen(question, yes="Save it", no="Check it")
        self.app.push_screen(confirm, self._save_if_confirmed)

    def _implausible(self, text: str) -> str | None:
        """Why the typed value is implausible; None when it is plausible, unchanged, or not a
        value at all (saving then shows the store's refusal)."""
        if self.current is not None and text == self.current.shown:
            return None
        try:
            number, countries, _ = parse_value(self.metric, text)
        except InvalidValue:
            return None
        return check(self.store, self.metric, self.period, number, countries)

    def _save_if_confirmed(self, save: bool | None) -> None:
        if save:
            super().action_save()
        else:
            focus_now(self.query_one("#field-value"))

    def save(self, values: dict[str, str]) -> None:
        text = values["value"]
        unchanged = self.current is not None and text == self.current.shown
        self.store.set_value(
            self.actor,
            self.metric.installation,
            self.metric.id,
            self.period,
            None if unchanged else text,
            note=values["note"],
            expected_version=self.current.version if self.current else 0,
            source="tui",
        )

    def reloaded(self) -> dict[str, str]:
        metric = self.metric
        self.current = self.store.value(metric.installation, metric.id, self.period)
        return _texts(self.current)


def _before(store: Store, metric: Metric, period: Period) -> str:
    """The value of the period before, to type the new one against (the form hides the table
    that shows it)."""
    before = previous_period(store, period)
    value = store.value(metric.installation, metric.id, before.label) if before else None
    return f"Last period ({before.label}): {value.shown}." if before and value else ""


def _texts(value: Value | None) -> dict[str, str]:
    """The form's fields as a value fills them; empty for a metric without one yet."""
    return {"value": value.shown if value else "", "note": value.note if value else ""}


def read_value(metric: Metric, text: str) -> str:
    """What ``text`` means as a value of ``metric``; InvalidValue when the store would refuse it."""
    if metric.kind == "count":
        return f"= {format_count(parse_count(text, field=metric.name))}"
    if metric.kind == "countries":
        codes = parse_countries(text, field=metric.name)
        listed = ", ".join(f"{format_countries([code])} ({code})" for code in codes)
        return f"= {len(codes)} {'country' if len(codes) == 1 else 'countries'}: {listed}"
    return KIND_HELP["text"]


def refusal_text(refusal: InvalidValue) -> str:
    """The refusal without the field's name: the form shows that already."""
    text = f"{refusal.value!r} is not accepted: {refusal.accepted}"
    if refusal.suggestions:
        text += f" (did you mean: {', '.join(refusal.suggestions)}?)"
    return text
