"""Country lists as providers type them, turned into ISO 3166 alpha-2 codes.

Providers write "BIH", "UK", "The Philippines", "Korea" or "1 (Italy)" in their reports. We
store codes, so that counts and maps agree, and refuse what we cannot place with certainty:
pycountry's fuzzy search gets real-world spellings wrong ("Korea" -> North Korea), so exact
lookups and the ALIAS table decide, and fuzzy search only ever suggests.
"""

from __future__ import annotations

import contextlib
import difflib
import importlib.util
import json
import re
import unicodedata
from functools import cache
from pathlib import Path

from vatui.store.errors import InvalidValue

#: Codes in real-world use that ISO 3166 lacks: code -> (name, alpha-3).
EXTRA_CODES: dict[str, tuple[str, str]] = {"XK": ("Kosovo", "XKX")}

#: Codes and acronyms in use beside ISO's own: like ISO codes, read only in capitals, so that
#: "us" or "it" in a sentence is never taken for a country.
ACRONYMS: dict[str, str] = {
    "UK": "GB",
    "EL": "GR",  # the EU's code for Greece
    "BIH": "BA",
    "USA": "US",
    "DPRK": "KP",
    "DRC": "CD",
}

#: Spellings pycountry gets wrong or lacks (normalised lowercase key -> alpha-2 code).
ALIAS: dict[str, str] = {
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "bosnia": "BA",
    "united states": "US",
    "united states of america": "US",
    "america": "US",
    "philippines": "PH",
    "south korea": "KR",
    "republic of korea": "KR",
    "korea, republic of": "KR",
    "korea (south)": "KR",
    "north korea": "KP",
    "korea (north)": "KP",
    "turkey": "TR",
    "turkiye": "TR",
    "ivory coast": "CI",
    "cote d'ivoire": "CI",
    "kosovo": "XK",
    "vietnam": "VN",
    "viet nam": "VN",
    "russia": "RU",
    "iran": "IR",
    "syria": "SY",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    "czech republic": "CZ",
    "czechia": "CZ",
    "holland": "NL",
    "netherlands": "NL",
    "laos": "LA",
    "taiwan": "TW",
    "macedonia": "MK",
    "north macedonia": "MK",
    "cape verde": "CV",
    "swaziland": "SZ",
    "burma": "MM",
    "dr congo": "CD",
    "democratic republic of the congo": "CD",
    "congo-kinshasa": "CD",
    "republic of the congo": "CG",
    "congo-brazzaville": "CG",
    "vatican": "VA",
    "vatican city": "VA",
    "palestine": "PS",
    "micronesia": "FM",
    "brunei": "BN",
    "east timor": "TL",
    "british virgin islands": "VG",
    "us virgin islands": "VI",
}

#: Names that really mean more than one country: refused with the candidates offered.
AMBIGUOUS: dict[str, list[str]] = {
    "korea": ["KR", "KP"],
    "congo": ["CD", "CG"],
    "virgin islands": ["VG", "VI"],
}

#: Display names where pycountry's name is awkward ("Korea, Republic of").
NAME_OVERRIDES: dict[str, str] = {
    "BN": "Brunei",
    "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo",
    "FK": "Falkland Islands",
    "FM": "Micronesia",
    "MF": "Saint Martin",
    "PS": "Palestine",
    "RU": "Russia",
    "SX": "Sint Maarten",
    "VA": "Vatican City",
    "VG": "British Virgin Islands",
    "VI": "U.S. Virgin Islands",
}

#: Words that mean "no countries" when they are the whole entry.
EMPTY_WORDS = {"", "0", "none", "-", "–", "—", "n/a"}

#: Tokens that are only filler ("France, Italy, etc."); a trailing filler is dropped too.
_FILLER = re.compile(r"(?:etc\.?|\.\.\.|…|and others|and more|others)(?:\s+in the eu)?", re.I)
_TRAILING_FILLER = re.compile(r"\s+(?:etc\.?|\.\.\.|…)(?:\s+in the eu)?$", re.I)
#: Separators between countries; captured so that "Bosnia and Herzegovina" can be rejoined.
_SEPARATOR = re.compile(r"(\s*[,;/\n&]\s*(?:and\s+)?|\s+and\s+)", re.I)
#: "1 (Italy)": a count followed by the names that count.
_COUNTED = re.compile(r"([0-9]{1,6})\s*\((.*)\)", re.S)
_ACCEPTED = "a country name or ISO code such as 'Germany', 'DE' or 'DEU'"
_MAX_TEXT = 5000  # longer than any real list; keeps hostile input cheap
_MAX_FUZZY = 60  # fuzzy search on long text is slow and useless
_MAX_NAMED = 20  # bad entries named in one refusal; a real list never has more
_MAX_JOIN = 4  # tokens rejoined at most ("Saint Helena, Ascension and Tristan da Cunha")


def _key(text: str) -> str:
    """Normalise for lookup: case, accents, curly quotes, dots, "&", spaces, a leading "the"."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("‘", "'").replace("&", " and ").replace(".", "")
    text = " ".join(text.casefold().split())
    return text.removeprefix("the ")


@cache
def _codes() -> dict[str, str]:
    """Every ISO code (alpha-2, alpha-3) and acronym, in capitals, to its alpha-2 code.

    Built on the first lookup, not at import: printing figures needs none of it.
    """
    import pycountry

    codes = {country.alpha_3: country.alpha_2 for country in pycountry.countries}
    codes |= {country.alpha_2: country.alpha_2 for country in pycountry.countries}
    for code, (_name, alpha_3) in EXTRA_CODES.items():
        codes |= {code: code, alpha_3: code}
    return codes | ACRONYMS


@cache
def _names() -> dict[str, str]:
    """Every name pycountry knows, plus the extras and aliases (which win), by ``_key``."""
    import pycountry

    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("official_name", "common_name", "name"):
            value = getattr(country, attr, None)
            if value:
                names[_key(value)] = country.alpha_2
    names |= {_key(name): code for code, (name, _alpha_3) in EXTRA_CODES.items()}
    names |= {_key(alias): code for alias, code in ALIAS.items()}
    for name in AMBIGUOUS:
        names.pop(_key(name), None)
    return names


_AMBIGUOUS = {_key(name): codes for name, codes in AMBIGUOUS.items()}


@cache
def _name_keys() -> list[str]:
    return sorted(key for key in _names() if len(key) > 3)


@cache
def _display_names() -> dict[str, str]:
    """Each alpha-2 code's name as pycountry gives it (its common name if it has one).

    Read from the ISO 3166 file pycountry ships: importing pycountry costs tens of milliseconds
    (mostly looking up its own version), which every ``vatui status`` would pay to print
    "Italy". If the file is not where pycountry keeps it, pycountry itself answers.
    """
    try:
        spec = importlib.util.find_spec("pycountry")
        folders = (spec.submodule_search_locations if spec else None) or []
        text = (Path(next(iter(folders))) / "databases" / "iso3166-1.json").read_text("utf-8")
        entries = json.loads(text)["3166-1"]
        return {entry["alpha_2"]: entry.get("common_name") or entry["name"] for entry in entries}
    except Exception:  # another layout of pycountry's files: ask pycountry
        import pycountry

        return {
            country.alpha_2: getattr(country, "common_name", None) or country.name
            for country in pycountry.countries
        }


def country_name(code: str) -> str:
    """A short common name for display; an unknown code is shown as it is, never an error."""
    code = code.upper()
    if code in NAME_OVERRIDES:
        return NAME_OVERRIDES[code]
    if code in EXTRA_CODES:
        return EXTRA_CODES[code][0]
    return _display_names().get(code, code)


def format_countries(codes: list[str]) -> str:
    """Names joined by ", " as people write them: "Italy, Belgium"."""
    return ", ".join(country_name(code) for code in codes)


def _labelled(code: str) -> str:
    return f"{country_name(code)} ({code})"


def _suggest(text: str) -> list[str]:
    """Up to 3 guesses for a name we could not place; fuzzy search never decides anything."""
    key = _key(text)
    if len(key) > _MAX_FUZZY or sum(c.isalnum() for c in key) < 2:
        return []  # search_fuzzy("") matches every country; long text is slow and pointless
    import pycountry

    # A code written in small letters ("it", "De") is first of all that code.
    as_code = _codes().get(_as_code(text.upper()))
    codes: list[str] = [as_code] if as_code else []
    # LookupError on a miss; anything odd must not escape a suggestion.
    with contextlib.suppress(Exception):
        codes += [c.alpha_2 for c in pycountry.countries.search_fuzzy(key)]
    # search_fuzzy only finds substrings: catch typos ("Germny") by similarity too.
    close = difflib.get_close_matches(key, _name_keys(), n=3, cutoff=0.75)
    codes += [_names()[k] for k in close]
    return [_labelled(code) for code in dict.fromkeys(codes)][:3]


def _as_code(text: str) -> str:
    """``text`` as a code is written: without dots and spaces ("U.K." is UK)."""
    return text.strip().replace(".", "").replace(" ", "")


def _lookup(text: str) -> str | None:
    """The alpha-2 code ``text`` names: a code only when written in capitals (``IT``, not
    ``it``: "it", "No" and "De" are words first), a name in any case."""
    code = _as_code(text)
    if code.isupper() and code in _codes():
        return _codes()[code]
    return _names().get(_key(text))


def _refusal(text: str, field: str) -> InvalidValue:
    """The refusal for one name we cannot place: ambiguous (asks which) or unknown."""
    candidates = _AMBIGUOUS.get(_key(text))
    if candidates:
        accepted = "it names more than one country: which one? Give its name or ISO code"
        return InvalidValue(field, text, accepted, [_labelled(code) for code in candidates])
    return InvalidValue(field, text, _ACCEPTED, _suggest(text))


def _describe(error: InvalidValue) -> str:
    """One bad entry of a list, for a message that names them all."""
    problem = "is ambiguous" if _key(str(error.value)) in _AMBIGUOUS else "is unknown"
    guesses = f" (did you mean: {', '.join(error.suggestions)}?)" if error.suggestions else ""
    return f"{error.value!r} {problem}{guesses}"


def resolve_country(text: str, field: str = "country") -> str:
    """One country name or code to its ISO 3166 alpha-2 code, or InvalidValue with guesses."""
    code = _lookup(text)
    if code is None:
        raise _refusal(text.strip(), field)
    return code


def _tokens(text: str) -> list[tuple[str, str]]:
    """Split on separators, keeping each token with the separator that preceded it."""
    parts = _SEPARATOR.split(text)
    tokens = [("", parts[0])]
    tokens += [(parts[i], parts[i + 1]) for i in range(1, len(parts) - 1, 2)]
    return tokens


def _resolve_tokens(text: str) -> tuple[list[str], list[str]]:
    """Codes and unplaced entries of a list; names with separators inside are rejoined first."""
    tokens = _tokens(text)
    codes: list[str] = []
    bad: list[str] = []
    i = 0
    while i < len(tokens):
        # Longest rejoin first: "Korea, Republic of", "Bosnia and Herzegovina".
        for width in range(min(_MAX_JOIN, len(tokens) - i), 1, -1):
            joined = tokens[i][1] + "".join(sep + tok for sep, tok in tokens[i + 1 : i + width])
            code = _lookup(joined)
            if code is not None:
                codes.append(code)
                i += width
                break
        else:
            token = _TRAILING_FILLER.sub("", tokens[i][1].strip())
            i += 1
            if token and not _FILLER.fullmatch(token):
                code = _lookup(token)
                if code is None:
                    bad.append(token)
                else:
                    codes.append(code)
    return list(dict.fromkeys(codes)), list(dict.fromkeys(bad))


def parse_countries(text: str, field: str = "countries") -> list[str]:
    """A typed list of countries to alpha-2 codes, in order of first appearance, no duplicates.

    Accepts "France, Italy", "FR; IT", "France and Italy", "1 (Italy)" and "none"; filler
    such as "etc." is ignored. Every bad entry is named in one refusal, so that the user can
    fix them all at once.
    """
    if len(text) > _MAX_TEXT:
        raise InvalidValue(field, text[:40] + "…", f"a list of at most {_MAX_TEXT} characters")
    stripped = text.strip()
    if _key(stripped) in EMPTY_WORDS:
        return []
    if re.fullmatch(r"[0-9]+", stripped):
        raise InvalidValue(
            field, text, "the names of the countries, not how many: e.g. '2 (France, Italy)'"
        )
    counted = _COUNTED.fullmatch(stripped)
    names = counted.group(2) if counted else stripped
    codes, bad = _resolve_tokens(names)
    if len(bad) == 1:
        raise _refusal(bad[0], field)
    if bad:
        # Name them all (up to a sane limit), each with its guesses, so all get fixed at once.
        details = "; ".join(_describe(_refusal(token, field)) for token in bad[:_MAX_NAMED])
        more = f"; and {len(bad) - _MAX_NAMED} more" if len(bad) > _MAX_NAMED else ""
        accepted = f"{len(bad)} entries are not countries: {details}{more}; {_ACCEPTED}"
        raise InvalidValue(field, text, accepted)
    if counted and int(counted.group(1)) != len(codes):
        raise InvalidValue(
            field,
            text,
            f"the count {counted.group(1)} does not match the {len(codes)} countries named"
            f" ({format_countries(codes) or 'none'}); make them agree",
        )
    if not codes and stripped and not counted:
        # Only filler ("etc."): some countries, but not which; "none" is the way to say none.
        raise InvalidValue(field, text, "the names of the countries, e.g. 'France, Italy'")
    return codes
