"""Requests the screens (and the command palette) send to the App, which owns navigation.

A screen never pushes another screen of the shell's: it asks, and the App first checks that no
unsaved edit would be lost.
"""

from __future__ import annotations

from textual.message import Message


class OpenInstallation(Message):
    """Show one installation's screen."""

    def __init__(self, installation: str) -> None:
        super().__init__()
        self.installation = installation


class ShowPeriod(Message):
    """Show another reporting period; every light follows."""

    def __init__(self, period: str) -> None:
        super().__init__()
        self.period = period


class ChooseIdentity(Message):
    """Ask again which organisation the user works for, or work as ``organisation``."""

    def __init__(self, organisation: str | None = None) -> None:
        super().__init__()
        self.organisation = organisation
