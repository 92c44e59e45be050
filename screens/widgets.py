"""Small pieces the screens share: the one way stored text is shown, in labels, cells and
form fields (tables are in ``table.py``, the traffic lights in ``lights.py``).

Text from other people (names, notes, assessments, comments, history values) reaches the
leader's terminal. Every screen shows it through ``plain``, ``cell``, ``one_line`` or
``neutralised`` here: a ``rich.text.Text``, never markup (``[red]`` or ``[@click=app.quit]`` in
a note shows as typed), with every control character shown as a visible escape (``\x1b``,
``vatui.store.text.printable``) so that nothing stored (an OSC 52 clipboard write, a title
change, a bidi override) can act on the terminal. ``FittedTable`` neutralises every cell and
heading it is given, whoever built them. Form fields load stored text through ``editable`` and
give it back through ``edited``.
"""

from __future__ import annotations

from bisect import bisect_left

from rich.cells import cell_len
from rich.text import Span, Text
from vatui.store.text import CONTROL, LINE_CONTROL, control_escape, one_line_printable, printable

WRITABLE_MARK = "✎"


#: How each review state reads: a draft fades, what waits for someone stands out.
REVIEW_STYLES = {"draft": "dim", "submitted": "bold", "returned": "bold italic", "accepted": ""}


def review_label(state: str) -> Text:
    """A review state (``draft``, ``submitted``, ``returned``, ``accepted``) as a cell."""
    return cell(state, REVIEW_STYLES.get(state, ""))


def cell(text: object, style: str = "") -> Text:
    """A table cell holding ``text`` as typed, cut with an ellipsis when the column is narrow;
    control characters shown as escapes."""
    return Text(printable(str(text)), style=style, no_wrap=True, overflow="ellipsis", end="")


# ---- stored text on screen -----------------------------------------------------------------


def plain(text: object, style: str = "") -> Text:
    """``text`` (lines and all) to show as it is stored: never read as markup, and every control
    character but newline and tab shown as a visible escape, never sent to the terminal."""
    return Text(printable(str(text)), style=style)


def one_line(text: object, style: str = "") -> Text:
    """``text`` as ``plain`` shows it, on one line: a heading, a title, a label."""
    return Text(one_line_printable(str(text)), style=style)


def neutralised(text: Text | str) -> Text:
    """``text`` with every control character shown as an escape, its styles kept on the
    characters they styled: the tables' last guard, whoever built their cells.

    Rich drops BEL, backspace, VT, FF and CR when a Text is made, unseen: build texts from
    pieces already made printable (``plain``, ``one_line``, ``cell``) so that those show too.
    A ``str`` is taken as plain text, never markup.
    """
    if isinstance(text, str):
        return plain(text)
    found = list(CONTROL.finditer(text.plain))
    if not found:
        return text
    starts = [match.start() for match in found]
    # How far each control character pushes what follows: its escape is longer than it.
    pushed = [0]
    for match in found:
        pushed.append(pushed[-1] + len(control_escape(match.group())) - 1)

    def moved(offset: int) -> int:
        return offset + pushed[bisect_left(starts, offset)]

    spans = [Span(moved(span.start), moved(span.end), span.style) for span in text.spans]
    return Text(
        printable(text.plain),
        style=text.style,
        justify=text.justify,
        overflow=text.overflow,
        no_wrap=text.no_wrap,
        end=text.end,
        tab_size=text.tab_size,
        spans=spans,
    )


def editable(text: str, *, single_line: bool = False) -> str:
    """Stored ``text`` as a form field shows it for editing.

    Textual's Input and TextArea send what they hold to the terminal as it is (ESC and C1
    included; an Input even a newline), so a control character is loaded as its visible escape.
    A single-line field shows newlines and tabs as escapes too. The field then holds no control
    character; ``edited`` gives back the stored text when it is left unchanged.
    """
    pattern = LINE_CONTROL if single_line else CONTROL
    return pattern.sub(lambda found: control_escape(found.group()), text)


def edited(shown: str, stored: str, *, single_line: bool = False) -> str:
    """What a field loaded with ``editable(stored)`` and now holding ``shown`` stands for:
    the stored text itself when it was left as loaded, so that an untouched field saves the
    stored text and the store's own rule judges it (refusing control characters, with where
    they are) rather than saving their escapes unseen; else what was typed."""
    return stored if shown == editable(stored, single_line=single_line) else shown


def cell_width(content: Text | str) -> int:
    """The width ``content`` takes as a table shows it (``neutralised``: escapes and all)."""
    shown = printable(content.plain if isinstance(content, Text) else content)
    return max((cell_len(line) for line in shown.split("\n")), default=0)
