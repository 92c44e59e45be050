"""What was true when: dated stages, cut-offs, the deployment rule as the help writes it,
stated and pro-rated targets, the project's thresholds and name; each change in the history."""

from __future__ import annotations

import datetime as dt

import pytest
from vatui.store import InvalidValue, Light, PermissionDenied, Store
from vatui.store.lights import baseline_with_target
from vatui.store.projectfile import ProjectFileRefused, read_project_file

LATER = "M25-M36"


def light_of(store: Store, period: str, installation: str) -> tuple[Light, Light]:
    (row,) = store.status(period, installations=[installation])
    return row.deployment_light, row.overall_light


def metric_row(store: Store, period: str, installation: str, metric: str):  # noqa: ANN201
    (row,) = store.status(period, installations=[installation])
    return next(item for item in row.metrics if item.metric.id == metric)


# ---- the deployment light, as the help writes it ----------------------------------------


def test_a_replanned_date_that_has_passed_by_the_cut_off_is_red_not_amber(demo: Store) -> None:
    """UC2 and UC4 were re-planned for 2024-10-31: amber at D5.2 (2024-10-09), red by the end
    of M36, unless they reached production."""
    assert light_of(demo, "M13-M24", "uc2")[0] == Light.AMBER
    demo.set_cutoff("MARIS", LATER, "2025-09-01")  # the demo's clock says it is 2024-10-09
    assert light_of(demo, LATER, "uc2")[0] == Light.RED
    demo.set_stage("CMCC", "uc4", "operational", "2024-10-09")
    assert light_of(demo, LATER, "uc4")[0] == Light.GREEN


def test_an_installation_not_yet_due_is_green_and_one_without_a_plan_grey(demo: Store) -> None:
    demo.set_stage("MARIS", "uc3", None, "2024-09-01", planned="2025-06-30")
    assert light_of(demo, "M13-M24", "uc3")[0] == Light.RED  # its delays count at 2024-10-09
    demo.add_period("MARIS", "M13-M18")  # judged 2024-03-01: no delay, no plan yet
    assert light_of(demo, "M13-M18", "uc3")[0] == Light.GREY
    demo.set_stage("MARIS", "uc3", None, "2024-02-01", planned="2024-06-30")
    assert light_of(demo, "M13-M18", "uc3")[0] == Light.GREEN


def test_an_installation_with_no_figures_is_grey_and_one_with_some_is_judged_on_them(
    demo: Store,
) -> None:
    assert light_of(demo, LATER, "uc5") == (Light.GREEN, Light.GREY)
    demo.set_value("VLIZ", "uc5", "users", LATER, "2")  # 2 of 5: red
    assert light_of(demo, LATER, "uc5") == (Light.GREEN, Light.RED)


# ---- dated stages -----------------------------------------------------------------------


def test_the_stage_now_is_the_latest_by_date_not_the_latest_entered(demo: Store) -> None:
    demo.set_stage("IFREMER", "uc3", "operational", "2024-10-01")
    demo.set_stage("IFREMER", "uc3", "near-operational", "2024-09-15")  # entered late
    assert demo.installation("uc3").stage == "operational"
    assert [e.stage for e in demo.stage_events("uc3")] == ["near-operational", "operational"]
    (row,) = demo.status("M13-M24", installations=["uc3"])
    assert row.installation.stage == "operational"  # 2024-10-01 is before the cut-off 2024-10-09
    demo.set_cutoff("MARIS", "M13-M24", "2024-09-30")
    (row,) = demo.status("M13-M24", installations=["uc3"])
    assert row.installation.stage == "near-operational"
    change = demo.history(installation="uc3")[1]
    assert (change.table, change.actor, change.row) == ("stage_events", "IFREMER", "uc3/2024-09-15")


def test_a_stage_is_refused_from_a_date_after_today_or_by_someone_else(demo: Store) -> None:
    with pytest.raises(InvalidValue, match="from \\(date\\).*a date not after today"):
        demo.set_stage("SU", "uc2", "operational", "2024-10-10")
    with pytest.raises(PermissionDenied, match="provided by SU"):
        demo.set_stage("VLIZ", "uc2", "operational", "2024-10-01")
    with pytest.raises(InvalidValue, match="stage.*one of: in development"):
        demo.set_stage("SU", "uc2", "finished", "2024-10-01")
    assert demo.installation("uc2").stage == "in development"


def test_a_milestone_achieved_counts_from_its_date(demo: Store) -> None:
    demo.achieve_milestone("MARIS", "M5.4", "2024-10-05")
    (m13,) = demo.milestone_status("M13-M24")
    assert (m13.light, m13.achieved) == (Light.GREEN, dt.date(2024, 10, 5))
    demo.set_cutoff("MARIS", "M13-M24", "2024-10-01")
    (m13,) = demo.milestone_status("M13-M24")
    assert (m13.light, m13.achieved) == (Light.RED, None)
    with pytest.raises(PermissionDenied):
        demo.achieve_milestone("VLIZ", "M5.4", "2024-10-05")


# ---- cut-offs ---------------------------------------------------------------------------


def test_cut_offs_default_to_the_day_after_and_to_today_while_under_way(demo: Store) -> None:
    first, issued, later = demo.periods()
    assert (first.as_of, first.cutoff_set) == (dt.date(2023, 9, 1), False)
    assert (issued.as_of, issued.cutoff_set) == (dt.date(2024, 10, 9), True)
    assert later.as_of == dt.date(2024, 10, 9)  # the demo's clock: M25-M36 is under way
    with pytest.raises(InvalidValue, match="cut-off.*from the period's start \\(2024-09-01\\)"):
        demo.set_cutoff("MARIS", LATER, "2024-08-31")
    with pytest.raises(PermissionDenied):
        demo.set_cutoff("VLIZ", LATER, "2025-09-01")
    demo.set_cutoff("MARIS", "M13-M24", None)
    assert demo.period("M13-M24").as_of == dt.date(2024, 9, 1)
    assert demo.history()[0].field == "cutoff"


# ---- targets ----------------------------------------------------------------------------


def test_an_open_list_of_countries_is_held_to_its_stated_target(demo: Store) -> None:
    """ "France, Italy, etc" is no target of 2: the demo states 3, the site's "Number of
    countries" baseline, so the two metrics of one fact give one light."""
    for metric, value in (("obsea-country-names", "Portugal, France"), ("obsea-countries", "2")):
        demo.set_value("MARIS", "uc3", metric, LATER, value)
    names = metric_row(demo, LATER, "uc3", "obsea-country-names")
    count = metric_row(demo, LATER, "uc3", "obsea-countries")
    assert (names.target, names.light) == (3, Light.AMBER) == (count.target, count.light)
    assert baseline_with_target(names.metric, demo.period(LATER)) == (
        "France, Italy, etc (target 3: stated in the project)"
    )
    demo.update_metric("MARIS", "uc3", "obsea-country-names", target=None)
    names = metric_row(demo, LATER, "uc3", "obsea-country-names")
    assert (names.target, names.light) == (None, Light.GREY)


def test_a_yearly_baseline_is_pro_rated_and_the_target_shown_beside_it(demo: Store) -> None:
    demo.add_period("MARIS", "M13-M30")
    demo.update_metric("MARIS", "uc1", "images-processed", baseline=40, baseline_text="40 / y")
    row = metric_row(demo, "M13-M30", "uc1", "images-processed")
    assert row.target == 60
    assert baseline_with_target(row.metric, demo.period("M13-M30")) == (
        "40 / y (target 60: pro-rated to 18 months)"
    )
    assert baseline_with_target(row.metric, demo.period("M13-M24")) == "40 / y"


# ---- the project's name and thresholds ----------------------------------------------------


def test_the_leader_renames_the_project_and_sets_its_thresholds(demo: Store) -> None:
    with pytest.raises(PermissionDenied):
        demo.rename_project("VLIZ", "iMagine II")
    demo.rename_project("MARIS", "iMagine II")
    assert demo.project().name == "iMagine II"
    assert (demo.history()[0].old, demo.history()[0].new) == ("iMagine", "iMagine II")
    with pytest.raises(InvalidValue, match="amber.*not above green"):
        demo.set_thresholds("MARIS", 0.8, 0.9)
    demo.set_thresholds("MARIS", 1.5, 0.9)  # 7 users of 5 is 1.4: amber now
    assert metric_row(demo, "M13-M24", "uc5", "users").light == Light.AMBER


# ---- the project file -------------------------------------------------------------------

HEAD = 'format = 1\n[project]\nname = "P"\nstart = "2022-09"\nleader = "L"\n'


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        (
            '[[period]]\nlabel = "M1-M12"\ncutoff = "2022-08-01"\n',
            8,
            "cutoff: 2022-08-01 is not accepted; a date from the period's start (2022-09-01)",
        ),
        (
            '[[period]]\nlabel = "M1-M12"\n[[installation]]\nid = "a"\nnumber = 1\nname = "A"\n'
            'stage = "operational"\n[[installation.deployment]]\nsince = "2023-01-01"\n'
            'stage = "operational"\n',
            12,
            "either [[installation.deployment]] tables or stage and planned_production",
        ),
        (
            '[[period]]\nlabel = "M1-M12"\n[[installation]]\nid = "a"\nnumber = 1\nname = "A"\n'
            '[[installation.metric]]\nid = "t"\nname = "T"\nkind = "text"\ntarget = 3\n',
            16,
            "a text metric has no light",
        ),
    ],
)
def test_a_project_file_is_refused_with_the_line_of_a_bad_date_or_target(
    body: str, line: int, message: str
) -> None:
    with pytest.raises(ProjectFileRefused) as refused:
        read_project_file(HEAD + body, "p.toml")
    (problem,) = refused.value.problems
    assert problem.startswith(f"p.toml:{line}:") and message in problem
