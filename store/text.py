"""Texts made fit for one line: the history, the import's dry run and the TUI's notices all
show a changed paragraph as one short line, the same way."""

from __future__ import annotations


def shorten(text: str | None, width: int | None = 60, *, absent: str = "—", empty: str = "") -> str:
    """``text`` on one line, every run of whitespace one space, cut to ``width`` with "…"
    (``width`` None: not cut).

    ``absent`` stands for None (no text at all) and ``empty`` for a text of only whitespace.
    """
    if text is None:
        return absent
    flat = " ".join(text.split())
    if not flat:
        return empty
    return flat if width is None or len(flat) <= width else flat[: width - 1] + "…"
