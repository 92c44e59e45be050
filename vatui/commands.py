"""What each ``vatui`` command does, on top of the store's API.

Each function takes the parsed arguments and returns the exit code; refusals are raised as
``StoreError`` and printed by ``vatui.output.fail_on_errors``. Rich's tables, the renderers
and the project-file reader are imported by the commands that use them: scripts calling
``vatui status --json`` load none of them.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from vatui.output import (
    Lit,
    console,
    json_text,
    light_text,
    print_table,
    refuse_with_problems,
    shown,
    warn,
    written,
)
from vatui.records import RECORD_FORMATS, change_records, print_records, status_records
from vatui.store import InstallationStatus, InvalidValue, Store, StoreError
from vatui.store.lights import baseline_with_target
from vatui.store.periods import Period, parse_date
from vatui.store.text import shorten


def store_path(args: argparse.Namespace) -> Path:
    """``--db``, else ``$VATUI_DB``, else the config's ``db``, else ``vatui.db`` in the user's
    data folder (``vatui.cli.main`` resolves the first three into ``args.db``)."""
    if args.db:
        return Path(args.db).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("vatui")) / "vatui.db"


@contextmanager
def open_store(args: argparse.Namespace) -> Iterator[Store]:
    """The command's store, opened once: deciding who the user is and then doing the command
    share one connection (``vatui.cli.main`` closes it when the command ends)."""
    store: Store | None = getattr(args, "store", None)
    if store is None:
        store = Store.open(store_path(args))
        args.store = store
        if store.upgrade_backup:
            warn(
                f"the store was upgraded for this version of vatui; "
                f"a copy of it as it was is kept at {store.upgrade_backup}"
            )
    yield store


def require_actor(args: argparse.Namespace) -> str:
    identity = getattr(args, "identity", None)
    if identity is not None and identity.locked and not identity.actor:
        raise StoreError(f"you may not write to this store: {identity.reason}")
    if not args.actor:
        raise StoreError(
            "say which organisation you work for with --as ORG (or set VATUI_AS, or once for all: "
            "`vatui config set identity ORG`), e.g. --as VLIZ"
        )
    return str(args.actor)


def pick_period(store: Store, label: str | None) -> str:
    """The period asked for, else the latest one that has values, else the first."""
    return store.period(label).label if label else store.default_period()


# ---- commands ---------------------------------------------------------------------------------


def init(args: argparse.Namespace) -> int:
    from vatui.store.projectfile import (
        ProjectFileRefused,
        create_store,
        demo_text,
        read_project_bytes,
        read_project_file,
    )

    path = store_path(args)
    if args.demo:
        data = read_project_file(demo_text(), "demo data")
    else:
        source = Path(args.source)
        try:
            raw = source.read_bytes()
        except OSError as error:
            raise StoreError(f"cannot read the project file {source}: {error.strerror}") from None
        try:
            data = read_project_bytes(raw, str(source))
        except ProjectFileRefused as refused:
            refuse_with_problems(refused.problems, source, "no store was created")
    path.parent.mkdir(parents=True, exist_ok=True)
    create_store(path, data, overwrite=args.force).close()
    console.print(
        f"Created [bold]{shown(path)}[/]: {shown(data.project.name)}, "
        f"{len(data.installations)} installations, "
        f"periods {', '.join(data.periods)}."
    )
    return 0


#: What ``vatui status --format`` writes: boxed tables, or one record per metric row.
STATUS_FORMATS = ("table", *RECORD_FORMATS)


def status(args: argparse.Namespace) -> int:
    """The period's lights: tables on a terminal, a record per metric row elsewhere."""
    form = _status_format(args)
    with open_store(args) as store:
        period = pick_period(store, args.period)
        rows = store.status(period, installations=args.installation)
        span = store.period(period)
    show_status(rows, span, form)
    return 0


def _status_format(args: argparse.Namespace) -> str | None:
    """``--format``, or json for ``--json``; None leaves it to where the output goes."""
    asked = args.format.strip().lower() if args.format is not None else None
    if asked is not None and asked not in STATUS_FORMATS:
        raise InvalidValue("format", args.format, f"one of: {', '.join(STATUS_FORMATS)}")
    if args.json and asked not in (None, "json"):
        raise StoreError(f"--json and --format {asked} ask for two formats; give one")
    return "json" if args.json else asked


def show_status(rows: list[InstallationStatus], span: Period, form: str | None = None) -> None:
    """``rows`` as ``form`` says; by default tables on a terminal and, into a pipe, one
    tab-separated record per metric row (what ``grep uc1`` and a spreadsheet want)."""
    if form is None:
        form = "table" if sys.stdout.isatty() else "tsv"
    if form == "table":
        print_status(rows, span)
    else:
        print_records(status_records(rows, span.label), form)


def print_status(rows: list[InstallationStatus], span: Period) -> None:
    """The dashboard as tables: an installation a row, then each one's metrics."""
    period = span.label
    print_table(
        f"Installations, {period} (judged as of {span.as_of})",
        ("#", "installation", "providers", "stage", "overall", "deployment"),
        [
            (
                str(row.installation.number),
                f"{row.installation.id} {row.installation.name}",
                ", ".join(row.installation.providers),
                row.installation.stage,
                Lit(row.overall_light, "" if row.has_figures else "(no figures yet)"),
                Lit(row.deployment_light),
            )
            for row in rows
        ],
        fold=False,
    )
    for row in rows:
        print_table(
            f"{row.installation.id}: {row.installation.name}",
            ("metric", "baseline", period, "light"),
            [
                (
                    (f"[{item.metric.site}] " if item.metric.site else "") + item.metric.name,
                    baseline_with_target(item.metric, span),
                    item.value.shown if item.value else "",
                    Lit(item.light),
                )
                for item in row.metrics
            ],
        )


def set_value(args: argparse.Namespace) -> int:
    from vatui.store.plausibility import check

    actor = require_actor(args)
    with open_store(args) as store:
        metric = store.metric(args.installation, args.metric, site=args.site)
        value = store.set_value(
            actor,
            args.installation,
            metric.id,
            args.period,
            args.value,
            note=args.note,
            source="vatui set",
        )
        light = next(
            s.light
            for row in store.status(value.period, installations=[value.installation])
            for s in row.metrics
            if s.metric.id == metric.id
        )
        implausible = check(store, metric, value.period, value.number, value.countries)
    site = f" at site {shown(metric.site)}" if metric.site else ""
    what = f"{shown(metric.name)}{site} ({value.period})"
    console.print(f"{what} = {shown(value.shown)}  {light_text(light)}")
    if implausible:  # saved all the same: the figure may be right
        console.print(f"⚠ implausible: {shown(implausible)}; saved as given, check it")
    return 0


def dump(args: argparse.Namespace) -> int:
    from vatui.store.projectdump import dump_project

    with open_store(args) as store:
        text = dump_project(store)
    return written(args.output, text, "the project file")


def metadata(args: argparse.Namespace) -> int:
    """Datasette's metadata for the store: what each table, view and column holds."""
    from vatui.store.descriptions import datasette_metadata

    with open_store(args) as store:
        title = f"{store.project().name}: Virtual Access metrics"
    text = json_text(datasette_metadata(store_path(args).stem, title)) + "\n"
    return written(args.output, text, "the metadata")


def history(args: argparse.Namespace) -> int:
    since = parse_date(args.since, "since").isoformat() if args.since else None
    with open_store(args) as store:
        installation = store.installation(args.installation).id if args.installation else None
        changes = store.history(installation=installation, since=since, limit=args.limit)
        periods = [period.label for period in store.periods()]
    if args.json:
        print_records(change_records(changes, periods), "json")
        return 0
    width = 60 if sys.stdout.isatty() else None  # into a pipe, whole texts on their one line
    print_table(
        "History, newest first",
        ("#", "when", "who", "what", "field", "old", "new"),
        [
            (
                str(change.id),
                change.at,
                change.actor,
                f"{change.table} {change.row}",
                change.field,
                shorten(change.old, width),
                shorten(change.new, width),
            )
            for change in changes
        ],
    )
    return 0


def revert(args: argparse.Namespace) -> int:
    actor = require_actor(args)
    with open_store(args) as store:
        change = store.change(args.change)
        store.revert(actor, args.change, source="vatui revert", force=args.force)
    console.print(
        f"Reverted change {change.id}: {shown(change.table)} {shown(change.row)} "
        f"{change.field} is {shown(shorten(change.old))} again."
    )
    return 0


def check(args: argparse.Namespace) -> int:
    """Each check with what it found; exit code 0 only when every one holds."""
    from vatui.store.checks import check_store

    with open_store(args) as store:
        checks = check_store(store)
    for each in checks:
        mark = "[green]✓ holds[/]" if each.holds else "[red]✗ fails[/]"
        console.print(f"{mark}  {shown(each.name)}")
        for problem in each.problems:
            console.print(f"    {shown(problem)}", soft_wrap=True)
    return 0 if all(each.holds for each in checks) else 1


def backup(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        written = store.backup(args.destination, overwrite=args.force)
    console.print(f"Backed up to {written}")
    return 0


def tui(args: argparse.Namespace) -> int:
    """``vatui`` with no command: the TUI on the user's store."""
    with open_store(args) as store:
        return run_app(store, args)


def demo(args: argparse.Namespace) -> int:
    """The TUI on a fresh temporary copy of the demo data, deleted afterwards."""
    import tempfile

    from vatui.store.projectfile import create_store, demo_text, read_project_file

    with tempfile.TemporaryDirectory(prefix="vatui-demo-") as folder:
        data = read_project_file(demo_text(), "demo data")
        store = create_store(Path(folder) / "demo.db", data)
        return run_app(store, args)


def run_app(store: Store, args: argparse.Namespace) -> int:
    """Run the TUI, or print the dashboard when there is no terminal to draw on."""
    with store:
        if not _can_draw():
            warn("no terminal here (output piped or no input): printing the dashboard")
            period = store.default_period()
            show_status(store.status(period), store.period(period))
            return 0
        theme = getattr(args, "config", None) and args.config.theme
        from vatui.app import VatuiApp

        roster = getattr(args, "identity", None)
        style = args.config.light_style if getattr(args, "config", None) else "emoji"
        VatuiApp(store, actor=args.actor, theme=theme, roster=roster, light_style=style).run()
    return 0


def _can_draw() -> bool:
    """A terminal on both ends, or a Textual driver named in the environment: textual-serve
    (``vatui serve``) runs each browser tab's vatui on pipes and names the driver that draws
    through them."""
    return (sys.stdout.isatty() and sys.stdin.isatty()) or bool(os.environ.get("TEXTUAL_DRIVER"))
