"""The session library: one SQLite file of athletes, devices, sessions, sets, reps and samples.

``Library.open(path)`` migrates the file and recovers sessions whose recording process died
(``library.recovered`` lists them, for the app and the CLI to say so). A Library object is
used from the thread that opened it; other threads and processes open their own.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from desktop.library import db, locks, paths, rows
from desktop.library.errors import LibraryLockedError, SessionNotFoundError
from desktop.library.recovery import recover_orphans
from sensors.metrics import RepMetrics
from sensors.samples import SampleBlock


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """One row of the session list; times of day are UTC ISO 8601, durations in seconds."""

    id: int
    uuid: str
    started_at: str
    ended_at: str | None
    status: str
    athlete: str | None
    device_id: str | None
    source: str | None
    mount: str | None
    sample_count: int
    duration_s: float
    set_count: int
    rep_count: int
    imported_at: str | None


_SESSION_SELECT = """
SELECT s.id, s.uuid, s.started_at, s.ended_at, s.status, a.name, s.device_id, s.source,
       s.mount, s.sample_count, s.duration_s,
       (SELECT count(*) FROM sets WHERE session_id = s.id),
       (SELECT count(*) FROM reps WHERE session_id = s.id),
       s.imported_at
FROM sessions s LEFT JOIN athletes a ON a.id = s.athlete_id
"""


class Library:
    """An open session library; close it (or use ``with``) when done."""

    def __init__(self, path: Path, conn: sqlite3.Connection, busy_timeout_s: float) -> None:
        self.path = path
        self.busy_timeout_s = busy_timeout_s
        self._conn = conn
        self.recovered: list[SessionInfo] = []
        """Sessions closed as 'recovered' when this object opened the library."""

    @classmethod
    def open(
        cls, path: str | Path | None = None, *, busy_timeout_s: float = db.DEFAULT_BUSY_TIMEOUT_S
    ) -> Library:
        """Open (create, migrate, recover) the library file ``path``, a data folder holding
        one, or by default the one chosen by :func:`paths.library_path`."""
        path = resolve_path(path)
        lib = cls(path, db.connect(path, busy_timeout_s), busy_timeout_s)
        try:
            ids = recover_orphans(lib._conn, path)
            lib.recovered = [lib.session(i) for i in ids]
        except BaseException:
            lib.close()
            raise
        return lib

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transaction(self, action: str) -> AbstractContextManager[sqlite3.Connection]:
        """Context manager: one write transaction on this library, yielding the connection
        (for the modules of this package); errors are translated, changes rolled back."""
        return db.transaction(self._conn, self.path, action)

    def _read(self, action: str) -> AbstractContextManager[None]:
        return db.sql_errors(self.path, action)

    # --- sessions -------------------------------------------------------------------------

    def create_session(
        self,
        *,
        athlete: str | None = None,
        device: dict | None = None,
        source: str | None = None,
        mount: str | None = None,
        calibration: dict | None = None,
        plan_id: int | None = None,
    ) -> int:
        """A new session in status 'recording', locked by this process until finished.

        ``device``: {"id", "model", "firmware"} as announced by the sensor; ``calibration``:
        the calibration record (CalibrationRecord.to_dict()) the samples need.
        """
        with self.transaction("creating a session"):
            athlete_id = rows.athlete_id(self._conn, athlete) if athlete else None
            device_id = rows.register_device(self._conn, device) if device else None
            cur = self._conn.execute(
                "INSERT INTO sessions (uuid, athlete_id, device_id, plan_id, started_at, status, "
                "source, mount, calibration) VALUES (?, ?, ?, ?, ?, 'recording', ?, ?, ?)",
                (
                    str(uuid.uuid4()),
                    athlete_id,
                    device_id,
                    plan_id,
                    rows.now_iso(),
                    source,
                    mount,
                    None if calibration is None else json.dumps(calibration),
                ),
            )
            session_id = int(cur.lastrowid)
            if not locks.acquire(locks.lock_path(self.path, session_id)):
                raise LibraryLockedError(
                    f"session {session_id} is locked by another process: stale lock files in "
                    f"{self.path.parent / 'locks'}? Close other hipthrust windows and retry"
                )
        return session_id

    def finish_session(self, session_id: int, status: str = "complete") -> None:
        """Close a session this process recorded (or an orphan) and let go of its lock."""
        lock = locks.lock_path(self.path, session_id)
        if not locks.acquire(lock):
            raise LibraryLockedError(
                f"session {session_id} is being recorded by another process: stop it there"
            )
        try:
            with self.transaction(f"closing session {session_id}"):
                rows.finish(self._conn, session_id, status)
        finally:
            locks.release(lock)

    def list_sessions(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        athlete: str | None = None,
    ) -> list[SessionInfo]:
        """Sessions, newest first; ``since``/``until`` bound started_at (UTC ISO, until
        exclusive), ``athlete`` filters by name."""
        clauses, params = [], []
        if since:
            clauses.append("s.started_at >= ?")
            params.append(since)
        if until:
            clauses.append("s.started_at < ?")
            params.append(until)
        if athlete:
            clauses.append("a.name = ?")
            params.append(athlete)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        with self._read("listing sessions"):
            cur = self._conn.execute(
                f"{_SESSION_SELECT} {where} ORDER BY s.started_at DESC, s.id DESC", params
            )
            return [SessionInfo(*row) for row in cur]

    def session(self, session_id: int) -> SessionInfo:
        """One session; SessionNotFoundError if there is none with this id."""
        with self._read(f"reading session {session_id}"):
            row = self._conn.execute(f"{_SESSION_SELECT} WHERE s.id = ?", (session_id,)).fetchone()
        if row is None:
            raise SessionNotFoundError(
                f"no session {session_id} in {self.path}: `hipthrust sessions list` shows the ids"
            )
        return SessionInfo(*row)

    def session_details(self, session_id: int) -> dict:
        """What a replay needs beside the samples: device, calibration, mount, sets, notes."""
        info = self.session(session_id)
        with self._read(f"reading session {session_id}"):
            calibration, plan_id = self._conn.execute(
                "SELECT calibration, plan_id FROM sessions WHERE id = ?", (session_id,)
            ).fetchone()
            device = None
            if info.device_id:
                model, firmware = self._conn.execute(
                    "SELECT model, firmware FROM devices WHERE id = ?", (info.device_id,)
                ).fetchone()
                device = {"id": info.device_id, "model": model, "firmware": firmware}
            notes = [
                {"t_s": t, "created_at": c, "text": x}
                for t, c, x in self._conn.execute(
                    "SELECT t_s, created_at, text FROM notes WHERE session_id = ? ORDER BY id",
                    (session_id,),
                )
            ]
        return {
            "session_id": info.id,
            "uuid": info.uuid,
            "started_at": info.started_at,
            "ended_at": info.ended_at,
            "status": info.status,
            "athlete": info.athlete,
            "source": info.source,
            "mount": info.mount,
            "device": device,
            "calibration": None if calibration is None else json.loads(calibration),
            "plan_id": plan_id,
            "sets": self.sets(session_id),
            "notes": notes,
        }

    def sets(self, session_id: int) -> list[dict]:
        """The session's sets in order: id, idx, exercise, side, load_kg, targets, the
        summary columns (None until the analysis ended the set) and ``summary`` (SetSummary
        or None)."""
        with self._read(f"reading the sets of session {session_id}"):
            sets = rows.read_sets(self._conn, session_id)
        for entry in sets:
            entry["summary"] = rows.summary_from_row([entry[c] for c in rows.SUMMARY_COLUMNS])
        return sets

    def reps(self, session_id: int) -> list[RepMetrics]:
        """The session's counted reps in order."""
        with self._read(f"reading the reps of session {session_id}"):
            return rows.read_reps(self._conn, session_id)

    def rep_rows(self, session_id: int) -> Iterator[tuple[dict, RepMetrics]]:
        """Each rep with its set's fields (idx, exercise, side, load_kg), for exports."""
        sets = {s["id"]: s for s in self.sets(session_id)}
        cols = ", ".join(f'"{c}"' for c in rows.REP_COLUMNS)
        with self._read(f"reading the reps of session {session_id}"):
            cur = self._conn.execute(
                f'SELECT set_id, {cols} FROM reps WHERE session_id = ? ORDER BY "index", id',
                (session_id,),
            )
            data = cur.fetchall()
        for row in data:
            yield sets.get(row[0], {}), rows.rep_from_row(row[1:])

    def samples(self, session_id: int) -> SampleBlock:
        """Every stored sample of the session as one block (SI units, device time)."""
        self.session(session_id)
        with self._read(f"reading the samples of session {session_id}"):
            return rows.read_samples(self._conn, session_id)

    def chunk_blobs(self, session_id: int) -> Iterator[tuple[int, str, bytes]]:
        """(n, encoding, blob) of each stored chunk in order, as kept on disk."""
        with self._read(f"reading the samples of session {session_id}"):
            cur = self._conn.execute(
                "SELECT n, encoding, data FROM chunks WHERE session_id = ? ORDER BY seq",
                (session_id,),
            )
            yield from cur

    def delete_session(self, session_id: int) -> None:
        """Remove a session with its sets, reps, samples and notes."""
        self.session(session_id)
        lock = locks.lock_path(self.path, session_id)
        if locks.held_here(lock) or not locks.acquire(lock):
            raise LibraryLockedError(
                f"session {session_id} is being recorded right now: stop the recording first"
            )
        try:
            with self.transaction(f"deleting session {session_id}"):
                self._conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        finally:
            locks.release(lock)

    def add_note(self, session_id: int, text: str, t_s: float | None = None) -> int:
        """A free-text note on a session, optionally at device time ``t_s`` (s)."""
        self.session(session_id)
        with self.transaction(f"adding a note to session {session_id}"):
            cur = self._conn.execute(
                "INSERT INTO notes (session_id, t_s, created_at, text) VALUES (?, ?, ?, ?)",
                (session_id, t_s, rows.now_iso(), text),
            )
        return int(cur.lastrowid)

    # --- athletes and devices -------------------------------------------------------------

    def athlete_id(self, name: str) -> int:
        """The id of the athlete called ``name``, created if new (a station has a crew)."""
        with self.transaction("saving an athlete"):
            return rows.athlete_id(self._conn, name)

    def athletes(self) -> list[tuple[int, str]]:
        """(id, name) of every athlete, by name."""
        with self._read("listing athletes"):
            return self._conn.execute("SELECT id, name FROM athletes ORDER BY name").fetchall()

    def register_device(self, device_id: str, model: str | None, firmware: str | None) -> None:
        """Remember a sensor (first sighting kept; model and firmware updated)."""
        with self.transaction("saving a device"):
            rows.register_device(
                self._conn, {"id": device_id, "model": model, "firmware": firmware}
            )

    # --- plans, assessments, calibrations (JSON records) ----------------------------------

    def save_plan(self, name: str, data: dict, plan_id: int | None = None) -> int:
        """Store a plan (new, or replacing ``plan_id``); returns its id."""
        text = json.dumps(data, sort_keys=True)
        with self.transaction("saving a plan"):
            if plan_id is None:
                cur = self._conn.execute(
                    "INSERT INTO plans (name, created_at, data) VALUES (?, ?, ?)",
                    (name, rows.now_iso(), text),
                )
                return int(cur.lastrowid)
            cur = self._conn.execute(
                "UPDATE plans SET name = ?, data = ? WHERE id = ?", (name, text, plan_id)
            )
            if cur.rowcount == 0:
                raise SessionNotFoundError(f"no plan {plan_id} to replace in {self.path}")
            return plan_id

    def load_plan(self, plan_id: int) -> dict:
        """The data of plan ``plan_id``; SessionNotFoundError if missing."""
        with self._read("reading a plan"):
            row = self._conn.execute("SELECT data FROM plans WHERE id = ?", (plan_id,)).fetchone()
        if row is None:
            raise SessionNotFoundError(f"no plan {plan_id} in {self.path}")
        return json.loads(row[0])

    def list_plans(self) -> list[tuple[int, str, str]]:
        """(id, name, created_at) of every plan, newest first."""
        with self._read("listing plans"):
            return self._conn.execute(
                "SELECT id, name, created_at FROM plans ORDER BY id DESC"
            ).fetchall()

    def delete_plan(self, plan_id: int) -> None:
        """Remove a plan (sessions that used it keep their data)."""
        with self.transaction("deleting a plan"):
            self._conn.execute("DELETE FROM plans WHERE id = ?", (plan_id,))

    def save_assessment(
        self, kind: str, athlete_id: int, data: dict, session_id: int | None = None
    ) -> int:
        """Store an assessment (e.g. kind 'hip_extension_test') of an athlete; returns its id."""
        with self.transaction("saving an assessment"):
            cur = self._conn.execute(
                "INSERT INTO assessments (kind, athlete_id, session_id, created_at, data) "
                "VALUES (?, ?, ?, ?, ?)",
                (kind, athlete_id, session_id, rows.now_iso(), json.dumps(data, sort_keys=True)),
            )
        return int(cur.lastrowid)

    def list_assessments(self, athlete_id: int, kind: str | None = None) -> list[dict]:
        """An athlete's assessments, newest first: id, kind, session_id, created_at, data."""
        sql = "SELECT id, kind, session_id, created_at, data FROM assessments WHERE athlete_id = ?"
        params: list = [athlete_id]
        if kind:
            sql += " AND kind = ?"
            params.append(kind)
        with self._read("listing assessments"):
            cur = self._conn.execute(sql + " ORDER BY id DESC", params)
            return [
                {"id": i, "kind": k, "session_id": s, "created_at": c, "data": json.loads(d)}
                for i, k, s, c, d in cur
            ]

    def save_calibration(self, device_id: str, data: dict) -> int:
        """Store a calibration record of a device (registered if new); returns its id."""
        with self.transaction("saving a calibration"):
            rows.register_device(self._conn, {"id": device_id})
            cur = self._conn.execute(
                "INSERT INTO calibrations (device_id, created_at, data) VALUES (?, ?, ?)",
                (device_id, rows.now_iso(), json.dumps(data, sort_keys=True)),
            )
        return int(cur.lastrowid)

    def latest_calibration(self, device_id: str) -> dict | None:
        """The newest calibration record of a device, or None."""
        with self._read("reading a calibration"):
            row = self._conn.execute(
                "SELECT data FROM calibrations WHERE device_id = ? ORDER BY id DESC LIMIT 1",
                (device_id,),
            ).fetchone()
        return None if row is None else json.loads(row[0])

    def athlete_sets(self, athlete_id: int) -> list[dict]:
        """Every set of an athlete, oldest first, for the planner: session_id, date (UTC ISO),
        idx, exercise, side, load_kg, targets, rep_count, holds_s and roms_m (per rep)."""
        with self._read("reading an athlete's sets"):
            cur = self._conn.execute(
                "SELECT st.id, st.session_id, s.started_at, st.idx, st.exercise, st.side, "
                "st.load_kg, st.targets, r.id, r.hold_s, r.rom_m "
                "FROM sets st JOIN sessions s ON s.id = st.session_id "
                "LEFT JOIN reps r ON r.set_id = st.id "
                'WHERE s.athlete_id = ? ORDER BY s.started_at, st.idx, r."index"',
                (athlete_id,),
            )
            result: dict[int, dict] = {}
            for set_id, sid, date, idx, exercise, side, load, targets, rep, hold, rom in cur:
                entry = result.get(set_id)
                if entry is None:
                    entry = result[set_id] = {
                        "session_id": sid,
                        "date": date,
                        "idx": idx,
                        "exercise": exercise,
                        "side": side,
                        "load_kg": load,
                        "targets": json.loads(targets),
                        "rep_count": 0,
                        "holds_s": [],
                        "roms_m": [],
                    }
                if rep is not None:
                    entry["rep_count"] += 1
                    entry["holds_s"].append(rows.as_float(hold))
                    entry["roms_m"].append(rows.as_float(rom))
            return list(result.values())


def resolve_path(path: str | Path | None) -> Path:
    """The absolute library file for None (the default), a data folder, or a file path (one
    that exists as a file or has a suffix such as .sqlite3)."""
    if path is None:
        return paths.library_path().resolve()
    path = Path(path).expanduser()
    if path.is_dir() or (not path.exists() and not path.suffix):
        path = path / paths.LIBRARY_FILE
    return path.resolve()
