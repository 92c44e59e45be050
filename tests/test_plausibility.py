"""Plausibility: a value ten times, or a tenth of, the previous period's or the target is
flagged (asked about in the TUI, flagged by `vatui set` and imports, marked for the leader until
accepted), never refused; zero is never flagged."""

from __future__ import annotations

from pathlib import Path

import pytest
from vatui.exports.submission import submission_template
from vatui.screens.confirm import ConfirmScreen
from vatui.screens.installation.screen import InstallationScreen
from vatui.screens.installation.value_form import ValueForm
from vatui.store import Metric, Store
from vatui.store.plausibility import implausible, judge, outlier, to_review

from tests.cli_helpers import run
from tests.test_submission import fill as fill_file
from tests.tui_app_helpers import SIZE, open_installation, row, vatui
from tests.tui_helpers import fill, shown

P = "M25-M36"  # the demo's previous period, M13-M24, has uc5's 7 users; the target is 5
USERS = Metric("uc5", "users", "Number of unique users", kind="count")
COUNTRIES = Metric("uc5", "countries", "Countries reached", kind="countries")


# ---- the rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "reference", "far"),
    [
        (3_000, 300, None),  # ten times is still plausible
        (3_001, 300, "10.0×"),  # more than ten times is not
        (12_000, 300, "40×"),
        (30, 300, None),  # a tenth is still plausible
        (29, 300, "1/10.3 of"),
        (1, 1_500, "1/1,500 of"),
        (0, 300, None),  # nothing happened: the light says so, it is no slip of scale
        (5, 0, None),  # a start after nothing cannot be scaled
        (5, None, None),  # nothing to compare with
    ],
)
def test_how_far_a_value_is_from_its_reference(
    value: float, reference: float | None, far: str | None
) -> None:
    assert outlier(value, reference) == far


def test_the_reason_names_each_reference_it_is_far_from() -> None:
    assert judge(USERS, 12_000, 300, 500) == (
        "12,000 is 40× the previous period's 300 and 24× the target of 500"
    )
    assert judge(USERS, 12_000, 2_000, 500) == "12,000 is 24× the target of 500"
    assert judge(USERS, 400, 300, 500) is None
    assert judge(USERS, None, 300, 500) is None  # no value yet
    assert judge(COUNTRIES, 40, None, 3) == "40 countries is 13.3× the target of 3 countries"


# ---- on the store ------------------------------------------------------------------------------


def test_the_periods_implausible_values_with_why(demo: Store) -> None:
    demo.set_value("VLIZ", "uc5", "users", P, "120")
    demo.set_value("VLIZ", "uc5", "images-processed", P, "2,000,000")  # as last period: fine
    demo.set_value("VLIZ", "uc5", "countries", P, "0")  # nothing happened: not flagged
    demo.set_value("DFKI", "uc1", "users", P, "4")
    assert implausible(demo, P) == {
        ("uc5", "users"): "120 is 17.1× the previous period's 7 and 24× the target of 5",
    }
    assert implausible(demo, P, ["uc1"]) == {}
    # In the demo's report UC1 processed 1 image against 1,500: accepted as it was.
    assert implausible(demo, "M13-M24") == {
        ("uc1", "images-processed"): "1 is 1/1,500 of the target of 1,500"
    }
    assert to_review(demo, "M13-M24") == {}


def test_marks_for_the_leader_last_until_the_figures_are_accepted(demo: Store) -> None:
    demo.set_value("VLIZ", "uc5", "users", P, "120")
    demo.review("VLIZ", "uc5", P, "submit")
    assert list(to_review(demo, P)) == [("uc5", "users")]
    demo.review("MARIS", "uc5", P, "accept")
    assert to_review(demo, P) == {}
    demo.review("MARIS", "uc5", P, "reopen")
    assert list(to_review(demo, P, ["uc5"])) == [("uc5", "users")]


# ---- the CLI -----------------------------------------------------------------------------------


def setting(demo_path: Path, metric: str, value: str) -> tuple[str, ...]:
    where = ("--installation", "uc5", "--period", P, "--metric", metric)
    return ("set", "--db", str(demo_path), "--as", "VLIZ", *where, value)


def test_set_saves_an_implausible_value_and_flags_it(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, *setting(demo_path, "users", "120"))
    assert code == 0 and err == ""
    assert " ".join(out.split()) == (
        "Number of unique users of the AI image processing service (M25-M36) = 120 ● green "
        "⚠ implausible: 120 is 17.1× the previous period's 7 and 24× the target of 5; "
        "saved as given, check it"
    )
    code, out, _ = run(capsys, *setting(demo_path, "users", "9"))
    assert code == 0 and "implausible" not in out
    with Store.open(demo_path) as store:
        assert store.value("uc5", "users", P).number == 9  # type: ignore[union-attr]


def test_an_import_flags_implausible_values_in_the_dry_run_and_the_summary(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(demo_path) as store:
        text = fill_file(submission_template(store, "uc5", P)[0], "users", '"120"')
    path = demo_path.parent / "uc5.toml"
    path.write_text(fill_file(text, "countries", '"4"'))
    importing = ("submission", "import", "--db", str(demo_path), "--as", "VLIZ", str(path))
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if '"120"' in text)
    flag = (
        f"⚠ line {line}, Number of unique users of the AI image processing service: "
        "implausible, 120 is 17.1× the previous period's 7 and 24× the target of 5"
    )
    code, out, _ = run(capsys, *importing, "--dry-run")
    flat = " ".join(out.split())
    assert code == 0 and flag in flat and "Dry run: nothing was written." in flat
    assert flat.count("⚠ line") == 1  # 4 countries is plausible
    code, out, _ = run(capsys, *importing)
    flat = " ".join(out.split())
    assert code == 0 and flag in flat
    assert "Imported 2 changes into uc5 M25-M36" in flat
    assert "1 of them implausible (⚠ above): check it." in flat


# ---- the TUI ----------------------------------------------------------------------------------


async def test_the_value_form_asks_before_saving_an_implausible_value(demo: Store) -> None:
    async with vatui(demo, "VLIZ", P).run_test(size=SIZE) as pilot:
        await open_installation(pilot, "uc5")
        await pilot.press("enter")  # users, the first metric
        await fill(pilot, "#field-value", "120")
        await pilot.press("ctrl+s")
        assert isinstance(pilot.app.screen, ConfirmScreen)
        question = shown(pilot, "#confirm-question")
        assert "120 is 17.1× the previous period's 7 and 24× the target of 5" in question
        await pilot.press("n")  # check it: back in the form, nothing saved
        assert isinstance(pilot.app.screen, ValueForm)
        assert demo.value("uc5", "users", P) is None
        await pilot.press("ctrl+s", "y")
        await pilot.pause()
        assert isinstance(pilot.app.screen, InstallationScreen)
        assert row(pilot, "#metrics-installation", "users")[-3] == "120"
        await pilot.press("enter")
        await fill(pilot, "#field-value", "9")  # plausible: saved at once
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, InstallationScreen)
    assert demo.value("uc5", "users", P).number == 9  # type: ignore[union-attr]


async def test_the_leader_sees_implausible_values_marked_until_accepted(demo: Store) -> None:
    demo.set_value("VLIZ", "uc5", "users", P, "120")
    demo.review("VLIZ", "uc5", P, "submit")
    async with vatui(demo, "MARIS", P).run_test(size=SIZE) as pilot:
        assert row(pilot, "#installations", "uc5")[-1] == "submitted ⚠1"
        assert row(pilot, "#installations", "uc1")[-1] == "draft"
        await open_installation(pilot, "uc5")
        await pilot.press("6")
        said = shown(pilot, "#review-implausible")
        assert "⚠ 1 value looks implausible; check before accepting:" in said
        assert (
            "Number of unique users of the AI image processing service: "
            "120 is 17.1× the previous period's 7 and 24× the target of 5"
        ) in said
        await pilot.press("a", "ctrl+s")
        await pilot.pause()
        assert not pilot.app.screen.query_one("#review-implausible").display
        await pilot.press("escape")
        assert row(pilot, "#installations", "uc5")[-1] == "accepted"


async def test_providers_see_no_marks(demo: Store) -> None:
    demo.set_value("VLIZ", "uc5", "users", P, "120")
    async with vatui(demo, "VLIZ", P).run_test(size=SIZE) as pilot:
        assert row(pilot, "#installations", "uc5")[-1] == "draft"
        await open_installation(pilot, "uc5")
        await pilot.press("6")
        assert not pilot.app.screen.query_one("#review-implausible").display
