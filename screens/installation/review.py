"""The Review tab: the review thread of the period shown (who did what, when, and why) and the
steps the identity may take now.

Providers submit their figures, and withdraw a submission to change it; the leader accepts
them, returns them with a comment saying what to check, or reopens accepted ones; anyone who
may change the installation comments. The
rules are the store's (``store/reviews.py``): the tab offers what ``Store.review_actions``
allows, and each step goes through a small form whose refusal is the store's. The leader also
sees which values look implausible, until the figures are accepted.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Static
from vatui.screens.dashboard import IMPLAUSIBLE_MARK
from vatui.screens.installation.tab import InstallationTab
from vatui.screens.keyboard import focus_now
from vatui.screens.record_form import FormField, RecordForm
from vatui.screens.table import Column, FittedTable, Row
from vatui.screens.widgets import cell, plain, review_label
from vatui.store import ReviewEntry, Store
from vatui.store.plausibility import to_review
from vatui.store.reviews import value_label
from vatui.store.text import one_line_printable, shorten


class Step(NamedTuple):
    """How the tab offers one review action: its key, its button and what it does."""

    key: str
    label: str
    done: str  # how the thread tells it: "MARIS accepted it"
    help: str
    comment_hint: str


STEPS = {
    "submit": Step(
        "S",
        "Submit",
        "submitted it",
        "Send the period's figures and texts to the leader for review",
        "optional: anything the leader should know",
    ),
    "withdraw": Step(
        "w",
        "Withdraw",
        "withdrew it",
        "Take the submission back, to change the figures or texts; submit them again after",
        "optional: why it is withdrawn",
    ),
    "accept": Step(
        "a",
        "Accept",
        "accepted it",
        "Accept the submitted figures; their providers then need a reopen to change them",
        "optional",
    ),
    "return": Step(
        "r",
        "Return",
        "returned it",
        "Send the figures back to their providers with a comment saying what to check",
        "required: what should the providers check or change?",
    ),
    "reopen": Step(
        "o",
        "Reopen",
        "reopened it",
        "Reopen accepted figures so that their providers may change them again",
        "optional: why it is reopened",
    ),
    "comment": Step(
        "c",
        "Comment",
        "commented",
        "Add a comment to the review thread; the state stays as it is",
        "required",
    ),
}


class ReviewTab(InstallationTab):
    """The thread as a table, the highlighted step's whole comment, and the allowed steps."""

    def __init__(self, installation: str, *, id: str | None = None) -> None:
        super().__init__(installation, id=id)
        self.allowed: list[str] = []
        self._thread: list[ReviewEntry] = []

    def build(self) -> ComposeResult:
        yield Static("", classes="access")
        yield Static("", id="review-state")
        yield Static("", id="review-implausible")
        yield FittedTable(id="review-thread")
        yield Static("", id="review-comment")
        with Horizontal(classes="tab-buttons"):
            for action, step in STEPS.items():
                label = f"{step.label} ({step.key})"
                yield Button(label, id=f"step-{action}", classes="review-step", compact=True)

    def load(self) -> None:
        session = self.session
        store, period = session.store, session.period
        self._thread = store.review_thread(self.installation, period)
        refusal = self.refusal
        identity = session.identity
        self.allowed = (
            store.review_actions(identity, self.installation, period)
            if identity and refusal is None
            else []
        )
        self._show_state(store.review_state(self.installation, period))
        self._show_implausible()
        self._show_thread()
        for action in STEPS:
            self.query_one(f"#step-{action}", Button).display = action in self.allowed
        offered = ", ".join(f"{STEPS[a].label.lower()} ({STEPS[a].key})" for a in self.allowed)
        self.show_access(f"you may {offered}.")  # a writer may always comment

    def _show_state(self, state: str) -> None:
        period = self.session.period
        line = Text.assemble(f"{period}: ", review_label(state))
        if self._thread:
            last = self._thread[-1]
            done = STEPS[last.action].done if last.action in STEPS else last.action
            line.append(
                " · " + one_line_printable(f"{last.actor} {done} at {_when(last.at)}"), "dim"
            )
        else:
            line.append(" · nothing submitted yet", style="dim")
        self.query_one("#review-state", Static).update(line)

    def _show_implausible(self) -> None:
        """For the leader, until the figures are accepted: the values that look like slips
        (``store/plausibility.py``), each with why, to check before accepting."""
        session = self.session
        store, identity = session.store, session.identity
        leader = identity is not None and store.is_leader(identity)
        found = to_review(store, session.period, [self.installation]) if leader else {}
        line = self.query_one("#review-implausible", Static)
        line.display = bool(found)
        if not found:
            return
        count = f"{len(found)} value{'s look' if len(found) > 1 else ' looks'}"
        text = Text(f"{IMPLAUSIBLE_MARK} {count} implausible; check before accepting:", "bold")
        for (installation, metric), why in found.items():
            name = value_label(store.metric(installation, metric), "value")
            text.append_text(plain(f"\n  {name}: {why}"))
        line.update(text)

    def _show_thread(self) -> None:
        columns = [
            Column("at", "When"),
            Column("actor", "Who", max_width=12),
            Column("action", "Action"),
            Column("state", "State"),
            Column("comment", "Comment", flex=1),
        ]
        rows = [
            Row(
                str(entry.id),
                [
                    cell(_when(entry.at)),
                    cell(entry.actor),
                    cell(entry.action),
                    review_label(entry.state),
                    cell(shorten(entry.comment, width=None)),
                ],
            )
            for entry in reversed(self._thread)
        ]
        table = self.query_one("#review-thread", FittedTable)
        table.show(columns, rows)
        table.display = bool(rows)
        self._show_comment(None)

    @on(DataTable.RowHighlighted, "#review-thread")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_comment(event.row_key.value)

    def _show_comment(self, key: str | None) -> None:
        """The whole comment of the step under the cursor (by its row key: the table shows only
        a window of its rows), else of the newest step; the table cuts it short."""
        newest = self._thread[-1] if self._thread else None
        entry = next((e for e in self._thread if str(e.id) == key), newest)
        text = plain(entry.comment) if entry and entry.comment else Text("")
        self.query_one("#review-comment", Static).update(text)

    def focus_content(self) -> None:
        """The thread, to read its comments; with no thread yet, the first step offered."""
        buttons = [button for button in self.query(".review-step") if button.display]
        if self._thread or not buttons:
            super().focus_content()
        else:
            focus_now(buttons[0])

    # ---- taking a step ---------------------------------------------------------------------

    def take(self, action: str) -> None:
        """Open the form for ``action``; once the store has recorded it, every tab reloads."""
        identity = self.writer()
        if identity is None or action not in self.allowed:
            return
        form = ReviewForm(
            self.session.store, identity, self.installation, self.session.period, action
        )
        self.app.push_screen(form, lambda done: self._taken(done, action))

    @on(Button.Pressed, ".review-step")
    def _pressed(self, event: Button.Pressed) -> None:
        self.take(str(event.button.id).removeprefix("step-"))

    def _taken(self, done: bool | None, action: str) -> None:
        if done:
            self.saved()
            self.query_one("#review-thread", FittedTable).move_cursor(row=0)  # the new step
            state = self.session.store.review_state(self.installation, self.session.period)
            self.notify(f"{STEPS[action].label}: {self.installation} is now {state}.", markup=False)


class ReviewForm(RecordForm):
    """One review step with its comment; the store says whether the identity may take it."""

    def __init__(
        self, store: Store, actor: str, installation: str, period: str, action: str
    ) -> None:
        self.store = store
        self.actor = actor
        self.installation = installation
        self.period = period
        self.action = action
        step = STEPS[action]
        fields = [FormField("comment", "Comment", kind="textarea", hint=step.comment_hint)]
        super().__init__(f"{step.label}: {installation} · {period}", fields, save_label=step.label)

    def save(self, values: dict[str, str]) -> None:
        self.store.review(
            self.actor,
            self.installation,
            self.period,
            self.action,
            values["comment"],
            source="tui",
        )


def _when(at: str) -> str:
    """A stored time as people read it: ``2024-10-09 12:00``."""
    return at.replace("T", " ").removesuffix("Z")[:16]
