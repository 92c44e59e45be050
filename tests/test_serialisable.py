"""Writers that queue behind one another each see what the one before wrote: every change's
old value is the previous change's new one, and an edit made against a version that has gone
is refused, whatever happened to the row in between."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from vatui.store import StaleEdit, Store

VALUE = ("uc5", "users", "M25-M36")
ROW = "/".join(VALUE)


def assert_one_chain(store: Store, row: str = ROW) -> list[str | None]:
    """Each recorded change of the value starts from what the one before it left."""
    changes = [c for c in reversed(store.history()) if c.row == row and c.field == "shown"]
    for before, after in zip(changes, changes[1:], strict=False):
        assert after.old == before.new, f"change {after.id} starts from {after.old!r}, " + (
            f"but change {before.id} left {before.new!r}"
        )
    return [change.new for change in changes]


def set_by_cli(path: Path, actor: str, figure: str) -> subprocess.Popen[str]:
    command = ["set", "--db", str(path), "--as", actor, "--installation", VALUE[0]]
    command += ["--metric", VALUE[1], "--period", VALUE[2], figure]
    return subprocess.Popen(
        [sys.executable, "-m", "vatui.cli", *command], stdout=subprocess.PIPE, text=True
    )


def test_two_commands_queued_behind_a_lock_record_one_chain(demo_path: Path) -> None:
    with Store.open(demo_path) as store:
        store.set_value("MARIS", *VALUE, "5")
    holder = sqlite3.connect(demo_path)
    holder.execute("BEGIN IMMEDIATE")
    writers = [set_by_cli(demo_path, "MARIS", "111"), set_by_cli(demo_path, "VLIZ", "222")]
    time.sleep(2)  # both have opened the store and wait for the lock
    holder.rollback()
    holder.close()
    assert [writer.wait(timeout=30) for writer in writers] == [0, 0]
    for writer in writers:
        assert writer.stdout is not None
        writer.stdout.close()
    with Store.open(demo_path) as store:
        chain = assert_one_chain(store)
        final = store.value(*VALUE)
    assert chain[0] == "5" and sorted(chain[1:]) == ["111", "222"]
    assert final is not None and final.shown == chain[-1]


def test_of_two_saves_of_one_loaded_version_only_one_succeeds(demo_path: Path) -> None:
    with Store.open(demo_path) as store:
        loaded = store.set_value("VLIZ", *VALUE, "5")
    holder = sqlite3.connect(demo_path)
    holder.execute("BEGIN IMMEDIATE")
    outcomes: list[str] = []

    def save(actor: str, figure: str) -> None:
        with Store.open(demo_path, busy_timeout=30) as store:
            try:
                store.set_value(actor, *VALUE, figure, expected_version=loaded.version)
                outcomes.append(f"saved {figure}")
            except StaleEdit as refusal:
                outcomes.append(f"refused: {refusal.by}")

    savers = [
        threading.Thread(target=save, args=("VLIZ", "6")),
        threading.Thread(target=save, args=("MARIS", "7")),
    ]
    for saver in savers:
        saver.start()
    time.sleep(1)
    holder.rollback()
    holder.close()
    for saver in savers:
        saver.join(timeout=30)
    assert len(outcomes) == 2 and sum(o.startswith("saved") for o in outcomes) == 1, outcomes
    with Store.open(demo_path) as store:
        chain = assert_one_chain(store)
    assert len(chain) == 2, "the refused save left a change in history"


def test_a_version_never_comes_back_after_the_value_is_cleared(demo_path: Path) -> None:
    """Clear, set, set: a form loaded before that must not save over the newer value."""
    with Store.open(demo_path) as mine, Store.open(demo_path) as theirs:
        mine.set_value("VLIZ", *VALUE, "4", note="loaded")
        loaded = mine.set_value("VLIZ", *VALUE, "5", note="loaded")
        theirs.clear_value("MARIS", *VALUE)
        first = theirs.set_value("MARIS", *VALUE, "8")
        second = theirs.set_value("MARIS", *VALUE, "9", note="MARIS's note")
        assert len({loaded.version, first.version, second.version}) == 3
        with pytest.raises(StaleEdit) as refused:
            mine.set_value("VLIZ", *VALUE, "6", note="", expected_version=loaded.version)
        assert "MARIS" in str(refused.value)
        now = mine.value(*VALUE)
        assert now is not None and (now.shown, now.note) == ("9", "MARIS's note")


def test_a_save_over_a_value_cleared_since_is_refused_naming_who_cleared_it(
    demo_path: Path,
) -> None:
    with Store.open(demo_path) as mine, Store.open(demo_path) as theirs:
        loaded = mine.set_value("VLIZ", *VALUE, "5")
        theirs.clear_value("MARIS", *VALUE)
        with pytest.raises(StaleEdit, match="MARIS") as refused:
            mine.set_value("VLIZ", *VALUE, "6", expected_version=loaded.version)
        assert "cleared" in str(refused.value)
        assert mine.value(*VALUE) is None
