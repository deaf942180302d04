"""Another process holding the library or a session: clear LibraryLockedError, no hang."""

from __future__ import annotations

import pytest
from lockholder import hold_write_lock, let_go, run_until_told

from desktop.library import Library, LibraryLockedError, Recorder

SESSION_HOLDER = """
import sys
from desktop.library import Library
lib = Library.open(sys.argv[1])
print(lib.create_session(), flush=True)
sys.stdin.readline()
"""


def test_a_write_lock_held_elsewhere_gives_a_clear_message(tmp_path):
    with Library.open(tmp_path) as library:
        sid = library.create_session()
        library.finish_session(sid)
    child = hold_write_lock(tmp_path / "library.sqlite3")
    try:
        with Library.open(tmp_path, busy_timeout_s=0.1) as library:
            assert library.session(sid).status == "complete"  # reading still works
            with pytest.raises(LibraryLockedError, match="locked by another process"):
                library.delete_session(sid)
    finally:
        let_go(child)
    with Library.open(tmp_path) as library:
        library.delete_session(sid)


def test_an_exclusively_locked_library_cannot_be_opened(tmp_path):
    Library.open(tmp_path).close()
    child = hold_write_lock(tmp_path / "library.sqlite3", exclusive=True)
    try:
        with pytest.raises(LibraryLockedError, match="close it or wait"):
            Library.open(tmp_path, busy_timeout_s=0.1)
    finally:
        let_go(child)
    Library.open(tmp_path).close()


def test_a_session_recorded_by_a_live_process_is_not_recovered_or_taken(tmp_path):
    Library.open(tmp_path).close()
    child, said = run_until_told(SESSION_HOLDER, str(tmp_path))
    sid = int(said)
    try:
        with Library.open(tmp_path) as library:
            assert library.recovered == []
            assert library.session(sid).status == "recording"
            with pytest.raises(LibraryLockedError, match="another process"):
                Recorder(library, sid)
            with pytest.raises(LibraryLockedError, match="being recorded"):
                library.delete_session(sid)
    finally:
        let_go(child)
    with Library.open(tmp_path) as library:
        assert [s.id for s in library.recovered] == [sid]
