"""The planner panel in the real window: the plan's set drives the live view, the simulated set
is scored when the analysis ends it, and the window and the panel arm the same next set."""

from __future__ import annotations

from desktop.app.planner_link import attach_planner
from desktop.planner.exercises import load_exercises
from desktop.planner.panel_model import PlannerModel
from desktop.planner.plans import Plan

FAST_SIM = "sim://hip_thrust_3s_hold?speed=25"
"""8 hip thrusts with 3 s holds, 25 times faster than real time."""

PLAN = Plan.from_dict(
    {
        "name": "Test hip thrust",
        "sessions": [
            {
                "exercises": [
                    {
                        "exercise": "hip_thrust",
                        "sets": [
                            {"reps_min": 6, "reps_max": 10, "tempo": "2-0-1-3"},
                            {"reps_min": 8, "reps_max": 12, "tempo": "2-0-1-5"},
                            {"reps_min": 8, "reps_max": 12, "tempo": "3-0-1-1"},
                        ],
                    }
                ]
            }
        ],
    }
)


def test_a_simulated_set_is_scored_and_the_next_armed_in_both(open_window, qtbot):
    window = open_window(FAST_SIM)
    panel = attach_planner(window, PlannerModel(load_exercises(), [PLAN]))
    assert window.plan_dock.widget() is panel
    live = window.set_model
    assert (live.targets.hold_s, live.targets.reps, live.targets.tempo_text()) == (
        3.0,
        6,
        "2-0-1-3",
    )
    assert [t.hold_s for t in live.queue] == [5.0, 1.0]

    with qtbot.waitSignal(panel.set_scored, timeout=30_000) as scored:
        pass
    number, score = scored.args
    assert number == 1 and score.reps_done == 8 and score.verdict == "met"
    assert panel.current.number == 2
    assert live.state == "done" and live.upcoming.hold_s == 5.0, "the window arms set 2 next"

    panel.skip_set()  # the user skips set 2 in the panel while set 1 is still on screen
    assert panel.current.number == 3
    assert live.upcoming.tempo_text() == "3-0-1-1" and len(live.queue) == 1
    assert live.targets.hold_s == 3.0, "the finished set stays on screen"


def test_the_recorded_set_keeps_the_planned_rep_range(open_window, qtbot):
    window = open_window(FAST_SIM)
    panel = attach_planner(window, PlannerModel(load_exercises(), [PLAN]))
    with qtbot.waitSignal(panel.set_scored, timeout=30_000):
        pass
    recording = window.recording

    def stored_targets():
        sets = recording.library.sets(recording.session_id)
        return sets[0]["targets"] if sets else None

    qtbot.waitUntil(lambda: stored_targets() is not None, timeout=5_000)
    targets = stored_targets()
    assert (targets["reps_min"], targets["reps_max"], targets["tempo"]) == (6, 10, "2-0-1-3")


def test_sessions_are_recorded_for_the_athlete_and_remembered(open_window, tmp_path):
    from desktop.app.settings import AppSettings

    folder = tmp_path / "crew"
    window = open_window(FAST_SIM, data_dir=folder, athlete="Sam Lee")
    recording = window.recording
    (info,) = recording.library.list_sessions()
    assert info.athlete == "Sam Lee"
    window.close()
    assert AppSettings.load(folder).athlete == "Sam Lee"


def test_the_first_run_demo_performs_the_planned_exercise(open_window, tmp_path):
    window = open_window(None, data_dir=tmp_path / "new", planner=True)
    assert window.plan_dock.widget().current.exercise == "glute_bridge"  # the first rung
    assert window.settings.last_uri == "sim://glute_bridge?loop=1"
