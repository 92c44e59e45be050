"""Text from other people never drives a reader's page nor stalls an export.

A provider's markdown (assessment, delay explanation, planning) is exported as markdown, but raw
HTML in it is exported as text, and a link that would run code is no link: the chapter is
rendered to HTML by markdown-it-py (CommonMark, HTML on) and, where it is installed, by pandoc,
and the HTML must hold no script, no event handler and no ``javascript:`` link, while the
provider's characters are still there to read. And the export takes time in proportion to the
text, whatever it holds.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from vatui.exports.markdown import prose, render_report
from vatui.exports.tables import clean, pipe_table
from vatui.store import Store
from vatui.store.text import printable

from tests.markdown_outline import headings, outline
from tests.test_failures import run

RENDERER = MarkdownIt("commonmark").enable("table")  # HTML on: what a raw renderer would pass
PERIOD = "M13-M24"

HOSTILE = [
    "<script>alert(1)</script>",
    "Figures <script>alert(1)</script> follow.",
    "Text\n<script>\nalert(1)\n</script>",
    "<img src=x onerror=alert(1)>",
    "An image <img src=x onerror=alert(1)> inline.",
    "<img/src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)>",
    "<body onload=alert(1)>",
    "x <b onmouseover=alert(1)>y</b>",
    "<div onclick=alert(1)>\n\n*inside*\n\n</div>",
    '<a href="javascript:alert(1)">click</a>',
    "<a href='javascript:alert(1)'>click</a>",
    "<scr<script>ipt>alert(1)</script>",
    "<!-- hidden <script>alert(1)</script>",
    "<style>body { display: none }</style>",
    "<?php echo 1; ?>",
    "<![CDATA[ <script>alert(1)</script> ]]>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click]( javascript:alert(1) )",
    "[click](java&#x09;script:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](<javascript:alert(1)>)",
    "[click](javascript:alert(1) 'title')",
    "<javascript:alert(1)>",
    "[click][bad]\n\n[bad]: javascript:alert(1)",
    "[bad]\n\n[bad]: javascript:alert(1)",
    "![pic](javascript:alert(1))",
    "[a [click](javascript:alert(1))",
    "[p [x](javascript:a](javascript:b))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![<img src=x onerror=alert(1)>](pic.png)",
    "> <script>alert(1)</script>",
    "- <svg onload=alert(1)>\n- [x](javascript:alert(1))",
    "| a | b |\n|---|---|\n| <script>alert(1)</script> | <img src=x onerror=alert(1)> |",
    "# Title <img src=x onerror=alert(1)>",
    "Setext <script>alert(1)</script>\n===",
    # pandoc's own ways to HTML: attributes, raw blocks and spans, fenced divs, YAML blocks
    "[x](https://example.org){onclick=alert(1)}",
    "![x](pic.png){onerror=alert(1)}",
    "[text]{onclick=alert(1)}",
    "# Title {onclick=alert(1)}",
    "`<img src=x onerror=alert(1)>`{=html}",
    "```{=html}\n<script>alert(1)</script>\n```",
    "``` {onclick=alert(1)}\ncode\n```",
    "::: {onclick=alert(1)}\ninside\n:::",
    "---\nheader-includes: <script>alert(1)</script>\n---\nbody",
    # where pandoc's own markdown reads a text otherwise than CommonMark does
    "A paragraph\n~~~\n<b onclick=alert(1)>\n~~~",
    "Run `make`, then ``` twice:\n```\n<b onclick=alert(1)>\n```",
    "```x y\n<b onclick=alert(1)>\n```",
    "[bad]\n\n[bad]: javascript:alert(1) and more",
    "| a | b |\n|---|---|\n| x | y | <img src=x onerror=alert(1)> |",
    "```x `<img src=x onerror=alert(1)>`",
    "[x\n\n\\[y](javascript:alert(1))",
]
#: What the provider wrote is still there for the reader, as characters...
SHOWN = ["alert(1)", "javascript:", "onerror", "onclick"]
#: ... but where a renderer drops it: a fence's info string that is not a language's name (the
#: export drops it), a table row's cells past the header's.
DROPPED = {
    "``` {onclick=alert(1)}\ncode\n```",
    "| a | b |\n|---|---|\n| x | y | <img src=x onerror=alert(1)> |",
}


class Page(HTMLParser):
    """The tags, attributes and text of a rendered page, and what in it could run code."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.dangers: list[str] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed", "style"):
            self.dangers.append(f"<{tag}>")
        for name, value in attrs:
            plain = "".join((value or "").split()).lower()
            if name in ("alt", "title", "class"):  # kept in the page too
                self.text.append(value or "")
            elif name.startswith("on"):
                self.dangers.append(f"<{tag} {name}=>")
            elif name in ("href", "src", "action", "formaction") and plain.startswith(
                ("javascript:", "vbscript:", "data:text")
            ):
                self.dangers.append(f"<{tag} {name}={value}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data: str) -> None:
        self.dangers.append("<!-- a comment, hiding text -->")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def chapter(demo: Store, text: str, **options: bool) -> str:
    """The demo's chapter with ``text`` as an installation's assessment, delay and planning."""
    demo.set_assessment("MARIS", "uc5", PERIOD, assessment=text, delay=text, planning=text)
    return render_report(demo, PERIOD, **options)


def assert_harmless(html: str, text: str, where: str, *, kept: bool = True) -> None:
    """No danger in ``html``; and, if ``kept``, what ``text`` says is still there to read."""
    page = Page(html)
    assert not page.dangers, f"{where}: {page.dangers} from {text!r}"
    if not kept:  # where pieces run together, a fence's info string (read as a class) hides text
        return
    shown = "".join(page.text).lower()
    for characters in SHOWN:
        if characters in text.lower():
            assert characters in shown, f"{where}: {characters!r} lost from {text!r}"


@pytest.mark.parametrize("text", HOSTILE)
def test_raw_html_and_code_links_are_exported_as_text(demo: Store, text: str) -> None:
    markdown = chapter(demo, text)
    assert_harmless(RENDERER.render(markdown), text, "markdown-it", kept=text not in DROPPED)
    # The chapter goes on after the text: the milestones are still a heading of their own.
    assert (2, "Milestones") in headings(outline(markdown, strict=False))


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
@pytest.mark.parametrize("reader", ["markdown", "gfm", "commonmark"])
def test_pandoc_shows_them_as_text_too(demo: Store, reader: str) -> None:
    """Each hostile text's chapter part, one after the other in one document, headed by its
    number: pandoc reads it in one run (it takes a while to start)."""
    parts = []
    for number, text in enumerate(HOSTILE):
        demo.set_assessment("MARIS", "uc5", PERIOD, assessment=text, delay=text, planning=text)
        part = render_report(demo, PERIOD, installations=["uc5"], sections=["installations"])
        parts.append(f"# Case {number}\n\n{part}")
    document = "\n\n".join(parts)
    done = subprocess.run(
        ["pandoc", "-f", reader, "-t", "html"],
        input=document,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    cases = done.stdout.split('<h1 id="case-')[1:] if reader == "markdown" else []
    for number, html in enumerate(cases or [done.stdout]):
        text = HOSTILE[number] if cases else "every case"
        assert_harmless(html, text, f"pandoc -f {reader}", kept=text not in DROPPED)
    if reader == "markdown":
        assert len(cases) == len(HOSTILE), "a text ran on into the next case"


PIECES = [*HOSTILE, "\n", "\n\n", "*", "`", "```", "[", "](", ")", "<", ">", "{", "=", "}", "a "]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=8).map("".join))
def test_no_mix_of_them_drives_the_page(text: str) -> None:
    assert_harmless(RENDERER.render(prose(text, 3)), text, "markdown-it", kept=False)


def test_a_provider_s_markdown_is_kept_as_written() -> None:
    text = (
        "[The portal](https://example.org) is up. Figures, with *emphasis* and **strong**:\n\n"
        "- see [the portal](https://example.org/portal) or <https://example.org>\n"
        "- write to [us](mailto:team@example.org) or <team@example.org>\n"
        "- a [relative](docs/guide.md#use) link, a [part](#users) and a ![plot](plot.png)\n"
        "- 3 < 4 and x <= y, a {note}, `<code> stays`\n\n"
        "| site | users |\n|---|---:|\n| OBSEA | 7 |\n\n"
        "```python\nprint('<b>')\n```"
    )
    assert prose(text, 3) == text


def test_html_is_kept_when_the_project_allows_it(demo: Store) -> None:
    text = 'Before\n\n<div class="note">A <b>note</b></div>\n\nAfter'
    assert text in chapter(demo, text, allow_html=True)
    assert "\\<div" in chapter(demo, text)


def test_allowed_html_still_cannot_swallow_the_chapter_nor_link_to_code(demo: Store) -> None:
    markdown = chapter(demo, "<!-- unclosed\n\n[x](javascript:alert(1))", allow_html=True)
    assert (2, "Milestones") in headings(outline(markdown, strict=False))
    assert "\\<!-- unclosed" in markdown and "\\[x\\](javascript:alert(1))" in markdown


def test_control_characters_are_shown_by_the_store_s_one_rule() -> None:
    hostile = "a\x1b]52;c;cm0=\x07b\u202ec\x00d\x9be"
    assert clean(hostile) == printable(hostile)
    assert prose(hostile, 3) == printable(hostile)
    assert "\x1b" not in pipe_table(["x"], [[hostile]])
    assert clean("one\r\ntwo\rthree é 漢\t|") == "one\ntwo\nthree é 漢\t|"


# ---- time in proportion to the text ----------------------------------------------------------

#: Texts of n lines that once took time in proportion to n² or could: each line of a kind, short
#: enough for 8,000 lines to be an assessment the store accepts (100,000 characters).
PATHOLOGICAL = {
    "unclosed HTML comments": lambda n: "\n".join(["<!--"] * n),
    "unclosed fences": lambda n: "\n".join(["```x"] * n),
    "fences and comments": lambda n: "\n".join(["```", "<!--", "~~~"] * (n // 3)),
    "nested lists": lambda n: "\n".join("  " * (i % 4) + "- x" for i in range(n)),
    "deep lists": lambda n: "\n".join(["- - - - x"] * n),
    "brackets": lambda n: "\n".join(["[" * 6] * n),
    "stars": lambda n: "\n".join(["*a " * 3] * n),
    "backticks": lambda n: "\n".join(["`" * 10] * n),
    "tags": lambda n: "\n".join(["<b onx=1>"] * n),
    "links to code": lambda n: "\n".join(["[a[x](js:y)"] * n),
    "setext headings": lambda n: "\n".join(["Title", "==="] * (n // 2)),
}


def export_seconds(demo: Store, text: str) -> float:
    """The best of three exports of the demo with ``text`` as an assessment, in seconds."""
    demo.set_assessment("MARIS", "uc5", PERIOD, assessment=text)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        render_report(demo, PERIOD)
        times.append(time.perf_counter() - start)
    return min(times)


def test_four_thousand_unclosed_comments_export_well_under_a_second(demo: Store) -> None:
    assert export_seconds(demo, PATHOLOGICAL["unclosed HTML comments"](4000)) < 1


@pytest.mark.parametrize("kind", PATHOLOGICAL)
def test_an_export_takes_time_in_proportion_to_the_text(demo: Store, kind: str) -> None:
    """Four times the text takes about four times as long (sixteen, were it quadratic); the
    margin between is wide, for a machine that is busy with something else."""
    make = PATHOLOGICAL[kind]
    small, large = export_seconds(demo, make(2000)), export_seconds(demo, make(8000))
    assert large < 2, f"{kind}: 8,000 lines took {large:.2f} s"
    assert large < 8 * small + 0.05, f"{kind}: 2,000 lines {small:.2f} s, 8,000 {large:.2f} s"


def test_raw_html_is_kept_only_when_the_export_asks_for_it(demo_path: Path) -> None:
    with Store.open(demo_path) as store:
        store.set_assessment("MARIS", "uc5", PERIOD, assessment="See <b>this</b>.")
    command = ["export", "--db", str(demo_path), "--period", PERIOD, "--installation", "uc5"]
    plain, kept = run(command, flat=False), run([*command, "--allow-html"], flat=False)
    assert plain[0] == kept[0] == 0
    assert "See \\<b>this\\</b>." in plain[1] and "See <b>this</b>." in kept[1]
