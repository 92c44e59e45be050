"""The deliverable's chapter as GitHub-flavoured markdown: ``render_report``.

The chapter itself (what it says, in which order) is built by ``exports/chapter.py``; this
module only writes its blocks as markdown: headings and cells escaped (``exports/tables.py``),
lights as emoji or words, providers' markdown kept but made harmless (``exports/prose.py``).
It is one string, the same bytes for the same store and options, so the CLI writes it and the
TUI previews it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from vatui.exports.chapter import (
    HEADING_LEVELS,
    LIGHT_STYLES,
    SECTIONS,
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
from vatui.exports.prose import prose
from vatui.exports.prose_marks import LINK_SCHEMES
from vatui.exports.tables import heading, one_line, pipe_table
from vatui.store import Light

EMOJI = {Light.GREEN: "🟢", Light.AMBER: "🟡", Light.RED: "🔴", Light.GREY: "⚪"}
_EMPHASIS = {"": "", "italic": "*", "bold": "**"}


def render_report(
    store: ReportSource,
    period: str,
    *,
    installations: Sequence[str] | None = None,
    sections: Iterable[str] | None = None,
    heading_level: int = 1,
    lights: str = "emoji",
    numbering: bool = True,
    stamp: str | None = None,
    allow_html: bool = False,
) -> str:
    """The chapter for ``period`` as markdown (the options are ``build_chapter``'s; ``lights``
    is one of ``LIGHT_STYLES``, ``none`` dropping the light columns).

    Providers' markdown (assessments, delay explanations, planning) is kept as markdown, but
    raw HTML in it is exported as text: its ``<`` escaped, so that a renderer or pandoc shows
    the characters rather than passing the tags on (see ``prose``). ``allow_html`` keeps raw
    HTML as written, for a project that trusts its providers' HTML; links to anything but
    ``LINK_SCHEMES`` are shown as text either way. The time taken is in proportion to the text.
    """
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
    return chapter_markdown(chapter, lights=lights, allow_html=allow_html)


def chapter_markdown(chapter: Chapter, *, lights: str = "emoji", allow_html: bool = False) -> str:
    """A built chapter as markdown; ``lights`` says whether a light is an emoji and its word,
    or its word alone."""
    writer = _Writer(emoji=lights == "emoji", allow_html=allow_html)
    return "\n\n".join(writer.block(block) for block in chapter.blocks) + "\n"


class _Writer:
    """Writes each kind of block; the options are how lights and HTML are written."""

    def __init__(self, *, emoji: bool, allow_html: bool) -> None:
        self.emoji = emoji
        self.allow_html = allow_html

    def block(self, block: Block) -> str:
        if isinstance(block, Heading):
            return heading(block.level, block.text)
        if isinstance(block, Paragraph):
            mark = _EMPHASIS[block.emphasis]
            return f"{mark}{one_line(block.text)}{mark}"
        if isinstance(block, Table):
            return pipe_table(
                block.header, [[self.cell(cell) for cell in row] for row in block.rows]
            )
        assert isinstance(block, Prose)
        return prose(block.text, block.depth, allow_html=self.allow_html)

    def cell(self, cell: Cell) -> str:
        if isinstance(cell, LightCell):
            light = self.light(cell.light)
            return f"{light} {cell.note}" if cell.note else light
        if isinstance(cell, LightCounts):
            if self.emoji:
                return " · ".join(f"{EMOJI[light]} {count}" for light, count in cell.counts)
            return cell.in_words()
        return cell

    def light(self, light: Light) -> str:
        return f"{EMOJI[light]} {light}" if self.emoji else str(light)


__all__ = [
    "HEADING_LEVELS",
    "LIGHT_STYLES",
    "LINK_SCHEMES",
    "SECTIONS",
    "ReportSource",
    "chapter_markdown",
    "prose",
    "render_report",
]
