from datetime import UTC, datetime

import pytest
from plandata import BRIDGE, day, record_session, rep

from desktop.library import Library
from desktop.planner.errors import ExerciseDataError, PlanError
from desktop.planner.exercises import load_exercises
from desktop.planner.history import EMPTY, read_record
from desktop.planner.panel_model import PlannerModel, model_for
from desktop.planner.plans import Plan, default_plan, parse_reps
from desktop.planner.progression import group_sessions, stage, suggest
from desktop.planner.workout import Workout

LIB = load_exercises()


def test_record_scores_the_armed_set_and_arms_the_next():
    w = Workout(default_plan(stage("single_leg_hold")), LIB)
    assert (w.total, w.current.number, w.current.planned.side) == (4, 1, "left")
    score = w.record([rep(i, hold=3.0) for i in range(12)], on=day(0))
    assert score.verdict == "met"
    assert w.current.number == 2 and w.current.planned.side == "right"
    assert [a.number for a in w.upcoming] == [3, 4]
    assert w.performed[0].exercise == "single_leg_hip_thrust" and w.performed[0].date == day(0)
    w.skip()
    w.skip()
    w.record([rep(i, hold=3.0) for i in range(3)], on=day(0))
    assert w.finished and w.current is None and w.scores[3].verdict == "failed"
    with pytest.raises(PlanError, match="every set of this session is done"):
        w.record([])


def test_workout_sets_feed_the_progression():
    w = Workout(default_plan(stage("single_leg_hold")), LIB)
    for _ in range(4):
        w.record([rep(i, hold=3.0) for i in range(12)], on=day(0))
    (session,) = group_sessions(w.performed)
    assert session.stage.id == "single_leg_hold" and session.goal_met()
    again = Workout(default_plan(stage("single_leg_hold")), LIB)
    for _ in range(4):
        again.record([rep(i, hold=3.0) for i in range(12)], on=day(3))
    s = suggest(w.performed + again.performed, [], day(4))
    assert (s.kind, s.stage) == ("advance", "loaded"), "the same plan on two days: two sessions"


def test_live_targets_fit_the_live_view():
    armed = Workout(default_plan(stage("loaded"), 60), LIB).current
    t = armed.live_targets()
    assert t == {
        "exercise": "Barbell hip thrust",
        "side": "both",
        "reps": 6,
        "reps_max": 12,
        "hold_s": 1.0,
        "tempo_s": (2.0, 0.0, 1.0, 1.0),
        "load_kg": 60.0,
        "rest_s": 120.0,
    }
    assert LIB.find(t["exercise"]).id == armed.exercise, "stored names resolve back to ids"


def test_edit_changes_one_set():
    w = Workout(default_plan(stage("bridge")), LIB)
    w.edit(2, w.armed(2).planned.with_hold(5))
    assert [w.armed(i).planned.hold_s for i in range(3)] == [1, 1, 5]


def test_unknown_exercise_or_session_is_refused():
    plan = Plan.from_dict({"sessions": [{"exercises": [{"exercise": "squat", "sets": []}]}]})
    with pytest.raises(ExerciseDataError, match="unknown exercise 'squat'"):
        Workout(plan, LIB)
    with pytest.raises(PlanError, match="no session 2"):
        Workout(default_plan(stage("bridge")), LIB, session=1)


def test_parse_reps():
    assert parse_reps("12") == (12, 12) and parse_reps("8 - 12") == (8, 12)
    for bad in ("", "8-", "a", "1-2-3"):
        with pytest.raises(PlanError):
            parse_reps(bad)


def test_model_accept_override_and_choose():
    seen = []
    plans = [default_plan(stage("bridge")), default_plan(stage("hip_thrust"))]
    model = PlannerModel(LIB, plans, suggest([], [], day(0)), today=day(0), on_decision=seen.append)
    model.choose(1)
    assert model.workout.plan.stage == "hip_thrust"
    assert model.accept().accepted and seen[-1].stage == "bridge"
    model.override("single_leg_tempo")
    assert seen[-1].stage == "single_leg_tempo" and not seen[-1].accepted
    assert model.workout.plan.stage == "single_leg_tempo" and len(model.plans) == 3
    with pytest.raises(PlanError, match="no suggestion"):
        PlannerModel(LIB, plans).accept()
    with pytest.raises(PlanError, match="at least one plan"):
        PlannerModel(LIB, [])


def test_model_for_a_missing_library_starts_at_the_first_rung(tmp_path):
    model = model_for(tmp_path / "none", today=day(0))
    assert [p.stage for p in model.plans][:2] == ["bridge", "single_leg_bridge"]
    assert len(model.plans) == 6 and model.suggestion.kind == "start"
    model.accept()  # no athlete: nothing is saved, nothing breaks
    assert not (tmp_path / "none").exists()


def test_model_for_an_athlete_reads_and_saves_the_library(tmp_path):
    today = datetime.now(UTC).date()
    for _ in range(2):
        record_session(tmp_path, "Kim", [("glute_bridge", None, 16, 1.2, BRIDGE)] * 3)
    model = model_for(tmp_path, today=today)
    assert model.suggestion.kind == "advance" and model.plans[0].stage == "single_leg_bridge"
    model.accept()
    with Library.open(tmp_path) as lib:
        (decision,) = read_record(lib, "Kim", LIB).decisions
    assert decision.accepted and decision.stage == "single_leg_bridge"


def test_model_conditions_redo_the_week_and_the_first_plan():
    model = PlannerModel.from_record(EMPTY, LIB, day(0))
    assert model.week[0].focus == "deadlift" and model.adapted == ()
    model.set_conditions([day(0), day(1)], ["upper_body"])
    assert [d.focus for d in model.week][:3] == ["rest", "rest", "deadlift"]
    assert model.week[2].work[0].exercise == "barbell_hip_thrust"
    assert model.plans[0].stage == "bridge" and len(model.plans) == 6
    assert model.workout.plan is model.plans[0]
    with pytest.raises(PlanError, match="no rung"):
        PlannerModel(LIB, [default_plan(stage("bridge"))]).set_conditions([], [])


def test_saved_plans_come_back_from_the_library(tmp_path):
    model = model_for(tmp_path, today=day(0))
    model.workout.edit(0, model.workout.armed(0).planned.with_hold(3))
    model.save_as("Station plan")
    model.save_as("Station plan")  # saving again replaces it
    again = model_for(tmp_path, today=day(0))
    assert [p.name for p in again.plans].count("Station plan") == 1
    saved = again.plans[-1]
    assert saved.sessions[0].exercises[0].sets[0].hold_s == 3
    with Library.open(tmp_path) as lib:
        assert len(lib.list_plans()) == 1
        lib.save_plan("broken", {"sessions": "none"})
    assert [p.name for p in model_for(tmp_path).plans].count("broken") == 0
    with pytest.raises(PlanError, match="cannot be saved"):
        PlannerModel(LIB, [default_plan(stage("bridge"))]).save_as("x")


def test_unusable_stored_sets_and_decisions_are_skipped_and_counted(tmp_path):
    record_session(tmp_path, "Lee", [("hip_thrust", None, 10, 1.0, {"tempo": "fast"})])
    record_session(tmp_path, "Lee", [("hip_thrust", None, 10, 1.0, {"reps": 10, "hold_s": 1})])
    with Library.open(tmp_path) as lib:
        lib.save_assessment("plan_decision", lib.athlete_id("Lee"), {"date": "yesterday"})
        record = read_record(lib, "Lee", LIB)
    assert record.skipped == 2 and len(record.sets) == 1 and record.decisions == ()
