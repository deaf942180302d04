"""``hipthrust plan``: the same suggestions and week as the planner, from the library."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from plandata import BRIDGE, record_session

from desktop.cli import main
from desktop.cli.plan import shift_days
from desktop.library import Library
from desktop.planner.exercises import load_exercises
from desktop.planner.history import read_record
from sensors.errors import InputError

TODAY = datetime.now(UTC).date().isoformat()  # the library dates sessions by the clock


def run(capsys, data_dir, *args):
    code = main(["--data-dir", str(data_dir), "plan", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_without_a_library_the_plan_starts_at_the_first_rung(tmp_path, capsys):
    code, out, _ = run(capsys, tmp_path / "none", "show", "--date", "2026-11-02")
    assert code == 0
    assert " > 1. Glute bridge, both legs" in out
    assert "shoulder blades" not in out and "Lie on the floor" in out
    assert not (tmp_path / "none").exists(), "reading must not create a library"
    code, out, _ = run(capsys, tmp_path / "none", "show", "--stage", "loaded", "--json")
    data = json.loads(out)
    assert data["current_stage"] == "bridge" and data["plan"]["stage"] == "loaded"


def test_measured_sets_drive_the_suggestion_and_accept_moves_on(tmp_path, capsys):
    sets = [("glute_bridge", None, 16, 1.2, BRIDGE)] * 3
    record_session(tmp_path, "Sam", sets)
    code, out, _ = run(capsys, tmp_path, "next", "--date", TODAY, "--json")
    data = json.loads(out)
    assert code == 0 and data["athlete"] == "Sam"
    assert data["suggestion"]["kind"] == "stay"
    assert "one more session" in data["suggestion"]["reason"]

    record_session(tmp_path, "Sam", sets)
    code, out, _ = run(capsys, tmp_path, "next", "--date", TODAY, "--accept")
    assert "Stage 2 of 6: Single-leg glute bridge (advance)" in out
    assert "Why: Goal (15+ reps with a 1 s hold, range kept) met 2 sessions in a row" in out
    assert "Recorded for Sam: accepted." in out
    with Library.open(tmp_path) as lib:
        record = read_record(lib, "Sam", load_exercises())
    assert record.decisions[0].stage == "single_leg_bridge"
    code, out, _ = run(capsys, tmp_path, "show")
    assert " > 2. Single-leg glute bridge" in out


def test_override_and_display_names_from_the_live_view(tmp_path, capsys):
    record_session(tmp_path, "Sam", [("Glute bridge", None, 16, 1.2, {"reps": 15, "hold_s": 1})])
    record_session(tmp_path, "Sam", [("bench press", None, 5, 0, {"reps": 5})])
    _, out, _ = run(
        capsys, tmp_path, "next", "--date", TODAY, "--override", "loaded", "--load", "40"
    )
    assert "Recorded for Sam: overridden: Barbell hip thrust" in out
    _, out, _ = run(capsys, tmp_path, "show")
    assert "note: 1 stored sets or decisions were left out" in out
    _, out, _ = run(capsys, tmp_path, "today", "--date", TODAY, "--json")
    data = json.loads(out)
    assert data["suggestion"]["stage"] == "loaded" and data["suggestion"]["load_kg"] == 40


def test_today_on_a_hip_day_shows_the_adapted_sets(tmp_path, capsys):
    # the deadlift was 3 days ago, so today is the hip thrust session
    code, out, _ = run(
        capsys, tmp_path, "today", "--date", "2026-11-05", "--last-deadlift", "2026-11-02",
        "--problem", "low_back",
    )  # fmt: skip
    assert code == 0
    assert "hip thrust day" in out and "3 days after the deadlift (2026-11-02)" in out
    assert "Plan: Glute bridge, both legs" in out
    code, out, _ = run(capsys, tmp_path, "today", "--date", "2026-11-02", "--shift", "mon")
    assert "(on shift): rest" in out and "Rest day. Next:" in out


def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys):
    code, _, err = run(capsys, tmp_path, "today", "--shift", "someday")
    assert code == 2 and err.startswith("hipthrust: error: --shift 'someday'")
    code, _, err = run(capsys, tmp_path, "next", "--load", "20")
    assert code == 2 and "--load goes with --override" in err
    code, _, err = run(capsys, tmp_path, "next", "--accept")
    assert code == 2 and "--athlete" in err
    record_session(tmp_path, "A", [])
    record_session(tmp_path, "B", [])
    code, _, err = run(capsys, tmp_path, "show")
    assert code == 2 and "several athletes (A, B)" in err
    code, _, err = run(
        capsys, tmp_path, "next", "--athlete", "A", "--override", "hip_thrust", "--load", "20"
    )
    assert code == 2 and "only the Barbell hip thrust" in err


def test_shift_days_accepts_dates_and_weekdays():
    from datetime import date

    start = date(2026, 11, 2)  # a Monday
    days = shift_days("mon, thursday,2026-11-20", start)
    assert days == {date(2026, 11, 2), date(2026, 11, 5), date(2026, 11, 20)}
    with pytest.raises(InputError):
        shift_days("2026-13-01", start)
