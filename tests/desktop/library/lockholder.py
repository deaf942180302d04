"""Separate processes that hold a library (its SQLite write lock, a session) until told."""

from __future__ import annotations

import subprocess
import sys

_SCRIPT = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
if sys.argv[2] == "exclusive":
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO notes (session_id, created_at, text) SELECT id, 'x', 'x' FROM sessions")
print("held", flush=True)
sys.stdin.readline()
"""


def hold_write_lock(library_file, *, exclusive: bool = False) -> subprocess.Popen:
    """Start the holder; returns once it holds the lock (exclusive: readers are shut out too)."""
    mode = "exclusive" if exclusive else "normal"
    child, said = run_until_told(_SCRIPT, str(library_file), mode)
    assert said == "held"
    return child


def run_until_told(script: str, *args: str) -> tuple[subprocess.Popen, str]:
    """Run ``python -c script args``; returns the child and the first line it prints. The
    script waits on stdin; :func:`let_go` ends it."""
    child = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    return child, child.stdout.readline().strip()


def let_go(child: subprocess.Popen) -> None:
    """End the holder (its transaction rolls back)."""
    child.stdin.close()
    child.wait(timeout=30)
    child.stdout.close()
