"""A provider's markdown as Word paragraphs, read through markdown-it's tokens.

The text is first made harmless as it is for the markdown chapter (``exports/prose.py``: its
headings moved below the part that holds them, an unclosed fence closed, a link that runs code
shown as text), then parsed with raw HTML off, so that HTML is never passed on: it is shown as
the text it is. Every piece of text goes into the document through ``xml_text``: it is
hostile text from other organisations, and a control character would break the document.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from markdown_it import MarkdownIt
from markdown_it.token import Token
from vatui.exports.docx_parts import CODE, HYPERLINK, INLINE_CODE, CellText, Page, xml_text
from vatui.exports.prose import prose
from vatui.exports.prose_marks import safe_link

#: CommonMark with GitHub's tables, as the markdown chapter is read; raw HTML is text.
_PARSER = MarkdownIt("commonmark", {"html": False}).enable("table")
#: Word's list styles go three levels deep; a deeper list takes the third.
_DEEPEST_LIST = 3


def write_prose(page: Page, text: str, depth: int) -> None:
    """Add a provider's markdown ``text``, under a heading of level ``depth``, to the page."""
    _ProseWriter(page).write(_PARSER.parse(prose(text, depth)))


def write_inline(page: Page, paragraph: Paragraph, children: list[Token]) -> None:
    """Add an inline span's runs to ``paragraph``: bold, italic, code and links (only those
    ``safe_link`` allows: another is its text alone)."""
    bold = italic = 0
    link: Any = None
    for child in children:
        kind = child.type
        if kind in ("strong_open", "strong_close"):
            bold += 1 if kind == "strong_open" else -1
        elif kind in ("em_open", "em_close"):
            italic += 1 if kind == "em_open" else -1
        elif kind == "link_open":
            link = _hyperlink(paragraph, str(child.attrGet("href") or ""))
        elif kind == "link_close":
            link = None
        else:
            text = {"softbreak": " ", "hardbreak": "\n"}.get(kind, child.content)
            run = paragraph.add_run(xml_text(text))
            run.bold, run.italic = bold > 0 or None, italic > 0 or None
            style = (
                INLINE_CODE if kind == "code_inline" else HYPERLINK if link is not None else None
            )
            if style is not None:
                run._r.style = page.style_id(style)
            if link is not None:
                link.append(run._r)


def _hyperlink(paragraph: Paragraph, url: str) -> Any:
    """A hyperlink element at the end of ``paragraph`` to ``url``, or None where the link is
    not one to follow (it is then written as its text)."""
    if not url or not safe_link(url):
        return None
    relation = paragraph.part.relate_to(xml_text(url), RELATIONSHIP_TYPE.HYPERLINK, True)
    element = OxmlElement("w:hyperlink")
    element.set(qn("r:id"), relation)
    paragraph._p.append(element)
    return element


@dataclass
class _List:
    ordered: bool
    numbering: int | None = None
    #: Whether the next paragraph is its item's first (which takes the bullet or number).
    item_starts: bool = False


class _ProseWriter:
    """Walks the tokens of one text, keeping the lists and quotes it is inside."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.document = page.document
        self.lists: list[_List] = []
        self.quotes = 0
        self.paragraph: Paragraph | None = None
        self.rows: list[list[str]] | None = None

    def write(self, tokens: list[Token]) -> None:
        for token in tokens:
            handler = getattr(self, f"_{token.type}", None)
            if handler is not None:
                handler(token)

    def _paragraph_open(self, token: Token) -> None:
        if self.rows is not None:
            return
        style, numbering = self._paragraph_style()
        self.paragraph = self.page.paragraph(style=style)
        if numbering is not None:
            numbered = self.paragraph._p.get_or_add_pPr().get_or_add_numPr()
            numbered.get_or_add_numId().val = numbering
            numbered.get_or_add_ilvl().val = 0

    def _heading_open(self, token: Token) -> None:
        self.paragraph = self.page.paragraph(style=f"Heading {token.tag[1:]}")

    def _inline(self, token: Token) -> None:
        if self.rows is not None:
            self.rows[-1].append("".join(child.content for child in token.children or []))
        elif self.paragraph is not None:
            write_inline(self.page, self.paragraph, token.children or [])

    def _paragraph_close(self, token: Token) -> None:
        self.paragraph = None

    _heading_close = _paragraph_close

    def _bullet_list_open(self, token: Token) -> None:
        self.lists.append(_List(ordered=False))

    def _ordered_list_open(self, token: Token) -> None:
        self.lists.append(_List(ordered=True))
        start = int(str(token.attrGet("start") or 1))
        self.lists[-1].numbering = self._restarted(self._list_style("List Number"), start)

    def _bullet_list_close(self, token: Token) -> None:
        self.lists.pop()

    _ordered_list_close = _bullet_list_close

    def _list_item_open(self, token: Token) -> None:
        self.lists[-1].item_starts = True

    def _blockquote_open(self, token: Token) -> None:
        self.quotes += 1

    def _blockquote_close(self, token: Token) -> None:
        self.quotes -= 1

    def _fence(self, token: Token) -> None:
        self.page.paragraph(token.content.rstrip("\n"), CODE)

    _code_block = _fence

    def _hr(self, token: Token) -> None:
        """A thematic break: an empty paragraph with a line under it."""
        border, bottom = OxmlElement("w:pBdr"), OxmlElement("w:bottom")
        for name, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "auto")):
            bottom.set(qn(f"w:{name}"), value)
        border.append(bottom)
        self.page.paragraph()._p.get_or_add_pPr().append(border)

    def _table_open(self, token: Token) -> None:
        self.rows = []

    def _tr_open(self, token: Token) -> None:
        if self.rows is not None:
            self.rows.append([])

    def _table_close(self, token: Token) -> None:
        header, *body = self.rows or [[]]
        width = len(header)
        cells = [[CellText(text) for text in (row + [""] * width)[:width]] for row in body]
        self.page.table(header, cells)
        self.rows = None

    def _paragraph_style(self) -> tuple[str | None, int | None]:
        """The style of the next paragraph, and the numbering it counts in: a list item's first
        paragraph takes its bullet or number; the item's other paragraphs continue it; a
        quote's paragraphs are a quote."""
        if self.lists:
            current = self.lists[-1]
            if not current.item_starts:
                return self._list_style("List Continue"), None
            current.item_starts = False
            if current.ordered:
                return self._list_style("List Number"), current.numbering
            return self._list_style("List Bullet"), None
        return ("Quote" if self.quotes else None), None

    def _list_style(self, name: str) -> str:
        level = min(len(self.lists), _DEEPEST_LIST)
        return name if level <= 1 else f"{name} {level}"

    def _restarted(self, style: str, start: int) -> int:
        """A numbering of ``style``'s kind that starts at ``start``: Word would otherwise go
        on counting from the document's previous numbered list."""
        numbering: Any = self.document.part.numbering_part.element
        style_numbering = self.document.styles[style].element.pPr.numPr.numId.val
        abstract = numbering.num_having_numId(style_numbering).abstractNumId.val
        restarted = numbering.add_num(abstract)
        restarted.add_lvlOverride(ilvl=0).add_startOverride(start)
        return int(restarted.numId)
