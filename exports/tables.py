"""Text that cannot break a markdown document: escaped cells, headings and pipe tables.

Everything a renderer puts into a table cell or a heading comes from the store, where providers
type what they like: a ``|`` would split a cell, a newline would end the row, a backtick, ``*``
or ``<`` would start code, emphasis or HTML. Each is escaped with CommonMark's backslash escapes,
which GitHub, pandoc and markdown-it read back as the character itself, so a cell shows exactly
the text that was entered. Only characters that can start something are escaped, to keep the
markdown readable: ``~300 / y`` stays as it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from vatui.store.text import printable

#: Characters that open code, emphasis, links, HTML or escapes, or end a cell, wherever they are.
_ALWAYS = r"[\\`*_\[\]<|]"
#: ``&`` only where it would start an entity (``&amp;``), ``:`` only where it would start an
#: emoji shortcode (``:smile:``, which GitHub and pandoc turn into a picture).
_ENTITY = r"&(?=#?[0-9A-Za-z]+;)"
_SHORTCODE = r":(?=[0-9A-Za-z_+-]+:)"
_SPECIAL = re.compile(f"{_ALWAYS}|{_ENTITY}|{_SHORTCODE}")
#: Strikethrough (``~~``), subscript and maths (``$x$``) need a pair; a lone one is plain text.
_PAIRED = "~$"
_LINE_ENDS = re.compile(r"\r\n?")
_WHITESPACE = re.compile(r"\s+")
_LINE_BREAK = "<br>"


def clean(text: str) -> str:
    """Line ends made ``\\n``; other control characters (NUL, escape codes, bidi overrides)
    shown as visible escapes (``\\x1b``), by the store's one rule, ``store.text.printable``.

    A control character is never meant to be in a report, and an escape code in a report
    printed on a terminal could do more than show text.
    """
    return printable(_LINE_ENDS.sub("\n", text))


def escape_inline(text: str) -> str:
    """``text`` with every character that markdown could read as markup backslash-escaped."""
    escaped = _SPECIAL.sub(r"\\\g<0>", text)
    for mark in _PAIRED:
        if text.count(mark) > 1:
            escaped = escaped.replace(mark, "\\" + mark)
    return escaped


def cell(text: str) -> str:
    """A table cell showing ``text``: trimmed, escaped, line breaks kept as ``<br>``."""
    return escape_inline(clean(text).strip()).replace("\n", _LINE_BREAK)


def one_line(text: str) -> str:
    """``text`` escaped for a heading or a sentence: any run of whitespace becomes one space."""
    return escape_inline(_WHITESPACE.sub(" ", clean(text)).strip())


def heading(level: int, text: str) -> str:
    """An ATX heading; ``#`` in the text is escaped so that none is read as a closing mark."""
    return "#" * level + " " + one_line(text).replace("#", "\\#")


def pipe_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub pipe table; every header and body cell is escaped with ``cell``.

    An all-empty header is allowed: it is how a two-column label | text table such as the
    deliverable's description table is written (pandoc then draws no header row).
    """
    lines = [_row(header), "|" + "---|" * len(header)]
    for row in rows:
        if len(row) != len(header):
            raise ValueError(f"a row of {len(row)} cells in a table of {len(header)} columns")
        lines.append(_row(row))
    return "\n".join(lines)


def _row(cells: Sequence[str]) -> str:
    # A space on each side of a cell keeps a cell that ends in a backslash from escaping the pipe.
    return "|" + "|".join(f" {cell(text)} " for text in cells) + "|"
