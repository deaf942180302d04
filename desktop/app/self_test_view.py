"""The guided hip-extension self-test: five recordings, three bridges, one verdict.

With the sensor on the hips the person does a two-leg bridge, then each side of a single-leg
bridge with the other hip and knee at 90 degrees, then each side hugging the other knee to the
chest. Each recording (Start, a few reps, Stop) is analysed at once (``sensors.self_test``);
after the last one the view shows how much height came from the hips against compensation and
the advice. Save stores the result as an assessment of the athlete, where the planner finds
it; nothing is stored before Save.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.app.calibration_device import CalibrationDevice, RunnerDevice
from desktop.app.device_dialog import DeviceDialog
from desktop.app.self_test_device import SimulatedBridges
from desktop.library import Library
from sensors.errors import SensorError
from sensors.samples import SampleBlock
from sensors.self_test import (
    KIND,
    SIDES,
    TITLES,
    BridgeResult,
    SelfTestResult,
    analyze_bridge,
    assess,
)

SIM_HIPS_URI = "sim://self-test"
"""The view's name for the simulated hips sensor."""
STEPS = tuple((bridge, side) for bridge in TITLES for side in SIDES[bridge])
"""(bridge, side) in the order they are done."""
HOW = {
    "two_leg": "Feet flat, both legs: lift the hips as high as you can, hold 2 s, lower. "
    "Do 3 to 5 reps.",
    "single_leg_90": "One foot on the floor, the other hip and knee bent at 90 degrees in the "
    "air: lift, hold 2 s, lower. 3 to 5 reps.",
    "single_leg_hug": "One foot on the floor, hug the other knee to the chest with both arms: "
    "lift, hold 2 s, lower. 3 to 5 reps.",
}


def open_hips_device(uri: str) -> CalibrationDevice:
    """The simulated hips for SIM_HIPS_URI, else the source behind ``uri`` (raw samples)."""
    return SimulatedBridges() if uri == SIM_HIPS_URI else RunnerDevice(uri)


class SelfTestView(DeviceDialog):
    """See the module docstring; ``saved(result)`` once the result is in the library."""

    saved = Signal(object)

    def __init__(
        self,
        data_dir: str | Path | None = None,
        *,
        uri: str = SIM_HIPS_URI,
        device_factory: Callable[[str], CalibrationDevice] = open_hips_device,
        poll_hz: float = 20.0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(device_factory, poll_hz, parent)
        self.setWindowTitle("hipthrust: hip-extension self-test")
        self.resize(1000, 680)
        self.data_dir = data_dir
        self.results: dict[tuple[str, str], BridgeResult] = {}
        self.result: SelfTestResult | None = None
        self.recording = False
        self._blocks: list[SampleBlock] = []
        self.saved_id: int | None = None
        self._build(uri)
        self._show()

    def _build(self, uri: str) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.athlete_box = QComboBox()
        self.athlete_box.setEditable(True)
        self.athlete_box.setMinimumWidth(200)
        try:
            with Library.open(self.data_dir) as library:
                self.athlete_box.addItems([name for _, name in library.athletes()])
        except SensorError:
            pass  # the library's problem is said when saving
        self.athlete_box.setCurrentText("")
        self.uri_box = QComboBox()
        self.uri_box.setEditable(True)
        for item in dict.fromkeys((uri, SIM_HIPS_URI)):
            self.uri_box.addItem(item)
        self.connect_button = QPushButton("Connect")
        self.connect_button.clicked.connect(lambda: self.connect_device(self.uri_box.currentText()))
        top.addWidget(QLabel("Athlete:"))
        top.addWidget(self.athlete_box)
        top.addWidget(QLabel("Sensor on the hips:"))
        top.addWidget(self.uri_box, 1)
        top.addWidget(self.connect_button)
        layout.addLayout(top)

        self.step_title = QLabel(objectName="wizardTitle")
        self.step_how = QLabel(objectName="wizardInstruction")
        self.step_how.setWordWrap(True)
        layout.addWidget(self.step_title)
        layout.addWidget(self.step_how)
        self.activity = QProgressBar()
        self.activity.setRange(0, 0)
        self.activity.setFormat("recording…")
        self.activity.hide()
        layout.addWidget(self.activity)

        self.table = QTableWidget(len(STEPS), 5)
        self.table.setHorizontalHeaderLabels(["bridge", "side", "reps", "height cm", "tilt °"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (bridge, side) in enumerate(STEPS):
            self.table.setItem(row, 0, QTableWidgetItem(TITLES[bridge]))
            self.table.setItem(row, 1, QTableWidgetItem(side))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)

        self.verdict = QLabel(objectName="selfTestVerdict")
        self.verdict.setWordWrap(True)
        self.verdict.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.verdict)
        self.message = QLabel(objectName="wizardMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

        buttons = QHBoxLayout()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.reject)
        self.redo_button = QPushButton("Redo previous")
        self.redo_button.clicked.connect(self.redo_previous)
        self.start_button = QPushButton("Start")
        self.start_button.clicked.connect(self.start_step)
        self.stop_button = QPushButton("Stop")
        self.stop_button.clicked.connect(self.stop_step)
        self.save_button = QPushButton("Save")
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        for b in (self.redo_button, self.start_button, self.stop_button, self.save_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)

    # -- flow ------------------------------------------------------------------------------
    @property
    def current(self) -> tuple[str, str] | None:
        """The next (bridge, side) to record, None when all are done."""
        return next((s for s in STEPS if s not in self.results), None)

    def connect_device(self, uri: str) -> bool:
        """Open and start the sensor at ``uri``; False (and a message) when it fails."""
        problem = self.start_device(uri)
        if problem:
            self.message.setText(problem)
            return False
        self.message.setText(f"Connected to {self.uri}.")
        self._show()
        return True

    def start_step(self) -> None:
        """Begin recording the current bridge."""
        if self.device is None or self.current is None:
            return
        self._drain()  # what came before Start is not part of the bridge
        act = getattr(self.device, "act", None)
        if act is not None:
            try:
                act(*self.current)
            except SensorError as exc:
                self.message.setText(f"The simulated sensor refused: {exc}")
                return
        self._blocks = []
        self.recording = True
        self.message.setText("Recording: do the reps, then press Stop.")
        self._show()

    def stop_step(self) -> None:
        """Stop recording and analyse the bridge; a problem keeps the step to redo."""
        if not self.recording:
            return
        self.recording = False
        self._blocks.extend(self._drain())
        bridge, side = self.current
        try:
            result = analyze_bridge(bridge, side, SampleBlock.concat(self._blocks))
        except SensorError as exc:
            self.message.setText(f"{TITLES[bridge]} ({side}) not counted: {exc}")
            self._show()
            return
        self.results[(bridge, side)] = result
        self.message.setText(
            f"{TITLES[bridge]} ({side}): {result.reps} reps, {result.height_m * 100:.1f} cm"
            if result.reps
            else f"{TITLES[bridge]} ({side}): no rise found, counted as no height."
        )
        if self.current is None:
            self._assess()
        self._show()

    def redo_previous(self) -> None:
        """Forget the last recorded bridge so it is done again."""
        done = [s for s in STEPS if s in self.results]
        if done and not self.recording:
            del self.results[done[-1]]
            self.result = None
            self.verdict.clear()
            self._show()

    def poll(self) -> None:
        """Take the sensor's new samples (kept while recording); a simulated set that
        ended stops the recording by itself."""
        blocks = self._drain()
        if self.recording:
            self._blocks.extend(blocks)
            if getattr(self.device, "finished", False):
                self.stop_step()

    def _drain(self) -> list[SampleBlock]:
        if self.device is None:
            return []
        blocks, problems = self.device.poll()
        for problem in problems:
            self.message.setText(f"Sensor: {problem}")
        return blocks

    def _assess(self) -> None:
        try:
            self.result = assess(list(self.results.values()))
        except SensorError as exc:
            self.message.setText(str(exc))
            self.result = None
            return
        r = self.result
        colour = "#ef5350" if r.mobility_first else "#66bb6a"
        self.verdict.setText(
            f"<p style='font-size:18px'><b>From the hips: {r.hip_share:.0%}</b> "
            f"({r.true_extension_m * 100:.1f} cm of {r.two_leg_m * 100:.1f} cm) · "
            f"compensation {r.compensation_m * 100:.1f} cm · "
            f"left/right difference {r.asymmetry:.0%}</p>"
            f"<p style='color:{colour}'>{r.advice}</p>"
        )

    # -- saving ----------------------------------------------------------------------------
    def save(self) -> bool:
        """Store the result for the athlete (the planner reads it from the library)."""
        name = self.athlete_box.currentText().strip()
        if self.result is None:
            self.message.setText("Nothing to save yet: record all five bridges first.")
            return False
        if not name:
            self.message.setText("Enter the athlete's name to save the result.")
            return False
        try:
            with Library.open(self.data_dir) as library:
                athlete = library.athlete_id(name)
                self.saved_id = library.save_assessment(KIND, athlete, self.result.to_dict())
        except SensorError as exc:
            self.message.setText(f"Not saved: {exc}")
            return False
        self.saved.emit(self.result)
        self.accept()
        return True

    # -- view ------------------------------------------------------------------------------
    def _show(self) -> None:
        step = self.current
        if step is None:
            self.step_title.setText("<b>All bridges done</b>")
            self.step_how.setText("Check the result, then Save (or redo a bridge).")
        else:
            bridge, side = step
            n = STEPS.index(step) + 1
            where = "" if side == "both" else f", {side} leg on the floor"
            self.step_title.setText(f"<b>{n}/{len(STEPS)}: {TITLES[bridge]}{where}</b>")
            self.step_how.setText(HOW[bridge])
        for row, key in enumerate(STEPS):
            r = self.results.get(key)
            values = ("", "", "") if r is None else (
                str(r.reps), f"{r.height_m * 100:.1f}", f"{r.tilt_deg:.1f}"
            )  # fmt: skip
            for col, text in enumerate(values, start=2):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.activity.setVisible(self.recording)
        connected = self.device is not None
        self.start_button.setEnabled(connected and step is not None and not self.recording)
        self.stop_button.setEnabled(self.recording)
        self.redo_button.setEnabled(bool(self.results) and not self.recording)
        self.save_button.setEnabled(self.result is not None)
