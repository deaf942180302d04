"""The real window on the simulated sensor: reps, holds, hands-free sets, the library."""

import itertools
import os
import subprocess
import sys

from desktop.library import Library
from sensors.simulator import PRESETS

FAST_SIM = "sim://hip_thrust_3s_hold?speed=25"
"""8 reps with 3 s holds, 25 times faster than real time: each poll sees ~0.4 s of data."""


def _collect_hold_states(window):
    seen = []

    def on_frame():
        state = window.big_numbers.hold.property("state") or ""
        if not seen or seen[-1] != state:
            seen.append(state)

    window.redrawn.connect(on_frame)
    return seen


def test_a_simulated_set_runs_hands_free_into_the_table_and_the_library(
    open_window, qtbot, tmp_path
):
    window = open_window(FAST_SIM)
    hold_states = _collect_hold_states(window)
    model = window.set_model
    qtbot.waitUntil(lambda: model.sets_done == 1, timeout=30_000)

    expected = PRESETS["hip_thrust_3s_hold"].reps
    assert window.rep_table.table_model.rowCount() == expected
    assert [r.index for r in model.reps] == list(range(1, expected + 1))
    assert window.big_numbers.reps.value.text() == f"{expected} / {model.targets.reps}"
    # the hold counted up in yellow, then turned green at the 3 s target
    assert ("active", "reached") in set(itertools.pairwise(hold_states))
    # cues: one per rep, the hold target, and the set's end
    played = window.sound.played
    assert played.count("rep") == expected and played.count("set_end") == 1
    holds = [r.hold_s for r in model.reps]  # the simulator varies them around 3 s
    assert sum(h >= 3.05 for h in holds) <= played.count("hold") <= sum(h >= 2.95 for h in holds)
    # reps that missed the hold are flagged with the reason
    for row, r in enumerate(model.reps):
        flags = window.rep_table.table_model.flags_of(row)
        assert any(f.startswith("hold") for f in flags) == (r.hold_s < 2.95)
    qtbot.waitUntil(lambda: "done" in window.big_numbers.banner.text(), timeout=2000)
    assert window.frame_stats.frames > 0

    session_id = window.recording.session_id
    window.close()
    with Library.open(tmp_path / "data") as lib:
        info = lib.session(session_id)
        assert info.status == "complete"
        assert info.rep_count == expected and info.set_count == 1
        assert info.sample_count > 0
        sets = lib.sets(session_id)
        assert sets[0]["exercise"] == model.targets.exercise


def test_next_set_is_armed_after_the_set_ends(open_window, qtbot):
    from desktop.app.set_model import SetTargets

    window = open_window(FAST_SIM)
    nxt = SetTargets(exercise="single-leg hip thrust", side="left", reps=10, hold_s=5.0)
    window.set_targets(SetTargets(reps=8, hold_s=3.0), [nxt])
    qtbot.waitUntil(lambda: window.set_model.sets_done == 1, timeout=30_000)
    assert window.set_model.upcoming == nxt
    window.skip_to_next_set()
    assert window.set_model.targets == nxt and window.set_model.state == "armed"
    assert window.big_numbers.reps.value.text() == "0 / 10"
    assert "SET 2" in window.big_numbers.banner.text()


def test_the_window_opens_with_nothing_available(open_window, qtbot, tmp_path):
    """No sensor (a remembered port that is gone), no audio, no usable data folder."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    window = open_window(
        "serial:///dev/hipthrust-no-such-port", data_dir=blocker / "data", planner=True, extras=True
    )
    qtbot.waitUntil(lambda: window.samples_seen > 0, timeout=20_000)
    text = "\n".join(window.notices())
    assert "simulated sensor" in text
    assert "Recording is off" in text
    assert window.sound.mode in ("beep", "silent") and "Sound" in text
    assert window.bridge.uri.startswith("sim://")
    assert window.recording_label.text().startswith("Recording: off")
    from desktop.app.planner_panel import PlannerPanel

    assert isinstance(window.plan_dock.widget(), PlannerPanel), "the plan starts at the first rung"
    assert set(window.extra_views.actions) == {"replay", "history", "calibrate", "self_test"}


def test_smoke_launch_exits_cleanly(tmp_path):
    """``hipthrust --smoke`` in a process of its own: the window opens, draws samples, exits 0."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    cmd = [sys.executable, "-m", "desktop", "--data-dir", str(tmp_path / "data"), "--smoke=1.5"]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "hipthrust smoke: ok" in done.stdout


def test_station_mode_and_keyboard(open_window, qtbot):
    from PySide6.QtCore import Qt

    window = open_window("sim://hip_thrust_3s_hold?speed=4")
    qtbot.waitUntil(lambda: window.samples_seen > 0, timeout=20_000)
    grid = window.big_numbers._grid
    qtbot.keyClick(window, Qt.Key.Key_F11)
    assert window.property("station") is True and window.isFullScreen()
    assert grid.getItemPosition(grid.indexOf(window.big_numbers.rom))[:2] == (1, 0)
    assert window.rep_table.isHidden() and window.toolbar.isHidden()
    qtbot.keyClick(window, Qt.Key.Key_F11)
    assert window.property("station") is False and not window.isFullScreen()
    assert grid.getItemPosition(grid.indexOf(window.big_numbers.rom))[:2] == (0, 2)
    assert window.rep_table.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert not window.bridge.running
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.bridge.running
    qtbot.keyClick(window, Qt.Key.Key_M)
    assert window.sound.muted and window.settings.muted
