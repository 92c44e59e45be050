"""No text in the store can break the exported chapter.

Any text goes into every kind of cell and heading, and providers' markdown into every
assessment; the result is parsed as a reader's tool would (markdown-it-py, CommonMark with
GitHub's tables) and must keep its tables' shape, give the text back, and keep the chapter's
headings where they are, each provider heading below the part that holds it.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from vatui.exports.markdown import prose, render_report
from vatui.exports.tables import pipe_table
from vatui.store import (
    Assessment,
    DelayEntry,
    Installation,
    InstallationStatus,
    Light,
    Metric,
    MetricStatus,
    Milestone,
    MilestoneStatus,
    Period,
    Project,
    Site,
    Store,
    Value,
)
from vatui.store.periods import parse_period
from vatui.store.text import printable

from tests.markdown_outline import Section, headings, outline, section

#: Pieces of markdown, so that generated text often holds the constructs that break documents.
MARKDOWN_PIECES = [
    "#", "# ", "###### ", "####### ", "\n", "\n\n", "\r\n", "\r", "```", "~~~", "`", "<!--",
    "-->", "<div>", "</div>", "<script>", "<pre>", "<?", "<![CDATA[", "<br>", "---", "===",
    "> ", "- ", "* ", "1. ", "    ", "\t", "|", "\\", "*", "_", "~", "$", "[", "]", "(", ")",
    "&amp;", "&#35;", ":smile:", "![x](y)", "<http://x.org>", "a", "b c", " ", "\x00", "\x1b",
    "\u2028", "\xa0",
]  # fmt: skip
markdown_line = st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=6).map("".join)
markdownish = st.lists(markdown_line, max_size=8).map("\n".join)
any_text = st.one_of(st.text(), markdownish)
LIGHTS = [Light.GREEN, Light.AMBER, Light.RED, Light.GREY]


def shown(text: str) -> str:
    """What a reader must see for ``text`` in a cell: the text itself, with line ends made
    ``\\n``, control characters (never meant to be there) shown as visible escapes by the
    store's one rule (``\\x1b``) and the cell's outer whitespace trimmed."""
    return printable(text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def one_line(text: str) -> str:
    """What a reader must see for ``text`` in a heading: ``shown``, whitespace runs as a space."""
    return " ".join(shown(text).split())


# ---- the table helper -----------------------------------------------------------------------


@settings(max_examples=200)
@given(
    st.integers(min_value=1, max_value=4).flatmap(
        lambda width: st.tuples(
            st.lists(any_text, min_size=width, max_size=width),
            st.lists(st.lists(any_text, min_size=width, max_size=width), max_size=4),
        )
    )
)
def test_any_text_in_any_cell_keeps_the_table_and_comes_back(
    table: tuple[list[str], list[list[str]]],
) -> None:
    header, rows = table
    [parsed] = outline(pipe_table(header, rows))[0].tables
    assert parsed.header == [shown(text) for text in header]
    assert parsed.rows == [[shown(text) for text in row] for row in rows]


def test_a_megabyte_in_a_cell_keeps_the_table() -> None:
    text = "Lorem | ipsum `dolor` <b>sit</b> &amp; *amet*\n" * 22_000
    assert len(text) > 1_000_000
    [parsed] = outline(pipe_table(["name", "value"], [[text, "after"], ["next", "row"]]))[0].tables
    assert parsed.rows == [[shown(text), "after"], ["next", "row"]]


# ---- the whole chapter ----------------------------------------------------------------------


class TextEverywhere:
    """A store stand-in whose every text field holds ``text`` and whose every assessment text
    is ``markdown``: two installations, the second with two sites, a milestone, two delays."""

    def __init__(self, text: str, markdown: str) -> None:
        self.text = text
        self.markdown = markdown
        self.span = parse_period("M13-M24", (2022, 9))
        # Codes of their own keep the sites' headings apart from a provider's "# " + text.
        sites = [Site(f"s{n}", "b", text, code=f"S{n}", position=n) for n in (1, 2)]
        self.rows = [self._row("a", 1, []), self._row("b", 2, sites)]

    def _row(self, ident: str, number: int, sites: list[Site]) -> InstallationStatus:
        fields = {name: self.text for name in ("name", "description", "task", "url", "location")}
        item = Installation(ident, number, providers=(self.text,), **fields)
        metrics = [
            MetricStatus(
                Metric(f"m{index}", ident, self.text, "text", site.id if site else None,
                       baseline_text=self.text, measured=self.text),
                Value(ident, f"m{index}", "M13-M24", display=self.text),
                LIGHTS[index % 4], None, None,
            )
            for index, site in enumerate(sites or [None])
        ]  # fmt: skip
        delay = DelayEntry(number, ident, dt.date(2024, 10, 9), self.text, None,
                           sites[0].id if sites else None, self.text)  # fmt: skip
        return InstallationStatus(item, sites, metrics, Light.RED, Light.RED, [delay])

    def project(self) -> Project:
        return Project(self.text, "2022-09", "L", self.text, self.text, 2)

    def period(self, label: str) -> Period:
        return self.span

    def status(
        self, period: str, *, installations: list[str] | None = None
    ) -> list[InstallationStatus]:
        return self.rows

    def review_states(self, period: str) -> dict[str, str]:
        return {row.installation.id: "submitted" for row in self.rows}

    def milestone_status(self, period: str) -> list[MilestoneStatus]:
        milestone = Milestone(self.text, self.text, 24, self.text, note=self.text)
        return [MilestoneStatus(milestone, dt.date(2024, 8, 31), Light.AMBER)]

    def assessment(self, installation: str, period: str, site: str | None = None) -> Assessment:
        return Assessment(installation, period, site, *[self.markdown] * 3)


def skeleton(source: TextEverywhere) -> list[tuple[int, str]]:
    """The chapter's own headings, in order, as a reader must see them."""
    name = one_line(source.text)
    first, second = (one_line(site.label) for site in source.rows[1].sites)
    return [
        (1, "2 Installations"),
        (2, "Summary"),
        (2, one_line(f"2.1 {name}")),
        (3, "2.1.1 Metrics"),
        (3, "2.1.2 Assessment"),
        (2, one_line(f"2.2 {name}")),
        (3, one_line(f"2.2.1 Metrics: {first}")),
        (3, one_line(f"2.2.2 Metrics: {second}")),
        (3, "2.2.3 Assessment"),
        (4, first),
        (4, second),
        (2, "Milestones"),
        (2, "Delay log"),
    ]


def assert_headings_in_place(sections: list[Section], expected: list[tuple[int, str]]) -> None:
    """The chapter's headings all there, in order; any other heading (a provider's) deeper
    than the chapter heading it follows."""
    found = headings(sections)
    position, level = 0, 0
    for heading in found:
        if position < len(expected) and heading == expected[position]:
            position, level = position + 1, heading[0]
        else:
            assert heading[0] > level, f"{heading} stands beside or above its part: {found}"
    assert position == len(expected), f"missing {expected[position:]} in {found}"


def expected_tables(source: TextEverywhere) -> dict[str, list[list[str]]]:
    """Section title -> the rows of its table (the header first), as a reader must see them."""
    text, period = shown(source.text), source.span.label
    metric = [text, shown(source.rows[0].metrics[0].metric.baseline_shown), text, text]
    name = one_line(source.text)
    first, second = (one_line(site.label) for site in source.rows[1].sites)
    rows = source.rows[0].installation.description_rows()
    description = [[label, shown(value)] for label, value in rows]
    lights = ["🟢 green", "🟡 amber"]
    metrics_header = ["Metric name", "Baseline", "Define how measurement is done", period, "Status"]
    return {
        "Summary": [
            ["No.", "Installation", "Providers", "Stage", "Metric lights", "Deployment",
             "Overall", "Planned production", "Review"],
            ["2.1", text, text, "in development", "🟢 1 · 🟡 0 · 🔴 0 · ⚪ 0", "🔴 red",
             "🔴 red", "not set", "submitted"],
            ["2.2", text, text, "in development", "🟢 1 · 🟡 1 · 🔴 0 · ⚪ 0", "🔴 red",
             "🔴 red", "not set", "submitted"],
        ],
        one_line(f"2.1 {name}"): [["", ""], *description] if description else [],
        "2.1.1 Metrics": [metrics_header, [*metric, lights[0]]],
        one_line(f"2.2.1 Metrics: {first}"): [metrics_header, [*metric, lights[0]]],
        one_line(f"2.2.2 Metrics: {second}"): [metrics_header, [*metric, lights[1]]],
        "Milestones": [
            ["Milestone", "Title", "Due", "Status", "Achieved or re-planned", "Note", "Light"],
            [text, text, "M24 (Aug 2024)", text, "", text, "🟡 amber"],
        ],
        "Delay log": [
            ["Installation", "Recorded", "By", "Reason", "Re-planned"],
            [shown(f"2.1 {source.text}"), "2024-10-09", text, text, "not re-planned"],
            [shown(f"2.2 {source.text} ({source.rows[1].sites[0].label})"), "2024-10-09", text,
             text, "not re-planned"],
        ],
    }  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(any_text, any_text)
def test_any_text_anywhere_keeps_the_chapter_whole(text: str, markdown: str) -> None:
    source = TextEverywhere(text, markdown)
    sections = outline(render_report(source, "M13-M24"), strict=False)
    assert_headings_in_place(sections, skeleton(source))
    for title, rows in expected_tables(source).items():
        tables = section(sections, title).tables
        assert [[table.header, *table.rows] for table in tables] == ([rows] if rows else [])


# ---- providers' markdown ----------------------------------------------------------------------


def chapter_with_assessment(demo: Store, text: str, site: str | None = None) -> list[Section]:
    demo.set_assessment("MARIS", "uc3", "M13-M24", site=site, assessment=text)
    return outline(render_report(demo, "M13-M24", sections=["installations", "milestones"]))


def test_a_providers_headings_go_below_the_assessment_keeping_their_nesting(demo: Store) -> None:
    text = "# Results\n\nAll good.\n\n## Users\n\nMore.\n\nDetails\n-------\n\nEnd."
    found = headings(chapter_with_assessment(demo, text))
    start = found.index((3, "2.3.4 Assessment"))
    assert found[start : start + 4] == [
        (3, "2.3.4 Assessment"),
        (4, "Results"),
        (5, "Users"),
        (5, "Details"),
    ]
    assert found[start + 4] == (4, "UC3o - OBSEA")


def test_in_a_sites_part_a_providers_headings_go_one_level_deeper(demo: Store) -> None:
    found = headings(chapter_with_assessment(demo, "# Results\n\nfine", site="obsea"))
    start = found.index((4, "UC3o - OBSEA"))
    assert found[start + 1] == (5, "Results")
    assert found[start + 2] == (4, "UC3a - Azores")


def test_headings_past_level_six_become_bold_lines() -> None:
    assert prose("#### Deep\nnext line", 3) == "**Deep**\n\nnext line"


def test_an_unclosed_code_fence_is_closed_so_the_chapter_goes_on(demo: Store) -> None:
    sections = chapter_with_assessment(demo, "Log:\n\n```\n# not a heading\nstill code")
    assert [title for level, title in headings(sections) if level == 2][-2:] == [
        "2.5 Flowcam phytoplankton identification",
        "Milestones",
    ]
    assert (4, "not a heading") not in headings(sections)


def test_an_unclosed_html_comment_is_shown_rather_than_hiding_the_rest(demo: Store) -> None:
    sections = chapter_with_assessment(demo, "Draft <!-- check\n\n<!-- to do: figures")
    assert "Milestones" in [title for _, title in headings(sections)]
    assert "\\<!-- to do: figures" in prose("<!-- to do: figures", 3)


def test_a_providers_markdown_is_otherwise_kept_as_written() -> None:
    text = "Figures:\n\n- **users:** 7\n- *images:* `2,075,958`\n\n<http://witoil.cmcc-opa.eu/>"
    assert prose(f"\n\n{text}\n\n", 3) == text
