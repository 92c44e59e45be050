"""The store: one SQLite file that holds a project's whole reporting history.

``Store`` is the one object callers hold. It owns the connection, and everything the TUI, the
CLI and the importers read or write goes through its methods, which take and return the
dataclasses of ``vatui.store.models``. Every write names an actor (an organisation), is checked
against what that actor may change, runs in one transaction and leaves a row per changed field
in ``history``.

Its calls are written by concern, each part building on the one before:

=====================  ==========================================================
``store/core.py``      the connection, the cache, ``transaction`` and ``record_change``
``store/reads.py``     reading the project and its rows
``store/access.py``    who may do what
``store/status.py``    a period's lights
``store/edits.py``     values, assessments, delays and review steps
``store/definitions``  installations, sites, metrics, milestones and periods
``store/loading.py``   a project file's records, loaded at once
``store/accounting``   the mapping to the EOSC Accounting Service, its plan, what was sent
this module            opening, creating and copying a store; reviews and the roster
=====================  ==========================================================
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from vatui.store import reviews, roster, rows
from vatui.store.accounting import Accounting
from vatui.store.core import utc_now, writes
from vatui.store.definitions import Definitions
from vatui.store.errors import StoreError
from vatui.store.failures import damage, damaged, named_failure
from vatui.store.loading import Loading
from vatui.store.models import Project
from vatui.store.periods import parse_start
from vatui.store.revert import revert_change
from vatui.store.roster import Identity, RosterEntry
from vatui.store.schema import MIGRATION_SET, apply_migrations
from vatui.store.status import Status
from vatui.store.storefile import (
    BUSY_TIMEOUT,
    check_schema,
    check_sqlite_file,
    connect,
    remove_database_files,
)
from vatui.store.validation import checked_project


class Store(Definitions, Status, Loading, Accounting):
    """A project's store. Open one with ``Store.open(path)`` or make one with ``Store.create``."""

    # ---- opening, creating and copying ---------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, busy_timeout: float = BUSY_TIMEOUT, **options: Any) -> Store:
        """Open an existing store, migrating one written by an older vatui.

        Refuses, changing nothing, a missing file, a file that is not a vatui store and a store
        written by a newer vatui. A file this user may not write is opened read-only.
        """
        path = Path(path)
        if not path.exists():
            raise StoreError(
                f"no store at {path}; create one with `vatui init --db {path} --demo` "
                f"(the iMagine demo) or `vatui init --db {path} --from PROJECT.toml`"
            )
        check_sqlite_file(path)
        read_only = not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)
        conn = connect(path, read_only=read_only, busy_timeout=busy_timeout)
        try:
            upgrade_backup = check_schema(conn, path, read_only=read_only)
        except BaseException:
            conn.close()
            raise
        store = cls(conn, path, read_only=read_only, **options)
        store.busy_timeout = busy_timeout
        store.upgrade_backup = upgrade_backup
        return store

    @classmethod
    def create(
        cls,
        path: str | Path,
        project: Project,
        periods: list[str],
        *,
        overwrite: bool = False,
        fill: Callable[[Store], None] | None = None,
        **options: Any,
    ) -> Store:
        """Make a new store at ``path`` with a project and its periods, then ``fill`` it.

        The store is built in a temporary file beside ``path`` and moved into place only when
        complete, so an interrupted ``init`` never leaves a half-written store.
        """
        path = Path(path)
        if path.is_dir():
            raise StoreError(f"{path} is a folder; name a file for the store, e.g. {path}/wp5.db")
        if path.exists() and path.stat().st_size and not overwrite:
            raise StoreError(f"a store already exists at {path}; pass --force to replace it")
        parse_start(project.start)
        checked_project(project)
        temporary = path.with_name(f".{path.name}.creating")
        remove_database_files(temporary)
        conn = connect(temporary)
        try:
            store = cls(conn, temporary, **options)
            apply_migrations(store.db)
            with store.transaction():
                store.db.table("project").insert(rows.PROJECT.dump(project) | {"id": 1})
                for label in periods:
                    store.insert_period(label)
                if fill is not None:
                    fill(store)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
        remove_database_files(path)
        os.replace(temporary, path)
        remove_database_files(temporary)
        return cls.open(path, **options)

    def backup(self, destination: str | Path, *, overwrite: bool = False) -> Path:
        """Copy the store through SQLite's online backup: safe while others have it open.

        The store is checked for damage first, so that a damaged copy never replaces a good
        one; the copy is written beside ``destination`` and moved into place when complete.
        """
        destination = Path(destination)
        found = damage(self.conn)
        if found is not None:  # a damaged copy must not replace a good backup
            raise damaged(self.path, found)
        if destination.is_dir():
            destination = destination / (self.path.name if self.path else "vatui.db")
        if destination.exists() and not overwrite:
            raise StoreError(f"{destination} already exists; pass --force to replace it")
        temporary = destination.with_name(f".{destination.name}.copying")
        remove_database_files(temporary)
        try:
            copy = sqlite3.connect(str(temporary))
            with copy:
                self.conn.backup(copy)
            copy.close()
            os.replace(temporary, destination)
        except (OSError, sqlite3.Error) as error:
            remove_database_files(temporary)
            raise named_failure(error, destination) from None
        return destination

    # ---- review (the rules are in store/reviews.py) ---------------------------------------

    def review_state(self, installation: str, period: str) -> str:
        """``draft``, ``submitted``, ``accepted`` or ``returned``."""
        item, span = self.installation(installation), self.period(period)
        return reviews.state(self, item.id, span.label)

    def review_thread(self, installation: str, period: str) -> list[reviews.ReviewEntry]:
        """Every step of the review, oldest first, with who, when and their comment."""
        item, span = self.installation(installation), self.period(period)
        return reviews.thread(self, item.id, span.label)

    def review_states(
        self, period: str, *, installations: list[str] | None = None
    ) -> dict[str, str]:
        """Each installation's review state for the period, in one query; with
        ``installations``, theirs only (the dashboard reads those it shows)."""
        return reviews.states(self, self.period(period).label, installations)

    def unaccepted(self, period: str) -> list[str]:
        """The installations whose figures for the period the leader has not accepted yet."""
        return reviews.unaccepted(self, self.period(period).label)

    # ---- the roster of a shared host (the rules are in store/roster.py) --------------------

    def roster(self) -> list[RosterEntry]:
        """Each OS login's organisation and role, by login; empty on a machine of one's own."""
        return roster.entries(self)

    def identity(self, login: str, claim: str | None, claimed_by: str = "--as") -> Identity:
        """Who a session of ``login`` works for, given what it claims (``decide_identity``)."""
        return roster.decide_identity(self.roster(), login, claim, claimed_by)

    @writes
    def set_roster_entry(
        self,
        actor: str,
        login: str,
        organisation: str,
        role: str | None = None,
        *,
        by_login: str,
        source: str = "",
    ) -> RosterEntry:
        """Put a login on the roster, or change its organisation or role (the leader only)."""
        return roster.set_entry(
            self, actor, login, organisation, role, by_login=by_login, source=source
        )

    @writes
    def remove_roster_entry(
        self, actor: str, login: str, *, by_login: str, source: str = ""
    ) -> None:
        """Take a login off the roster (the leader only); the history keeps what it was."""
        roster.remove_entry(self, actor, login, by_login=by_login, source=source)

    # ---- history -------------------------------------------------------------------------

    @writes
    def revert(self, actor: str, change_id: int, *, source: str = "", force: bool = False) -> None:
        """Write back the old value of a recorded change; the revert is recorded too.

        Refused when the field has changed since the change, naming the later changes, unless
        ``force``: then the newer value is written over, and the history says so.
        """
        revert_change(self, actor, change_id, source, force=force)


__all__ = ["MIGRATION_SET", "Store", "utc_now"]
