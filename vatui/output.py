"""How the CLI speaks: rich output on stdout, plain refusals on stderr, never a traceback.

A user's mistake (a store error) is printed as one message with exit code 1. Anything else is a
bug: the traceback goes to a log file and the user is told where it is.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, cast

from vatui.store import StoreError
from vatui.store.text import printable, unicode_escaped

if TYPE_CHECKING:
    from rich.console import Console


class _Console:
    """Stands for a rich ``Console`` and makes it when first used: ``vatui status --json``
    prints without one, and importing rich's console costs more than the rest of that command."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._made: Console | None = None

    def __getattr__(self, name: str) -> Any:
        if self._made is None:
            from rich.console import Console

            self._made = Console(**self._options)
        return getattr(self._made, name)


console = cast("Console", _Console(highlight=False))
errors = cast("Console", _Console(stderr=True, highlight=False))

LIGHT_STYLES = {"green": "green", "amber": "yellow", "red": "red", "grey": "bright_black"}


def light_text(light: str) -> str:
    """A coloured dot and the light's name, as rich markup."""
    return f"[{LIGHT_STYLES[light]}]●[/] {light}"


def shown(text: object) -> str:
    """Text from the store (or anyone else) made safe to print through rich: its markup
    escaped, so that `[/]` in a name is shown rather than read, and its control characters
    shown as escapes, so that nothing stored acts on the reader's terminal."""
    from rich.markup import escape

    return escape(printable(str(text)))


def json_text(data: object) -> str:
    """``data`` as JSON, every control character written as a ``\\u`` escape: ``json``
    escapes C0 itself, but leaves DEL, C1 and the bidi controls raw."""
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
    return unicode_escaped(text)


def refuse_with_problems(problems: list[str], where: object, consequence: str) -> NoReturn:
    """Print each problem of a file on its own line, then refuse the whole: "3 problems in
    FILE; nothing was written". Files are reported whole, so that all gets fixed at once."""
    for problem in problems:
        errors.print(shown(problem), soft_wrap=True)
    count = len(problems)
    raise StoreError(f"{count} problem{'s' if count > 1 else ''} in {where}; {consequence}")


def fail(message: str) -> None:
    errors.print(f"[bold red]error:[/] {shown(message)}")


def warn(message: str) -> None:
    """Something the user should fix that does not stop the command (e.g. a broken config)."""
    errors.print(f"[bold yellow]warning:[/] {shown(message)}", soft_wrap=True)


@dataclass
class Outcome:
    code: int = 0


def log_path() -> Path:
    from platformdirs import user_log_dir

    return Path(user_log_dir("vatui")) / "vatui.log"


@contextmanager
def fail_on_errors(store_path: Callable[[], Path | None] = lambda: None) -> Iterator[Outcome]:
    """Turn refusals, and the store's and the system's failures, into a message naming what
    happened and exit code 1; bugs into a logged report and exit code 3.

    ``store_path`` says which store the command uses, for the message.
    """
    outcome = Outcome()
    try:
        yield outcome
    except StoreError as error:
        fail(str(error))
        outcome.code = 1
    except (sqlite3.Error, OSError) as error:
        if isinstance(error, BrokenPipeError):
            raise  # the reader went away: vatui.cli.main ends quietly
        from vatui.store.failures import named_failure

        fail(str(named_failure(error, store_path())))
        outcome.code = 1
    except KeyboardInterrupt:
        errors.print("interrupted; nothing half-written was kept")
        outcome.code = 130
    except Exception:
        import traceback

        path = log_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {dt.datetime.now().isoformat()}\n{traceback.format_exc()}\n")
        fail(f"something unexpected went wrong; the details are in {path}")
        outcome.code = 3
