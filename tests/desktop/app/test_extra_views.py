"""The live window's doors to replay, history, calibration and the self-test."""

from recorded import record_session

from desktop.app.extra_views import install_extra_views


def test_the_extra_views_open_on_the_window_data_folder(open_window, qtbot, tmp_path):
    data = tmp_path / "data"
    session_id = record_session(data)
    window = open_window("sim://hip_thrust_3s_hold?speed=25", data_dir=data)
    views = install_extra_views(window)
    assert window.extra_views is views
    assert set(views.actions) == {"replay", "history", "calibrate", "self_test"}
    assert views.actions["history"] in window.toolbar.actions()

    history = views.open_history()
    assert str(session_id) in [
        history.table.item(r, 0).text() for r in range(history.table.rowCount())
    ]
    replay = views.open_replay(str(session_id))
    qtbot.waitUntil(lambda: replay.analysis is not None, timeout=30_000)
    assert len(replay.analysis.reps) == 8

    wizard = views.open_calibration()
    assert wizard.uri_box.currentText().startswith("sim://")
    wizard.saved.emit("0000000000000000")
    assert any("0000000000000000" in n for n in window.notices())
    views.open_self_test()
    assert len(views.open) == 4
    for view in list(views.open):  # other tests must not find stray top-level windows
        view.close()
    qtbot.waitUntil(lambda: not views.open, timeout=5_000)
