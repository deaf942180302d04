"""The window shows the link's state, counters and battery, and remembers the device."""

import numpy as np

from desktop.app.main_window import MainWindow
from desktop.app.settings import AppSettings
from desktop.app.sound import SoundPlayer
from sensors.device import LinkCounters
from sensors.events import Connected, ConnectionLost, Reconnected
from sensors.runner import RunnerBatch
from sensors.samples import SampleBlock


class ScriptedRunner:
    """Stands in for sensors.runner.Runner: hands out prepared batches, one per drain()."""

    def __init__(self, batches):
        self.batches = list(batches)
        self.hold_targets = []
        self.stopped = False

    def start(self):
        pass

    def stop(self):
        self.stopped = True

    def set_hold_target(self, seconds):
        self.hold_targets.append(seconds)

    def drain(self):
        return self.batches.pop(0) if self.batches else RunnerBatch()


def _block(t0: float, n: int = 20) -> SampleBlock:
    t = t0 + np.arange(n) / 200.0
    return SampleBlock.from_arrays(t, np.tile([0, 0, 9.8], (n, 1)), np.zeros((n, 3)))


def _window(qtbot, tmp_path, runner):
    window = MainWindow(
        runner_factory=lambda uri: runner,
        settings=AppSettings.load(tmp_path),
        fallback_uri="sim://hip_thrust_3s_hold",
        sound=SoundPlayer(load_multimedia=lambda: None),
    )
    qtbot.addWidget(window)
    return window


def test_link_states_counters_and_battery(qtbot, tmp_path):
    uri = "ble://hipthrust-1A2B"
    runner = ScriptedRunner(
        [
            RunnerBatch(
                blocks=[_block(0.0)],
                events=[Connected(uri, "hipthrust-1A2B (fw 1.0)")],
                counters=LinkCounters(frames_ok=2, battery_pct=76),
            ),
            RunnerBatch(
                events=[ConnectionLost(uri, "out of range")],
                errors=["identify refused: the sensor is not connected"],
            ),
            RunnerBatch(
                blocks=[_block(5.0)],
                events=[Reconnected(uri, "hipthrust-1A2B (fw 1.0)")],
                counters=LinkCounters(frames_ok=4, seq_gaps=3, reconnects=1, battery_pct=75),
            ),
        ]
    )
    window = _window(qtbot, tmp_path, runner)
    assert window.start_source(uri)
    assert runner.hold_targets == [window.set_model.targets.hold_s]
    window.bridge.poll()
    assert "connected: hipthrust-1A2B" in window.link_label.text()
    assert "battery 76 %" in window.counters_label.text()
    window.bridge.poll()
    assert "connection lost (out of range), reconnecting" in window.link_label.text()
    assert window.link_label.property("state") == "bad"
    assert "Sensor: identify refused" in "\n".join(window.notices())
    window.bridge.poll()
    assert "reconnected" in window.link_label.text()
    text = window.counters_label.text()
    assert "gaps 3" in text and "reconnects 1" in text and "battery 75 %" in text
    assert window.samples_seen == 40
    window.stop_source()
    assert runner.stopped and "stopped" in window.link_label.text()
    assert AppSettings.load(tmp_path).last_uri == uri, "the device is remembered"


def test_an_unknown_source_falls_back_to_the_simulator_with_a_notice(qtbot, tmp_path):
    from desktop.app.main import make_runner

    window = MainWindow(
        runner_factory=make_runner,
        settings=AppSettings.load(tmp_path),
        fallback_uri="sim://hip_thrust_3s_hold?speed=4",
        sound=SoundPlayer(load_multimedia=lambda: None),
    )
    qtbot.addWidget(window)
    assert not window.start_source("carrier-pigeon://coop")
    assert window.bridge.uri.startswith("sim://")
    assert any("unknown source" in n and "simulated sensor" in n for n in window.notices())
    qtbot.waitUntil(lambda: window.samples_seen > 0, timeout=20_000)
    window.close()


def test_the_tilt_plot_shows_only_for_a_hips_sensor(open_window, qtbot):
    window = open_window("sim://glute_bridge?speed=25")
    qtbot.waitUntil(lambda: len(window.set_model.reps) >= 2, timeout=30_000)
    qtbot.waitUntil(lambda: window.plots.tilt_plot.isVisible(), timeout=5_000)
    window.close()
    bar = open_window("sim://hip_thrust_3s_hold?speed=25")
    qtbot.waitUntil(lambda: len(bar.set_model.reps) >= 2, timeout=30_000)
    assert not bar.plots.tilt_plot.isVisible()
