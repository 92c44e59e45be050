"""What one reading of a provider's markdown notes, and the tests it makes: which links
are safe, which ``<`` could open a tag, where a fence or a comment runs on.

Shared by ``exports/prose_rules.py`` (the parser rules that note) and ``exports/prose.py``
(which reads a text and makes the changes the reading asked for).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from html import unescape
from urllib.parse import unquote

from markdown_it.common import utils as markdown_it_utils
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block.html_block import HTML_SEQUENCES
from markdown_it.rules_inline import StateInline
from markdown_it.utils import EnvType

# ---- providers' prose -----------------------------------------------------------------------

#: How deep the parser follows nesting (a list is two levels, a quote one), as markdown-it's
#: CommonMark preset does: deeper than a real text goes. Past it the parser reads nothing, so
#: a text that gets there is shown as code. (Text heavy in brackets takes time in proportion.)
MAX_NESTING = 20
#: A paragraph put after a text to see whether the text runs on into what follows it.
SENTINEL = "vatui-end-of-text"
#: How many times a text is read for what to change, each reading after the changes the one
#: before asked for. One reading finds all but a link that hid behind another; a text that
#: still asks for changes after this many is shown as code.
READINGS = 4
#: What may stand before a heading's ``#`` on its line: blockquote marks, list markers, indent.
CONTAINER = re.compile(r"^(?:[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t])))*[ \t]*")
LIST_MARKER = re.compile(r"[-+*]|\d{1,9}[.)]")
#: The schemes a provider's link may have; a link with any other (``javascript:``, ``data:``,
#: ``file:``, ``vbscript:``) is shown as text. A link with none (``#part``, ``other.html``) is kept.
LINK_SCHEMES = frozenset({"http", "https", "mailto", "ftp", "tel"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
#: Pictures written into the page (``data:image/png;base64,...``) are not links to anywhere.
_PICTURE = re.compile(r"data:image/(?:gif|png|jpeg|webp);", re.IGNORECASE)
#: What a browser drops from a link before reading its scheme.
_URL_DROPPED = re.compile(r"[\t\n\r]")
_URL_LEADING = "".join(map(chr, range(0x21)))
#: A ``<`` that a renderer (pandoc more readily than CommonMark) could read as opening a tag, a
#: comment, a declaration or a processing instruction.
TAG = re.compile(r"<[A-Za-z!?/]")
#: pandoc's attributes with a value (``{onclick=...}``) and its raw blocks (``{=html}``).
ATTRIBUTES = re.compile(r"\{[^{}]*=")
#: The first word of a fence's info string, kept if it is a language's name.
LANGUAGE = re.compile(r"[\w+#.-]+")
#: What pandoc may read as a link definition: ``[label]:`` at the start of a line.
DEFINITION = re.compile(r"\[(?:[^\]\\]|\\.)*\]:")
#: What markdown-it trims from a table row (markdown-it-py before 4: what Python does).
TRIMMED: str | None = getattr(markdown_it_utils, "MD_TRIM_CHARS", None)
#: The start of a link's destination after its ``](``.
DESTINATION = re.compile(r"\(\s*<?([^\s)>]*)")
#: What is escaped in a table row's cells that CommonMark drops, unread.
UNREAD = re.compile(r"[<\[\]{]")
#: The characters a reading escapes inside a paragraph, a heading or a table cell.
MARKS = {mark: re.compile(re.escape(mark)) for mark in "<{[]`"}
FOUND_KEY = "vatui-found"


def continuation(prefix: str) -> str:
    """The prefix that continues a container on the next line: list markers become spaces."""
    return LIST_MARKER.sub(lambda match: " " * len(match.group()), prefix).rstrip()


def safe_link(url: str, *, picture: bool = False) -> bool:
    """Whether a link to ``url`` may be followed: no scheme, or one of ``LINK_SCHEMES`` (read
    as a browser would, entities and escapes decoded)."""
    plain = _URL_DROPPED.sub("", unquote(unescape(url))).lstrip(_URL_LEADING)
    scheme = _SCHEME.match(plain)
    if scheme is None:
        return True
    return scheme.group(1).lower() in LINK_SCHEMES or (
        picture and _PICTURE.match(plain) is not None
    )


def is_escaped(text: str, position: int) -> bool:
    """Whether the character at ``position`` is backslash-escaped."""
    start = position
    while start and text[start - 1] == "\\":
        start -= 1
    return (position - start) % 2 == 1


# ---- reading a provider's text --------------------------------------------------------------
#
# One reading is one parse, by markdown-it with some rules wrapped: a wrapped rule that meets
# something to change notes where it is and, where it can, answers as the rule would once the
# change is made (an escaped ``<`` opens no HTML block), so that one reading finds everything.
# Block rules see the text itself; inline rules see a paragraph's, heading's or cell's text
# without its containers' marks, so what they note is found in the text by counting: the n-th
# ``<`` of a paragraph is the n-th ``<`` of its lines, since no container mark is a ``<``.


@dataclass(frozen=True)
class Fence:
    """A fenced code block as read, to be written the one way that pandoc's own markdown reads
    as CommonMark does: fenced with backticks (pandoc takes a ``~~~`` fence after a paragraph
    line for text), more than any run of backticks in the text has (so that, were it read as
    text, its fences would pair as a code span with nothing inside it escaping), the info
    string cut to a language's name (pandoc takes a fence with more for text), and closed
    (a fence left open would run on, in the chapter or in pandoc's reading of it)."""

    #: Where its fence starts and its first line ends; what to keep after the fence.
    opening: tuple[int, int]
    language: str
    #: Where its closing fence starts and ends, if it has one.
    closing: tuple[int, int] | None
    #: Where its last line ends, and what continues its container on a line of its own.
    last: int
    prefix: str
    top_level: bool
    #: The blank line to put before it, when it follows a paragraph with backticks: pandoc
    #: would pair them with backticks after the fence's first line, a code span across it.
    blank_before: str | None = None


class Found:
    """What one reading found to change, by where it starts in the text read."""

    def __init__(self, source: str, allow_html: bool) -> None:
        self.source = source
        self.allow_html = allow_html
        self.changes: dict[int, tuple[int, str]] = {}
        self.unreadable = False
        #: Positions noted in the inline text being read, and where each inline reading of
        #: it (an image's description is read on its own) starts in it, by ``id`` of its state.
        self.marks: list[int] = []
        self.bases: dict[int, int] = {}
        self.next_base = 0
        self.fences: list[Fence] = []
        self._line_starts: list[int] | None = None
        self._last_ends: dict[int, int] = {}

    def escape(self, position: int) -> None:
        self.changes[position] = (position, "\\")

    def mark(self, state: StateInline, position: int) -> None:
        self.marks.append(self.bases.get(id(state), 0) + position)

    @property
    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            newlines = (found.end() for found in re.finditer("\n", self.source))
            self._line_starts = [0, *newlines]
        return self._line_starts

    def rewrite_fences(self, end: int) -> None:
        """Note the changes that write every fence as ``Fence`` says; ``end`` is where the
        text read ends (a fence open at the top level runs on to it)."""
        marked = {block.opening[0] for block in self.fences}
        marked |= {block.closing[0] for block in self.fences if block.closing}
        runs = (run for run in re.finditer("`+", self.source) if run.start() not in marked)
        marks = "`" * max(3, max((len(run.group()) for run in runs), default=0) + 1)
        for block in self.fences:
            start, line_end = block.opening
            line_start = self.line_starts[bisect_right(self.line_starts, start) - 1]
            opening = marks + block.language
            if block.blank_before is not None and line_start == start:
                self.changes[start] = (line_end, f"{block.blank_before}\n{opening}")
            elif self.source[start:line_end] != opening:
                self.changes[start] = (line_end, opening)
            if block.blank_before is not None and line_start < start:
                self.changes[line_start] = (line_start, f"{block.blank_before}\n")
            if block.closing:
                if self.source[slice(*block.closing)] != marks:
                    self.changes[block.closing[0]] = (block.closing[1], marks)
            elif block.top_level:
                self.changes[end] = (end, "\n" + marks)
            else:
                self.changes[block.last] = (block.last, "\n" + block.prefix + marks)

    def runs_on(self, state: StateBlock, line: int, kind: int) -> bool:
        """Whether the HTML block of ``kind`` (an index of ``HTML_SEQUENCES``) at ``line`` would
        run on to the end of the text: a top-level block of the kinds that end only at their
        closing sequence (a comment's ``-->``), with none on that line or after it."""
        if kind > 4 or state.level > 0:
            return False
        if kind not in self._last_ends:
            last = -1
            for last_found in HTML_SEQUENCES[kind][1].finditer(self.source):
                last = last_found.start()
            self._last_ends[kind] = bisect_right(self.line_starts, last) - 1 if last >= 0 else -1
        return self._last_ends[kind] < line

    def locate(self, content: str, region: tuple[int, int], before: Counter[str]) -> None:
        """Note, as changes to the text, the marks made while reading ``content``, the inline
        text of lines ``region``, after the inline texts whose marks are counted in ``before``
        (a table row's cells share their line)."""
        first, end = region
        starts = self.line_starts
        low, high = starts[first], starts[end] if end < len(starts) else len(self.source)
        in_content: dict[str, list[int]] = {}
        in_source: dict[str, list[int]] = {}
        for position in sorted(set(self.marks)):
            mark = content[position] if position < len(content) else ""
            if mark not in MARKS:
                self.unreadable = True
                return
            if mark not in in_content:
                in_content[mark] = [found.start() for found in MARKS[mark].finditer(content)]
                found = MARKS[mark].finditer(self.source, low, high)
                in_source[mark] = [match.start() for match in found]
            index = before[mark] + bisect_left(in_content[mark], position)
            if index >= len(in_source[mark]):
                self.unreadable = True
                return
            self.escape(in_source[mark][index])


def found_in(env: EnvType) -> Found:
    found = env[FOUND_KEY]
    assert isinstance(found, Found)
    return found
