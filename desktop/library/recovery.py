"""Crash recovery: close sessions left 'recording' by a process that died.

A session's recorder holds its lock file while it runs (desktop/library/locks.py). At open,
every 'recording' session whose lock can be taken is closed as 'recovered', keeping every
sample and rep up to the last chunk written.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop.library import db, locks, rows


def recover_orphans(conn: sqlite3.Connection, library_file: Path) -> list[int]:
    """Close orphaned sessions as 'recovered'; returns their ids (oldest first)."""
    with db.sql_errors(library_file, "looking for interrupted sessions"):
        candidates = [
            row[0]
            for row in conn.execute(
                "SELECT id FROM sessions WHERE status = 'recording' ORDER BY id"
            )
        ]
    recovered = []
    for session_id in candidates:
        lock = locks.lock_path(library_file, session_id)
        if locks.held_here(lock) or not locks.acquire(lock):
            continue  # still being recorded, here or by a live process
        try:
            with db.transaction(conn, library_file, f"recovering session {session_id}"):
                status = conn.execute(
                    "SELECT status FROM sessions WHERE id = ?", (session_id,)
                ).fetchone()
                if status and status[0] == "recording":
                    rows.finish(conn, session_id, "recovered")
                    recovered.append(session_id)
        finally:
            locks.release(lock)
    return recovered
