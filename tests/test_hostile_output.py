"""What a store holds never acts on the terminal of whoever reads it: every read command shows
stored text with its markup escaped and its control characters as visible escapes, and none
fails, even on a store that an older or hand-edited copy filled with hostile text."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from vatui.store import Metric, Store
from vatui.store.projectfile import create_store, demo_text, read_project_file
from vatui.store.text import CONTROL

from tests.test_failures import run

PIECES = ["\x1b]52;c;cm0gLXJmIH4=\x07", "\x1b]2;pwned\x07", "\x1b[2J", "\x9b31m", "\x90q",
          "\x07", "\x00", "\x7f", "\u202e", "\u2066", "[/]", "[bold]", "[link=https://x]l[/link]",
          "[@click=app.quit]q[/]", "\\", "%s", "{0}", "é", "漢"]  # fmt: skip
hostile = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), min_size=1, max_size=6
).map("".join)

READS = [
    ["status", "--period", "M25-M36"],
    ["status", "--period", "M25-M36", "--json"],
    ["status", "--period", "M25-M36", "--format", "csv"],
    ["status", "--period", "M25-M36", "--format", "tsv"],
    ["review", "show", "--installation", "uc5", "--period", "M25-M36", "--json"],
    ["roster", "show", "--json"],
    ["metadata"],
    ["history"],
    ["history", "--json"],
    ["review", "show", "--installation", "uc5", "--period", "M25-M36"],
    ["roster", "show"],
    ["export", "--period", "M25-M36"],
    ["submission", "template", "--installation", "uc5", "--period", "M25-M36"],
    ["dump"],
    ["check"],
]


@pytest.fixture(scope="module")
def clean_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "clean.db"
    create_store(path, read_project_file(demo_text(), "demo")).close()
    return path


def fill_with(path: Path, text: str) -> None:
    """``text`` written straight into every kind of text the store holds, past its checks."""
    with sqlite3.connect(path) as conn:
        conn.execute("update installations set name = ?, location = ? where id = 'uc5'",
                     [f"Flowcam {text}", text])  # fmt: skip
        conn.execute("update metrics set name = ? where installation = 'uc5' and id = 'users'",
                     [f"Users {text}"])  # fmt: skip
        conn.execute(
            "insert into metric_values (installation, metric, period, number, note, updated_by,"
            " updated_at) values ('uc5', 'users', 'M25-M36', 4, ?, ?, '2025-01-01T00:00:00Z')",
            [text, f"VLIZ{text}"],
        )
        conn.execute(
            "insert into assessments (installation, site, period, assessment, delay, planning,"
            " updated_by, updated_at) values ('uc5', '', 'M25-M36', ?, ?, ?, 'VLIZ', '')",
            [f"# {text}\n\n{text}", text, text],
        )
        conn.execute(
            "insert into delays (installation, recorded, reason, author) values"
            " ('uc5', '2025-01-02', ?, 'VLIZ')",
            [text],
        )
        conn.execute(
            "insert into reviews (installation, period, action, state, actor, at, comment) values"
            " ('uc5', 'M25-M36', 'comment', 'draft', 'VLIZ', '2025-01-03T00:00:00Z', ?)",
            [text],
        )
        conn.execute("update milestones set title = ?, note = ?", [f"M {text}", text])
        conn.execute(
            "insert into history (at, actor, table_name, row_key, field, old, new, installation,"
            " source) values ('2025-01-01T00:00:00Z', 'VLIZ', 'metric_values',"
            " 'uc5/users/M25-M36', 'shown', ?, '4', 'uc5', ?)",
            [text, text],
        )
        conn.execute("insert into roster values (?, 'VLIZ', 'provider')", [f"x{len(text)}"])
    conn.close()


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=hostile)
def test_no_read_command_lets_stored_text_act_on_the_terminal(
    clean_demo: Path, tmp_path: Path, text: str
) -> None:
    path = tmp_path / f"hostile-{abs(hash(text))}.db"
    shutil.copy(clean_demo, path)
    fill_with(path, text)
    for command in READS:
        code, output = run([*command, "--db", str(path)], flat=False)
        assert code == 0, (command, output)
        assert not CONTROL.search(output.replace("\n", "").replace("\t", "")), (command, output)
        if "--json" in command:
            json.loads(output)


def test_markup_in_a_name_is_shown_not_read(clean_demo: Path, tmp_path: Path) -> None:
    path = tmp_path / "markup.db"
    shutil.copy(clean_demo, path)
    fill_with(path, "[/] x")
    code, output = run(["status", "--db", str(path), "--period", "M25-M36"])
    assert code == 0 and "Flowcam [/] x" in output


def test_markup_in_what_a_command_writes_is_shown_and_the_command_succeeds(
    clean_demo: Path, tmp_path: Path
) -> None:
    """`done [/]` as a text value, and a project named `iMagine [/]`: both are written, and
    the command that wrote them says so instead of failing half-way."""
    path = tmp_path / "markup.db"
    shutil.copy(clean_demo, path)
    with Store.open(path) as store:
        store.add_metric("MARIS", Metric("remarks", "uc5", "Remarks [b]", kind="text"))
    code, output = run(["set", "--db", str(path), "--as", "VLIZ", "--installation", "uc5",
                        "--metric", "remarks", "--period", "M25-M36", "done [/]"])  # fmt: skip
    assert code == 0 and "Remarks [b] (M25-M36) = done [/]" in output
    project = tmp_path / "p.toml"
    project.write_text(demo_text().replace('name = "iMagine"', 'name = "iMagine [/]"', 1))
    code, output = run(["init", "--db", str(tmp_path / "new.db"), "--from", str(project)])
    assert code == 0 and "iMagine [/]" in output
