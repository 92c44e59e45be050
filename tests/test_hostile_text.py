"""Text from other organisations is refused at input when it holds control characters, is
longer than its field takes, or spreads a name over lines; the refusal names the field and
where the character is, and nothing is written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from vatui.store import InvalidValue, Store
from vatui.store.models import Installation, Metric, Milestone, Project
from vatui.store.submissions import SubmissionRefused, read_submission
from vatui.store.text import NOTE_LIMIT, TEXT_LIMIT, printable

from tests.test_failures import run

OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"
HOSTILE = [OSC52, "\x1b]2;pwned\x07", "\x1b[31mred", "\x9b31m", "\x90", "bell\x07", "nul\x00",
           "\u202eevil", "del\x7f"]  # fmt: skip


@pytest.mark.parametrize("bad", HOSTILE, ids=repr)
def test_a_note_holding_a_control_character_is_refused_saying_where(demo: Store, bad: str) -> None:
    before = len(demo.history())
    with pytest.raises(InvalidValue) as refused:
        demo.set_value("VLIZ", "uc5", "users", "M25-M36", "4", note=f"counted {bad}")
    message = str(refused.value)
    assert message.startswith("note:") and "control characters" in message
    at = len("counted ") + re.search(r"[\x00-\x08\x7f-\x9f\x1b\u202e]", bad).start() + 1
    assert f"character {at}" in message
    assert printable(message) == message, "the refusal itself must be safe to print"
    assert demo.value("uc5", "users", "M25-M36") is None and len(demo.history()) == before


def test_every_text_field_takes_the_same_rule(demo: Store) -> None:
    refusals = {
        "assessment": lambda: demo.set_assessment(
            "VLIZ", "uc5", "M25-M36", assessment=f"line one\nline {OSC52}"
        ),
        "reason": lambda: demo.add_delay("VLIZ", "uc5", f"late {OSC52}"),
        "comment": lambda: demo.review("VLIZ", "uc5", "M25-M36", "comment", f"see {OSC52}"),
        "name": lambda: demo.update_installation("MARIS", "uc5", name="Flowcam\nphyto"),
        "providers": lambda: demo.update_installation("MARIS", "uc5", providers="VLIZ, \x1bX"),
        "Description": lambda: demo.update_installation("VLIZ", "uc5", description=OSC52),
        "metric name": lambda: demo.update_metric("MARIS", "uc5", "users", name="Users\u202e"),
        "title": lambda: demo.update_milestone("MARIS", "M5.4", title="Five\x9b31m"),
    }
    for field, attempt in refusals.items():
        with pytest.raises(InvalidValue) as refused:
            attempt()
        assert "control characters" in str(refused.value) or "line" in str(refused.value), field
    assert demo.history(since="2000-01-01") == demo.history()  # nothing was written
    assert not [c for c in demo.history() if "\x1b" in (c.new or "")]


def test_a_text_longer_than_its_field_takes_is_refused_with_both_lengths(demo: Store) -> None:
    with pytest.raises(InvalidValue, match=f"at most {NOTE_LIMIT:,} characters; it has 2,001"):
        demo.set_value("VLIZ", "uc5", "users", "M25-M36", "4", note="x" * (NOTE_LIMIT + 1))
    with pytest.raises(InvalidValue, match=f"at most {TEXT_LIMIT:,} characters"):
        demo.set_assessment("VLIZ", "uc5", "M25-M36", assessment="y" * (TEXT_LIMIT + 1))
    demo.set_assessment("VLIZ", "uc5", "M25-M36", assessment="y" * TEXT_LIMIT)


def test_new_records_and_projects_are_checked_too(demo: Store, tmp_path: Path) -> None:
    with pytest.raises(InvalidValue, match="name"):
        demo.add_installation("MARIS", Installation("uc9", 9, "New\x1b[2J"))
    with pytest.raises(InvalidValue, match="title"):
        demo.add_milestone("MARIS", Milestone("M5.9", "Done\x07", 30))
    with pytest.raises(InvalidValue, match="project name"):
        Store.create(tmp_path / "x.db", Project("iMagine\x1b]2;x\x07", "2022-09", "MARIS"), [])
    assert not (tmp_path / "x.db").exists()


def test_a_submission_file_with_a_control_character_names_its_line(demo: Store) -> None:
    text = (
        'installation = "uc5"\nperiod = "M25-M36"\n\n[[metric]]\nid = "users"\nvalue = "4"\n'
        'note = "counted \\u001b]52;c;cm0=\\u0007"\n'
    )
    with pytest.raises(SubmissionRefused) as refused:
        read_submission(demo, "VLIZ", text, "uc5.toml")
    assert "uc5.toml:7: note:" in str(refused.value) and "\x1b" not in str(refused.value)


def test_a_text_value_is_text_from_others_too(demo: Store) -> None:
    demo.add_metric("MARIS", Metric("remarks", "uc5", "Remarks", kind="text"))
    with pytest.raises(InvalidValue, match="Remarks"):
        demo.set_value("VLIZ", "uc5", "remarks", "M25-M36", f"fine {OSC52}")
    demo.set_value("VLIZ", "uc5", "remarks", "M25-M36", "fine\n\tindeed")


def test_the_command_line_refuses_and_writes_nothing(demo_path: Path) -> None:
    command = ["set", "--db", str(demo_path), "--as", "VLIZ", "--installation", "uc5"]
    code, shown = run([*command, "--metric", "users", "--period", "M25-M36", "4", "--note", OSC52])
    assert code == 1 and "note:" in shown and "\x1b" not in shown
    with Store.open(demo_path) as store:
        assert store.value("uc5", "users", "M25-M36") is None
