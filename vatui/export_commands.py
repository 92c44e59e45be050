"""``vatui export``: the deliverable's chapter as markdown or as a Word document.

The format is ``--format``, else what ``-o FILE``'s extension says, else markdown; a file
named for one format is never written in the other. The renderers are imported when the
command runs (python-docx only for a Word document).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from vatui.commands import open_store, pick_period, require_actor
from vatui.output import json_text, shown, warn, written
from vatui.records import change_records
from vatui.store import InvalidValue, Store, StoreError
from vatui.store.core import utc_now
from vatui.store.text import shorten

FORMATS = ("md", "docx")
#: The extensions that name each format; a markdown chapter may also go to a plain-text file.
EXTENSIONS = {"md": (".md", ".markdown", ".txt", ""), "docx": (".docx",)}
FORMAT_NAMES = {"md": "markdown", "docx": "a Word document"}


def export(args: argparse.Namespace) -> int:
    """The chapter, on stdout or written whole to ``-o FILE``; with ``--final`` also kept in
    the store as the issued chapter of the period (as markdown: the bytes an issue keeps)."""
    chosen = export_format(args.format, args.output)
    if chosen == "docx":
        _check_docx_options(args)
    options = export_options(args)
    with open_store(args) as store:
        period = pick_period(store, args.period)
        if args.issued or args.changes:
            return issued_export(store, period, args)
        actor = _final_actor(store, period, args) if args.final else None
        from vatui.exports.markdown import render_report

        # An issued chapter is kept as markdown, whichever format is written.
        markdown = render_report(store, period, **options) if chosen == "md" or actor else ""
        written(args.output, _docx(store, period, options) if chosen == "docx" else markdown)
        if actor is not None:
            chapter = store.issue_chapter(actor, period, markdown, source="vatui export --final")
            warn(
                f"issued the chapter of {period} (judged as of {chapter.cutoff}), SHA-256 "
                f"{chapter.sha256}; `vatui export --period {period} --issued` gives it back"
            )
    return 0


def export_format(asked: str | None, output: str | None) -> str:
    """The format to write: ``--format``, else the one ``output``'s extension names, else
    markdown. A file named for the other format, or for one vatui does not write, is refused."""
    if asked is not None and asked.strip().lower() not in FORMATS:
        raise InvalidValue("format", asked, f"one of: {', '.join(FORMATS)}")
    chosen = asked.strip().lower() if asked else None
    if not output:
        return chosen or "md"
    extension = Path(output).suffix.lower()
    named = next((name for name, ends in EXTENSIONS.items() if extension in ends), None)
    if named is not None and chosen is not None and named != chosen:
        raise StoreError(
            f"-o {output}: a {extension} file holds {FORMAT_NAMES[named]}, not "
            f"{FORMAT_NAMES[chosen]}; name it {Path(output).with_suffix(EXTENSIONS[chosen][0])} "
            f"or leave out --format {chosen}"
        )
    found = chosen or named
    if found is None:
        raise InvalidValue(
            "-o",
            output,
            "a file ending in .md (markdown) or .docx (a Word document), or say "
            "the format with --format md|docx",
        )
    return found


def _check_docx_options(args: argparse.Namespace) -> None:
    """Refuse what a Word document cannot be: text on a terminal, raw HTML, the stored text."""
    if args.issued or args.changes:
        which = "--issued" if args.issued else "--changes"
        raise StoreError(f"{which} gives the stored markdown; leave out --format docx")
    if args.allow_html:
        raise StoreError(
            "--allow-html keeps raw HTML in the markdown export; a Word document always shows "
            "providers' HTML as text. Leave out --allow-html or export markdown"
        )
    if not args.output and sys.stdout.isatty():
        raise StoreError("a Word document is not for a terminal; write it with -o FILE.docx")


def _final_actor(store: Store, period: str, args: argparse.Namespace) -> str:
    """The leader issuing the chapter, once what ``--final`` needs is there."""
    actor = store.require_leader(require_actor(args), "issue the chapter")
    if args.installation or args.sections:
        raise StoreError(
            "--final issues the whole chapter; leave out --installation and --sections"
        )
    require_accepted(store, period, args.installation)
    return actor


def _docx(store: Store, period: str, options: dict[str, Any]) -> bytes:
    from vatui.exports.docx import render_docx

    return render_docx(
        store, period, **{name: value for name, value in options.items() if name != "allow_html"}
    )


def issued_export(store: Store, period: str, args: argparse.Namespace) -> int:
    """``--issued``: the latest issued chapter's bytes; ``--changes``: what has changed since
    that would make today's export of the period differ from it."""
    issued = store.issued_chapters(period)
    if not issued:
        raise StoreError(
            f"no chapter of {period} has been issued; the leader issues it with "
            f"`vatui export --period {period} --final --as LEADER`"
        )
    latest = issued[-1]
    if args.issued:
        return written(args.output, latest.text)
    changes = store.changes_since_issue(period)
    if args.json:
        records = change_records(changes, [span.label for span in store.periods()])
        return written(args.output, json_text(records) + "\n")
    lines = [
        f"{period} was issued at {latest.at} by {latest.actor} (SHA-256 {latest.sha256}).",
        f"{len(changes)} recorded change(s) since then touch its chapter"
        + (":" if changes else "; today's export is the same."),
    ]
    lines += [
        f"- change {c.id}, {c.at}, {c.actor}: {c.table} {c.row} {c.field}: "
        f"{shorten(c.old or '', 40)!r} -> {shorten(c.new or '', 40)!r}"
        for c in changes
    ]
    return written(args.output, "\n".join(shown(line) for line in lines) + "\n")


def require_accepted(store: Store, period: str, installations: list[str] | None) -> None:
    """A final export is refused while the leader has not accepted every installation in it."""
    chosen = {store.installation(ref).id for ref in installations or []}
    states = store.review_states(period)
    waiting = [i for i in store.unaccepted(period) if not chosen or i in chosen]
    if waiting:
        listed = ", ".join(f"{i} ({states[i]})" for i in waiting)
        raise StoreError(
            f"not final: the figures of {listed} for {period} are not accepted yet; "
            "accept them with `vatui review accept`, or export without --final for a draft"
        )


def export_options(args: argparse.Namespace) -> dict[str, Any]:
    """The renderer's options from the command line; a bad one is refused by its name."""
    numbering = {"on": True, "off": False}.get(args.numbering.strip().lower())
    if numbering is None:
        raise InvalidValue("numbering", args.numbering, "on or off")
    try:
        heading_level = int(args.heading_level)
    except ValueError:
        raise InvalidValue("heading level", args.heading_level, "1, 2 or 3") from None
    return {
        "installations": args.installation,
        "sections": _listed(args.sections) if args.sections is not None else None,
        "heading_level": heading_level,
        "lights": (args.lights or args.config.light_style).strip().lower(),
        "numbering": numbering,
        "stamp": utc_now() if args.stamp else None,
        "allow_html": args.allow_html,
    }


def _listed(text: str) -> list[str]:
    """``summary, delays`` as ``["summary", "delays"]``; empty items (a trailing comma) dropped."""
    return [item.strip() for item in text.split(",") if item.strip()]
