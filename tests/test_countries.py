"""Country lists as providers typed them in the D5.2 report, and the ways they go wrong."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vatui.store.countries import (
    ALIAS,
    AMBIGUOUS,
    country_name,
    format_countries,
    parse_countries,
    resolve_country,
)
from vatui.store.errors import InvalidValue

# --- the rows of the seed report --------------------------------------------------------------


def test_uc1_baseline_countries() -> None:
    text = "Germany, Slovakia, BIH, Vietnam, Cambodia, The Philippines, Myanmar"
    assert parse_countries(text) == ["DE", "SK", "BA", "VN", "KH", "PH", "MM"]


def test_uc1_counted_value() -> None:
    assert parse_countries("1 (Italy)") == ["IT"]


def test_uc2_baseline_with_filler_and_south_korea() -> None:
    text = (
        "France, Spain, Italy, Belgium, UK, Germany, etc. in the EU, Brazil, US, Canada, "
        "China, Japan, South Korea"
    )
    assert parse_countries(text) == [
        *["FR", "ES", "IT", "BE", "GB", "DE", "BR", "US", "CA", "CN", "JP", "KR"]
    ]


def test_uc2_baseline_as_written_refuses_korea_and_offers_both() -> None:
    text = (
        "France, Spain, Italy, Belgium, UK, Germany, etc. in the EU, Brazil, US, Canada, "
        "China, Japan, Korea"
    )
    with pytest.raises(InvalidValue) as caught:
        parse_countries(text)
    error = caught.value
    assert error.value == "Korea"
    assert error.suggestions == ["South Korea (KR)", "North Korea (KP)"]
    assert "which one" in str(error)


def test_uc3_and_uc4_france_italy_etc() -> None:
    assert parse_countries("France, Italy, etc") == ["FR", "IT"]
    assert parse_countries("France, Italy, etc.") == ["FR", "IT"]
    assert parse_countries("France, Italy etc") == ["FR", "IT"]


def test_uc5_assessment_countries() -> None:
    text = "France, Spain, Belgium, Ireland, Netherlands, Italy and Germany"
    assert parse_countries(text) == ["FR", "ES", "BE", "IE", "NL", "IT", "DE"]
    assert parse_countries("Belgium") == ["BE"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Germany", "DE"),
        ("Slovakia", "SK"),
        ("BIH", "BA"),
        ("Vietnam", "VN"),
        ("Cambodia", "KH"),
        ("The Philippines", "PH"),
        ("Myanmar", "MM"),
        ("France", "FR"),
        ("Spain", "ES"),
        ("Italy", "IT"),
        ("Belgium", "BE"),
        ("UK", "GB"),
        ("Brazil", "BR"),
        ("US", "US"),
        ("Canada", "CA"),
        ("China", "CN"),
        ("Japan", "JP"),
        ("South Korea", "KR"),
        ("Ireland", "IE"),
        ("Netherlands", "NL"),
    ],
)
def test_every_seed_spelling_resolves(text: str, code: str) -> None:
    assert resolve_country(text) == code


def test_filler_alone_is_not_a_list_of_countries() -> None:
    with pytest.raises(InvalidValue, match="names of the countries"):
        parse_countries("etc. in the EU")


# --- aliases and codes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("UK", "GB"),
        ("Great Britain", "GB"),
        ("Britain", "GB"),
        ("England", "GB"),
        ("Scotland", "GB"),
        ("Wales", "GB"),
        ("EL", "GR"),
        ("BIH", "BA"),
        ("US", "US"),
        ("USA", "US"),
        ("U.S.A.", "US"),
        ("United States", "US"),
        ("America", "US"),
        ("The Philippines", "PH"),
        ("South Korea", "KR"),
        ("Republic of Korea", "KR"),
        ("Korea, Republic of", "KR"),
        ("North Korea", "KP"),
        ("Turkey", "TR"),
        ("Türkiye", "TR"),
        ("Turkiye", "TR"),
        ("Ivory Coast", "CI"),
        ("Côte d’Ivoire", "CI"),
        ("Kosovo", "XK"),
        ("Vietnam", "VN"),
        ("Viet Nam", "VN"),
        ("Russia", "RU"),
        ("Iran", "IR"),
        ("Syria", "SY"),
        ("Bolivia", "BO"),
        ("Venezuela", "VE"),
        ("Tanzania", "TZ"),
        ("Moldova", "MD"),
        ("Czech Republic", "CZ"),
        ("Czechia", "CZ"),
        ("Holland", "NL"),
        ("The Netherlands", "NL"),
        ("Laos", "LA"),
        ("Taiwan", "TW"),
        ("Macedonia", "MK"),
        ("North Macedonia", "MK"),
        ("Cape Verde", "CV"),
        ("Swaziland", "SZ"),
        ("Burma", "MM"),
        ("DEU", "DE"),
        ("  GBR ", "GB"),
        ("U.K.", "GB"),
        ("FRANCE", "FR"),
    ],
)
def test_aliases_and_codes(text: str, code: str) -> None:
    assert resolve_country(text) == code


def test_alias_table_points_at_real_codes() -> None:
    for alias, code in ALIAS.items():
        assert alias == alias.lower()
        assert country_name(code) != code, f"alias {alias!r} points at unknown code {code}"


@pytest.mark.parametrize("name", sorted(AMBIGUOUS))
def test_ambiguous_names_offer_their_candidates(name: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        resolve_country(name.title())
    offered = caught.value.suggestions
    assert offered == [f"{country_name(c)} ({c})" for c in AMBIGUOUS[name]]


def test_congo_is_ambiguous_but_its_full_names_are_not() -> None:
    with pytest.raises(InvalidValue, match="Congo"):
        resolve_country("Congo")
    assert resolve_country("DR Congo") == "CD"
    assert resolve_country("Republic of the Congo") == "CG"


# --- unknown names ----------------------------------------------------------------------------


def test_unknown_name_is_refused_with_suggestions() -> None:
    with pytest.raises(InvalidValue) as caught:
        resolve_country("Germny", field="baseline")
    error = caught.value
    assert error.field == "baseline"
    assert "Germany (DE)" in error.suggestions
    assert "'Germny'" in str(error)
    assert "did you mean" in str(error)


def test_unknown_name_with_no_close_match_says_what_is_accepted() -> None:
    with pytest.raises(InvalidValue) as caught:
        resolve_country("Atlantis")
    assert len(caught.value.suggestions) <= 3
    assert "ISO code" in str(caught.value)


def test_suggestions_are_capped_at_three() -> None:
    with pytest.raises(InvalidValue) as caught:
        resolve_country("Island")
    assert 1 <= len(caught.value.suggestions) <= 3


def test_strange_input_is_refused_cleanly() -> None:
    for text in ["", " ", "\x00", "x" * 10_000, "))(", "🇫🇷"]:
        with pytest.raises(InvalidValue):
            resolve_country(text)


def test_all_bad_entries_are_named_at_once() -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_countries("Frnace, Italy, Atlantis, Korea")
    message = str(caught.value)
    assert "3 entries are not countries" in message
    assert "'Frnace' is unknown (did you mean: France (FR)" in message
    assert "'Atlantis' is unknown" in message
    assert "'Korea' is ambiguous (did you mean: South Korea (KR), North Korea (KP)?)" in message
    assert "'Italy'" not in message


def test_one_bad_entry_is_refused_by_name() -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_countries("France, Frnace", field="Names of countries reached")
    assert caught.value.field == "Names of countries reached"
    assert caught.value.value == "Frnace"
    assert "France (FR)" in caught.value.suggestions


# --- list syntax ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("FR; IT; ES", ["FR", "IT", "ES"]),
        ("France and Italy", ["FR", "IT"]),
        ("France, Spain, and Italy", ["FR", "ES", "IT"]),
        ("France/Italy", ["FR", "IT"]),
        ("France\nItaly\n", ["FR", "IT"]),
        ("France, Italy, France, FR", ["FR", "IT"]),
        ("Italy, and others", ["IT"]),
        ("Italy, ...", ["IT"]),
        ("Italy …", ["IT"]),
        ("Bosnia and Herzegovina, Trinidad and Tobago", ["BA", "TT"]),
        ("Korea, Republic of and Japan", ["KR", "JP"]),
        ("Antigua & Barbuda", ["AG"]),
        ("2 (France, Italy)", ["FR", "IT"]),
    ],
)
def test_list_syntax(text: str, codes: list[str]) -> None:
    assert parse_countries(text) == codes


@pytest.mark.parametrize("text", ["0", "", "  ", "none", "None", "-", "0 ()"])
def test_empty_lists(text: str) -> None:
    assert parse_countries(text) == []


def test_count_disagreeing_with_names_is_refused_naming_both() -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_countries("2 (Italy)")
    message = str(caught.value)
    assert "count 2" in message
    assert "1 countries named (Italy)" in message


def test_bare_count_is_not_a_list_of_names() -> None:
    with pytest.raises(InvalidValue, match="not how many"):
        parse_countries("7")


# --- display ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("GB", "United Kingdom"),
        ("KR", "South Korea"),
        ("KP", "North Korea"),
        ("BA", "Bosnia and Herzegovina"),
        ("VN", "Vietnam"),
        ("XK", "Kosovo"),
        ("IR", "Iran"),
        ("RU", "Russia"),
        ("CD", "Democratic Republic of the Congo"),
        ("ZZ", "ZZ"),
    ],
)
def test_country_name(code: str, name: str) -> None:
    assert country_name(code) == name


def test_format_countries() -> None:
    assert format_countries(["IT", "BE"]) == "Italy, Belgium"
    assert format_countries([]) == ""


def test_display_names_parse_back() -> None:
    codes = parse_countries("Germany, Slovakia, BIH, Vietnam, Cambodia, The Philippines, Myanmar")
    assert parse_countries(format_countries(codes)) == codes


# --- properties -------------------------------------------------------------------------------

_pieces = st.sampled_from(
    ["France", "Korea", "UK", "etc.", "1", "(", ")", ", ", " and ", ";", "/", "the ", "Congo"]
)
_texts = st.one_of(st.text(max_size=80), st.lists(_pieces | st.text(max_size=5)).map("".join))


@settings(max_examples=200, deadline=None)
@given(_texts)
def test_parse_countries_returns_codes_or_refuses(text: str) -> None:
    try:
        codes = parse_countries(text)
    except InvalidValue as error:
        assert str(error)
    else:
        assert len(codes) == len(set(codes))
        assert all(len(code) == 2 and code.isupper() for code in codes)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_resolve_country_returns_a_code_or_refuses(text: str) -> None:
    try:
        code = resolve_country(text)
    except InvalidValue as error:
        assert len(error.suggestions) <= 3
    else:
        assert country_name(code) != code


@pytest.mark.parametrize(
    ("word", "meant"), [("No", "Norway (NO)"), ("it", "Italy (IT)"), ("De", "Germany (DE)")]
)
def test_a_word_is_not_taken_for_a_code_unless_in_capitals(word: str, meant: str) -> None:
    """Codes are read only in capitals: "No", "it" and "De" are words first."""
    with pytest.raises(InvalidValue) as refused:
        parse_countries(f"France, {word}")
    assert refused.value.suggestions[0] == meant
    assert f"did you mean: {meant}" in str(refused.value)


def test_a_code_in_capitals_is_the_code() -> None:
    assert parse_countries("France, IN") == ["FR", "IN"]
