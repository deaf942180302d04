import pytest
from plandata import day, performed

from desktop.planner.errors import PlanError
from desktop.planner.progression import (
    LADDER,
    LOAD_STEP_KG,
    START_LOAD_KG,
    Decision,
    Suggestion,
    accept,
    current_standing,
    group_sessions,
    override,
    suggest,
)


def bridge_session(n, reps=16, held=1.0, rom=0.2):
    return [performed(n, "glute_bridge", reps=reps, held=held, rom=rom) for _ in range(3)]


def single_leg_session(n, exercise, left=12, right=12, hold=3.0, held=None, reps_range=(8, 15)):
    return [
        performed(n, exercise, "left", left, hold, held, reps_range=reps_range),
        performed(n, exercise, "right", right, hold, held, reps_range=reps_range),
    ]


def loaded_session(n, load, reps=12, reps_range=(6, 12)):
    main = [
        performed(n, "barbell_hip_thrust", reps=reps, load=load, reps_range=reps_range)
        for _ in range(3)
    ]
    return main + single_leg_session(n, "single_leg_hip_thrust", 11, 11, reps_range=(10, 12))


def test_no_history_starts_at_the_first_rung():
    s = suggest([], [], day(0))
    assert (s.kind, s.stage, s.load_kg) == ("start", "bridge", 0.0)
    assert "No measured sets yet" in s.reason and "15+ reps" in s.reason


def test_goal_met_twice_advances_one_rung_with_the_reason():
    history = bridge_session(0) + bridge_session(3)
    s = suggest(history, [], day(5))
    assert (s.kind, s.stage) == ("advance", "single_leg_bridge")
    assert "met 2 sessions in a row" in s.reason and "16 reps" in s.reason


def test_goal_met_once_means_one_more_session():
    history = bridge_session(0, reps=12) + bridge_session(3)
    s = suggest(history, [], day(5))
    assert (s.kind, s.stage) == ("stay", "bridge")
    assert "one more session" in s.reason


def test_holds_short_of_the_goal_do_not_count():
    history = bridge_session(0, held=0.5) + bridge_session(3, held=0.5)
    s = suggest(history, [], day(5))
    assert (s.kind, s.stage) == ("stay", "bridge")
    assert "Keep building" in s.reason and "0/16 holds of 1 s" in s.reason


def test_single_leg_needs_both_legs():
    history = single_leg_session(0, "single_leg_glute_bridge", 13, 9, hold=1.0)
    history += single_leg_session(3, "single_leg_glute_bridge", 13, 10, hold=1.0)
    s = suggest(history, [], day(5))
    assert (s.kind, s.stage) == ("stay", "single_leg_bridge")
    assert "right 10 reps" in s.reason


def test_a_failed_set_repeats_the_stage_and_names_it():
    history = [performed(0, "hip_thrust", reps=15), performed(0, "hip_thrust", reps=6)]
    history.append(performed(0, "hip_thrust", reps=15))
    s = suggest(history, [], day(2))
    assert (s.kind, s.stage) == ("stay", "hip_thrust")
    assert "Failed sets last time" in s.reason and "6 of 10 reps" in s.reason


def test_two_failed_sessions_step_back_a_rung():
    history = [performed(n, "hip_thrust", reps=5) for n in (0, 0, 3, 3)]
    s = suggest(history, [], day(5))
    assert (s.kind, s.stage) == ("regress", "single_leg_bridge")
    assert "2 sessions in a row with failed sets" in s.reason


def test_lost_range_counts_as_failed():
    lost = [0.25] * 5 + [0.12] * 10
    history = [performed(n, "hip_thrust", roms=lost) for n in (0, 0, 3, 3)]
    assert suggest(history, [], day(5)).kind == "regress"


def test_failing_on_the_first_rung_stays_there():
    history = bridge_session(0, reps=4) + bridge_session(3, reps=4)
    s = suggest(history, [], day(5))
    assert (s.kind, s.stage) == ("stay", "bridge")
    assert "lower end of the rep range" in s.reason


def test_a_missed_week_eases_back_without_advancing():
    history = bridge_session(0) + bridge_session(3)
    s = suggest(history, [], day(3 + 15))
    assert (s.kind, s.stage) == ("ease_back", "bridge")
    assert "15 days since the last session" in s.reason


def test_a_missed_week_takes_load_off():
    history = loaded_session(0, 60) + loaded_session(3, 60)
    s = suggest(history, [], day(3 + 12))
    assert (s.kind, s.stage, s.load_kg) == ("ease_back", "loaded", 55.0)


def test_a_long_layoff_steps_back():
    history = bridge_session(0) + single_leg_session(3, "single_leg_glute_bridge", hold=1.0)
    s = suggest(history, [], day(3 + 40))
    assert (s.kind, s.stage) == ("regress", "bridge")
    assert "40 days" in s.reason


def test_tempo_variety_sessions_stay_on_their_rung():
    ex = "single_leg_hip_thrust"
    variety = single_leg_session(0, ex, hold=1.0, reps_range=(6, 20))
    variety += single_leg_session(0, ex, hold=3.0, reps_range=(6, 20))
    assert group_sessions(variety)[0].stage.id == "single_leg_tempo"
    held = single_leg_session(0, ex, hold=3.0)
    assert group_sessions(held)[0].stage.id == "single_leg_hold"


def test_twelve_reps_each_leg_with_3s_holds_opens_loading_and_keeps_single_leg():
    ex = "single_leg_hip_thrust"
    history = single_leg_session(0, ex) + single_leg_session(4, ex)
    s = suggest(history, [], day(6))
    assert (s.kind, s.stage, s.load_kg) == ("advance", "loaded", START_LOAD_KG)
    assert "Keep single-leg work" in s.reason


def test_loaded_sets_at_the_top_of_the_range_add_load():
    history = loaded_session(0, 40) + loaded_session(4, 40)
    s = suggest(history, [], day(6))
    assert (s.kind, s.load_kg) == ("add_load", 40 + LOAD_STEP_KG)
    assert loaded_session(0, 40)[-1].exercise == "single_leg_hip_thrust"


def test_failed_loaded_sessions_take_load_off_then_step_back():
    history = loaded_session(0, 60, reps=4) + loaded_session(4, 60, reps=4)
    s = suggest(history, [], day(6))
    assert (s.kind, s.load_kg) == ("reduce_load", 55.0)
    at_bar = loaded_session(0, START_LOAD_KG, reps=4) + loaded_session(4, START_LOAD_KG, reps=4)
    s = suggest(at_bar, [], day(6))
    assert (s.kind, s.stage) == ("regress", "single_leg_hold")


def test_load_rules_only_count_sessions_at_the_current_load():
    history = loaded_session(0, 40) + loaded_session(4, 45)
    s = suggest(history, [], day(6))
    assert (s.kind, s.load_kg) == ("stay", 45)
    assert "one more session" in s.reason


def test_accepting_moves_the_athlete_and_old_sessions_do_not_count_again():
    history = bridge_session(0) + bridge_session(3)
    first = suggest(history, [], day(4))
    decision = accept(first, day(4))
    assert decision.accepted and decision.stage == "single_leg_bridge"
    s = suggest(history, [decision], day(5))
    assert (s.kind, s.stage) == ("stay", "single_leg_bridge")
    assert s.reason.startswith("Do the single-leg glute bridge")


def test_an_override_wins_over_the_suggestion():
    history = bridge_session(0) + bridge_session(3)
    first = suggest(history, [], day(4))
    chosen = override(first, day(4), "hip_thrust", note="coach: skip ahead")
    assert not chosen.accepted and chosen.suggestion == first
    assert current_standing(history, [chosen]).stage.id == "hip_thrust"
    assert suggest(history, [chosen], day(5)).stage == "hip_thrust"
    # a later session on another rung is what counts after that
    later = history + bridge_session(6, reps=12)
    assert current_standing(later, [chosen]).stage.id == "bridge"


def test_an_override_back_down_does_not_bounce_straight_up_again():
    history = bridge_session(0) + bridge_session(3)
    first = suggest(history, [], day(4))
    stay_down = override(first, day(4), "bridge")
    history += bridge_session(5)
    s = suggest(history, [stay_down], day(6))
    assert (s.kind, s.stage) == ("stay", "bridge"), "one session since the override, not three"


def test_override_checks_stage_and_load():
    first = suggest([], [], day(0))
    with pytest.raises(PlanError, match="no stage 'squat'"):
        override(first, day(0), "squat")
    with pytest.raises(PlanError, match="only the Barbell"):
        override(first, day(0), "hip_thrust", load_kg=20)
    assert override(first, day(0), "loaded", 50).load_kg == 50
    assert override(first, day(0), "loaded").load_kg == START_LOAD_KG
    with pytest.raises(PlanError, match="0 or more"):
        override(first, day(0), "loaded", -5)
    with pytest.raises(PlanError, match="kind 'jump'"):
        Suggestion.from_dict({**first.to_dict(), "kind": "jump"})


def test_decisions_round_trip_through_dicts():
    d = override(suggest([], [], day(0)), day(0), "loaded", 30, note="tested")
    assert Decision.from_dict(d.to_dict()) == d
    with pytest.raises(PlanError):
        Decision.from_dict({"date": "2026-11-02"})


def test_ladder_order_follows_the_coaching_text():
    assert [s.exercise for s in LADDER] == [
        "glute_bridge",
        "single_leg_glute_bridge",
        "hip_thrust",
        "single_leg_hip_thrust",
        "single_leg_hip_thrust",
        "barbell_hip_thrust",
    ]
    assert LADDER[4].goal_reps == 12 and LADDER[4].goal_hold_s == 3
    assert LADDER[3].reps_min == 6 and LADDER[3].reps_max == 20


def test_accepting_a_stay_does_not_restart_the_count():
    history = bridge_session(0)
    first = suggest(history, [], day(1))
    assert first.kind == "stay"
    kept = accept(first, day(1))
    history += bridge_session(3)
    s = suggest(history, [kept], day(4))
    assert (s.kind, s.stage) == ("advance", "single_leg_bridge")


def test_sessions_either_side_of_a_missed_week_are_not_in_a_row():
    history = bridge_session(0) + bridge_session(20)
    s = suggest(history, [], day(22))
    assert (s.kind, s.stage) == ("stay", "bridge")
    assert "one more session" in s.reason
    failing = [performed(n, "hip_thrust", reps=5) for n in (0, 0, 20, 20)]
    assert suggest(failing, [], day(22)).kind == "stay", "one bad session after a break"
