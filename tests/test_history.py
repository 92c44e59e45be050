"""History, revert and backup: nothing is lost, and undoing is itself recorded."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from vatui.store import PermissionDenied, Store, StoreError

from vatui.cli import main


def test_a_reverted_value_comes_back_with_its_wording(demo: Store) -> None:
    demo.set_value("MARIS", "uc1", "country-names", "M13-M24", "Italy, Germany")
    change = demo.history(installation="uc1")[0]
    assert change.old == "1 (Italy)"
    demo.revert("MARIS", change.id)
    value = demo.value("uc1", "country-names", "M13-M24")
    assert value is not None and value.shown == "1 (Italy)" and value.countries == ("IT",)
    newest = demo.history(installation="uc1")[0]
    assert (newest.old, newest.new, newest.source) == (
        "Italy, Germany",
        "1 (Italy)",
        f"revert of change {change.id}",
    )


def test_reverting_a_new_value_removes_it(demo: Store) -> None:
    demo.set_value("VLIZ", "uc5", "users", "M25-M36", "4")
    demo.revert("VLIZ", demo.history()[0].id)
    assert demo.value("uc5", "users", "M25-M36") is None
    assert demo.history()[0].new is None


def test_reverts_of_texts_fields_and_archiving(demo: Store) -> None:
    old_plan = demo.assessment("uc4", "M13-M24").planning
    demo.set_assessment("MARIS", "uc4", "M13-M24", planning="Done in December.")
    demo.revert("MARIS", demo.history()[0].id)
    assert demo.assessment("uc4", "M13-M24").planning == old_plan
    demo.update_installation("CMCC", "uc4", planned_production="2024-12-15")
    demo.revert("MARIS", demo.history()[0].id)
    assert str(demo.installation("uc4").planned_production) == "2024-10-31"
    demo.archive_metric("MARIS", "uc4", "users")
    demo.revert("MARIS", demo.history()[0].id)
    assert "users" in [m.id for m in demo.metrics("uc4")]


def test_a_revert_obeys_the_same_permissions(demo: Store) -> None:
    demo.set_value("VLIZ", "uc5", "users", "M25-M36", "8")
    with pytest.raises(PermissionDenied):
        demo.revert("DFKI", demo.history()[0].id)


def test_delay_entries_and_additions_are_not_reverted(demo: Store) -> None:
    demo.add_delay("SU", "uc2", "Segmenter late", replanned="2024-12-01")
    with pytest.raises(StoreError, match="add a new entry"):
        demo.revert("SU", demo.history()[0].id)


def test_backup_copies_while_the_store_is_open(demo: Store, tmp_path: Path) -> None:
    demo.set_value("VLIZ", "uc5", "users", "M25-M36", "4")
    copy = demo.backup(tmp_path / "copy.db")
    with Store.open(copy) as restored:
        assert restored.value("uc5", "users", "M25-M36").shown == "4"  # type: ignore[union-attr]
        assert restored.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with pytest.raises(StoreError, match="already exists"):
        demo.backup(copy)


def test_history_and_revert_through_the_cli(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(demo_path)
    main(["set", "--db", db, "--as", "MARIS", "--installation", "uc5", "--metric", "users",
          "--period", "M13-M24", "9"])  # fmt: skip
    capsys.readouterr()
    assert main(["history", "--db", db, "--installation", "uc5"]) == 0
    out = capsys.readouterr().out
    assert "MARIS" in out and "uc5/users/M13-M24" in out
    assert main(["revert", "--db", db, "--as", "MARIS", "1"]) == 0
    assert "is 7 again" in capsys.readouterr().out
    assert main(["revert", "--db", db, "--as", "VLIZ", "99"]) == 1
    assert "unknown change" in capsys.readouterr().err
    assert main(["history", "--db", db, "--since", "yesterday"]) == 1
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_backup_through_the_cli_into_a_folder(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    assert main(["backup", "--db", str(demo_path), str(folder)]) == 0
    copy = folder / demo_path.name
    with sqlite3.connect(copy) as conn:
        assert conn.execute("select count(*) from installations").fetchone()[0] == 5
    conn.close()


def test_a_review_step_is_not_reverted_but_followed_by_the_next(demo: Store) -> None:
    demo.review("VLIZ", "uc5", "M25-M36", "submit")
    with pytest.raises(StoreError, match="take the next step instead"):
        demo.revert("MARIS", demo.history()[0].id)
    assert demo.review_state("uc5", "M25-M36") == "submitted"


def test_a_revert_over_a_later_change_is_refused_naming_it(demo: Store) -> None:
    demo.set_value("VLIZ", "uc5", "users", "M25-M36", "4")
    demo.set_value("VLIZ", "uc5", "users", "M25-M36", "6")
    first = demo.history()[0]
    demo.set_value("MARIS", "uc5", "users", "M25-M36", "9")
    later = demo.history()[0]
    before = len(demo.history())
    with pytest.raises(StoreError) as refused:
        demo.revert("VLIZ", first.id)
    message = str(refused.value)
    assert f"change {later.id} by MARIS" in message and "'9'" in message
    assert f"--force {first.id}" in message
    assert demo.value("uc5", "users", "M25-M36").shown == "9"  # type: ignore[union-attr]
    assert len(demo.history()) == before


def test_reverting_newest_first_returns_to_the_start_and_out_of_order_is_refused(
    demo: Store,
) -> None:
    for figure in ("1", "2", "3", "4"):
        demo.set_value("VLIZ", "uc5", "users", "M25-M36", figure)
    made = [change.id for change in reversed(demo.history())][-4:]
    with pytest.raises(StoreError, match="has changed since"):
        demo.revert("VLIZ", made[1])
    for change in reversed(made):
        demo.revert("VLIZ", change)
    assert demo.value("uc5", "users", "M25-M36") is None


def test_a_forced_revert_writes_over_the_later_change_and_says_so(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(demo_path) as store:
        store.set_value("VLIZ", "uc5", "users", "M25-M36", "4")
        store.set_value("VLIZ", "uc5", "users", "M25-M36", "6")
        first = store.history()[0]
        store.set_value("MARIS", "uc5", "users", "M25-M36", "9")
    revert = ["revert", "--db", str(demo_path), "--as", "VLIZ", str(first.id)]
    assert main(revert) == 1
    assert "has changed since" in " ".join(capsys.readouterr().err.split())
    assert main([*revert, "--force"]) == 0
    with Store.open(demo_path) as store:
        assert store.value("uc5", "users", "M25-M36").shown == "4"  # type: ignore[union-attr]
        assert "forced over change" in store.history()[0].source
