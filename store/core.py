"""The ground floor of ``Store``: the connection, the cache, write transactions and history.

Every other part of the store (reads, permissions, edits, status, loading) builds on these
few public calls: ``transaction()`` to write all or nothing, ``record_change()`` to leave a
history row per changed field, ``cached()`` and ``forget()`` for what is kept between calls.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, Self, TypeVar

from vatui.store import rows
from vatui.store.errors import StoreError
from vatui.store.failures import named_failure
from vatui.store.storefile import BUSY_TIMEOUT, locked_message

if TYPE_CHECKING:
    from sqlite_utils import Database

# The tables whose rows a Store keeps in memory between calls (``StoreCore.cached``).
CACHED_TABLES = {"project", "periods", "installations", "sites", "metrics"}


def utc_now() -> str:
    """The time now in UTC, to the second, as history and values record it."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


Params = ParamSpec("Params")
Result = TypeVar("Result")
Owner = TypeVar("Owner", bound="StoreCore")


def writes(
    command: Callable[Concatenate[Owner, Params], Result],
) -> Callable[Concatenate[Owner, Params], Result]:
    """Run a write command in a transaction of its own, from its first read to its last write.

    What a command checks (the current value, its version, the review state, who provides
    the installation) and what it records as the old value are then read under the write
    lock: a writer that queued behind another sees what that one wrote, never what was there
    before. Called inside a larger transaction (an import), it joins that one.
    """

    @functools.wraps(command)
    def in_transaction(store: Owner, *args: Params.args, **kwargs: Params.kwargs) -> Result:
        with store.transaction():
            return command(store, *args, **kwargs)

    return in_transaction


class StoreCore:
    """A connection to a store, with its cache, its transactions and its history writer."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path | None = None,
        *,
        read_only: bool = False,
        clock: Callable[[], str] = utc_now,
    ) -> None:
        self.conn = conn
        self._db: Database | None = None
        self.path = path
        self.read_only = read_only
        self.clock = clock
        self.busy_timeout = BUSY_TIMEOUT
        # Where the copy of the store went when opening it upgraded its schema, else None.
        self.upgrade_backup: Path | None = None
        # The history rows this connection wrote: committed, and in the open transaction.
        self._own_changes: set[int] = set()
        self._uncommitted_changes: list[int] = []
        # The project, its periods and installations, read once and kept until they change
        # (see ``cached``): nearly every call needs them, and they seldom change.
        self._cache: dict[str, Any] = {}
        self._cache_version = -1

    def close(self) -> None:
        self.conn.close()

    @property
    def db(self) -> Database:
        """sqlite-utils on the store's connection, made when first needed: what ``vatui status``
        reads goes through the connection alone, so scripts start without importing it."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn, execute_plugins=False)
        return self._db

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- what is kept between calls ------------------------------------------------------

    def data_version(self) -> int:
        """A number SQLite changes whenever another connection commits to the store (never
        for this one's own writes): cheap to poll, to learn that someone else changed something.
        """
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def cached(self, key: str, load: Callable[[], Any]) -> Any:
        """What ``load()`` returns, kept until this store changes one of ``CACHED_TABLES`` or
        another connection commits anything (SQLite's ``data_version`` says so, cheaply)."""
        version = self.data_version()
        if version != self._cache_version:
            self._cache.clear()
            self._cache_version = version
        if key not in self._cache:
            self._cache[key] = load()
        return self._cache[key]

    def forget(self) -> None:
        """Drop what ``cached`` kept: this store has just changed it (or rolled it back)."""
        self._cache.clear()

    # ---- writing -------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction (``BEGIN IMMEDIATE``, so two writers queue rather than clash).

        Nested calls join the outer transaction, so an import of many values is all or nothing.
        """
        if self.read_only:
            raise StoreError(f"the store at {self.path} is read-only here; nothing was changed")
        if self.conn.in_transaction:
            written = len(self._uncommitted_changes)
            try:
                with self.db.atomic():
                    yield
            except BaseException:
                del self._uncommitted_changes[written:]  # rolled back to the savepoint
                self.forget()
                raise
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise StoreError(locked_message(self.path, error, self.busy_timeout)) from None
            raise named_failure(error, self.path, check=self.conn) from None
        try:
            yield
            self.conn.execute("COMMIT")
        except BaseException as error:
            self._roll_back()
            if isinstance(error, sqlite3.Error | OSError):
                raise named_failure(error, self.path, check=self.conn) from None
            raise
        self._own_changes.update(self._uncommitted_changes)
        self._uncommitted_changes.clear()

    def _roll_back(self) -> None:
        """Undo the open transaction; SQLite may have undone it already (a full disk does)."""
        # Nothing was committed: if the rollback fails too, what is on disk is the state before.
        with contextlib.suppress(sqlite3.Error):
            self.conn.rollback()
        self._uncommitted_changes.clear()
        self.forget()

    def next_version(self) -> int:
        """A version number no row of this store has had: every edit's new version takes one,
        inside its transaction, so an edit against a version that has gone is always seen."""
        bumped = "UPDATE version_counter SET last = last + 1 RETURNING last"
        return int(self.conn.execute(bumped).fetchone()[0])

    def record_change(
        self,
        actor: str,
        table: str,
        row: str,
        installation: str | None,
        changes: Mapping[str, tuple[object, object]],
        source: str,
    ) -> None:
        """Leave a history row per changed field: ``changes`` maps a field to (old, new).

        Called inside ``transaction()``, so the history lands with the change or not at all.
        """
        if table in CACHED_TABLES:
            self.forget()
        at = self.clock()
        history = self.db.table("history")
        for field, (old, new) in changes.items():
            written = history.insert(
                {
                    "at": at,
                    "actor": actor,
                    "table_name": table,
                    "row_key": row,
                    "field": field,
                    "old": rows.as_text(old),
                    "new": rows.as_text(new),
                    "installation": installation,
                    "source": source,
                }
            )
            self._uncommitted_changes.append(int(written.last_pk or 0))

    def is_own_change(self, change_id: int) -> bool:
        """Whether this connection wrote the history row ``change_id`` (and committed it)."""
        return change_id in self._own_changes
