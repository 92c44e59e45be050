"""Fixtures: stores built from the shipped demo data or small project files, never the user's."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from vatui.store import Store
from vatui.store.projectfile import create_store, demo_text, read_project_file


def counting_clock() -> Callable[[], str]:
    """A clock that ticks one second per call, so history is ordered and repeatable."""
    ticks = itertools.count()

    def clock() -> str:
        tick = next(ticks)
        return f"2024-10-09T{10 + tick // 3600:02d}:{tick // 60 % 60:02d}:{tick % 60:02d}Z"

    return clock


@pytest.fixture(autouse=True)
def _no_user_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep the user's real store, identity and config out of every test."""
    monkeypatch.delenv("VATUI_DB", raising=False)
    monkeypatch.delenv("VATUI_AS", raising=False)
    monkeypatch.delenv("VATUI_CONFIG", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    create_store(path, read_project_file(demo_text(), "demo data")).close()
    return path


@pytest.fixture
def demo(demo_path: Path) -> Iterator[Store]:
    store = Store.open(demo_path, clock=counting_clock())
    yield store
    store.close()
