"""`vatui export --format docx`: the chapter as a Word document, read back with python-docx and
held against the markdown export of the same store and options."""

from __future__ import annotations

import io
import os
import pty
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from hypothesis import HealthCheck, given, settings
from vatui.exports.docx import MARGIN_CM, SHADING, render_docx
from vatui.exports.docx_parts import CHARACTER_CM
from vatui.exports.markdown import render_report
from vatui.exports.widths import BOLD, column_widths
from vatui.store import Light, Store
from vatui.store.text import CONTROL

from tests.cli_helpers import run
from tests.markdown_outline import outline
from tests.test_hostile_output import fill_with, hostile

Body = list[Paragraph | Table]
LIGHT_WORDS = {str(light) for light in Light}


def body(data: bytes) -> Body:
    return list(Document(io.BytesIO(data)).iter_inner_content())


def headings(blocks: Body) -> list[tuple[int, str]]:
    return [
        (int(block.style.name.split()[-1]), block.text)
        for block in blocks
        if isinstance(block, Paragraph) and block.style.name.startswith("Heading")
    ]


def cells(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def fill(cell: object) -> str | None:
    shading = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None  # type: ignore[attr-defined]
    return None if shading is None else shading.get(qn("w:fill"))


def table_under(blocks: Body, heading: str) -> Table:
    start = next(n for n, b in enumerate(blocks) if isinstance(b, Paragraph) and b.text == heading)
    return next(b for b in blocks[start:] if isinstance(b, Table))


@pytest.fixture(scope="module")
def demo_docx(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, str]:
    """The demo's M13-M24 chapter as a Word document and as markdown with lights in words."""
    from vatui.store.projectfile import create_store, demo_text, read_project_file

    path = tmp_path_factory.mktemp("docx") / "demo.db"
    create_store(path, read_project_file(demo_text(), "demo")).close()
    with Store.open(path) as store:
        return render_docx(store, "M13-M24"), render_report(store, "M13-M24", lights="words")


def test_the_seed_cells_are_in_the_tables_under_their_headings(
    demo_docx: tuple[bytes, str],
) -> None:
    blocks = body(demo_docx[0])
    metrics = cells(table_under(blocks, "2.5.1 Metrics"))
    assert metrics[0] == ["Metric name", "Baseline", "Define how measurement is done",
                          "M13-M24", "Status"]  # fmt: skip
    images = next(row for row in metrics if row[0] == "Number of images processed per year")
    assert images[1] == "300,000" and images[3] == "2,075,958" and images[4] == "green"
    assert (2, "2.5 Flowcam phytoplankton identification") in headings(blocks)


def test_headings_and_tables_are_those_of_the_markdown_export(
    demo_docx: tuple[bytes, str],
) -> None:
    data, markdown = demo_docx
    blocks = body(data)
    sections = outline(markdown)
    assert headings(blocks) == [(s.level, s.title) for s in sections if s.level]
    expected = [
        ([table.header] if any(table.header) else []) + table.rows
        for section in sections
        for table in section.tables
    ]
    assert [cells(b) for b in blocks if isinstance(b, Table)] == expected


def test_each_light_is_its_word_on_its_colour(demo_docx: tuple[bytes, str]) -> None:
    tables = [b for b in body(demo_docx[0]) if isinstance(b, Table)]
    seen = set()
    for table in tables:
        for row in table.rows:
            for cell in row.cells:
                word = cell.text.split(" ")[0]
                if word in LIGHT_WORDS and table.rows[0].cells[0].text != "":
                    assert fill(cell) == SHADING[Light(word)], cell.text
                    seen.add(word)
                else:
                    assert fill(cell) is None, cell.text
    assert seen == {"green", "amber", "red"}


def test_it_is_built_on_named_styles_with_the_project_in_its_title(
    demo_docx: tuple[bytes, str],
) -> None:
    document = Document(io.BytesIO(demo_docx[0]))
    assert "iMagine" in document.core_properties.title
    first = document.paragraphs[0]
    assert first.style.name == "Title" and "iMagine" in first.text
    assert {table.style.name for table in document.tables} == {"Chapter Table"}
    used = {p.style.name for p in document.paragraphs}
    assert {"Heading 1", "Heading 2", "Heading 3", "Heading 4"} <= used
    assert "List Bullet" in used and "List Number" in used  # the assessments' own lists


def test_columns_are_sized_to_their_content(demo_docx: tuple[bytes, str]) -> None:
    blocks = body(demo_docx[0])
    metrics = table_under(blocks, "2.5.1 Metrics")
    widths = [column.width for column in metrics.columns]
    assert widths[4] < widths[3] < widths[0]  # status < value < metric name
    description = table_under(blocks, "2.1 Marine litter assessment service")
    label, text = (column.width for column in description.columns)
    assert label < text


def test_the_summarys_nine_columns_keep_every_word_whole_on_a_portrait_page(
    demo_docx: tuple[bytes, str],
) -> None:
    """Each column is at least as wide as its longest word (a hyphenated one may break after
    its hyphen; a header is bold), as wide as the text's size makes a character."""
    summary = table_under(body(demo_docx[0]), "Summary")
    rows = cells(summary)
    for n, column in enumerate(summary.columns):
        texts = [row[n] for row in rows]
        words = [(part, i == 0) for i, text in enumerate(texts) for word in text.split()
                 for part in word.replace("-", "- ").split()]  # fmt: skip
        needed = max(len(part) * (BOLD if bold else 1) for part, bold in words)
        assert column.width.cm >= needed * CHARACTER_CM, (n, texts[0])
    assert sum(column.width.cm for column in summary.columns) <= 21.0 - 2 * MARGIN_CM + 0.01


def test_column_widths_give_each_column_its_longest_word_and_fit_the_room() -> None:
    columns = [["Status", "green"], ["Define how measurement is done", "x " * 200]]
    widths = column_widths(columns, 60)
    assert sum(widths) == pytest.approx(60)
    assert widths[0] >= len("Status") and widths[1] >= len("measurement")
    assert column_widths([["a"], ["bb"]], 60) == [1.0, 2.0]  # what fits keeps its own width
    assert column_widths([["near-operational"], ["x"]], 12) == [11.0, 1.0]  # after its hyphen


def assessed(path: Path, text: str) -> bytes:
    """uc5's M25-M36 chapter with ``text`` as its assessment, written past the store's checks
    (as an older or hand-edited copy could hold it)."""
    with sqlite3.connect(path) as conn:
        conn.execute(
            "insert into assessments (installation, site, period, assessment, updated_by,"
            " updated_at) values ('uc5', '', 'M25-M36', ?, 'VLIZ', '')",
            [text],
        )
    conn.close()
    with Store.open(path) as store:
        return render_docx(store, "M25-M36", installations=["uc5"])


def test_providers_markdown_becomes_word_paragraphs_and_nothing_hostile_gets_in(
    demo_path: Path,
) -> None:
    text = (
        "# Results\n\nWe reached **many** *users*, see [our page](https://example.org) "
        "and [this](javascript:alert(1)).\n\n<script>alert(1)</script>\n\n"
        "1. first\n2. second\n\n3. third, after a blank\n\n"
        "Bidi \u202e and escape \x1b]52;c;x\x07 and &#x202e; entity\n\n```\ncode\n```\n"
    )
    blocks = body(assessed(demo_path, text))
    assert (4, "Results") in headings(blocks)  # below 2.5.2 Assessment, a level 3 heading
    paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
    said = next(p for p in paragraphs if p.text.startswith("We reached"))
    assert [r.text for r in said.runs if r.bold] == ["many"]
    assert said._p.xpath("count(.//w:hyperlink)") == 1.0
    targets = [relation.target_ref for relation in said.part.rels.values()]
    assert "https://example.org" in targets and not any("javascript" in t for t in targets)
    assert "[this](javascript:alert(1))" in said.text  # shown as text, not a link
    assert any(p.text == "<script>alert(1)</script>" for p in paragraphs)
    numbered = [p.text for p in paragraphs if p.style.name == "List Number"]
    assert numbered[:2] == ["first", "second"]
    bidi = next(p.text for p in paragraphs if p.text.startswith("Bidi"))
    assert "\\u202e" in bidi and "\\x1b" in bidi and "\u202e" not in bidi and "\x1b" not in bidi
    assert any(p.style.name == "Code" and p.text == "code" for p in paragraphs)


def test_an_ordered_list_starts_at_its_own_number(demo_path: Path) -> None:
    document = Document(io.BytesIO(assessed(demo_path, "1. a\n2. b\n\ntext\n\n1. c\n")))
    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert ids[0] == ids[1] != ids[2]  # a list of its own restarts at 1


def test_the_output_file_names_the_format(
    demo_path: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = ["export", "--db", str(demo_path), "--period", "M13-M24"]
    assert run(capsys, *db, "-o", str(tmp_path / "c.docx"))[0] == 0
    assert (tmp_path / "c.docx").read_bytes()[:2] == b"PK"
    assert run(capsys, *db, "-o", str(tmp_path / "c.md"))[0] == 0
    assert (tmp_path / "c.md").read_text().startswith("# 2 Installations")
    code, _, err = run(capsys, *db, "--format", "docx", "-o", str(tmp_path / "x.md"))
    assert code == 1 and "a .md file holds markdown, not a Word document" in " ".join(err.split())
    code, _, err = run(capsys, *db, "-o", str(tmp_path / "x.pdf"))
    assert code == 1 and "a file ending in .md (markdown) or .docx" in " ".join(err.split())
    assert not (tmp_path / "x.md").exists() and not (tmp_path / "x.pdf").exists()


def test_a_final_word_export_issues_the_markdown_and_writes_the_document(
    demo_path: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "D5.2.docx"
    final = ["export", "--db", str(demo_path), "--as", "MARIS", "--period", "M13-M24"]
    assert run(capsys, *final, "--final", "-o", str(out))[0] == 0
    assert (2, "2.5 Flowcam phytoplankton identification") in headings(body(out.read_bytes()))
    code, issued, _ = run(capsys, "export", "--db", str(demo_path), "--period", "M13-M24",
                          "--issued")  # fmt: skip
    assert code == 0 and issued.startswith("# 2 Installations")


def test_markdown_and_status_do_not_load_python_docx(demo_path: Path) -> None:
    markdown = str(demo_path.with_suffix(".md"))
    probe = (
        "import sys; from vatui.cli import main;"
        f"main(['export', '--db', {str(demo_path)!r}, '-o', {markdown!r}]);"
        f"main(['status', '--db', {str(demo_path)!r}]);"
        "sys.stderr.write(str(sorted(m for m in sys.modules if m.split('.')[0] == 'docx')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=os.environ.copy()
    )
    assert result.returncode == 0 and result.stderr.endswith("[]"), result.stderr


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=hostile)
def test_any_stored_text_makes_a_document_with_no_control_character(
    demo_path: Path, tmp_path: Path, text: str
) -> None:
    """Names, cells and providers' markdown holding escape codes, NUL, bidi controls or markup
    still make a document (lxml refuses control characters), showing them as escapes."""
    path = tmp_path / f"hostile-{abs(hash(text))}.db"
    shutil.copy(demo_path, path)
    fill_with(path, text)
    with Store.open(path) as store:
        data = render_docx(store, "M25-M36", installations=["uc5"])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode()
    assert not CONTROL.search(xml.replace("\n", "").replace("\t", ""))
    assert "Flowcam" in "".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def test_a_word_document_goes_to_a_pipe_but_not_to_a_terminal(demo_path: Path) -> None:
    command = [sys.executable, "-m", "vatui.cli", "export", "--db", str(demo_path),
               "--period", "M13-M24", "--format", "docx"]  # fmt: skip
    piped = subprocess.run(command, capture_output=True, timeout=60)
    assert piped.returncode == 0 and piped.stdout[:2] == b"PK"
    leader, follower = pty.openpty()
    on_terminal = subprocess.run(command, stdout=follower, stderr=subprocess.PIPE, timeout=60)
    os.close(follower)
    os.close(leader)
    assert on_terminal.returncode == 1
    assert b"a Word document is not for a terminal" in on_terminal.stderr
