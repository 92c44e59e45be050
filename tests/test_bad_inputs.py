"""Every bad input we know of, through the CLI: a plain message, exit code 1, nothing written.

``python -m tests.test_bad_inputs`` prints the table README.md shows (what was tried, what it
gets), from the same list the test runs.
"""

from __future__ import annotations

import contextlib
import io
import sqlite3
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from vatui.store import Store
from vatui.store.projectdump import dump_project
from vatui.store.projectfile import create_store, demo_text, read_project_file
from vatui.store.storefile import connect

from vatui.cli import main

SET = ["set", "--installation", "uc5", "--period", "M25-M36"]
GOOD_SUBMISSION = """installation = "uc5"
period = "M25-M36"

[[metric]]
id = "users"
value = "9"
"""
FIVE_MISTAKES = """installation = "uc5"
period = "M26-M99"

[[metric]]
id = "users"
value = "seven"

[[metric]]
id = "satisfaction"
value = "3"

[[metric]]
id = "countries"
value = ["BE"]

[delay]
reason = "Waiting for a camera"
replanned = "end of October"
"""

# A small project file, for the mistakes made in one.
PROJECT = """format = 1
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
providers = ["P1"]
[[installation.metric]]
id = "users"
name = "Users"
baseline = 10
[[installation.metric.value]]
period = "M1-M6"
value = 4
"""
# An assessment long enough that the store must grow to take it.
LONG_ASSESSMENT = (
    'installation = "uc5"\nperiod = "M25-M36"\n[[assessment]]\nassessment = """\n'
    + ("The service ran all year. " * 2000)
    + '"""\n'
)


@dataclass(frozen=True)
class Case:
    """A bad input: what a user tried, the command line, and what the answer must say."""

    what: str
    argv: list[str]
    says: str
    files: dict[str, str] | None = None
    store_kind: str = "demo"  # demo, submitted, none, empty, folder, foreign, newer, damaged, full
    code: int = 1


CASES = [
    Case("letters in a count", [*SET, "--as", "VLIZ", "--metric", "users", "seven"],
         "'seven' is not accepted"),
    Case("a negative count", [*SET, "--as", "VLIZ", "--metric", "users", "--", "-4"],
         "cannot be negative"),
    Case("misplaced thousands separators", [*SET, "--as", "VLIZ", "--metric", "users", "1,23,4"],
         "separators go every three digits"),
    Case("an unknown country", ["set", "--as", "DFKI", "--installation", "uc1", "--period",
         "M25-M36", "--metric", "country-names", "Italy, Narnia"], "Narnia"),
    Case("an ambiguous country", ["set", "--as", "SU", "--installation", "uc2", "--period",
         "M25-M36", "--metric", "country-names", "Japan, Korea"], "KP"),
    Case("an unknown metric", [*SET, "--as", "VLIZ", "--metric", "satisfaction", "3"],
         "unknown metric"),
    Case("an unknown installation", ["set", "--as", "VLIZ", "--installation", "uc9", "--period",
         "M25-M36", "--metric", "users", "3"], "unknown installation"),
    Case("a period the project does not have", ["set", "--as", "VLIZ", "--installation", "uc5",
         "--period", "M37-M48", "--metric", "users", "3"], "unknown period"),
    Case("a period that is not a month range", ["set", "--as", "VLIZ", "--installation", "uc5",
         "--period", "autumn", "--metric", "users", "3"], "a month range such as M13-M24"),
    Case("another provider's installation", [*SET, "--as", "DFKI", "--metric", "users", "3"],
         "DFKI may not"),
    Case("an organisation the project does not know", [*SET, "--as", "ACME", "--metric",
         "users", "3"], "not an organisation of this project"),
    Case("no identity given", [*SET, "--metric", "users", "3"], "--as ORG"),
    Case("a store that does not exist", ["status"], "vatui init --db", store_kind="none"),
    Case("a file that is not a store", ["status"], "not an SQLite database",
         store_kind="foreign"),
    Case("a store from a newer vatui", ["status"], "newer vatui", store_kind="newer"),
    Case("a damaged store", ["status"], "damaged", store_kind="damaged"),
    Case("init over an existing store", ["init", "--demo"], "already exists"),
    Case("a project file that is not TOML", ["init", "--from", "{dir}/p.toml"], "line 3",
         files={"p.toml": 'format = 1\n[project]\nname = "x\n'}, store_kind="none"),
    Case("a project file with a bad month", ["init", "--from", "{dir}/p.toml"],
         "project.start", files={"p.toml": 'format = 1\n[project]\nname = "x"\n'
                                 'start = "2024-13"\nleader = "L"\n[[period]]\nlabel = "M1-M6"\n'},
         store_kind="none"),
    Case("a submission that is not TOML", ["submission", "import", "--as", "VLIZ",
         "{dir}/s.toml"], "s.toml:2: not valid TOML",
         files={"s.toml": 'installation = "uc5"\nperiod = M25-M36\n'}),
    Case("a submission with five mistakes", ["submission", "import", "--as", "VLIZ",
         "{dir}/s.toml"], "5 problems", files={"s.toml": FIVE_MISTAKES}),
    Case("a submission for someone else's installation", ["submission", "import", "--as",
         "DFKI", "{dir}/s.toml"], "DFKI may not", files={"s.toml": GOOD_SUBMISSION}),
    Case("a provider accepting its own figures", ["review", "accept", "--as", "VLIZ",
         "--installation", "uc5", "--period", "M25-M36"], "only the project leader"),
    Case("returning figures never submitted", ["review", "return", "--as", "MARIS",
         "--installation", "uc5", "--period", "M25-M36"], "only a submitted one can be returned"),
    Case("a provider changing submitted figures", [*SET, "--as", "VLIZ", "--metric", "users", "9"],
         "withdraw the submission first", store_kind="submitted"),
    Case("a provider's file for submitted figures", ["submission", "import", "--as", "VLIZ",
         "{dir}/s.toml"], "withdraw the submission first", files={"s.toml": GOOD_SUBMISSION},
         store_kind="submitted"),
    Case("withdrawing figures never submitted", ["review", "withdraw", "--as", "VLIZ",
         "--installation", "uc5", "--period", "M25-M36"], "only a submitted one can be withdrawn"),
    Case("a comment on an import that does not submit", ["submission", "import", "--as", "VLIZ",
         "{dir}/s.toml", "--comment", "all in"], "add --submit",
         files={"s.toml": GOOD_SUBMISSION}),
    Case("a light threshold in your own config", ["config", "set", "green", "high"], "green",
         store_kind="none"),
    Case("an unknown setting", ["config", "set", "colour", "blue"], "colour", store_kind="none"),
    Case("an export section that does not exist", ["export", "--sections", "summary,budget"],
         "budget"),
    Case("an unknown light style", ["export", "--lights", "traffic"], "traffic"),
    Case("a heading level out of range", ["export", "--heading-level", "9"], "heading"),
    Case("a date that is not a date", ["history", "--since", "yesterday"], "YYYY-MM-DD"),
    Case("reverting a change that does not exist", ["revert", "--as", "MARIS", "99"],
         "unknown change"),
    Case("a backup onto an existing file", ["backup", "{dir}/exists.db"], "already exists",
         files={"exists.db": "keep me"}),
    Case("an empty file as the store", ["status"], "is an empty file, not a vatui store",
         store_kind="empty"),
    Case("init --force onto a folder", ["init", "--demo", "--force"], "is a folder",
         store_kind="folder"),
    Case("a note that is not UTF-8", [*SET, "--as", "VLIZ", "--metric", "users", "3", "--note",
         "caf\udce9"], "--note: 'caf\\xe9' is not UTF-8 text"),
    Case("a control character in a note", [*SET, "--as", "VLIZ", "--metric", "users", "3",
         "--note", "see \x1b]52;c;cm0gLXJmIH4=\x07"], "note: 'see \\x1b]52;c;cm0gLXJmIH4=\\x07'"),
    Case("a note longer than 2,000 characters", [*SET, "--as", "VLIZ", "--metric", "users", "3",
         "--note", "x" * 2001], "at most 2,000 characters; it has 2,001"),
    Case("'No' as a country", ["set", "--as", "DFKI", "--installation", "uc1", "--period",
         "M25-M36", "--metric", "country-names", "Italy, No"], "did you mean: Norway (NO)"),
    Case("a metric name several sites share", ["set", "--as", "MARIS", "--installation", "uc3",
         "--period", "M25-M36", "--metric", "Number of countries of users", "3"],
         "obsea-countries (site obsea)"),
    Case("a project file with an unknown key", ["init", "--from", "{dir}/p.toml"],
         "did you mean per_year?", files={"p.toml": PROJECT.replace("baseline = 10",
         "baseline = 10\nper_yaer = true")}, store_kind="none"),
    Case("a project file with a metric id used twice", ["init", "--from", "{dir}/p.toml"],
         "'users' is given twice", files={"p.toml": PROJECT + '[[installation.metric]]\n'
         'id = "users"\nname = "Again"\n'}, store_kind="none"),
    Case("a project file with a baseline in words", ["init", "--from", "{dir}/p.toml"],
         "baseline: 'ten' is not accepted", files={"p.toml": PROJECT.replace("baseline = 10",
         'baseline = "ten"')}, store_kind="none"),
    Case("a project file with an infinite value", ["init", "--from", "{dir}/p.toml"],
         "inf is not accepted", files={"p.toml": PROJECT.replace("value = 4", "value = inf")},
         store_kind="none"),
    Case("a project file that is not UTF-8", ["init", "--from", "{dir}/p.toml"],
         "is not UTF-8 text (byte 0xE9", files={"p.toml": PROJECT.replace("One", "Caf\udce9")},
         store_kind="none"),
    Case("a stage from a date still to come", ["stage", "--as", "SU", "--installation", "uc2",
         "operational", "--on", "2999-01-01"], "from (date): '2999-01-01' is not accepted"),
    Case("a stage vatui does not know", ["stage", "--as", "SU", "--installation", "uc2",
         "live", "--on", "2024-12-16"], "one of: in development, near-operational, operational"),
    Case("a cut-off before the period starts", ["period", "cutoff", "--as", "MARIS", "M25-M36",
         "2024-08-01"], "a date from the period's start (2024-09-01)"),
    Case("a provider setting the light thresholds", ["project", "thresholds", "--as", "VLIZ",
         "--green", "0.8"], "only the project leader MARIS may do that"),
    Case("amber above green", ["project", "thresholds", "--as", "MARIS", "--amber", "1.5"],
         "amber: 1.5 is not accepted; a share not above green (1.0)"),
    Case("a milestone achieved in words", ["milestone", "achieve", "--as", "MARIS", "M5.4",
         "--on", "last week"], "achieved on: 'last week' is not accepted; a date as YYYY-MM-DD"),
    Case("a final export by a provider", ["export", "--as", "VLIZ", "--period", "M13-M24",
         "--final"], "only the project leader MARIS may do that"),
    Case("an export file named for another format", ["export", "--period", "M13-M24",
         "--format", "docx", "-o", "{dir}/chapter.md"], "a .md file holds markdown, not a Word"),
    Case("an export to a format vatui does not write", ["export", "--period", "M13-M24", "-o",
         "{dir}/chapter.pdf"], "a file ending in .md (markdown) or .docx (a Word document)"),
    Case("raw HTML kept in a Word document", ["export", "--period", "M13-M24", "--allow-html",
         "-o", "{dir}/chapter.docx"], "a Word document always shows providers' HTML as text"),
    Case("a status format that does not exist", ["status", "--format", "xlsx"],
         "format: 'xlsx' is not accepted; one of: table, json, csv, tsv"),
    Case("two formats at once", ["status", "--json", "--format", "csv"],
         "--json and --format csv ask for two formats"),
    Case("completion for a shell vatui does not know", ["completion", "tcsh"],
         "shell: 'tcsh' is not accepted; one of: bash, zsh, fish", store_kind="none"),
    Case("the accounting service over plain http", ["accounting", "push", "--as", "MARIS",
         "--period", "M13-M24", "--url", "http://api.acc.argo.grnet.gr"],
         "--url: 'http://api.acc.argo.grnet.gr' is not accepted; an https:// address"),
    Case("a push without a token", ["accounting", "push", "--as", "MARIS", "--period",
         "M13-M24", "--url", "https://127.0.0.1:9"],
         "no token for the accounting service: set VATUI_ACCOUNTING_TOKEN"),
    Case("a push of another provider's figures", ["accounting", "push", "--as", "DFKI",
         "--period", "M13-M24", "--installation", "uc5", "--url", "https://127.0.0.1:9"],
         "DFKI may not push the figures on uc5"),
    Case("a provider writing the service's figures", ["accounting", "pull", "--as", "VLIZ",
         "--period", "M13-M24", "--apply", "--url", "https://127.0.0.1:9"],
         "only the project leader MARIS may do that"),
    Case("a full disk", ["submission", "import", "--as", "VLIZ", "{dir}/s.toml"],
         "is full; nothing was written", store_kind="full", files={"s.toml": LONG_ASSESSMENT}),
]  # fmt: skip


def prepare(case: Case, folder: Path) -> Path:
    """The store the case runs against, and the files it names, in ``folder``."""
    for name, text in (case.files or {}).items():  # a lone surrogate stands for a raw byte
        (folder / name).write_bytes(text.encode("utf-8", "surrogateescape"))
    path = folder / "wp5.db"
    if case.store_kind == "foreign":
        path.write_text("minutes of the kick-off meeting")
    elif case.store_kind == "empty":
        path.touch()
    elif case.store_kind == "folder":
        path.mkdir()
    elif case.store_kind != "none":
        create_store(path, read_project_file(demo_text(), "demo")).close()
    if case.store_kind == "submitted":  # uc5's figures for M25-M36 wait for the leader
        with Store.open(path, clock=lambda: "2024-10-09T12:00:00Z") as store:
            store.review("VLIZ", "uc5", "M25-M36", "submit")
    if case.store_kind == "newer":
        with sqlite3.connect(path) as conn:
            conn.execute(
                "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                "VALUES ('vatui', 'm999_future', '2031-01-01')"
            )
        conn.close()
    if case.store_kind == "damaged":
        data = bytearray(path.read_bytes())
        data[8192:24576] = b"\xff" * 16384
        path.write_bytes(bytes(data))
    return path


def what_a_user_sees(path: Path) -> str:
    """The store's content and history length, or the file's bytes if it is no store."""
    try:
        with Store.open(path) as store:
            return dump_project(store) + str(len(store.history()))
    except Exception:
        if path.is_dir():
            return "a folder"
        return path.read_bytes().hex() if path.exists() else "absent"


def connect_to_a_full_disk(path: Path, **options: Any) -> sqlite3.Connection:
    """A connection to a store that cannot grow: SQLite answers a write that needs another
    page as it does on a full disk (SQLITE_FULL)."""
    conn = connect(path, **options)
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    return conn


def run_case(case: Case, folder: Path, path: Path) -> tuple[int, str]:
    """Run the case's command line on the store at ``path``; its exit code and all it printed."""
    argv = [part.replace("{dir}", str(folder)) for part in case.argv]
    output = io.StringIO()
    with (
        contextlib.redirect_stdout(output),
        contextlib.redirect_stderr(output),
        pytest.MonkeyPatch.context() as env,
    ):
        env.setenv("VATUI_DB", str(path))
        env.setenv("VATUI_CONFIG", str(folder / "config.toml"))
        if case.store_kind == "full":
            env.setattr("vatui.store.store.connect", connect_to_a_full_disk)
        code = main(argv)
    return code, output.getvalue()


@pytest.mark.parametrize("case", CASES, ids=[case.what for case in CASES])
def test_bad_input_gets_a_plain_answer_and_changes_nothing(case: Case, tmp_path: Path) -> None:
    path = prepare(case, tmp_path)
    before = what_a_user_sees(path)
    code, output = run_case(case, tmp_path, path)
    flat = " ".join(output.split())
    assert code == case.code, output
    assert case.says in flat
    assert "Traceback" not in output
    assert what_a_user_sees(path) == before


def readme_table() -> str:
    """The README's table of bad inputs and the first line of what each gets."""
    rows = ["| tried | vatui answers (exit code 1, nothing written) |", "|---|---|"]
    for case in CASES:
        with tempfile.TemporaryDirectory() as folder:
            _, output = run_case(case, Path(folder), prepare(case, Path(folder)))
        answer = " ".join(output.split()).replace(folder, "…").replace("|", "\\|")
        if answer.startswith("line what now after import"):  # the changes: the refusal after
            answer = answer[answer.index("error:") :]
        rows.append(f"| {case.what} | {answer[:160]}{'…' if len(answer) > 160 else ''} |")
    return "\n".join(rows)


if __name__ == "__main__":
    sys.stdout.write(readme_table() + "\n")
