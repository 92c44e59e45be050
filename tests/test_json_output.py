"""`--json` on every read command, and `vatui status --format csv|tsv`: typed values (numbers as
numbers, countries as ISO codes) with their `display`, and the period on every row about one,
as docs/json.md documents them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.cli_helpers import run


def read_json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return json.loads(out)


def test_status_values_are_typed_with_their_display(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = read_json(capsys, "status", "--db", str(demo_path), "--period", "M13-M24", "--json")
    assert isinstance(rows, list) and all(row["period"] == "M13-M24" for row in rows)
    by_metric = {(row["installation"], row["metric_id"]): row for row in rows}
    images = by_metric["uc5", "images-processed"]
    assert (images["value"], images["display"]) == (2075958, "2,075,958")
    assert (images["baseline"], images["baseline_display"]) == (300000, "300,000")
    assert images["installation_name"] == "Flowcam phytoplankton identification"
    assert images["updated_by"] and images["updated_at"]
    countries = by_metric["uc1", "country-names"]
    assert (countries["value"], countries["display"]) == (["IT"], "1 (Italy)")
    assert countries["baseline"] == ["DE", "SK", "BA", "VN", "KH", "PH", "MM"]
    assert countries["target"] == 7


def test_status_as_csv_and_tsv_for_spreadsheets(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["status", "--db", str(demo_path), "--period", "M13-M24", "--format"]
    code, out, _ = run(capsys, *argv, "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    images = next(
        r for r in rows if r["installation"] == "uc5" and r["metric_id"] == "images-processed"
    )
    assert (images["value"], images["display"], images["light"]) == (
        "2075958",
        "2,075,958",
        "green",
    )
    countries = next(
        r for r in rows if r["metric_id"] == "country-names" and r["installation"] == "uc1"
    )
    assert countries["value"] == "IT"
    code, out, _ = run(capsys, *argv, "tsv")
    assert code == 0
    tsv = list(csv.DictReader(io.StringIO(out), delimiter="\t"))
    assert [dict(row) for row in tsv] == [dict(row) for row in rows]


def test_history_rows_say_their_period(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(demo_path)]
    assert run(capsys, "set", *db, "--as", "VLIZ", "--installation", "uc5", "--metric", "users",
               "--period", "M25-M36", "9")[0] == 0  # fmt: skip
    assert run(capsys, "project", "rename", *db, "--as", "MARIS", "iMagine II")[0] == 0
    changes = read_json(capsys, "history", *db, "--json")
    assert isinstance(changes, list)
    value = next(c for c in changes if c["table"] == "metric_values")
    assert (value["period"], value["new"], value["actor"]) == ("M25-M36", "9", "VLIZ")
    renamed = next(c for c in changes if c["table"] == "project")
    assert renamed["period"] is None and renamed["new"] == "iMagine II"


def test_review_show_as_json(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(demo_path), "--period", "M25-M36"]
    assert run(capsys, "review", "submit", *db, "--as", "VLIZ", "--installation", "uc5")[0] == 0
    thread = read_json(capsys, "review", "show", *db, "--installation", "uc5", "--json")
    assert isinstance(thread, list)
    assert [(e["period"], e["action"], e["state"], e["actor"]) for e in thread] == [
        ("M25-M36", "submit", "submitted", "VLIZ")
    ]
    states = read_json(capsys, "review", "show", *db, "--json")
    assert {"installation": "uc5", "period": "M25-M36", "state": "submitted"} in states  # type: ignore[operator]


def test_roster_config_and_periods_as_json(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(demo_path)]
    assert run(capsys, "roster", "set", *db, "--as", "MARIS", "root", "MARIS")[0] == 0
    roster = read_json(capsys, "roster", "show", *db, "--json")
    assert roster["roster"][0] == {"login": "root", "organisation": "MARIS", "role": "leader"}  # type: ignore[index]
    assert set(roster["you"]) == {"login", "organisation", "reason"}  # type: ignore[index]
    settings = read_json(capsys, "config", "show", "--json")
    by_key = {item["key"]: item for item in settings}  # type: ignore[union-attr]
    assert by_key["identity"]["value"] is None and by_key["light_style"]["value"] == "emoji"
    periods = read_json(capsys, "period", "list", *db, "--json")
    assert [p["period"] for p in periods] == ["M1-M12", "M13-M24", "M25-M36"]  # type: ignore[union-attr]


def test_changes_since_issue_as_json_say_their_period(
    demo_path: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = ["--db", str(demo_path), "--period", "M13-M24"]
    assert (
        run(capsys, "export", *db, "--as", "MARIS", "--final", "-o", str(tmp_path / "c.md"))[0] == 0
    )
    assert run(capsys, "review", "reopen", *db, "--as", "MARIS", "--installation", "uc5")[0] == 0
    assert run(capsys, "set", "--db", str(demo_path), "--as", "MARIS", "--installation", "uc5",
               "--metric", "users", "--period", "M13-M24", "8")[0] == 0  # fmt: skip
    changes = read_json(capsys, "export", *db, "--changes", "--json")
    assert any(c["period"] == "M13-M24" and c["new"] == "8" for c in changes)  # type: ignore[union-attr]


def test_two_formats_at_once_are_refused(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "status", "--db", str(demo_path), "--json", "--format", "csv")
    assert code == 1 and out == ""
    assert "--json and --format csv ask for two formats" in err
