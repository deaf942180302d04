"""The source picker builds URIs from presets, ports and a BLE scan with injected listings."""

from types import SimpleNamespace

from desktop.app.source_picker import SourcePicker
from sensors.errors import ConnectionFailedError


def make_picker(qtbot, scanner=None):
    picker = SourcePicker(
        "",
        presets=lambda: [("hip_thrust_3s_hold", "8 reps, 3 s hold")],
        ports=lambda: [("/dev/ttyUSB0", "CP2102 USB to UART")],
        scanner=scanner or (lambda timeout: []),
        scan_s=0.2,
    )
    qtbot.addWidget(picker)
    return picker


def test_simulated_and_serial_choices(qtbot):
    picker = make_picker(qtbot)
    picker.tabs.setCurrentIndex(0)
    picker.preset_list.setCurrentRow(0)
    picker.sim_speed.setCurrentText("4")
    assert picker.uri_edit.text() == "sim://hip_thrust_3s_hold?rate=200&speed=4"
    picker.tabs.setCurrentIndex(1)
    picker.port_list.setCurrentRow(0)
    assert picker.uri_edit.text() == "serial:///dev/ttyUSB0?baud=921600"
    picker.serial_witmotion.setChecked(True)
    picker.baud.setCurrentText("9600")
    assert picker.uri_edit.text() == "witmotion+serial:///dev/ttyUSB0?baud=9600"
    assert "CP2102" in picker.port_list.item(0).text()
    picker.accept()
    assert picker.picked_uri == "witmotion+serial:///dev/ttyUSB0?baud=9600"


def test_ble_scan_lists_devices_with_signal_strength(qtbot):
    devices = [
        SimpleNamespace(
            name="hipthrust-1A2B", address="AA:BB:CC:DD:EE:01", rssi=-48, kind="hipthrust"
        ),
        SimpleNamespace(name="WT901BLE68", address="AA:BB:CC:DD:EE:02", rssi=-70, kind="witmotion"),
    ]
    picker = make_picker(qtbot, scanner=lambda timeout: devices)
    picker.tabs.setCurrentIndex(2)
    picker.start_scan()
    assert not picker.scan_button.isEnabled()
    qtbot.waitUntil(lambda: picker.ble_list.count() == 2, timeout=5000)
    assert picker.scan_progress.value() == 100 and picker.scan_button.isEnabled()
    assert "-48 dBm" in picker.ble_list.item(0).text()
    picker.ble_list.setCurrentRow(1)
    assert picker.uri_edit.text() == "witmotion+ble://AA:BB:CC:DD:EE:02"


def test_a_missing_adapter_is_a_message_in_the_dialog(qtbot):
    def no_adapter(timeout):
        raise ConnectionFailedError("Bluetooth is not available: check the adapter")

    picker = make_picker(qtbot, scanner=no_adapter)
    picker.start_scan()
    qtbot.waitUntil(lambda: picker.scan_task is None, timeout=5000)
    assert "Bluetooth is not available" in picker.scan_status.text()
    assert picker.ble_list.count() == 0
