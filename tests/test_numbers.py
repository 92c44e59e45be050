"""Counts as providers typed them in the D5.2 report, and what is refused."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vatui.store.errors import InvalidValue
from vatui.store.numbers import format_count, parse_count


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("2,075,958", 2075958),  # UC5 images processed
        ("1,400,000", 1400000),
        ("300,000", 300000),
        ("2075958", 2075958),
        ("2 075 958", 2075958),
        ("2\u202f075\u00a0958", 2075958),
        ("2\u2009075\u2009958", 2075958),
        ("1.5", 1.5),
        ("1,234.5", 1234.5),
        ("~300", 300),
        ("~ 10000", 10000),
        ("  7 ", 7),
        ("0", 0),
        ("1.0", 1),
        ("1000000000000000", 10**15),
    ],
)
def test_accepted(text: str, number: float) -> None:
    parsed = parse_count(text)
    assert parsed == number
    assert isinstance(parsed, int) == float(number).is_integer()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("~", "empty"),
        ("300 / y", "only digits"),
        ("~10000 / y", "only digits"),
        (">300", "only digits"),
        ("abc", "only digits"),
        ("12a", "only digits"),
        ("nan", "only digits"),
        ("inf", "only digits"),
        ("1e6", "only digits"),
        ("-5", "cannot be negative"),
        ("−1,000", "cannot be negative"),
        ("1,23,4", "every three digits"),
        ("1.234.567", "every three digits"),
        ("1,5", "every three digits"),
        ("1,000 000", "every three digits"),
        ("10000000000000001", "at most 1,000,000,000,000,000"),
    ],
)
def test_refused(text: str, reason: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_count(text, field="Number of images processed per year")
    message = str(caught.value)
    assert caught.value.field == "Number of images processed per year"
    assert "a whole or decimal number such as 2,075,958" in message
    assert reason in message


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (2075958, "2,075,958"),
        (0, "0"),
        (999, "999"),
        (1000, "1,000"),
        (1234.5, "1,234.5"),
        (2075958.0, "2,075,958"),
        (0.25, "0.25"),
        (0.00001, "0.00001"),
    ],
)
def test_format_count(number: float, text: str) -> None:
    assert format_count(number) == text


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**15))
def test_whole_numbers_round_trip(number: int) -> None:
    assert parse_count(format_count(number)) == number


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False))
def test_decimals_round_trip(number: float) -> None:
    assert math.isclose(parse_count(format_count(number)), number, rel_tol=1e-12)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789,. ~-\u00a0ae/"), max_size=20) | st.text())
def test_parse_count_returns_a_number_or_refuses(text: str) -> None:
    try:
        number = parse_count(text)
    except InvalidValue as error:
        assert "a whole or decimal number" in str(error)
    else:
        assert 0 <= number <= 10**15
        assert math.isfinite(number)
