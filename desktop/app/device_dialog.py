"""A dialog that streams raw samples from one sensor while it is open (wizard, self-test).

``DeviceDialog.start_device(uri)`` opens the device from the injected factory and polls it on
a timer (``poll()``, implemented by the subclass); closing the dialog in any way (Save,
Cancel, Esc, the window's X) stops the device.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QWidget

from desktop.app.calibration_device import CalibrationDevice
from sensors.errors import SensorError


class DeviceDialog(QDialog):
    """See the module docstring; ``device`` is None until ``start_device`` succeeded."""

    def __init__(
        self,
        device_factory: Callable[[str], CalibrationDevice],
        poll_hz: float,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._factory = device_factory
        self.device: CalibrationDevice | None = None
        self.uri = ""
        self._timer = QTimer(self)
        self._timer.setInterval(max(1, round(1000 / poll_hz)))
        self._timer.timeout.connect(self.poll)

    def poll(self) -> None:
        """Take the device's new samples (called by the timer)."""
        raise NotImplementedError

    def start_device(self, uri: str) -> str | None:
        """Open and start the sensor at ``uri``: None when streaming, else the reason."""
        self.stop_device()
        try:
            device = self._factory(uri.strip())
            device.start()
        except SensorError as exc:
            return f"Cannot connect: {exc}"
        self.device = device
        self.uri = uri.strip()
        self._timer.start()
        return None

    def stop_device(self) -> None:
        self._timer.stop()
        if self.device is not None:
            self.device.stop()

    def done(self, result: int) -> None:
        self.stop_device()
        super().done(result)
