"""Where things are in a TOML text, so that a problem can be reported as ``FILE:LINE``.

Neither tomllib nor tomlkit says on which line a key was written. The files vatui reads (the
config and submission files) are flat: top-level keys, ``[table]`` and ``[[array]]`` headers.
``key_lines`` walks such a text line by line and maps each key's path (``metric[2].value``) to
the line it is on, skipping the inside of multi-line strings.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import tomlkit
from tomlkit import TOMLDocument
from tomlkit.exceptions import ParseError, TOMLKitError

_ARRAY_HEADER = re.compile(r"\[\[\s*([^\[\]]+?)\s*\]\]")
_TABLE_HEADER = re.compile(r"\[\s*([^\[\]]+?)\s*\]")
_KEY = re.compile(r"""("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=\s*(.*)""")
_WHERE = re.compile(r"\s+at line \d+ col \d+$")


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
    line: the line is found by walking the text.
    """
    try:
        return tomlkit.parse(text)
    except ParseError as error:
        raise TomlSyntaxError(*syntax_problem(error)) from None
    except TOMLKitError as error:
        raise TomlSyntaxError(_repeated_line(text), str(error).rstrip(".")) from None


def key_lines(text: str) -> dict[str, int]:
    """Each key path and table header of ``text`` with its line number (from 1).

    Tables of an array are numbered in order: the third ``[[metric]]`` is ``metric[2]``, its
    ``value`` key is ``metric[2].value``. The first occurrence of a path wins.
    """
    lines: dict[str, int] = {}
    for path, number in _paths(text):
        lines.setdefault(path, number)
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
    seen: Counter[str] = Counter()
    table = ""
    inside: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if inside is not None:
            if inside in line:
                inside = None
            continue
        stripped = line.strip()
        if match := _ARRAY_HEADER.fullmatch(stripped.split("#")[0].strip()):
            name = _header_name(match.group(1))
            table = f"{name}[{seen[name]}]"
            seen[name] += 1
        elif match := _TABLE_HEADER.fullmatch(stripped.split("#")[0].strip()):
            table = _header_name(match.group(1))
        elif match := _KEY.fullmatch(stripped):
            key = _header_name(match.group(1))
            yield (f"{table}.{key}" if table else key), number
            inside = _opens_multiline(match.group(2))
            continue
        else:
            continue
        yield table, number


def line_of(lines: dict[str, int], path: str) -> int:
    """The line of ``path``, else of the nearest table that holds it, else line 1."""
    while path:
        if path in lines:
            return lines[path]
        path = path.rpartition(".")[0]
    return 1


def syntax_problem(error: ParseError) -> tuple[int, str]:
    """The line and the message of a TOML syntax error, without tomlkit's own "at line" tail."""
    message = _WHERE.sub("", str(error))
    # tomlkit reports running out of text as the character NUL.
    return error.line, message.replace("Unexpected character: '\\x00'", "the file ends too early")
