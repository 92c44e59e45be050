"""The parts of the Word chapter that its blocks and providers' prose share: the named styles,
text made safe for the document's XML, and tables sized to their content.

Everything is built on named styles (``STYLES``, plus Word's own Heading 1-6, Title, Quote and
list styles), so that a WP leader restyles the chapter in Word by changing a style, not each
cell. Only a light's shading is written on its cell: it is the light itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_TblPr
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph
from vatui.exports.widths import column_widths
from vatui.store.text import control_escape, printable

TABLE_STYLE = "Chapter Table"
TABLE_HEADING = "Table Heading"
TABLE_TEXT = "Table Text"
CODE = "Code"
INLINE_CODE = "Inline Code"
HYPERLINK = "Hyperlink"
#: The size of the tables' text, and the width a character of it takes on average, generously
#: (a bold heading's or a wide font's): the summary's nine columns fit a portrait page with
#: every word whole.
TABLE_POINTS = 8
CHARACTER_CM = 0.17
#: The room each cell keeps on its left and on its right: Word's default (0.19 cm) left the
#: summary's nine columns too narrow for their words on a portrait page.
CELL_MARGIN_CM = 0.1
CELL_PADDING_CM = 2 * CELL_MARGIN_CM + 0.05
#: What XML 1.0 cannot hold and ``printable`` leaves: surrogates and the two non-characters.
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` as the document may hold it: control characters (which lxml refuses, and which
    could act on a reader's screen when the document is converted) shown as visible escapes
    (``\\x1b``), by the store's rule; line breaks and tabs kept."""
    return _NOT_XML.sub(lambda found: control_escape(found.group()), printable(text))


def prepare_styles(document: Document) -> None:
    """Add the chapter's own named styles to ``document``: its table style, the text of table
    cells, code, and links."""
    styles = document.styles
    table = styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.TABLE)
    table.base_style = styles["Table Grid"]
    for name, bold in ((TABLE_HEADING, True), (TABLE_TEXT, False)):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.font.size = Pt(TABLE_POINTS)
        style.font.bold = bold
        style.paragraph_format.space_after = Pt(0)
    code = styles.add_style(CODE, WD_STYLE_TYPE.PARAGRAPH)
    code.base_style = styles["Normal"]
    code.font.name = "Courier New"
    code.font.size = Pt(9)
    inline = styles.add_style(INLINE_CODE, WD_STYLE_TYPE.CHARACTER)
    inline.font.name = "Courier New"
    link = styles.add_style(HYPERLINK, WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
    link.font.underline = True


@dataclass(frozen=True)
class CellText:
    """What a cell of a Word table shows, and its shading (a hex colour) where it has one."""

    text: str
    fill: str | None = None


class Page:
    """The document being written and the width its text runs in. Styles are set by their id,
    looked up once: python-docx looks a style's name up among all styles on every call, which
    made a chapter's tables take most of a second."""

    def __init__(self, document: Document, room_cm: float) -> None:
        self.document = document
        self.room_cm = room_cm
        self._style_ids: dict[str, str] = {}

    def paragraph(self, text: str = "", style: str | None = None) -> Paragraph:
        """A new paragraph at the end, holding ``text`` (made safe), in ``style``."""
        paragraph = self.document.add_paragraph(xml_text(text))
        if style is not None:
            self.set_style(paragraph, style)
        return paragraph

    def set_style(self, paragraph: Paragraph, style: str) -> None:
        paragraph._p.style = self.style_id(style)

    def style_id(self, style: str) -> str:
        """The id Word's XML names ``style`` by (``Heading1`` for "Heading 1")."""
        if style not in self._style_ids:
            self._style_ids[style] = self.document.styles[style].style_id
        return self._style_ids[style]

    def table(self, header: Sequence[str] | None, rows: Sequence[Sequence[CellText]]) -> None:
        """A table in the chapter's table style, its columns sized to their texts. Without a
        header, its first column is a column of labels (a description table): set as
        headings are."""
        count = len(header) if header else max((len(row) for row in rows), default=0)
        texts = [[cell.text for cell in row] for row in rows]
        columns = [
            [*([header[n]] if header else []), *(row[n] for row in texts)] for n in range(count)
        ]
        room = (self.room_cm - CELL_PADDING_CM * count) / CHARACTER_CM
        sized = column_widths(columns, room, header=bool(header))
        widths = [Cm(chars * CHARACTER_CM + CELL_PADDING_CM) for chars in sized]
        table = self.document.add_table(rows=0, cols=count)
        table.style = self.document.styles[TABLE_STYLE]
        table.autofit = False
        _narrow_cell_margins(table._tbl.tblPr)
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        if header:
            cells = table.add_row().cells
            for cell, text in zip(cells, header, strict=True):
                self._fill(cell, CellText(text), TABLE_HEADING)
            _repeat_as_header(table.rows[0])
        for row in rows:
            for n, (cell, item) in enumerate(zip(table.add_row().cells, row, strict=True)):
                self._fill(cell, item, TABLE_HEADING if not header and n == 0 else TABLE_TEXT)
        for row_element in table.rows:
            for cell, width in zip(row_element.cells, widths, strict=True):
                cell.width = width

    def _fill(self, cell: _Cell, item: CellText, style: str) -> None:
        paragraph = cell.paragraphs[0]
        self.set_style(paragraph, style)
        paragraph.add_run(xml_text(item.text.strip()))
        if item.fill:
            shading = OxmlElement("w:shd")
            shading.set(qn("w:val"), "clear")
            shading.set(qn("w:color"), "auto")
            shading.set(qn("w:fill"), item.fill)
            cell._tc.get_or_add_tcPr().append(shading)


def _narrow_cell_margins(properties: CT_TblPr) -> None:
    """Give every cell of the table ``CELL_MARGIN_CM`` of room on each side."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(round(CELL_MARGIN_CM * 567)))  # 567 twentieths of a point a cm
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties.append(margins)


def _repeat_as_header(row: _Row) -> None:
    """Mark a table's first row as its header: Word repeats it on every page the table spans."""
    properties = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)
