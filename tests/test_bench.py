"""The benchmark runs and reports every figure the README's Performance section quotes.

Not a measure of speed: on the smallest store, once, it only proves that the command works.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).parent.parent / "benchmarks" / "bench.py"
TARGETED = [
    "dashboard_ratio_10",
    "period_switch_ms_10",
    "first_open_ms_10",
    "open_installation_ms_10",
    "tui_write_ms_10",
    "store_write_ms_10",
    "export_s_10",
    "export_1mb_s",
    "status_cli_ratio",
    "set_cli_ms_20",
    "set_cli_ratio",
    "start_ms_20",
    "start_ratio",
]


def test_the_benchmark_reports_each_figure_on_a_small_store() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--sizes", "10", "--set-sizes", "10,20", "--repeats", "1"]
        + ["--start-sizes", "10,20"]
        + ["--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    for key in TARGETED:
        assert figures[key] > 0, key
    assert figures["sizes"] == [10]
    assert figures["machine"]["cpus"] >= 1
