"""``vatui accounting plan|push|pull`` against a stand-in of the EOSC Accounting Service that
checks every request and answer against the service's OpenAPI description. No test reaches
the network: the stand-in listens on 127.0.0.1.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from vatui.store import Store

from tests.accounting_server import TOKEN, AccountingServer
from tests.cli_helpers import run

DEMO_IDS = {f"example-uc{n}" for n in range(1, 6)}


@pytest.fixture
def server() -> Iterator[AccountingServer]:
    with AccountingServer(DEMO_IDS) as running:
        yield running
    assert running.service.violations == []


@pytest.fixture
def token(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("VATUI_ACCOUNTING_TOKEN", TOKEN)
    return TOKEN


def push(
    capsys: pytest.CaptureFixture[str], db: Path, url: str, *more: str
) -> tuple[int, str, str]:
    return run(
        capsys, "accounting", "push", "--db", str(db), "--as", "MARIS", "--url", url,
        "--period", "M13-M24", *more,
    )  # fmt: skip


def test_the_plan_lists_uc5s_four_figures_with_the_periods_utc_bounds(
    capsys: pytest.CaptureFixture[str], demo_path: Path
) -> None:
    code, out, _ = run(
        capsys, "accounting", "plan", "--db", str(demo_path), "--period", "M13-M24",
        "--installation", "uc5", "--json",
    )  # fmt: skip
    assert code == 0
    plan = json.loads(out)
    assert (plan["time_period_start"], plan["time_period_end"]) == (
        "2023-09-01T00:00:00Z",
        "2024-08-31T23:59:59Z",
    )
    assert [m["metric"] for m in plan["metrics"]] == [
        "users", "images-processed", "images-ingested", "countries",
    ]  # fmt: skip
    assert [m["body"]["value"] for m in plan["metrics"]] == [7, 2075958, 2075958, 7]
    assert {m["body"]["time_period_start"] for m in plan["metrics"]} == {"2023-09-01T00:00:00Z"}
    assert len(plan["definitions"]) == 4


def test_unaccepted_figures_are_left_out_unless_asked(demo: Store) -> None:
    demo.set_value("VLIZ", "uc5", "users", "M25-M36", "9")
    assert demo.accounting_plan("M25-M36", ["uc5"]).metrics == []
    assert "not accepted" in demo.accounting_plan("M25-M36").skipped[-1]
    planned = demo.accounting_plan("M25-M36", ["uc5"], include_unaccepted=True).metrics
    assert [(m.metric, m.value) for m in planned] == [("users", 9)]


def test_a_countries_metric_sends_its_count_and_a_text_metric_nothing(demo: Store) -> None:
    planned = {m.metric: m.value for m in demo.accounting_plan("M13-M24", ["uc1"]).metrics}
    assert planned["country-names"] == len(demo.value("uc1", "country-names", "M13-M24").countries)
    kinds = {m.id: m.kind for m in demo.metrics("uc1")}
    assert all(kinds[metric] != "text" for metric in planned)


def test_push_twice_then_change_one_value_sends_one_update(
    capsys: pytest.CaptureFixture[str], demo_path: Path, server: AccountingServer, token: str
) -> None:
    code, out, err = push(capsys, demo_path, server.url)
    assert code == 0, err
    service = server.service
    added = len(service.added())
    assert added == 30 and len(service.definitions) == 13
    assert "[5/5] uc5: sent" in err

    code, out, _ = push(capsys, demo_path, server.url)
    assert code == 0 and "Nothing to send" in out
    assert len(service.added()) == added and len(service.definitions) == 13

    with Store.open(demo_path) as store:
        store.set_value("MARIS", "uc5", "users", "M13-M24", "8")
    code, out, _ = push(capsys, demo_path, server.url)
    assert code == 0 and "0 added, 1 updated" in out
    assert len(service.added()) == added
    ((method, path, body),) = service.updated()
    assert path.startswith("/accounting-system/installations/example-uc5/metrics/")
    assert body["value"] == 8
    assert token not in out + err


def test_after_a_failure_half_way_a_second_push_sends_only_the_rest(
    capsys: pytest.CaptureFixture[str], demo_path: Path, server: AccountingServer, token: str
) -> None:
    server.service.fail_after = 20  # 13 definitions, then 7 figures, then 500s
    code, _, err = push(capsys, demo_path, server.url)
    assert code == 1
    assert "the service failed (500)" in err and "7 figure(s) sent before it" in err
    server.service.fail_after = None
    code, out, _ = push(capsys, demo_path, server.url)
    assert code == 0 and "23 added, 0 updated, 0 metric definition(s) created" in out
    assert len(server.service.metrics) == 30  # each figure once: none added twice


def test_a_bad_token_is_refused_clearly_and_never_shown(
    capsys: pytest.CaptureFixture[str],
    demo_path: Path,
    server: AccountingServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VATUI_ACCOUNTING_TOKEN", "wrong-secret-token-4711")
    code, out, err = push(capsys, demo_path, server.url)
    assert code == 1
    assert "did not accept the token (401)" in err
    assert "wrong-secret-token-4711" not in out + err


def test_an_unknown_installation_is_a_404_naming_what_to_check(
    capsys: pytest.CaptureFixture[str], demo_path: Path, token: str
) -> None:
    with AccountingServer({"example-uc1"}) as server:
        code, _, err = push(capsys, demo_path, server.url, "--installation", "uc2")
    assert code == 1
    assert "(404)" in err and "accounting ids" in err
    assert server.service.violations == []


def test_a_duplicate_definition_is_a_409(
    capsys: pytest.CaptureFixture[str], demo_path: Path, server: AccountingServer, token: str
) -> None:
    server.service.definitions["1" * 24] = {
        "metric_definition_id": "1" * 24,
        "metric_name": "Number of unique users of the AI image processing service",
        "unit_type": "#",
        "metric_type": "count",
    }
    code, _, err = push(capsys, demo_path, server.url, "--installation", "uc1")
    assert code == 1 and "holds it already (409)" in err


def test_a_network_failure_says_the_service_could_not_be_reached(
    capsys: pytest.CaptureFixture[str], demo_path: Path, token: str
) -> None:
    with AccountingServer(DEMO_IDS) as server:
        url = server.url
    code, _, err = push(capsys, demo_path, url)
    assert code == 1 and "could not reach the service" in err


def test_pull_shows_the_difference_and_the_leader_applies_it_with_its_source(
    capsys: pytest.CaptureFixture[str], demo_path: Path, server: AccountingServer, token: str
) -> None:
    push(capsys, demo_path, server.url, "--installation", "uc5")
    remote = next(m for m in server.service.metrics.values() if m["value"] == 7)
    remote["value"] = 11  # someone changed a figure on the service
    pull = ("accounting", "pull", "--db", str(demo_path), "--url", server.url,
            "--period", "M13-M24", "--installation", "uc5", "--json")  # fmt: skip
    code, out, _ = run(capsys, *pull)
    (difference,) = json.loads(out)
    assert difference["store"] == 7 and difference["service"] == 11
    assert difference["done"] == "differs"
    with Store.open(demo_path) as store:
        assert store.value("uc5", "users", "M13-M24").number == 7  # nothing written yet

    code, _, err = run(capsys, *pull, "--apply", "--as", "VLIZ")
    assert code == 1 and "only the project leader" in err
    code, out, _ = run(capsys, *pull, "--apply", "--as", "MARIS")
    assert json.loads(out)[0]["done"] == "written to the store"
    with Store.open(demo_path) as store:
        assert store.value("uc5", "users", "M13-M24").number == 11
        change = store.history(installation="uc5")[0]
        assert change.source.startswith("vatui accounting pull from http://127.0.0.1")
    code, out, _ = run(capsys, *pull)
    assert json.loads(out) == []


@pytest.mark.parametrize(
    "url", ["http://api.acc.argo.grnet.gr", "ftp://127.0.0.1", "http://10.0.0.1:8080"]
)
def test_plain_http_is_refused_except_to_this_machine(
    capsys: pytest.CaptureFixture[str], demo_path: Path, token: str, url: str
) -> None:
    code, _, err = push(capsys, demo_path, url)
    assert code == 1 and "is not accepted; an https:// address" in err


def test_without_a_token_push_says_where_one_comes_from(
    capsys: pytest.CaptureFixture[str], demo_path: Path, server: AccountingServer
) -> None:
    code, _, err = push(capsys, demo_path, server.url)
    assert code == 1 and "VATUI_ACCOUNTING_TOKEN" in err
    assert server.service.requests == []


def test_the_mapping_survives_dump_and_init(demo: Store, tmp_path: Path) -> None:
    from vatui.store.projectdump import dump_project
    from vatui.store.projectfile import create_store, read_project_file

    text = dump_project(demo)
    assert 'accounting_id = "example-uc5"' in text
    with create_store(tmp_path / "again.db", read_project_file(text)) as again:
        assert again.accounting_ids() == demo.accounting_ids()
        assert again.accounting_mappings() == demo.accounting_mappings()


def test_a_project_file_refuses_a_mapping_that_cannot_be_sent() -> None:
    from vatui.store.projectfile import ProjectFileRefused, read_project_file

    text = """format = 1
[project]
name = "Tiny"
start = "2024-01"
leader = "LEAD"
[[period]]
label = "M1-M6"
[[installation]]
id = "uc1"
number = 1
name = "One"
accounting_id = "has space"
[[installation.metric]]
id = "story"
name = "Story"
kind = "text"
accounting_definition = "abc"
[[installation.metric]]
id = "users"
name = "Users"
accounting_name = "Users"
"""
    with pytest.raises(ProjectFileRefused) as refused:
        read_project_file(text, "tiny.toml")
    problems = "\n".join(refused.value.problems)
    assert "tiny.toml:12: installation.accounting_id: 'has space' is not accepted" in problems
    assert "accounting_definition" in problems and "a text metric is not sent" in problems
    assert "accounting_unit_type" in problems and "accounting_metric_type" in problems
