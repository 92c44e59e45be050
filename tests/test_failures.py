"""Failures named for what they are: a full disk, a read-only folder, a file one may not
read, an odd path. Each is made for real where the machine allows (a small tmpfs; another
user than root, who reads and writes through any permission), and each ends in a message
that says what happened and what to do, exit code 1 and an unchanged store."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from vatui.store import Store
from vatui.store.projectfile import create_store, demo_text, read_project_file

from benchmarks.make_store import make_store
from vatui.cli import main

NOBODY = 65534
SET = ["set", "--installation", "uc5", "--metric", "users", "--period", "M25-M36"]


def make_demo(path: Path) -> Path:
    create_store(path, read_project_file(demo_text(), "demo")).close()
    return path


def run(argv: list[str], *, flat: bool = True) -> tuple[int, str]:
    """The CLI in this process: its exit code and everything it printed (with ``flat``, each
    run of whitespace one space, as a message is read whatever the terminal's width)."""
    output = io.StringIO()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        code = main(argv)
    return code, " ".join(output.getvalue().split()) if flat else output.getvalue()


def run_as_another_user(argv: list[str], store: Path) -> tuple[int, str]:
    """The CLI as a user other than root, so that file permissions apply.

    The child is forked, not started afresh: the interpreter lives under root's home, which
    another user may not read. The same command runs first on a copy of ``store``, so that
    every module it needs is imported before the child gives up root."""
    if os.geteuid() != 0:
        return run(argv)
    with tempfile.TemporaryDirectory() as spare:
        copy = Path(spare) / "copy.db"
        shutil.copy(store, copy)
        with contextlib.suppress(Exception):
            run([str(copy) if part == str(store) else part for part in argv])
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover (the child)
        code = 99
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            sys.stdout = sys.stderr = open(write, "w", encoding="utf-8")  # noqa: SIM115
            code = main(argv)
            sys.stdout.flush()
        finally:
            os._exit(code)
    os.close(write)
    with open(read, encoding="utf-8") as pipe:
        output = pipe.read()
    _, status = os.waitpid(child, 0)
    return os.waitstatus_to_exitcode(status), " ".join(output.split())


@pytest.fixture
def open_folder() -> Iterator[Path]:
    """A folder another user may enter (pytest's own are root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="vatui-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.rmtree(folder)


def test_a_store_in_a_read_only_folder_is_read_and_a_write_says_why(open_folder: Path) -> None:
    path = make_demo(open_folder / "wp5.db")
    before = path.read_bytes()
    open_folder.chmod(0o555)
    code, shown = run_as_another_user(["status", "--db", str(path), "--period", "M13-M24"], path)
    assert code == 0, shown
    assert "Flowcam" in shown and "damaged" not in shown
    code, shown = run_as_another_user([*SET, "--db", str(path), "--as", "VLIZ", "3"], path)
    assert code == 1 and "read-only" in shown and "damaged" not in shown, shown
    assert sorted(p.name for p in open_folder.iterdir()) == ["wp5.db"]
    assert path.read_bytes() == before


def test_a_store_one_may_not_read_says_permission_denied(open_folder: Path) -> None:
    path = make_demo(open_folder / "wp5.db")
    path.chmod(0o000)
    code, shown = run_as_another_user(["status", "--db", str(path)], path)
    assert code == 1 and "permission denied" in shown and "unexpected" not in shown, shown


@pytest.mark.parametrize("name", ["what?.db", "a#b.db", "100%.db", "x %3F y.db"])
def test_a_read_only_store_under_any_name_opens_that_file(open_folder: Path, name: str) -> None:
    path = make_demo(open_folder / name)
    path.chmod(0o444)
    code, shown = run_as_another_user(["status", "--db", str(path), "--period", "M13-M24"], path)
    assert code == 0 and "Flowcam" in shown, shown
    assert sorted(p.name for p in open_folder.iterdir()) == [name]


def test_looking_at_an_empty_file_leaves_it_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    code, shown = run(["status", "--db", str(path)])
    assert code == 1 and "empty file, not a vatui store" in shown
    assert [p.name for p in tmp_path.iterdir()] == ["empty.db"] and path.stat().st_size == 0


@pytest.fixture
def small_disk() -> Iterator[Path]:
    """A 1 MB tmpfs, where the machine lets this user mount one."""
    mount = Path(tempfile.mkdtemp(prefix="vatui-disk-"))
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True
    )
    if made.returncode != 0:
        mount.rmdir()
        pytest.skip(f"cannot mount a small tmpfs here: {made.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)
    mount.rmdir()


def test_a_full_disk_says_so_and_the_store_is_unchanged(small_disk: Path) -> None:
    path = make_demo(small_disk / "wp5.db")
    assert run([*SET, "--db", str(path), "--as", "VLIZ", "4"])[0] == 0
    filler = small_disk / "filler"
    with contextlib.suppress(OSError), filler.open("wb") as handle:
        while True:
            handle.write(b"\0" * 4096)
            handle.flush()
    code, shown = run([*SET, "--db", str(path), "--as", "VLIZ", "5", "--note", "x" * 1_900])
    assert code == 1, shown
    assert "full" in shown and "nothing was written" in shown and "damaged" not in shown
    filler.unlink()
    with Store.open(path) as store:
        value = store.value("uc5", "users", "M25-M36")
        assert value is not None and (value.shown, value.note) == ("4", "")
    assert run(["check", "--db", str(path)])[0] == 0


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """`vatui status --json | head -c 1`: the reader goes away long before the end."""
    path = make_store(tmp_path / "forty.db", 40)
    reader = subprocess.Popen(["head", "-c", "1"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    writer = subprocess.run(
        [sys.executable, "-m", "vatui.cli", "status", "--db", str(path), "--json"],
        stdout=reader.stdin,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert reader.stdin is not None and reader.stdout is not None
    reader.stdin.close()
    assert reader.stdout.read() == b"["
    reader.stdout.close()
    reader.wait()
    assert (writer.returncode, writer.stderr) == (141, "")


def test_check_passes_a_sound_store_and_names_a_value_its_history_does_not_explain(
    tmp_path: Path,
) -> None:
    path = make_demo(tmp_path / "wp5.db")
    assert run([*SET, "--db", str(path), "--as", "VLIZ", "9"])[0] == 0
    code, shown = run(["check", "--db", str(path)])
    assert code == 0 and shown.count("✓ holds") == 3, shown
    with sqlite3.connect(path) as conn:  # an edit that went round vatui
        conn.execute("update metric_values set number = 3 where installation = 'uc5' and "
                     "metric = 'users' and period = 'M25-M36'")  # fmt: skip
    conn.close()
    code, shown = run(["check", "--db", str(path)])
    assert (
        code == 1
        and "uc5/users/M25-M36 shown is '3' but its last recorded change made it '9'" in shown
    )


def test_check_finds_damage_that_opening_does_not_read(tmp_path: Path) -> None:
    path = make_demo(tmp_path / "wp5.db")
    data = bytearray(path.read_bytes())
    data[8192:24576] = b"\xff" * 16384
    path.write_bytes(bytes(data))
    code, shown = run(["check", "--db", str(path)])
    assert code == 1 and ("✗ fails" in shown or "damaged" in shown), shown
