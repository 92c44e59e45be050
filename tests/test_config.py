"""The config file: read with defaults for what is broken, written back with comments kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from vatui.store import StoreError

from tests.cli_helpers import run
from vatui.config import Config, config_path, load_config, save_setting


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "settings" / "config.toml"
    monkeypatch.setenv("VATUI_CONFIG", str(path))
    return path


def test_no_file_means_the_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path / "missing.toml") == (Config(), [])


def test_the_default_path_is_in_the_user_config_folder(tmp_path: Path) -> None:
    assert config_path() == tmp_path / "xdg-config" / "vatui" / "config.toml"


def test_vatui_config_points_elsewhere(config_file: Path) -> None:
    assert config_path() == config_file


def test_settings_are_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '# mine\nidentity = "VLIZ"\ndb = "~/wp5.db"\n'
        'light_style = "words"\ntheme = "textual-light"\n'
    )
    config, warnings = load_config(path)
    assert warnings == []
    assert config == Config("VLIZ", "~/wp5.db", "words", "textual-light")


def test_a_broken_file_names_its_line_and_gives_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('identity = "VLIZ"\n\ngreen = = 0.9\n')
    config, warnings = load_config(path)
    assert config == Config()
    (warning,) = warnings
    assert warning.startswith(f"{path}:3: not valid TOML")
    assert "defaults" in warning


def test_a_bad_value_or_unknown_key_is_skipped_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('identity = "VLIZ"\nlight_style = "blinking"\ncolour = "red"\n')
    config, warnings = load_config(path)
    assert config == Config(identity="VLIZ")
    assert warnings[0].startswith(f"{path}:2: light_style = 'blinking' ignored")
    assert "emoji, words, none" in warnings[0]
    assert warnings[1].startswith(f"{path}:3: unknown setting 'colour'")


def test_thresholds_left_in_a_config_are_ignored_with_a_one_line_notice(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('identity = "VLIZ"\ngreen = 0.6\namber = 0.4\n')
    config, warnings = load_config(path)
    assert config == Config(identity="VLIZ")
    assert [w.split(": ")[0] for w in warnings] == [f"{path}:2", f"{path}:3"]
    assert all("\n" not in w and "the project's" in w for w in warnings)
    assert warnings[0].startswith(f"{path}:2: green ignored")


def test_saving_keeps_the_users_comments(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('# my settings, do not touch\nidentity = "VLIZ"  # that is us\n\n# end\n')
    save_setting("identity", "MARIS", path)
    save_setting("light_style", "words", path)
    text = path.read_text()
    assert "# my settings, do not touch" in text
    assert 'identity = "MARIS"  # that is us' in text
    assert "# end" in text
    assert 'light_style = "words"' in text
    assert load_config(path) == (Config(identity="MARIS", light_style="words"), [])


def test_a_new_file_says_what_it_is_and_each_key_what_it_means(tmp_path: Path) -> None:
    path = tmp_path / "new" / "config.toml"
    save_setting("light_style", "words", path)
    text = path.read_text()
    assert text.startswith("# vatui settings")
    assert "# light_style: how traffic lights are written" in text
    assert load_config(path)[0].light_style == "words"


def test_an_empty_value_brings_the_default_back(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    save_setting("theme", "textual-light", path)
    save_setting("theme", "", path)
    assert load_config(path)[0].theme is None


@pytest.mark.parametrize(
    ("key", "value", "accepted"),
    [
        ("colour", "red", "known: identity, db, light_style, theme"),
        ("green", "0.9", "the leader sets them"),
        ("amber", "0.4", "the leader sets them"),
        ("light_style", "blinking", "one of: emoji, words, none"),
    ],
)
def test_bad_settings_are_refused_naming_the_key(
    tmp_path: Path, key: str, value: str, accepted: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text("# kept\n")
    with pytest.raises(StoreError) as refused:
        save_setting(key, value, path)
    assert key in str(refused.value) and accepted in str(refused.value)
    assert path.read_text() == "# kept\n"


def test_a_broken_file_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("identity = \n")
    with pytest.raises(StoreError, match=r"config.toml:1: not valid TOML"):
        save_setting("identity", "VLIZ", path)
    assert path.read_text() == "identity = \n"


# ---- the CLI -----------------------------------------------------------------------------


def test_config_set_show_and_path(config_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "config", "path")[1].strip() == str(config_file)
    code, out, _ = run(capsys, "config", "set", "identity", "VLIZ")
    assert code == 0 and "identity = VLIZ" in out
    code, out, _ = run(capsys, "config", "show")
    assert code == 0
    assert "VLIZ" in out and "light_style" in out and "emoji" in out


def test_config_set_refuses_a_bad_value_without_a_traceback(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "config", "set", "light_style", "soon")
    assert code == 1
    assert "light_style" in err and "one of: emoji, words, none" in err
    assert "Traceback" not in err
    assert not config_file.exists()


def test_the_identity_of_the_config_stands_in_for_as(
    config_file: Path, demo_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    save_setting("identity", "VLIZ", config_file)
    args = ("--db", str(demo_path), "--installation", "uc5", "--period", "M25-M36")
    code, out, _ = run(capsys, "review", "submit", *args)
    assert code == 0 and "draft → submitted (VLIZ)" in out
    monkeypatch.setenv("VATUI_AS", "MARIS")  # the environment wins over the config
    assert "(MARIS)" in run(capsys, "review", "accept", *args)[1]
    code, _, err = run(capsys, "review", "reopen", "--as", "VLIZ", *args)  # and --as over both
    assert code == 1 and "VLIZ may not reopen" in err


def test_the_store_of_the_config_is_opened(
    config_file: Path, demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save_setting("db", str(demo_path), config_file)
    code, out, _ = run(capsys, "status", "--period", "M13-M24")
    assert code == 0 and "Flowcam" in out


def test_the_projects_thresholds_decide_the_lights_and_a_persons_config_does_not(
    config_file: Path, demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warnings = []

    def uc5_users_light() -> str:
        code, out, err = run(
            capsys, "status", "--db", str(demo_path), "--json", "--period", "M13-M24"
        )
        assert code == 0
        warnings.append(err)
        return next(
            r["light"]
            for r in json.loads(out)
            if r["metric_id"] == "users" and r["installation"] == "uc5"
        )

    assert uc5_users_light() == "green"  # 7 users against a baseline of 5
    config_file.parent.mkdir(parents=True)
    config_file.write_text("green = 2\n")
    assert uc5_users_light() == "green"
    assert "green ignored: the light thresholds are the project's" in warnings[-1]
    thresholds = ("project", "thresholds", "--db", str(demo_path), "--green", "2")
    code, _, err = run(capsys, *thresholds, "--as", "VLIZ")
    assert code == 1 and "only the project leader MARIS" in err
    code, out, _ = run(capsys, *thresholds, "--as", "MARIS")
    assert code == 0 and "green from 2 of its target" in out
    assert uc5_users_light() == "amber"


def test_a_broken_config_warns_and_vatui_carries_on(
    config_file: Path, demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config_file.parent.mkdir(parents=True)
    config_file.write_text('identity = "VLIZ"\ngreen = [\n')
    code, out, err = run(capsys, "status", "--db", str(demo_path), "--period", "M13-M24")
    assert code == 0 and "Flowcam" in out
    assert "warning:" in err and f"{config_file.name}:" in err and "not valid TOML" in err
