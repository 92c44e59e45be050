"""The traffic-light rules, checked on the seed's own rows and on the edge cases."""

from __future__ import annotations

import datetime as dt

from vatui.store import Store
from vatui.store.lights import Thresholds, deployment_light, metric_light, milestone_light, worst
from vatui.store.models import DelayEntry, Installation, Light, Metric, Milestone, Value
from vatui.store.periods import parse_period

START = (2022, 9)
YEAR = parse_period("M13-M24", START)
HALF_YEAR = parse_period("M13-M18", START)


def count(baseline: float | None, *, per_year: bool = False, direction: str = "higher") -> Metric:
    return Metric("m", "uc", "metric", baseline=baseline, per_year=per_year, direction=direction)


def value(number: float | None = None, countries: tuple[str, ...] | None = None) -> Value:
    return Value("uc", "m", "M13-M24", number=number, countries=countries)


def lights_of(store: Store, installation: str, period: str = "M13-M24") -> dict[str, Light]:
    (row,) = store.status(period, installations=[installation])
    return {status.metric.id: status.light for status in row.metrics}


def test_uc5_is_green_on_all_four_metrics_of_the_seed(demo: Store) -> None:
    lights = lights_of(demo, "uc5")
    assert list(lights.values()) == [Light.GREEN] * 4


def test_uc1_is_red_on_images_processed_one_against_1500(demo: Store) -> None:
    (row,) = demo.status("M13-M24", installations=["uc1"])
    images = next(s for s in row.metrics if s.metric.name == "Number of images processed per year")
    assert images.value is not None and images.value.shown == "1"
    assert images.target == 1500
    assert images.light == Light.RED
    assert row.overall_light == Light.RED


def test_uc1_users_meet_their_baseline_exactly_and_are_green(demo: Store) -> None:
    assert lights_of(demo, "uc1")["users"] == Light.GREEN


def test_countries_count_distinct_countries_against_the_baseline_list(demo: Store) -> None:
    # "1 (Italy)" against seven countries named in the baseline: 1/7 is red.
    assert lights_of(demo, "uc1")["country-names"] == Light.RED
    metric = Metric("m", "uc", "countries", kind="countries", baseline_countries=("FR", "IT"))
    assert metric_light(metric, value(countries=("FR",)), YEAR) == Light.AMBER
    assert metric_light(metric, value(countries=("FR", "IT", "FR")), YEAR) == Light.GREEN


def test_green_amber_red_at_the_default_thresholds() -> None:
    metric = count(100)
    assert metric_light(metric, value(100), YEAR) == Light.GREEN
    assert metric_light(metric, value(99), YEAR) == Light.AMBER
    assert metric_light(metric, value(50), YEAR) == Light.AMBER
    assert metric_light(metric, value(49), YEAR) == Light.RED


def test_a_yearly_baseline_is_pro_rated_for_a_shorter_period() -> None:
    metric = count(1500, per_year=True)
    # Half a year: the target is 750, so 750 is green although it is half the yearly figure.
    assert metric_light(metric, value(750), HALF_YEAR) == Light.GREEN
    assert metric_light(metric, value(750), YEAR) == Light.AMBER
    # A baseline that is not yearly is not pro-rated.
    assert metric_light(count(1500), value(750), HALF_YEAR) == Light.AMBER


def test_lower_is_better_inverts_the_ratio() -> None:
    metric = count(10, direction="lower")
    assert metric_light(metric, value(5), YEAR) == Light.GREEN
    assert metric_light(metric, value(15), YEAR) == Light.AMBER
    assert metric_light(metric, value(25), YEAR) == Light.RED
    assert metric_light(metric, value(0), YEAR) == Light.GREEN


def test_no_value_no_baseline_and_text_are_grey() -> None:
    assert metric_light(count(100), None, YEAR) == Light.GREY
    assert metric_light(count(None), value(5), YEAR) == Light.GREY
    text = Metric("m", "uc", "comment", kind="text")
    assert metric_light(text, Value("uc", "m", "M13-M24", text="fine"), YEAR) == Light.GREY


def test_thresholds_come_from_the_config_and_a_metric_may_override_them() -> None:
    strict = Thresholds(green=1.2, amber=0.9)
    assert metric_light(count(100), value(110), YEAR, strict) == Light.AMBER
    own = Metric("m", "uc", "metric", baseline=100, green_at=0.8, amber_at=0.2)
    assert metric_light(own, value(85), YEAR, strict) == Light.GREEN
    assert metric_light(own, value(10), YEAR, strict) == Light.RED


def test_the_worst_light_wins_and_grey_only_when_nothing_is_known() -> None:
    assert worst([Light.GREEN, Light.GREY, Light.AMBER]) == Light.AMBER
    assert worst([Light.GREEN, Light.RED]) == Light.RED
    assert worst([Light.GREY, Light.GREY]) == Light.GREY
    assert worst([]) == Light.GREY


def test_deployment_light_follows_stage_and_delay_log() -> None:
    as_of = dt.date(2024, 8, 31)
    late = Installation("uc2", 2, "Zooscan", planned_production=dt.date(2024, 6, 1))
    on_time = Installation("uc2", 2, "Zooscan", planned_production=dt.date(2024, 12, 1))
    replanned = DelayEntry(1, "uc2", dt.date(2024, 10, 9), "format", dt.date(2024, 10, 31))
    open_ended = DelayEntry(2, "uc2", dt.date(2024, 10, 9), "data", None)
    assert (
        deployment_light(Installation("uc5", 5, "Flowcam", stage="operational"), [], as_of)
        == "green"
    )
    assert deployment_light(on_time, [], as_of) == Light.GREEN
    assert deployment_light(late, [], as_of) == Light.RED
    assert deployment_light(Installation("x", 9, "x"), [], as_of) == Light.GREY
    assert deployment_light(late, [replanned], as_of) == Light.AMBER
    assert deployment_light(late, [replanned, open_ended], as_of) == Light.RED


def test_demo_deployment_lights_match_the_report(demo: Store) -> None:
    lights = {row.installation.id: row.deployment_light for row in demo.status("M13-M24")}
    # UC5 in production; UC2 and UC4 re-planned to October 2024; UC1 and UC3 (SmartBay)
    # have delays without a new date.
    assert lights == {"uc1": "red", "uc2": "amber", "uc3": "red", "uc4": "amber", "uc5": "green"}


def test_milestone_lights() -> None:
    due = dt.date(2024, 8, 31)
    open_milestone = Milestone("M5.4", "in production", 24)
    assert milestone_light(open_milestone, due, dt.date(2024, 8, 30)) == Light.GREY
    assert milestone_light(open_milestone, due, due) == Light.RED
    replanned = Milestone("M5.4", "in production", 24, replanned=dt.date(2024, 10, 31))
    assert milestone_light(replanned, due, due) == Light.AMBER
    achieved = Milestone("M5.4", "in production", 24, achieved=dt.date(2024, 8, 1))
    assert milestone_light(achieved, due, due) == Light.GREEN


def test_demo_milestone_m5_4_is_red_at_the_end_of_m24(demo: Store) -> None:
    (status,) = demo.milestone_status("M13-M24")
    assert status.milestone.id == "M5.4"
    assert status.due == dt.date(2024, 8, 31)
    assert status.light == Light.RED
    (earlier,) = demo.milestone_status("M1-M12")
    assert earlier.light == Light.GREY
