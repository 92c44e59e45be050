"""Reading an exported chapter back the way a reader's markdown parser sees it.

The export tests parse the markdown with markdown-it-py (CommonMark with GitHub's tables) and
look at what came out: the headings, and under each heading its tables as rows of cell texts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

PARSER = MarkdownIt("commonmark").enable("table")


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)

    def column(self, title: str) -> list[str]:
        index = self.header.index(title)
        return [row[index] for row in self.rows]


@dataclass
class Section:
    """A heading and the tables that follow it up to the next heading of any level."""

    level: int
    title: str
    tables: list[Table] = field(default_factory=list)


def outline(text: str, *, strict: bool = True) -> list[Section]:
    """The document's headings in order, each with its tables; text before any heading is
    under a level-0 section titled "". ``strict=False`` reads markup (which providers' own
    markdown may hold) as its source, marked ``MARKUP``, instead of failing."""
    sections = [Section(0, "")]
    cells: list[str] | None = None
    tokens = PARSER.parse(text)
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            title = inline_text(tokens[index + 1], strict=strict)
            sections.append(Section(int(token.tag[1:]), title))
        elif token.type == "table_open":
            sections[-1].tables.append(Table([]))
        elif token.type == "tr_open":
            cells = []
        elif token.type in ("th_open", "td_open") and cells is not None:
            cells.append(inline_text(tokens[index + 1], strict=strict))
        elif token.type == "tr_close" and cells is not None:
            table = sections[-1].tables[-1]
            if table.header:
                table.rows.append(cells)
            else:
                table.header = cells
    return sections


MARKUP = "MARKUP:"


def inline_text(token: Token, *, strict: bool = True) -> str:
    """The text a reader sees in an inline span; a ``<br>`` is a line break, any other markup
    (emphasis, code, a link, HTML) means some text was not escaped and fails the test."""
    parts = []
    for child in token.children or []:
        if child.type == "text":
            parts.append(child.content)
        elif child.type == "html_inline" and child.content == "<br>":
            parts.append("\n")
        elif strict:
            raise AssertionError(f"markup {child.type} {child.content!r} in {token.content!r}")
        else:
            return MARKUP + token.content
    return "".join(parts)


def section(sections: list[Section], title: str) -> Section:
    matches = [item for item in sections if item.title == title]
    assert len(matches) == 1, f"{len(matches)} headings {title!r} in {[s.title for s in sections]}"
    return matches[0]


def headings(sections: list[Section]) -> list[tuple[int, str]]:
    return [(item.level, item.title) for item in sections if item.level]
