"""Opening the store's file: the checks that come before any read or write.

A missing file, a file that is not SQLite, a damaged one, one from a newer vatui: each is
refused with a message a person can act on, and nothing is changed. A store from an older vatui
is copied aside, then upgraded.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from vatui.store.errors import StoreError
from vatui.store.failures import named_failure, read_only_uri
from vatui.store.schema import applied_migrations, apply_migrations, known_migrations

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT = 5.0  # seconds a write waits for another writer before giving up


def connect(
    path: Path, *, read_only: bool = False, busy_timeout: float = BUSY_TIMEOUT
) -> sqlite3.Connection:
    """A connection with foreign keys on, WAL and a busy timeout, as every write path needs.

    Read-only, the store is opened through a ``file:`` URI (escaped, so that any characters
    in the path name the right file); in a read-only folder, where SQLite cannot make the
    shared-memory file WAL needs, it is read as an unchanging file when no WAL is pending.
    """
    try:
        if read_only:
            conn = _connect_read_only(path, busy_timeout)
        else:
            conn = sqlite3.connect(str(path), timeout=busy_timeout)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        if not read_only:
            conn.execute("PRAGMA journal_mode = WAL")
        return conn
    except sqlite3.DatabaseError as error:
        raise named_failure(error, path) from None


def _connect_read_only(path: Path, busy_timeout: float) -> sqlite3.Connection:
    conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=busy_timeout)
    try:
        conn.execute("select count(*) from sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
        if os.access(path.parent, os.W_OK):
            raise
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size:
        raise StoreError(
            f"the store at {path} has changes waiting in {wal.name}, which cannot be read "
            f"because the folder {path.parent} is read-only; ask for write access to the "
            "folder, or have someone who has it open the store once"
        )
    return sqlite3.connect(read_only_uri(path, immutable=True), uri=True, timeout=busy_timeout)


def check_sqlite_file(path: Path) -> None:
    """Refuse, reading only its first bytes, a path that cannot hold a vatui store."""
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a vatui store")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise named_failure(error, path) from None
    if not header:
        raise StoreError(
            f"{path} is an empty file, not a vatui store; make one there with "
            f"`vatui init --db {path} --demo` or `vatui init --db {path} --from PROJECT.toml`"
        )
    if header != SQLITE_HEADER:
        raise StoreError(f"{path} is not a vatui store (it is not an SQLite database)")


def check_schema(conn: sqlite3.Connection, path: Path, *, read_only: bool) -> Path | None:
    """Refuse a store from a newer vatui; bring one from an older vatui up to date.

    Returns the backup taken before an upgrade, if there was one. The whole file is not
    checked for damage here (that costs a read of every page, on every command): damage shows
    as an error where it is met, and ``named_failure`` checks then; ``vatui check`` and
    ``vatui backup`` check the whole file.
    """
    try:
        listed = conn.execute("select name from sqlite_master where type = 'table'")
        tables = {name for (name,) in listed}
        applied = applied_migrations(conn)
    except sqlite3.DatabaseError as error:
        raise named_failure(error, path, check=conn) from None
    user_tables = {t for t in tables if not t.startswith(("_sqlite", "sqlite_"))}
    if user_tables and not applied:
        raise StoreError(f"{path} is an SQLite database but not a vatui store")
    known = known_migrations()
    newer = [name for name in applied if name not in known]
    if newer:
        raise StoreError(
            f"{path} was written by a newer vatui (it has schema step {newer[-1]!r}); "
            "upgrade vatui to open it. Nothing was changed."
        )
    if len(applied) == len(known):
        return None
    if read_only:
        raise StoreError(f"{path} needs upgrading to this vatui's schema but is read-only")
    backup = backup_before_migrating(conn, path, schema_step(applied, known)) if applied else None
    from sqlite_utils import Database  # only an upgrade needs it

    apply_migrations(Database(conn, execute_plugins=False))
    return backup


def schema_step(applied: list[str], known: list[str]) -> str:
    """The step a store's schema is at: the last one before the first it lacks.

    The same as the last applied for any store vatui wrote; a store missing a step in the
    middle (made by hand) is named by what it has up to that gap.
    """
    first_missing = next(name for name in known if name not in applied)
    position = known.index(first_missing)
    return known[position - 1] if position else applied[-1]


def backup_before_migrating(conn: sqlite3.Connection, path: Path, version: str) -> Path:
    """Keep a copy of a store before its schema is changed: a failed upgrade loses nothing."""
    target = path.with_name(f"{path.name}.{version}.bak")
    with sqlite3.connect(str(target)) as copy:
        conn.backup(copy)
    copy.close()
    return target


def remove_database_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def locked_message(path: Path | None, error: sqlite3.OperationalError, waited: float) -> str:
    if "locked" in str(error) or "busy" in str(error):
        return (
            f"the store at {path} is busy: another vatui is writing to it and did not finish "
            f"within {waited:g} s; nothing was changed, try again"
        )
    return f"cannot write to the store at {path}: {error}"
