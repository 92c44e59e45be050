"""Column widths sized to a table's content, for a renderer that must give them (a Word table).

Given equal widths, a table of a short status and a long description wastes half its room on
the status and breaks words ("Marin/e") where a column is too narrow for them. So, as a web
browser lays out a table: each column gets at least its longest word, where the page allows,
and the room left goes to the columns in proportion to how much more their longest text needs.
A table whose texts all fit stays as narrow as they are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

#: A word's parts that a line may break between: each up to and with its hyphen.
_HYPHENATED = re.compile(r"[^-]*-|[^-]+")
#: Past this many characters a word (a URL) may break rather than widen its column.
LONGEST_UNBROKEN = 30


#: How much wider a bold header's characters are than the cells' own.
BOLD = 1.15


def column_widths(
    columns: Sequence[Sequence[str]], room: float, *, header: bool = False
) -> list[float]:
    """The width of each column, in characters, for ``columns`` (each the texts of its cells,
    its header first when ``header``, which is set in bold) in a table at most ``room``
    characters wide."""
    scale = [BOLD if header and n == 0 else 1.0 for n in range(max(map(len, columns), default=0))]
    least = [
        max((_longest_word(text) * scale[n] for n, text in enumerate(texts)), default=1)
        for texts in columns
    ]
    most = [
        max((_longest_line(text) * scale[n] for n, text in enumerate(texts)), default=1)
        for texts in columns
    ]
    most = [max(wanted, needed) for wanted, needed in zip(most, least, strict=True)]
    if sum(most) <= room:
        return [float(width) for width in most]
    if sum(least) >= room:
        return [room * width / sum(least) for width in least]
    extra = room - sum(least)
    wanting = [wanted - needed for wanted, needed in zip(most, least, strict=True)]
    return [
        needed + extra * want / sum(wanting) for needed, want in zip(least, wanting, strict=True)
    ]


def _longest_word(text: str) -> int:
    """The longest run a line may not break, a word or the part of one up to a hyphen (Word
    breaks "near-operational" after its hyphen), at most ``LONGEST_UNBROKEN``."""
    parts = [len(part) for word in text.split() for part in _HYPHENATED.findall(word)]
    return min(max(parts, default=1), LONGEST_UNBROKEN)


def _longest_line(text: str) -> int:
    return max((len(line) for line in text.split("\n")), default=1) or 1
