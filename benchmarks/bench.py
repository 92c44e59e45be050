"""How fast vatui is on stores of 10, 100 and 1,000 installations: ``python benchmarks/bench.py``.

Each store is built by ``make_store.py`` in a temporary folder. For each size the benchmark
measures, as the median of several repeats:

* start to dashboard drawn (the App on the store, headless, as the project's leader), against a
  bare Textual app that shows a DataTable of as many rows, measured in the same run: their
  ratio is the figure;
* a period switch (``p`` to the next period's lights drawn);
* opening an installation (Enter on the dashboard to its Metrics tab drawn): the first, which
  builds the screen, and the next ones, which refill it;
* one value saved through the store (``set_value``) and through the TUI (the value form: Enter,
  type, ctrl+s, to the new value drawn in the table);
* the full export (``render_report``);
* the full export of the smallest store with one assessment of about 1 MB of ordinary markdown
  paragraphs (a provider's text is read in time in proportion to its size);
* ``vatui status --json`` as a process, against ``python -c "import rich"`` (same interpreter);
* ``vatui set`` as a process on a store of 10 and one of 10,000 installations (``--set-sizes``),
  and start to dashboard drawn on one of 100 and one of 10,000 (``--start-sizes``): the two
  sizes take turns in each round, so that the machine's drift does not become their ratio.

It prints a table; with ``--json``, one JSON object instead. It is not a test: the suite only
checks that it runs (``tests/test_bench.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from make_store import make_store
from rich.console import Console
from rich.table import Table
from textual import __version__ as textual_version
from textual import events
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import DataTable
from vatui.exports.markdown import render_report
from vatui.screens.dashboard import DashboardScreen
from vatui.screens.installation.metrics import MetricTable
from vatui.screens.installation.screen import InstallationScreen
from vatui.screens.installation.value_form import ValueForm
from vatui.store import Store

from vatui.app import VatuiApp

SIZES = (10, 100, 1000)
REPEATS = 5
#: `vatui set` as a process on the smallest and the largest of these stores: their ratio.
SET_SIZES = (10, 10_000)
SET_RATIO = 1.3
#: Start to dashboard on the smallest and the largest of these stores: their ratio.
START_SIZES = (100, 10_000)
START_RATIO = 1.2
TERMINAL = (120, 40)
PATIENCE = 60.0  # seconds to wait for a screen before calling the run failed
#: The issue's targets: figure -> (limit, unit), at ``TARGET_SIZE`` (start-up: the smallest store).
TARGET_SIZE = 1000
TARGETS = {
    "dashboard_ratio": (1.3, "×"),
    "period_switch_ms": (40.0, "ms"),
    "open_installation_ms": (40.0, "ms"),
    "tui_write_ms": (60.0, "ms"),
    "store_write_ms": (5.0, "ms"),
    "export_s": (2.0, "s"),
    "status_cli_ratio": (1.5, "×"),
}
#: Every figure, in the order the table shows them.
FIGURES = {
    "dashboard_ms": "start → dashboard drawn (ms)",
    "bare_table_ms": "bare DataTable app, as many rows (ms)",
    "dashboard_ratio": "dashboard / bare table",
    "period_switch_ms": "period switch (ms)",
    "first_open_ms": "first Enter → Metrics tab (builds it) (ms)",
    "open_installation_ms": "Enter → Metrics tab drawn (ms)",
    "back_to_dashboard_ms": "Escape → dashboard drawn (ms)",
    "store_write_ms": "one value through the store (ms)",
    "tui_write_ms": "one value through the TUI form (ms)",
    "export_s": "full export (s)",
    "status_cli_ms": "`vatui status --json` process (ms)",
    "rich_import_ms": "`python -c 'import rich'` (ms)",
    "status_cli_ratio": "status process / rich import",
}
#: Figures measured once, on the smallest store (shown in its column).
ONCE = {"export_1mb_s": "export of a 1 MB assessment (s)"}
#: About this many characters of provider markdown for ``export_1mb_s``.
MEGABYTE = 1_000_000
PARAGRAPH = (
    "The service processed **{n:,}** images for 31 users in 7 countries (see [the portal]"
    "(https://example.org/portal) and the `zooprocess` logs); uptime was *99.2 %* over the "
    "period, with two planned interruptions for upgrades of the storage back end.\n\n"
)


@dataclass
class Results:
    """Every figure by name and store size; its JSON key is ``<figure>_<size>``."""

    sizes: list[int]
    repeats: int
    figures: dict[str, dict[int, float]] = field(default_factory=dict)
    once: dict[str, float] = field(default_factory=dict)

    def add(self, size: int, measured: dict[str, float]) -> None:
        for name, value in measured.items():
            self.figures.setdefault(name, {})[size] = value

    def as_json(self) -> dict[str, Any]:
        flat: dict[str, Any] = {
            f"{name}_{size}": round(value, 3)
            for name, by_size in self.figures.items()
            for size, value in sorted(by_size.items())
        }
        # Start-up is measured where the output is least: on the smallest store.
        flat["status_cli_ratio"] = flat[f"status_cli_ratio_{min(self.sizes)}"]
        flat |= {name: round(value, 3) for name, value in self.once.items()}
        return flat | {"sizes": self.sizes, "repeats": self.repeats, "machine": machine()}


def machine() -> dict[str, Any]:
    """What the figures were measured on: they mean little without it."""
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    cpu = next(
        (line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")),
        platform.processor() or "unknown",
    )
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "textual": textual_version,
    }


# ---- waiting for the app ---------------------------------------------------------------------


def since(start: float) -> float:
    """Milliseconds since ``start`` (a ``time.perf_counter()``)."""
    return (time.perf_counter() - start) * 1000


def tables_settled(app: App[Any]) -> bool:
    """Whether every table on screen has measured the rows it was given, which a DataTable does
    when idle: until then they are not laid out, so not drawn."""
    return all(
        not table._require_update_dimensions and not table._new_rows
        for table in app.screen.query(DataTable)
    )


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Send key presses as a terminal would, each handled before the next is sent."""
    app = pilot.app
    assert app._driver is not None
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)
        await settled(app)


async def settled(app: App[Any]) -> None:
    """Return once the app and every widget of its screen have no message waiting, twice in a
    row: what a key set going has been handled, and what that set going in turn.

    The pilot's own wait posts a callback to every widget and waits for each to run it, which
    wakes every widget (and its idle handlers): 1 to 2 ms a wait on a screen of 25 to 50
    widgets, measured, which is the pilot's time and not the app's. This only looks.
    """
    quiet = 0
    give_up = time.perf_counter() + PATIENCE
    while quiet < 2:
        await asyncio.sleep(0)
        nodes = (app, *app.screen.walk_children(with_self=True))
        quiet = quiet + 1 if all(node._message_queue.empty() for node in nodes) else 0
        if app._exception is not None or time.perf_counter() > give_up:
            raise RuntimeError(f"the app did not settle: {app._exception or 'timed out'}")


async def drawn(pilot: Pilot[Any], ready: Callable[[], bool]) -> None:
    """Wait until the app has handled what was queued and ``ready()`` holds, then draw.

    The pilot's own ``press`` and ``pause`` sleep in steps of 20 ms; this looks again as soon
    as the app has run, so that the figures are the app's time, not the pilot's.
    """
    app = pilot.app
    give_up = time.perf_counter() + PATIENCE
    while True:
        await settled(app)
        if ready() and tables_settled(app):
            break
        if time.perf_counter() > give_up:
            raise RuntimeError("the app did not get there: timed out")
        await asyncio.sleep(0.0005)
    app.screen._on_timer_update()  # lay out and paint now, as the next refresh would


# ---- the apps --------------------------------------------------------------------------------


class BareTable(App[None]):
    """The yardstick: Textual drawing a DataTable of ``rows``, and nothing else."""

    def __init__(self, rows: list[tuple[str, ...]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("#", "Installation", "Providers", "Stage", "Metrics", "Overall")
        table.add_rows(self.rows)
        table.focus()


def bare_rows(store: Store, period: str) -> list[tuple[str, ...]]:
    """As many rows as the dashboard has, with the same text, plain."""
    return [
        (
            str(row.installation.number),
            row.installation.name,
            ", ".join(row.installation.providers),
            row.installation.stage,
            "●" * len(row.metrics),
            f"● {row.overall_light.value}",
        )
        for row in store.status(period)
    ]


def vatui_app(path: Path) -> VatuiApp:
    """The app as a user starts it: the store opened, working as the project's leader."""
    store = Store.open(path)
    app = VatuiApp(store, actor=store.project().leader)
    app.animation_level = "none"
    return app


def on_dashboard(app: App[Any]) -> bool:
    screen = app.screen
    return isinstance(screen, DashboardScreen) and screen.query_one("#installations").row_count > 0


def on_metrics(app: App[Any]) -> bool:
    screen = app.screen
    if not isinstance(screen, InstallationScreen):
        return False
    tables = [table for table in screen.query(MetricTable) if table.display]
    return bool(tables) and all(table.row_count for table in tables)


# ---- the measures ----------------------------------------------------------------------------


async def measure_start(path: Path, repeats: int) -> dict[str, float]:
    """Start to dashboard drawn, and the bare table app, one after the other in each repeat."""
    with Store.open(path) as store:
        rows = bare_rows(store, store.default_period())
    vatui_runs, bare_runs = [], []
    for _ in range(repeats):
        bare_runs.append(await start_bare(rows))
        vatui_runs.append(await start_vatui(path))
    dashboard, bare_table = statistics.median(vatui_runs), statistics.median(bare_runs)
    return {
        "dashboard_ms": dashboard,
        "bare_table_ms": bare_table,
        "dashboard_ratio": dashboard / bare_table,
    }


async def measure_starts(paths: dict[int, Path], repeats: int) -> dict[int, float]:
    """Start to dashboard drawn on the store of each size (ms), the sizes taking turns in each
    round: measured one size after the other, the machine's drift became their ratio. The first
    round is not counted."""
    runs: dict[int, list[float]] = {size: [] for size in paths}
    for repeat in range(max(repeats, 7) + 1):
        for size, path in paths.items():
            elapsed = await start_vatui(path)
            if repeat:
                runs[size].append(elapsed)
    return {size: statistics.median(times) for size, times in runs.items()}


async def start_bare(rows: list[tuple[str, ...]]) -> float:
    gc.collect()
    start = time.perf_counter()
    app = BareTable(rows)
    app.animation_level = "none"
    async with app.run_test(size=TERMINAL) as pilot:
        await drawn(pilot, lambda: app.query_one(DataTable).row_count == len(rows))
        return since(start)


async def start_vatui(path: Path) -> float:
    gc.collect()
    start = time.perf_counter()
    app = vatui_app(path)
    async with app.run_test(size=TERMINAL) as pilot:
        await drawn(pilot, lambda: on_dashboard(app))
        elapsed = since(start)
    app.store.close()
    return elapsed


async def measure_session(path: Path, repeats: int) -> dict[str, float]:
    """Period switches, opening installations, going back, and values saved through the form.

    The first installation opened builds the screen (and the first value, its form), which
    later ones refill: it is its own figure, and the others are the median of ``2 × repeats
    - 1`` (these figures are the noisiest, and the quickest to repeat).
    """
    app = vatui_app(path)
    labels = [period.label for period in app.store.periods()]
    rounds = 2 * repeats - 1
    switches, opens, backs, writes = [], [], [], []
    async with app.run_test(size=TERMINAL) as pilot:
        await drawn(pilot, lambda: on_dashboard(app))
        for _ in range(rounds):
            after = labels[(labels.index(app.period) + 1) % len(labels)]
            gc.collect()
            start = time.perf_counter()
            await press(pilot, "p")
            await drawn(pilot, lambda after=after: app.period == after)
            switches.append(since(start))
        for _ in range(rounds + 1):
            await press(pilot, "down")
            await drawn(pilot, lambda: True)
            gc.collect()
            start = time.perf_counter()
            await press(pilot, "enter")
            await drawn(pilot, lambda: on_metrics(app))
            opens.append(since(start))
            # Zero: the one figure never implausible, so the form asks no question.
            writes.append(await save_through_form(pilot, "0"))
            start = time.perf_counter()
            await press(pilot, "escape")
            await drawn(pilot, lambda: on_dashboard(app))
            backs.append(since(start))
    app.store.close()
    return {
        "period_switch_ms": statistics.median(switches),
        "first_open_ms": opens[0],
        "open_installation_ms": statistics.median(opens[1:]),
        "back_to_dashboard_ms": statistics.median(backs[1:]),
        "tui_write_ms": statistics.median(writes[1:]),
    }


async def save_through_form(pilot: Pilot[VatuiApp], text: str) -> float:
    """Enter on the first count metric, type ``text`` as its value, ctrl+s: until the table
    shows it."""
    app = pilot.app
    table, row = first_count(app)
    table.focus()
    table.move_cursor(row=row)
    key = table.selected_key
    await drawn(pilot, lambda: True)  # the cursor on the row before Enter, as a person has it
    gc.collect()
    start = time.perf_counter()
    await press(pilot, "enter")
    await drawn(pilot, lambda: isinstance(app.screen, ValueForm))
    await press(pilot, "home", "ctrl+k", *text, "ctrl+s")
    await drawn(pilot, lambda: shown_value(app, table, key) == f"{int(text):,}")
    return since(start)


def first_count(app: VatuiApp) -> tuple[MetricTable, int]:
    """The table and row of the installation's first metric that takes a number."""
    screen = app.screen
    assert isinstance(screen, InstallationScreen)
    for table in screen.query(MetricTable):
        for row, key in enumerate(table.rows):
            if app.store.metric(screen.installation, str(key.value)).kind == "count":
                return table, row
    raise RuntimeError(f"{screen.installation} has no count metric to save a value to")


def shown_value(app: App[Any], table: MetricTable, key: str | None) -> str | None:
    if not isinstance(app.screen, InstallationScreen) or key is None:
        return None
    column = next(
        index for index, column in enumerate(table.ordered_columns) if column.key.value == "value"
    )
    return str(table.get_row(key)[column])


def measure_store(path: Path, repeats: int) -> dict[str, float]:
    """One value saved through ``set_value``, and the whole export, on an open store."""
    writes, exports = [], []
    with Store.open(path) as store:
        period = store.default_period()
        leader = store.project().leader
        item = store.installations()[len(store.installations()) // 2]
        metric = store.metrics(item.id)[0]
        for number in range(max(repeats, 10)):
            gc.collect()
            start = time.perf_counter()
            store.set_value(leader, item.id, metric.id, period, str(2000 + number))
            writes.append(since(start))
        for _ in range(max(1, min(repeats, 3))):
            gc.collect()
            start = time.perf_counter()
            render_report(store, period)
            exports.append(since(start) / 1000)
    return {"store_write_ms": statistics.median(writes), "export_s": statistics.median(exports)}


def megabyte_assessment() -> str:
    """About ``MEGABYTE`` characters of ordinary markdown: paragraphs with emphasis, a link and
    code, and a heading before every twentieth."""
    parts, size = [], 0
    while size < MEGABYTE:
        number = len(parts) + 1
        heading = f"## Part {number // 20 + 1}\n\n" if number % 20 == 1 else ""
        parts.append(heading + PARAGRAPH.format(n=1000 * number))
        size += len(parts[-1])
    return "".join(parts)


def measure_big_assessment(size: int, repeats: int, folder: Path) -> float:
    """The full export (s) of a synthetic store of ``size`` installations whose first
    installation has a 1 MB assessment for the default period."""
    path = make_store(folder / f"synthetic-{size}-1mb.db", size)
    with Store.open(path) as store:
        period = store.default_period()
        item = store.installations()[0].id
    # Written past the store's checks, which refuse an assessment over 100,000 characters, as
    # a store filled by an older or hand-edited copy may hold it: the export copes with any size.
    with sqlite3.connect(path) as conn:
        conn.execute(
            "insert or replace into assessments (installation, site, period, assessment,"
            " updated_by, updated_at) values (?, '', ?, ?, 'LEAD', '2025-01-01T00:00:00Z')",
            [item, period, megabyte_assessment()],
        )
    conn.close()
    runs = []
    with Store.open(path) as store:
        for _ in range(max(1, min(repeats, 3))):
            gc.collect()
            start = time.perf_counter()
            render_report(store, period)
            runs.append(since(start) / 1000)
    return statistics.median(runs)


def process_env(folder: Path) -> dict[str, str]:
    """The environment of a vatui process as after a normal install: bytecode cached (in
    ``folder``, so that the checkout is left as it was), and a config folder of its own."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {
        "PYTHONPYCACHEPREFIX": str(folder / "bytecode"),
        "XDG_CONFIG_HOME": str(folder / "config"),
    }
    env.pop("VATUI_CONFIG", None)
    return env


def measure_set_cli(paths: dict[int, Path], folder: Path, repeats: int) -> dict[int, float]:
    """One ``vatui set`` process on the store of each size (ms): a script's write costs the
    same whatever the size of the store, when it reads only the installation it names.

    The sizes take turns in each round, so that the machine's drift during the call does not
    become their ratio; the first round writes the bytecode and is not counted.
    """
    env = process_env(folder)
    commands = {size: set_command(path) for size, path in paths.items()}
    runs: dict[int, list[float]] = {size: [] for size in paths}
    for repeat in range(max(repeats, 7) + 1):
        for size, command in commands.items():
            start = time.perf_counter()
            subprocess.run(
                [*command, str(3000 + repeat)], env=env, stdout=subprocess.DEVNULL, check=True
            )
            if repeat:
                runs[size].append(since(start))
    return {size: statistics.median(times) for size, times in runs.items()}


def set_command(path: Path) -> list[str]:
    """``vatui set`` of a metric of an installation half way down the store at ``path``,
    without its value."""
    with Store.open(path) as store:
        period = store.default_period()
        leader = store.project().leader
        item = store.installations()[len(store.installations()) // 2]
        metric = store.metrics(item.id)[0]
    command = [sys.executable, "-m", "vatui.cli", "set", "--db", str(path), "--as", leader]
    return command + ["--installation", item.id, "--metric", metric.id, "--period", period]


def measure_status_cli(path: Path, folder: Path, repeats: int) -> dict[str, float]:
    """``vatui status --json`` against ``python -c "import rich"``, as processes, alternately.

    Both run as after a normal install, their bytecode cached (in ``folder``, so that the
    checkout is left as it was) by a first run that is not counted, and with a config folder of
    their own, so that the user's settings do not count.
    """
    env = process_env(folder)
    status = [sys.executable, "-m", "vatui.cli", "status", "--db", str(path), "--json"]
    rich = [sys.executable, "-c", "import rich"]
    runs: dict[int, list[float]] = {0: [], 1: []}
    for repeat in range(max(repeats, 7) + 1):
        for which, command in enumerate((rich, status)):
            start = time.perf_counter()
            subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True)
            if repeat:  # the first run writes the bytecode
                runs[which].append(since(start))
    rich_ms, status_ms = statistics.median(runs[0]), statistics.median(runs[1])
    return {
        "status_cli_ms": status_ms,
        "rich_import_ms": rich_ms,
        "status_cli_ratio": status_ms / rich_ms,
    }


def measure(size: int, repeats: int, folder: Path) -> dict[str, float]:
    path = stores([size], folder)[size]
    figures = asyncio.run(measure_start(path, repeats))
    figures |= asyncio.run(measure_session(path, repeats))
    figures |= measure_store(path, repeats)
    figures |= measure_status_cli(path, folder, repeats)
    return figures


# ---- output ----------------------------------------------------------------------------------


def table(results: Results) -> Table:
    shown = Table(title=f"vatui benchmark: median of {results.repeats} (see README, Performance)")
    shown.add_column("figure")
    for size in results.sizes:
        shown.add_column(f"N = {size:,}", justify="right")
    shown.add_column(f"target (at N = {TARGET_SIZE:,})", justify="right")
    for name, label in FIGURES.items():
        cells = [_number(results.figures[name][size]) for size in results.sizes]
        shown.add_row(label, *cells, _verdict(results, name))
    for name, label in ONCE.items():
        blanks = [""] * (len(results.sizes) - 1)
        shown.add_row(label, _number(results.once[name]), *blanks, "")
    return shown


def _verdict(results: Results, name: str) -> str:
    """The target, and whether it is met where it applies (start-up: the smallest store)."""
    if name not in TARGETS:
        return ""
    limit, unit = TARGETS[name]
    size = min(results.sizes) if name == "status_cli_ratio" else TARGET_SIZE
    if size not in results.figures[name]:
        return f"≤ {limit:g} {unit}"
    met = results.figures[name][size] <= limit
    return f"≤ {limit:g} {unit} {'[green]met[/]' if met else '[red]missed[/]'}"


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.2f}"


def stores(sizes: list[int], folder: Path) -> dict[int, Path]:
    """A synthetic store of each size in ``folder``, made unless it is there already."""
    paths = {size: folder / f"synthetic-{size}.db" for size in sizes}
    for size, path in paths.items():
        if not path.exists():
            make_store(path, size)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(part) for part in text.split(",")],
        default=list(SIZES),
        help="comma-separated store sizes (default: 10,100,1000)",
    )
    parser.add_argument("--repeats", type=int, default=REPEATS, help="per figure (default: 5)")
    parser.add_argument(
        "--set-sizes",
        type=lambda text: [int(part) for part in text.split(",")],
        default=list(SET_SIZES),
        help="store sizes for the `vatui set` process (default: 10,10000)",
    )
    parser.add_argument(
        "--start-sizes",
        type=lambda text: [int(part) for part in text.split(",")],
        default=list(START_SIZES),
        help="store sizes for start to dashboard alone (default: 100,10000)",
    )
    args = parser.parse_args(argv)
    results = Results(args.sizes, args.repeats)
    with tempfile.TemporaryDirectory(prefix="vatui-bench-") as folder:
        for size in args.sizes:
            results.add(size, measure(size, args.repeats, Path(folder)))
        results.once["export_1mb_s"] = measure_big_assessment(
            min(args.sizes), args.repeats, Path(folder)
        )
        writes = measure_set_cli(stores(args.set_sizes, Path(folder)), Path(folder), args.repeats)
        starts = asyncio.run(measure_starts(stores(args.start_sizes, Path(folder)), args.repeats))
    ratio = writes[max(writes)] / writes[min(writes)]
    start_ratio = starts[max(starts)] / starts[min(starts)]
    if args.json:
        figures = {f"set_cli_ms_{size}": round(ms, 3) for size, ms in writes.items()}
        figures |= {f"start_ms_{size}": round(ms, 3) for size, ms in starts.items()}
        ratios = {"set_cli_ratio": round(ratio, 3), "start_ratio": round(start_ratio, 3)}
        print(json.dumps(results.as_json() | figures | ratios))
    else:
        Console().print(table(results))
        sizes = " vs ".join(f"{ms:.0f} ms at N = {size:,}" for size, ms in sorted(writes.items()))
        print(f"`vatui set` process: {sizes}; ratio {ratio:.2f} (target ≤ {SET_RATIO:g})")
        sizes = " vs ".join(f"{ms:.0f} ms at N = {size:,}" for size, ms in sorted(starts.items()))
        print(f"start → dashboard: {sizes}; ratio {start_ratio:.2f} (target ≤ {START_RATIO:g})")
        info = machine()
        print(f"{info['cpus']} × {info['cpu']}, Python {info['python']}, Textual {info['textual']}")


if __name__ == "__main__":
    main()
