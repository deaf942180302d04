"""The planner panel alone: choose a plan, run a simulated set, see it scored and the next armed."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.app.planner_panel import COLUMNS, PlannerPanel
from desktop.app.set_model import SetTargets
from desktop.planner.exercises import load_exercises
from desktop.planner.history import EMPTY
from desktop.planner.panel_model import PlannerModel
from desktop.planner.plans import default_plan
from desktop.planner.progression import stage, suggest
from sensors.pipeline import analyze
from sensors.simulator import SetScenario, simulate

TODAY = date(2026, 11, 4)


@pytest.fixture(scope="module")
def simulated_reps():
    """12 single-leg hip thrusts with 3 s holds, through the real analysis."""
    rec = simulate(
        SetScenario(exercise="single_leg_hip_thrust", reps=12, hold_s=3.0, seed=5, rate_hz=100)
    )
    reps = analyze(rec.block).reps
    assert len(reps) == 12
    return reps


@pytest.fixture
def panel(qtbot):
    decisions = []
    plans = [default_plan(stage("hip_thrust")), default_plan(stage("single_leg_hold"))]
    model = PlannerModel(
        load_exercises(), plans, suggest([], [], TODAY), today=TODAY, on_decision=decisions.append
    )
    widget = PlannerPanel(model)
    widget.decisions = decisions
    qtbot.addWidget(widget)
    widget.show()
    return widget


def cell(panel, row, column):
    return panel.table.item(row, COLUMNS.index(column)).text()


def choose_plan(panel, qtbot, index):
    with qtbot.waitSignal(panel.targets_armed) as armed:
        panel.plan_box.setCurrentIndex(index)
        panel.plan_box.activated.emit(index)
    return armed.args[0]


def test_choose_a_plan_run_a_set_see_it_scored_and_the_next_armed(panel, qtbot, simulated_reps):
    first = choose_plan(panel, qtbot, 1)
    assert (first.exercise, first.planned.side, first.planned.hold_s) == (
        "single_leg_hip_thrust", "left", 3.0,
    )  # fmt: skip
    targets = SetTargets(**first.live_targets())  # what the live view runs with
    assert (targets.hold_s, targets.reps, targets.side) == (3.0, 8, "left")
    assert "Set 1 of 4" in panel.current_label.text()
    assert "shoulder blades" in panel.cues_label.text()

    with (
        qtbot.waitSignal(panel.set_scored) as scored,
        qtbot.waitSignal(panel.targets_armed) as armed,
    ):
        panel.record_set(simulated_reps)
    number, score = scored.args
    assert number == 1 and score.verdict == "met" and score.reps_done == 12
    assert cell(panel, 0, "result") == "met, 12 reps"
    assert "Set 1: " in panel.score_label.text() and "met" in panel.score_label.text()
    nxt = armed.args[0]
    assert nxt.number == 2 and nxt.planned.side == "right"
    assert "Set 2 of 4" in panel.current_label.text()
    assert cell(panel, 1, "#").startswith("▶")
    assert len(panel.upcoming_targets()) == 2


def test_a_short_set_is_scored_with_its_reasons(panel, qtbot, simulated_reps):
    choose_plan(panel, qtbot, 1)
    score = panel.record_set(simulated_reps[:5])
    assert score.verdict == "failed"
    assert "5 of 8 reps" in panel.score_label.text()
    assert cell(panel, 0, "result") == "failed, 5 reps"


def test_editing_the_current_set_rearms_it_and_bad_input_is_refused(panel, qtbot):
    with qtbot.waitSignal(panel.targets_armed) as armed:
        panel.table.item(0, COLUMNS.index("hold s")).setText("5")
    assert armed.args[0].planned.hold_s == 5
    assert panel.model.workout.plan.sessions[0].exercises[0].sets[0].tempo.text() == "2-0-1-5"
    panel.table.item(1, COLUMNS.index("tempo")).setText("fast")
    assert "set 2: tempo 'fast'" in panel.error_label.text()
    assert cell(panel, 1, "tempo") == "3-0-1-1", "the table shows the plan again"
    panel.table.item(1, COLUMNS.index("reps")).setText("8-12")
    assert panel.model.workout.armed(1).planned.reps_text() == "8-12"
    assert panel.error_label.text() == ""


def test_skip_until_the_session_is_done(panel, qtbot):
    for _ in range(panel.model.workout.total - 1):
        panel.skip_set()
    with qtbot.waitSignal(panel.targets_armed) as armed:
        panel.skip_set()
    assert armed.args[0] is None
    assert "Session done" in panel.current_label.text()
    assert panel.record_set([]) is None


def test_accept_and_override_the_suggestion(panel, qtbot):
    assert "No measured sets yet" in panel.suggestion_label.text()
    with qtbot.waitSignal(panel.decision_made) as made:
        panel.accept_button.click()
    assert made.args[0].accepted and panel.decisions == [made.args[0]]
    assert "Accepted" in panel.suggestion_label.text()
    assert not panel.accept_button.isEnabled()

    panel.stage_box.setCurrentIndex(panel.stage_box.findData("loaded"))
    assert panel.load_box.isEnabled()
    panel.load_box.setValue(40)
    with (
        qtbot.waitSignal(panel.decision_made) as made,
        qtbot.waitSignal(panel.targets_armed) as armed,
    ):
        panel.override_button.click()
    assert (made.args[0].stage, made.args[0].load_kg, made.args[0].accepted) == (
        "loaded",
        40,
        False,
    )
    assert armed.args[0].exercise == "barbell_hip_thrust" and armed.args[0].planned.load_kg == 40
    assert panel.plan_box.currentText() == stage("loaded").title
    assert "Overridden" in panel.suggestion_label.text()


def test_the_week_follows_shift_days_and_flagged_problems(qtbot):
    model = PlannerModel.from_record(EMPTY, load_exercises(), TODAY)
    panel = PlannerPanel(model)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.week_box.isVisible() and len(panel.shift_checks) == 7
    assert panel.day_labels[0].text() == "deadlift: Deadlift, Glute-ham raise"
    assert "deadlift on the first day off shift" in panel.day_labels[0].toolTip()

    with qtbot.waitSignal(panel.targets_armed):
        panel.shift_checks[0].setChecked(True)
    assert model.conditions.shift_days == {TODAY}
    assert panel.day_labels[0].text() == "rest"
    assert panel.day_labels[1].text() == "deadlift: Deadlift, Glute-ham raise"

    panel.stage_box.setCurrentIndex(panel.stage_box.findData("loaded"))
    panel.load_box.setValue(60)
    panel.override_button.click()
    assert panel.current.exercise == "barbell_hip_thrust"
    with qtbot.waitSignal(panel.targets_armed) as armed:
        panel.problem_checks["low_back"].setChecked(True)
    assert armed.args[0].exercise == "single_leg_hip_thrust"
    assert armed.args[0].planned.load_kg == 0
    assert "Adapted: low-back problem flagged" in panel.suggestion_label.text()
    assert panel.day_labels[1].text() == "deadlift: Single-leg hip thrust, Glute-ham raise"
    assert panel.shift_checks[0].isChecked(), "the shift days are kept"


def test_an_edited_plan_is_saved_under_a_name(qtbot):
    saved = []
    plans = [default_plan(stage("hip_thrust"))]
    model = PlannerModel(load_exercises(), plans, on_save=saved.append)
    panel = PlannerPanel(model)
    qtbot.addWidget(panel)
    assert panel.save_name.text() == "Hip thrust, bodyweight"
    panel.table.item(0, COLUMNS.index("hold s")).setText("5")
    panel.save_name.setText("  ")
    panel.save_button.click()
    assert "give the plan a name" in panel.error_label.text() and not saved
    panel.save_name.setText("Crew B hip thrust")
    panel.save_button.click()
    (plan,) = saved
    assert plan.name == "Crew B hip thrust"
    assert plan.sessions[0].exercises[0].sets[0].hold_s == 5
    assert panel.plan_box.currentText() == "Crew B hip thrust"
    assert [panel.plan_box.itemText(i) for i in range(2)] == [
        "Hip thrust, bodyweight",
        "Crew B hip thrust",
    ]
    assert "Saved as" in panel.score_label.text()
