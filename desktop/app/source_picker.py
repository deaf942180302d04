"""Choose the sensor: simulated presets, serial ports, a Bluetooth scan, WitMotion, any URI.

``SourcePicker`` is a dialog whose result is a source URI (``picked_uri``); every list fills
the URI line, which can also be typed. The BLE scan runs on a worker thread through
``bridge.BackgroundTask`` with a progress bar and signal strengths; a missing adapter is a
message in the dialog. The listing functions are injectable for tests.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.app.bridge import BackgroundTask

SCAN_S = 8.0
"""Seconds a Bluetooth scan listens for advertisements."""
URI_ROLE = Qt.ItemDataRole.UserRole


def list_presets() -> list[tuple[str, str]]:
    """Simulator presets as (name, description)."""
    from sensors.simulator import PRESETS

    return [(name, getattr(p, "description", "") or name) for name, p in PRESETS.items()]


def list_ports() -> list[tuple[str, str]]:
    """Serial ports as (device, USB description)."""
    from sensors.sources.serial_source import list_serial_ports

    return [(p.device, p.description) for p in list_serial_ports()]


def scan_ble(timeout_s: float) -> list[Any]:
    """Bluetooth devices seen in ``timeout_s`` (blocking: run it on a worker thread)."""
    from sensors.sources.ble_source import NUS, scan
    from sensors.sources.witmotion_sources import WITMOTION_BLE

    return asyncio.run(scan(timeout_s, (NUS, WITMOTION_BLE)))


class SourcePicker(QDialog):
    """Tabs per kind of source; ``picked_uri`` holds the choice after ``accept()``."""

    def __init__(
        self,
        current_uri: str = "",
        parent: QWidget | None = None,
        *,
        presets: Callable[[], list[tuple[str, str]]] = list_presets,
        ports: Callable[[], list[tuple[str, str]]] = list_ports,
        scanner: Callable[[float], list[Any]] = scan_ble,
        scan_s: float = SCAN_S,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Choose the sensor")
        self.resize(720, 520)
        self._ports_fn, self._scanner, self._scan_s = ports, scanner, scan_s
        self.picked_uri = ""
        self.scan_task: BackgroundTask | None = None
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)

        # simulated
        sim = QWidget()
        form = QVBoxLayout(sim)
        self.preset_list = QListWidget()
        try:
            for name, text in presets():
                self._add_item(self.preset_list, f"{name}  —  {text}", name)
        except Exception as exc:
            self._add_item(self.preset_list, f"simulator unavailable: {exc}", "")
        self.sim_rate = QComboBox()
        self.sim_rate.addItems(["200", "100", "400", "1000"])
        self.sim_speed = QComboBox()
        self.sim_speed.addItems(["1", "2", "4", "max"])
        row = QFormLayout()
        row.addRow("samples per second", self.sim_rate)
        row.addRow("playback speed", self.sim_speed)
        form.addWidget(self.preset_list, 1)
        form.addLayout(row)
        self.tabs.addTab(sim, "Simulated")

        # serial
        ser = QWidget()
        sl = QVBoxLayout(ser)
        self.port_list = QListWidget()
        self.port_status = QLabel("")
        self.serial_witmotion = QCheckBox("WitMotion sensor (WT901 family)")
        self.baud = QComboBox()
        self.baud.setEditable(True)
        self.baud.addItems(["921600", "115200", "9600"])
        refresh = QPushButton("Refresh ports")
        refresh.clicked.connect(self.refresh_ports)
        sl.addWidget(self.port_list, 1)
        sl.addWidget(self.port_status)
        bl = QHBoxLayout()
        bl.addWidget(self.serial_witmotion)
        bl.addWidget(QLabel("baud"))
        bl.addWidget(self.baud)
        bl.addStretch(1)
        bl.addWidget(refresh)
        sl.addLayout(bl)
        self.tabs.addTab(ser, "USB serial")

        # bluetooth
        ble = QWidget()
        bll = QVBoxLayout(ble)
        self.ble_list = QListWidget()
        self.scan_button = QPushButton("Scan for Bluetooth sensors")
        self.scan_button.clicked.connect(self.start_scan)
        self.scan_progress = QProgressBar()
        self.scan_progress.setRange(0, 100)
        self.scan_progress.setValue(0)
        self.scan_status = QLabel("Press scan; sensors appear with their signal strength.")
        self.scan_status.setWordWrap(True)
        bll.addWidget(self.ble_list, 1)
        bll.addWidget(self.scan_progress)
        bll.addWidget(self.scan_status)
        bll.addWidget(self.scan_button)
        self.tabs.addTab(ble, "Bluetooth")

        self.uri_edit = QLineEdit(current_uri)
        self.uri_edit.setPlaceholderText(
            "or type a source, e.g. replay:///path/session.csv?speed=2"
        )
        layout.addWidget(QLabel("Source"))
        layout.addWidget(self.uri_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        for widget in (self.preset_list, self.port_list, self.ble_list):
            widget.currentItemChanged.connect(self._update_uri)
        for widget in (self.sim_rate, self.sim_speed, self.baud):
            widget.currentTextChanged.connect(self._update_uri)
        self.serial_witmotion.toggled.connect(self._update_uri)
        self.tabs.currentChanged.connect(self._update_uri)
        self._progress_timer = QTimer(self)
        self._progress_timer.setInterval(100)
        self._progress_timer.timeout.connect(self._show_scan_progress)
        self.refresh_ports()

    @staticmethod
    def _add_item(widget: QListWidget, text: str, data: Any) -> None:
        item = QListWidgetItem(text)
        item.setData(URI_ROLE, data)
        widget.addItem(item)

    def refresh_ports(self) -> None:
        self.port_list.clear()
        try:
            ports = self._ports_fn()
        except Exception as exc:
            self.port_status.setText(f"Cannot list serial ports: {exc}")
            return
        for device, description in ports:
            self._add_item(
                self.port_list, f"{device}  —  {description or 'no description'}", device
            )
        self.port_status.setText(
            f"{len(ports)} serial port(s)."
            if ports
            else "No serial port found: plug the sensor in and press Refresh."
        )

    def start_scan(self) -> None:
        """Scan for BLE devices on a worker thread; the list fills when it ends."""
        if self.scan_task is not None:
            return
        self.ble_list.clear()
        self.scan_button.setEnabled(False)
        self.scan_status.setText(f"Scanning for {self._scan_s:g} s…")
        timeout = self._scan_s
        self.scan_task = BackgroundTask(lambda: self._scanner(timeout), self)
        self.scan_task.done.connect(self._on_scan_done)
        self.scan_task.error.connect(self._on_scan_error)
        self._progress_timer.start()

    def _show_scan_progress(self) -> None:
        if self.scan_task is not None:
            self.scan_progress.setValue(min(99, int(100 * self.scan_task.elapsed_s / self._scan_s)))

    def _scan_finished(self) -> None:
        self._progress_timer.stop()
        self.scan_progress.setValue(100)
        self.scan_button.setEnabled(True)
        self.scan_task = None

    def _on_scan_done(self, devices: list[Any]) -> None:
        self._scan_finished()
        for d in devices:
            scheme = "witmotion+ble" if d.kind == "witmotion" else "ble"
            rssi = f"{d.rssi} dBm" if d.rssi is not None else "signal ?"
            kind = f" [{d.kind}]" if d.kind else ""
            label = f"{d.name or '(no name)'}  {d.address}  {rssi}{kind}"
            self._add_item(self.ble_list, label, f"{scheme}://{d.address}")
        self.scan_status.setText(
            f"{len(devices)} device(s) found, strongest first."
            if devices
            else "No Bluetooth device found: is the sensor on and near?"
        )

    def _on_scan_error(self, message: str) -> None:
        self._scan_finished()
        self.scan_status.setText(message)

    def _update_uri(self, *_: Any) -> None:
        tab = self.tabs.currentIndex()
        if tab == 0 and (item := self.preset_list.currentItem()) and item.data(URI_ROLE):
            speed = self.sim_speed.currentText()
            self.uri_edit.setText(
                f"sim://{item.data(URI_ROLE)}?rate={self.sim_rate.currentText()}&speed={speed}"
            )
        elif tab == 1 and (item := self.port_list.currentItem()):
            scheme = "witmotion+serial" if self.serial_witmotion.isChecked() else "serial"
            self.uri_edit.setText(
                f"{scheme}://{item.data(URI_ROLE)}?baud={self.baud.currentText()}"
            )
        elif tab == 2 and (item := self.ble_list.currentItem()):
            self.uri_edit.setText(item.data(URI_ROLE))

    def accept(self) -> None:
        self.picked_uri = self.uri_edit.text().strip()
        super().accept()


def pick_source(parent: QWidget, current_uri: str) -> str | None:
    """Show the picker modally; the chosen URI, or None when cancelled."""
    dialog = SourcePicker(current_uri, parent)
    ok = dialog.exec() == QDialog.DialogCode.Accepted
    return dialog.picked_uri or None if ok else None
