"""The user's settings: one TOML file, read at start and written back with its comments kept.

A missing file means the defaults. A broken file, an unknown key or a bad value never stops
vatui: ``load_config`` returns the defaults for what it cannot use, with a warning naming the
file and the line. ``save_setting`` is stricter: it refuses a bad key or value, and a file it
cannot parse, rather than write something the user did not mean.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vatui.store import StoreError

if TYPE_CHECKING:
    import tomlkit

# tomlkit and the line finder are imported where a file is read or written: with no config
# file, which is the common case for scripts, ``vatui status`` starts without them.

ENVIRONMENT_VARIABLE = "VATUI_CONFIG"
LIGHT_STYLES = ("emoji", "words", "none")

FILE_HEADER = (
    "vatui settings. `vatui config set KEY VALUE` changes one; comments you add are kept.",
    "`vatui config show` lists every setting with what it means.",
)


@dataclass(frozen=True)
class Config:
    """The settings vatui runs with; each field is a key of the config file."""

    identity: str | None = None
    db: str | None = None
    light_style: str = "emoji"
    theme: str | None = None


@dataclass(frozen=True)
class Setting:
    """One key of the config file: what it means, what it accepts, and how a value is read."""

    meaning: str
    accepted: str
    read: Callable[[Any], Any]


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError
    return value.strip()


def _light_style(value: Any) -> str:
    if value not in LIGHT_STYLES:
        raise ValueError
    return str(value)


#: Keys that were settings once and are now the project's: read, they are ignored with this.
RETIRED = dict.fromkeys(
    ("green", "amber"),
    "the light thresholds are the project's, so that everyone sees the same lights; "
    "the leader sets them (`vatui project thresholds`, or Set-up in the app)",
)

SETTINGS: dict[str, Setting] = {
    "identity": Setting(
        "the organisation you work for, used when --as and VATUI_AS are not given",
        "an organisation of the project, e.g. VLIZ",
        _text,
    ),
    "db": Setting(
        "the store vatui opens when --db and VATUI_DB are not given",
        "a file path, e.g. ~/wp5/vatui.db",
        _text,
    ),
    "light_style": Setting(
        "how traffic lights are written in the app and the export",
        f"one of: {', '.join(LIGHT_STYLES)}",
        _light_style,
    ),
    "theme": Setting(
        "the colour theme of the app",
        "the name of a Textual theme, e.g. textual-dark or textual-light",
        _text,
    ),
}


def config_path() -> Path:
    """``$VATUI_CONFIG``, else ``config.toml`` in the user's config folder."""
    override = os.environ.get(ENVIRONMENT_VARIABLE)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("vatui")) / "config.toml"


def load_config(path: Path | None = None) -> tuple[Config, list[str]]:
    """The settings in the file, with defaults for anything missing or unusable.

    The warnings say, as ``FILE:LINE: message``, what was ignored and why.
    """
    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(), []
    except (OSError, UnicodeDecodeError) as error:
        return Config(), [f"{path}: cannot read the config file ({error}); using the defaults"]
    from vatui.store.tomllines import TomlSyntaxError, key_lines, parse_toml

    try:
        document = parse_toml(text)
    except TomlSyntaxError as error:
        return Config(), [
            f"{path}:{error.line}: not valid TOML: {error.message}; using the defaults"
        ]
    return _read_settings(document.unwrap(), key_lines(text), path)


def _read_settings(
    data: dict[str, Any], lines: dict[str, int], path: Path
) -> tuple[Config, list[str]]:
    from vatui.store.tomllines import line_of

    config, warnings = Config(), []
    for key, value in data.items():
        where = f"{path}:{line_of(lines, key)}"
        setting = SETTINGS.get(key)
        if key in RETIRED:
            warnings.append(f"{where}: {key} ignored: {RETIRED[key]}")
            continue
        if setting is None:
            known = ", ".join(SETTINGS)
            warnings.append(f"{where}: unknown setting {key!r} ignored; known: {known}")
            continue
        try:
            config = replace(config, **{key: setting.read(value)})
        except (TypeError, ValueError):
            warnings.append(
                f"{where}: {key} = {value!r} ignored; accepted: {setting.accepted} "
                f"(using the default, {getattr(Config(), key)!r})"
            )
    return config, warnings


def save_setting(key: str, value: str, path: Path | None = None) -> None:
    """Set ``key`` to ``value`` in the config file, keeping everything else in it as it was.

    An empty value removes the key, so that the default applies again. Refuses an unknown key,
    a value the key does not accept, and a file that is not valid TOML.
    """
    import tomlkit

    from vatui.exports.files import write_atomic

    path = path or config_path()
    setting = SETTINGS.get(key)
    if key in RETIRED:
        raise StoreError(f"{key} is no personal setting: {RETIRED[key]}")
    if setting is None:
        raise StoreError(f"unknown setting {key!r}; known: {', '.join(SETTINGS)}")
    document = _editable_document(path)
    if not value.strip():
        document.pop(key, None)
    elif key in document:
        document[key] = _checked(key, setting, value)
    else:
        checked = _checked(key, setting, value)
        document.add(tomlkit.comment(f"{key}: {setting.meaning}"))
        document.add(key, checked)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, tomlkit.dumps(document))


def _editable_document(path: Path) -> tomlkit.TOMLDocument:
    """The config file as tomlkit sees it, or a new one that says what it is."""
    import tomlkit

    from vatui.store.tomllines import TomlSyntaxError, parse_toml

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        document = tomlkit.document()
        for header in FILE_HEADER:
            document.add(tomlkit.comment(header))
        document.add(tomlkit.nl())
        return document
    except (OSError, UnicodeDecodeError) as error:
        raise StoreError(f"cannot read the config file {path}: {error}") from None
    try:
        return parse_toml(text)
    except TomlSyntaxError as error:
        raise StoreError(
            f"{path}:{error.line}: not valid TOML: {error.message}; "
            "fix the file (or remove it) and try again"
        ) from None


def _checked(key: str, setting: Setting, value: str) -> Any:
    """The value as the file should hold it, or a refusal."""
    try:
        return setting.read(value)
    except (TypeError, ValueError):
        raise StoreError(f"{key}: {value!r} is not accepted; {setting.accepted}") from None


def describe() -> list[tuple[str, str, str]]:
    """(key, meaning, accepted) for each setting, for ``vatui config show`` and the help."""
    return [(key, s.meaning, s.accepted) for key, s in SETTINGS.items()]


__all__ = ["Config", "config_path", "describe", "load_config", "save_setting"]
