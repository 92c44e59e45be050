"""Who is who on a shared host: the roster in the store, the rule, the CLI and the TUI.

The OS login is faked by replacing ``store.roster.os_login``: the CLI, ``vatui serve`` and the
identity rule all ask it, never ``$USER``.
"""

from __future__ import annotations

import os
import pwd
import sqlite3
from pathlib import Path

import pytest
from vatui.screens.dashboard import DashboardScreen
from vatui.screens.identity import IdentityScreen
from vatui.screens.messages import ChooseIdentity
from vatui.store import InvalidValue, NotFound, PermissionDenied, Store, roster
from vatui.store.roster import Identity, RosterEntry, decide_identity
from vatui.store.schema import known_migrations

from tests.test_cli import run
from vatui.app import VatuiApp

LEADER_LOGIN = "lead"


def share(store: Store) -> None:
    """The demo store as a shared host's: a leader's login, a provider's and a viewer's."""
    store.set_roster_entry("MARIS", LEADER_LOGIN, "MARIS", by_login=LEADER_LOGIN)
    store.set_roster_entry("MARIS", "alice", "VLIZ", by_login=LEADER_LOGIN)
    store.set_roster_entry("MARIS", "bob", "DFKI", "viewer", by_login=LEADER_LOGIN)


@pytest.fixture
def shared(demo_path: Path) -> Path:
    with Store.open(demo_path) as store:
        share(store)
    return demo_path


@pytest.fixture
def login(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The OS login the CLI sees: set ``login[0]``."""
    current = [LEADER_LOGIN]
    monkeypatch.setattr(roster, "os_login", lambda: current[0])
    return current


# ---- the rule --------------------------------------------------------------------------------


def test_without_a_roster_the_claim_decides_and_may_change() -> None:
    identity = decide_identity([], "anyone", "DFKI", "VATUI_AS")
    assert (identity.actor, identity.locked, identity.ignored) == ("DFKI", False, None)
    assert "VATUI_AS says DFKI" in identity.reason
    assert decide_identity([], "anyone", None).actor is None


def test_on_a_shared_host_a_providers_login_acts_for_its_own_organisation() -> None:
    entries = [RosterEntry("alice", "VLIZ", "provider"), RosterEntry("lead", "MARIS", "leader")]
    identity = decide_identity(entries, "alice", "MARIS", "--as")
    assert (identity.actor, identity.locked, identity.ignored) == ("VLIZ", True, "MARIS")
    assert decide_identity(entries, "alice", "vliz").ignored is None  # same organisation
    assert decide_identity(entries, "alice", None).actor == "VLIZ"


def test_on_a_shared_host_only_the_leaders_login_may_claim() -> None:
    entries = [RosterEntry("lead", "MARIS", "leader")]
    assert decide_identity(entries, "lead", "VLIZ") == Identity(
        "VLIZ", False, decide_identity(entries, "lead", "VLIZ").reason
    )
    assert decide_identity(entries, "lead", None).actor == "MARIS"


def test_viewers_and_logins_off_the_roster_only_read() -> None:
    entries = [RosterEntry("bob", "DFKI", "viewer"), RosterEntry("lead", "MARIS", "leader")]
    viewer = decide_identity(entries, "bob", "DFKI")
    stranger = decide_identity(entries, "mallory", "MARIS")
    assert (viewer.actor, viewer.locked) == (None, True)
    assert (stranger.actor, stranger.locked, stranger.ignored) == (None, True, "MARIS")
    assert "`vatui roster set mallory ORGANISATION`" in stranger.reason


def test_the_os_login_comes_from_the_user_id_not_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("USER", "lead")
    monkeypatch.setenv("LOGNAME", "lead")
    assert roster.os_login() == pwd.getpwuid(os.getuid()).pw_name


# ---- the roster in the store -----------------------------------------------------------------


def test_the_leader_fills_the_roster_and_every_change_is_in_the_history(demo: Store) -> None:
    share(demo)
    assert demo.roster() == [
        RosterEntry("alice", "VLIZ", "provider"),
        RosterEntry("bob", "DFKI", "viewer"),
        RosterEntry("lead", "MARIS", "leader"),
    ]
    demo.set_roster_entry("MARIS", "alice", "SU", by_login=LEADER_LOGIN)
    demo.remove_roster_entry("MARIS", "bob", by_login=LEADER_LOGIN)
    changes = [(c.row, c.field, c.old, c.new) for c in demo.history() if c.table == "roster"]
    assert changes[:4] == [  # newest first
        ("bob", "role", "viewer", None),
        ("bob", "organisation", "DFKI", None),
        ("alice", "organisation", "VLIZ", "SU"),
        ("bob", "role", None, "viewer"),
    ]
    assert {c.actor for c in demo.history() if c.table == "roster"} == {"MARIS"}


def test_only_the_leader_changes_the_roster(demo: Store) -> None:
    with pytest.raises(PermissionDenied, match="only the project leader MARIS"):
        demo.set_roster_entry("VLIZ", "alice", "VLIZ", by_login="alice")
    share(demo)
    # MARIS claimed from a provider's login: the store refuses it too, whatever the caller.
    with pytest.raises(PermissionDenied, match="'alice' is not a leader's login"):
        demo.set_roster_entry("MARIS", "alice", "MARIS", by_login="alice")
    assert RosterEntry("alice", "VLIZ", "provider") in demo.roster()


def test_the_leader_cannot_lock_themselves_out(demo: Store) -> None:
    with pytest.raises(PermissionDenied, match="add yourself first: `vatui roster set lead MARIS`"):
        demo.set_roster_entry("MARIS", "alice", "VLIZ", by_login=LEADER_LOGIN)
    assert demo.roster() == []
    share(demo)
    with pytest.raises(PermissionDenied, match="would not be a leader's login"):
        demo.remove_roster_entry("MARIS", LEADER_LOGIN, by_login=LEADER_LOGIN)
    with pytest.raises(PermissionDenied, match="would not be a leader's login"):
        demo.set_roster_entry("MARIS", LEADER_LOGIN, "DFKI", "viewer", by_login=LEADER_LOGIN)
    for login in ("alice", "bob", LEADER_LOGIN):  # emptied, the store is no longer shared
        demo.remove_roster_entry("MARIS", login, by_login=LEADER_LOGIN)
    assert demo.roster() == []


@pytest.mark.parametrize(
    ("login", "organisation", "role", "refused"),
    [
        ("alice", "ACME", None, "organisation: 'ACME' is not accepted; an organisation of"),
        ("alice", "VLIZ", "leader", "MARIS (the project leader) for --role leader"),
        ("alice", "MARIS", "provider", "MARIS is the leader: use --role leader"),
        ("alice", "VLIZ", "admin", "role: 'admin' is not accepted; one of: provider, leader"),
        ("alice smith", "VLIZ", None, "login: 'alice smith' is not accepted; an OS login"),
        ("", "VLIZ", None, "login: '' is not accepted"),
        ("carol", " ", "viewer", "organisation: ' ' is not accepted"),
    ],
)
def test_a_roster_entry_that_does_not_fit_is_refused_by_its_field(
    demo: Store, login: str, organisation: str, role: str | None, refused: str
) -> None:
    demo.set_roster_entry("MARIS", LEADER_LOGIN, "MARIS", by_login=LEADER_LOGIN)
    with pytest.raises(InvalidValue, match=refused.replace("(", r"\(").replace(")", r"\)")):
        demo.set_roster_entry("MARIS", login, organisation, role, by_login=LEADER_LOGIN)
    assert len(demo.roster()) == 1


def test_a_viewer_may_come_from_outside_the_project_and_names_are_spelled_as_the_project_does(
    demo: Store,
) -> None:
    share(demo)
    outsider = demo.set_roster_entry("MARIS", "eve", "EC reviewer", "viewer", by_login="lead")
    assert outsider == RosterEntry("eve", "EC reviewer", "viewer")
    assert demo.set_roster_entry("MARIS", "carol", "vliz", by_login="lead").organisation == "VLIZ"


def test_removing_a_login_the_roster_does_not_have_says_which_it_has(demo: Store) -> None:
    share(demo)
    with pytest.raises(NotFound, match="known: alice, bob, lead"):
        demo.remove_roster_entry("MARIS", "carol", by_login=LEADER_LOGIN)


def test_a_store_from_before_the_roster_gets_one_when_opened(demo_path: Path) -> None:
    with sqlite3.connect(demo_path) as db:
        db.execute("drop table roster")
        db.execute("delete from _sqlite_migrations where name = 'm003_roster'")
    db.close()
    with Store.open(demo_path) as store:
        assert store.roster() == []
        assert store.upgrade_backup is not None and store.upgrade_backup.exists()
    assert "m003_roster" in known_migrations()


# ---- the command line ------------------------------------------------------------------------


def test_the_leader_sets_and_shows_the_roster_from_the_command_line(
    demo_path: Path, capsys: pytest.CaptureFixture[str], login: list[str]
) -> None:
    db = str(demo_path)
    code, out, _ = run(capsys, "roster", "show", "--db", db)
    assert code == 0 and "The roster is empty" in out
    code, out, _ = run(capsys, "roster", "set", LEADER_LOGIN, "MARIS", "--db", db, "--as", "MARIS")
    assert code == 0 and "lead works for MARIS (leader)" in out
    assert "The roster is in use from now on" in out
    code, out, _ = run(capsys, "roster", "set", "bob", "DFKI", "--role", "viewer", "--db", db)
    assert code == 0 and "bob works for DFKI (viewer)" in out  # the leader's login needs no --as
    code, out, _ = run(capsys, "roster", "show", "--db", db)
    assert "bob" in out and "viewer" in out and "login 'lead' is the leader's (MARIS)" in out
    code, out, _ = run(capsys, "roster", "remove", "bob", "--db", db)
    assert code == 0 and "bob is off the roster" in out
    with Store.open(demo_path) as store:
        assert store.roster() == [RosterEntry(LEADER_LOGIN, "MARIS", "leader")]


def test_a_provider_cannot_change_the_roster(
    shared: Path, capsys: pytest.CaptureFixture[str], login: list[str]
) -> None:
    login[0] = "alice"
    code, _, err = run(
        capsys, "roster", "set", "alice", "MARIS", "--db", str(shared), "--as", "MARIS"
    )
    assert code == 1
    assert "--as MARIS ignored: login 'alice' works for VLIZ" in err
    assert "VLIZ may not change the roster: only the project leader MARIS" in err
    with Store.open(shared) as store:
        assert RosterEntry("alice", "VLIZ", "provider") in store.roster()


def test_on_a_shared_host_the_login_decides_over_as_vatui_as_and_the_config(
    shared: Path,
    capsys: pytest.CaptureFixture[str],
    login: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    login[0] = "alice"
    monkeypatch.setenv("VATUI_AS", "MARIS")
    setting = ["set", "--db", str(shared), "--metric", "users", "--period", "M25-M36"]
    code, _, err = run(capsys, *setting, "--installation", "uc5", "6")
    assert code == 0 and "VATUI_AS MARIS ignored" in err
    code, _, err = run(capsys, *setting, "--installation", "uc1", "--as", "DFKI", "3")
    assert code == 1 and "VLIZ may not set" in err and "provided by DFKI" in err
    with Store.open(shared) as store:
        assert store.value("uc5", "users", "M25-M36").updated_by == "VLIZ"  # type: ignore[union-attr]
        assert store.value("uc1", "users", "M25-M36") is None


def test_a_login_off_the_roster_or_a_viewer_is_told_why_it_may_not_write(
    shared: Path, capsys: pytest.CaptureFixture[str], login: list[str]
) -> None:
    setting = ["set", "--db", str(shared), "--installation", "uc5", "--metric", "users"]
    for who, why in (("mallory", "'mallory' is not in this store's roster"), ("bob", "viewer")):
        login[0] = who
        code, _, err = run(capsys, *setting, "--period", "M25-M36", "--as", "VLIZ", "6")
        assert code == 1
        assert "you may not write to this store" in err and why in err
    with Store.open(shared) as store:
        assert store.value("uc5", "users", "M25-M36") is None


def test_without_a_roster_as_still_decides(
    demo_path: Path, capsys: pytest.CaptureFixture[str], login: list[str]
) -> None:
    login[0] = "anyone"
    setting = ["set", "--db", str(demo_path), "--installation", "uc1", "--metric", "users"]
    code, _, err = run(capsys, *setting, "--period", "M25-M36", "--as", "DFKI", "2")
    assert code == 0 and "ignored" not in err


# ---- the TUI ---------------------------------------------------------------------------------


async def test_the_tui_keeps_the_rosters_identity(demo: Store) -> None:
    identity = Identity("VLIZ", True, "login 'alice' works for VLIZ (the store's roster)")
    app = VatuiApp(demo, actor="SU", roster=identity)  # the roster wins over a claim
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        assert isinstance(pilot.app.screen, DashboardScreen)
        await pilot.press("ctrl+p", *"work as", "enter")  # the palette's "Work as…"
        await pilot.pause()
        assert isinstance(pilot.app.screen, DashboardScreen)  # no identity picker
        assert pilot.app.sub_title.endswith("· as VLIZ")
        assert any(identity.reason in str(n.message) for n in pilot.app._notifications)


async def test_the_leaders_login_may_still_work_as_another_organisation(demo: Store) -> None:
    identity = Identity("MARIS", False, "login 'lead' is the leader's (MARIS) in the roster")
    async with VatuiApp(demo, actor="MARIS", roster=identity).run_test(size=(120, 40)) as pilot:
        pilot.app.post_message(ChooseIdentity())
        await pilot.pause()
        assert isinstance(pilot.app.screen, IdentityScreen)


async def test_the_tui_of_a_viewer_does_not_ask_who_it_is(demo: Store) -> None:
    identity = Identity(None, True, "login 'bob' is a viewer for DFKI in the roster: read-only")
    async with VatuiApp(demo, roster=identity).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, DashboardScreen)
        assert pilot.app.sub_title.endswith("· just looking (read-only)")
