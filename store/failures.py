"""What went wrong, in words a person can act on: SQLite's and the system's errors named for
what they are.

A full disk is not a damaged store, and neither is a read-only folder: telling someone to
restore a healthy store from a backup loses the work done since. So "damaged" is said only
when SQLite's own integrity check fails on the file.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path

from vatui.store.errors import StoreError

NEARLY_FULL = 1024 * 1024  # bytes free under which a failed write is put down to a full disk
RESTORE = (
    "Restore it from a backup (`vatui backup` makes them), or ask the project leader for a copy"
)


def damage(conn: sqlite3.Connection) -> str | None:
    """What ``PRAGMA quick_check`` finds wrong with the store, or None when it is sound."""
    try:
        found = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
    except sqlite3.DatabaseError as error:
        return str(error)
    return None if found == "ok" else str(found)


def damaged(path: Path | None, found: str) -> StoreError:
    return StoreError(f"{path} is damaged ({found}); nothing was changed. {RESTORE}")


def named_failure(
    error: sqlite3.Error | OSError,
    path: Path | None,
    *,
    check: sqlite3.Connection | None = None,
) -> StoreError:
    """The refusal to show for ``error``, met while using the store at ``path``.

    An error that could mean damage is checked, on ``check`` (a connection to the store) or
    else on a read-only connection of its own: the store is called damaged only when the
    integrity check fails.
    """
    if isinstance(error, OSError):
        return _system_failure(error, path)
    text = str(error)
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF  # the primary code, not the extended
    if code == sqlite3.SQLITE_FULL or "disk is full" in text:
        return _disk_full(path)
    if code == sqlite3.SQLITE_READONLY or "readonly database" in text:
        return StoreError(
            f"the store at {path} cannot be written here (it or its folder is read-only); "
            "nothing was changed. Writing needs write access to the file and to its folder"
        )
    if "locked" in text or "busy" in text:
        return StoreError(
            f"the store at {path} is busy: another vatui is writing to it; "
            "nothing was changed, try again"
        )
    if "unable to open" in text:
        return StoreError(
            f"cannot open the store at {path} ({text}): check that the file and its folder "
            "exist and that you may read them"
        )
    if "disk I/O error" in text and _nearly_full(path):
        return _disk_full(path)
    if "disk I/O error" in text:
        return StoreError(
            f"reading or writing {path} failed (disk I/O error): the disk may be full, "
            "removed or failing; nothing was changed. Check the disk and try again"
        )
    found = damage(check) if check is not None else _damage_of_file(path)
    if found is not None:
        return damaged(path, found)
    return StoreError(f"the store at {path} could not be used ({text}); nothing was changed")


def _disk_full(path: Path | None) -> StoreError:
    return StoreError(
        f"the disk holding {path} is full; nothing was written. Free some space on it and try again"
    )


def _nearly_full(path: Path | None) -> bool:
    """Whether the disk of ``path`` has less room than a write of the store may need: SQLite
    reports a write that ran out of room in its log as an I/O error, not as a full disk."""
    if path is None:
        return False
    try:
        return shutil.disk_usage(path.parent).free < NEARLY_FULL
    except OSError:
        return False


def read_only_uri(path: Path, *, immutable: bool = False) -> str:
    """The ``file:`` URI that opens ``path`` read-only, whatever characters it holds (``?``,
    ``#`` and ``%`` in a plain ``file:`` string would name another file)."""
    return path.absolute().as_uri() + ("?mode=ro&immutable=1" if immutable else "?mode=ro")


def _damage_of_file(path: Path | None) -> str | None:
    if path is None or not path.is_file():
        return None
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
    except sqlite3.Error:
        return None
    try:
        return damage(conn)
    finally:
        conn.close()


def _system_failure(error: OSError, path: Path | None) -> StoreError:
    where = error.filename or path
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return _disk_full(Path(str(where)) if where else None)
    if error.errno in (errno.EACCES, errno.EPERM):
        return StoreError(
            f"permission denied for {where}: ask its owner for access "
            "(reading needs read access, changing it write access to the file and its folder)"
        )
    if error.errno == errno.EROFS:
        return StoreError(f"{where} is on a read-only file system; nothing was changed")
    if error.errno == errno.EISDIR:
        return StoreError(f"{where} is a folder, not a vatui store")
    return StoreError(f"cannot use {where}: {error.strerror or error}")
