"""Where things are in a TOML text, so that a problem can be reported as ``FILE:LINE``.

Neither tomllib nor tomlkit says on which line a key was written. The files vatui reads (the
config, submission and project files) are written with top-level keys, ``[table]`` and
``[[array]]`` headers, nested ones included (``[[installation.metric]]``). ``key_lines`` walks
such a text line by line and maps each key's path (``installation[1].metric[2].id``) to the line
it is on, skipping the inside of multi-line strings.

The files come from other people's editors: ``decode_text`` refuses bytes that are not UTF-8,
naming where, and a leading byte-order mark (Windows editors write one) is skipped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import tomlkit
from tomlkit import TOMLDocument
from tomlkit.exceptions import ParseError, TOMLKitError
from vatui.store.errors import StoreError
from vatui.store.text import printable

_ARRAY_HEADER = re.compile(r"\[\[\s*([^\[\]]+?)\s*\]\]")
_TABLE_HEADER = re.compile(r"\[\s*([^\[\]]+?)\s*\]")
_KEY = re.compile(r"""("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=\s*(.*)""")
_WHERE = re.compile(r"\s+at line \d+ col \d+$")
BOM = "\ufeff"


def without_bom(text: str) -> str:
    """``text`` without the byte-order mark some editors put at the start of a UTF-8 file."""
    return text.removeprefix(BOM)


def decode_text(data: bytes, source: str) -> str:
    """The text of a file's bytes, refused with where it goes wrong when it is not UTF-8.

    For every TOML file vatui reads (project, submission and config files): TOML is UTF-8, and
    a file saved as Latin-1 or Windows-1252 would otherwise fail later with less to go on.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = data[error.start]
        raise StoreError(
            f"{printable(source)} is not UTF-8 text (byte 0x{bad:02X} at offset {error.start}); "
            "save it as UTF-8"
        ) from None


def _header_name(text: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in text.split("."))


def _opens_multiline(rest: str) -> str | None:
    """The delimiter of a multi-line string that starts in ``rest`` and does not end there."""
    for delimiter in ('"""', "'''"):
        if rest.startswith(delimiter) and delimiter not in rest[3:]:
            return delimiter
    return None


class TomlSyntaxError(Exception):
    """A TOML text that does not parse, with the line a person should look at."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}")


def parse_toml(text: str) -> TOMLDocument:
    """Parse with tomlkit (comments kept); any refusal becomes a ``TomlSyntaxError``.

    tomlkit refuses a key given twice with an error that is not a ``ParseError`` and has no
    line: the line is found by walking the text. A leading byte-order mark is skipped.
    """
    text = without_bom(text)
    try:
        return tomlkit.parse(text)
    except ParseError as error:
        raise TomlSyntaxError(*syntax_problem(error)) from None
    except TOMLKitError as error:
        raise TomlSyntaxError(_repeated_line(text), str(error).rstrip(".")) from None


def key_lines(text: str) -> dict[str, int]:
    """Each key path and table header of ``text`` with its line number (from 1).

    Tables of an array are numbered in order: the third ``[[metric]]`` is ``metric[2]``, its
    ``value`` key is ``metric[2].value``; ``metric`` itself is on the line of ``metric[0]``.
    A nested array's tables belong to the latest table of the array above: the first
    ``[[installation.metric]]`` after the second ``[[installation]]`` is
    ``installation[1].metric[0]``. The first occurrence of a path wins.
    """
    lines: dict[str, int] = {}
    for path, number in _paths(without_bom(text)):
        lines.setdefault(path, number)
        if path.endswith("]"):  # the array itself is where its first table is
            lines.setdefault(path[: path.rindex("[")], number)
    return lines


def _repeated_line(text: str) -> int:
    """The first line that names a key or table already named, else line 1."""
    seen: set[str] = set()
    for path, number in _paths(text):
        if path in seen:
            return number
        seen.add(path)
    return 1


def _paths(text: str) -> Iterator[tuple[str, int]]:
    """Every key path and table header of ``text``, in order, with its line number."""
    seen: Counter[str] = Counter()  # how many tables each array of tables has had so far
    table = ""
    inside: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if inside is not None:
            if inside in line:
                inside = None
            continue
        stripped = line.strip()
        if match := _ARRAY_HEADER.fullmatch(stripped.split("#")[0].strip()):
            table = _resolve(_header_name(match.group(1)), seen, new_table=True)
        elif match := _TABLE_HEADER.fullmatch(stripped.split("#")[0].strip()):
            table = _resolve(_header_name(match.group(1)), seen, new_table=False)
        elif match := _KEY.fullmatch(stripped):
            key = _header_name(match.group(1))
            yield (f"{table}.{key}" if table else key), number
            inside = _opens_multiline(match.group(2))
            continue
        else:
            continue
        yield table, number


def _resolve(name: str, seen: Counter[str], *, new_table: bool) -> str:
    """The path of a header: ``installation.metric`` is the latest ``installation``'s, as
    ``installation[1].metric[n]``; a ``[[...]]`` header starts the array's next table."""
    path = ""
    parts = name.split(".")
    for n, part in enumerate(parts):
        path = f"{path}.{part}" if path else part
        if new_table and n == len(parts) - 1:
            index = seen[path]
            seen[path] += 1
            return f"{path}[{index}]"
        if seen[path]:
            path = f"{path}[{seen[path] - 1}]"
    return path


def line_of(lines: dict[str, int], path: str) -> int:
    """The line of ``path``, else of the nearest key or table that holds it, else line 1.

    ``site[0].id`` written inline (``site = [{id = "a"}]``) is found on the ``site`` line.
    """
    while path:
        if path in lines:
            return lines[path]
        path = path[: path.rindex("[")] if path.endswith("]") else path.rpartition(".")[0]
    return 1


def syntax_problem(error: ParseError) -> tuple[int, str]:
    """The line and the message of a TOML syntax error, without tomlkit's own "at line" tail."""
    message = _WHERE.sub("", str(error))
    # tomlkit reports running out of text as the character NUL.
    return error.line, message.replace("Unexpected character: '\\x00'", "the file ends too early")
