"""The guided self-test on simulated bridges, and on a sensor that never rises."""

import numpy as np
import pytest

from desktop.app.self_test_device import SimulatedBridges
from desktop.app.self_test_view import SIM_HIPS_URI, STEPS, SelfTestView
from desktop.library import Library
from sensors.samples import SampleBlock
from sensors.self_test import BRIDGES, KIND


class StillHips:
    """A sensor lying on a still belt: 10 s of rest per bridge, then finished."""

    device_id = "still"

    def __init__(self) -> None:
        self.t = 0.0
        self.left = 0

    def start(self) -> None: ...
    def stop(self) -> None: ...

    @property
    def finished(self) -> bool:
        return self.left == 0

    def act(self, bridge, side) -> None:
        self.left = 5

    def poll(self):
        if self.left == 0:
            return [], []
        self.left -= 1
        t = self.t + np.arange(400) / 200.0
        self.t = t[-1] + 1 / 200.0
        rng = np.random.default_rng(len(t) + self.left)
        acc = np.array([0.0, 0.0, 9.80665]) + 0.02 * rng.standard_normal((400, 3))
        return [SampleBlock.from_arrays(t, acc, 0.001 * rng.standard_normal((400, 3)))], []


def run_all(view) -> None:
    for _ in STEPS:
        view.start_step()
        for _ in range(100):
            if not view.recording:
                break
            view.poll()
        assert not view.recording


@pytest.fixture
def make_view(qtbot, tmp_path):
    def make(device):
        view = SelfTestView(tmp_path / "data", device_factory=lambda uri: device)
        qtbot.addWidget(view)
        view.show()
        assert view.connect_device(SIM_HIPS_URI)
        return view

    return make


def test_simulated_bridges_store_the_three_results(make_view, tmp_path):
    view = make_view(SimulatedBridges())
    run_all(view)
    assert len(view.results) == 5 and view.result is not None
    assert all(r.reps >= 3 for r in view.results.values())
    assert view.result.hip_share == pytest.approx(0.07 / 0.16, abs=0.08)
    assert not view.result.mobility_first
    assert "From the hips" in view.verdict.text()
    assert view.table.item(0, 3).text() == f"{view.results[STEPS[0]].height_m * 100:.1f}"

    assert not view.save()  # no athlete yet
    assert "name" in view.message.text()
    view.athlete_box.setCurrentText("Sam")
    assert view.save()
    with Library.open(tmp_path / "data") as lib:
        athlete = dict((n, i) for i, n in lib.athletes())["Sam"]
        stored = lib.list_assessments(athlete, KIND)
    assert len(stored) == 1
    bridges = stored[0]["data"]["bridges"]
    assert {b["bridge"] for b in bridges} == set(BRIDGES) and len(bridges) == 5
    assert stored[0]["data"]["mobility_first"] is False


def test_a_sensor_that_never_rises_gets_a_clear_message_and_saves_nothing(make_view, tmp_path):
    view = make_view(StillHips())
    view.athlete_box.setCurrentText("Kim")
    run_all(view)
    assert view.result is None
    assert "no rise found in the two-leg bridge" in view.message.text()
    assert not view.save_button.isEnabled() and not view.save()
    view.redo_previous()
    assert view.current == STEPS[-1]
    view.cancel_button.click()
    with Library.open(tmp_path / "data") as lib:
        assert lib.athletes() == []
