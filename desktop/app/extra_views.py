"""The live window's doors to replay, history, the calibration wizard and the self-test.

``install_extra_views(window)`` adds four toolbar actions (after a separator) to a MainWindow
and keeps the views it opens in ``window.extra_views``. Each view works on the window's data
folder; saving a calibration or a self-test result is announced in the window's notice bar.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from desktop.app.calibration_wizard import CalibrationWizard
from desktop.app.history_view import HistoryView
from desktop.app.replay_window import ReplayWindow, choose_recording
from desktop.app.self_test_view import SIM_HIPS_URI, SelfTestView


class ExtraViews:
    """The actions and the open views of one main window."""

    def __init__(self, window) -> None:
        self.window = window
        path = getattr(window.settings, "path", None)
        self.data_dir: Path | None = None if path is None else Path(path).parent
        self.open: list[QWidget] = []
        self.actions: dict[str, QAction] = {}

    def install(self) -> None:
        tb = self.window.toolbar
        tb.addSeparator()
        for key, text, shortcut, slot in (
            ("replay", "Replay…", "Ctrl+R", self.open_replay),
            ("history", "History", "Ctrl+H", self.open_history),
            ("calibrate", "Calibrate…", "Ctrl+K", self.open_calibration),
            ("self_test", "Hip test…", "Ctrl+T", self.open_self_test),
        ):
            action = QAction(f"{text}  [{shortcut}]", self.window)
            action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            tb.addAction(action)
            self.actions[key] = action
        for w in tb.findChildren(QWidget):
            w.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def _keep(self, view: QWidget) -> QWidget:
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view.destroyed.connect(lambda: self.open.remove(view))
        self.open.append(view)
        view.show()
        return view

    def open_replay(self, ref: str | None = None) -> ReplayWindow | None:
        """A replay window on ``ref``, or on a session the user chooses."""
        ref = ref or choose_recording(self.window, self._dir())
        if not ref:
            return None
        replay = self._keep(ReplayWindow(self._dir()))
        replay.open_ref(ref)
        return replay

    def open_history(self) -> HistoryView:
        return self._keep(HistoryView(self._dir()))

    def open_calibration(self) -> CalibrationWizard:
        """The wizard on the window's current sensor (its stream is stopped meanwhile)."""
        uri = self.window.bridge.uri or self.window.settings.last_uri or ""
        if self.window.bridge.running and not uri.startswith("sim://"):
            self.window.stop_source()  # one program at a time on a serial port or BLE link
        wizard = CalibrationWizard(self._dir(), uri=uri)
        wizard.saved.connect(
            lambda device: self.window.add_notice(
                "calibration",
                f"Calibration of sensor {device} saved: it is applied from its next connection.",
            )
        )
        return self._keep(wizard)

    def open_self_test(self) -> SelfTestView:
        view = SelfTestView(self._dir(), uri=SIM_HIPS_URI)
        view.saved.connect(
            lambda result: self.window.add_notice(
                "self_test", f"Hip-extension test saved for the planner: {result.advice}"
            )
        )
        return self._keep(view)

    def _dir(self) -> str | None:
        return None if self.data_dir is None else str(self.data_dir)


def install_extra_views(window) -> ExtraViews:
    """Add the replay, history, calibration and self-test actions to ``window``."""
    views = ExtraViews(window)
    views.install()
    window.extra_views = views
    return views
