"""Recorder: writes one session's samples, sets and reps from a writer thread it owns.

A producer thread calls ``add_block``, ``add_events`` and ``begin_set``; they only queue. The
writer thread holds the session's lock and connection and commits everything queued at least
every ``flush_interval_s`` (one chunk per flush), so a crash loses at most that much. While
another process holds the library's write lock, samples wait in memory (up to MAX_BACKLOG). A
write error (disk full) stops the recording: committed data stays, the producer's next call
raises.
"""

from __future__ import annotations

import json
import math
import queue
import sqlite3
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from desktop.library import db, locks, rows
from desktop.library.errors import LibraryError, LibraryLockedError, LibraryWriteError
from desktop.library.store import Library, resolve_path
from sensors.errors import InputError
from sensors.events import RepCompleted, SetEnded
from sensors.samples import SampleBlock

MAX_CHUNK = 60_000
"""Most samples per stored chunk (a minute at 1000 Hz); bigger backlogs are split."""

MAX_BACKLOG = 600_000
"""Most samples waiting for the disk (10 min at 1000 Hz, about 34 MB) before recording stops."""

_STOP = object()


class Recorder:
    """Record into the existing session ``session_id`` (status 'recording') of a library.

    ``library``: an open Library, or the path of a library file or data folder. Call
    ``close()`` at the end: it commits what is queued and marks the session 'complete'.
    """

    def __init__(
        self,
        library: Library | str | Path,
        session_id: int,
        *,
        flush_interval_s: float = 0.5,
    ) -> None:
        if isinstance(library, Library):
            self._path, self._timeout = library.path, library.busy_timeout_s
        else:
            self._path, self._timeout = resolve_path(library), db.DEFAULT_BUSY_TIMEOUT_S
        if not 0 < flush_interval_s <= 1.0:
            raise ValueError(f"flush_interval_s must be in (0, 1] s, got {flush_interval_s}")
        self.session_id = session_id
        self._interval = flush_interval_s
        self._lock = locks.lock_path(self._path, session_id)
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._error: LibraryError | None = None
        self._error_raised = False
        self._last_t = -math.inf
        self._closed = False
        self._samples_queued = 0  # producer's count; the backlog is this minus samples_written
        self.samples_written = 0
        """Samples committed so far (updated by the writer thread)."""
        if not locks.acquire(self._lock):
            raise LibraryLockedError(
                f"session {session_id} is being recorded by another process: stop that "
                "recording first"
            )
        ready = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(ready,), name=f"recorder-{session_id}", daemon=True
        )
        self._thread.start()
        ready.wait()
        if self._error is not None:
            self._thread.join()
            locks.release(self._lock)
            self._error_raised = True
            raise self._error

    # --- producer side ----------------------------------------------------------------------

    def add_block(self, block: SampleBlock) -> None:
        """Queue samples; their times must continue after the previous block's."""
        self._check()
        if not len(block):
            return
        if block.t[0] <= self._last_t:
            raise InputError(
                f"samples at t={block.t[0]:.6f} s do not follow the previous ones "
                f"(t={self._last_t:.6f} s): start a new session after a device restart"
            )
        if self._samples_queued - self.samples_written > MAX_BACKLOG:
            self._error = LibraryWriteError(
                f"the library {self._path} has not taken samples for too long (locked by "
                "another process, or a very slow disk): recording stopped, "
                f"{self.samples_written} samples kept. Close other hipthrust windows"
            )
            self._check()
        self._last_t = float(block.t[-1])
        self._samples_queued += len(block)
        self._queue.put(block)

    def add_events(self, events: Iterable[object]) -> None:
        """Queue analysis events; RepCompleted and SetEnded are stored, others ignored."""
        self._check()
        for event in events:
            if isinstance(event, RepCompleted | SetEnded):
                self._queue.put(event)

    def begin_set(
        self, exercise: str, side: str | None, load_kg: float | None, targets: dict
    ) -> None:
        """Start a planned set: reps that follow belong to it (side: left, right or None)."""
        self._check()
        self._queue.put(("set", exercise, side, load_kg, dict(targets)))

    @property
    def error(self) -> LibraryError | None:
        """The write error that stopped the recording, if any."""
        return self._error

    def close(self) -> None:
        """Commit what is queued, mark the session complete and release it.

        Raises the write error that stopped the recording if no earlier call raised it.
        """
        if not self._closed:
            self._closed = True
            self._queue.put(_STOP)
            self._thread.join()
            locks.release(self._lock)
        if self._error is not None and not self._error_raised:
            self._error_raised = True
            raise self._error

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check(self) -> None:
        if self._error is not None:
            self._error_raised = True
            raise self._error
        if self._closed:
            raise LibraryError(f"the recorder of session {self.session_id} is closed")

    # --- writer thread ------------------------------------------------------------------------

    def _run(self, ready: threading.Event) -> None:
        conn = None
        try:
            conn = db.connect(self._path, self._timeout)
            self._writer = _SessionWriter(conn, self._path, self.session_id)
        except LibraryError as exc:
            self._error = exc
        finally:
            ready.set()
        try:
            if self._error is None:
                self._loop()
        except Exception as exc:  # surfaced to the producer: a thread must not die silently
            self._error = LibraryWriteError(
                f"recording session {self.session_id} stopped on an unexpected error "
                f"({exc!r}); what was saved before is kept"
            )
        finally:
            if conn is not None:
                conn.close()

    def _loop(self) -> None:
        pending: list = []
        deadline = time.monotonic() + self._interval
        stopping = False
        while not (stopping and not pending):
            try:
                item = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                item = None
            while item is not None:
                if item is _STOP:
                    stopping = True
                else:
                    pending.append(item)
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    item = None
            if stopping or time.monotonic() >= deadline:
                pending = self._flush(pending, last=stopping)
                deadline = time.monotonic() + self._interval
        if self._error is None:
            self._finish("complete")

    def _flush(self, items: list, last: bool) -> list:
        """Commit ``items``; returns what must wait for another try (the library is locked)."""
        if not items or self._error is not None:
            return []
        try:
            self.samples_written += self._writer.write(items)
        except LibraryLockedError as exc:
            if not last:
                return items  # another process is writing: keep the items, try again soon
            self._error = exc
        except LibraryError as exc:
            self._error = exc
            self._finish("stopped")
        return []

    def _finish(self, status: str) -> None:
        try:
            self._writer.finish(status)
        except LibraryError as exc:
            if self._error is None:
                self._error = exc


class _SessionWriter:
    """The writer thread's view of one session: chunk numbering and the current set."""

    def __init__(self, conn: sqlite3.Connection, path: Path, session_id: int) -> None:
        self._conn, self._path, self._sid = conn, path, session_id
        with db.sql_errors(path, f"opening session {session_id} for recording"):
            row = conn.execute(
                "SELECT status, (SELECT coalesce(max(seq), -1) + 1 FROM chunks "
                "WHERE session_id = ?) FROM sessions WHERE id = ?",
                (session_id, session_id),
            ).fetchone()
            if row is None or row[0] != "recording":
                raise LibraryError(
                    f"session {session_id} is not open for recording "
                    f"({'missing' if row is None else row[0]}): create a new session"
                )
            self._seq = int(row[1])
            last = conn.execute(
                "SELECT id, analysis_index, exercise, side, load_kg, targets FROM sets "
                "WHERE session_id = ? ORDER BY idx DESC LIMIT 1",
                (session_id,),
            ).fetchone()
        if last is not None:
            last = (*last[:5], json.loads(last[5]))
        self._set = last  # (id, analysis_index, exercise, side, load_kg, targets) or None

    def write(self, items: list) -> int:
        """Commit queued items in one transaction; returns the number of samples stored."""
        blocks = [item for item in items if isinstance(item, SampleBlock)]
        samples = SampleBlock.concat(blocks)
        seq, current_set = self._seq, self._set
        try:
            self._write(items, samples)
        except BaseException:
            self._seq, self._set = seq, current_set  # the transaction was rolled back
            raise
        return len(samples)

    def _write(self, items: list, samples: SampleBlock) -> None:
        with db.transaction(self._conn, self._path, f"recording session {self._sid}"):
            for start in range(0, len(samples), MAX_CHUNK):
                rows.insert_chunk(
                    self._conn, self._sid, self._seq, samples[start : start + MAX_CHUNK]
                )
                self._seq += 1
            for item in items:
                if isinstance(item, tuple):
                    self._new_set(*item[1:])
                elif isinstance(item, RepCompleted):
                    rows.insert_rep(
                        self._conn, self._sid, self._set_for(item.rep.set_index), item.rep
                    )
                elif isinstance(item, SetEnded):
                    rows.update_set_summary(self._conn, self._ended_set(item), item.summary)
            if len(samples):
                rows.refresh_counts(self._conn, self._sid)

    def finish(self, status: str) -> None:
        with db.transaction(self._conn, self._path, f"closing session {self._sid}"):
            rows.finish(self._conn, self._sid, status)

    def _new_set(
        self,
        exercise: str | None,
        side: str | None,
        load_kg: float | None,
        targets: dict | None,
        analysis_index: int | None = None,
    ) -> None:
        set_id = rows.insert_set(
            self._conn,
            self._sid,
            exercise=exercise,
            side=side,
            load_kg=load_kg,
            targets=targets,
            analysis_index=analysis_index,
        )
        self._set = (set_id, analysis_index, exercise, side, load_kg, targets)

    def _ended_set(self, event: SetEnded) -> int:
        """The row a SetEnded belongs to: the latest with its analysis index (the user may
        have begun the next set before the analysis ended this one)."""
        row = self._conn.execute(
            "SELECT id FROM sets WHERE session_id = ? AND analysis_index = ? "
            "ORDER BY idx DESC LIMIT 1",
            (self._sid, event.summary.index),
        ).fetchone()
        return int(row[0]) if row else self._set_for(event.summary.index)

    def _set_for(self, analysis_index: int) -> int:
        """The set row of the analysis' set ``analysis_index``: the current planned set, or a
        copy of it when the analysis found a new set without a begin_set."""
        if self._set is None:
            self._new_set(None, None, None, None, analysis_index)
        elif self._set[1] is None:
            self._conn.execute(
                "UPDATE sets SET analysis_index = ? WHERE id = ?", (analysis_index, self._set[0])
            )
            self._set = (self._set[0], analysis_index, *self._set[2:])
        elif self._set[1] != analysis_index:
            self._new_set(*self._set[2:], analysis_index)
        return self._set[0]
