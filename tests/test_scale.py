"""What keeps vatui quick on a large store must not change what it shows.

The store reads only the installations a screen shows, keeps the project, its periods and
installations between calls (until this store or another process changes them), reads country
names without importing pycountry, and ``vatui status --json`` starts without the libraries
that only other commands need.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pycountry
import pytest
from vatui.store import Installation, Metric, Store, StoreError
from vatui.store.countries import NAME_OVERRIDES, country_name

from benchmarks.make_store import make_store


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_store(tmp_path_factory.mktemp("scale") / "synthetic.db", 40)


def test_the_status_of_some_installations_is_theirs_in_the_status_of_all(synthetic: Path) -> None:
    with Store.open(synthetic) as store:
        period = store.default_period()
        every = {row.installation.id: row for row in store.status(period)}
        some = ["i0003", "12", "i0040"]
        chosen = store.status(period, installations=some)
    assert [row.installation.id for row in chosen] == ["i0003", "i0012", "i0040"]
    assert chosen == [every[row.installation.id] for row in chosen]
    assert all(row.metrics for row in chosen)


def test_what_another_process_changes_is_seen_at_once(demo_path: Path) -> None:
    with Store.open(demo_path) as mine, Store.open(demo_path) as theirs:
        assert "EGI" not in mine.organisations()
        assert mine.installation("uc5").name == theirs.installation("uc5").name
        theirs.update_installation("MARIS", "uc5", name="Renamed elsewhere", providers="VLIZ, EGI")
        theirs.add_period("MARIS", "M37-M48")
        assert mine.installation("uc5").name == "Renamed elsewhere"
        assert "EGI" in mine.organisations()
        assert mine.period("M37-M48").label == "M37-M48"


def test_own_changes_are_seen_and_rolled_back_ones_are_not(demo: Store) -> None:
    demo.add_installation("MARIS", Installation("uc9", 9, "Ninth", providers=("NEWORG",)))
    assert demo.installation("9").name == "Ninth"
    assert demo.organisation("neworg") == "NEWORG"
    with pytest.raises(StoreError), demo.transaction():
        demo.update_installation("MARIS", "uc9", name="Never saved")
        assert demo.installation("uc9").name == "Never saved"
        raise StoreError("the import failed half way")
    assert demo.installation("uc9").name == "Ninth"


def test_the_metrics_a_status_keeps_follow_every_change(demo_path: Path) -> None:
    """A status keeps installations' metrics between calls: a metric added, renamed or
    archived, here or by another process, shows in the next one."""

    def names(store: Store) -> list[str]:
        (row,) = store.status(store.default_period(), installations=["uc5"])
        return [status.metric.name for status in row.metrics]

    with Store.open(demo_path) as mine, Store.open(demo_path) as theirs:
        before = names(mine)
        mine.add_metric("MARIS", Metric("visits", "uc5", "Visits"))
        assert names(mine) == [*before, "Visits"]
        theirs.update_metric("MARIS", "uc5", "visits", name="Visits to the site")
        assert names(mine) == [*before, "Visits to the site"]
        mine.archive_metric("MARIS", "uc5", "visits")
        assert names(mine) == before == names(theirs)
        with pytest.raises(StoreError), mine.transaction():
            mine.add_metric("MARIS", Metric("never", "uc5", "Never kept"))
            assert names(mine)[-1] == "Never kept"
            raise StoreError("the import failed half way")
        assert names(mine) == before


def test_country_names_are_pycountrys() -> None:
    for country in pycountry.countries:
        expected = NAME_OVERRIDES.get(country.alpha_2) or (
            getattr(country, "common_name", None) or country.name
        )
        assert country_name(country.alpha_2) == expected
    assert country_name("XK") == "Kosovo"
    assert country_name("ZZ") == "ZZ"


def test_status_as_json_starts_without_what_other_commands_need(synthetic: Path) -> None:
    code = (
        "import sys; from vatui.cli import main;"
        f"main(['status', '--db', {str(synthetic)!r}, '--json']);"
        "heavy = ('textual', 'sqlite_utils', 'pycountry', 'tomlkit', 'markdown_it', "
        "'rich.console', 'importlib.metadata', 'httpx');"
        "sys.stderr.write(str(sorted(m for m in sys.modules if m.startswith(heavy))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=os.environ.copy()
    )
    assert done.returncode == 0, done.stderr
    assert '"light": "' in done.stdout
    assert done.stderr == "[]"
