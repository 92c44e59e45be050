"""The review workflow: who may submit, accept, return and reopen, and the lock on accepted work."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database
from vatui.store import InvalidValue, PermissionDenied, Store, StoreError
from vatui.store.schema import m002_reviews

from tests.cli_helpers import run

from .conftest import counting_clock

P = "M25-M36"


def bring_to(store: Store, state: str) -> None:
    """Take uc5's review for P to ``state`` the way the workflow allows."""
    steps = {
        "draft": [],
        "submitted": [("VLIZ", "submit", "")],
        "returned": [("VLIZ", "submit", ""), ("MARIS", "return", "check the users")],
        "accepted": [("VLIZ", "submit", ""), ("MARIS", "accept", "")],
    }[state]
    for actor, action, comment in steps:
        store.review(actor, "uc5", P, action, comment)
    assert store.review_state("uc5", P) == state


def test_a_period_starts_as_draft(demo: Store) -> None:
    assert demo.review_state("uc5", P) == "draft"
    assert demo.review_thread("uc5", P) == []
    assert set(demo.review_states(P).values()) == {"draft"}


def test_review_states_of_some_installations_are_theirs_alone(demo: Store) -> None:
    """The dashboard reads the states of the rows it shows."""
    demo.review("VLIZ", "uc5", P, "submit")
    demo.review("MARIS", "uc1", P, "comment", "a question")
    assert demo.review_states(P, installations=["uc5", "uc2"]) == {
        "uc5": "submitted",
        "uc2": "draft",
    }
    assert demo.review_states(P)["uc5"] == "submitted"
    assert demo.review_states(P, installations=[]) == {}


def test_the_whole_cycle_is_kept_with_who_when_and_why(demo: Store) -> None:
    demo.review("VLIZ", "uc5", P, "submit", "all four figures in")
    demo.review("MARIS", "uc5", P, "return", "images processed looks high: please check")
    demo.review("VLIZ", "uc5", P, "comment", "checked: it includes the workshop runs")
    demo.review("VLIZ", "uc5", P, "submit")
    demo.review("MARIS", "uc5", P, "accept", "thanks")
    demo.review("MARIS", "uc5", P, "reopen", "VLIZ asked to fix a note")
    thread = demo.review_thread("uc5", P)
    assert [(e.actor, e.action, e.state) for e in thread] == [
        ("VLIZ", "submit", "submitted"),
        ("MARIS", "return", "returned"),
        ("VLIZ", "comment", "returned"),
        ("VLIZ", "submit", "submitted"),
        ("MARIS", "accept", "accepted"),
        ("MARIS", "reopen", "draft"),
    ]
    assert thread[1].comment == "images processed looks high: please check"
    assert all(e.at for e in thread) and len({e.at for e in thread}) == len(thread)
    assert demo.review_state("uc5", P) == "draft"
    recorded = [(c.actor, c.field, c.old, c.new) for c in demo.history(installation="uc5")]
    assert ("MARIS", "review", "submitted", "accepted") in recorded


# Who may take each action, from the state where the workflow allows it.
PERMISSIONS = [
    ("VLIZ", "submit", "draft", True),
    ("VLIZ", "submit", "returned", True),
    ("DFKI", "submit", "draft", False),  # another installation's provider
    ("MARIS", "submit", "draft", False),  # the leader does not submit for a provider
    ("VLIZ", "withdraw", "submitted", True),
    ("MARIS", "withdraw", "submitted", False),  # the leader returns instead
    ("DFKI", "withdraw", "submitted", False),
    ("MARIS", "accept", "submitted", True),
    ("VLIZ", "accept", "submitted", False),
    ("MARIS", "return", "submitted", True),
    ("VLIZ", "return", "submitted", False),
    ("MARIS", "reopen", "accepted", True),
    ("VLIZ", "reopen", "accepted", False),
    ("VLIZ", "comment", "accepted", True),
    ("MARIS", "comment", "draft", True),
    ("DFKI", "comment", "submitted", False),
    ("ACME", "comment", "draft", False),  # not of this project at all
]


@pytest.mark.parametrize(("actor", "action", "state", "allowed"), PERMISSIONS)
def test_who_may_do_what(demo: Store, actor: str, action: str, state: str, allowed: bool) -> None:
    bring_to(demo, state)
    before = demo.review_thread("uc5", P)
    if allowed:
        entry = demo.review(actor, "uc5", P, action, "a comment")
        assert entry.actor == actor and demo.review_thread("uc5", P)[-1] == entry
    else:
        with pytest.raises(PermissionDenied) as refused:
            demo.review(actor, "uc5", P, action, "a comment")
        assert actor in str(refused.value)
        assert demo.review_thread("uc5", P) == before


@pytest.mark.parametrize(
    ("state", "action", "says"),
    [
        ("draft", "accept", "it is first submitted by VLIZ"),
        ("returned", "accept", "it is first submitted by VLIZ"),
        ("draft", "return", "it is first submitted by VLIZ"),
        ("submitted", "reopen", "only an accepted one"),
        ("accepted", "submit", "reopened by the leader"),
        ("submitted", "submit", "draft or returned"),
        ("draft", "withdraw", "only a submitted one can be withdrawn"),
        ("accepted", "withdraw", "only a submitted one can be withdrawn"),
    ],
)
def test_an_action_out_of_turn_says_what_comes_first(
    demo: Store, state: str, action: str, says: str
) -> None:
    bring_to(demo, state)
    actor = "VLIZ" if action in ("submit", "withdraw") else "MARIS"
    with pytest.raises(InvalidValue, match=says):
        demo.review(actor, "uc5", P, action, "why")
    assert demo.review_state("uc5", P) == state


def test_returning_needs_a_comment(demo: Store) -> None:
    bring_to(demo, "submitted")
    with pytest.raises(InvalidValue, match="comment"):
        demo.review("MARIS", "uc5", P, "return", "  ")
    assert demo.review_state("uc5", P) == "submitted"


def test_an_unknown_action_is_refused(demo: Store) -> None:
    with pytest.raises(InvalidValue, match="submit, withdraw, accept, return, reopen, comment"):
        demo.review("MARIS", "uc5", P, "approve")


def test_accepted_figures_are_locked_for_providers_not_the_leader(demo: Store) -> None:
    demo.set_value("VLIZ", "uc5", "users", P, "9")
    bring_to(demo, "accepted")
    with pytest.raises(PermissionDenied, match=r"ask the leader \(MARIS\) to reopen"):
        demo.set_value("VLIZ", "uc5", "users", P, "10")
    with pytest.raises(PermissionDenied, match="reopen"):
        demo.set_assessment("VLIZ", "uc5", P, assessment="changed my mind")
    assert demo.value("uc5", "users", P).number == 9  # type: ignore[union-attr]
    demo.set_value("VLIZ", "uc5", "users", "M1-M12", "8")  # another period is not locked
    demo.set_value("MARIS", "uc5", "users", P, "10")  # the leader may still correct it
    demo.review("MARIS", "uc5", P, "reopen")
    assert demo.set_value("VLIZ", "uc5", "users", P, "11").number == 11


USERS = "Number of unique users of the AI image processing service"
WITHDRAW_FIRST = (
    "withdraw the submission first (`vatui review withdraw --installation uc5 --period M25-M36`"
)


def test_submitted_figures_are_locked_for_providers_until_they_withdraw(demo: Store) -> None:
    demo.set_value("VLIZ", "uc5", "users", P, "9")
    demo.set_assessment("VLIZ", "uc5", P, assessment="Ran all year.")
    bring_to(demo, "submitted")
    history = demo.history()
    refused = [
        lambda: demo.set_value("VLIZ", "uc5", "users", P, "10"),
        lambda: demo.set_value("VLIZ", "uc5", "users", P, None, note="a second look"),
        lambda: demo.clear_value("VLIZ", "uc5", "users", P),
        lambda: demo.set_assessment("VLIZ", "uc5", P, assessment="Changed my mind."),
        lambda: demo.add_delay("VLIZ", "uc5", "Waiting for the GPU nodes"),
    ]
    for change in refused:
        with pytest.raises(PermissionDenied) as refusal:
            change()
        assert "under review (submitted by VLIZ at " in str(refusal.value)
        assert WITHDRAW_FIRST in str(refusal.value)
    assert demo.history() == history
    demo.set_value("VLIZ", "uc5", "users", "M1-M12", "8")  # another period is not locked
    demo.set_value("DFKI", "uc1", "users", P, "3")  # nor another installation

    entry = demo.review("VLIZ", "uc5", P, "withdraw", "the users need a second look")
    assert (entry.action, entry.state, entry.comment) == (
        "withdraw",
        "draft",
        "the users need a second look",
    )
    assert demo.set_value("VLIZ", "uc5", "users", P, "10").number == 10
    demo.add_delay("VLIZ", "uc5", "Waiting for the GPU nodes")
    demo.review("VLIZ", "uc5", P, "submit")
    assert [e.action for e in demo.review_thread("uc5", P)] == ["submit", "withdraw", "submit"]


def test_a_withdrawal_needs_no_comment_and_is_in_the_history(demo: Store) -> None:
    bring_to(demo, "submitted")
    demo.review("VLIZ", "uc5", P, "withdraw")
    latest = demo.history(installation="uc5")[0]
    assert (latest.actor, latest.field, latest.old, latest.new) == (
        "VLIZ",
        "review",
        "submitted",
        "draft",
    )


def test_a_provider_cannot_clear_an_accepted_value(demo: Store) -> None:
    demo.set_value("VLIZ", "uc5", "users", P, "9")
    bring_to(demo, "accepted")
    with pytest.raises(PermissionDenied, match=r"ask the leader \(MARIS\) to reopen"):
        demo.clear_value("VLIZ", "uc5", "users", P)
    assert demo.value("uc5", "users", P).number == 9  # type: ignore[union-attr]


def test_the_leaders_changes_to_reviewed_figures_are_told_in_the_thread(demo: Store) -> None:
    demo.set_value("VLIZ", "uc5", "users", P, "9")
    demo.set_value("MARIS", "uc5", "countries", P, "2")  # a draft: nothing to tell
    bring_to(demo, "submitted")
    demo.set_value("MARIS", "uc5", "users", P, "12", note="counted again")
    demo.review("MARIS", "uc5", P, "accept")
    demo.set_assessment("MARIS", "uc5", P, assessment="The service ran all year, " * 10)
    demo.clear_value("MARIS", "uc5", "countries", P)
    notes = [(e.actor, e.action, e.state, e.comment) for e in demo.review_thread("uc5", P)]
    assert notes == [
        ("VLIZ", "submit", "submitted", ""),
        (
            "MARIS",
            "comment",
            "submitted",
            f"MARIS changed {USERS}: 9 → 12; {USERS} (note): (empty) → counted again",
        ),
        ("MARIS", "accept", "accepted", ""),
        (
            "MARIS",
            "comment",
            "accepted",
            "MARIS changed assessment: (empty) → The service ran all year, The service r…",
        ),
        ("MARIS", "comment", "accepted", "MARIS changed Number of countries of users: 2 → (none)"),
    ]
    assert demo.review_state("uc5", P) == "accepted"


def test_a_note_names_the_site_of_a_value_and_of_a_text(demo: Store) -> None:
    demo.review("UPC", "uc3", P, "submit")
    demo.set_value("MARIS", "uc3", "obsea-countries", P, "3")
    demo.set_assessment("MARIS", "uc3", P, site="azores", assessment="Fine.")
    assert [e.comment for e in demo.review_thread("uc3", P)[1:]] == [
        "MARIS changed Number of countries of users (site obsea): (none) → 3",
        "MARIS changed assessment (azores): (empty) → Fine.",
    ]


def test_a_leaders_change_and_its_note_are_one_write(demo: Store) -> None:
    """A change that is refused leaves no note; a note that cannot be written leaves no change."""
    bring_to(demo, "submitted")
    with pytest.raises(InvalidValue):
        demo.set_value("MARIS", "uc5", "users", P, "seven")
    assert len(demo.review_thread("uc5", P)) == 1
    demo.db.execute(
        "create trigger no_notes before insert on reviews when new.action = 'comment' "
        "begin select raise(abort, 'the thread is full'); end"
    )
    with pytest.raises(StoreError, match="the thread is full"):
        demo.set_value("MARIS", "uc5", "users", P, "12")
    assert demo.value("uc5", "users", P) is None


def test_a_resubmission_says_what_changed_since_the_return(demo: Store) -> None:
    demo.set_value("VLIZ", "uc5", "users", P, "9")
    demo.set_value("VLIZ", "uc5", "countries", P, "3")
    bring_to(demo, "returned")
    demo.set_value("VLIZ", "uc5", "users", P, "10")
    demo.set_value("VLIZ", "uc5", "users", P, "11")
    demo.set_value("VLIZ", "uc5", "countries", P, "4")
    demo.set_value("VLIZ", "uc5", "countries", P, "3")  # and back: no change in the end
    demo.set_assessment("VLIZ", "uc5", P, assessment="Ran all year.")
    demo.add_delay("VLIZ", "uc5", "Waiting for the GPU nodes", replanned="2025-03-01")
    demo.review("VLIZ", "uc5", P, "submit", "Users counted again.")
    assert demo.review_thread("uc5", P)[-1].comment == (
        "Users counted again.\n\nChanged since the return: "
        f"{USERS}: 9 → 11; assessment: (empty) → Ran all year.; "
        "delay log: (none) → Waiting for the GPU nodes"
    )
    demo.review("MARIS", "uc5", P, "return", "Still too many users?")
    demo.review("VLIZ", "uc5", P, "submit")
    assert demo.review_thread("uc5", P)[-1].comment == "Nothing changed since the return."


def test_a_resubmission_stays_within_a_comments_limit(demo: Store) -> None:
    bring_to(demo, "returned")
    for metric in ("users", "images-processed", "images-ingested", "countries"):
        demo.set_value("VLIZ", "uc5", metric, P, "12345")
    demo.review("VLIZ", "uc5", P, "submit", "x" * 1800)
    comment = demo.review_thread("uc5", P)[-1].comment
    assert len(comment) <= 2000 and comment.endswith("; and 2 more")


def test_a_store_from_before_withdrawals_is_upgraded_with_its_threads(demo_path: Path) -> None:
    with Store.open(demo_path, clock=counting_clock()) as store:
        bring_to(store, "returned")
        before = store.review_thread("uc5", P)
    with sqlite3.connect(demo_path) as conn:  # the reviews table as the step before made it
        for view in ("installation_metric_values", "installation_providers"):  # came after it
            conn.execute(f"drop view {view}")
        conn.execute("delete from _sqlite_migrations where name = 'm008_readable_views'")
        kept = conn.execute("select * from reviews").fetchall()
        conn.execute("drop table reviews")
        m002_reviews(Database(conn))
        conn.executemany("insert into reviews values (?, ?, ?, ?, ?, ?, ?, ?)", kept)
        conn.execute("delete from _sqlite_migrations where name = 'm007_review_withdraw'")
    conn.close()
    with Store.open(demo_path, clock=counting_clock()) as store:
        assert store.review_thread("uc5", P) == before
        store.review("VLIZ", "uc5", P, "submit")
        assert store.review("VLIZ", "uc5", P, "withdraw").state == "draft"
        with pytest.raises(sqlite3.IntegrityError, match="never changed"):
            store.db.execute("update reviews set comment = ''")


def test_states_and_unaccepted_for_the_dashboard_and_export(demo: Store) -> None:
    bring_to(demo, "accepted")
    demo.review("DFKI", "uc1", P, "submit")
    assert demo.review_states(P) == {
        "uc1": "submitted",
        "uc2": "draft",
        "uc3": "draft",
        "uc4": "draft",
        "uc5": "accepted",
    }
    assert demo.unaccepted(P) == ["uc1", "uc2", "uc3", "uc4"]
    assert demo.unaccepted("M1-M12") == ["uc1", "uc2", "uc3", "uc4", "uc5"]
    assert demo.unaccepted("M13-M24") == []  # the demo's report was accepted on delivery


def test_review_entries_are_never_changed(demo: Store) -> None:
    bring_to(demo, "submitted")
    with pytest.raises(sqlite3.IntegrityError, match="never changed"):
        demo.db.execute("update reviews set state = 'accepted'")
    assert demo.review_state("uc5", P) == "submitted"


def test_a_store_from_before_reviews_is_upgraded(demo_path: Path) -> None:
    with sqlite3.connect(demo_path) as conn:
        conn.execute("drop table reviews")
        conn.execute("delete from _sqlite_migrations where name = 'm002_reviews'")
    conn.close()
    with Store.open(demo_path, clock=counting_clock()) as store:
        bring_to(store, "submitted")
    assert list(demo_path.parent.glob("*.m001_initial.bak"))


# ---- the CLI -----------------------------------------------------------------------------


def test_review_through_the_cli(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    where = ("--db", str(demo_path), "--installation", "uc5", "--period", P)
    code, out, _ = run(capsys, "review", "submit", "--as", "VLIZ", *where)
    assert code == 0 and "uc5 M25-M36: draft → submitted (VLIZ)" in out
    code, _, err = run(capsys, "review", "accept", "--as", "VLIZ", *where)
    assert code == 1 and "only the project leader MARIS" in err and "Traceback" not in err
    code, _, err = run(capsys, "review", "return", "--as", "MARIS", *where)
    assert code == 1 and "comment" in err
    code, out, _ = run(capsys, "review", "return", "--as", "MARIS", *where, "--comment", "why 9?")
    assert code == 0 and "submitted → returned" in out
    code, out, _ = run(capsys, "review", "show", *where)
    assert code == 0
    assert "\tMARIS\treturn\treturned\twhy 9?\n" in out and "\tVLIZ\tsubmit\t" in out
    code, out, _ = run(capsys, "review", "show", "--db", str(demo_path), "--period", P)
    assert code == 0 and "returned" in out and "uc4" in out
    with Store.open(demo_path) as store:
        assert [e.action for e in store.review_thread("uc5", P)] == ["submit", "return"]


def test_a_provider_edit_of_an_accepted_period_is_refused_by_the_cli(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(demo_path) as store:
        store.review("VLIZ", "uc5", P, "submit")
        store.review("MARIS", "uc5", P, "accept")
    setting = ("set", "--db", str(demo_path), "--installation", "uc5", "--period", P)
    code, _, err = run(capsys, *setting, "--metric", "users", "--as", "VLIZ", "12")
    assert code == 1 and "reopen" in err and "Traceback" not in err
    with Store.open(demo_path) as store:
        assert store.value("uc5", "users", P) is None


def test_a_provider_withdraws_through_the_cli_to_change_its_figures(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    where = ("--db", str(demo_path), "--installation", "uc5", "--period", P)
    setting = ("set", "--metric", "users", "--as", "VLIZ", *where)
    assert run(capsys, *setting, "9")[0] == 0
    assert run(capsys, "review", "submit", "--as", "VLIZ", *where)[0] == 0
    code, _, err = run(capsys, *setting, "12")
    flat = " ".join(err.split())
    assert code == 1 and "Traceback" not in err
    assert "VLIZ may not change uc5 M25-M36: it is under review (submitted by VLIZ" in flat
    assert "`vatui review withdraw --installation uc5 --period M25-M36`" in flat
    code, out, _ = run(capsys, "review", "withdraw", "--as", "VLIZ", *where, "--comment", "oops")
    assert code == 0 and "uc5 M25-M36: submitted → draft (VLIZ)" in out
    assert run(capsys, *setting, "12")[0] == 0
    code, out, _ = run(capsys, "review", "show", *where)
    assert "withdraw" in out and "oops" in out
