"""AppSettings: remembered choices that never stop the window."""

import json

from desktop.app.settings import FILE_NAME, AppSettings


def test_round_trip(tmp_path):
    s = AppSettings.load(tmp_path)
    assert s.last_uri == "" and not s.station_mode
    s.last_uri, s.station_mode = "serial:///dev/ttyUSB0", True
    assert s.save() is None
    again = AppSettings.load(tmp_path)
    assert again.last_uri == "serial:///dev/ttyUSB0" and again.station_mode


def test_garbage_and_wrong_types_give_defaults(tmp_path):
    (tmp_path / FILE_NAME).write_text("{not json")
    assert AppSettings.load(tmp_path).last_uri == ""
    (tmp_path / FILE_NAME).write_text(json.dumps({"last_uri": 5, "muted": "yes", "x": 1}))
    s = AppSettings.load(tmp_path)
    assert s.last_uri == "" and s.muted is False


def test_an_unwritable_folder_is_a_message_not_an_exception(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    s = AppSettings.load(blocker / "data")
    s.muted = True
    message = s.save()
    assert message is not None and "settings not saved" in message
