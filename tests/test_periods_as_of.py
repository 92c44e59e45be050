"""Each period judged as of its own cut-off: a whole next-period round, run as a WP leader and
the providers would through the command line, changes nothing of the period before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_helpers import run

GOLDEN = Path(__file__).parent / "golden" / "demo-M13-M24.md"

# The M25-M36 figures each provider enters: (organisation, installation, metric, value).
ROUND = [
    ("DFKI", "uc1", "users", "14"),
    ("SU", "uc2", "users", "120"),
    ("CMCC", "uc4", "users", "40"),
    ("VLIZ", "uc5", "users", "9"),
    ("VLIZ", "uc5", "images-processed", "2,400,000"),
]


def export(capsys: pytest.CaptureFixture[str], db: str, period: str, *more: str) -> str:
    code, out, err = run(capsys, "export", "--db", db, "--period", period, *more)
    assert code == 0, err
    return out


def status(capsys: pytest.CaptureFixture[str], db: str, period: str) -> dict[str, dict]:
    """Each installation's first status row for the period, by id."""
    code, out, err = run(capsys, "status", "--db", db, "--period", period, "--json")
    assert code == 0, err
    rows: dict[str, dict] = {}
    for row in json.loads(out):
        rows.setdefault(row["installation"], row)
    return rows


def next_round(capsys: pytest.CaptureFixture[str], db: str) -> None:
    """The M25-M36 round: values, two stage changes, M5.4 achieved, and a review of UC5 that
    is returned once before it is accepted."""
    for org, installation, metric, value in ROUND:
        args = ("--installation", installation, "--metric", metric, "--period", "M25-M36")
        assert run(capsys, "set", "--db", db, "--as", org, *args, value)[0] == 0
    for org, installation in (("SU", "uc2"), ("CMCC", "uc4")):
        code, _, err = run(
            capsys, "stage", "--db", db, "--as", org, "--installation", installation,
            "operational", "--on", "2024-12-16",
        )  # fmt: skip
        assert code == 0, err
    code, _, err = run(
        capsys, "milestone", "achieve", "--db", db, "--as", "MARIS", "M5.4", "--on", "2024-12-16"
    )
    assert code == 0, err
    review = ("--db", db, "--installation", "uc5", "--period", "M25-M36")
    for org, action, *comment in (
        ("VLIZ", "submit"),
        ("MARIS", "return", "--comment", "Please split the images by month."),
        ("VLIZ", "submit"),
        ("MARIS", "accept"),
    ):
        code, _, err = run(capsys, "review", action, "--as", org, *review, *comment)
        assert code == 0, err


def test_the_previous_periods_chapter_is_byte_identical_after_a_whole_next_round(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(demo_path)
    before = export(capsys, db, "M13-M24")
    assert before == GOLDEN.read_text(encoding="utf-8")
    export(capsys, db, "M13-M24", "--final", "--as", "MARIS")
    next_round(capsys, db)
    assert export(capsys, db, "M13-M24") == before
    assert export(capsys, db, "M13-M24", "--issued") == before
    assert "0 recorded change(s) since then" in export(capsys, db, "M13-M24", "--changes")


def test_after_the_round_each_period_shows_the_stages_of_its_own_cut_off(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(demo_path)
    next_round(capsys, db)
    later, issued, first = (status(capsys, db, p) for p in ("M25-M36", "M13-M24", "M1-M12"))
    for ident in ("uc2", "uc4"):
        assert (later[ident]["deployment"], later[ident]["stage"]) == ("green", "operational")
        assert issued[ident]["deployment"] != "green"
        assert issued[ident]["stage"] == "in development"
    assert {row["overall"] for row in first.values()} == {"grey"}  # M1-M12 has no figures
    assert first["uc5"]["stage"] == "in development"  # production came on 2024-07-12
    assert all(row["period"] == "M25-M36" for row in later.values())


def test_the_milestone_achieved_after_the_cut_off_is_not_achieved_in_that_period(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(demo_path)
    next_round(capsys, db)
    milestones = export(capsys, db, "M25-M36", "--sections", "milestones")
    assert "| achieved 2024-12-16 | " in milestones and "🟢 green" in milestones
    earlier = export(capsys, db, "M13-M24", "--sections", "milestones")
    assert "achieved" not in earlier.split("| M5.4 |")[1].split("|")[4]
    assert "🔴 red" in earlier


def test_a_change_to_the_periods_own_figures_after_issue_is_listed(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(demo_path)
    issued = export(capsys, db, "M13-M24", "--final", "--as", "MARIS")
    args = ("--installation", "uc5", "--metric", "users", "--period", "M13-M24")
    assert run(capsys, "set", "--db", db, "--as", "MARIS", *args, "8")[0] == 0
    now = export(capsys, db, "M13-M24")
    assert now != issued and export(capsys, db, "M13-M24", "--issued") == issued
    listed = export(capsys, db, "M13-M24", "--changes")
    assert "1 recorded change(s)" in listed and "uc5/users/M13-M24 shown: '7' -> '8'" in listed
