"""`vatui serve` before any browser: what it says when started, and what it refuses.

tests/test_browser.py drives a real browser against it; here textual-serve's ``Server.serve``
is replaced, so nothing listens and the tests stay quick.
"""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import pytest
from textual_serve.server import Server
from vatui.store import Store, roster

from tests.test_cli import run
from vatui.serve import TEMPLATES, session_command


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[Server]:
    """The servers `vatui serve` would have started."""
    started: list[Server] = []
    monkeypatch.setattr(Server, "serve", lambda self, debug=False: started.append(self))
    return started


def test_serve_binds_to_loopback_and_says_so(
    demo_path: Path, capsys: pytest.CaptureFixture[str], served: list[Server]
) -> None:
    code, out, err = run(capsys, "serve", "--db", str(demo_path), "--port", "8123")
    assert code == 0 and err == ""
    assert "Serving vatui on http://127.0.0.1:8123" in " ".join(out.split())
    assert "Loopback only" in out
    (server,) = served
    assert (server.host, server.port) == ("127.0.0.1", 8123)
    assert server.templates_path == TEMPLATES
    assert shlex.split(server.command)[-2:] == ["--db", str(demo_path.resolve())]


def test_serve_warns_loudly_off_loopback(
    demo_path: Path, capsys: pytest.CaptureFixture[str], served: list[Server]
) -> None:
    code, out, err = run(capsys, "serve", "--db", str(demo_path), "--host", "192.0.2.10")
    assert code == 0 and "Loopback only" not in out
    warning = " ".join(err.split())
    assert "not on loopback: ANYONE who can reach http://192.0.2.10:8000 can use this store" in (
        warning
    )
    assert "ssh -L 8000:127.0.0.1:8000" in warning


def test_serve_says_whom_the_tabs_work_for(
    demo_path: Path,
    capsys: pytest.CaptureFixture[str],
    served: list[Server],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with Store.open(demo_path) as store:
        store.set_roster_entry("MARIS", "lead", "MARIS", by_login="lead")
        store.set_roster_entry("MARIS", "alice", "VLIZ", by_login="lead")
    monkeypatch.setattr(roster, "os_login", lambda: "alice")
    monkeypatch.setenv("VATUI_AS", "MARIS")
    _, out, _ = run(capsys, "serve", "--db", str(demo_path))
    assert "as login 'alice': login 'alice' works for VLIZ" in " ".join(out.split())


@pytest.mark.parametrize(
    ("option", "value", "refused"),
    [
        ("--host", "0.0.0.0", "host: '0.0.0.0' is not accepted; the address browsers will open"),
        ("--host", "::", "host: '::' is not accepted"),
        ("--port", "99999", "port: '99999' is not accepted; a port number from 1 to 65535"),
        ("--port", "http", "port: 'http' is not accepted"),
    ],
)
def test_serve_refuses_an_address_a_browser_cannot_open(
    demo_path: Path,
    capsys: pytest.CaptureFixture[str],
    served: list[Server],
    option: str,
    value: str,
    refused: str,
) -> None:
    code, _, err = run(capsys, "serve", "--db", str(demo_path), option, value)
    assert code == 1 and refused in " ".join(err.split()) and "Traceback" not in err
    assert served == []


def test_serve_refuses_a_missing_store_before_listening(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], served: list[Server]
) -> None:
    code, _, err = run(capsys, "serve", "--db", str(tmp_path / "none.db"))
    assert code == 1 and "no store at" in err
    assert served == []


def test_each_tab_runs_this_pythons_vatui(demo_path: Path) -> None:
    command = shlex.split(session_command(demo_path)) + ["--version"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("vatui "), done.stderr
