"""A modal form for one record, with the store's reason for a refusal under the field it names.

The milestone and set-up forms have the same shape: labelled fields, Save and Cancel, nothing
saved when anything is refused, and a question before unsaved changes are dropped. This module
holds that shape once; each form says only which fields it has and how it saves.

What the form shows around its fields (its title, labels, options, hints and the store's
refusals) quotes stored text, so it is shown as plain text with control characters as escapes
(``widgets.plain``). The fields themselves load stored text through ``widgets.editable`` (an
Input or TextArea would send a control character to the terminal as it is) and read it back
through ``widgets.edited``: a field left as loaded gives back the stored text, for the store to
judge.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea
from vatui.screens.confirm import ConfirmScreen
from vatui.screens.footer import KeyFooter
from vatui.screens.guard import drop_question
from vatui.screens.keyboard import TextBox, focus_now
from vatui.screens.widgets import editable, edited, one_line, plain
from vatui.store import InvalidValue, NotFound, StaleEdit, StoreError
from vatui.store.models import STAGES
from vatui.store.periods import parse_date

FieldKind = Literal["input", "select", "checkbox", "textarea"]
CHECKED = "yes"


@dataclass(frozen=True)
class FormField:
    """One field of a form. Its value is always text: a checkbox reads ``yes`` or ``""``.

    ``aliases`` are the names the store gives this field in its refusals ("due month",
    "milestone id"), so that a refusal lands under the field it is about.
    """

    name: str
    label: str
    value: str = ""
    kind: FieldKind = "input"
    options: tuple[tuple[str, str], ...] = ()
    hint: str = ""
    placeholder: str = ""
    aliases: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()

    def answers_to(self, store_field: str) -> bool:
        names = {self.name, self.label, *self.aliases}
        return store_field.strip().lower() in {name.lower() for name in names}


class RecordForm(ModalScreen[bool]):
    """Edit one record; dismissed with True once the store has accepted it.

    Subclasses give the fields and implement ``save``, which raises the store's refusals.
    """

    # Textual reads a relative CSS_PATH beside the file of the subclass shown, and the forms
    # live in other folders (installation/, setup/): name this file's own stylesheet.
    CSS_PATH = Path(__file__).with_name("record_form.tcss")

    BINDINGS = [
        Binding(
            "ctrl+s",
            "save",
            "Save",
            id="form.save",
            tooltip="Save: the store checks every field and saves nothing if one is refused",
        ),
        Binding(
            "escape",
            "cancel",
            "Back",
            id="form.cancel",
            tooltip="Leave the form; asks first when you have changed something",
        ),
    ]

    def __init__(
        self,
        title: str,
        fields: list[FormField],
        *,
        save_label: str = "Save",
        subtitle: str = "",
    ) -> None:
        super().__init__()
        self.form_title = title
        self.form_subtitle = subtitle
        self.fields = fields
        self.save_label = save_label

    def save(self, values: dict[str, str]) -> None:
        """Write ``values`` through the store; raise its refusal to keep the form open."""
        raise NotImplementedError

    def reloaded(self) -> dict[str, str]:
        """Read the record again from the store, as it is saved now, and return each field's
        text. Forms whose ``save`` may be refused as stale (someone else saved first) implement
        it, so that the form can be reloaded in place."""
        raise NotImplementedError

    def field_changed(self, name: str, text: str) -> None:
        """Called as the user types, for live feedback such as parsed countries."""

    # ---- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box") as box:
            box.border_title = one_line(self.form_title)
            box.border_subtitle = one_line(self.form_subtitle)
            with VerticalScroll(id="form-fields"):
                for field in self.fields:
                    if field.kind != "checkbox":
                        yield Label(
                            one_line(field.label), id=f"label-{field.name}", classes="form-label"
                        )
                    yield self._widget(field)
                    yield FormLine(field.hint, id=f"hint-{field.name}", classes="form-hint")
                    yield FormLine("", id=f"error-{field.name}", classes="form-error")
            yield FormLine("", id="form-error", classes="form-error")
            with Horizontal(id="form-buttons"):
                yield Button(f"{self.save_label} (ctrl+s)", id="form-save", variant="primary")
                yield Button("Cancel (esc)", id="form-cancel")
        yield KeyFooter()

    def _widget(self, field: FormField) -> Widget:
        ident = f"field-{field.name}"
        if field.kind == "select":
            # A str option would be read as markup: the labels are site names and the like.
            options = [(one_line(label), value) for label, value in field.options]
            return Select(options, value=field.value, allow_blank=False, id=ident)
        if field.kind == "checkbox":
            return Checkbox(one_line(field.label), value=field.value == CHECKED, id=ident)
        if field.kind == "textarea":
            return TextBox(editable(field.value), soft_wrap=True, id=ident)
        # Suggestions show in the field as it is typed in: stored statuses, so made safe too.
        suggestions = [editable(text, single_line=True) for text in field.suggestions]
        suggester = SuggestFromList(suggestions, case_sensitive=False) if suggestions else None
        return Input(
            editable(field.value, single_line=True),
            placeholder=field.placeholder,
            suggester=suggester,
            id=ident,
        )

    def on_mount(self) -> None:
        focus_now(self.query_one(f"#field-{self.fields[0].name}"))

    def refill(self, title: str, fields: list[FormField], *, subtitle: str = "") -> None:
        """Show another record in the same fields (names and kinds as before): a form kept and
        refilled opens in a fraction of the time of a new one. The first field gets the focus."""
        self.form_title, self.form_subtitle = title, subtitle
        self.fields = fields
        box = self.query_one("#form-box")
        box.border_title, box.border_subtitle = one_line(title), one_line(subtitle)
        for field in fields:
            if field.kind != "checkbox":
                self.query_one(f"#label-{field.name}", Label).update(one_line(field.label))
            widget = self.query_one(f"#field-{field.name}")
            if isinstance(widget, Input):
                widget.placeholder = field.placeholder
            # As loaded, not as typed: no live check of it, as a new form makes none.
            with self.prevent(Input.Changed, Select.Changed, Checkbox.Changed):
                self._set_text(field)
            if isinstance(widget, Input):
                widget.action_end()
            self.set_hint(field.name, field.hint)
        self._clear_errors()
        focus_now(self.query_one(f"#field-{fields[0].name}"))

    # ---- values ---------------------------------------------------------------------------

    def values(self) -> dict[str, str]:
        """The text of every field as it stands now."""
        return {field.name: self._text(field) for field in self.fields}

    def _text(self, field: FormField) -> str:
        """The field's text: the stored value itself while it is as loaded (``edited``)."""
        widget = self.query_one(f"#field-{field.name}")
        if isinstance(widget, Checkbox):
            return CHECKED if widget.value else ""
        if isinstance(widget, TextArea):
            return edited(widget.text, field.value)
        if isinstance(widget, Select):
            return str(widget.value)
        assert isinstance(widget, Input)
        return edited(widget.value, field.value, single_line=True)

    @property
    def is_dirty(self) -> bool:
        return self.values() != {field.name: field.value for field in self.fields}

    # ---- messages under the fields --------------------------------------------------------

    def set_hint(self, name: str, text: str) -> None:
        self.query_one(f"#hint-{name}", FormLine).say(text)

    def set_error(self, name: str, text: str) -> None:
        """Show ``text`` in the error line under field ``name`` ("" for the whole form)."""
        self.query_one(f"#error-{name}" if name else "#form-error", FormLine).say(text)

    def show_refusal(self, store_field: str, message: str) -> None:
        """Put the store's message under the field it names, else under the whole form."""
        field = next((f for f in self.fields if f.answers_to(store_field)), None)
        self.set_error(field.name if field else "", message)
        if field is not None:
            widget = self.query_one(f"#field-{field.name}")
            focus_now(widget)
            widget.scroll_visible()

    def _clear_errors(self) -> None:
        for field in self.fields:
            self.set_error(field.name, "")
        self.set_error("", "")

    # ---- actions --------------------------------------------------------------------------

    def action_save(self) -> None:
        self._clear_errors()
        try:
            self.save(self.values())
        except InvalidValue as refusal:
            self.show_refusal(refusal.field, str(refusal))
        except NotFound as refusal:
            self.show_refusal(refusal.what, str(refusal))
        except StaleEdit as refusal:
            self.show_refusal("", str(refusal))
            self._offer_reload(refusal)
        except StoreError as refusal:  # not allowed, changed by someone else, store busy
            self.show_refusal("", str(refusal))
        else:
            self.dismiss(True)

    def _offer_reload(self, stale: StaleEdit) -> None:
        """Someone else saved first: ask before the typed text makes way for theirs."""
        question = (
            f"Someone else saved first: {stale}.\n\nLoad what is saved now into the form? "
            "What you typed here is lost."
        )
        self.app.push_screen(
            ConfirmScreen(question, yes="Reload", no="Keep editing"), self._reload_if_confirmed
        )

    def _reload_if_confirmed(self, reload: bool | None) -> None:
        if not reload:
            return
        values = self.reloaded()
        self.fields = [replace(field, value=values[field.name]) for field in self.fields]
        for field in self.fields:
            self._set_text(field)
        self._clear_errors()
        self.notify("The form shows what is saved now.", title="Reloaded")

    def _set_text(self, field: FormField) -> None:
        widget = self.query_one(f"#field-{field.name}")
        if isinstance(widget, Checkbox):
            widget.value = field.value == CHECKED
        elif isinstance(widget, TextArea):
            widget.load_text(editable(field.value))
        elif isinstance(widget, Input):
            widget.value = editable(field.value, single_line=True)
        elif isinstance(widget, Select):
            widget.value = field.value

    def action_cancel(self) -> None:
        if not self.is_dirty:
            self.dismiss(False)
            return
        self.app.push_screen(drop_question([self.form_title]), self._leave_if_confirmed)

    def _leave_if_confirmed(self, discard: bool | None) -> None:
        if discard:
            self.dismiss(False)

    @on(Button.Pressed, "#form-save")
    @on(Input.Submitted)
    def _submit(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#form-cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _changed(self, event: Input.Changed | Select.Changed | Checkbox.Changed) -> None:
        ident = event.control.id if event.control is not None else None
        if ident and ident.startswith("field-"):
            name = ident.removeprefix("field-")
            self.set_error(name, "")
            self.field_changed(name, self._text(self._field(name)))

    def _field(self, name: str) -> FormField:
        return next(field for field in self.fields if field.name == name)


class FormLine(Static):
    """A hint or error line under a field, hidden while it has nothing to say."""

    def __init__(self, text: str, *, id: str, classes: str) -> None:
        self._said = plain(text)
        super().__init__(self._said, id=id, classes=classes)
        self.display = bool(text)

    def say(self, text: str) -> None:
        """Show ``text``. Each key typed in a field sets its lines: one that does not change
        is left alone, and one that stays one line is drawn again without the whole form
        being laid out again."""
        said, self._said = self._said, plain(text)
        if said == self._said:
            return
        width = self.content_region.width
        one_line_still = all(
            0 < line.cell_len <= width and "\n" not in line.plain for line in (said, self._said)
        )
        self.update(self._said, layout=not one_line_still)
        self.display = bool(text)


def stage_fields(stage: str, planned: dt.date | None, today: dt.date) -> list[FormField]:
    """The deployment stage, its planned production date, and the day from which they hold:
    a change of either is a dated event, so a period sees the stage of its own cut-off."""
    return [
        FormField("stage", "Deployment stage", stage, "select", tuple((s, s) for s in STAGES)),
        FormField(
            "planned_production",
            "Planned production date",
            planned.isoformat() if planned else "",
            hint="YYYY-MM-DD, e.g. 2024-10-31; empty when not planned yet",
            placeholder="YYYY-MM-DD",
            aliases=("planned production",),
        ),
        FormField(
            "stage_since",
            "Stage and plan from",
            today.isoformat(),
            hint="the day the stage or plan changed (YYYY-MM-DD); earlier periods keep theirs",
            placeholder="YYYY-MM-DD",
            aliases=("from (date)",),
        ),
    ]


# ---- typed text to values, refused in the store's words ------------------------------------


def month_number(text: str, field: str) -> int:
    """A project month typed as ``24`` or ``M24``."""
    digits = text.strip().removeprefix("M").removeprefix("m").strip()
    if not digits.isdigit() or int(digits) < 1:
        raise InvalidValue(field, text, "a project month number such as 24 (or M24)")
    return int(digits)


def optional_date(text: str, field: str) -> dt.date | None:
    """A ``YYYY-MM-DD`` date, or None when the field is left empty."""
    return parse_date(text, field) if text.strip() else None


def comma_list(text: str) -> list[str]:
    """``uc1, uc5`` as ``["uc1", "uc5"]``; empty entries dropped."""
    return [part.strip() for part in text.split(",") if part.strip()]
