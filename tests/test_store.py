"""The store: permissions, history, versions, the store file itself."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from vatui.store import InvalidValue, NotFound, PermissionDenied, StaleEdit, Store, StoreError
from vatui.store.projectfile import create_store, demo_text, read_project_file

from .conftest import counting_clock


def test_a_provider_writes_its_own_installation(demo: Store) -> None:
    value = demo.set_value("VLIZ", "uc5", "users", "M25-M36", "9", note="from the portal")
    assert value.number == 9
    assert demo.value("uc5", "users", "M25-M36") == value
    assert value.updated_by == "VLIZ"


def test_another_provider_is_refused_with_who_what_and_why(demo: Store) -> None:
    with pytest.raises(PermissionDenied) as refused:
        demo.set_value("DFKI", "uc5", "users", "M25-M36", "9")
    message = str(refused.value)
    assert "DFKI" in message and "uc5" in message and "VLIZ" in message
    assert demo.value("uc5", "users", "M25-M36") is None
    assert demo.history(installation="uc5") == []


def test_the_leader_writes_every_installation(demo: Store) -> None:
    demo.set_value("MARIS", "uc5", "users", "M25-M36", "11")
    demo.set_value("maris", "uc1", "users", "M25-M36", "12")
    assert demo.value("uc1", "users", "M25-M36").updated_by == "MARIS"  # type: ignore[union-attr]


def test_an_unknown_organisation_is_refused(demo: Store) -> None:
    with pytest.raises(PermissionDenied, match="not an organisation of this project"):
        demo.set_value("ACME", "uc5", "users", "M25-M36", "9")


def test_leader_only_changes_are_refused_to_providers(demo: Store) -> None:
    with pytest.raises(PermissionDenied, match="only the project leader MARIS"):
        demo.update_installation("VLIZ", "uc5", providers=["VLIZ", "DFKI"])
    with pytest.raises(PermissionDenied):
        demo.update_metric("VLIZ", "uc5", "users", baseline=1)
    updated = demo.update_installation("VLIZ", "uc5", location="Ostend, Belgium")
    assert updated.location == "Ostend, Belgium"


def test_history_keeps_old_and_new_value_and_the_actor(demo: Store) -> None:
    demo.set_value("MARIS", "uc5", "users", "M13-M24", "8", source="test")
    (change,) = demo.history(installation="uc5")
    assert (change.actor, change.field, change.old, change.new) == ("MARIS", "shown", "7", "8")
    assert change.row == "uc5/users/M13-M24"
    assert change.source == "test"


def test_setting_the_same_value_again_records_nothing(demo: Store) -> None:
    demo.set_value("VLIZ", "uc5", "users", "M25-M36", "9")
    demo.set_value("VLIZ", "uc5", "users", "M25-M36", "9")
    assert len(demo.history(installation="uc5")) == 1


def test_bad_values_are_refused_and_nothing_is_written(demo: Store) -> None:
    with pytest.raises(InvalidValue, match="Number of unique users"):
        demo.set_value("VLIZ", "uc5", "users", "M25-M36", "seven")
    with pytest.raises(InvalidValue, match="negative"):
        demo.set_value("VLIZ", "uc5", "users", "M25-M36", "-3")
    with pytest.raises(InvalidValue, match="Narnia"):
        demo.set_value("DFKI", "uc1", "country-names", "M25-M36", "Italy, Narnia")
    with pytest.raises(NotFound, match="metric"):
        demo.set_value("VLIZ", "uc5", "satisfaction", "M25-M36", "3")
    with pytest.raises(NotFound, match="period"):
        demo.set_value("VLIZ", "uc5", "users", "M37-M48", "3")
    assert demo.history() == []


def test_countries_are_stored_as_codes_and_shown_as_names(demo: Store) -> None:
    value = demo.set_value("DFKI", "uc1", "country-names", "M25-M36", "DE, The Philippines, BIH")
    assert value.countries == ("DE", "PH", "BA")
    assert value.shown == "Germany, Philippines, Bosnia and Herzegovina"


def test_an_edit_based_on_an_old_version_is_refused(demo: Store) -> None:
    loaded = demo.value("uc5", "users", "M13-M24")
    assert loaded is not None
    demo.set_value("MARIS", "uc5", "users", "M13-M24", "8", expected_version=loaded.version)
    with pytest.raises(StaleEdit) as stale:
        demo.set_value("MARIS", "uc5", "users", "M13-M24", "9", expected_version=loaded.version)
    assert "MARIS" in str(stale.value) and "'8'" in str(stale.value)
    assert demo.value("uc5", "users", "M13-M24").shown == "8"  # type: ignore[union-attr]


def test_assessments_keep_untouched_texts(demo: Store) -> None:
    before = demo.assessment("uc2", "M13-M24")
    after = demo.set_assessment("MARIS", "uc2", "M13-M24", planning="Pipeline ready in November.")
    assert after.assessment == before.assessment
    assert after.planning == "Pipeline ready in November."
    (change,) = demo.history(installation="uc2")
    assert change.field == "planning" and change.old == before.planning


def test_site_assessments_are_separate(demo: Store) -> None:
    demo.set_assessment("UPC", "uc3", "M25-M36", site="obsea", assessment="Running.")
    assert demo.assessment("uc3", "M25-M36", "obsea").assessment == "Running."
    assert demo.assessment("uc3", "M25-M36").assessment == ""
    with pytest.raises(NotFound, match="site"):
        demo.set_assessment("UPC", "uc3", "M25-M36", site="atlantis", assessment="x")


def test_the_delay_log_is_append_only(demo: Store) -> None:
    entry = demo.add_delay("SU", "uc2", "Segmenter late", replanned="2024-11-30")
    assert demo.delays("uc2")[-1] == entry
    with pytest.raises(sqlite3.DatabaseError, match="never changed"):
        demo.db.execute("UPDATE delays SET reason = 'x' WHERE id = ?", [entry.id])
    with pytest.raises(sqlite3.DatabaseError, match="never deleted"):
        demo.db.execute("DELETE FROM delays WHERE id = ?", [entry.id])
    with pytest.raises(InvalidValue, match="re-planned production date"):
        demo.add_delay("SU", "uc2", "Late", replanned="end of October")


def test_who_may_change_which_of_some_installations(demo: Store) -> None:
    """The dashboard asks about the rows it shows: the leader may change each, a provider its
    own."""
    shown = ["uc1", "uc5"]
    assert demo.writable_installations("maris", shown) == {"uc1", "uc5"}
    assert demo.writable_installations("VLIZ", shown) == {"uc5"}
    assert demo.writable_installations("VLIZ", ["uc2"]) == set()
    assert demo.writable_installations("VLIZ") == {"uc5"}


def test_archiving_hides_an_installation_but_keeps_it(demo: Store) -> None:
    assert demo.installation_ids() == ["uc1", "uc2", "uc3", "uc4", "uc5"]
    demo.archive_installation("MARIS", "uc4")
    assert demo.installation_ids() == ["uc1", "uc2", "uc3", "uc5"]  # the dashboard's list
    assert "uc4" not in demo.review_states("M13-M24")
    assert "uc4" not in demo.writable_installations("MARIS")  # the leader's: every one listed
    assert "uc4" not in [i.id for i in demo.installations()]
    assert demo.installation("uc4").archived
    assert "uc4" not in [row.installation.id for row in demo.status("M13-M24")]


def test_the_most_sites_any_installation_has(demo: Store) -> None:
    from vatui.store import Site

    assert demo.most_sites() == 3  # UC3: OBSEA, Azores, SmartBay
    for number in range(4):
        demo.add_site("MARIS", Site(f"s{number}", "uc5", f"Site {number}"))
    assert demo.most_sites() == 4


def test_setting_up_installations_metrics_and_milestones(demo: Store) -> None:
    from vatui.store import Installation, Metric, Milestone

    demo.add_installation("MARIS", Installation("uc6", 6, "Coral reef survey", ("VLIZ",)))
    demo.add_metric("MARIS", Metric("users", "uc6", "Users", baseline=4))
    demo.set_value("VLIZ", "uc6", "Users", "M25-M36", "2")
    (row,) = demo.status("M25-M36", installations=["uc6"])
    assert row.metrics[0].light == "amber"
    with pytest.raises(InvalidValue, match="number"):
        demo.add_installation("MARIS", Installation("uc7", 6, "Duplicate number"))
    demo.add_milestone("MARIS", Milestone("M5.5", "Reef service live", 30))
    demo.update_milestone("MARIS", "M5.5", achieved="2025-02-01")
    assert demo.milestone("M5.5").achieved is not None


# ---- the store file -------------------------------------------------------------------------


def test_opening_a_missing_store_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="vatui init --db"):
        Store.open(tmp_path / "none.db")


def test_a_file_that_is_not_sqlite_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes")
    with pytest.raises(StoreError, match="not an SQLite database"):
        Store.open(path)
    assert path.read_text() == "these are my notes"


def test_an_empty_file_is_refused_unchanged_and_init_may_fill_it(tmp_path: Path) -> None:
    """Looking at a store never creates one: an empty file stays empty until `init`."""
    path = tmp_path / "empty.db"
    path.touch()
    with pytest.raises(StoreError, match="empty file, not a vatui store.*vatui init"):
        Store.open(path)
    assert path.stat().st_size == 0 and not Path(f"{path}-wal").exists()
    create_store(path, read_project_file(demo_text(), "demo")).close()
    with Store.open(path) as store:
        assert store.project().name == "iMagine"


def test_a_store_from_a_newer_vatui_is_refused_and_left_alone(demo_path: Path) -> None:
    with sqlite3.connect(demo_path) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('vatui', 'm999_from_the_future', '2030-01-01')"
        )
    conn.close()
    before = demo_path.read_bytes()
    with pytest.raises(StoreError, match="newer vatui"):
        Store.open(demo_path)
    assert demo_path.read_bytes() == before


def test_another_sqlite_database_is_not_taken_for_a_store(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE birds (name TEXT)")
    conn.close()
    with pytest.raises(StoreError, match="not a vatui store"):
        Store.open(path)


def test_init_refuses_to_overwrite_and_builds_in_one_step(tmp_path: Path) -> None:
    text = """
format = 1
[project]
name = "Tiny"
start = "2024-01"
leader = "LEAD"
[[period]]
label = "M1-M6"
"""
    path = tmp_path / "tiny.db"
    create_store(path, read_project_file(text)).close()
    with pytest.raises(StoreError, match="already exists"):
        create_store(path, read_project_file(text))
    store = Store.open(path, clock=counting_clock())
    assert [p.calendar_label for p in store.periods()] == ["Jan 2024 – Jun 2024"]
    assert not list(tmp_path.glob(".*creating*"))
    store.close()


def test_a_project_file_with_mistakes_lists_each_one(tmp_path: Path) -> None:
    text = """
format = 1
[project]
name = "Tiny"
start = "2024-13"
leader = "LEAD"
[[period]]
label = "M6-M1"
"""
    with pytest.raises(StoreError) as refused:
        read_project_file(text, "tiny.toml")
    message = str(refused.value)
    assert "tiny.toml:5: project.start: '2024-13' is not accepted" in message
    assert "tiny.toml:8: period.label: 'M6-M1' is not accepted" in message


def test_the_store_package_imports_no_ui_and_no_renderer() -> None:
    code = (
        "import sys, vatui.store, vatui.store.projectfile, vatui.store.lights;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich') "
        "or m.startswith(('vatui.screens', 'vatui.exports', 'vatui.app', 'vatui.cli'))];"
        "print(bad)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr
