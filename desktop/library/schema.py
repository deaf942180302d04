"""Library schema: a list of forward migrations; ``user_version`` holds the version reached.

Migration k takes a library from version k-1 to k inside one transaction. Released migrations
are never edited: a change is a new migration appended to MIGRATIONS, tested from every
earlier version (tests/desktop/library/test_schema.py).
"""

from __future__ import annotations

import sqlite3

from desktop.library.errors import LibraryVersionError

APPLICATION_ID = 0x48495054
"""'HIPT': marks an SQLite file as a hipthrust library (PRAGMA application_id)."""

_V1 = """
CREATE TABLE athletes (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    model TEXT,
    firmware TEXT,
    first_seen TEXT NOT NULL
);
CREATE TABLE calibrations (
    id INTEGER PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX calibrations_device ON calibrations(device_id, id);
CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    athlete_id INTEGER REFERENCES athletes(id) ON DELETE SET NULL,
    device_id TEXT REFERENCES devices(id) ON DELETE SET NULL,
    plan_id INTEGER REFERENCES plans(id) ON DELETE SET NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    status TEXT NOT NULL,
    source TEXT,
    mount TEXT,
    calibration TEXT,
    sample_count INTEGER NOT NULL DEFAULT 0,
    duration_s REAL NOT NULL DEFAULT 0,
    imported_at TEXT
);
CREATE INDEX sessions_started ON sessions(started_at);
CREATE INDEX sessions_status ON sessions(status);
CREATE TABLE sets (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    exercise TEXT,
    side TEXT,
    load_kg REAL,
    targets TEXT NOT NULL DEFAULT '{}',
    analysis_index INTEGER,
    start_s REAL,
    end_s REAL,
    rep_count INTEGER,
    mean_hold_s REAL,
    mean_rom_m REAL,
    rom_loss_pct REAL,
    velocity_loss_pct REAL,
    UNIQUE (session_id, idx)
);
CREATE TABLE reps (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    set_id INTEGER REFERENCES sets(id) ON DELETE CASCADE,
    "index" INTEGER NOT NULL,
    set_index INTEGER NOT NULL,
    start_s REAL,
    top_s REAL,
    end_s REAL,
    hold_s REAL,
    rom_m REAL,
    concentric_s REAL,
    eccentric_s REAL,
    bottom_pause_s REAL,
    mean_velocity_mps REAL,
    peak_velocity_mps REAL,
    forward_at_top_m REAL,
    tilt_change_deg REAL
);
CREATE INDEX reps_session ON reps(session_id, "index");
CREATE INDEX reps_set ON reps(set_id);
CREATE TABLE chunks (
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    t_first REAL NOT NULL,
    t_last REAL NOT NULL,
    n INTEGER NOT NULL,
    encoding TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (session_id, seq)
) WITHOUT ROWID;
CREATE TABLE assessments (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    athlete_id INTEGER REFERENCES athletes(id) ON DELETE CASCADE,
    session_id INTEGER REFERENCES sessions(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX assessments_athlete ON assessments(athlete_id, kind);
CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    t_s REAL,
    created_at TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX notes_session ON notes(session_id);
"""

_V2 = """
CREATE INDEX sessions_athlete ON sessions(athlete_id, started_at);
"""
"""An athlete's sessions by date: the planner's history and `sessions list --athlete`."""

_V3 = """
CREATE TABLE chunks_v3 (
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    t_first REAL NOT NULL,
    t_last REAL NOT NULL,
    n INTEGER NOT NULL,
    encoding TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (session_id, seq)
);
INSERT INTO chunks_v3 SELECT session_id, seq, t_first, t_last, n, encoding, data FROM chunks;
DROP TABLE chunks;
ALTER TABLE chunks_v3 RENAME TO chunks;
"""
"""Chunks in a rowid table: rows of several kB fit it better than WITHOUT ROWID (about 10 %
smaller files at 200 Hz)."""

MIGRATIONS: tuple[str, ...] = (_V1, _V2, _V3)
"""MIGRATIONS[k - 1] takes a library from version k - 1 to version k."""

VERSION = len(MIGRATIONS)
"""The schema version this code writes."""


def check(conn: sqlite3.Connection) -> int:
    """The schema version of ``conn``'s file (0 for an empty file), read without writing.

    Refuses (LibraryVersionError) a file from a newer schema or from another application.
    """
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    found = conn.execute("PRAGMA user_version").fetchone()[0]
    foreign = app_id not in (0, APPLICATION_ID) or (app_id == 0 and found != 0)
    if foreign or (found == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]):
        raise LibraryVersionError(
            "this file is an SQLite database but not a hipthrust library: "
            "point --data-dir at a folder of its own"
        )
    if found > VERSION:
        raise LibraryVersionError(
            f"the library is at schema version {found}, newer than this hipthrust "
            f"understands ({VERSION}): update hipthrust on this station"
        )
    return found


def migrate(conn: sqlite3.Connection, target: int = VERSION) -> int:
    """Bring ``conn`` up to ``target`` after :func:`check`; returns the version found before."""
    found = check(conn)
    for version in range(found + 1, target + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(MIGRATIONS[version - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {version}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return found


def _statements(script: str) -> list[str]:
    """Split a migration script on ';' (our scripts hold no ';' inside literals)."""
    return [s.strip() for s in script.split(";") if s.strip()]
