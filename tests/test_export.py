"""`vatui export`: the demo chapter against D5.2, the golden file, and every option.

The expected D5.2 rows below are typed from the report (seeds/000_9b6b32fffde1b8a9.txt), not
read from the demo data, with only OCR slips mended: "AI" for "Al", a Latin "T5.3" for the
Cyrillic one, "0" for a Greek omicron, and the "User definition" label the OCR lost in 2.1.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from vatui.exports.markdown import render_report
from vatui.store import Store

from tests.markdown_outline import headings, outline, section
from vatui.cli import main

GOLDEN = Path(__file__).parent / "golden" / "demo-M13-M24.md"
REGENERATE = (
    "If the change is wanted, regenerate the golden file on purpose and review its diff: "
    "vatui init --demo --db /tmp/golden.db --force && "
    "vatui export --db /tmp/golden.db --period M13-M24 -o tests/golden/demo-M13-M24.md"
)
EMOJI = "🟢🟡🔴⚪"

ACCOUNTS = "Account management of registered users and image processing runs by iMagine platform"
ACCOUNTS_AND_USERS = (
    "Account management of registered users and image processing runs by iMagine platform"
    " + internal and affiliated user count"
)

SEED_METRICS = {
    "2.1.1 Metrics": [
        ["Number of unique users of the AI image processing service", "10", ACCOUNTS, "10"],
        ["Number of images processed per year", "1500", ACCOUNTS, "1"],
        ["Names of images ingested", "200000", ACCOUNTS, "0"],
        ["Number of countries of users", "7", ACCOUNTS, "1"],
        [
            "Names of countries reached",
            "Germany, Slovakia, BIH, Vietnam, Cambodia, The Philippines, Myanmar",
            ACCOUNTS,
            "1 (Italy)",
        ],
    ],
    "2.2.1 Metrics": [
        [
            "Number of unique zooscan+zooprocess users",
            "~300 / y",
            "no user tracking is available. We estimate >300 persons, from around the world "
            "since 150 ZooScans have been sold worldwide, all use ZooProcess, most are used by "
            "more than a single operator.",
            "0",
        ],
        [
            "Number of scans (i.e. images) processed per year",
            "~10000 / y",
            "1 scan per working day, 150 zooscans => 10k scans",
            "0",
        ],
        [
            "Number of countries in which the current version of zooprocess is used",
            "30",
            "Number of countries in which a zooscan has been purchased",
            "0",
        ],
        [
            "Names of countries reached",
            "France, Spain, Italy, Belgium, UK, Germany, etc. in the EU, Brazil, US, Canada, "
            "China, Japan, Korea",
            "Countries in which a zooscan has been purchased",
            "0",
        ],
    ],
    "2.3.1 Metrics: UC3o - OBSEA": [
        [
            "Number of user groups / institutions accessing Obsea data (real time or data bank "
            "or images and multiparametric data)",
            "10",
            ACCOUNTS,
            "0",
        ],
        [
            "Number of images generated and archived per year on the data bank",
            "3000",
            ACCOUNTS,
            "0",
        ],
        ["Number of countries of users", "3", ACCOUNTS, "0"],
        ["Names of countries reached", "France, Italy, etc", ACCOUNTS, "0"],
    ],
    "2.3.2 Metrics: UC3a - Azores": [
        [
            "Number of user groups / institutions accessing Azores data (real time or data bank "
            "or images and multiparametric data)",
            "10",
            ACCOUNTS,
            "0",
        ],
        [
            "Number of images generated and archived per year on the data bank",
            "3000",
            ACCOUNTS,
            "0",
        ],
        ["Number of countries of users", "3", ACCOUNTS, "0"],
        ["Names of countries reached", "France, Italy, etc", ACCOUNTS, "0"],
    ],
    "2.3.3 Metrics: UC3s - SmartBay": [
        [
            "Number of user groups / institutions accessing SmartBay data (real time or data "
            "bank or images and multiparametric data)",
            "10",
            ACCOUNTS,
            "0",
        ],
        [
            "Number of images generated and archived per year on the data bank",
            "3000",
            ACCOUNTS,
            "0",
        ],
        ["Number of countries of users", "3", ACCOUNTS, "0"],
        ["Names of countries reached", "France, Italy, etc", ACCOUNTS, "0"],
    ],
    "2.4.1 Metrics": [
        ["Number of unique users of the AI image processing service", "100", ACCOUNTS, "0"],
        ["Number of images processed per year", "1000", ACCOUNTS, "0"],
        ["Number of images ingested", "200", ACCOUNTS, "0"],
        ["Number of countries of users", "10", ACCOUNTS, "0"],
        ["Names of countries reached", "France, Italy, etc", ACCOUNTS, "0"],
    ],
    "2.5.1 Metrics": [
        [
            "Number of unique users of the AI image processing service",
            "5",
            ACCOUNTS_AND_USERS,
            "7",
        ],
        ["Number of images processed per year", "300,000", ACCOUNTS_AND_USERS, "2,075,958"],
        ["Number of images ingested", "1,400,000", ACCOUNTS_AND_USERS, "2,075,958"],
        ["Number of countries of users", "1", ACCOUNTS, "7"],
    ],
}

CATALOGUE = "Image Analysis Services for Aquatic Sciences"
ACADEMIC_USERS = (
    "researchers from academics, monitoring agencies, NGO's, environmental management organisations"
)

# The seed's description tables of 2.2 and 2.5 have no Providers row; our data knows their
# providers (SU, VLIZ) and shows the row. That is a deliberate difference: the test checks that
# the seed's rows appear in the seed's order, and that Providers is the only row added.
SEED_DESCRIPTIONS = {
    "2.1 Marine litter assessment service": [
        [
            "Description",
            "This service supports ingestion, storage, analysis and processing of drone images, "
            "observing litter floating at surface waters in seas, rivers and lakes, and lying at "
            "beaches and shores, delivering standardised classified data sets, which are fit for "
            "purpose of environmental management and indicators.",
        ],
        ["Task", "T5.1"],
        ["URL", "https://www.imagine-ai.eu/service/litter-assessment-service"],
        ["Service Category", "Thematic"],
        ["Service Catalogue", CATALOGUE],
        ["Providers", "DFKI, MARIS, OGS"],
        ["Location", "Original service at DFKI – Germany"],
        [
            "Modality of access",
            "No remote access currently, but will be once deployed at iMagine platform",
        ],
        ["Support offered", "Support of users and operation, including training of users"],
        ["Operational since", "Will become full operational in 3rd year"],
        ["User definition", ACADEMIC_USERS],
    ],
    "2.2 Zooscan taxonomic identification service": [
        ["Task", "T5.2"],
        ["URL", "https://www.imagine-ai.eu/service/zooprocess-service"],
        ["Service Category", "Thematic"],
        ["Service Catalogue", CATALOGUE],
        ["Location", "Currently: distributed, Ultimately: EGI + Villefranche-sur-Mer,France"],
        ["Modality of access", "No remote access currently"],
        [
            "Support offered",
            "Training of users, assistance for data formatting for upload, assistance for data "
            "exploitation",
        ],
        ["Operational since", "2010"],
        [
            "User definition",
            "scientific research groups (mostly used by technicians) + environment monitoring "
            "companies/agencies",
        ],
    ],
    "2.3 Marine ecosystem monitoring service": [
        [
            "Description",
            "This service will be provided for the processing of video imagery, collected by "
            "cameras at EMSO underwater sites, identifying and further analysing interesting "
            "images for purposes of ecosystem monitoring. The service will be operated from "
            "several EMSO sites where underwater videos are being collected. The three sites of "
            "this installation provide complementary capabilities for the whole pipeline of "
            "image collection, selection, AI-based analysis and annotation. EMSO-Obsea (UPC – SE) "
            "and EMSO-Azores (Ifremer – FR) have experience with using AI for the analysis of "
            "selected images for identification of biota. EMSO-SmartBay has experience with "
            "preselecting interesting images from the sizable video footage. Ifremer has "
            "experience with data management of EMSO raw and annotated imagery.",
        ],
        ["Task", "T5.3"],
        ["URL", "https://www.imagine-ai.eu/service/marine-ecosystem-monitoring-service"],
        ["Service Category", "Thematic"],
        ["Service Catalogue", CATALOGUE],
        ["Providers", "IFREMER, MI, UPC"],
        [
            "Location",
            "Vilanova i la Geltru coast (Barcelona, Spain) Lat. : 41º 10,93' N - "
            "Long. : 001º 45,15' E",
        ],
        ["Modality of access", "Remote or partially remote"],
        ["Support offered", "support and training"],
        ["Operational since", "0"],
        [
            "User definition",
            "Researchers, monitoring agencies, NGOs, environmental management organisations",
        ],
    ],
    "2.4 Oil spill detection service": [
        [
            "Description",
            "The WITOIL (Where Is the Oil) service will be made available to reconstruct and "
            "validate real events such as accidents or illegal oil spills. In its forecasting "
            "mode it can be used to predict the impact of pollution on marine ecosystems for "
            "maritime authorities responsible for contingency planning and response. The "
            "service will be augmented by the further development of AI algorithms for oil "
            "spill detection, with the use of the iMagine AI framework. The service will also "
            "integrate and offer all the scientific products, such as oil spills detected by "
            "remote sensing and oil spill model results added value datasets, for further "
            "analysis.",
        ],
        ["Task", "T5.4"],
        ["URL", "https://www.imagine-ai.eu/service/witoil-service"],
        ["Service Category", "Thematic"],
        ["Service Catalogue", CATALOGUE],
        ["Providers", "CMCC, OrbitalEOS"],
        ["Location", "Via Augusto imperatore 16, Lecce (Italy)"],
        ["Modality of access", "web interface"],
        ["Support offered", "Support of users and simulations, including training of users"],
        ["Operational since", "0"],
        ["User definition", ACADEMIC_USERS],
    ],
    "2.5 Flowcam phytoplankton identification": [
        [
            "Description",
            "This service supports image-based taxonomic identification of plankton particles "
            "in the micro-plankton size range (including photosynthetic plankton or "
            "phytoplankton). As part of the service a long-term dataset of over 1.4 million "
            "expert validated plankton images is being made available to serve as a "
            "high-quality training dataset for new AI supported plankton identification. "
            "Enabling access to both the dataset and the analytical algorithms from the iMagine "
            "AI framework will support additional users to set up and run their own plankton "
            "image recognition pipeline.",
        ],
        ["Task", "T5.5"],
        ["URL", "https://www.imagine-ai.eu/service/phytoplankton-identification-service"],
        ["Service Category", "Thematic"],
        ["Service Catalogue", CATALOGUE],
        ["Location", "Original service at VLIZ - Belgium"],
        [
            "Modality of access",
            "No remote access currently, but will be once deployed at iMagine platform",
        ],
        ["Support offered", "Support of users and operation, including training of users"],
        ["Operational since", "0"],
        ["User definition", "Single researchers, environmental management organisations"],
    ],
}
ADDED_PROVIDERS = {
    "2.2 Zooscan taxonomic identification service": ["Providers", "SU"],
    "2.5 Flowcam phytoplankton identification": ["Providers", "VLIZ"],
}


def export(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run ``vatui export`` and return what it printed; it must succeed."""
    assert main(["export", *args]) == 0
    return capsys.readouterr().out


# ---- the demo against D5.2 ------------------------------------------------------------------


def test_demo_metrics_tables_equal_the_reports(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sections = outline(export(capsys, "--db", str(demo_path), "--period", "M13-M24"))
    for title, expected in SEED_METRICS.items():
        [table] = section(sections, title).tables
        assert table.header == [
            "Metric name",
            "Baseline",
            "Define how measurement is done",
            "M13-M24",
            "Status",
        ]
        assert [row[:4] for row in table.rows] == expected, title


def test_demo_description_tables_equal_the_reports(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sections = outline(export(capsys, "--db", str(demo_path), "--period", "M13-M24"))
    for title, expected in SEED_DESCRIPTIONS.items():
        [table] = section(sections, title).tables
        added = ADDED_PROVIDERS.get(title)
        assert [row for row in table.rows if row != added] == expected, title
        if added:
            assert added in table.rows, title


def test_sites_are_numbered_in_turn_with_the_assessment_after_them(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sections = outline(export(capsys, "--db", str(demo_path), "--period", "M13-M24"))
    titles = headings(sections)
    start = titles.index((2, "2.3 Marine ecosystem monitoring service"))
    assert titles[start : start + 8] == [
        (2, "2.3 Marine ecosystem monitoring service"),
        (3, "2.3.1 Metrics: UC3o - OBSEA"),
        (3, "2.3.2 Metrics: UC3a - Azores"),
        (3, "2.3.3 Metrics: UC3s - SmartBay"),
        (3, "2.3.4 Assessment"),
        (4, "UC3o - OBSEA"),
        (4, "UC3a - Azores"),
        (4, "UC3s - SmartBay"),
    ]


def test_the_demo_export_matches_the_reviewed_golden_file(demo: Store) -> None:
    """The golden file was reviewed line by line against D5.2; a change to it must be wanted."""
    assert render_report(demo, "M13-M24") == GOLDEN.read_text(encoding="utf-8"), REGENERATE


# ---- what a WP leader reads up front ------------------------------------------------------


def test_summary_table_and_sentence_come_from_the_data(demo: Store) -> None:
    sections = outline(render_report(demo, "M13-M24", sections=["summary"]))
    [table] = section(sections, "Summary").tables
    assert table.header == [
        "No.",
        "Installation",
        "Providers",
        "Stage",
        "Metric lights",
        "Deployment",
        "Overall",
        "Planned production",
        "Review",
    ]
    assert table.rows[0] == [
        "2.1",
        "Marine litter assessment service",
        "DFKI, MARIS, OGS",
        "near-operational",
        "🟢 1 · 🟡 0 · 🔴 4 · ⚪ 0",
        "🔴 red",
        "🔴 red",
        "not set",
        "accepted",
    ]
    assert table.column("Overall") == ["🔴 red"] * 4 + ["🟢 green"]
    text = render_report(demo, "M13-M24", sections=["summary"])
    assert "Reporting period M13-M24 (Sep 2023 – Aug 2024) of iMagine" in text
    assert "1 of 5 installations is operational: 2.5 Flowcam phytoplankton identification." in text
    assert "4 are late: 2.1 Marine litter assessment service, 2.2 " in text

    demo.update_installation("CMCC", "uc4", stage="operational")
    text = render_report(demo, "M13-M24", sections=["summary"])
    assert (
        "2 of 5 installations are operational: 2.4 Oil spill detection service and "
        "2.5 Flowcam phytoplankton identification." in text
    )
    assert "3 are late:" in text


def test_milestones_and_delay_log(demo: Store) -> None:
    sections = outline(render_report(demo, "M13-M24", sections=["milestones", "delays"]))
    [milestones] = section(sections, "Milestones").tables
    assert milestones.rows[0][:4] == [
        "M5.4",
        "Five mature use cases deployed and in production",
        "M24 (Aug 2024)",
        "partially achieved",
    ]
    assert milestones.column("Light") == ["🔴 red"]
    [delays] = section(sections, "Delay log").tables
    assert delays.header == ["Installation", "Recorded", "By", "Reason", "Re-planned"]
    assert delays.column("Installation")[2] == (
        "2.3 Marine ecosystem monitoring service (UC3o - OBSEA)"
    )
    assert delays.column("Re-planned") == [
        "not re-planned",
        "2024-10-31",
        "2024-10-31",
        "2024-10-31",
        "not re-planned",
        "2024-10-31",
    ]


def test_values_entered_later_show_thousands_separators(demo: Store) -> None:
    demo.set_value("VLIZ", "uc5", "images-processed", "M25-M36", "2500000")
    sections = outline(render_report(demo, "M25-M36", installations=["uc5"]))
    [table] = section(sections, "2.5.1 Metrics").tables
    assert table.header[3] == "M25-M36"
    assert table.column("M25-M36") == ["", "2,500,000", "", ""]


# ---- options --------------------------------------------------------------------------------


def test_sections_come_in_the_chapters_order_whatever_order_they_are_asked_in(
    demo: Store,
) -> None:
    text = render_report(demo, "M13-M24", sections=["delays", "summary"])
    assert headings(outline(text)) == [(1, "2 Installations"), (2, "Summary"), (2, "Delay log")]


def test_installation_filter_keeps_numbers_and_narrows_every_section(demo: Store) -> None:
    sections = outline(render_report(demo, "M13-M24", installations=["uc5", "3"]))
    installation_headings = [title for level, title in headings(sections) if level == 2]
    assert installation_headings == [
        "Summary",
        "2.3 Marine ecosystem monitoring service",
        "2.5 Flowcam phytoplankton identification",
        "Milestones",
        "Delay log",
    ]
    assert section(sections, "Summary").tables[0].column("No.") == ["2.3", "2.5"]
    delays = section(sections, "Delay log").tables[0].column("Installation")
    assert all(name.startswith("2.3 ") for name in delays) and len(delays) == 3


@pytest.mark.parametrize("level", [2, 3])
def test_heading_level_shifts_every_heading(demo: Store, level: int) -> None:
    base = headings(outline(render_report(demo, "M13-M24")))
    shifted = headings(outline(render_report(demo, "M13-M24", heading_level=level)))
    assert shifted == [(depth + level - 1, title) for depth, title in base]


def test_lights_in_words(demo: Store) -> None:
    text = render_report(demo, "M13-M24", lights="words")
    assert not any(mark in text for mark in EMOJI)
    [table] = section(outline(text), "2.5.1 Metrics").tables
    assert table.column("Status") == ["green"] * 4
    summary = section(outline(text), "Summary").tables[0]
    assert summary.column("Metric lights")[0] == "1 green, 0 amber, 4 red, 0 grey"


def test_lights_none_drops_every_light_column(demo: Store) -> None:
    text = render_report(demo, "M13-M24", lights="none")
    sections = outline(text)
    assert not any(mark in text for mark in EMOJI)
    assert section(sections, "2.5.1 Metrics").tables[0].header == [
        "Metric name",
        "Baseline",
        "Define how measurement is done",
        "M13-M24",
    ]
    summary = section(sections, "Summary").tables[0].header
    assert not {"Metric lights", "Deployment", "Overall"} & set(summary)
    assert "Light" not in section(sections, "Milestones").tables[0].header
    cells = {
        cell for item in sections for table in item.tables for row in table.rows for cell in row
    }
    assert not cells & {"green", "amber", "red", "grey"}
    assert "are green" not in text


def test_numbering_off_drops_the_section_numbers(demo: Store) -> None:
    numbered = headings(outline(render_report(demo, "M13-M24")))
    plain = outline(render_report(demo, "M13-M24", numbering=False))
    assert headings(plain) == [
        (level, title.split(" ", 1)[1] if title[0].isdigit() else title)
        for level, title in numbered
    ]
    assert "No." not in section(plain, "Summary").tables[0].header
    delays = section(plain, "Delay log").tables[0].column("Installation")
    assert delays[0] == "Marine litter assessment service"


# ---- output: same bytes, atomic file, no timestamps unless asked ----------------------------


def test_same_store_and_options_give_the_same_bytes(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    printed = export(capsys, "--db", str(demo_path), "--period", "M13-M24")
    target = tmp_path / "chapter.md"
    export(capsys, "--db", str(demo_path), "--period", "M13-M24", "-o", str(target))
    first = target.read_bytes()
    export(capsys, "--db", str(demo_path), "--period", "M13-M24", "-o", str(target))
    assert target.read_bytes() == first == printed.encode("utf-8")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["chapter.md", "demo.db"]


def test_the_renderer_prints_nothing(demo: Store, capsys: pytest.CaptureFixture[str]) -> None:
    text = render_report(demo, "M13-M24")
    assert text.startswith("# 2 Installations\n")
    assert capsys.readouterr() == ("", "")


def test_a_failed_write_leaves_the_previous_export_whole(
    demo_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "chapter.md"
    target.write_text("the export the leader already sent\n", encoding="utf-8")

    def full_disk(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    assert main(["export", "--db", str(demo_path), "-o", str(target)]) == 1
    assert "No space left on device" in " ".join(capsys.readouterr().err.split())
    assert target.read_text(encoding="utf-8") == "the export the leader already sent\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["chapter.md", "demo.db"]


def test_stamp_only_when_asked(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plain = export(capsys, "--db", str(demo_path), "--period", "M13-M24")
    stamped = export(capsys, "--db", str(demo_path), "--period", "M13-M24", "--stamp")
    assert "Exported on" not in plain
    front = stamped.split("\n")[2]
    assert front.startswith("Reporting period M13-M24") and " Exported on 20" in front


@pytest.mark.parametrize(
    ("option", "named"),
    [
        (["--period", "M99-M100"], "unknown period 'M99-M100'"),
        (["--period", "spring"], "period: 'spring'"),
        (["--installation", "uc9"], "unknown installation 'uc9'"),
        (["--sections", "summary,appendix"], "section: 'appendix'"),
        (["--sections", ","], "sections"),
        (["--lights", "colour"], "lights: 'colour'"),
        (["--heading-level", "5"], "heading level: 5"),
        (["--heading-level", "two"], "heading level: 'two'"),
        (["--numbering", "maybe"], "numbering: 'maybe'"),
    ],
)
def test_bad_options_are_refused_by_name(
    demo_path: Path, capsys: pytest.CaptureFixture[str], option: list[str], named: str
) -> None:
    assert main(["export", "--db", str(demo_path), *option]) == 1
    out, err = capsys.readouterr()
    assert named in " ".join(err.split())
    assert "Traceback" not in err and out == ""


def test_the_renderer_imports_no_ui() -> None:
    """exports sits between vatui and store: loading it must not pull in Textual or vatui."""
    probe = "import sys, vatui.exports.markdown; print(sorted(sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert "'vatui.store'" in loaded
    assert "'textual'" not in loaded and "'vatui.app'" not in loaded
    assert "'vatui.screens'" not in loaded


def test_figures_not_yet_accepted_are_marked_provisional(demo: Store) -> None:
    demo.set_value("VLIZ", "uc5", "users", "M25-M36", "6")
    demo.review("VLIZ", "uc5", "M25-M36", "submit")
    text = render_report(demo, "M25-M36", installations=["uc5", "uc4"])
    table = section(outline(text), "Summary").tables[0]
    assert table.column("Review") == ["draft", "submitted"]
    assert text.count("Provisional: the WP leader has not accepted these figures yet") == 2
    assert "(review state: submitted)" in text
    demo.review("MARIS", "uc5", "M25-M36", "accept")
    accepted = render_report(demo, "M25-M36", installations=["uc5"])
    assert "Provisional" not in accepted
    assert "Provisional" not in render_report(demo, "M13-M24")


def test_a_final_export_is_refused_while_figures_are_not_accepted(
    demo_path: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(demo_path)
    out = tmp_path / "final.md"
    final = ["export", "--db", db, "--as", "MARIS", "--final", "-o", str(out), "--period"]
    assert main([*final, "M25-M36"]) == 1
    err = " ".join(capsys.readouterr().err.split())
    assert "not final" in err and "uc1 (draft)" in err and "uc5 (draft)" in err
    assert not out.exists()
    assert main([*final, "M13-M24"]) == 0
    assert "Provisional" not in out.read_text()


def test_only_the_leader_issues_the_whole_chapter(
    demo_path: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db, out = str(demo_path), tmp_path / "final.md"
    final = ["export", "--db", db, "--final", "--period", "M13-M24", "-o", str(out)]
    assert main([*final, "--as", "VLIZ"]) == 1
    assert "only the project leader MARIS" in capsys.readouterr().err
    assert main([*final, "--as", "MARIS", "--installation", "uc5"]) == 1
    assert "--final issues the whole chapter" in capsys.readouterr().err
    assert not out.exists()
    assert main(["export", "--db", db, "--period", "M13-M24", "--issued"]) == 1
    assert "no chapter of M13-M24 has been issued" in capsys.readouterr().err


def test_the_light_style_comes_from_the_config(
    demo_path: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("VATUI_CONFIG", str(tmp_path / "config.toml"))
    assert main(["config", "set", "light_style", "words"]) == 0
    capsys.readouterr()
    assert main(["export", "--db", str(demo_path), "--sections", "summary"]) == 0
    text = capsys.readouterr().out
    assert "| red |" in text and "🔴" not in text
    assert (
        main(["export", "--db", str(demo_path), "--sections", "summary", "--lights", "emoji"]) == 0
    )
    assert "🔴" in capsys.readouterr().out
