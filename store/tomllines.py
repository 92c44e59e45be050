"""Where things are in a TOML text, so that a problem can be reported as ``FILE:LINE``.

Neither tomllib nor tomlkit says on which line a key was written. The files vatui reads (the
config and submission files) are flat: top-level keys, ``[table]`` and ``[[array]]`` headers.
``key_lines`` walks such a text line by line and maps each key's path (``metric[2].value``) to
the line it is on, skipping the inside of multi-line strings.
"""

from __future__ import annotations

import re
from collections import Counter

from tomlkit.exceptions import ParseError

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


def key_lines(text: str) -> dict[str, int]:
    """Each key path and table header of ``text`` with its line number (from 1).

    Tables of an array are numbered in order: the third ``[[metric]]`` is ``metric[2]``, its
    ``value`` key is ``metric[2].value``. The first occurrence of a path wins.
    """
    lines: dict[str, int] = {}
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
            lines.setdefault(f"{table}.{key}" if table else key, number)
            inside = _opens_multiline(match.group(2))
            continue
        else:
            continue
        lines.setdefault(table, number)
    return lines


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
