"""The deliverable's chapter as a Word document: ``render_docx``.

The same chapter as the markdown (``exports/chapter.py`` builds it once), written with
python-docx: numbered headings in Word's Heading 1-6 styles, tables in one table style with
columns sized to their content, each light a shaded cell with its word (emoji vanish in many
PDF conversions, and a colour alone says nothing to a reader who cannot tell red from green),
providers' markdown as Word paragraphs, and the project's name in the document's title.

python-docx is imported only here, when a Word document is asked for: ``vatui status`` and
the markdown export do not load it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

import docx
from docx.shared import Cm
from vatui.exports.chapter import (
    Block,
    Cell,
    Chapter,
    Heading,
    LightCell,
    LightCounts,
    Paragraph,
    Prose,
    ReportSource,
    Table,
    build_chapter,
)
from vatui.exports.docx_parts import CellText, Page, prepare_styles, xml_text
from vatui.exports.docx_prose import write_prose
from vatui.store import Light

#: The fill of a light's cell: the pale green, yellow and red of spreadsheets' highlighting,
#: light enough for the word on it to be read, in colour or printed grey.
SHADING = {Light.GREEN: "C6EFCE", Light.AMBER: "FFEB9C", Light.RED: "FFC7CE", Light.GREY: "E7E6E6"}
#: An A4 page, as the EU's deliverables are, with 2 cm margins.
PAGE_CM = (21.0, 29.7)
MARGIN_CM = 2.0


def render_docx(
    store: ReportSource,
    period: str,
    *,
    installations: Sequence[str] | None = None,
    sections: Iterable[str] | None = None,
    heading_level: int = 1,
    lights: str = "words",
    numbering: bool = True,
    stamp: str | None = None,
) -> bytes:
    """The chapter for ``period`` as the bytes of a ``.docx`` file; the options are those of
    ``render_report``, but a light is always its word on a shaded cell (``none`` drops the
    light columns, as in markdown)."""
    chapter = build_chapter(
        store,
        period,
        installations=installations,
        sections=sections,
        heading_level=heading_level,
        lights=lights,
        numbering=numbering,
        stamp=stamp,
    )
    return chapter_docx(chapter)


def chapter_docx(chapter: Chapter) -> bytes:
    """A built chapter as the bytes of a ``.docx`` file."""
    document = docx.Document()
    prepare_styles(document)
    section = document.sections[0]
    section.page_width, section.page_height = (Cm(size) for size in PAGE_CM)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    properties = document.core_properties
    properties.title = xml_text(chapter.title)
    properties.author = properties.last_modified_by = ""
    properties.comments = ""
    page = Page(document, PAGE_CM[0] - 2 * MARGIN_CM)
    page.paragraph(chapter.title, "Title")
    for block in chapter.blocks:
        _write(page, block)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def _write(page: Page, block: Block) -> None:
    if isinstance(block, Heading):
        page.paragraph(block.text, f"Heading {block.level}")
    elif isinstance(block, Paragraph):
        run = page.paragraph().add_run(xml_text(block.text))
        run.italic = block.emphasis == "italic" or None
        run.bold = block.emphasis == "bold" or None
    elif isinstance(block, Table):
        header = block.header if block.has_header else None
        page.table(header, [[_cell(cell) for cell in row] for row in block.rows])
    else:
        assert isinstance(block, Prose)
        write_prose(page, block.text, block.depth)


def _cell(cell: Cell) -> CellText:
    """A light is its word on its colour; metric lights are counted in words."""
    if isinstance(cell, LightCell):
        text = f"{cell.light} {cell.note}" if cell.note else str(cell.light)
        return CellText(text, SHADING[cell.light])
    if isinstance(cell, LightCounts):
        return CellText(cell.in_words())
    return CellText(cell)
