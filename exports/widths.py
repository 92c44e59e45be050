"""Column widths sized to a table's content, for a renderer that must give them (a Word table).

Given equal widths, a table of a short status and a long description wastes half its room on
the status and breaks words ("Marin/e") where a column is too narrow for them. So, as a web
browser lays out a table: each column gets at least its longest word, where the page allows,
and the room left goes to the columns in proportion to how much more their longest text needs.
A table whose texts all fit stays as narrow as they are.
"""

from __future__ import annotations

from collections.abc import Sequence

#: Past this many characters a word (a URL) may break rather than widen its column.
LONGEST_UNBROKEN = 30


def column_widths(columns: Sequence[Sequence[str]], room: float) -> list[float]:
    """The width of each column, in characters, for ``columns`` (each the texts of its cells,
    header included) in a table at most ``room`` characters wide."""
    least = [max((_longest_word(text) for text in texts), default=1) for texts in columns]
    most = [max((_longest_line(text) for text in texts), default=1) for texts in columns]
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
    return min(max((len(word) for word in text.split()), default=1), LONGEST_UNBROKEN)


def _longest_line(text: str) -> int:
    return max((len(line) for line in text.split("\n")), default=1) or 1
