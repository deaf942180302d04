"""Schema: migrations from every earlier version reach the same schema and keep the data;
newer or foreign files are refused."""

from __future__ import annotations

import sqlite3

import pytest
from libdata import make_block, make_rep, rep_dicts, same_block

from desktop.library import Library, LibraryVersionError, chunks, schema

_V1_REP = (
    "index", "set_index", "start_s", "top_s", "end_s", "hold_s", "rom_m", "concentric_s",
    "eccentric_s", "bottom_pause_s", "mean_velocity_mps", "peak_velocity_mps",
    "forward_at_top_m", "tilt_change_deg",
)  # fmt: skip


def _layout(path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        objects = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
        return [*sorted(objects, key=repr), conn.execute("PRAGMA user_version").fetchone()]
    finally:
        conn.close()


def _library_at(path, version: int) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    schema.migrate(conn, target=version)
    return conn


def _fill_v1(conn: sqlite3.Connection) -> None:
    """A session as version 1 stored it, in plain SQL (every table version 1 has)."""
    conn.execute("INSERT INTO athletes (id, name, created_at) VALUES (1, 'Ada', '2026-01-01')")
    conn.execute("INSERT INTO devices VALUES ('HT-1', 'm', '1.0', '2026-01-01')")
    conn.execute(
        "INSERT INTO sessions (id, uuid, athlete_id, device_id, started_at, status) "
        "VALUES (1, '7c0e6f7a-1111-4222-8333-944455556666', 1, 'HT-1', "
        "'2026-01-01T10:00:00+00:00', 'complete')"
    )
    conn.execute(
        "INSERT INTO sets (id, session_id, idx, exercise, load_kg, targets) "
        "VALUES (1, 1, 1, 'hip_thrust', 40.0, '{\"reps\": 8}')"
    )
    rep = make_rep(1)
    conn.execute(
        f"INSERT INTO reps (session_id, set_id, {', '.join(f'[{c}]' for c in _V1_REP)}) "
        f"VALUES (1, 1, {', '.join('?' * len(_V1_REP))})",
        [None if v != v else v for v in (getattr(rep, c) for c in _V1_REP)],
    )
    block = make_block(0, 300)
    conn.execute(
        "INSERT INTO chunks VALUES (1, 0, ?, ?, 300, 'f8-shuffle-zlib', ?)",
        (block.t[0], block.t[-1], chunks.encode(block)),
    )
    conn.execute("UPDATE sessions SET sample_count = 300, duration_s = ? WHERE id = 1",
                 (block.t[-1] - block.t[0],))  # fmt: skip
    conn.execute("INSERT INTO plans (name, created_at, data) VALUES ('p', 'x', '{}')")
    conn.execute(
        "INSERT INTO calibrations (device_id, created_at, data) VALUES ('HT-1', 'x', '{}')"
    )
    conn.execute(
        "INSERT INTO assessments (kind, athlete_id, created_at, data) VALUES ('t', 1, 'x', '{}')"
    )
    conn.execute("INSERT INTO notes (session_id, created_at, text) VALUES (1, 'x', 'fine')")


@pytest.mark.parametrize("start", range(schema.VERSION))
def test_every_earlier_version_migrates_to_the_current_schema_keeping_data(tmp_path, start):
    _library_at(tmp_path / "fresh.sqlite3", schema.VERSION).close()
    conn = _library_at(tmp_path / "old.sqlite3", start)
    if start >= 1:
        _fill_v1(conn)
    conn.close()
    with Library.open(tmp_path / "old.sqlite3") as library:
        if start >= 1:
            assert same_block(library.samples(1), make_block(0, 300))
            assert rep_dicts(library.reps(1)) == rep_dicts([make_rep(1)])
            assert library.list_sessions(athlete="Ada")[0].rep_count == 1
            assert library.session_details(1)["notes"][0]["text"] == "fine"
    assert _layout(tmp_path / "old.sqlite3") == _layout(tmp_path / "fresh.sqlite3")


def test_every_rep_metric_has_a_column(tmp_path):
    from sensors.metrics import RepMetrics

    conn = _library_at(tmp_path / "l.sqlite3", schema.VERSION)
    columns = {row[1] for row in conn.execute("PRAGMA table_info(reps)")}
    conn.close()
    assert set(RepMetrics.field_names()) <= columns


def test_a_library_from_a_newer_hipthrust_is_refused(tmp_path):
    path = tmp_path / "l.sqlite3"
    Library.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.VERSION + 1}")
    conn.close()
    with pytest.raises(LibraryVersionError, match="newer than this hipthrust"):
        Library.open(path)


@pytest.mark.parametrize("content", ["foreign database", "text file"])
def test_a_file_that_is_not_a_library_is_refused_untouched(tmp_path, content):
    path = tmp_path / "l.sqlite3"
    if content == "text file":
        path.write_text("t,ax,ay,az\n" * 200)
    else:
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.commit()
        conn.close()
    before = path.read_bytes()
    with pytest.raises(LibraryVersionError, match="not a hipthrust library"):
        Library.open(path)
    assert path.read_bytes() == before
