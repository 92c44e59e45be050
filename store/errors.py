"""The refusals the store can give.

Each carries what a person needs to read: which field, what was given and what is accepted.
The CLI and the TUI print ``str(error)``; none of them should need to look inside.
"""

from __future__ import annotations


class StoreError(Exception):
    """Anything the store refuses or cannot do, with a message meant for a person."""


class InvalidValue(StoreError):
    """A value that does not fit its field: a letter in a count, an unknown country, a bad date.

    ``field`` names the field, ``value`` is what was given, ``accepted`` says what would do and
    ``suggestions`` lists close matches (for countries) a user may pick from.
    """

    def __init__(
        self,
        field: str,
        value: object,
        accepted: str,
        suggestions: list[str] | None = None,
    ) -> None:
        self.field = field
        self.value = value
        self.accepted = accepted
        self.suggestions = list(suggestions or [])
        message = f"{field}: {value!r} is not accepted; {accepted}"
        if self.suggestions:
            message += f" (did you mean: {', '.join(self.suggestions)}?)"
        super().__init__(message)


class NotFound(StoreError):
    """A reference to something the project does not have: an installation, metric or period."""

    def __init__(self, what: str, ref: object, known: list[str] | None = None) -> None:
        self.what = what
        self.ref = ref
        self.known = list(known or [])
        message = f"unknown {what} {ref!r}"
        if self.known:
            message += f"; known: {', '.join(self.known)}"
        super().__init__(message)


class PermissionDenied(StoreError):
    """A write by an organisation that may not make it."""

    def __init__(self, actor: str, action: str, reason: str) -> None:
        self.actor = actor
        self.action = action
        self.reason = reason
        super().__init__(f"{actor} may not {action}: {reason}")


class StaleEdit(StoreError):
    """An edit based on a version of a row that someone else has changed since."""

    def __init__(self, what: str, current: object, by: str, at: str) -> None:
        self.what = what
        self.current = current
        self.by = by
        self.at = at
        super().__init__(
            f"{what} was changed by {by} at {at} (now {current!r}) since you loaded it; "
            "reload and try again"
        )
