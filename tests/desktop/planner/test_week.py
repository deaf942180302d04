import json
from datetime import timedelta

import pytest
from plandata import day

from desktop.planner.exercises import load_exercises
from desktop.planner.plans import default_plan
from desktop.planner.progression import stage
from desktop.planner.week import (
    DEADLIFT_MAX_GAP_DAYS,
    DEADLIFT_MIN_GAP_DAYS,
    adapt_plan,
    check_deadlift_spacing,
    plan_week,
    safe_choice,
)
from desktop.resources import resource_path

LIB = load_exercises()
HIP = ["hip_thrust"]


def focus_days(week, focus):
    return [d for d in week if d.focus == focus]


def test_without_history_deadlift_first_then_hip_thrust_as_second_session():
    week = plan_week(day(0), HIP, LIB)
    (dl,) = focus_days(week, "deadlift")
    (hip,) = focus_days(week, "hip_thrust")
    assert dl.date == day(0)
    assert 2 <= (hip.date - dl.date).days <= 4
    assert "second posterior-chain session" in hip.reasons[0]
    assert [w.exercise for w in hip.work] == ["hip_thrust"]
    assert all(not d.work for d in focus_days(week, "rest"))


@pytest.mark.parametrize("days_ago", [1, 3, 6, 7, 9, 12])
def test_deadlift_days_stay_at_least_7_days_apart(days_ago):
    last = day(0) - timedelta(days=days_ago)
    week = plan_week(day(0), HIP, LIB, last_deadlift=last)
    dls = [d.date for d in focus_days(week, "deadlift")]
    assert len(dls) == 1
    assert (dls[0] - last).days == max(DEADLIFT_MIN_GAP_DAYS, days_ago)
    warnings = check_deadlift_spacing([last, *dls])
    assert bool(warnings) == (days_ago > DEADLIFT_MAX_GAP_DAYS)


def test_no_deadlift_when_the_last_one_was_too_recent():
    week = plan_week(day(0), HIP, LIB, last_deadlift=day(0))
    assert not focus_days(week, "deadlift")
    assert any("no deadlift this week" in r for r in week[0].reasons)
    (hip,) = focus_days(week, "hip_thrust")
    assert (hip.date - day(0)).days >= 2


def test_deadlift_moves_off_shift_and_says_when_it_goes_past_10_days():
    last = day(0) - timedelta(days=9)
    shift = {day(0), day(1), day(2)}
    week = plan_week(day(0), HIP, LIB, last_deadlift=last, shift_days=shift)
    (dl,) = focus_days(week, "deadlift")
    assert dl.date == day(3) and not dl.on_shift
    assert "later than 10 days" in dl.reasons[0]


def test_every_day_on_shift_gets_lower_demand_work():
    shift = {day(i) for i in range(7)}
    week = plan_week(day(0), ["barbell_hip_thrust"], LIB, shift_days=shift)
    for d in week:
        for w in d.work:
            assert LIB.get(w.exercise).cns_demand == "low"
    (dl,) = focus_days(week, "deadlift")
    assert dl.work[0].replaces == "deadlift"
    assert "on shift" in dl.reasons[0]
    assert any("on shift, lower demand" in r for r in dl.reasons)


def test_hip_thrust_day_prefers_off_shift_and_keeps_two_days_from_the_deadlift():
    shift = {day(2), day(3)}
    week = plan_week(day(0), HIP, LIB, shift_days=shift)
    (dl,) = focus_days(week, "deadlift")
    (hip,) = focus_days(week, "hip_thrust")
    assert dl.date == day(0) and hip.date == day(4) and not hip.on_shift


def test_shift_days_alone_decide_when_everything_else_is_equal():
    week = plan_week(day(0), HIP, LIB, shift_days={day(0)})
    assert focus_days(week, "deadlift")[0].date == day(1)


@pytest.mark.parametrize(
    ("exercise", "problems", "expected"),
    [
        ("deadlift", {"upper_body"}, "barbell_hip_thrust"),
        ("deadlift", {"low_back"}, "single_leg_hip_thrust"),
        ("deadlift", {"knee"}, "deadlift"),
        ("barbell_hip_thrust", {"low_back"}, "single_leg_hip_thrust"),
        ("romanian_deadlift", {"low_back"}, "single_leg_romanian_deadlift"),
        ("leg_curl", {"knee"}, "single_leg_romanian_deadlift"),
        ("glute_ham_raise", {"knee", "upper_body"}, "hip_thrust"),
        ("hip_thrust", {"upper_body", "low_back", "knee"}, "hip_thrust"),
    ],
)
def test_flagged_problems_get_a_safe_substitute(exercise, problems, expected):
    w = safe_choice(LIB.get(exercise), problems, False, LIB)
    assert w.exercise == expected
    if expected != exercise:
        assert w.replaces == exercise and "flagged" in w.reason


def test_injury_flag_reaches_the_week():
    week = plan_week(day(0), ["barbell_hip_thrust"], LIB, problems={"upper_body"})
    (dl,) = focus_days(week, "deadlift")
    assert dl.work[0].exercise == "barbell_hip_thrust"
    assert any("upper-body problem flagged: barbell hip thrust instead of deadlift" in r
               for r in dl.reasons)  # fmt: skip


def test_no_safe_substitute_skips_the_exercise(tmp_path):
    data = json.loads(resource_path("exercises.json").read_text())
    for e in data["exercises"]:
        e["stresses"] = ["knee"]
    path = tmp_path / "ex.json"
    path.write_text(json.dumps(data))
    lib = load_exercises(path)
    w = safe_choice(lib.get("leg_curl"), {"knee"}, False, lib)
    assert w.exercise is None and "no safe substitute for leg curl" in w.reason


def test_adapt_plan_turns_loaded_two_leg_work_into_single_leg_for_low_back():
    plan = default_plan(stage("loaded"), load_kg=60)
    adapted, reasons = adapt_plan(plan, LIB, problems={"low_back"})
    (only,) = adapted.sessions[0].exercises
    assert only.exercise == "single_leg_hip_thrust"
    sides = [s.side for s in only.sets]
    assert sides.count("left") == sides.count("right") == 4
    assert all(s.load_kg == 0 for s in only.sets)
    assert reasons == [
        "low-back problem flagged: single-leg hip thrust instead of barbell hip thrust"
    ]
    same, none = adapt_plan(plan, LIB)
    assert same == plan and none == []


def test_adapt_plan_on_shift_and_single_to_two_leg(tmp_path):
    plan = default_plan(stage("loaded"), load_kg=60)
    adapted, reasons = adapt_plan(plan, LIB, on_shift=True)
    assert [e.exercise for e in adapted.sessions[0].exercises] == ["single_leg_hip_thrust"]
    assert "on shift" in reasons[0]
    data = json.loads(resource_path("exercises.json").read_text())
    for e in data["exercises"]:
        if e["id"] == "single_leg_hip_thrust":
            e["stresses"], e["substitutes"] = ["knee"], ["hip_thrust"]
    path = tmp_path / "ex.json"
    path.write_text(json.dumps(data))
    single = default_plan(stage("single_leg_hold"))
    adapted, _ = adapt_plan(single, load_exercises(path), problems={"knee"})
    (ex,) = adapted.sessions[0].exercises
    assert ex.exercise == "hip_thrust" and [s.side for s in ex.sets] == ["both", "both"]


def test_check_deadlift_spacing_names_days_too_close_and_too_far():
    assert check_deadlift_spacing([day(0), day(7), day(17)]) == []
    (close,) = check_deadlift_spacing([day(0), day(3)])
    assert "3 days apart" in close and "7 to 10" in close
    (far,) = check_deadlift_spacing([day(0), day(14)])
    assert "more than 10" in far


def test_the_deadlift_day_has_a_hamstring_partner_that_spares_a_knee_problem():
    (dl,) = focus_days(plan_week(day(0), HIP, LIB), "deadlift")
    assert [w.exercise for w in dl.work] == ["deadlift", "glute_ham_raise"]
    (dl,) = focus_days(plan_week(day(0), HIP, LIB, problems={"knee"}), "deadlift")
    assert [w.exercise for w in dl.work] == ["deadlift", "single_leg_romanian_deadlift"]
    assert any("knee problem flagged" in r for r in dl.reasons)
