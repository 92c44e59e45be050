"""Project files (`vatui init --from FILE.toml`) are checked as submission files are: every
problem at once as ``FILE:LINE: field: what is wrong; what is accepted``, exit code 1, no
traceback, never "damaged", and no store made."""

from __future__ import annotations

import contextlib
import io
import sqlite3
import tomllib
from pathlib import Path

import pytest
from vatui.store import Store
from vatui.store.projectdump import dump_project
from vatui.store.projectfile import (
    ProjectFileRefused,
    create_store,
    demo_text,
    read_project_file,
)
from vatui.store.submissions import read_submission
from vatui.store.text import NAME_LIMIT, NOTE_LIMIT
from vatui.store.tomllines import key_lines, parse_toml

from vatui.cli import main
from vatui.config import load_config

BASE = """format = 1

[project]
name = "Tiny"
start = "2024-01"
leader = "LEAD"

[[period]]
label = "M1-M6"

[[period]]
label = "M7-M12"

[[installation]]
id = "uc1"
number = 1
name = "One"
providers = ["P1"]

[[installation.site]]
id = "north"
name = "North"

[[installation.metric]]
id = "users"
name = "Users"
site = "north"
baseline = 10

[[installation.metric.value]]
period = "M1-M6"
value = 4

[[installation.metric]]
id = "countries"
name = "Countries reached"
kind = "countries"
baseline = ["BE"]

[[installation.assessment]]
period = "M1-M6"
assessment = "Fine."

[[installation.delay]]
recorded = "2024-03-01"
reason = "Late"

[[installation.review]]
period = "M1-M6"
action = "submit"
state = "submitted"
actor = "P1"
at = "2024-07-01T12:00:00Z"

[[milestone]]
id = "M1.1"
title = "First"
due_month = 6
installations = ["uc1"]
"""


def init_from(folder: Path, content: str | bytes) -> tuple[int, str, Path]:
    """``vatui init --from`` on a file holding ``content``: exit code, all it printed, store."""
    source = folder / "project.toml"
    if isinstance(content, bytes):
        source.write_bytes(content)
    else:
        source.write_text(content, encoding="utf-8")
    path = folder / "new.db"
    output = io.StringIO()
    with (
        contextlib.redirect_stdout(output),
        contextlib.redirect_stderr(output),
        pytest.MonkeyPatch.context() as env,
    ):
        env.setenv("VATUI_CONFIG", str(folder / "config.toml"))
        env.delenv("VATUI_DB", raising=False)
        code = main(["init", "--db", str(path), "--from", str(source)])
    return code, output.getvalue(), path


def line_with(text: str, snippet: str, occurrence: int = 1) -> int:
    """The number of the line holding ``snippet`` (its ``occurrence``-th time)."""
    found = [n for n, line in enumerate(text.splitlines(), start=1) if snippet in line]
    return found[occurrence - 1]


def refused(folder: Path, content: str | bytes, *expected: str) -> str:
    """Init from ``content`` is refused plainly, saying each of ``expected``; nothing is made."""
    code, output, path = init_from(folder, content)
    assert code == 1, output
    flat = " ".join(output.split())
    for text in expected:
        assert text in flat, output
    assert "Traceback" not in output
    assert "damaged" not in output
    assert "\x1b" not in output
    assert not list(folder.glob("new.db*")), "a store was made"
    return output


def changed(old: str, new: str, text: str = BASE) -> str:
    assert old in text
    return text.replace(old, new, 1)


def test_the_small_file_and_the_demo_load(tmp_path: Path) -> None:
    code, output, path = init_from(tmp_path, BASE)
    assert code == 0, output
    with Store.open(path) as store:
        assert [m.id for m in store.metrics("uc1")] == ["users", "countries"]
    demo = read_project_file(demo_text(), "demo")
    assert len(demo.installations) == 5 and len(demo.values) == 30


# ---- 1. unknown keys, at every level ---------------------------------------------------------

UNKNOWN = [
    # (a line of BASE, the mistaken line written after it, field, the key it meant)
    ("", "fromat = 1", "fromat", "format"),
    ('leader = "LEAD"', "chapters = 2", "project.chapters", "chapter"),
    ('label = "M1-M6"', 'lable = "M1-M6"', "period.lable", "label"),
    ('providers = ["P1"]', 'provider = ["P2"]', "installation.provider", "providers"),
    ('name = "North"', 'cod = "N"', "installation.site.cod", "code"),
    ("baseline = 10", "per_yaer = true", "installation.metric.per_yaer", "per_year"),
    ("value = 4", 'notes = "x"', "installation.metric.value.notes", "note"),
    ('assessment = "Fine."', 'plan = "x"', "installation.assessment.plan", "planning"),
    ('reason = "Late"', 'replaned = "2024-05-01"', "installation.delay.replaned", "replanned"),
    ('actor = "P1"', 'comments = "ok"', "installation.review.comments", "comment"),
    ("due_month = 6", 'achieve = "2024-06-01"', "milestone.achieve", "achieved"),
]


@pytest.mark.parametrize(("after", "line", "field", "meant"), UNKNOWN, ids=[u[2] for u in UNKNOWN])
def test_an_unknown_key_is_refused_with_the_key_it_may_mean(
    tmp_path: Path, after: str, line: str, field: str, meant: str
) -> None:
    text = f"{line}\n{BASE}" if not after else changed(f"{after}\n", f"{after}\n{line}\n")
    refused(
        tmp_path,
        text,
        f"project.toml:{line_with(text, line)}: {field}: unknown key (did you mean {meant}?)",
        "1 problem in",
    )


def test_an_unknown_table_is_refused(tmp_path: Path) -> None:
    text = BASE + '\n[[installations]]\nid = "uc2"\n'
    refused(tmp_path, text, f"project.toml:{line_with(text, '[[installations]]')}: installations:")


# ---- 2. ids given twice, references to what the file does not define -------------------------

SECOND_INSTALLATION = '[[installation]]\nid = "{id}"\nnumber = {number}\nname = "Two"\n\n'


@pytest.mark.parametrize(
    ("second", "first", "field", "shown"),
    [
        ('id = "UC1"\nnumber = 2', 'id = "uc1"', "installation.id", "'UC1'"),
        ('id = "uc2"\nnumber = 1', "number = 1", "installation.number", "1"),
    ],
)
def test_an_installation_id_or_number_given_twice_is_refused(
    tmp_path: Path, second: str, first: str, field: str, shown: str
) -> None:
    text = changed("[[milestone]]", f'[[installation]]\n{second}\nname = "Two"\n\n[[milestone]]')
    line = line_with(text, first, 2) if first == "number = 1" else line_with(text, "UC1")
    refused(
        tmp_path,
        text,
        f"project.toml:{line}: {field}: {shown} is given twice "
        f"(first on line {line_with(text, first)}); "
        f"a{'n id' if field.endswith('id') else ' number'} no other installation has",
    )


def test_a_metric_id_given_twice_in_an_installation_is_refused(tmp_path: Path) -> None:
    text = changed('id = "countries"', 'id = "users"')
    first, second = line_with(text, 'id = "users"'), line_with(text, 'id = "users"', 2)
    refused(
        tmp_path,
        text,
        f"project.toml:{second}: installation.metric.id: 'users' is given twice "
        f"(first on line {first})",
    )


def test_a_site_id_given_twice_is_refused(tmp_path: Path) -> None:
    text = changed("[[installation.metric]]", '[[installation.site]]\nid = "north"\nname = "N2"\n\n'
                   "[[installation.metric]]")  # fmt: skip
    line = line_with(text, 'id = "north"', 2)
    refused(tmp_path, text, f"project.toml:{line}: installation.site.id: 'north' is given twice")


@pytest.mark.parametrize(
    ("after", "field"),
    [
        ('id = "countries"', "installation.metric.site"),
        ('assessment = "Fine."', "installation.assessment.site"),
        ('reason = "Late"', "installation.delay.site"),
    ],
)
def test_a_site_the_installation_does_not_have_is_refused(
    tmp_path: Path, after: str, field: str
) -> None:
    text = changed(f"{after}\n", f'{after}\nsite = "south"\n')
    refused(
        tmp_path,
        text,
        f"project.toml:{line_with(text, 'south')}: {field}: 'south' is not accepted; "
        "a site of uc1: one of: north",
    )


def test_two_values_for_one_period_are_refused(tmp_path: Path) -> None:
    text = changed("value = 4\n", 'value = 4\n\n[[installation.metric.value]]\nperiod = "M1-M6"\n'
                   "value = 5\n")  # fmt: skip
    first, second = line_with(text, 'period = "M1-M6"'), line_with(text, 'period = "M1-M6"', 2)
    refused(
        tmp_path,
        text,
        f"project.toml:{second}: installation.metric.value.period: 'M1-M6' is given twice "
        f"(first on line {first})",
    )


def test_a_value_for_a_period_the_file_does_not_list_is_refused(tmp_path: Path) -> None:
    text = changed('period = "M1-M6"\nvalue = 4', 'period = "M13-M24"\nvalue = 4')
    refused(
        tmp_path,
        text,
        f"project.toml:{line_with(text, 'M13-M24')}: installation.metric.value.period: "
        "'M13-M24' is not accepted; a period of the file: one of: M1-M6, M7-M12",
    )


def test_a_milestone_id_given_twice_is_refused(tmp_path: Path) -> None:
    text = BASE + '\n[[milestone]]\nid = "m1.1"\ntitle = "Again"\ndue_month = 12\n'
    refused(
        tmp_path,
        text,
        f"project.toml:{line_with(text, 'm1.1')}: milestone.id: 'm1.1' is given twice "
        f"(first on line {line_with(text, 'M1.1')})",
    )


def test_a_period_or_an_assessment_given_twice_is_refused(tmp_path: Path) -> None:
    text = changed('label = "M7-M12"', 'label = "M1-M6"')
    text = changed('assessment = "Fine."\n', 'assessment = "Fine."\n\n[[installation.assessment]]\n'
                   'period = "M1-M6"\n', text)  # fmt: skip
    refused(
        tmp_path,
        text,
        f"project.toml:{line_with(text, 'label', 2)}: period.label: 'M1-M6' is given twice",
        "installation.assessment.period: 'M1-M6' is given twice",
        "2 problems in",
    )


def test_a_milestone_naming_an_unknown_installation_is_refused(tmp_path: Path) -> None:
    text = changed('installations = ["uc1"]', 'installations = ["uc1", "uc9"]')
    refused(
        tmp_path,
        text,
        f"project.toml:{line_with(text, 'uc9')}: milestone.installations: 'uc9' is not accepted",
    )


# ---- 3. types and ranges -------------------------------------------------------------------

TYPES = [
    ("baseline = 10", 'baseline = "ten"', "installation.metric.baseline: 'ten'", "a number"),
    ("value = 4", "value = inf", "installation.metric.value.value: inf", "a number from 0"),
    ("value = 4", "value = nan", "installation.metric.value.value: nan", "a number from 0"),
    ("value = 4", "value = 99999999999999999999", "value.value: 99999999999999999999", "to 1,0"),
    ("value = 4", "value = -1", "installation.metric.value.value: -1", "a number from 0"),
    ("value = 4", 'value = "4"', "installation.metric.value.value: '4'", "(no quotes)"),
    ('baseline = ["BE"]', 'baseline = "BE"', "installation.metric.baseline: 'BE'", "a list of"),
    ('baseline = ["BE"]', 'baseline = ["Narnia"]', "metric.baseline: 'Narnia'", "country"),
    ("baseline = 10", "baseline = 10\ngreen_at = 1e9", "metric.green_at: 1000000000.0", "0 to 100"),
    ("baseline = 10", 'baseline = 10\nper_year = "yes"', "metric.per_year: 'yes'", "true or false"),
    (
        "baseline = 10",
        'baseline = 10\nkind = "cuont"',
        "metric.kind: 'cuont'",
        "did you mean count",
    ),
    ("number = 1", "number = 1.5", "installation.number: 1.5", "a whole number from 1 to 999"),
    ('name = "One"', 'name = ["One"]', "installation.name: ['One']", "text between quotes"),
    ('providers = ["P1"]', 'providers = "P1"', "installation.providers: 'P1'", "a list of"),
    ('providers = ["P1"]', "providers = [1]", "installation.providers: [1]", "a list of"),
    ('leader = "LEAD"', 'leader = "LEAD"\nchapter = 0', "project.chapter: 0", "from 1 to 99"),
    ('start = "2024-01"', 'start = "2024-13"', "project.start: '2024-13'", "YYYY-MM"),
    ("format = 1", "format = 2", "format: 2", "the version of the format"),
    ("due_month = 6", 'due_month = "6"', "milestone.due_month: '6'", "a whole number"),
    ('recorded = "2024-03-01"', 'recorded = "March"', "delay.recorded: 'March'", "YYYY-MM-DD"),
    ('at = "2024-07-01T12:00:00Z"', 'at = "noon"', "review.at: 'noon'", "a date and time"),
    ('action = "submit"', 'action = "sumbit"', "review.action: 'sumbit'", "did you mean submit"),
    ('label = "M7-M12"', 'label = "M12-M7"', "period.label: 'M12-M7'", "a month range"),
]


@pytest.mark.parametrize(("old", "new", "says", "accepted"), TYPES, ids=[t[1] for t in TYPES])
def test_a_wrong_type_or_a_number_out_of_range_is_refused(
    tmp_path: Path, old: str, new: str, says: str, accepted: str
) -> None:
    text = changed(old, new)
    line = line_with(text, new.splitlines()[-1])
    output = refused(tmp_path, text, f"project.toml:{line}: ", says, accepted)
    assert f"project.toml:{line}: " in output.split(says)[0].splitlines()[-1] + says


def test_a_required_key_left_out_is_refused_on_its_tables_line(tmp_path: Path) -> None:
    text = changed('title = "First"\n', "")
    refused(
        tmp_path,
        text,
        f"project.toml:{line_with(text, '[[milestone]]')}: milestone.title: missing",
    )


# ---- 4. texts and ids: one rule (store/text.py) -------------------------------------------------

TEXTS = [
    ('name = "Tiny"', 'name = "Tiny\\u001b]52;c;aGk=\\u0007"', "project.name", "holds \\x1b"),
    ('name = "One"', 'name = "One\\nTwo"', "installation.name", "a line break"),
    ('name = "One"', f'name = "{"n" * (NAME_LIMIT + 1)}"', "installation.name", "at most 200"),
    ("value = 4", f'value = 4\nnote = "{"n" * (NOTE_LIMIT + 1)}"', "value.note", "at most 2,000"),
    ('assessment = "Fine."', 'assessment = "Fine\\u202e."', "assessment.assessment", "\\u202e"),
    ('actor = "P1"', 'actor = "P1"\ncomment = "a\\u0085b"', "review.comment", "\\x85"),
    ('id = "uc1"', 'id = "uc/1"', "installation.id: 'uc/1'", "letters, digits"),
    ('id = "users"', 'id = "all users"', "installation.metric.id: 'all users'", "letters, digits"),
    ('id = "north"', 'id = ""', "installation.site.id: ''", "not empty"),
]


@pytest.mark.parametrize(("old", "new", "field", "says"), TEXTS, ids=[t[2] for t in TEXTS])
def test_a_text_is_refused_by_the_shared_rule_with_its_line(
    tmp_path: Path, old: str, new: str, field: str, says: str
) -> None:
    text = changed(old, new)
    line = line_with(text, new.splitlines()[-1][:12])
    refused(tmp_path, text, f"project.toml:{line}: ", field, says)


# ---- every problem at once; syntax -------------------------------------------------------------


def test_every_problem_is_reported_at_once_in_line_order(tmp_path: Path) -> None:
    text = changed("value = 4", "value = inf")
    text = changed('name = "Tiny"', 'nmae = "Tiny"', text)
    text = changed("due_month = 6", "due_month = 0", text)
    output = refused(tmp_path, text, "4 problems in")
    lines = [line.split("project.toml:")[1] for line in output.splitlines() if ".toml:" in line]
    assert [int(line.split(":")[0]) for line in lines] == sorted(
        [
            line_with(text, "[project]"),  # the missing name: on its table's line
            line_with(text, "nmae"),
            line_with(text, "inf"),
            line_with(text, "due_month"),
        ]
    )
    assert "project.name: missing" in output


def test_a_file_that_is_not_toml_is_refused_with_its_line(tmp_path: Path) -> None:
    refused(tmp_path, 'format = 1\n[project]\nname = "x\n', "project.toml:3: not valid TOML")


# ---- 5. encodings ------------------------------------------------------------------------------


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    code, output, path = init_from(tmp_path, b"\xef\xbb\xbf" + BASE.encode())
    assert code == 0, output
    assert path.exists()
    assert parse_toml("\ufeffa = 1\n").unwrap() == {"a": 1}
    assert key_lines("\ufeffa = 1\n[t]\nb = 2\n") == {"a": 1, "t": 2, "t.b": 3}


def test_config_and_submission_files_accept_a_byte_order_mark_too(
    tmp_path: Path, demo: Store
) -> None:
    config = tmp_path / "config.toml"
    config.write_bytes(b"\xef\xbb\xbf" + b'identity = "VLIZ"\n')
    assert load_config(config)[1] == []
    text = '\ufeffinstallation = "uc5"\nperiod = "M25-M36"\n[[metric]]\nid = "users"\nvalue = 9\n'
    assert read_submission(demo, "VLIZ", text, "s.toml").changes[0].line == 5


def test_a_file_that_is_not_utf8_is_refused_where_it_goes_wrong(tmp_path: Path) -> None:
    text = changed('name = "Tiny"', 'name = "Café"')
    offset = text.index("é")
    refused(
        tmp_path,
        text.encode("latin-1"),
        f"project.toml is not UTF-8 text (byte 0xE9 at offset {offset}); save it as UTF-8",
    )


def test_nested_tables_are_found_on_their_lines() -> None:
    lines = key_lines(BASE + '\n[[installation]]\nid = "uc2"\n[[installation.metric]]\nid = "x"\n')
    assert lines["installation[0].metric[1].id"] == line_with(BASE, 'id = "countries"')
    text = BASE + '\n[[installation]]\nid = "uc2"\n[[installation.metric]]\nid = "x"\n'
    assert lines["installation[1].metric[0].id"] == line_with(text, 'id = "x"')
    assert lines["installation"] == line_with(text, "[[installation]]")
    assert lines["installation[0].metric[0].value[0].period"] == line_with(BASE, "M1-M6", 2)


def test_the_store_refusal_lists_each_problem() -> None:
    with pytest.raises(ProjectFileRefused) as refusal:
        read_project_file(changed("number = 1", 'number = "1"'), "p.toml")
    assert refusal.value.problems == [
        f"p.toml:{line_with(BASE, 'number = 1')}: installation.number: '1' is not accepted; "
        "the installation's number, giving its section: a whole number from 1 to 999"
    ]


# ---- 6. dump writes any text so that the file reads back -----------------------------------


def test_dump_escapes_control_characters_so_the_file_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    create_store(path, read_project_file(BASE)).close()
    name = "Tiny\x1b]52;c;aGk=\x07\u202e\x85"
    description = 'line one\nline two \x1b[31m "quoted" \\ \x7f'
    with sqlite3.connect(path) as conn:  # as a store written by an older vatui may hold
        conn.execute("update project set name = ?", [name])
        conn.execute("update installations set description = ?", [description])
    conn.close()
    with Store.open(path) as store:
        text = dump_project(store)
    assert not any(ch in text for ch in "\x1b\x07\x7f\x85\u202e")
    data = tomllib.loads(text)
    assert data["project"]["name"] == name
    assert data["installation"][0]["description"] == description
    refused(
        tmp_path,
        text,
        f"project.toml:{line_with(text, 'name = ')}: project.name: ",
        "holds \\x1b",
        "installation.description",
    )
