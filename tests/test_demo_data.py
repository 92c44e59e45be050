"""The shipped D5.2 demo project holds what the report holds."""

from __future__ import annotations

import datetime as dt

from vatui.store import Store


def test_project_and_periods(demo: Store) -> None:
    project = demo.project()
    assert (project.name, project.grant, project.work_package, project.leader) == (
        "iMagine",
        "101058625",
        "WP5",
        "MARIS",
    )
    periods = demo.periods()
    assert [p.label for p in periods] == ["M1-M12", "M13-M24", "M25-M36"]
    assert periods[0].start_date == dt.date(2022, 9, 1)
    assert periods[1].calendar_label == "Sep 2023 – Aug 2024"


def test_five_installations_with_their_providers_and_stages(demo: Store) -> None:
    rows = [(i.id, i.number, i.providers, i.stage) for i in demo.installations()]
    assert rows == [
        ("uc1", 1, ("DFKI", "MARIS", "OGS"), "near-operational"),
        ("uc2", 2, ("SU",), "in development"),
        ("uc3", 3, ("IFREMER", "MI", "UPC"), "in development"),
        ("uc4", 4, ("CMCC", "OrbitalEOS"), "in development"),
        ("uc5", 5, ("VLIZ",), "operational"),
    ]
    assert demo.installation("uc5").planned_production == dt.date(2024, 7, 12)


def test_uc3_has_three_sites_each_with_four_metrics(demo: Store) -> None:
    sites = demo.sites("uc3")
    assert [(s.name, s.code) for s in sites] == [
        ("OBSEA", "UC3o"),
        ("Azores", "UC3a"),
        ("SmartBay", "UC3s"),
    ]
    per_site = {s.id: [m.name for m in demo.metrics("uc3") if m.site == s.id] for s in sites}
    assert all(len(names) == 4 for names in per_site.values())


def test_every_metric_row_of_the_report_has_its_m13_m24_value(demo: Store) -> None:
    metrics = demo.metrics()
    assert len(metrics) == 5 + 4 + 12 + 5 + 4
    values = {(v.installation, v.metric) for v in demo.values(period="M13-M24")}
    assert values == {(m.installation, m.id) for m in metrics}


def test_uc5_images_keep_the_split_over_the_two_half_years(demo: Store) -> None:
    value = demo.value("uc5", "images-processed", "M13-M24")
    assert value is not None
    assert (value.number, value.shown) == (2075958, "2,075,958")
    assert value.note == "1,865,953 (M13-M18) + 210,005 (M19-M24)"


def test_assessments_delays_and_milestone(demo: Store) -> None:
    assessed = {(a.installation, a.site) for a in demo.assessments(period="M13-M24")}
    assert {("uc1", None), ("uc2", None), ("uc4", None), ("uc5", None)} <= assessed
    assert {("uc3", "obsea"), ("uc3", "azores"), ("uc3", "smartbay")} <= assessed
    replanned = {(d.installation, d.site): d.replanned for d in demo.delays()}
    assert replanned[("uc2", None)] == dt.date(2024, 10, 31)
    assert replanned[("uc3", "smartbay")] is None
    milestone = demo.milestone("M5.4")
    assert milestone.due_month == 24 and milestone.achieved is None
