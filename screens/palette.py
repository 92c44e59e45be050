"""The command palette's vatui commands (ctrl+p), beside Textual's own (theme, keys, quit).

Each command posts a request to the App, or runs the App action a key runs. Titles and help
name installations and organisations (stored text): their control characters are shown as
escapes, titles are plain text and help (which the palette reads as markup) is escaped.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import NamedTuple

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape
from textual.message import Message
from vatui.screens.messages import ChooseIdentity, OpenInstallation, ShowPeriod
from vatui.screens.session import session_of
from vatui.store.text import one_line_printable

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

    @property
    def shown_title(self) -> str:
        """The title as plain text, control characters as escapes."""
        return one_line_printable(self.title)

    @property
    def shown_help(self) -> str:
        """The help as the palette's markup: escaped, control characters as escapes."""
        return escape(one_line_printable(self.help))


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
        commands += self._identity_commands()
        commands += [
            Command(title, help, partial(self.app.run_action, action))
            for title, help, action in SCREENS
        ]
        return commands

    def _identity_commands(self) -> list[Command]:
        """Who is working: found as "identity", "switch", "work as" or an organisation's name."""
        session = session_of(self.app)
        if session.roster:
            why = f"Set by the roster: {session.roster.reason}"
            return [Command("Work as… (switch identity)", why, self._request(ChooseIdentity()))]
        ask = "Say which organisation you work for; you may change its installations only"
        commands = [Command("Work as… (switch identity)", ask, self._request(ChooseIdentity()))]
        commands += [
            Command(
                f"Work as {name} (switch identity)",
                f"Change what {name} provides; the rest is read-only",
                self._request(ChooseIdentity(name)),
            )
            for name in session.store.organisations()
            if name != session.identity
        ]
        return commands

    def _request(self, message: Message) -> Callable[[], object]:
        return partial(self.app.post_message, message)

    async def discover(self) -> Hits:
        for command in self.commands():
            title = command.shown_title
            yield DiscoveryHit(Content(title), command.run, title, command.shown_help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self.commands():
            title = command.shown_title
            score = matcher.match(title)
            if score > 0:
                highlighted = _highlight(matcher, title)
                yield Hit(score, highlighted, command.run, title, command.shown_help)


def _highlight(matcher: Matcher, title: str) -> Content:
    """``title`` as plain text with the letters the query matched highlighted, as
    ``Matcher.highlight`` does: that reads its text as markup, and a title names stored text."""
    content = Content(title)
    score, offsets = matcher.fuzzy_search.match(matcher.query, title)
    for offset in offsets if score else []:
        if not title[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
