"""The ``submission``, ``review`` and ``config`` commands, on top of the store and the config.

Like ``vatui.commands``, each function takes the parsed arguments and returns the exit code,
and refusals are raised as ``StoreError`` for ``vatui.output.fail_on_errors`` to print.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from vatui import config as settings
from vatui.commands import open_store, require_actor
from vatui.exports.files import write_atomic
from vatui.exports.submission import submission_template
from vatui.output import console, print_table, refuse_with_problems, shown, warn
from vatui.records import print_records
from vatui.store import InvalidValue, PermissionDenied, StoreError
from vatui.store.submissions import (
    PlannedChange,
    SubmissionRefused,
    import_submission,
    read_submission,
)
from vatui.store.tomllines import decode_text


def _read_text(path: Path, what: str) -> str:
    try:
        return decode_text(path.read_bytes(), str(path))
    except OSError as error:
        raise StoreError(f"cannot read the {what} {path}: {error.strerror}") from None


# ---- submission ---------------------------------------------------------------------------


def template(args: argparse.Namespace) -> int:
    """Write a submission template, merged into the output file when there is one already."""
    target = Path(args.output) if args.output else None
    existing = _read_text(target, "file") if target and target.exists() else None
    with open_store(args) as store:
        text, notes = submission_template(store, args.installation, args.period, existing)
    if target is None:
        sys.stdout.write(text)
        return 0
    write_atomic(target, text)
    for note in notes:
        warn(f"{target}: {note}; the file now shows vatui's")
    how = "updated (your comments and entries kept)" if existing is not None else "written"
    console.print(f"{shown(str(target))} {how}.")
    return 0


def import_file(args: argparse.Namespace) -> int:
    """Check a submission file, show its changes, and write them unless ``--dry-run``; with
    ``--submit``, submit the period for review in the same transaction."""
    actor = require_actor(args)
    if args.comment and not args.submit:
        raise StoreError("--comment: the comment that goes with the submission; add --submit")
    path = Path(args.file)
    text = _read_text(path, "submission file")
    with open_store(args) as store:
        try:
            submission = read_submission(store, actor, text, str(path))
        except SubmissionRefused as refused:
            refuse_with_problems(refused.problems, path, "nothing was written")
        where = f"{submission.installation} {submission.period}"
        if not submission.changes:
            console.print(f"Nothing to change: {shown(str(path))} holds what the store has.")
        else:
            _print_changes(submission.changes, f"{path} ({where}, as {actor})")
            _print_implausible(submission.changes)
        if args.dry_run:
            if submission.changes:
                console.print("Dry run: nothing was written.")
            return 0
        try:
            entry = import_submission(store, submission, submit=args.submit, comment=args.comment)
        except (PermissionDenied, InvalidValue) as refusal:
            raise StoreError(f"{refusal}; nothing from {path} was written") from None
    if submission.changes:
        count = len(submission.changes)
        flagged = sum(1 for change in submission.changes if change.implausible)
        check = (
            f" {flagged} of them implausible (⚠ above): check {'it' if flagged == 1 else 'them'}."
        )
        console.print(
            f"Imported {count} change{'s' if count > 1 else ''} into {shown(where)}, "
            f"recorded in history as {shown(actor)} from {shown(path.name)}."
            + (check if flagged else "")
        )
    if entry is not None:
        console.print(f"{shown(where)} submitted for review.")
    elif args.submit:
        unsaid = "; the comment was not added (`vatui review comment` adds one)"
        console.print(
            f"{shown(where)} is already submitted for review{unsaid if args.comment else ''}."
        )
    return 0


def _print_implausible(changes: list[PlannedChange]) -> None:
    """A line for each new value that looks like a slip (``store/plausibility.py``)."""
    for change in changes:
        if change.implausible:
            console.print(
                f"⚠ line {change.line}, {shown(change.what)}: implausible, "
                f"{shown(change.implausible)}"
            )


def _print_changes(changes: list[PlannedChange], title: str) -> None:
    print_table(
        f"Changes from {title}",
        ("line", "what", "now", "after import"),
        [(str(change.line), change.what, change.old, change.new) for change in changes],
    )


# ---- review -------------------------------------------------------------------------------


def review(args: argparse.Namespace) -> int:
    actor = require_actor(args)
    with open_store(args) as store:
        before = store.review_state(args.installation, args.period)
        entry = store.review(
            actor, args.installation, args.period, args.action, args.comment, source="vatui review"
        )
    change = f"{before} → {entry.state}" if entry.state != before else f"still {entry.state}"
    console.print(f"{shown(entry.installation)} {entry.period}: {change} ({shown(entry.actor)}).")
    return 0


def review_show(args: argparse.Namespace) -> int:
    """An installation's review thread for the period, or every installation's state."""
    with open_store(args) as store:
        label = store.period(args.period).label
        if args.installation:
            item = store.installation(args.installation)
            state = store.review_state(item.id, label)
            thread = store.review_thread(item.id, label)
        else:
            states = store.review_states(label)
    if args.installation and args.json:
        print_records([entry.__dict__ for entry in thread], "json")
    elif args.installation:
        rows = [(e.at, e.actor, e.action, e.state, e.comment) for e in thread]
        print_table(
            f"{item.id} {label}: {state}",
            ("when", "who", "action", "state", "comment"),
            rows or [("", "", "", "draft", "(nothing yet)")],
        )
    elif args.json:
        records = [{"installation": i, "period": label, "state": s} for i, s in states.items()]
        print_records(records, "json")
    else:
        print_table(
            f"Review states, {label}", ("installation", "state"), states.items(), fold=False
        )
    return 0


# ---- config -------------------------------------------------------------------------------


def config_path(args: argparse.Namespace) -> int:
    print(settings.config_path())
    return 0


def config_show(args: argparse.Namespace) -> int:
    """Each setting's value, where it comes from, and what it means."""
    path = settings.config_path()
    config = args.config
    defaults = settings.Config()
    state = "" if path.exists() else " (not written yet: every setting is its default)"
    records = [
        {
            "key": key,
            "value": getattr(config, key),
            "origin": "default" if getattr(config, key) == getattr(defaults, key) else "file",
            "meaning": meaning,
        }
        for key, meaning, _accepted in settings.describe()
    ]
    if args.json:
        print_records(records, "json")
        return 0
    print_table(
        f"Settings from {path}{state}",
        ("key", "value", "", "meaning"),
        [
            (r["key"], "" if r["value"] is None else str(r["value"]), r["origin"], r["meaning"])
            for r in records
        ],
    )
    return 0


def config_set(args: argparse.Namespace) -> int:
    path = settings.config_path()
    settings.save_setting(args.key, args.value, path)
    if args.value.strip():
        console.print(f"{shown(args.key)} = {shown(args.value)} in {shown(str(path))}")
    else:
        console.print(f"{shown(args.key)} removed from {shown(str(path))}: the default applies")
    return 0
