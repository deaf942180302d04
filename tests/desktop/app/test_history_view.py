"""History: sessions by athlete and exercise, weekly progress, click through to replay."""

from datetime import date

import pytest
from recorded import record_session

from desktop.app.history_model import week_of, weekly_progress
from desktop.app.history_view import HistoryView
from desktop.library import Library


@pytest.fixture(scope="module")
def history_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("history-data")
    for started, load in (
        ("2026-10-27T18:00:00+00:00", 40.0),
        ("2026-11-03T18:00:00+00:00", 50.0),
        ("2026-11-05T18:00:00+00:00", 55.0),
        ("2026-11-12T18:00:00+00:00", 60.0),
    ):
        record_session(folder, athlete="Alex", started_at=started, load_kg=load)
    record_session(
        folder,
        "glute_bridge",
        athlete="Bo",
        exercise="glute_bridge",
        started_at="2026-11-04T07:00:00+00:00",
    )
    return folder


def test_weeks_start_on_monday_in_utc():
    assert week_of("2026-11-05T18:00:00+00:00") == date(2026, 11, 2)
    assert week_of("2026-11-02T00:30:00+02:00") == date(2026, 10, 26)


def test_weekly_progress_of_one_athlete_and_exercise(history_dir):
    with Library.open(history_dir) as lib:
        points = weekly_progress(lib, "Alex", "hip_thrust")
        everyone = weekly_progress(lib)
    assert [p.week for p in points] == [date(2026, 10, 26), date(2026, 11, 2), date(2026, 11, 9)]
    assert [p.sessions for p in points] == [1, 2, 1]
    assert [p.load_kg for p in points] == [40.0, 55.0, 60.0]
    assert all(p.reps_per_set == 8 for p in points)
    assert all(0.2 < p.rom_m < 0.5 and p.velocity_mps > 0 for p in points)
    assert all(0 < p.holds_achieved <= 1 for p in points)
    assert sum(p.sessions for p in everyone) == 5
    assert everyone[1].load_kg == 55.0  # Bo trained unloaded the same week


def test_the_view_filters_and_replays_a_clicked_session(qtbot, history_dir):
    view = HistoryView(history_dir)
    qtbot.addWidget(view)
    view.show()
    assert view.table.rowCount() == 5
    view.athlete_box.setCurrentText("Bo")
    assert view.table.rowCount() == 1 and view.table.item(0, 3).text() == "glute_bridge"
    view.athlete_box.setCurrentText("all")
    view.exercise_box.setCurrentText("hip_thrust")
    assert view.table.rowCount() == 4 and len(view.points) == 3
    x, y = view.curves["load_kg"].getData()
    assert list(y) == [40.0, 55.0, 60.0] and x[0] < x[1] < x[2]

    with qtbot.waitSignal(view.replay_requested) as signal:
        view.table.cellDoubleClicked.emit(0, 1)
    newest = view.session_ids[0]
    assert signal.args == [newest]
    replay = view.replays[-1]
    qtbot.waitUntil(lambda: replay.analysis is not None, timeout=30_000)
    with Library.open(history_dir) as lib:
        assert len(replay.analysis.reps) == len(lib.reps(newest))
    replay.close()


def test_an_unreadable_library_is_said_in_the_window(qtbot, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    view = HistoryView(blocker / "data")
    qtbot.addWidget(view)
    view.show()
    assert view.notice.isVisible() and "cannot be read" in view.notice.text()
