"""The command line as scripts and users meet it: exit codes, messages, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from vatui.store import Store

from tests.cli_helpers import run, snapshot
from vatui.cli import main


def test_init_demo_then_status_json_shows_the_seed_lights(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "x.db")
    assert run(capsys, "init", "--demo", "--db", db)[0] == 0
    code, out, _ = run(capsys, "status", "--db", db, "--period", "M13-M24", "--json")
    assert code == 0
    rows = json.loads(out)
    assert {"installation", "site", "metric", "baseline", "value", "light"} <= set(rows[0])
    uc5 = [row for row in rows if row["installation"] == "uc5"]
    assert [row["light"] for row in uc5] == ["green"] * 4
    images = next(
        row
        for row in rows
        if row["installation"] == "uc1" and row["metric"] == "Number of images processed per year"
    )
    assert (images["baseline"], images["value"], images["light"]) == (1500, 1, "red")
    assert (images["baseline_display"], images["display"], images["period"]) == (
        "1500",
        "1",
        "M13-M24",
    )
    obsea = [row for row in rows if row["site"] == "obsea"]
    assert len(obsea) == 4


def test_status_into_a_pipe_prints_a_line_per_metric(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "status", "--db", str(demo_path))
    assert code == 0
    header, *lines = out.splitlines()
    assert header.split("\t")[:3] == ["period", "installation", "installation_name"]
    flowcam = [line.split("\t") for line in lines if "\tuc5\t" in line]
    assert len(flowcam) == 4  # the latest period with values
    assert {row[0] for row in flowcam} == {"M13-M24"}
    assert {row[2] for row in flowcam} == {"Flowcam phytoplankton identification"}


def test_set_writes_one_value_for_scripts(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "set", "--db", str(demo_path), "--as", "VLIZ", "--installation", "uc5",
        "--metric", "Number of images processed per year", "--period", "M25-M36", "150000",
    )  # fmt: skip
    assert code == 0
    assert "150,000" in out and "amber" in out
    with Store.open(demo_path) as store:
        value = store.value("uc5", "images-processed", "M25-M36")
        assert value is not None and value.number == 150000 and value.updated_by == "VLIZ"


def test_the_identity_can_come_from_the_environment(
    demo_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VATUI_DB", str(demo_path))
    monkeypatch.setenv("VATUI_AS", "VLIZ")
    code, _, err = run(capsys, "set", "--installation", "uc5", "--metric", "users",
                       "--period", "M25-M36", "6")  # fmt: skip
    assert code == 0, err


BAD_INPUTS = [
    (["--as", "VLIZ", "--metric", "users", "seven"], "'seven' is not accepted"),
    (["--as", "VLIZ", "--metric", "users", "--", "-4"], "negative"),
    (["--as", "VLIZ", "--metric", "countries", "1.5x"], "not accepted"),
    (["--as", "VLIZ", "--metric", "users", "--period", "M37-M48", "4"], "unknown period"),
    (["--as", "VLIZ", "--metric", "satisfaction", "4"], "unknown metric"),
    (["--as", "VLIZ", "--metric", "users", "--period", "autumn", "4"], "M13-M24"),
    (["--as", "DFKI", "--metric", "users", "4"], "DFKI may not"),
    (["--metric", "users", "4"], "--as ORG"),
]


@pytest.mark.parametrize(("args", "message"), BAD_INPUTS)
def test_bad_input_is_refused_plainly_and_changes_nothing(
    demo_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    before = snapshot(demo_path)
    argv = ["set", "--db", str(demo_path), "--installation", "uc5"]
    if "--period" not in args:
        argv += ["--period", "M25-M36"]
    code, _, err = run(capsys, *argv, *args)
    assert code != 0
    assert message in " ".join(err.split())
    assert "Traceback" not in err
    assert snapshot(demo_path) == before


def test_an_unknown_country_gets_suggestions(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "set", "--db", str(demo_path), "--as", "DFKI",
                       "--installation", "uc1", "--metric", "country-names",
                       "--period", "M25-M36", "Germany, Frnace")  # fmt: skip
    assert code == 1
    assert "Frnace" in err and "France" in err


def test_an_ambiguous_country_asks_which(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "set", "--db", str(demo_path), "--as", "SU",
                       "--installation", "uc2", "--metric", "country-names",
                       "--period", "M25-M36", "Japan, Korea")  # fmt: skip
    assert code == 1
    flat = " ".join(err.split())
    assert "KR" in flat and "KP" in flat


def test_missing_store_says_how_to_create_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "status", "--db", str(tmp_path / "none.db"))
    assert code == 1
    assert "vatui init" in err


def test_init_refuses_an_existing_store_unless_forced(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "init", "--demo", "--db", str(demo_path))[0] == 1
    assert run(capsys, "init", "--demo", "--db", str(demo_path), "--force")[0] == 0


def test_dump_init_dump_gives_the_same_file(
    tmp_path: Path, demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "first.toml"
    second = tmp_path / "second.toml"
    assert run(capsys, "dump", "--db", str(demo_path), "-o", str(first))[0] == 0
    assert run(capsys, "init", "--db", str(tmp_path / "copy.db"), "--from", str(first))[0] == 0
    assert run(capsys, "dump", "--db", str(tmp_path / "copy.db"), "-o", str(second))[0] == 0
    assert first.read_bytes() == second.read_bytes()
    assert "Flowcam phytoplankton identification" in first.read_text()


def test_a_broken_project_file_is_refused_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "p.toml"
    source.write_text('format = 1\n[project]\nname = "x\n')
    code, _, err = run(capsys, "init", "--db", str(tmp_path / "p.db"), "--from", str(source))
    assert code == 1
    assert "line 3" in err
    assert not (tmp_path / "p.db").exists()


def test_script_commands_do_not_import_textual(demo_path: Path) -> None:
    code = (
        "import sys; from vatui.cli import main;"
        f"main(['status', '--db', {str(demo_path)!r}, '--json']);"
        "sys.stderr.write(str(sorted(m for m in sys.modules if m.startswith('textual'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=os.environ.copy()
    )
    assert result.returncode == 0
    assert result.stderr == "[]"


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("vatui ")
    for command in ("init", "status", "set", "dump", "demo"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert "usage: vatui" in capsys.readouterr().out


def test_a_metric_name_shared_by_sites_is_refused_listing_their_ids(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shared = "Number of countries of users"  # each of UC3's three sites has one
    command = ["set", "--db", str(demo_path), "--as", "MARIS", "--installation", "uc3",
               "--metric", shared, "--period", "M25-M36"]  # fmt: skip
    code, _, err = run(capsys, *command, "3")
    assert code == 1
    assert "obsea-countries (site obsea), azores-countries (site azores)" in " ".join(err.split())
    with Store.open(demo_path) as store:
        assert not store.values(installation="uc3", period="M25-M36")
    code, out, _ = run(capsys, *command, "--site", "Azores", "3")
    assert code == 0 and f"{shared} at site azores (M25-M36) = 3" in " ".join(out.split())
    with Store.open(demo_path) as store:
        assert [v.metric for v in store.values(installation="uc3", period="M25-M36")] == [
            "azores-countries"
        ]
