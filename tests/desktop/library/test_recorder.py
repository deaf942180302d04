"""Recorder: samples, sets and reps from a producer reach the library through the writer."""

from __future__ import annotations

import threading

import pytest
from libdata import make_block, make_rep, make_summary, rep_dicts, same_block
from lockholder import hold_write_lock, let_go

from desktop.library import Library, LibraryError, LibraryLockedError, Recorder
from sensors.errors import InputError
from sensors.events import RepCompleted, RepStarted, SetEnded


def test_records_samples_sets_and_reps(library):
    sid = library.create_session(athlete="Alex", device={"id": "ht-01", "model": "m"})
    blocks = [make_block(i * 50, 50) for i in range(20)]
    reps = [make_rep(1), make_rep(2)]
    with Recorder(library, sid) as rec:
        rec.begin_set("hip_thrust", None, 40.0, {"reps": 8, "hold_s": 3})
        for i, block in enumerate(blocks):
            rec.add_block(block)
            if i == 5:
                rec.add_events([RepStarted(1.0, 1), RepCompleted(3.0, reps[0])])
            if i == 9:
                rec.add_events([RepCompleted(7.0, reps[1]), SetEnded(9.0, make_summary(1, reps))])
    info = library.session(sid)
    assert info.status == "complete"
    assert info.sample_count == 1000
    assert info.duration_s == pytest.approx(999 / 200)
    assert same_block(library.samples(sid), make_block(0, 1000))
    assert rep_dicts(library.reps(sid)) == rep_dicts(reps)
    (only_set,) = library.sets(sid)
    assert only_set["exercise"] == "hip_thrust"
    assert only_set["load_kg"] == 40.0
    assert only_set["targets"] == {"reps": 8, "hold_s": 3}
    assert only_set["summary"].to_dict() == make_summary(1, reps).to_dict()


def test_analysis_set_without_begin_set_copies_the_planned_one(library):
    sid = library.create_session()
    with Recorder(library, sid) as rec:
        rec.begin_set("glute_bridge", "left", None, {"reps": 12})
        rec.add_events([RepCompleted(3.0, make_rep(1, 1)), RepCompleted(40.0, make_rep(2, 2))])
        rec.begin_set("glute_bridge", "right", None, {"reps": 12})
        rec.add_events([SetEnded(60.0, make_summary(2, [make_rep(2, 2)]))])
        rec.add_events([RepCompleted(80.0, make_rep(3, 3))])
    sets = library.sets(sid)
    assert [(s["idx"], s["side"]) for s in sets] == [(1, "left"), (2, "left"), (3, "right")]
    assert sets[1]["summary"].rep_count == 1
    assert [len(s) for s in _reps_by_set(library, sid)] == [1, 1, 1]


def _reps_by_set(library, sid):
    groups: dict[int, list] = {}
    for set_fields, rep in library.rep_rows(sid):
        groups.setdefault(set_fields["idx"], []).append(rep)
    return [groups[k] for k in sorted(groups)]


def test_flushes_while_recording_and_readers_see_it(library):
    sid = library.create_session()
    rec = Recorder(library, sid, flush_interval_s=0.05)
    rec.add_block(make_block(0, 400))
    done = threading.Event()
    with Library.open(library.path) as reader:
        for _ in range(200):
            if reader.session(sid).sample_count == 400:
                done.set()
                break
            done.wait(0.02)
        assert reader.session(sid).status == "recording"
    rec.close()
    assert done.is_set()


def test_large_backlog_is_split_into_chunks(library, monkeypatch):
    sid = library.create_session()
    monkeypatch.setattr("desktop.library.recorder.MAX_CHUNK", 300)
    with Recorder(library, sid) as rec:
        rec.add_block(make_block(0, 1000))
    assert [n for n, _, _ in library.chunk_blobs(sid)] == [300, 300, 300, 100]
    assert same_block(library.samples(sid), make_block(0, 1000))


def test_refuses_samples_that_go_back_in_time(library):
    sid = library.create_session()
    with Recorder(library, sid) as rec:
        rec.add_block(make_block(100, 10))
        with pytest.raises(InputError, match="do not follow"):
            rec.add_block(make_block(50, 10))


def test_refuses_a_finished_session(library):
    sid = library.create_session()
    library.finish_session(sid)
    with pytest.raises(LibraryError, match="not open for recording"):
        Recorder(library, sid)


def test_calls_after_close_raise(library):
    sid = library.create_session()
    rec = Recorder(library, sid)
    rec.close()
    with pytest.raises(LibraryError, match="closed"):
        rec.add_block(make_block(0, 10))


def test_session_being_recorded_cannot_be_deleted(library):
    sid = library.create_session()
    with Recorder(library, sid) as rec:
        rec.add_block(make_block(0, 10))
        with pytest.raises(LibraryLockedError, match="being recorded"):
            library.delete_session(sid)
    library.delete_session(sid)
    assert library.list_sessions() == []


def test_keeps_samples_while_another_process_holds_the_write_lock(tmp_path):
    with Library.open(tmp_path, busy_timeout_s=0.05) as library:
        sid = library.create_session()
        rec = Recorder(library, sid, flush_interval_s=0.02)
        rec.add_block(make_block(0, 100))
        holder = hold_write_lock(library.path)
        try:
            for k in range(1, 10):
                rec.add_block(make_block(100 * k, 100))
                threading.Event().wait(0.03)
            rec.add_events([RepCompleted(3.0, make_rep(1))])
        finally:
            let_go(holder)
        rec.close()
        assert rec.error is None
        assert library.session(sid).status == "complete"
        assert same_block(library.samples(sid), make_block(0, 1000))
        assert len(library.reps(sid)) == 1


def test_stops_when_the_backlog_grows_too_big(tmp_path, monkeypatch):
    from desktop.library import LibraryWriteError

    monkeypatch.setattr("desktop.library.recorder.MAX_BACKLOG", 250)
    with Library.open(tmp_path, busy_timeout_s=0.05) as library:
        sid = library.create_session()
        rec = Recorder(library, sid, flush_interval_s=0.02)
        holder = hold_write_lock(library.path)
        try:
            with pytest.raises(LibraryWriteError, match="not taken samples for too long"):
                for k in range(10):
                    rec.add_block(make_block(100 * k, 100))
        finally:
            let_go(holder)
        rec.close()
    with Library.open(tmp_path) as library:
        assert [s.id for s in library.recovered] == [sid]


def test_an_unexpected_writer_failure_reaches_the_producer(library, monkeypatch):
    from desktop.library import LibraryWriteError

    def broken(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr("desktop.library.rows.insert_chunk", broken)
    sid = library.create_session()
    rec = Recorder(library, sid, flush_interval_s=0.01)
    rec.add_block(make_block(0, 10))
    with pytest.raises(LibraryWriteError, match=r"unexpected error.*boom"):
        for k in range(1, 500):
            threading.Event().wait(0.01)
            rec.add_block(make_block(10 * k, 10))
    rec.close()
