"""Submission files and the review: a submitted period takes no provider's file until it is
withdrawn, and `--submit --comment` writes the file and submits it in one go, or nothing."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from vatui.exports.submission import submission_template
from vatui.store import Store
from vatui.store.submissions import SubmissionRefused, apply_submission, read_submission

from tests.cli_helpers import run, snapshot
from tests.test_submission import fill, line_with

P = "M25-M36"


@pytest.fixture
def uc5_file(demo: Store) -> str:
    return submission_template(demo, "uc5", P)[0]


def test_a_submitted_period_refuses_a_providers_file_until_it_is_withdrawn(
    demo: Store, uc5_file: str
) -> None:
    demo.review("VLIZ", "uc5", P, "submit")
    text = fill(uc5_file, "users", '"9"')
    with pytest.raises(SubmissionRefused) as refused:
        read_submission(demo, "VLIZ", text, "uc5.toml")
    (problem,) = refused.value.problems
    assert problem.startswith(f"uc5.toml:{line_with(text, 'period = ')}: VLIZ may not change uc5")
    assert "`vatui review withdraw --installation uc5 --period M25-M36`" in problem
    assert read_submission(demo, "VLIZ", uc5_file, "f").changes == []  # nothing to change: fine
    demo.review("VLIZ", "uc5", P, "withdraw")
    apply_submission(demo, read_submission(demo, "VLIZ", text, "uc5.toml"))
    assert demo.value("uc5", "users", P).number == 9  # type: ignore[union-attr]


def test_the_leaders_file_for_a_submitted_period_is_told_in_the_thread(
    demo: Store, uc5_file: str
) -> None:
    demo.set_value("VLIZ", "uc5", "users", P, "8")
    demo.review("VLIZ", "uc5", P, "submit")
    apply_submission(demo, read_submission(demo, "MARIS", fill(uc5_file, "users", '"9"'), "f"))
    last = demo.review_thread("uc5", P)[-1]
    assert (last.actor, last.action, last.state) == ("MARIS", "comment", "submitted")
    assert last.comment.endswith("image processing service: 8 → 9")


def test_a_delay_in_a_file_waits_while_another_period_is_submitted(
    demo: Store, uc5_file: str
) -> None:
    demo.review("VLIZ", "uc5", "M1-M12", "submit")
    text = uc5_file.replace('reason = ""', 'reason = "Waiting for the GPU nodes"')
    with pytest.raises(SubmissionRefused) as refused:
        read_submission(demo, "VLIZ", text, "f")
    (problem,) = refused.value.problems
    assert problem.startswith(f"f:{line_with(text, 'Waiting for the GPU')}: VLIZ may not record")
    assert (
        "its figures for M1-M12, with the delay log, are under review (submitted by VLIZ" in problem
    )
    assert "--period M1-M12" in problem


# ---- the CLI ----------------------------------------------------------------------------


def write_file(demo_path: Path, text: str) -> Path:
    path = demo_path.parent / "uc5.toml"
    path.write_text(text)
    return path


def importing(db: Path, actor: str, path: Path, *options: str) -> tuple[str, ...]:
    return ("submission", "import", "--db", str(db), "--as", actor, str(path), *options)


def test_import_submit_with_a_comment(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Store.open(demo_path) as store:
        path = write_file(demo_path, fill(submission_template(store, "uc5", P)[0], "users", "9"))
    comment = ("--submit", "--comment", "Counted from the portal.")
    code, out, _ = run(capsys, *importing(demo_path, "VLIZ", path, *comment))
    assert code == 0 and "Imported 1 change" in out and "uc5 M25-M36 submitted for review" in out
    with Store.open(demo_path) as store:
        entry = store.review_thread("uc5", P)[-1]
        assert (entry.actor, entry.action, entry.comment) == (
            "VLIZ",
            "submit",
            "Counted from the portal.",
        )
        assert entry.state == store.review_state("uc5", P) == "submitted"
    code, out, _ = run(capsys, *importing(demo_path, "VLIZ", path, *comment))
    assert code == 0 and "Nothing to change" in out
    assert "already submitted for review; the comment was not added" in " ".join(out.split())


def test_a_comment_without_submit_is_refused(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_file(demo_path, "")
    code, _, err = run(capsys, *importing(demo_path, "VLIZ", path, "--comment", "hello"))
    assert code == 1 and "--comment" in err and "add --submit" in err and "Traceback" not in err


def test_a_refused_submit_writes_none_of_the_file(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The leader may import a provider's file, but not submit it: neither happens."""
    with Store.open(demo_path) as store:
        path = write_file(demo_path, fill(submission_template(store, "uc5", P)[0], "users", "9"))
    before = snapshot(demo_path)
    code, _, err = run(capsys, *importing(demo_path, "MARIS", path, "--submit"))
    flat = " ".join(err.split())
    assert code == 1 and "MARIS may not submit the figures of M25-M36 on uc5" in flat
    assert f"nothing from {path} was written" in flat and "Traceback" not in err
    assert snapshot(demo_path) == before


def test_a_resubmitted_file_says_what_changed_since_the_return(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(demo_path) as store:
        store.set_value("VLIZ", "uc5", "users", P, "8")
        store.review("VLIZ", "uc5", P, "submit")
        store.review("MARIS", "uc5", P, "return", "8 users? The portal says 9.")
        path = write_file(demo_path, fill(submission_template(store, "uc5", P)[0], "users", "9"))
    code, _, _ = run(capsys, *importing(demo_path, "VLIZ", path, "--submit", "--comment", "Yes."))
    assert code == 0
    with Store.open(demo_path) as store:
        assert store.review_thread("uc5", P)[-1].comment == (
            "Yes.\n\nChanged since the return: "
            "Number of unique users of the AI image processing service: 8 → 9"
        )


# ---- the template ----------------------------------------------------------------------


def test_the_template_carries_the_leaders_latest_comment(demo: Store) -> None:
    demo.review("VLIZ", "uc5", P, "submit", "All four figures in.")
    demo.review("MARIS", "uc5", P, "return", "Users: count unique logins.\nImages: per year.")
    demo.review("VLIZ", "uc5", P, "comment", "On it.")
    text = submission_template(demo, "uc5", P)[0]
    head = text[: text.index("installation = ")]
    assert "# Review: returned (the leader sent it back: see the comment)." in head
    assert "# The leader's latest comment (MARIS, return, " in head
    assert "# Users: count unique logins.\n# Images: per year.\n" in head
    assert "On it." not in head and "All four" not in head  # only the leader's
    assert "Review:" not in submission_template(demo, "uc1", P)[0]  # nothing reviewed yet


def test_a_hostile_comment_stays_a_comment(demo: Store) -> None:
    """A comment written into the store by hand cannot end the TOML comment or reach the
    terminal the template is printed on."""
    hostile = 'ok\rinstallation = "uc1"\u2028period = "M1-M12"\x1b]52;c;cm0gLXJmIH4=\x07'
    demo.db.execute(
        "insert into reviews (installation, period, action, state, actor, at, comment) "
        "values ('uc5', ?, 'return', 'returned', 'MARIS', '2024-10-09T10:00:00Z', ?)",
        [P, hostile],
    )
    text = submission_template(demo, "uc5", P)[0]
    data = tomllib.loads(text)
    assert (data["installation"], data["period"]) == ("uc5", P)
    assert "\x1b" not in text and "\x07" not in text and "\r" not in text
    assert '# installation = "uc1"' in text and "\\x1b]52;c;cm0gLXJmIH4=\\x07" in text
