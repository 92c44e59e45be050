"""``vatui serve``: the TUI in a web browser, through textual-serve.

Each browser tab gets its own ``vatui --db PATH`` process, run as the OS login that started the
server, so the store's roster decides whom every tab works for (README.md, "In the browser").
The page is vatui's own template: textual-serve's links an outside font stylesheet, ours uses
the fonts bundled in textual-serve's wheel, so the page needs no internet.
"""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import sys
from pathlib import Path

from vatui.commands import open_store, store_path
from vatui.output import console, shown, warn
from vatui.store import InvalidValue, StoreError, roster

LOOPBACK = "127.0.0.1"
TEMPLATES = Path(__file__).with_name("serve_templates")


def serve(args: argparse.Namespace) -> int:

    port = _port(args.port)
    host = _host(args.host)
    path = store_path(args).resolve()
    with open_store(args) as store:  # refuse a bad store now, not in every browser tab
        project = store.project()
    url = f"http://{_url_host(host)}:{port}"
    console.print(f"Serving vatui on [bold]{url}[/] (store: {shown(str(path))})")
    if is_loopback(host):
        console.print(
            "Loopback only: browsers on this machine can open it, nothing else can reach it "
            "(on a shared host that still means every user of this host)."
        )
    else:
        warn(
            f"listening on {host}, not on loopback: ANYONE who can reach {url} can use this "
            f"store, with no password, as login {roster.os_login()!r}. Serve on {LOOPBACK} and "
            f"reach it through an SSH tunnel (ssh -L {port}:{LOOPBACK}:{port} HOST) instead, "
            "unless every machine on that network is trusted."
        )
    console.print(
        f"Each browser tab runs its own vatui as login {shown(roster.os_login())!r}: "
        f"{shown(args.identity.reason)}."
    )
    from textual_serve.server import Server

    server = Server(
        session_command(path),
        host=host,
        port=port,
        public_url=url,
        title=" · ".join(filter(None, ["vatui", project.name, project.work_package])),
        templates_path=TEMPLATES,
    )
    try:
        server.serve()
    except OSError as error:
        raise StoreError(f"cannot serve on {host}:{port}: {error.strerror or error}") from None
    return 0


def session_command(path: Path) -> str:
    """The shell command textual-serve runs for each browser tab: this Python's vatui."""
    return shlex.join([sys.executable, "-m", "vatui.cli", "--db", str(path)])


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _host(text: str) -> str:
    host = text.strip()
    try:
        wildcard = ipaddress.ip_address(host).is_unspecified
    except ValueError:
        wildcard = False
    if not host or wildcard:
        raise InvalidValue(
            "host",
            text,
            f"the address browsers will open, e.g. {LOOPBACK} (this machine only) or this "
            "machine's address on your network; textual-serve writes it into the page, so an "
            "any-address such as 0.0.0.0 cannot be opened",
        )
    return host


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise InvalidValue("port", text, "a port number from 1 to 65535, e.g. 8000")
    return port
