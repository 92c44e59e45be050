"""Submission files: the template, the checks with line numbers, and the all-or-nothing import."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from vatui.exports.submission import submission_template
from vatui.store import StaleEdit, Store, StoreError
from vatui.store.submissions import SubmissionRefused, apply_submission, read_submission

from tests.cli_helpers import run, snapshot

P = "M25-M36"


def fill(text: str, metric: str, value: str, note: str | None = None) -> str:
    """Write a value (TOML source, e.g. '"9"' or '412345') into a metric's table by editing text."""
    pattern = rf'(id = "{re.escape(metric)}"\nvalue = )[^\n]*(\nnote = )[^\n]*'
    filled, count = re.subn(
        pattern, lambda m: m[1] + value + m[2] + (f'"{note}"' if note else '""'), text
    )
    assert count == 1, metric
    return filled


def line_with(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


@pytest.fixture
def uc5_file(demo: Store) -> str:
    return submission_template(demo, "uc5", P)[0]


# ---- the template ----------------------------------------------------------------------------


def test_the_template_tells_a_newcomer_what_to_write_where(demo: Store, uc5_file: str) -> None:
    data = tomllib.loads(uc5_file)
    assert (data["installation"], data["period"]) == ("uc5", P)
    assert [m["id"] for m in data["metric"]] == [m.id for m in demo.metrics("uc5")]
    assert all(m["value"] == "" and m["note"] == "" for m in data["metric"])
    assert set(data["assessment"][0]) == {"assessment", "delay", "planning"}
    assert data["delay"] == {"reason": "", "replanned": ""}
    users = uc5_file[: uc5_file.index('id = "users"')]
    users = users[users.rindex("[[metric]]") :]
    assert "# kind: count, write a number" in users
    assert "# baseline: 5" in users
    assert "# measured: Account management" in users
    assert "# M13-M24 (previous period): 7" in users
    assert "vatui submission import --as VLIZ" in uc5_file
    assert 'assessment = """\n' in uc5_file  # multi-line strings, ready to type into


def test_a_short_period_shows_the_pro_rated_target(demo: Store) -> None:
    demo.add_period("MARIS", "M37-M42")
    text = submission_template(demo, "uc5", "M37-M42")[0]
    assert "# baseline: 300,000 per year; target 150,000 (pro-rated to 6 months)" in text
    assert "# M25-M36 (previous period): no value" in text


def test_sites_get_their_own_assessment(demo: Store) -> None:
    data = tomllib.loads(submission_template(demo, "uc3", "M13-M24")[0])
    assert [a.get("site") for a in data["assessment"]] == [None, "obsea", "azores", "smartbay"]
    assert data["assessment"][1]["assessment"].startswith("The UC3o team")


def test_an_untouched_template_of_a_filled_period_changes_nothing(demo: Store) -> None:
    """The demo's wordings ("2,075,958", "1 (Italy)", "0") read back as the same values."""
    for item in demo.installations():
        text = submission_template(demo, item.id, "M13-M24")[0]
        submission = read_submission(demo, "MARIS", text, f"{item.id}.toml")
        assert submission.changes == [], item.id


# ---- reading and applying -------------------------------------------------------------------


def test_an_import_shows_old_and_new_then_writes_with_the_file_name(
    demo: Store, uc5_file: str
) -> None:
    demo.set_value("VLIZ", "uc5", "users", P, "8")
    text = fill(uc5_file, "users", '"9"', note="from the portal")
    text = fill(text, "images-processed", "412345")
    text = text.replace('assessment = """\n"""', 'assessment = """\nRan all year.\n"""')
    submission = read_submission(demo, "VLIZ", text, "uc5.toml")
    shown = [(c.what, c.old, c.new) for c in submission.changes]
    assert shown == [
        ("Number of unique users of the AI image processing service", "8", "9"),
        (
            "Number of unique users of the AI image processing service (note)",
            "(empty)",
            "from the portal",
        ),
        ("Number of images processed per year", "(none)", "412345"),
        ("assessment", "(empty)", "Ran all year."),
    ]
    assert submission.changes[0].line == line_with(text, 'value = "9"')
    assert demo.value("uc5", "users", P).number == 8  # type: ignore[union-attr]
    apply_submission(demo, submission)
    assert demo.value("uc5", "users", P).number == 9  # type: ignore[union-attr]
    assert demo.value("uc5", "images-processed", P).shown == "412,345"  # type: ignore[union-attr]
    assert demo.assessment("uc5", P).assessment == "Ran all year.\n"
    recorded = demo.history(installation="uc5")[:4]
    assert {(c.actor, c.source) for c in recorded} == {("VLIZ", "uc5.toml")}


def test_an_empty_value_keeps_what_the_store_has(demo: Store, uc5_file: str) -> None:
    demo.set_value("VLIZ", "uc5", "users", P, "8", note="kept")
    demo.set_assessment("VLIZ", "uc5", P, assessment="Kept too.\n")
    blank = fill(submission_template(demo, "uc5", P)[0], "users", '""')
    blank = blank.replace('"""\nKept too.\n"""', '"""\n"""')
    assert read_submission(demo, "VLIZ", blank, "f.toml").changes == []


def test_importing_the_same_file_twice_changes_nothing_the_second_time(
    demo: Store, uc5_file: str
) -> None:
    text = fill(uc5_file, "users", '"9"')
    text = text.replace('reason = ""', 'reason = "Waiting for the new GPU nodes"')
    text = text.replace('replanned = ""', 'replanned = "2025-03-01"')
    apply_submission(demo, read_submission(demo, "VLIZ", text, "f.toml"))
    history = demo.history()
    assert read_submission(demo, "VLIZ", text, "f.toml").changes == []
    assert demo.history() == history
    assert [d.reason for d in demo.delays("uc5")] == ["Waiting for the new GPU nodes"]


def test_countries_as_text_or_a_list(demo: Store) -> None:
    text = submission_template(demo, "uc1", P)[0]
    apply_submission(
        demo, read_submission(demo, "DFKI", fill(text, "country-names", '["IT", "Spain"]'), "f")
    )
    assert demo.value("uc1", "country-names", P).countries == ("IT", "ES")  # type: ignore[union-attr]
    again = fill(text, "country-names", '"Italy, ES"')
    assert read_submission(demo, "DFKI", again, "f").changes == []


def test_all_or_nothing_when_a_write_fails_midway(demo: Store, uc5_file: str) -> None:
    text = fill(fill(uc5_file, "users", '"9"'), "countries", '"3"')
    submission = read_submission(demo, "VLIZ", text, "f.toml")
    demo.set_value("MARIS", "uc5", "countries", P, "2")  # someone else writes in between
    with pytest.raises(StaleEdit):
        apply_submission(demo, submission)
    assert demo.value("uc5", "users", P) is None  # the first write was rolled back
    assert demo.value("uc5", "countries", P).number == 2  # type: ignore[union-attr]


def test_a_site_assessment_goes_to_its_site(demo: Store) -> None:
    text = submission_template(demo, "uc3", P)[0]
    start = text.index('site = "azores"')
    site_part = text[start:].replace(
        'assessment = """\n"""', 'assessment = """\nAzores ok.\n"""', 1
    )
    apply_submission(demo, read_submission(demo, "UPC", text[:start] + site_part, "f"))
    assert demo.assessment("uc3", P, "azores").assessment == "Azores ok.\n"
    assert demo.assessment("uc3", P).assessment == ""


# ---- refusals --------------------------------------------------------------------------------


def test_a_file_for_another_providers_installation_is_refused(demo: Store, uc5_file: str) -> None:
    with pytest.raises(SubmissionRefused) as refused:
        read_submission(demo, "DFKI", fill(uc5_file, "users", '"9"'), "uc5.toml")
    (problem,) = refused.value.problems
    line = line_with(uc5_file, 'installation = "uc5"')
    assert problem.startswith(f"uc5.toml:{line}: DFKI may not submit figures on uc5")
    assert "provided by VLIZ" in problem


def test_five_mistakes_five_lines(demo: Store, uc5_file: str) -> None:
    text = uc5_file.replace(f'period = "{P}"', 'period = "M37-M48"')
    text = fill(text, "users", '"seven"')
    text = fill(text, "images-processed", '["BE"]')
    text = text.replace('id = "images-ingested"', 'id = "images-eaten"')
    text = text.replace('replanned = ""', 'reason = "late"\nreplanned = "next spring"', 1)
    text = text.replace('reason = ""\n', "")
    with pytest.raises(SubmissionRefused) as refused:
        read_submission(demo, "VLIZ", text, "f.toml")
    expected = [
        (line_with(text, 'period = "M37-M48"'), "unknown period 'M37-M48'"),
        (line_with(text, '"seven"'), "'seven' is not accepted"),
        (line_with(text, '["BE"]'), "count metric: a number"),
        (line_with(text, "images-eaten"), "uc5 has no metric 'images-eaten'"),
        (line_with(text, "next spring"), "a date as YYYY-MM-DD"),
    ]
    problems = refused.value.problems
    assert len(problems) == 5
    for problem, (line, message) in zip(problems, expected, strict=True):
        assert problem.startswith(f"f.toml:{line}: ") and message in problem


def test_more_mistakes_each_named_once(demo: Store, uc5_file: str) -> None:
    text = uc5_file.replace('id = "users"', 'id = "users"\nvaleu = "9"')
    text = text.replace('id = "countries"', 'id = "users"')  # the same metric twice
    text = text + '\n[[assessment]]\nsite = "obsea"\n'  # uc5 has no sites
    with pytest.raises(SubmissionRefused) as refused:
        read_submission(demo, "VLIZ", text, "f")
    messages = "\n".join(refused.value.problems)
    assert "unknown key 'valeu' in [metric]; known: name, id, value, note" in messages
    assert "is already given in metric[0]" in messages
    assert "unknown site of uc5 'obsea'" in messages


def test_an_ambiguous_country_is_refused_with_its_choices(demo: Store) -> None:
    text = fill(submission_template(demo, "uc1", P)[0], "country-names", '"Korea, Narnia"')
    with pytest.raises(SubmissionRefused, match="Narnia"):
        read_submission(demo, "DFKI", text, "f")
    text = fill(submission_template(demo, "uc1", P)[0], "country-names", '"Korea"')
    with pytest.raises(SubmissionRefused, match="more than one country"):
        read_submission(demo, "DFKI", text, "f")


def test_a_toml_syntax_error_names_its_line(demo: Store, uc5_file: str) -> None:
    text = uc5_file.replace('id = "users"\nvalue = ""', 'id = "users"\nvalue = 9 9')
    with pytest.raises(SubmissionRefused) as refused:
        read_submission(demo, "VLIZ", text, "f")
    (problem,) = refused.value.problems
    assert problem.startswith(f"f:{line_with(text, 'value = 9 9')}: not valid TOML")


def test_an_accepted_period_refuses_a_providers_changes_but_not_the_leaders(
    demo: Store, uc5_file: str
) -> None:
    demo.review("VLIZ", "uc5", P, "submit")
    demo.review("MARIS", "uc5", P, "accept")
    text = fill(uc5_file, "users", '"9"')
    with pytest.raises(SubmissionRefused, match="reopen"):
        read_submission(demo, "VLIZ", text, "f")
    assert read_submission(demo, "VLIZ", uc5_file, "f").changes == []  # nothing to change: fine
    apply_submission(demo, read_submission(demo, "MARIS", text, "f"))
    assert demo.value("uc5", "users", P).updated_by == "MARIS"  # type: ignore[union-attr]


# ---- merging the template into an existing file --------------------------------------------


def test_a_merge_keeps_the_users_comments_and_shows_the_stores_values(
    demo: Store, uc5_file: str
) -> None:
    mine = fill(uc5_file, "users", '"9"  # counted by hand').replace(
        'installation = "uc5"', '# our copy, Ostend\ninstallation = "uc5"'
    )
    mine = mine.replace('id = "countries"', '# ask Jan about this one\nid = "countries"')
    demo.set_value("VLIZ", "uc5", "users", P, "10")
    demo.set_value("VLIZ", "uc5", "countries", P, "3", note="BE, NL, FR")
    merged, notes = submission_template(demo, "uc5", P, existing=mine)
    assert "# our copy, Ostend" in merged and "# ask Jan about this one" in merged
    assert 'value = "10"  # counted by hand' in merged
    data = tomllib.loads(merged)
    countries = next(m for m in data["metric"] if m["id"] == "countries")
    assert (countries["value"], countries["note"]) == ("3", "BE, NL, FR")
    assert notes == [
        "Number of unique users of the AI image processing service: the file had "
        "'9', vatui has '10'"
    ]


def test_a_merge_adds_what_the_file_lacks(demo: Store, uc5_file: str) -> None:
    without_users = re.sub(r"\[\[metric\]\][^\[]*?id = \"users\"[^\[]*", "", uc5_file, count=1)
    merged, _ = submission_template(demo, "uc5", P, existing=without_users)
    ids = [m["id"] for m in tomllib.loads(merged)["metric"]]
    assert sorted(ids) == sorted(m.id for m in demo.metrics("uc5"))


def test_a_merge_refuses_a_file_for_another_installation(demo: Store, uc5_file: str) -> None:
    with pytest.raises(StoreError, match="a submission for uc5 M25-M36, not uc1 M25-M36"):
        submission_template(demo, "uc1", P, existing=uc5_file)


# ---- the CLI: the round trip of the issue ------------------------------------------------


def uc5_values(capsys: pytest.CaptureFixture[str], db: str) -> dict[str, str | None]:
    rows = json.loads(run(capsys, "status", "--db", db, "--period", P, "--json")[1])
    return {row["metric_id"]: row["display"] for row in rows if row["installation"] == "uc5"}


def test_round_trip_through_the_cli(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, path = str(demo_path), demo_path.parent / "uc5.toml"
    where = ("--db", db, "--installation", "uc5", "--period", P)
    assert run(capsys, "submission", "template", *where, "-o", str(path))[0] == 0
    text = fill(path.read_text(), "users", '"9"  # from the portal')
    text = fill(text, "images-processed", '"412,345"')
    path.write_text("# VLIZ's copy: keep this line\n" + text)

    code, out, _ = run(
        capsys, "submission", "import", "--db", db, "--as", "VLIZ", str(path), "--dry-run"
    )
    assert code == 0 and "(none)" in out and "412,345" in out and "Dry run" in out
    assert set(uc5_values(capsys, db).values()) == {None}

    code, out, _ = run(capsys, "submission", "import", "--db", db, "--as", "VLIZ", str(path))
    assert code == 0 and "Imported 2 changes" in out
    values = uc5_values(capsys, db)
    assert (values["users"], values["images-processed"]) == ("9", "412,345")

    code, out, _ = run(capsys, "submission", "import", "--db", db, "--as", "VLIZ", str(path))
    assert code == 0 and "Nothing to change" in out

    fresh = run(capsys, "submission", "template", *where)[1]
    assert fill(fresh, "users", '"9"') == fresh  # the current values are in a new template
    assert fill(fresh, "images-processed", '"412,345"') == fresh

    assert run(capsys, "submission", "template", *where, "-o", str(path))[0] == 0
    rewritten = path.read_text()
    assert "# VLIZ's copy: keep this line" in rewritten
    assert 'value = "9"  # from the portal' in rewritten


def test_the_cli_refuses_another_provider_and_writes_nothing(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, path = str(demo_path), demo_path.parent / "uc5.toml"
    run(
        capsys,
        "submission",
        "template",
        "--db",
        db,
        "--installation",
        "uc5",
        "--period",
        P,
        "-o",
        str(path),
    )
    path.write_text(fill(path.read_text(), "users", '"9"'))
    before = snapshot(demo_path)
    code, out, err = run(capsys, "submission", "import", "--db", db, "--as", "DFKI", str(path))
    assert code == 1
    assert f"{path}:" in err and "DFKI may not submit figures on uc5" in err
    assert "nothing was written" in " ".join(err.split()) and "Traceback" not in err
    assert snapshot(demo_path) == before


def test_the_cli_lists_every_mistake_and_writes_nothing(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, path = str(demo_path), demo_path.parent / "bad.toml"
    with Store.open(demo_path) as store:
        text = submission_template(store, "uc5", P)[0]
    text = fill(fill(text, "users", '"seven"'), "countries", '"-2"')
    text = fill(text, "images-ingested", "true")
    text = text.replace('id = "images-processed"', 'id = "images-eaten"')
    text = text.replace(f'period = "{P}"', 'period = "M99-M100"')
    path.write_text(text)
    before = snapshot(demo_path)
    code, _, err = run(capsys, "submission", "import", "--db", db, "--as", "VLIZ", str(path))
    assert code == 1
    assert len(re.findall(rf"^{re.escape(str(path))}:\d+: ", err, re.M)) == 5
    assert "5 problems" in err and "Traceback" not in err
    assert snapshot(demo_path) == before


def test_the_cli_imports_and_submits_in_one_go(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, path = str(demo_path), demo_path.parent / "uc5.toml"
    with Store.open(demo_path) as store:
        path.write_text(fill(submission_template(store, "uc5", P)[0], "users", "9"))
    code, out, _ = run(
        capsys, "submission", "import", "--db", db, "--as", "VLIZ", str(path), "--submit"
    )
    assert code == 0 and "submitted for review" in out
    with Store.open(demo_path) as store:
        assert store.review_state("uc5", P) == "submitted"


def test_a_missing_file_is_a_message_not_a_traceback(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "submission", "import", "--db", str(demo_path), "--as", "VLIZ", "nope.toml"
    )
    assert code == 1 and "cannot read the submission file nope.toml" in err
