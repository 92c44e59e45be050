"""A provider's markdown in the chapter: kept as markdown, but unable to break the chapter
around it or to act on a reader's page (``prose``). Read once with the rules of
``exports/prose_rules.py``, then changed where the reading asked, in time in proportion to
the text.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from typing import TypeVar

from markdown_it import MarkdownIt
from markdown_it.parser_inline import ParserInline
from markdown_it.ruler import Ruler
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType
from vatui.exports.prose_marks import (
    CONTAINER,
    FOUND_KEY,
    MARKS,
    MAX_NESTING,
    READINGS,
    SENTINEL,
    Found,
    continuation,
    found_in,
)
from vatui.exports.prose_rules import (
    autolink_rule,
    backticks_rule,
    fence_rule,
    hr_rule,
    html_block_rule,
    image_rule,
    leftover_rule,
    link_rule,
    reference_rule,
    table_rows_rule,
    tag_rule,
)
from vatui.exports.tables import clean

#: The deepest heading markdown has: a provider's deeper one becomes a bold line.
DEEPEST_HEADING = 6


def prose(text: str, depth: int, *, allow_html: bool = False) -> str:
    """A provider's markdown, kept as markdown but unable to break the chapter around it.

    ``depth`` is the level of the heading the text sits under. What could go wrong, and what
    is done about it:

    * a heading at the wrong level (``# Results`` in an assessment would stand beside the
      chapter heading, in the outline and in Word's table of contents): every heading is moved
      below ``depth``, keeping the text's own nesting (``#`` becomes ``depth + 1``, ``##``
      ``depth + 2``; past level six it becomes a bold line);
    * a block that never ends (an unclosed code fence or HTML comment would swallow the rest of
      the chapter): an unclosed fence is closed, and a raw HTML block that runs on is shown as
      text;
    * raw HTML, which a renderer passes on to the page (``<script>``, ``<img onerror=...>``):
      unless ``allow_html``, every ``<`` that could open a tag is backslash-escaped outside code
      and autolinks, so that renderers show it, and so is a ``{`` opening pandoc attributes with
      a value or a raw block (``[x](y){onclick=...}``, ```` `<b>`{=html} ````);
    * a link that runs code: a link, image, autolink or link definition whose scheme is not in
      ``LINK_SCHEMES`` (``javascript:``) is shown as text, its brackets escaped;
    * a ``---`` line followed by text, which pandoc reads as a YAML metadata block (hiding what
      follows, or failing on it): it is written ``***``, the same rule;
    * where pandoc's own markdown reads a text otherwise than CommonMark (a ``~~~`` fence or one
      with a long info string, cells past a table's header, ``]:`` and backtick runs that pandoc
      pairs across blocks): fences are written as ``Fence`` says, and those characters
      escaped. Some such differences remain (a code span across a lazy line that starts with a
      tag): convert the chapter with ``pandoc -f gfm``, the markdown it is written in.

    A text too deeply nested to be read to its end is shown as a code block. The time taken is
    in proportion to the text: a few readings of it, whatever it holds.
    """
    if is_blank(text):
        return ""
    lines = clean(text).split("\n")
    written = [index for index, line in enumerate(lines) if line.strip()]
    body = original = "\n".join(lines[written[0] : written[-1] + 1])
    for _ in range(READINGS):
        reading = _read(body, allow_html)
        if reading is None:
            break
        changes, tokens = reading
        if not changes:
            return _demoted(body, tokens, depth)
        body = _changed(body, changes)
    return _as_code(original)


def is_blank(text: str) -> bool:
    """Whether a provider's text shows nothing once cleaned (``prose`` of it is empty): the
    chapter then leaves out its part, label and all. A control character is not blank: it is
    shown as an escape."""
    return not clean(text).strip()


def _read(body: str, allow_html: bool) -> tuple[list[tuple[int, int, str]], list[Token]] | None:
    """What must change in ``body``, as (start, end, new text) in order, and the tokens it was
    read as (those of ``body`` as it is, when nothing must change); None if the parser cannot
    read it to its end."""
    source = f"{body}\n\n{SENTINEL}"
    found = Found(source, allow_html)
    try:
        tokens = _reader(allow_html).parse(source, {FOUND_KEY: found})
    except RecursionError:
        return None
    if found.unreadable or any(token.level >= MAX_NESTING - 1 for token in tokens):
        return None
    # Which top-level block runs on into the sentinel, if any: all else was ended while reading,
    # and a fence is closed with the others.
    last = [token for token in tokens if token.level == 0 and token.nesting >= 0][-1]
    if (not last.map or last.map[0] != body.count("\n") + 2) and last.type != "fence":
        return None
    found.rewrite_fences(len(body))
    return [(start, end, new) for start, (end, new) in sorted(found.changes.items())], tokens


def _changed(body: str, changes: list[tuple[int, int, str]]) -> str:
    parts, done = [], 0
    for start, end, new in changes:
        parts += [body[done:start], new]
        done = end
    return "".join([*parts, body[done:]])


def _as_code(body: str) -> str:
    """``body`` as a code block: shown as it is, read as nothing."""
    fence = "~" * max(3, max((len(run) for run in re.findall(r"~+", body)), default=0) + 1)
    return f"{fence}\n{body}\n{fence}"


def _demoted(body: str, tokens: list[Token], depth: int) -> str:
    """``body`` with every heading (found in ``tokens``, what it was read as) rewritten one
    level below ``depth`` per level of its own, as an ATX heading.

    A setext heading (text underlined with ``===`` or ``---``) becomes an ATX one too: it is the
    same heading, and its level can then go past two.
    """
    lines = body.split("\n")
    kept: list[str] = []
    done = 0
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or not token.map:
            continue
        first, end = token.map
        kept += lines[done:first]
        prefix = CONTAINER.match(lines[first])
        start = prefix.group() if prefix else ""
        text = " ".join(tokens[index + 1].content.split("\n"))
        level = depth + int(token.tag[1:])
        if level <= DEEPEST_HEADING:
            kept.append(f"{start}{'#' * level} {text}".rstrip())
        else:  # too deep for markdown: a bold line, kept apart from the text that follows
            kept += [f"{start}**{text}**"] if text else []
            kept.append(continuation(start))
        done = end
    return "\n".join(kept + lines[done:])


class _InlineReader(ParserInline):
    """Reads inline text as markdown-it does, keeping where each reading starts in the text of
    its paragraph: an image's description is read on its own, from where the image left off."""

    def parse(self, src: str, md: MarkdownIt, env: EnvType, tokens: list[Token]) -> list[Token]:
        found = found_in(env)
        state = StateInline(src, md, env, tokens)
        found.bases[id(state)] = found.next_base
        found.next_base = 0
        try:
            self.tokenize(state)
            for rule in self.ruler2.getRules(""):
                rule(state)
        finally:
            del found.bases[id(state)]
        return state.tokens


class _Reader(MarkdownIt):
    """CommonMark with tables, as the chapter is read, with the rules that note what to change.

    Every link is read whatever its scheme (markdown-it would leave a ``javascript:`` one as
    text, pandoc would not), to be judged by ``safe_link``.
    """

    def __init__(self, allow_html: bool) -> None:
        super().__init__("commonmark", {"maxNesting": MAX_NESTING})
        self.enable("table")
        inline = _InlineReader()
        inline.ruler, inline.ruler2 = self.inline.ruler, self.inline.ruler2
        self.inline = inline
        for name, rule in [
            ("html_block", html_block_rule),
            ("reference", reference_rule),
            ("fence", fence_rule),
            ("hr", hr_rule),
            ("table", table_rows_rule),
        ]:
            _replace(self.block.ruler, name, rule)
        for name, inline_rule in [
            ("link", link_rule),
            ("image", image_rule),
            ("autolink", autolink_rule),
            ("backticks", backticks_rule),
        ]:
            _replace(self.inline.ruler, name, inline_rule)
        if not allow_html:
            _replace(self.inline.ruler, "html_inline", tag_rule)
        self.inline.ruler.push("leftover", leftover_rule)
        self.core.ruler.at("inline", _read_inlines)

    def validateLink(self, url: str) -> bool:  # noqa: N802 (markdown-it's name)
        return True


@cache
def _reader(allow_html: bool) -> _Reader:
    return _Reader(allow_html)


R = TypeVar("R")


def _replace(ruler: Ruler[R], name: str, rule: R) -> None:
    """Put ``rule`` in the place of the rule ``name``, in the same chains."""
    alt = next(item.alt for item in ruler.__rules__ if item.name == name)
    ruler.at(name, rule, {"alt": alt})


def _read_inlines(state: StateCore) -> None:
    """Read every inline text, as markdown-it's core rule does, and locate what was noted."""
    found = found_in(state.env)
    region: tuple[int, int] | None = None
    before: Counter[str] = Counter()
    for token in state.tokens:
        if token.type != "inline":
            continue
        if token.map is None:
            found.unreadable = True
            return
        if region != (token.map[0], token.map[1]):
            region, before = (token.map[0], token.map[1]), Counter()
        found.marks = []
        token.children = []
        state.md.inline.parse(token.content, state.md, state.env, token.children)
        if any(child.level >= MAX_NESTING - 1 for child in token.children):
            found.unreadable = True
        if found.marks:
            found.locate(token.content, region, before)
        for mark in MARKS:
            before[mark] += token.content.count(mark)
