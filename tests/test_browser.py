"""`vatui serve` in a real browser: headless Chromium (Debian's) through Playwright.

textual.js draws the terminal with xterm.js's WebGL or canvas renderer, so the page's DOM holds
no text to read. An init script catches the xterm Terminal object when textual.js stores it
(``this.terminal = new Terminal(...)``); the test reads that terminal's buffer, which holds the
same cells the screen shows.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, sync_playwright
from vatui.store import Store

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOOPBACK_HOSTS = {"127.0.0.1", "localhost"}
SERVER_START = 30.0  # seconds for `vatui serve` to listen
SCREEN_WAIT = 60.0  # seconds for the dashboard to be drawn in the page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin"),
]

CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {
      value, writable: true, configurable: true, enumerable: true,
    });
    if (value && value.buffer) { window.vatuiTerminal = value; }
  },
});
"""

READ_SCREEN = """
() => {
  const terminal = window.vatuiTerminal;
  if (!terminal) { return ""; }
  const buffer = terminal.buffer.active;
  const lines = [];
  for (let row = 0; row < terminal.rows; row++) {
    const line = buffer.getLine(buffer.viewportY + row);
    lines.push(line ? line.translateToString(true) : "");
  }
  return lines.join("\\n");
}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVER_START
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"vatui serve exited with {server.returncode}:\n{log.read_text()}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    pytest.fail(
        f"vatui serve did not listen on {port} within {SERVER_START:g} s:\n{log.read_text()}"
    )


@pytest.fixture
def served(demo_path: Path, tmp_path: Path) -> Iterator[str]:
    """`vatui serve` on the demo store and a free loopback port; its address.

    The server runs in its own process group, which is killed afterwards with every vatui it
    started for the browser's tab.
    """
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "vatui.cli", "serve", "--db", str(demo_path)]
            + ["--port", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for_port(port, server, log)
        yield f"http://127.0.0.1:{port}/"
    finally:
        _stop(server)


def _stop(server: subprocess.Popen[bytes]) -> None:
    for sent in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(server.pid, sent)
        except ProcessLookupError:
            return
        try:
            server.wait(timeout=10)
            return
        except subprocess.TimeoutExpired:
            continue


def wait_for_screen(page: Page, shows: Callable[[str], bool]) -> str:
    """The terminal's text once ``shows`` accepts it; the last text seen if it never does."""
    deadline = time.monotonic() + SCREEN_WAIT
    text = ""
    while time.monotonic() < deadline:
        text = page.evaluate(READ_SCREEN)
        if shows(text):
            return text
        time.sleep(0.25)
    return text


def outside(urls: list[str]) -> list[str]:
    """The addresses that would leave this machine (data: and blob: URLs never do)."""
    return [
        url
        for url in urls
        if urlsplit(url).scheme not in ("data", "blob")
        and urlsplit(url).hostname not in LOOPBACK_HOSTS
    ]


def test_the_dashboard_shows_every_installation_with_nothing_from_outside(
    served: str, demo_path: Path, tmp_path: Path
) -> None:
    with Store.open(demo_path) as store:
        names = [item.name for item in store.installations()]
    requested: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=30_000
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.set_default_timeout(30_000)
            page.on("request", lambda request: requested.append(request.url))
            page.on("websocket", lambda websocket: requested.append(websocket.url))
            page.add_init_script(CATCH_TERMINAL)
            page.goto(served)
            screen = wait_for_screen(page, lambda text: all(name in text for name in names))
            shot = tmp_path / "dashboard.png"
            page.screenshot(path=str(shot))
            print(f"screenshot of the dashboard in Chromium: {shot}")
        finally:
            browser.close()

    missing = [name for name in names if name not in screen]
    assert not missing, f"not on the screen: {missing}\n{screen}"
    assert "Installations" in screen
    assert not outside(requested), f"requests that left the machine: {outside(requested)}"
    assert any(urlsplit(url).path.startswith("/ws") for url in requested), requested
    assert any("/static/fonts/RobotoMono" in url for url in requested), (
        f"the bundled font was not loaded: {requested}"
    )
