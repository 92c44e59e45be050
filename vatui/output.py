"""How the CLI speaks: rich output on stdout, plain refusals on stderr, never a traceback.

A user's mistake (a store error) is printed as one message with exit code 1. Anything else is a
bug: the traceback goes to a log file and the user is told where it is.

On a terminal, tables are rich's boxes, wrapped to its width. Into a pipe or a file, output is
for other programs: no boxes and nothing wrapped, a table as one tab-separated line per row
after a line of column names, a message on one line however long.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, cast

from vatui.store import StoreError
from vatui.store.text import one_line_printable, printable, unicode_escaped

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

            stream = sys.stderr if self._options.get("stderr") else sys.stdout
            # Into a pipe, a line wrapped at 80 columns would cut names and messages in two.
            self._made = Console(**self._options, soft_wrap=not stream.isatty())
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


@dataclass(frozen=True)
class Lit:
    """A light in a table: a coloured dot and its name on a terminal, its name in a pipe; a
    note after it (``(no figures yet)``)."""

    light: str
    note: str = ""

    def __str__(self) -> str:
        return f"{self.light} {self.note}" if self.note else self.light


def print_table(
    title: str, columns: Sequence[str], rows: Iterable[Sequence[str | Lit]], *, fold: bool = True
) -> None:
    """A table of texts from the store (made safe here, never markup), boxed under its title
    on a terminal (``fold`` breaks long cells over lines rather than cutting them); elsewhere
    a line of column names, then one tab-separated line per row, as ``cut`` and spreadsheets
    read them (the title, which would be a line of another shape, is left out)."""
    if not sys.stdout.isatty():
        lines = ["\t".join(columns)]
        lines += ["\t".join(one_line_printable(str(cell)) for cell in row) for row in rows]
        sys.stdout.write("\n".join(lines) + "\n")
        return
    from rich.table import Table

    table = Table(title=shown(title), title_justify="left")
    for column in columns:
        table.add_column(column, overflow="fold" if fold else "ellipsis")
    for row in rows:
        table.add_row(*(_rich_cell(cell) for cell in row))
    console.print(table)


def _rich_cell(cell: str | Lit) -> str:
    if isinstance(cell, Lit):
        return light_text(cell.light) + (f" {shown(cell.note)}" if cell.note else "")
    return shown(cell)


def written(output: str | None, data: str | bytes, what: str = "the export") -> int:
    """``data`` on stdout, or written whole to ``output`` (a refusal naming ``what`` if it
    cannot be); exit code 0."""
    from vatui.exports.files import write_atomic

    if not output:
        if isinstance(data, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        return 0
    try:
        write_atomic(output, data)
    except OSError as error:
        raise StoreError(f"cannot write {what} to {output}: {error.strerror}") from None
    return 0


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
