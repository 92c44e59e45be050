"""Running the ``vatui`` command line in-process, and seeing a store as a user would."""

from __future__ import annotations

from pathlib import Path

import pytest
from vatui.store import Store
from vatui.store.projectdump import dump_project

from vatui.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Exit code, standard output and standard error of ``vatui ARGV``."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(path: Path) -> tuple[str, int]:
    """What a user could see of the store: its whole content and the length of its history."""
    with Store.open(path) as store:
        return dump_project(store), len(store.history())
