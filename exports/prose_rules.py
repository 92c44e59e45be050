"""The markdown-it rules a provider's text is read with: each wraps the rule of the same
name and notes, in the reading's ``Found``, what must change for the text to be shown safely
(raw HTML, unsafe links, fences and comments that run on, pandoc's attributes).
"""

from __future__ import annotations

from markdown_it.helpers import parseLinkLabel
from markdown_it.rules_block import StateBlock, fence, hr, html_block, reference, table
from markdown_it.rules_block.html_block import HTML_SEQUENCES
from markdown_it.rules_inline import StateInline, autolink, backtick, image, link
from vatui.exports.prose_marks import (
    ATTRIBUTES,
    DEFINITION,
    DESTINATION,
    LANGUAGE,
    LIST_MARKER,
    TAG,
    TRIMMED,
    UNREAD,
    Fence,
    continuation,
    found_in,
    is_escaped,
    safe_link,
)

# Block rules: ``state.src`` is the text read, so positions are found where they are.


def _html_kind(state: StateBlock, line: int, silent: bool) -> int | None:
    """Which of ``HTML_SEQUENCES`` starts an HTML block at ``line``, as ``html_block`` finds it
    (None where it would find none, or where one cannot end the paragraph it would interrupt)."""
    if state.is_code_block(line):
        return None
    start, end = state.bMarks[line] + state.tShift[line], state.eMarks[line]
    if not state.src.startswith("<", start, end):
        return None
    text = state.src[start:end]
    # A line that would continue a paragraph lazily (outdented from its list item or quote):
    # pandoc's CommonMark reader ends the paragraph there even for a tag of its own.
    lazy = state.sCount[line] < state.blkIndent
    for kind, (opening, _, interrupts) in enumerate(HTML_SEQUENCES):
        if opening.search(text):
            return kind if interrupts or lazy or not silent else None
    return None


def html_block_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """An HTML block is shown as text (its ``<`` escaped) unless HTML is allowed and it ends."""
    found = found_in(state.env)
    kind = _html_kind(state, start, silent)
    if kind is not None and (not found.allow_html or found.runs_on(state, start, kind)):
        found.escape(state.bMarks[start] + state.tShift[start])
        return False
    return html_block(state, start, end, silent)


def reference_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A link definition to an unsafe place is shown as text, and so links to it are none; and
    so is a line that looks like one but is none in CommonMark, which pandoc may read as one."""
    references = state.env.get("references", {})
    known, twice = len(references), len(state.env.get("duplicate_refs", []))
    begin = state.bMarks[start] + state.tShift[start]
    if not reference(state, start, end, silent):
        if not silent:
            _undefine(state, begin, state.eMarks[start], defined=False)
        return False
    if silent:
        return True
    references = state.env["references"]
    duplicates = state.env.get("duplicate_refs", [])
    if len(references) > known:
        defined = references[next(reversed(references))]
    elif len(duplicates) > twice:
        defined = duplicates[-1]
    else:
        return True
    if safe_link(str(defined["href"])):
        return True
    if len(references) > known:
        references.popitem()
    else:
        duplicates.pop()
    state.line = start
    _undefine(state, begin, state.eMarks[start], defined=True)
    return False


def _undefine(state: StateBlock, begin: int, end: int, *, defined: bool) -> None:
    """Escape the brackets of a link definition at ``begin`` (``defined``), or of what pandoc
    could read as one: both, or pandoc pairs the ``]:`` with a ``[`` paragraphs before (and
    drops the text between)."""
    found = found_in(state.env)
    label = DEFINITION.match(state.src, begin, end)
    if label is not None or defined:
        found.escape(begin)
    if label is not None:
        found.escape(label.end() - 2)


def fence_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Every fence is noted, to be written the one way that pandoc reads as CommonMark does
    (see ``Fence``)."""
    if not fence(state, start, end, silent):
        return False
    if silent:
        return True
    found = found_in(state.env)
    token = state.tokens[-1]
    after = token.map[1] if token.map else start + 1
    opening = state.bMarks[start] + state.tShift[start]
    marks = opening + len(token.markup)
    rest = state.src[marks : state.eMarks[start]]
    words = rest.split()
    space = rest[: len(rest) - len(rest.lstrip())]
    language = space + words[0] if words and LANGUAGE.fullmatch(words[0]) else ""
    closing = None
    if after - 1 > start:
        begin = state.bMarks[after - 1] + state.tShift[after - 1]
        closer = state.src[begin : state.eMarks[after - 1]].rstrip()
        if len(closer) >= len(token.markup) and closer == token.markup[0] * len(closer):
            closing = (begin, begin + len(closer))
    prefix = state.src[found.line_starts[start] : opening]
    before = state.tokens[-3] if len(state.tokens) > 2 else None
    interrupts = (
        before is not None
        and before.type == "inline"
        and before.map is not None
        and before.map[1] == start
        and "`" in before.content
    )
    found.fences.append(
        Fence(
            (opening, state.eMarks[start]),
            language,
            closing,
            state.eMarks[after - 1],
            LIST_MARKER.sub(lambda match: " " * len(match.group()), prefix),
            state.level == 0,
            continuation(prefix) if interrupts else None,
        )
    )
    return True


def table_rows_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A table row's cells past the header's are dropped by CommonMark, unread: what they hold
    that could start a tag, a link or attributes is escaped, for a reader that shows them."""
    count = len(state.tokens)
    if not table(state, start, end, silent):
        return False
    if silent:
        return True
    found = found_in(state.env)
    tokens = state.tokens[count:]
    columns = sum(token.type == "th_open" for token in tokens)
    rows = [token.map[0] for token in tokens if token.type == "tr_open" and token.map]
    for line in rows[1:]:
        begin = state.bMarks[line] + state.tShift[line]
        text = state.src[begin : state.eMarks[line]]
        trimmed = text.strip(TRIMMED)
        begin += len(text) - len(text.lstrip(TRIMMED))
        excess = _excess_cells(trimmed, columns)
        if excess is not None:
            for mark in UNREAD.finditer(state.src, begin + excess, begin + len(trimmed)):
                if not is_escaped(state.src, mark.start()):
                    found.escape(mark.start())
    return True


def _excess_cells(row: str, columns: int) -> int | None:
    """Where the cells past the first ``columns`` of a table row start, as markdown-it splits
    a row (at each ``|`` not after a ``\\``, an empty first and last cell dropped)."""
    pipes = [
        index for index, mark in enumerate(row) if mark == "|" and row[index - 1 : index] != "\\"
    ]
    starts = [0] + [pipe + 1 for pipe in pipes]
    if pipes and pipes[0] == 0:
        starts.pop(0)
    return starts[columns] if len(starts) > columns else None


def hr_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A ``---`` rule followed by text is written ``***``: pandoc would read a YAML block."""
    if not hr(state, start, end, silent):
        return False
    begin = state.bMarks[start] + state.tShift[start]
    line = state.src[begin : state.eMarks[start]]
    if not silent and line.rstrip() == "---" and not state.isEmpty(start + 1):
        found_in(state.env).changes[begin] = (begin + 3, "***")
    return True


# Inline rules: positions are in the inline text, noted with ``Found.mark``.


def tag_rule(state: StateInline, silent: bool) -> bool:
    """In the place of ``html_inline``: a ``<`` that could open a tag is text, escaped."""
    if TAG.match(state.src, state.pos):
        found_in(state.env).mark(state, state.pos)
    return False


def leftover_rule(state: StateInline, silent: bool) -> bool:
    """Last of all, at a character no rule took: a ``{`` opening pandoc attributes with a value
    is escaped, and so is a ``]`` that pandoc could pair with a ``[`` that CommonMark does not
    (one in another block): before ``(`` and an unsafe link, or before ``:`` (pandoc would read
    a link definition, dropping the text from that ``[`` on)."""
    found = found_in(state.env)
    mark = state.src[state.pos]
    if mark == "{" and not found.allow_html:
        if ATTRIBUTES.match(state.src, state.pos, state.posMax):
            found.mark(state, state.pos)
    elif mark == "]" and not silent:
        target = DESTINATION.match(state.src, state.pos + 1, state.posMax)
        if state.src.startswith(":", state.pos + 1) or (target and not safe_link(target.group(1))):
            found.mark(state, state.pos)
    return False


def backticks_rule(state: StateInline, silent: bool) -> bool:
    """A run of backticks that opens no code span is text in CommonMark, but pandoc would read
    its last backtick as opening one (and a tag after it as HTML): it is escaped. Not on a line
    that starts with three backticks or more, though, but for those: pandoc's CommonMark reader
    would read the line as a fence if the backticks after them were escaped."""
    start, count = state.pos, len(state.tokens)
    if not backtick(state, silent):
        return False
    if not silent and len(state.tokens) == count and state.pos - start > 1:
        line = state.src.rfind("\n", 0, start) + 1
        head = state.src[line:start]
        if not head.strip(" \t") or not state.src.startswith(
            "```", line + len(head) - len(head.lstrip(" \t"))
        ):
            found = found_in(state.env)
            for position in range(start, state.pos):
                found.mark(state, position)
    return True


def autolink_rule(state: StateInline, silent: bool) -> bool:
    """An autolink to an unsafe place is text, its ``<`` escaped."""
    start = state.pos
    if not autolink(state, True):
        return False
    url, state.pos = state.src[start + 1 : state.pos - 1], start
    if safe_link(url):
        return autolink(state, silent)
    found_in(state.env).mark(state, start)
    return False


def link_rule(state: StateInline, silent: bool) -> bool:
    """A link to an unsafe place: its brackets are escaped, so that it is text."""
    start, count = state.pos, len(state.tokens)
    if not link(state, silent):
        return False
    if not silent:
        opened = [token for token in state.tokens[count:] if token.type == "link_open"]
        if opened and not safe_link(str(opened[0].attrs.get("href", ""))):
            _unlink(state, start, disable_nested=True)
    return True


def image_rule(state: StateInline, silent: bool) -> bool:
    """An image from an unsafe place: its brackets are escaped, so that it is text; its
    description is read on its own, from just after ``![``."""
    if silent:
        return image(state, True)
    found = found_in(state.env)
    start = state.pos
    found.next_base = found.bases.get(id(state), 0) + start + 2
    try:
        shown = image(state, False)
    finally:
        found.next_base = 0
    if shown:
        picture = state.tokens[-1]
        if not safe_link(str(picture.attrs.get("src", "")), picture=True):
            _unlink(state, start + 1, disable_nested=False)
    return shown


def _unlink(state: StateInline, start: int, *, disable_nested: bool) -> None:
    """Mark the brackets of the link label at ``start``: both, so that no bracket before it
    can take its ``](`` as its own."""
    found = found_in(state.env)
    found.mark(state, start)
    end = parseLinkLabel(state, start, disable_nested)
    if end >= 0:
        found.mark(state, end)
