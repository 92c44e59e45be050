"""Output into a pipe is for other programs: no boxes, nothing wrapped, one line per row, and
messages on one line; on a terminal the tables stay as they were."""

from __future__ import annotations

import os
import pty
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_helpers import run

BOXES = set("│┃━─┏┓┗┛┡┩└┘╇")
LONG_NAME = "Flowcam phytoplankton identification " + "with a very long name " * 8


def rename_uc5(path: Path, name: str) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("update installations set name = ? where id = 'uc5'", [name])
    conn.close()


def test_status_into_a_pipe_is_a_line_per_metric_row_uncut(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rename_uc5(demo_path, LONG_NAME.strip())
    code, out, _ = run(capsys, "status", "--db", str(demo_path), "--period", "M13-M24")
    assert code == 0 and not BOXES & set(out)
    header, *lines = out.splitlines()
    assert len(lines) == 30  # the demo's metrics
    assert {line.count("\t") for line in lines} == {header.count("\t")}
    uc5 = [line for line in lines if "\tuc5\t" in line]
    assert len(uc5) == 4 and all(LONG_NAME.strip() in line for line in uc5)


def test_a_table_into_a_pipe_is_tab_separated_with_texts_on_one_line(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    note = "first line\nsecond line, " + "long " * 30
    assert run(capsys, "set", "--db", str(demo_path), "--as", "VLIZ", "--installation", "uc5",
               "--metric", "users", "--period", "M25-M36", "9", "--note", note)[0] == 0  # fmt: skip
    code, out, _ = run(capsys, "history", "--db", str(demo_path))
    assert code == 0 and not BOXES & set(out)
    header, *lines = out.splitlines()
    assert header.split("\t") == ["#", "when", "who", "what", "field", "old", "new"]
    noted = next(line for line in lines if "\tnote\t" in line)
    assert noted.endswith("\t" + " ".join(note.split()))  # whole, on its one line


def test_messages_into_a_pipe_are_not_wrapped(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "set", "--db", str(demo_path), "--as", "VLIZ", "--installation",
                       "uc5", "--metric", "users", "--period", "M25-M36", "seven")  # fmt: skip
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and len(err) > 100


def test_tables_on_a_terminal_keep_their_boxes(demo_path: Path) -> None:
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "vatui.cli", "status", "--db", str(demo_path)],
        stdin=follower,
        stdout=follower,
        stderr=subprocess.DEVNULL,
        env=os.environ | {"COLUMNS": "120", "LINES": "40"},
    )
    os.close(follower)
    shown = b""
    while True:  # read as it is written: a terminal holds only a few kilobytes
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the program ended and closed its end of the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert process.wait(timeout=60) == 0
    text = shown.decode()
    assert "Installations, M13-M24" in text and BOXES & set(text)
