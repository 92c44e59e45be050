"""Counts as providers type them ("2,075,958", "~300") and as we show them.

A metric value is a plain number: units, rates and notes ("300 / y") belong in the comment, so
anything beyond digits, thousands separators, one decimal point and a leading "~" is refused
with a message saying what would do, rather than guessed at.
"""

from __future__ import annotations

import re

from vatui.store.errors import InvalidValue

ACCEPTED = "a whole or decimal number such as 2,075,958"
MAXIMUM = 10**15  # more than any installation can count; a bigger number is a typo

#: Spaces people use between thousands: plain, no-break, thin and narrow no-break.
_SPACES = " \u00a0\u2009\u202f"
_NUMBER = re.compile(
    r"[0-9]+(?:\.[0-9]+)?"  # 2075958 or 1.5
    r"|[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?"  # 2,075,958
    rf"|[1-9][0-9]{{0,2}}(?:[{_SPACES}][0-9]{{3}})+(?:\.[0-9]+)?"  # 2 075 958
)
_NUMBERISH = re.compile(rf"[0-9][0-9,.{_SPACES}]*")


def parse_count(text: str, field: str = "value") -> float | int:
    """A typed count to a number: int when whole, else float; InvalidValue when not a count."""
    body = text.strip().removeprefix("~").strip()
    if not body:
        raise InvalidValue(field, text, f"{ACCEPTED}; the value is empty")
    if body[0] in "-−" and _NUMBER.fullmatch(body[1:].strip()):
        raise InvalidValue(field, text, f"{ACCEPTED}; a count cannot be negative")
    if not _NUMBER.fullmatch(body):
        if _NUMBERISH.fullmatch(body):
            hint = "separators go every three digits (1,234,567) and decimals take a point"
        else:
            hint = "only digits, thousands separators and a leading '~' (a guess) are allowed"
        raise InvalidValue(field, text, f"{ACCEPTED}; {hint}")
    from decimal import Decimal  # here, not at the top: printing whole counts needs none

    number = Decimal(re.sub(rf"[,{_SPACES}]", "", body))
    if number > MAXIMUM:
        raise InvalidValue(field, text, f"{ACCEPTED}; at most {MAXIMUM:,}")
    if number == number.to_integral_value():
        return int(number)
    return float(number)


def format_count(number: float | int) -> str:
    """Thousands separated by commas; decimals shown only when the number is not whole."""
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    if isinstance(number, int):
        return f"{number:,}"
    from decimal import Decimal

    return f"{Decimal(repr(number)):,f}"  # repr: the shortest exact digits, never 1e-05
