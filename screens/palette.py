"""The command palette's vatui commands (ctrl+p), beside Textual's own (theme, keys, quit).

Each command posts a request to the App, or runs the App action a key runs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import NamedTuple

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape
from textual.message import Message
from vatui.screens.messages import ChooseIdentity, OpenInstallation, ShowPeriod
from vatui.screens.session import session_of

#: (title, help, App action) of the screens the App opens by key.
SCREENS = (
    ("Milestones", "The milestones with their lights; the leader edits them", "open_milestones"),
    ("Export", "Preview the period's chapter; save it to a file or copy it", "open_export"),
    ("Set-up", "Installations, sites and metrics; the leader sets them up", "open_setup"),
    ("Help", "How vatui works, and its keys", "open_help"),
)


class Command(NamedTuple):
    title: str
    help: str
    run: Callable[[], object]


class VatuiCommands(Provider):
    """Periods, installations and identity, found by typing part of their names."""

    def commands(self) -> list[Command]:
        store = session_of(self.app).store
        commands = [
            Command(
                f"Period {period.label} ({period.calendar_label})",
                "Show this reporting period; every light follows",
                self._request(ShowPeriod(period.label)),
            )
            for period in store.periods()
        ]
        commands += [
            Command(
                f"Open {item.number} {item.name}",
                f"{item.id}, provided by {', '.join(item.providers) or 'nobody yet'}",
                self._request(OpenInstallation(item.id)),
            )
            for item in store.installations()
        ]
        roster = session_of(self.app).roster
        commands.append(
            Command(
                "Work as…",
                f"Set by the roster: {roster.reason}"
                if roster
                else "Say which organisation you work for; you may change its installations only",
                self._request(ChooseIdentity()),
            )
        )
        commands += [
            Command(title, help, partial(self.app.run_action, action))
            for title, help, action in SCREENS
        ]
        return commands

    def _request(self, message: Message) -> Callable[[], object]:
        return partial(self.app.post_message, message)

    async def discover(self) -> Hits:
        for command in self.commands():
            yield DiscoveryHit(Content(command.title), command.run, command.title, command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self.commands():
            score = matcher.match(command.title)
            if score > 0:
                highlighted = matcher.highlight(escape(command.title))
                yield Hit(score, highlighted, command.run, command.title, command.help)
