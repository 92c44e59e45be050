"""What text from other people may hold, and how it is shown: one rule for every layer.

Notes, assessments, names and comments come from other organisations and reach the leader's
terminal. A control character there (ESC starting an OSC 52 clipboard write, a title change,
a bidi override that reorders what is read) could act on that terminal. So:

* ``check_text`` refuses, at input, control characters other than newline and tab (C0, DEL,
  C1, and the bidi controls), names and ids spread over several lines, and texts over their
  field's size limit, naming the field and where the character is;
* ``printable`` neutralises, at output, whatever a store written by an older or hand-edited
  copy still holds: each such character is shown as a visible escape (``\\x1b``), never sent;
* ``shorten`` puts a text on one short line, for histories and notices.
"""

from __future__ import annotations

import re

from vatui.store.errors import InvalidValue

# C0 but tab and newline, DEL, C1; and the bidi embeddings, overrides and isolates, which
# make a terminal show text in another order than it is stored (CVE-2021-42574).
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
CONTROL = re.compile(f"[{_CONTROLS}]")
# The same, with newline and tab too: what must not stand in a one-line name or id.
LINE_CONTROL = re.compile(f"[{_CONTROLS}\t\n]")

#: The size limits of texts, in characters, by kind of field (README, "Limits").
NAME_LIMIT = 200  # a name, title, id-like label: a table cell or a heading
NOTE_LIMIT = 2_000  # a value's note, a text value, a delay's reason, a review comment
TEXT_LIMIT = 100_000  # an assessment text or a description: pages of markdown


def control_escape(character: str) -> str:
    """A control character as it is shown instead: ``\\x1b``, ``\\u202e``."""
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def check_text(field: str, text: str, *, single_line: bool = False, limit: int = NOTE_LIMIT) -> str:
    """``text`` if it may be stored in ``field``, else the refusal naming what and where."""
    found = (LINE_CONTROL if single_line else CONTROL).search(text)
    if found is not None:
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        where = f"line {line}, column {column}" if "\n" in text else f"character {column}"
        what = "a line break" if found.group() == "\n" else control_escape(found.group())
        accepted = (
            "one line of text, without control characters"
            if single_line
            else "text without control characters (newlines and tabs are fine)"
        )
        raise InvalidValue(field, _shown(text), f"{accepted}; it holds {what} at {where}")
    if len(text) > limit:
        raise InvalidValue(
            field, _shown(text), f"at most {limit:,} characters; it has {len(text):,}"
        )
    return text


def printable(text: str) -> str:
    """``text`` with every control character but newline and tab shown as a visible escape,
    so that nothing stored can act on the terminal it is printed on."""
    return CONTROL.sub(lambda found: control_escape(found.group()), text)


def unicode_escaped(text: str) -> str:
    """``text`` with every control character written as a ``\\uXXXX`` escape: how a JSON or
    TOML string holds one, so that what is written reads back the same and prints safely."""
    return CONTROL.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def one_line_printable(text: str) -> str:
    """``text`` made printable, with line breaks and tabs as single spaces: a table cell."""
    return printable(" ".join(text.split()))


def shorten(text: str | None, width: int | None = 60, *, absent: str = "—", empty: str = "") -> str:
    """``text`` on one line, every run of whitespace one space, cut to ``width`` with "…"
    (``width`` None: not cut). Control characters are shown as escapes.

    ``absent`` stands for None (no text at all) and ``empty`` for a text of only whitespace.
    """
    if text is None:
        return absent
    flat = printable(" ".join(text.split()))
    if not flat:
        return empty
    return flat if width is None or len(flat) <= width else flat[: width - 1] + "…"


def _shown(text: str) -> str:
    """A refused text as a message quotes it: short (the message quotes it with ``repr``,
    which shows every control character as an escape)."""
    return text if len(text) <= 40 else text[:39] + "…"
