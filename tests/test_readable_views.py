"""The store read without vatui: the views of schema step m008 (names instead of ids, a value in
one column, the target a light is judged against) and the Datasette metadata describing every
table and column."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from vatui.store import Metric, Store

from tests.cli_helpers import run


def query(path: Path, sql: str) -> list[dict[str, object]]:
    with sqlite3.connect(path) as conn:
        conn.row_factory = sqlite3.Row
        rows = [dict(row) for row in conn.execute(sql)]
    conn.close()
    return rows


def test_sqlite_utils_shows_readable_rows_with_periods_and_values(demo_path: Path) -> None:
    sql = "select * from installation_metric_values where installation like 'Flowcam%'"
    done = subprocess.run(
        [sys.executable, "-m", "sqlite_utils", "query", str(demo_path), sql],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = json.loads(done.stdout)
    assert [(r["metric"], r["period"], r["value"]) for r in rows] == [
        ("Number of unique users of the AI image processing service", "M13-M24", 7),
        ("Number of images processed per year", "M13-M24", 2075958),
        ("Number of images ingested", "M13-M24", 2075958),
        ("Number of countries of users", "M13-M24", 7),
    ]
    images = rows[1]
    assert (images["baseline"], images["target"], images["review"]) == (300000, 300000, "accepted")
    assert images["updated_by"] == "MARIS" and images["updated_at"]
    assert images["display"] == "2,075,958" and "1,865,953 (M13-M18)" in str(images["note"])


def test_countries_are_iso_codes_and_sites_are_named(demo_path: Path) -> None:
    rows = query(demo_path, "select * from installation_metric_values where period = 'M13-M24'")
    reached = next(
        r for r in rows if r["installation_id"] == "uc1" and r["metric_id"] == "country-names"
    )
    assert (reached["value"], reached["countries_count"], reached["display"]) == (
        "IT",
        1,
        "1 (Italy)",
    )
    assert reached["baseline"] == "DE, SK, BA, VN, KH, PH, MM"
    assert {r["site"] for r in rows if r["installation_id"] == "uc3"} == {
        "OBSEA",
        "Azores",
        "SmartBay",
    }


def test_the_target_is_the_one_the_lights_are_judged_against(demo: Store, demo_path: Path) -> None:
    """Every value's target in the view is ``store/lights.py``'s, in every period: a period of
    six months pro-rates a yearly baseline; an open list of countries takes its stated target;
    a text metric has none."""
    demo.add_period("MARIS", "M37-M42")
    for metric in demo.metrics("uc2"):
        value = "France, Spain" if metric.kind == "countries" else "12"
        demo.set_value("MARIS", "uc2", metric.id, "M37-M42", value)
    demo.add_metric("MARIS", Metric("remarks", "uc5", "Remarks", kind="text"))
    demo.set_value("VLIZ", "uc5", "remarks", "M37-M42", "all well")
    expected = {
        (item.metric.installation, item.metric.id, period.label): item.target
        for period in demo.periods()
        for row in demo.status(period.label)
        for item in row.metrics
        if item.value is not None
    }
    found = {
        (r["installation_id"], r["metric_id"], r["period"]): r["target"]
        for r in query(demo_path, "select * from installation_metric_values")
    }
    assert found == pytest.approx(expected)
    assert expected["uc2", "scans-processed", "M37-M42"] == pytest.approx(
        5000
    )  # ~10000 / y, 6 months
    assert expected["uc2", "country-names", "M37-M42"] == 30  # "... etc": stated
    assert expected["uc5", "remarks", "M37-M42"] is None


def test_installations_with_their_providers_one_a_row(demo_path: Path) -> None:
    rows = query(demo_path, "select installation_id, provider, stage from installation_providers")
    assert [r["provider"] for r in rows if r["installation_id"] == "uc1"] == [
        "DFKI",
        "MARIS",
        "OGS",
    ]
    assert {r["stage"] for r in rows if r["installation_id"] == "uc5"} == {"operational"}


def test_a_store_from_before_the_views_gets_them_when_opened(demo_path: Path) -> None:
    with sqlite3.connect(demo_path) as conn:
        conn.execute("drop view installation_metric_values")
        conn.execute("drop view installation_providers")
        conn.execute("delete from _sqlite_migrations where name = 'm008_readable_views'")
    conn.close()
    Store.open(demo_path).close()
    assert query(demo_path, "select count(*) as n from installation_providers") == [{"n": 10}]


def test_the_metadata_describes_every_table_view_and_column(
    demo_path: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "metadata.json"
    assert run(capsys, "metadata", "--db", str(demo_path), "-o", str(out))[0] == 0
    metadata = json.loads(out.read_text())
    assert metadata["title"].startswith("iMagine")
    tables = metadata["databases"][demo_path.stem]["tables"]
    names = [
        r["name"]
        for r in query(demo_path, "select name from sqlite_master where type in ('table', 'view')")
    ]
    for name in names:
        columns = [r["name"] for r in query(demo_path, f"pragma table_info({name})")]
        assert tables[name]["description"], name
        assert sorted(tables[name]["columns"]) == sorted(columns), name
    assert tables["version_counter"]["hidden"] is True
