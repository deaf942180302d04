import pytest

from desktop.planner.errors import PlanError
from desktop.planner.exercises import load_exercises
from desktop.planner.plans import Plan, PlannedSet, Tempo, default_plan
from desktop.planner.progression import LADDER


def test_tempo_text_round_trips_and_accepts_explosive():
    assert Tempo.parse("3-1-1-3") == Tempo(3, 1, 1, 3)
    assert Tempo.parse("3-1-x-3").up_s == 0
    assert Tempo.parse(" 2-0-1.5-5 ").text() == "2-0-1.5-5"


@pytest.mark.parametrize(
    "text", ["3-1-1", "3-1-1-3-1", "a-1-1-3", "3--1-3", "3-1-1-99", "nan-1-1-1"]
)
def test_bad_tempo_says_how_to_write_it(text):
    with pytest.raises(PlanError, match="tempo"):
        Tempo.parse(text)


def test_hold_target_is_the_tempos_hold():
    s = PlannedSet(8, 12, Tempo.parse("2-0-1-1"), side="left")
    assert s.hold_s == 1
    assert s.with_hold(5).tempo.text() == "2-0-1-5"
    assert s.describe() == "left, 8-12 reps, tempo 2-0-1-1, 1 s hold, bodyweight, rest 90 s"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"reps_min": 12, "reps_max": 8},
        {"reps_min": 0, "reps_max": 8},
        {"side": "middle"},
        {"load_kg": -5.0},
        {"rest_s": 5000.0},
    ],
)
def test_bad_set_targets_are_refused(kwargs):
    base = {"reps_min": 6, "reps_max": 20, "tempo": Tempo(2, 0, 1, 1)}
    with pytest.raises(PlanError):
        PlannedSet(**{**base, **kwargs})


def test_plan_round_trips_through_a_dict_and_edits_one_set():
    plan = default_plan(LADDER[-1], load_kg=40)
    again = Plan.from_dict(plan.to_dict())
    assert again == plan
    edited = plan.with_set(0, 0, 1, plan.sessions[0].exercises[0].sets[1].with_hold(3))
    holds = [s.hold_s for s in edited.sessions[0].exercises[0].sets]
    assert holds == [1, 3, 1]
    assert plan.sessions[0].exercises[0].sets[1].hold_s == 1  # the original is untouched


def test_from_dict_accepts_a_single_rep_count_and_rejects_garbage():
    s = PlannedSet.from_dict({"reps": 12, "tempo": "2-1-1-3"})
    assert (s.reps_min, s.reps_max, s.hold_s) == (12, 12, 3)
    with pytest.raises(PlanError, match="at least one session"):
        Plan.from_dict({"name": "x", "sessions": []})
    with pytest.raises(PlanError):
        Plan.from_dict({"sessions": [{"exercises": [{"sets": []}]}]})
    with pytest.raises(PlanError):
        Plan.from_dict({"sessions": "all of them"})
    with pytest.raises(PlanError):
        PlannedSet.from_dict({"reps": "many"})


def test_default_plans_follow_each_stage():
    lib = load_exercises()
    for stage in LADDER:
        plan = default_plan(stage, load_kg=60)
        main = plan.sessions[0].exercises[0]
        assert plan.stage == stage.id and main.exercise == stage.exercise
        assert lib.get(main.exercise).trackable
        assert {s.side for s in main.sets} == set(stage.sides)
        assert all(s.load_kg == (60 if stage.loaded else 0) for s in main.sets)
    tempo_stage = next(s for s in LADDER if s.id == "single_leg_tempo")
    tempos = {s.tempo.text() for s in default_plan(tempo_stage).sessions[0].exercises[0].sets}
    assert len(tempos) > 1, "the single-leg stage uses a variety of tempos"
    loaded = default_plan(LADDER[-1], 40).sessions[0].exercises
    assert loaded[1].exercise == "single_leg_hip_thrust", "single-leg work is kept"
