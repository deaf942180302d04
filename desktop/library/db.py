"""SQLite connection setup and error translation for the session library.

``connect`` opens a library file in WAL mode (synchronous FULL: every commit is on the disk
before it returns) with foreign keys on and brings its schema up to date; ``sql_errors``
turns sqlite3 errors into LibraryError subclasses that say what to check. Every connection
belongs to the thread that opened it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from desktop.library import schema
from desktop.library.errors import (
    LibraryError,
    LibraryLockedError,
    LibraryVersionError,
    LibraryWriteError,
)

DEFAULT_BUSY_TIMEOUT_S = 5.0
"""How long a statement waits for another process's write to finish before giving up."""

_BUSY, _LOCKED, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 10, 11, 13, 14, 26


def connect(path: Path, busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S) -> sqlite3.Connection:
    """An open, migrated connection to the library at ``path`` (file created if missing)."""
    with sql_errors(path, "opening the library"):
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            schema.check(conn)
            if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
                raise LibraryError(
                    f"the library {path} cannot use write-ahead logging: keep it on a local "
                    "drive, not a network share"
                )
            conn.execute("PRAGMA synchronous = FULL")  # a commit survives a power cut too
            schema.migrate(conn)
        except BaseException:
            conn.close()
            raise
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection, path: Path, action: str) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT around the block, which gets ``conn``; rolled back on any
    error; sqlite errors are translated."""
    with sql_errors(path, action):
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


@contextmanager
def sql_errors(path: Path, action: str) -> Iterator[None]:
    """Translate sqlite3 and OS errors raised inside the block into LibraryError subclasses."""
    try:
        yield
    except sqlite3.Error as exc:
        raise translate(exc, path, action) from exc
    except OSError as exc:
        raise LibraryWriteError(
            f"{action} failed at {path}: {exc.strerror or exc}; check the folder exists and is "
            "writable"
        ) from exc


def translate(exc: sqlite3.Error, path: Path, action: str) -> LibraryError:
    """The LibraryError that explains ``exc`` to a user."""
    code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    if code in (_BUSY, _LOCKED):
        return LibraryLockedError(
            f"{action} failed: the library {path} is locked by another process (another "
            "hipthrust, a backup or sync tool?); close it or wait, then try again"
        )
    if code in (_FULL, _IOERR):
        return LibraryWriteError(
            f"{action} failed: could not write the library {path} ({exc}); the disk may be "
            "full or failing: free some space or check the drive. What was saved before is kept"
        )
    if code in (_NOTADB, _CORRUPT):
        return LibraryVersionError(
            f"{action} failed: {path} is not a hipthrust library or is damaged ({exc}); "
            "point --data-dir at another folder or restore a backup"
        )
    if code == _CANTOPEN:
        return LibraryError(
            f"{action} failed: cannot open {path}; check the folder exists and is writable"
        )
    return LibraryError(f"{action} failed on the library {path}: {exc}")
