"""Replay: a recorded simulated session shows the reps the library holds, in sync."""

import csv
import threading

import pytest
from recorded import record_session

from desktop.app.replay_analysis import Progress, ReplaySettings, analyse_recording
from desktop.app.replay_window import ReplayWindow
from desktop.library import Library, export_sessions, load_recording


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def recorded_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("replay-data")
    session_id = record_session(folder)
    return folder, session_id


def open_replay(qtbot, folder, ref, **kw):
    window = ReplayWindow(folder, **kw)
    qtbot.addWidget(window)
    window.show()
    window.open_ref(str(ref))
    qtbot.waitUntil(
        lambda: window.analysis is not None or window.notice.isVisible(), timeout=30_000
    )
    return window


def test_replay_shows_the_reps_the_library_holds(qtbot, recorded_dir):
    folder, session_id = recorded_dir
    clock = FakeClock()
    window = open_replay(qtbot, folder, session_id, clock=clock)
    with Library.open(folder) as lib:
        stored = lib.reps(session_id)
    assert len(stored) == 8
    assert [r.to_dict() for r in window.analysis.reps] == [r.to_dict() for r in stored]
    # at the start nothing has happened yet
    assert window.set_model.reps == [] and window.rep_table.table_model.rowCount() == 0

    # play at 4x: the fake clock moves 5 s, the playhead 20 s
    window.set_speed(4.0)
    window.play()
    clock.now += 5.0
    window._on_tick()
    assert window.playhead_s == pytest.approx(window.block.t[0] + 20.0)
    finished = [r for r in stored if r.end_s < window.playhead_s - 3.0]
    assert len(window.set_model.reps) >= max(1, len(finished))
    assert len(window.set_model.reps) < len(stored)

    # scrub to the end: the table, numbers and plots show the whole set
    window.timeline.setValue(window.timeline.maximum())
    assert window.playhead_s == pytest.approx(window.block.t[-1])
    assert window.rep_table.table_model.rowCount() == 8
    assert [r.index for r in window.set_model.reps] == [r.index for r in stored]
    assert window.big_numbers.reps.value.text().startswith("8 /")
    assert "done" in window.big_numbers.banner.text()
    x, _ = window.plots.height_curve.getData()
    assert x is not None and len(x) > 100

    # scrub back: the views forget what has not happened yet
    window.seek(stored[2].end_s + 0.01)
    assert window.rep_table.table_model.rowCount() <= 3
    window.seek(stored[5].end_s + 5.0)
    assert window.rep_table.table_model.rowCount() >= 5


def test_reanalysis_exports_and_an_exported_file(qtbot, recorded_dir, tmp_path):
    folder, session_id = recorded_dir
    with Library.open(folder) as lib:
        export_sessions(lib, [session_id], tmp_path / "one.htsession")
    window = open_replay(qtbot, folder, tmp_path / "one.htsession")
    assert len(window.analysis.reps) == 8
    assert "file" in window.title.text()

    settings = ReplaySettings(mount="bar", set_rest_s=5.0, hold_target_s=None)
    before = window.analysis
    window.reanalyse(settings)
    qtbot.waitUntil(lambda: window.analysis is not before, timeout=30_000)
    assert window.analysis.settings == settings and window.analysis.mount == "bar"
    assert window.hold_spin.value() == 0.0 and window.mount_box.currentData() == "bar"

    window.seek(window.block.t[-1])
    window.export_plots_png(tmp_path / "plots.png")
    assert (tmp_path / "plots.png").stat().st_size > 1000
    assert window.export_reps_csv(tmp_path / "reps.csv") == 8
    with open(tmp_path / "reps.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 8 and float(rows[0]["rom_m"]) == window.analysis.reps[0].rom_m


def test_a_file_that_is_not_a_session_leaves_the_open_one(qtbot, recorded_dir, tmp_path):
    folder, session_id = recorded_dir
    window = open_replay(qtbot, folder, session_id)
    before = window.analysis
    bogus = tmp_path / "notes.txt"
    bogus.write_text("shopping list: chalk, tape\n")
    window.open_ref(str(bogus))
    qtbot.waitUntil(window.notice.isVisible, timeout=10_000)
    assert window.notice.text().startswith("Cannot replay:")
    assert "notes.txt" in window.notice.text()
    assert window.analysis is before and not window.busy.isVisible()
    window.open_ref("999")
    qtbot.waitUntil(lambda: "999" in window.notice.text(), timeout=10_000)


def test_cancel_during_a_long_analysis_keeps_the_window_as_it_was(qtbot, recorded_dir):
    folder, session_id = recorded_dir
    release = threading.Event()

    def slow_loader(ref, data_dir):
        release.wait(10)
        return load_recording(ref, data_dir)

    window = ReplayWindow(folder, loader=slow_loader)
    qtbot.addWidget(window)
    window.show()
    window.open_ref(str(session_id))
    assert not window.busy.isHidden()
    window.cancel_button.click()
    release.set()
    qtbot.waitUntil(window.notice.isVisible, timeout=10_000)
    assert "cancelled" in window.notice.text()
    assert window.analysis is None and not window.play_button.isEnabled()


def test_the_analysis_in_steps_is_the_batch_analysis(recorded_dir):
    from sensors.pipeline import analyze

    folder, session_id = recorded_dir
    block, _ = load_recording(str(session_id), str(folder))
    stepped = analyse_recording(block, ReplaySettings())
    assert [r.to_dict() for r in stepped.reps] == [r.to_dict() for r in analyze(block).reps]
    progress = Progress()
    progress.cancel()
    assert analyse_recording(block, ReplaySettings(), progress) is None


def test_a_session_is_replayed_with_its_own_mount_and_hold_target():
    from desktop.app.replay_window import _session_settings

    meta = {"mount": "hips", "sets": [{"exercise": "glute_bridge", "targets": {"hold_s": 5.0}}]}
    assert _session_settings(meta) == ReplaySettings(mount="hips", hold_target_s=5.0)
    assert _session_settings({"mount": None, "sets": []}) == ReplaySettings()
