"""Session files: round trip bit for bit, and every kind of bad file refused untouched."""

from __future__ import annotations

import json
import sqlite3
import struct
import zlib

import numpy as np
import pytest
from libdata import make_block, make_rep, rep_dicts, same_block

from desktop.library import (
    Library,
    Recorder,
    SessionFileError,
    export_sessions,
    import_file,
    load_recording,
)
from sensors.calibration import CalibrationRecord
from sensors.events import RepCompleted, SetEnded
from sensors.pipeline import analyze
from sensors.simulator import SetScenario, simulate

CALIBRATION = CalibrationRecord(gyro_bias_rps=np.array([0.01, -0.02, 0.003])).to_dict()


def _record_simulated(
    library: Library, athlete: str = "Sam Lee", exercise: str = "hip_thrust"
) -> tuple[int, object]:
    sim = simulate(SetScenario(reps=3, setup=False, lead_in_s=1.0, tail_s=1.0, seed=7))
    sid = library.create_session(
        athlete=athlete,
        device={"id": "HT-0001", "model": "hipthrust-imu", "firmware": "1.2.0"},
        source="sim://set?reps=3",
        mount="bar",
        calibration=CALIBRATION,
    )
    with Recorder(library, sid) as rec:
        rec.begin_set(exercise, None, 60.0, {"reps": 3, "hold_s": 1.0})
        for start in range(0, len(sim.block), 37):
            rec.add_block(sim.block[start : start + 37])
        rec.add_events([RepCompleted(r.end_s, r) for r in sim.truth.reps])
        rec.add_events([SetEnded(s.end_s, s) for s in sim.truth.sets])
    library.add_note(sid, "felt strong; bench slid at rep 2", t_s=5.0)
    return sid, sim


def _snapshot(library: Library) -> dict:
    """Row counts of every table plus the session list: 'changes nothing' is this unchanged."""
    conn = sqlite3.connect(library.path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        conn.close()
    return {"counts": counts, "sessions": library.list_sessions()}


def test_round_trip_gives_the_same_samples_bit_for_bit_and_the_same_reps(tmp_path):
    with Library.open(tmp_path / "a") as here:
        sid, sim = _record_simulated(here)
        exported = tmp_path / "s.hipthrust"
        assert export_sessions(here, [sid], exported) == len(sim.block)
        details = here.session_details(sid)
        reps = here.reps(sid)
    with Library.open(tmp_path / "b") as there:
        (new_id,) = import_file(there, exported)
        assert same_block(there.samples(new_id), sim.block)
        assert rep_dicts(there.reps(new_id)) == rep_dicts(reps) == rep_dicts(sim.truth.reps)
        moved = there.session_details(new_id)
        info = there.session(new_id)
    assert info.imported_at is not None
    for key in ("uuid", "started_at", "ended_at", "status", "athlete", "source", "mount"):
        assert moved[key] == details[key]
    assert moved["device"] == details["device"]
    assert moved["calibration"] == CALIBRATION
    assert moved["notes"] == details["notes"]
    strip = [{k: v for k, v in s.items() if k not in ("id", "summary")} for s in moved["sets"]]
    assert strip == [{k: v for k, v in s.items() if k not in ("id", "summary")}
                     for s in details["sets"]]  # fmt: skip
    assert moved["sets"][0]["summary"].to_dict() == sim.truth.sets[0].to_dict()


def test_exercise_names_as_the_window_writes_them_travel(tmp_path, library):
    sid, _ = _record_simulated(library, exercise="hip thrust")
    path = tmp_path / "spaced.hipthrust"
    export_sessions(library, [sid], path)
    fresh = Library.open(tmp_path / "other")
    try:
        (new_id,) = import_file(fresh, path)
        assert [s["exercise"] for s in fresh.sets(new_id)] == ["hip thrust"]
    finally:
        fresh.close()


def test_an_imported_session_replays_with_identical_analysis(tmp_path):
    with Library.open(tmp_path / "a") as here:
        sid, _ = _record_simulated(here)
        export_sessions(here, [sid], tmp_path / "s.hipthrust")
    here_block, here_meta = load_recording(str(sid), str(tmp_path / "a"))
    file_block, file_meta = load_recording(str(tmp_path / "s.hipthrust"))
    with Library.open(tmp_path / "b") as there:
        (new_id,) = import_file(there, tmp_path / "s.hipthrust")
    there_block, there_meta = load_recording(str(new_id), str(tmp_path / "b"))
    results = []
    for block, meta in (
        (here_block, here_meta),
        (file_block, file_meta),
        (there_block, there_meta),
    ):
        calibration = CalibrationRecord.from_dict(meta["calibration"])
        results.append(analyze(block, mount=meta["mount"], calibration=calibration))
    assert len(results[0].reps) == 3
    assert rep_dicts(results[0].reps) == rep_dicts(results[1].reps) == rep_dicts(results[2].reps)
    assert file_meta["session_id"] is None and there_meta["session_id"] == new_id


def test_a_date_range_goes_into_one_file(tmp_path, library):
    ids = []
    for k in range(3):
        sid = library.create_session(athlete=f"Crew {k}")
        with Recorder(library, sid) as rec:
            rec.add_block(make_block(0, 300 + k))
            rec.add_events([RepCompleted(4.0, make_rep(1))])
        ids.append(sid)
    export_sessions(library, ids[1:], tmp_path / "two.hipthrust")
    with Library.open(tmp_path / "other") as other:
        new = import_file(other, tmp_path / "two.hipthrust")
        assert [other.session(i).sample_count for i in new] == [301, 302]
        assert [other.session(i).athlete for i in new] == ["Crew 1", "Crew 2"]
    with pytest.raises(SessionFileError, match="several sessions"):
        load_recording(str(tmp_path / "two.hipthrust"))


def test_importing_twice_is_refused_and_changes_nothing(tmp_path, library):
    sid, _ = _record_simulated(library)
    export_sessions(library, [sid], tmp_path / "s.hipthrust")
    before = _snapshot(library)
    with pytest.raises(SessionFileError, match=f"already in this library as session {sid}"):
        import_file(library, tmp_path / "s.hipthrust")
    assert _snapshot(library) == before


# --- bad files ----------------------------------------------------------------------------


def _records(data: bytes) -> list[tuple[bytes, bytes]]:
    out, pos = [], 12
    while pos < len(data):
        tag, length = struct.unpack_from("<4sI", data, pos)
        out.append((tag, data[pos + 8 : pos + 8 + length]))
        pos += 8 + length + 4
    return out


def _rebuild(header: bytes, records: list[tuple[bytes, bytes]], lengths=None) -> bytes:
    parts = [header]
    for i, (tag, payload) in enumerate(records):
        head = struct.pack("<4sI", tag, len(payload) if lengths is None else lengths[i])
        parts += [head, payload, struct.pack("<I", zlib.crc32(payload, zlib.crc32(head)))]
    return b"".join(parts)


def _edit_session(data: bytes, edit) -> bytes:
    records = _records(data)
    for i, (tag, payload) in enumerate(records):
        if tag == b"SESS":
            meta = json.loads(payload)
            edit(meta)
            records[i] = (tag, json.dumps(meta).encode())
    return _rebuild(data[:12], records)


def _edit_head(data: bytes, key: str, value) -> bytes:
    records = _records(data)
    head = json.loads(records[0][1])
    head[key] = value
    records[0] = (b"HEAD", json.dumps(head).encode())
    return _rebuild(data[:12], records)


def _huge_chunk(data: bytes) -> bytes:
    records = _records(data)
    i = next(k for k, (tag, _) in enumerate(records) if tag == b"CHNK")
    records[i] = (b"CHNK", struct.pack("<I", 2**31) + records[i][1][4:])
    return _rebuild(data[:12], records)


def _claim_huge_record(data: bytes) -> bytes:
    records = _records(data)
    lengths = [len(p) for _, p in records]
    lengths[1] = 2**32 - 1
    return _rebuild(data[:12], records, lengths)


def _sqlite_file(tmp_path) -> bytes:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    return path.read_bytes()


def _set_text(key, value):
    def edit(meta):
        meta["sets"][0][key] = value

    return edit


def _session_text(key, value):
    def edit(meta):
        meta[key] = value

    return edit


def _many_reps(meta):
    meta["reps"] = meta["reps"] * 7_000


BAD_FILES = {
    "truncated in a chunk": (lambda d, _: d[: len(d) * 2 // 3], "ends too early"),
    "truncated before the end record": (lambda d, _: d[: d.rfind(b"END ")], "ends too early"),
    "truncated header": (lambda d, _: d[:5], "not a hipthrust session file"),
    "empty": (lambda d, _: b"", "not a hipthrust session file"),
    "a CSV recording": (lambda d, _: b"t,ax,ay,az,gx,gy,gz\n0,0,0,9.8,0,0,0\n", "not a hipthrust"),
    "an SQLite database": (lambda d, p: _sqlite_file(p), "not a hipthrust session file"),
    "a flipped bit": (lambda d, _: d[:300] + bytes([d[300] ^ 4]) + d[301:], "checksum"),
    "newer container format": (lambda d, _: d[:8] + struct.pack("<H", 9) + d[10:], "newer"),
    "newer schema version": (lambda d, _: _edit_head(d, "schema_version", 99), "newer library"),
    "absurd record size": (lambda d, _: _claim_huge_record(d), "claims 4294967295 bytes"),
    "absurd chunk size": (lambda d, _: _huge_chunk(d), "claims 2147483648 samples"),
    "absurd rep count": (lambda d, _: _edit_session(d, _many_reps), "at most 20000"),
    "wrong sample count": (
        lambda d, _: _edit_session(d, _session_text("sample_count", 12)),
        "sample count does not match",
    ),
    "SQL in the athlete name": (
        lambda d, _: _edit_session(d, _session_text("athlete", "x'); DROP TABLE sessions;--")),
        "athlete",
    ),
    "SQL in the exercise": (
        lambda d, _: _edit_session(d, _set_text("exercise", "hip_thrust; DELETE FROM reps")),
        "exercise",
    ),
    "SQL in the source": (
        lambda d, _: _edit_session(d, _session_text("source", "sim://x' OR '1'='1")),
        "source",
    ),
    "unknown field": (lambda d, _: _edit_session(d, _session_text("admin", True)), "unknown"),
    "NaN in JSON": (
        lambda d, _: _edit_session(d, _set_text("load_kg", float("nan"))),
        "NaN",
    ),
    "bad calibration": (
        lambda d, _: _edit_session(d, lambda m: m["calibration"].update(acc_scale=[9, 9, 9])),
        "calibration",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_files_are_refused_with_a_clear_message_and_change_nothing(case, tmp_path):
    with Library.open(tmp_path / "a") as here:
        sid, _ = _record_simulated(here)
        export_sessions(here, [sid], tmp_path / "good.hipthrust")
    good = (tmp_path / "good.hipthrust").read_bytes()
    make, message = BAD_FILES[case]
    bad = tmp_path / "bad.hipthrust"
    bad.write_bytes(make(good, tmp_path))
    with Library.open(tmp_path / "b") as there:
        _record_simulated(there, athlete="Resident")
        before = _snapshot(there)
        with pytest.raises(SessionFileError, match=message) as caught:
            import_file(there, bad)
        assert str(bad) in str(caught.value)
        assert _snapshot(there) == before
    with pytest.raises(SessionFileError):
        load_recording(str(bad))


def test_a_note_holding_sql_is_kept_as_plain_text(tmp_path, library):
    sid, _ = _record_simulated(library)
    note = "Robert'); DROP TABLE sessions;--"
    library.add_note(sid, note)
    export_sessions(library, [sid], tmp_path / "s.hipthrust")
    with Library.open(tmp_path / "b") as there:
        (new_id,) = import_file(there, tmp_path / "s.hipthrust")
        assert there.session_details(new_id)["notes"][-1]["text"] == note
        assert len(there.list_sessions()) == 1


def test_load_recording_refuses_what_is_neither_id_nor_file(tmp_path):
    from sensors.errors import InputError

    with pytest.raises(InputError, match="neither a session id"):
        load_recording(str(tmp_path / "missing.hipthrust"), str(tmp_path))
    (tmp_path / "x.csv").write_text("t,ax\n")
    with pytest.raises(SessionFileError, match="not a hipthrust session file"):
        load_recording(str(tmp_path / "x.csv"), str(tmp_path))


def test_exporting_a_session_being_recorded_is_refused(tmp_path, library):
    from desktop.library import LibraryError

    sid = library.create_session()
    with pytest.raises(LibraryError, match="still being recorded"):
        export_sessions(library, [sid], tmp_path / "s.hipthrust")
    assert not (tmp_path / "s.hipthrust").exists()


def test_a_session_the_other_station_would_refuse_is_not_exported(tmp_path, library):
    from desktop.library import LibraryError

    sid = library.create_session(source="replay:///tmp/it's here.csv")
    library.finish_session(sid)
    with pytest.raises(LibraryError, match=f"session {sid} cannot be exported: source"):
        export_sessions(library, [sid], tmp_path / "s.hipthrust")
    assert not list(tmp_path.glob("s.hipthrust*"))


@pytest.mark.parametrize("name", ["", "   ", "x'); DROP TABLE athletes;--", "a" * 81])
def test_athlete_names_are_checked_when_entered(library, name):
    from sensors.errors import InputError

    with pytest.raises(InputError, match="athlete name"):
        library.athlete_id(name)
    assert library.athletes() == []


def test_export_takes_each_session_once_and_refuses_none(tmp_path, library):
    from sensors.errors import InputError

    sid = library.create_session()
    library.finish_session(sid)
    export_sessions(library, [sid, sid], tmp_path / "s.hipthrust")
    with Library.open(tmp_path / "b") as other:
        assert len(import_file(other, tmp_path / "s.hipthrust")) == 1
    with pytest.raises(InputError, match="1 to 10000 sessions, not 0"):
        export_sessions(library, [], tmp_path / "none.hipthrust")
