"""Shell completion for bash, zsh and fish, through argcomplete.

argcomplete reads the same argparse parser the commands run with, so completion cannot fall
behind the options, and it completes values from the store the command line names
(installation and metric ids, periods, organisations, milestones). It is imported only when a
shell asks for completions (``_ARGCOMPLETE`` in the environment) or for its script (``vatui
completion SHELL``): ``vatui status`` does not load it.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from vatui.store import InvalidValue, Store, StoreError
from vatui.store.models import STAGES

SHELLS = ("bash", "zsh", "fish")
#: Fixed answers, by the option or argument they complete (argparse's ``dest``); an option
#: whose metavar lists its answers (``md|docx``) completes to those.
CHOICES = {
    "lights": ("emoji", "words", "none"),
    "role": ("provider", "leader", "viewer"),
    "stage": STAGES,
    "key": ("identity", "db", "light_style", "theme"),
    "sections": ("summary", "installations", "milestones", "delays"),
}
Completer = Callable[..., list[str]]


def complete(parser: argparse.ArgumentParser) -> None:
    """Answer the shell's request for completions and exit, as argcomplete does."""
    import argcomplete

    _attach(parser)
    argcomplete.autocomplete(parser)


def shell_script(shell: str) -> str:
    """The script that makes ``shell`` ask vatui for completions."""
    import argcomplete

    return argcomplete.shellcode(["vatui"], shell=shell)


def _attach(parser: argparse.ArgumentParser) -> None:
    """Give every option and argument of every command the completer its name calls for."""
    completers: dict[str, Completer] = {
        "installation": _from_store(lambda store, args: [i.id for i in store.installations()]),
        "metric": _from_store(_metric_ids),
        "period": _from_store(lambda store, args: [p.label for p in store.periods()]),
        "label": _from_store(lambda store, args: [p.label for p in store.periods()]),
        "actor": _from_store(lambda store, args: store.organisations()),
        "organisation": _from_store(lambda store, args: store.organisations()),
        "milestone": _from_store(lambda store, args: [m.id for m in store.milestones()]),
    }
    for action in _actions(parser):
        listed = action.metavar if isinstance(action.metavar, str) else ""
        if "|" in listed:
            action.completer = _fixed(tuple(listed.split("|")))  # type: ignore[attr-defined]
        elif action.dest in CHOICES:
            action.completer = _fixed(CHOICES[action.dest])  # type: ignore[attr-defined]
        elif action.dest in completers:
            action.completer = completers[action.dest]  # type: ignore[attr-defined]


def _actions(parser: argparse.ArgumentParser) -> Iterator[argparse.Action]:
    for action in parser._actions:
        yield action
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _actions(sub)


def _fixed(choices: tuple[str, ...]) -> Completer:
    def complete_from(**_: Any) -> list[str]:
        return list(choices)

    return complete_from


def _metric_ids(store: Store, args: argparse.Namespace) -> list[str]:
    """The metrics of the installation already on the command line, else of all of them."""
    installation = getattr(args, "installation", None)
    if isinstance(installation, list):
        installation = installation[-1] if installation else None
    return [metric.id for metric in store.metrics(installation or None)]


def _from_store(read: Callable[[Store, argparse.Namespace], list[str]]) -> Completer:
    """A completer answering from the store the command line names; nothing when there is
    none or it cannot be read (the shell shows what a completer prints nowhere)."""

    def complete_from(parsed_args: argparse.Namespace, **_: Any) -> list[str]:
        path = _store_path(parsed_args)
        if path is None:
            return []
        try:
            with Store.open(path) as store:
                return read(store, parsed_args)
        except (StoreError, sqlite3.Error, OSError):
            return []

    return complete_from


def _store_path(parsed_args: argparse.Namespace) -> Path | None:
    """``--db``, else ``$VATUI_DB``, else the config's store, else the default; None if absent."""
    from vatui.commands import store_path
    from vatui.config import load_config

    db = getattr(parsed_args, "db", None) or os.environ.get("VATUI_DB") or load_config()[0].db
    path = store_path(argparse.Namespace(db=db))
    return path if path.is_file() else None


def completion(args: argparse.Namespace) -> int:
    """``vatui completion SHELL``: the script to load in the shell's start-up file."""
    if args.shell not in SHELLS:
        raise InvalidValue("shell", args.shell, f"one of: {', '.join(SHELLS)}")
    sys.stdout.write(shell_script(args.shell))
    return 0
