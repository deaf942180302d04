"""Library queries and JSON records used by the planner, assessments and calibration."""

from __future__ import annotations

import math

import pytest
from libdata import make_block, make_rep, make_summary

from desktop.library import Library, Recorder, SessionNotFoundError
from desktop.library.paths import ENV_VAR, data_dir, library_path
from sensors.events import RepCompleted, SetEnded


def test_data_dir_option_beats_environment_beats_platform_default(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env"))
    assert data_dir(str(tmp_path / "opt")) == tmp_path / "opt"
    assert data_dir(None) == tmp_path / "env"
    assert library_path(None) == tmp_path / "env" / "library.sqlite3"
    monkeypatch.delenv(ENV_VAR)
    assert "hipthrust" in str(data_dir(None))
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env"))
    with Library.open() as library:
        assert library.path == (tmp_path / "env" / "library.sqlite3").resolve()


def test_plans_round_trip_and_replace(library):
    first = library.save_plan("Week 1", {"sets": [{"exercise": "glute_bridge", "reps": 12}]})
    second = library.save_plan("Week 2", {"sets": []})
    assert library.load_plan(first) == {"sets": [{"exercise": "glute_bridge", "reps": 12}]}
    assert library.save_plan("Week 1b", {"sets": [1]}, plan_id=first) == first
    assert [(i, n) for i, n, _ in library.list_plans()] == [(second, "Week 2"), (first, "Week 1b")]
    library.delete_plan(second)
    with pytest.raises(SessionNotFoundError):
        library.load_plan(second)
    with pytest.raises(SessionNotFoundError):
        library.save_plan("x", {}, plan_id=999)


def test_assessments_and_calibrations(library):
    ada = library.athlete_id("Ada")
    assert library.athlete_id(" Ada ") == ada
    library.save_assessment("hip_extension_test", ada, {"two_leg_cm": 20})
    library.save_assessment("hip_extension_test", ada, {"two_leg_cm": 22})
    library.save_assessment("other", ada, {})
    found = library.list_assessments(ada, "hip_extension_test")
    assert [a["data"]["two_leg_cm"] for a in found] == [22, 20]
    assert library.latest_calibration("HT-9") is None
    library.save_calibration("HT-9", {"gyro_bias_rps": [0, 0, 0.1]})
    library.save_calibration("HT-9", {"gyro_bias_rps": [0, 0, 0.2]})
    assert library.latest_calibration("HT-9") == {"gyro_bias_rps": [0, 0, 0.2]}
    assert library.athletes() == [(ada, "Ada")]


def test_athlete_sets_for_the_planner(library):
    sid = library.create_session(athlete="Bo")
    reps = [make_rep(1), make_rep(2)]
    with Recorder(library, sid) as rec:
        rec.begin_set("single_leg_hip_thrust", "left", None, {"reps": 12, "hold_s": 3})
        rec.add_block(make_block(0, 100))
        rec.add_events([RepCompleted(5.0, r) for r in reps])
        rec.add_events([SetEnded(20.0, make_summary(1, reps))])
        rec.begin_set("single_leg_hip_thrust", "right", None, {"reps": 12, "hold_s": 3})
    other = library.create_session(athlete="Cy")
    library.finish_session(other)
    (bo_id,) = [i for i, n in library.athletes() if n == "Bo"]
    left, right = library.athlete_sets(bo_id)
    assert left["exercise"] == "single_leg_hip_thrust" and left["side"] == "left"
    assert left["rep_count"] == 2 and left["targets"] == {"reps": 12, "hold_s": 3}
    assert left["holds_s"] == [r.hold_s for r in reps]
    assert left["roms_m"] == [r.rom_m for r in reps]
    assert left["date"] == library.session(sid).started_at and left["session_id"] == sid
    assert right["rep_count"] == 0 and right["holds_s"] == []


def test_reps_keep_nan_as_nan(library):
    sid = library.create_session()
    with Recorder(library, sid) as rec:
        rec.add_events([RepCompleted(5.0, make_rep(1))])
    (rep,) = library.reps(sid)
    assert math.isnan(rep.bottom_pause_s) and math.isnan(rep.tilt_change_deg)
    (only_set,) = library.sets(sid)
    assert only_set["exercise"] is None and only_set["summary"] is None


def test_unknown_session_says_where_to_look(library):
    with pytest.raises(SessionNotFoundError, match="sessions list"):
        library.session(42)
    with pytest.raises(SessionNotFoundError):
        library.delete_session(42)


def test_list_sessions_newest_first_with_counts(library):
    ids = []
    for k in range(3):
        sid = library.create_session(athlete="Ann" if k != 1 else "Ben")
        with Recorder(library, sid) as rec:
            rec.add_block(make_block(0, 10 * (k + 1)))
        ids.append(sid)
    listed = library.list_sessions()
    assert [s.id for s in listed] == ids[::-1]
    assert [s.sample_count for s in listed] == [30, 20, 10]
    assert [s.id for s in library.list_sessions(athlete="Ann")] == [ids[2], ids[0]]
    assert library.list_sessions(since="2999-01-01") == []


def test_open_accepts_a_folder_or_a_file(tmp_path):
    with Library.open(tmp_path) as a:
        assert a.path.name == "library.sqlite3"
    with Library.open(tmp_path / "custom.sqlite3") as b:
        assert b.path.name == "custom.sqlite3"
    with Library.open(tmp_path / "new_folder") as c:
        assert c.path == (tmp_path / "new_folder" / "library.sqlite3").resolve()
