"""Shell completion: `vatui completion SHELL` prints the script, and bash, given it, completes
commands, options' fixed answers and ids read from the store."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_helpers import run

BIN = str(Path(sys.executable).parent)


def bash_completes(line: str, env: dict[str, str] | None = None) -> list[str]:
    """What bash offers after ``line`` (which ends where the cursor is), with vatui's script
    loaded as the README says."""
    words = line.split(" ")
    quoted = " ".join(map(repr, words))
    script = (
        'eval "$(vatui completion bash)"; '
        f"COMP_LINE={line!r}; COMP_POINT=${{#COMP_LINE}}; COMP_WORDS=({quoted}); "
        f"COMP_CWORD={len(words) - 1}; COMP_TYPE=9; "
        '_python_argcomplete vatui; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    environment = os.environ | {"PATH": f"{BIN}:{os.environ['PATH']}"} | (env or {})
    done = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, env=environment, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return [item.strip() for item in done.stdout.splitlines() if item.strip()]


needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


@needs_bash
def test_bash_completes_commands_and_fixed_answers() -> None:
    assert {"status", "stage"} <= set(bash_completes("vatui st"))
    assert bash_completes("vatui export --format ") == ["md", "docx"]
    assert bash_completes("vatui status --format c") == ["csv"]


@needs_bash
def test_bash_completes_ids_from_the_store(demo_path: Path) -> None:
    db = f"vatui set --db {demo_path}"
    assert bash_completes(f"{db} --installation ") == ["uc1", "uc2", "uc3", "uc4", "uc5"]
    assert bash_completes(f"{db} --installation uc5 --metric ") == [
        "users", "images-processed", "images-ingested", "countries"
    ]  # fmt: skip
    assert bash_completes(f"{db} --installation uc5 --period M2") == ["M25-M36"]
    assert bash_completes("vatui status --period ", {"VATUI_DB": str(demo_path)}) == [
        "M1-M12", "M13-M24", "M25-M36"
    ]  # fmt: skip


@needs_bash
def test_no_store_completes_to_nothing_rather_than_an_error(tmp_path: Path) -> None:
    assert bash_completes(f"vatui set --db {tmp_path / 'none.db'} --installation ") == []


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_each_shell_gets_a_script(shell: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "completion", shell)
    assert code == 0 and "vatui" in out and "_ARGCOMPLETE" in out


def test_status_does_not_load_argcomplete(demo_path: Path) -> None:
    probe = (
        "import sys; from vatui.cli import main;"
        f"main(['status', '--db', {str(demo_path)!r}, '--json']);"
        "sys.stderr.write(str('argcomplete' in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0 and done.stderr == "False"
