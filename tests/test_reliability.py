"""Two writers and killed processes: never a silent overwrite, never half a write."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from vatui.store import StaleEdit, Store, StoreError

from tests.test_serialisable import assert_one_chain

UC5_METRICS = ("users", "images-processed", "images-ingested", "countries")

# A writer that never stops: it sets all four UC5 values to the same number, in turn through
# one transaction of single writes and through the import of a submission file.
WRITER = """
import sys
from vatui.store import Store
from vatui.store.submissions import apply_submission, read_submission
store = Store.open(sys.argv[1])
n = int(sys.argv[2])
print("ready", flush=True)
while True:
    n += 1
    if n % 2:
        with store.transaction():
            for metric in {metrics!r}:
                store.set_value("VLIZ", "uc5", metric, "M25-M36", str(n))
    else:
        text = 'installation = "uc5"\\nperiod = "M25-M36"\\n' + "".join(
            f'[[metric]]\\nid = "{{metric}}"\\nvalue = "{{n}}"\\n' for metric in {metrics!r}
        )
        apply_submission(store, read_submission(store, "VLIZ", text, "kill.toml"))
"""


def test_an_edit_on_a_stale_version_is_refused_naming_the_other_writer(demo_path: Path) -> None:
    mine = Store.open(demo_path)
    theirs = Store.open(demo_path)
    mine.set_value("VLIZ", "uc5", "users", "M25-M36", "4")
    loaded = mine.value("uc5", "users", "M25-M36")
    assert loaded is not None
    theirs.set_value("MARIS", "uc5", "users", "M25-M36", "8")
    with pytest.raises(StaleEdit) as refused:
        mine.set_value("VLIZ", "uc5", "users", "M25-M36", "9", expected_version=loaded.version)
    assert "MARIS" in str(refused.value) and "'8'" in str(refused.value)
    assert mine.value("uc5", "users", "M25-M36").shown == "8"  # type: ignore[union-attr]
    mine.close()
    theirs.close()


def test_a_store_locked_by_another_process_is_reported_plainly(demo_path: Path) -> None:
    holder = sqlite3.connect(demo_path)
    holder.execute("BEGIN IMMEDIATE")
    store = Store.open(demo_path, busy_timeout=0.2)
    try:
        with pytest.raises(StoreError, match="busy: another vatui is writing"):
            store.set_value("VLIZ", "uc5", "users", "M25-M36", "3")
    finally:
        holder.rollback()
        holder.close()
    assert store.value("uc5", "users", "M25-M36") is None
    store.close()


def check_whole(path: Path) -> int:
    """The store is intact and every transaction is wholly there or wholly absent."""
    with Store.open(path) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        values = [store.value("uc5", metric, "M25-M36") for metric in UC5_METRICS]
        changes = len(store.history(installation="uc5"))
        for metric in UC5_METRICS:
            assert_one_chain(store, f"uc5/{metric}/M25-M36")
    numbers = {value.number if value else 0 for value in values}
    assert len(numbers) == 1, f"half a transaction is in the store: {numbers}"
    (last,) = numbers
    assert changes == 4 * int(last or 0), "history and values disagree"
    return int(last or 0)


def test_killing_a_writer_at_random_moments_never_leaves_half_a_write(demo_path: Path) -> None:
    chance = random.Random(20241009)
    reached = 0
    script = WRITER.format(metrics=UC5_METRICS)
    for _ in range(12):
        writer = subprocess.Popen(
            [sys.executable, "-c", script, str(demo_path), str(reached)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        time.sleep(chance.uniform(0.01, 0.25))
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=10)
        writer.stdout.close()
        now = check_whole(demo_path)
        assert now >= reached
        reached = now
    assert reached > 1, "the writer did not get far enough: the test proved nothing"
    with Store.open(demo_path) as store:
        sources = {change.source for change in store.history(installation="uc5")}
    assert any("kill.toml" in source for source in sources), sources
