"""The store file itself through the CLI: missing, foreign, damaged, read-only, newer."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from tests.cli_helpers import run as run_cli


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """Exit code and standard error, on one line (the console wraps long messages)."""
    code, _, err = run_cli(capsys, *argv)
    return code, " ".join(err.split())


def checkpointed(path: Path) -> Path:
    """Fold the write-ahead log into the file, so its bytes are the whole store."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


def test_missing_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(capsys, "status", "--db", str(tmp_path / "wp5.db"))
    assert code == 1
    assert "no store at" in err and "vatui init --db" in err
    assert not (tmp_path / "wp5.db").exists()


def test_not_a_sqlite_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(b"PK\x03\x04 a word document")
    code, err = run(capsys, "status", "--db", str(path))
    assert code == 1 and "not an SQLite database" in err
    assert path.read_bytes() == b"PK\x03\x04 a word document"


@pytest.mark.parametrize(("start", "length"), [(18, 200), (4096 * 2, 4096 * 4)])
def test_a_damaged_store_is_reported_without_a_traceback(
    demo_path: Path, capsys: pytest.CaptureFixture[str], start: int, length: int
) -> None:
    """Damage to the header, then to the tables themselves."""
    data = bytearray(checkpointed(demo_path).read_bytes())
    data[start : start + length] = b"\xff" * length
    demo_path.write_bytes(bytes(data))
    code, err = run(capsys, "status", "--db", str(demo_path), "--period", "M13-M24")
    assert code == 1
    assert "damaged" in err or "cannot open" in err
    assert "Traceback" not in err
    assert demo_path.read_bytes() == bytes(data)


def test_a_read_only_store_is_read_and_writes_are_refused(
    demo_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = checkpointed(demo_path).read_bytes()
    real_access = os.access

    def no_write(path: object, mode: int, **kwargs: object) -> bool:
        return False if mode & os.W_OK else real_access(path, mode, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", no_write)
    assert run(capsys, "status", "--db", str(demo_path))[0] == 0
    code, err = run(capsys, "set", "--db", str(demo_path), "--as", "VLIZ", "--installation",
                    "uc5", "--metric", "users", "--period", "M25-M36", "3")  # fmt: skip
    assert code == 1 and "read-only" in err
    assert demo_path.read_bytes() == before


def test_a_store_from_a_newer_vatui_is_refused_unchanged(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(demo_path) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('vatui', 'm999_future', '2031-01-01')"
        )
    conn.close()
    before = checkpointed(demo_path).read_bytes()
    code, err = run(capsys, "status", "--db", str(demo_path))
    assert code == 1 and "newer vatui" in err and "Nothing was changed" in err
    assert demo_path.read_bytes() == before


def test_a_store_from_an_older_vatui_is_backed_up_then_upgraded(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(demo_path) as conn:
        conn.execute("DROP TABLE reviews")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm002_reviews'")
    conn.close()
    old = checkpointed(demo_path).read_bytes()
    code, err = run(capsys, "status", "--db", str(demo_path))
    assert code == 0
    assert "upgraded" in err
    (backup,) = demo_path.parent.glob("*.m001_initial.bak")
    assert str(backup) in err
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT count(*) FROM installations").fetchone()[0] == 5
        assert "reviews" not in {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert backup.read_bytes()[:16] == old[:16]
    assert run(capsys, "review", "show", "--db", str(demo_path), "--period", "M13-M24")[0] == 0
