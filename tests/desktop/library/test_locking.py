"""Another process holding the library or a session: clear LibraryLockedError, no hang."""

from __future__ import annotations

import subprocess
import sys

import pytest

from desktop.library import Library, LibraryLockedError, Recorder

HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
if sys.argv[2] == "exclusive":
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO notes (session_id, created_at, text) SELECT id, 'x', 'x' FROM sessions")
print("held", flush=True)
sys.stdin.readline()
"""

SESSION_HOLDER = """
import sys
from desktop.library import Library
lib = Library.open(sys.argv[1])
print(lib.create_session(), flush=True)
sys.stdin.readline()
"""


def _hold(script: str, *args: str) -> subprocess.Popen:
    child = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    child.ready = child.stdout.readline().strip()
    return child


def _release(child: subprocess.Popen) -> None:
    child.stdin.write("\n")
    child.stdin.close()
    child.wait(timeout=30)
    child.stdout.close()


def test_a_write_lock_held_elsewhere_gives_a_clear_message(tmp_path):
    with Library.open(tmp_path) as library:
        sid = library.create_session()
        library.finish_session(sid)
    child = _hold(HOLDER, str(tmp_path / "library.sqlite3"), "normal")
    try:
        with Library.open(tmp_path, busy_timeout_s=0.1) as library:
            assert library.session(sid).status == "complete"  # reading still works
            with pytest.raises(LibraryLockedError, match="locked by another process"):
                library.delete_session(sid)
    finally:
        _release(child)
    with Library.open(tmp_path) as library:
        library.delete_session(sid)


def test_an_exclusively_locked_library_cannot_be_opened(tmp_path):
    Library.open(tmp_path).close()
    child = _hold(HOLDER, str(tmp_path / "library.sqlite3"), "exclusive")
    try:
        with pytest.raises(LibraryLockedError, match="close it or wait"):
            Library.open(tmp_path, busy_timeout_s=0.1)
    finally:
        _release(child)
    Library.open(tmp_path).close()


def test_a_session_recorded_by_a_live_process_is_not_recovered_or_taken(tmp_path):
    Library.open(tmp_path).close()
    child = _hold(SESSION_HOLDER, str(tmp_path))
    sid = int(child.ready)
    try:
        with Library.open(tmp_path) as library:
            assert library.recovered == []
            assert library.session(sid).status == "recording"
            with pytest.raises(LibraryLockedError, match="another process"):
                Recorder(library, sid)
            with pytest.raises(LibraryLockedError, match="being recorded"):
                library.delete_session(sid)
    finally:
        _release(child)
    with Library.open(tmp_path) as library:
        assert [s.id for s in library.recovered] == [sid]
