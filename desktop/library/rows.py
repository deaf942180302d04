"""Row-level reads and writes shared by the Library, the Recorder and import.

Functions take an open connection and never commit: the caller owns the transaction. NaN
metrics are stored as NULL and read back as NaN; times of day are UTC ISO 8601 strings.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from datetime import UTC, datetime, timedelta

from desktop.library import chunks
from sensors.errors import InputError
from sensors.metrics import RepMetrics, SetSummary
from sensors.samples import SampleBlock

REP_COLUMNS = tuple(RepMetrics.field_names())
"""Columns of the reps table holding RepMetrics fields, in dataclass order."""

SUMMARY_COLUMNS = ("analysis_index", *SetSummary.field_names()[1:])
"""Columns of the sets table holding SetSummary fields (``index`` is ``analysis_index``)."""

STATUSES = ("recording", "complete", "recovered", "stopped")
"""recording: in progress; complete: closed normally; recovered: the recording process died,
kept up to its last chunk; stopped: a write error (disk full) ended the recording early."""

ATHLETE_NAME = re.compile(r"^\w[\w .,'-]{0,79}$")
"""Allowed athlete names: letters, digits, space and . , ' - (up to 80 characters)."""

_REP_SQL = ", ".join(f'"{c}"' for c in REP_COLUMNS)


def now_iso() -> str:
    """The current time as stored: UTC, ISO 8601, whole seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def insert_chunk(conn: sqlite3.Connection, session_id: int, seq: int, block: SampleBlock) -> None:
    """Store one chunk of samples (``len(block) > 0``) under sequence number ``seq``."""
    insert_chunk_blob(
        conn, session_id, seq, float(block.t[0]), float(block.t[-1]), len(block),
        chunks.encode(block),
    )  # fmt: skip


def insert_chunk_blob(
    conn: sqlite3.Connection,
    session_id: int,
    seq: int,
    t_first: float,
    t_last: float,
    n: int,
    blob: bytes,
) -> None:
    """Store an already encoded chunk (chunks.ENCODING) of ``n`` samples."""
    conn.execute(
        "INSERT INTO chunks (session_id, seq, t_first, t_last, n, encoding, data) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (session_id, seq, t_first, t_last, n, chunks.ENCODING, blob),
    )


def refresh_counts(conn: sqlite3.Connection, session_id: int) -> None:
    """Set the session's sample_count and duration_s from its chunks."""
    conn.execute(
        "UPDATE sessions SET (sample_count, duration_s) = "
        "(SELECT coalesce(sum(n), 0), coalesce(max(t_last) - min(t_first), 0) "
        " FROM chunks WHERE session_id = ?) WHERE id = ?",
        (session_id, session_id),
    )


def insert_set(
    conn: sqlite3.Connection,
    session_id: int,
    *,
    exercise: str | None,
    side: str | None,
    load_kg: float | None,
    targets: dict | None,
    analysis_index: int | None = None,
    idx: int | None = None,
) -> int:
    """A new set (number ``idx``, by default after the last one); returns its row id."""
    if idx is None:
        idx = conn.execute(
            "SELECT coalesce(max(idx), 0) + 1 FROM sets WHERE session_id = ?", (session_id,)
        ).fetchone()[0]
    cur = conn.execute(
        "INSERT INTO sets (session_id, idx, exercise, side, load_kg, targets, analysis_index) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            session_id,
            idx,
            exercise,
            side,
            load_kg,
            json.dumps(targets or {}, sort_keys=True),
            analysis_index,
        ),
    )
    return int(cur.lastrowid)


def update_set_summary(conn: sqlite3.Connection, set_id: int, summary: SetSummary) -> None:
    """Store the analysis' summary of a set on its row."""
    values = [summary.index, *(getattr(summary, c) for c in SUMMARY_COLUMNS[1:])]
    update_set_fields(conn, set_id, dict(zip(SUMMARY_COLUMNS, values, strict=True)))


def update_set_fields(conn: sqlite3.Connection, set_id: int, values: dict) -> None:
    """Set SUMMARY_COLUMNS of a set row from ``values`` (NaN stored as NULL)."""
    assignments = ", ".join(f"{c} = ?" for c in SUMMARY_COLUMNS)
    params = [_sql(values[c]) for c in SUMMARY_COLUMNS]
    conn.execute(f"UPDATE sets SET {assignments} WHERE id = ?", (*params, set_id))


def read_sets(conn: sqlite3.Connection, session_id: int) -> list[dict]:
    """The session's set rows in order: id, idx, exercise, side, load_kg, targets (dict) and
    SUMMARY_COLUMNS (None where not known)."""
    cols = ", ".join(SUMMARY_COLUMNS)
    cur = conn.execute(
        f"SELECT id, idx, exercise, side, load_kg, targets, {cols} FROM sets "
        "WHERE session_id = ? ORDER BY idx",
        (session_id,),
    )
    keys = ("id", "idx", "exercise", "side", "load_kg", "targets", *SUMMARY_COLUMNS)
    result = [dict(zip(keys, row, strict=True)) for row in cur]
    for entry in result:
        entry["targets"] = json.loads(entry["targets"])
    return result


def insert_rep(
    conn: sqlite3.Connection, session_id: int, set_id: int | None, rep: RepMetrics
) -> None:
    """Store one counted rep with every metric."""
    values = [_sql(getattr(rep, c)) for c in REP_COLUMNS]
    marks = ", ".join("?" * (len(REP_COLUMNS) + 2))
    conn.execute(
        f"INSERT INTO reps (session_id, set_id, {_REP_SQL}) VALUES ({marks})",
        (session_id, set_id, *values),
    )


def read_reps(conn: sqlite3.Connection, session_id: int) -> list[RepMetrics]:
    """The session's reps in order."""
    rows = conn.execute(
        f'SELECT {_REP_SQL} FROM reps WHERE session_id = ? ORDER BY "index", id', (session_id,)
    )
    return [rep_from_row(row) for row in rows]


def rep_from_row(row: tuple) -> RepMetrics:
    """RepMetrics from the REP_COLUMNS values of one row (NULL -> NaN)."""
    values = dict(zip(REP_COLUMNS, row, strict=True))
    return RepMetrics(
        **{k: (int(v) if k in ("index", "set_index") else as_float(v)) for k, v in values.items()}
    )


def rep_from_dict(data: dict) -> RepMetrics:
    """RepMetrics from a RepMetrics.to_dict()-style mapping (None -> NaN, other keys ignored)."""
    return RepMetrics(**{k: (float("nan") if data[k] is None else data[k]) for k in REP_COLUMNS})


def summary_from_row(row: tuple) -> SetSummary | None:
    """SetSummary from the SUMMARY_COLUMNS values of a set row; None if not analysed yet."""
    if row[0] is None or row[3] is None:
        return None
    index, start_s, end_s, rep_count, *rest = row
    return SetSummary(
        int(index), as_float(start_s), as_float(end_s), int(rep_count), *map(as_float, rest)
    )


def read_samples(conn: sqlite3.Connection, session_id: int) -> SampleBlock:
    """Every stored sample of the session, in order, as one block."""
    rows = conn.execute(
        "SELECT n, data FROM chunks WHERE session_id = ? ORDER BY seq", (session_id,)
    )
    return SampleBlock.concat(chunks.decode(data, n) for n, data in rows)


def finish(conn: sqlite3.Connection, session_id: int, status: str) -> None:
    """Set the final status, counts and end time (start + duration) of a session."""
    if status not in STATUSES:
        raise ValueError(f"unknown session status {status!r}")
    refresh_counts(conn, session_id)
    started, duration = conn.execute(
        "SELECT started_at, duration_s FROM sessions WHERE id = ?", (session_id,)
    ).fetchone()
    ended = datetime.fromisoformat(started) + timedelta(seconds=duration)
    conn.execute(
        "UPDATE sessions SET status = ?, ended_at = ? WHERE id = ?",
        (status, ended.isoformat(timespec="seconds"), session_id),
    )


def athlete_id(conn: sqlite3.Connection, name: str) -> int:
    """The id of the athlete called ``name`` (spaces trimmed), created if new."""
    name = name.strip()
    if not ATHLETE_NAME.match(name):
        raise InputError(
            f"athlete name {name[:40]!r}: use letters, digits, spaces and . , ' - "
            "(1 to 80 characters)"
        )
    row = conn.execute("SELECT id FROM athletes WHERE name = ?", (name,)).fetchone()
    if row:
        return int(row[0])
    cur = conn.execute("INSERT INTO athletes (name, created_at) VALUES (?, ?)", (name, now_iso()))
    return int(cur.lastrowid)


def register_device(conn: sqlite3.Connection, device: dict) -> str:
    """Insert or update a device from {"id", "model", "firmware"}; returns its id."""
    device_id = str(device["id"])
    conn.execute(
        "INSERT INTO devices (id, model, firmware, first_seen) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET model = coalesce(excluded.model, model), "
        "firmware = coalesce(excluded.firmware, firmware)",
        (device_id, device.get("model"), device.get("firmware"), now_iso()),
    )
    return device_id


def _sql(value: float | int | None) -> float | int | None:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def as_float(value: float | None) -> float:
    """A stored REAL back as float, NULL as NaN."""
    return float("nan") if value is None else float(value)
