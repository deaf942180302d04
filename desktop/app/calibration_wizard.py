"""The calibration wizard: connect, hold still, six faces, mounting, known height, save.

Each step shows live what the sensor does (a stillness meter, the face that points up) and
moves on only when its data is good; a sensor that moves during a still step starts the step
again with a message. Nothing is stored until Save on the last page, so a cancelled wizard
leaves the library as it was. The record is stored per device (``Library.save_calibration``)
with the before/after figures, and the live window applies the newest one automatically.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.app.calibration_device import BENCH_URI, BenchDevice, CalibrationDevice, RunnerDevice
from desktop.app.calibration_steps import LEAD_S, FaceStep, MovementStep, StillStep
from desktop.app.device_dialog import DeviceDialog
from desktop.library import Library
from sensors.calibration import CalibrationRecord
from sensors.calibration_fit import (
    FACES,
    AccelFit,
    MountingCheck,
    build_record,
    check_known_height,
    check_mounting,
    fit_accelerometer,
)
from sensors.errors import SensorError
from sensors.samples import STANDARD_GRAVITY, SampleBlock

STEPS = ("connect", "still", "faces", "mount", "height", "result")
TITLES = {
    "connect": "1. Connect the sensor",
    "still": "2. Hold still (gyro bias)",
    "faces": "3. Six faces (accelerometer)",
    "mount": "4. Mounting check",
    "height": "5. Known height (optional)",
    "result": "6. Before and after",
}


def open_device(uri: str) -> CalibrationDevice:
    """The simulated bench for BENCH_URI, else the source behind ``uri``."""
    return BenchDevice() if uri == BENCH_URI else RunnerDevice(uri)


class CalibrationWizard(DeviceDialog):
    """See the module docstring; ``saved(device_id)`` is emitted once the record is stored."""

    saved = Signal(str)

    def __init__(
        self,
        data_dir: str | Path | None = None,
        *,
        uri: str = "",
        device_factory: Callable[[str], CalibrationDevice] = open_device,
        poll_hz: float = 20.0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(device_factory, poll_hz, parent)
        self.setWindowTitle("hipthrust: calibrate a sensor")
        self.resize(900, 640)
        self.data_dir = data_dir
        self.device_id: str | None = None
        self.step = "connect"
        self.messages: list[str] = []
        """Every message the wizard showed, in order (for the record and for tests)."""
        self.still: StillStep | None = None
        self.faces: FaceStep | None = None
        self.mount_step: MovementStep | None = None
        self.height_step: MovementStep | None = None
        self.accel: AccelFit | None = None
        self.mounting: MountingCheck | None = None
        self.record: CalibrationRecord | None = None
        self.figures: dict = {}
        self.saved_id: int | None = None
        self._build(uri)
        self._show_step()

    # -- layout ----------------------------------------------------------------------------
    def _build(self, uri: str) -> None:
        layout = QVBoxLayout(self)
        self.title = QLabel(objectName="wizardTitle")
        layout.addWidget(self.title)
        self.instruction = QLabel(objectName="wizardInstruction")
        self.instruction.setWordWrap(True)
        layout.addWidget(self.instruction)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages, 1)

        connect = QWidget()
        row = QHBoxLayout(connect)
        self.uri_box = QComboBox()
        self.uri_box.setEditable(True)
        for item in dict.fromkeys(u for u in (uri, BENCH_URI) if u):
            self.uri_box.addItem(item)
        self.connect_button = QPushButton("Connect")
        self.connect_button.clicked.connect(lambda: self.connect_device(self.uri_box.currentText()))
        row.addWidget(QLabel("Sensor:"))
        row.addWidget(self.uri_box, 1)
        row.addWidget(self.connect_button)
        self.pages.addWidget(connect)

        live = QWidget()
        grid = QGridLayout(live)
        self.meter = QProgressBar(objectName="stillnessMeter")
        self.meter.setRange(0, 100)
        self.meter.setFormat("stillness %p %")
        grid.addWidget(QLabel("Stillness"), 0, 0)
        grid.addWidget(self.meter, 0, 1, 1, 6)
        self.face_labels: dict[str, QLabel] = {}
        for i, face in enumerate(FACES):
            label = QLabel(f"{face} up", objectName="faceTile")
            label.setProperty("state", "")
            self.face_labels[face] = label
            grid.addWidget(label, 1, 1 + i)
        self.face_row_label = QLabel("Faces")
        grid.addWidget(self.face_row_label, 1, 0)
        self.reading = QLabel("", objectName="faceReading")
        grid.addWidget(self.reading, 2, 0, 1, 7)
        self.mount_box = QComboBox()
        self.mount_box.addItem("on the hips (belt)", "hips")
        self.mount_box.addItem("on the bar", "bar")
        self.mount_label = QLabel("Sensor sits")
        grid.addWidget(self.mount_label, 3, 0)
        grid.addWidget(self.mount_box, 3, 1, 1, 3)
        self.height_spin = QDoubleSpinBox(suffix=" cm", minimum=5.0, maximum=200.0, value=30.0)
        self.height_label = QLabel("Lift by")
        grid.addWidget(self.height_label, 4, 0)
        grid.addWidget(self.height_spin, 4, 1, 1, 2)
        self.message = QLabel("", objectName="wizardMessage")
        self.message.setWordWrap(True)
        grid.addWidget(self.message, 5, 0, 1, 7)
        grid.setRowStretch(6, 1)
        self.pages.addWidget(live)

        self.result_label = QLabel(objectName="wizardResult")
        self.result_label.setWordWrap(True)
        self.result_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.pages.addWidget(self.result_label)

        buttons = QHBoxLayout()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.reject)
        self.skip_button = QPushButton("Skip")
        self.skip_button.clicked.connect(self.skip_step)
        self.next_button = QPushButton("Next")
        self.next_button.clicked.connect(self.next_step)
        self.save_button = QPushButton("Save")
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        for b in (self.skip_button, self.next_button, self.save_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)

    # -- flow ------------------------------------------------------------------------------
    def connect_device(self, uri: str) -> bool:
        """Open and start the sensor at ``uri``; False (and a message) when it fails."""
        problem = self.start_device(uri)
        if problem:
            self._say(problem)
            return False
        self.next_step()
        return True

    def next_step(self) -> None:
        """Go on to the next step (only when the current one is done)."""
        if not self._step_done():
            return
        index = STEPS.index(self.step)
        self.step = STEPS[index + 1]
        self._enter_step()

    def skip_step(self) -> None:
        """Skip the optional known-height step."""
        if self.step == "height":
            self.height_step = None
            self.step = "result"
            self._enter_step()

    def _step_done(self) -> bool:
        current = {
            "connect": self.device is not None,
            "still": self.still is not None and self.still.done,
            "faces": self.faces is not None and self.faces.done,
            "mount": self.mount_step is not None and self.mount_step.done,
            "height": self.height_step is not None and self.height_step.done,
        }
        return current.get(self.step, False)

    def _enter_step(self) -> None:
        if self.step == "still":
            self.still = StillStep()
            self._act("still")
        elif self.step == "faces":
            self.faces = FaceStep()
            self._act("face", face=self.faces.next_face)
        elif self.step == "mount":
            self._start_mount()
        elif self.step == "height":
            self._start_height()
        elif self.step == "result":
            self._finish()
        self._show_step()

    def _start_mount(self) -> None:
        self.accel = fit_accelerometer(self.faces.result)
        partial = build_record(self.still.result, self.accel)
        mount = self.mount_box.currentData()

        def check(block: SampleBlock) -> MountingCheck:
            t0 = float(block.t[0])
            still, rep = block.between(t0, t0 + LEAD_S), block.between(t0 + LEAD_S, math.inf)
            return check_mounting(still, rep, self.mount_box.currentData(), partial)

        self.mount_step = MovementStep(
            check,
            f"Put the sensor {self.mount_box.currentText()}, lie in the start position and "
            "hold still, then do one slow rep and stay down.",
        )
        self._act("mount", mount=mount)

    def _start_height(self) -> None:
        self.mounting = self.mount_step.result
        record = build_record(self.still.result, self.accel, self.mounting)
        height_m = self.height_spin.value() / 100.0

        def check(block: SampleBlock):
            return check_known_height(block, height_m), check_known_height(block, height_m, record)

        self.height_step = MovementStep(
            check,
            f"Hold the sensor still, lift it straight up by {height_m * 100:.0f} cm and hold "
            "it there.",
        )
        self._act("lift", height_m=height_m)

    def _act(self, step: str, **params) -> None:
        """Let a simulated bench act the instruction out (a person reads it instead)."""
        act = getattr(self.device, "act", None)
        if act is not None:
            act(step, **params)

    # -- live ------------------------------------------------------------------------------
    def poll(self) -> None:
        """Feed the current step with what the sensor sent since the last poll."""
        if self.device is None:
            return
        blocks, problems = self.device.poll()
        for problem in problems:
            self._say(f"Sensor: {problem}")
        step = self._live_step()
        if self.device_id is None:
            self.device_id = self.device.device_id
        if step is None:
            return
        faces_before = len(self.faces.faces) if self.faces is not None else 0
        for block in blocks:
            step.feed(block)
        if self.faces is step and len(self.faces.faces) > faces_before and not step.done:
            self._act("face", face=self.faces.next_face)
        self._show_live(step)

    def _live_step(self):
        return {
            "still": self.still,
            "faces": self.faces,
            "mount": self.mount_step,
            "height": self.height_step,
        }.get(self.step)

    def _show_live(self, step) -> None:
        self.meter.setValue(round(step.level * 100))
        if step.message != self.message.text():
            self._say(step.message)
        if step is self.faces:
            for face, label in self.face_labels.items():
                state = "done" if face in self.faces.faces else ""
                if label.property("state") != state:
                    label.setProperty("state", state)
                    label.setText(f"{face} up ✓" if state else f"{face} up")
            r = self.faces.reading
            if r is not None:
                g = r.mean_acc_mps2 / STANDARD_GRAVITY
                self.reading.setText(
                    f"Now: {r.face} up, {r.misalignment_deg:.0f}° off · "
                    f"x {g[0]:+.2f} g  y {g[1]:+.2f} g  z {g[2]:+.2f} g"
                )
        self.next_button.setEnabled(step.done)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        if not self.messages or self.messages[-1] != text:
            self.messages.append(text)

    def _show_step(self) -> None:
        self.title.setText(f"<b>{TITLES[self.step]}</b>")
        self.instruction.setText(_INSTRUCTIONS[self.step])
        self.pages.setCurrentIndex({"connect": 0, "result": 2}.get(self.step, 1))
        on_faces = self.step == "faces"
        for w in (*self.face_labels.values(), self.face_row_label, self.reading):
            w.setVisible(on_faces)
        for w in (self.mount_box, self.mount_label):
            w.setVisible(self.step == "mount")
        for w in (self.height_spin, self.height_label):
            w.setVisible(self.step == "height")
        self.skip_button.setVisible(self.step == "height")
        self.next_button.setVisible(self.step not in ("connect", "result"))
        self.next_button.setEnabled(False)
        self.save_button.setVisible(self.step == "result")
        step = self._live_step()
        if step is not None:
            self._say(step.message)

    # -- result ----------------------------------------------------------------------------
    def _finish(self) -> None:
        self.stop_device()
        self.record = build_record(self.still.result, self.accel, self.mounting)
        rates = np.array(list(self.faces.face_rates.values()))
        deg = math.degrees
        figures = {
            "gyro_bias_dps_before": deg(float(np.linalg.norm(rates, axis=1).max())),
            "gyro_bias_dps_after": deg(
                float(np.linalg.norm(rates - self.record.gyro_bias_rps, axis=1).max())
            ),
            "gravity_error_mps2_before": self.accel.gravity_error_before_mps2,
            "gravity_error_mps2_after": self.accel.gravity_error_after_mps2,
            "mount_turn_deg": self.mounting.turn_deg,
        }
        if self.height_step is not None:
            before, after = self.height_step.result
            figures["height_expected_m"] = before.expected_m
            figures["height_error_m_before"] = before.error_m
            figures["height_error_m_after"] = after.error_m
        self.figures = figures
        self.result_label.setText(_result_html(self.device_id, self.record, self.mounting, figures))

    def calibration_data(self) -> dict:
        """What Save stores: the record (CalibrationRecord.to_dict) plus mount and figures."""
        return {
            **self.record.to_dict(),
            "mount": self.mounting.mount,
            "axis_map": dict(self.mounting.axis_map),
            "figures": {k: round(v, 6) for k, v in self.figures.items()},
            "source": self.uri or None,
        }

    def save(self) -> bool:
        """Store the record for the device; True when saved (then the dialog closes)."""
        if self.record is None or not self.device_id:
            self._say("Nothing to save: finish the steps first.")
            return False
        try:
            with Library.open(self.data_dir) as library:
                self.saved_id = library.save_calibration(self.device_id, self.calibration_data())
        except SensorError as exc:
            self.result_label.setText(f"{self.result_label.text()}<p><b>Not saved:</b> {exc}</p>")
            self._say(f"Not saved: {exc}")
            return False
        self.saved.emit(self.device_id)
        self.accept()
        return True


_INSTRUCTIONS = {
    "connect": "Plug in or switch on the sensor and choose it. The simulated bench works "
    "without hardware.",
    "still": "Lay the sensor on a table and do not touch it. The meter fills when it is still.",
    "faces": "Lay the sensor on each of its six sides in turn, flat and still, until each face "
    "is ticked. The face pointing up is shown live.",
    "mount": "Put the sensor where it will sit for training and choose where that is.",
    "height": "Measure a height (a box, a shelf). Lift the sensor by exactly that much, or skip.",
    "result": "Check the figures, then Save. The record is used for this sensor from now on.",
}


def _result_html(
    device_id: str | None, record: CalibrationRecord, mounting: MountingCheck, f: dict
) -> str:
    def row(name: str, before: str, after: str) -> str:
        return f"<tr><td>{name}</td><td align=right>{before}</td><td align=right>{after}</td></tr>"

    rows = [
        row(
            "gyro rate at rest (deg/s)",
            f"{f['gyro_bias_dps_before']:.2f}",
            f"{f['gyro_bias_dps_after']:.3f}",
        ),
        row(
            "gravity error on the faces (m/s²)",
            f"{f['gravity_error_mps2_before']:.3f}",
            f"{f['gravity_error_mps2_after']:.4f}",
        ),
    ]
    if "height_error_m_before" in f:
        rows.append(
            row(
                f"error on a {f['height_expected_m'] * 100:.0f} cm lift (mm)",
                f"{f['height_error_m_before'] * 1000:+.1f}",
                f"{f['height_error_m_after'] * 1000:+.1f}",
            )
        )
    bias = np.degrees(record.gyro_bias_rps)
    return (
        f"<h3>Sensor {device_id}</h3>"
        "<table cellpadding=4><tr><th></th><th>before</th><th>after</th></tr>"
        + "".join(rows)
        + "</table>"
        f"<p>Gyro bias: {bias[0]:+.2f} {bias[1]:+.2f} {bias[2]:+.2f} deg/s<br>"
        "Accelerometer offset: "
        + " ".join(f"{v:+.3f}" for v in record.acc_offset_mps2)
        + " m/s², scale: "
        + " ".join(f"{v:.4f}" for v in record.acc_scale)
        + f"<br>Mounting ({mounting.mount}): {mounting.describe()}</p>"
    )
