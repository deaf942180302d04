"""History: sessions by athlete and exercise, progress charts over weeks, click to replay.

``HistoryView(data_dir)`` reads the library each time the filters change (``refresh()``); a
double-click on a session emits ``replay_requested(session_id)`` and opens it in a
``ReplayWindow``. The charts show ``history_model.weekly_progress``: reps per set, holds
achieved, range of motion (cm), load (kg) and mean concentric velocity (m/s) per week.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.app import theme
from desktop.app.history_model import WeekPoint, sessions_of, weekly_progress
from desktop.app.replay_window import ReplayWindow
from desktop.library import Library
from sensors.errors import SensorError

ALL = "all"
CHARTS = (
    ("reps_per_set", "Reps per set", "", 1.0),
    ("holds_achieved", "Holds achieved", "%", 100.0),
    ("rom_m", "Range of motion", "cm", 100.0),
    ("load_kg", "Load", "kg", 1.0),
    ("velocity_mps", "Mean velocity (up)", "m/s", 1.0),
)
"""WeekPoint field, title, display unit and the factor from SI to it."""
COLUMNS = ("id", "date (UTC)", "athlete", "exercises", "sets", "reps", "minutes")


class HistoryView(QWidget):
    """See the module docstring."""

    replay_requested = Signal(int)

    def __init__(self, data_dir: str | Path | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("hipthrust: history")
        self.resize(1500, 900)
        self.data_dir = data_dir
        self.points: list[WeekPoint] = []
        self.session_ids: list[int] = []
        self.replays: list[ReplayWindow] = []
        self._build()
        self.replay_requested.connect(self.open_replay)
        self.refresh()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.athlete_box = QComboBox()
        self.exercise_box = QComboBox()
        for box in (self.athlete_box, self.exercise_box):
            box.setMinimumWidth(180)
            box.addItem(ALL)
            box.currentIndexChanged.connect(lambda _i: self.refresh())
        refresh = QPushButton("Refresh")
        refresh.clicked.connect(self.reload_filters)
        filters.addWidget(QLabel("Athlete:"))
        filters.addWidget(self.athlete_box)
        filters.addWidget(QLabel("Exercise:"))
        filters.addWidget(self.exercise_box)
        filters.addWidget(refresh)
        filters.addStretch(1)
        layout.addLayout(filters)
        self.notice = QLabel("", objectName="notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        layout.addWidget(self.notice)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.cellDoubleClicked.connect(
            lambda row, _col: self.replay_requested.emit(self.session_ids[row])
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        splitter.addWidget(self.table)

        charts = QWidget()
        grid = QGridLayout(charts)
        grid.setContentsMargins(0, 0, 0, 0)
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.plots: dict[str, pg.PlotWidget] = {}
        for i, (name, title, unit, _) in enumerate(CHARTS):
            plot = pg.PlotWidget(title=title, axisItems={"bottom": pg.DateAxisItem()})
            plot.getPlotItem().setLabel("left", unit)
            plot.getPlotItem().showGrid(x=True, y=True, alpha=0.2)
            plot.getPlotItem().setMenuEnabled(False)
            plot.getPlotItem().getAxis("left").enableAutoSIPrefix(False)
            self.curves[name] = plot.plot(
                pen=pg.mkPen(theme.HEIGHT, width=2),
                symbol="o",
                symbolSize=8,
                symbolBrush=theme.HEIGHT,
            )
            self.plots[name] = plot
            grid.addWidget(plot, i // 2, i % 2)
        self.caption = QLabel("", objectName="historyCaption")
        self.caption.setWordWrap(True)
        grid.addWidget(self.caption, 2, 1)
        splitter.addWidget(charts)
        splitter.setSizes([560, 940])
        layout.addWidget(splitter, 1)
        self.reload_filters()

    def reload_filters(self) -> None:
        """Fill the athlete and exercise lists from the library (keeping the choices)."""
        try:
            with Library.open(self.data_dir) as library:
                athletes = [name for _, name in library.athletes()]
                exercises = sorted({e for _, found in sessions_of(library) for e in found})
        except SensorError as exc:
            self._show_notice(f"The library cannot be read: {exc}")
            return
        for box, items in ((self.athlete_box, athletes), (self.exercise_box, exercises)):
            current = box.currentText()
            box.blockSignals(True)
            box.clear()
            box.addItems([ALL, *items])
            box.setCurrentIndex(max(0, box.findText(current)))
            box.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        """Read the sessions and weekly points for the filters and redraw."""
        athlete = _choice(self.athlete_box)
        exercise = _choice(self.exercise_box)
        try:
            with Library.open(self.data_dir) as library:
                sessions = sessions_of(library, athlete, exercise)
                self.points = weekly_progress(library, athlete, exercise)
        except SensorError as exc:
            self._show_notice(f"The library cannot be read: {exc}")
            return
        self.notice.hide()
        self._fill_table(sessions)
        self._draw()

    def open_replay(self, session_id: int) -> ReplayWindow:
        """Open session ``session_id`` in a replay window (kept open beside the history)."""
        window = ReplayWindow(self.data_dir)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.destroyed.connect(lambda: self.replays.remove(window))
        self.replays.append(window)
        window.show()
        window.open_ref(str(session_id))
        return window

    def _fill_table(self, sessions) -> None:
        self.session_ids = [info.id for info, _ in sessions]
        self.table.setRowCount(len(sessions))
        for row, (info, exercises) in enumerate(sessions):
            values = (
                str(info.id),
                info.started_at[:16].replace("T", " "),
                info.athlete or "-",
                ", ".join(exercises) or "-",
                str(info.set_count),
                str(info.rep_count),
                f"{info.duration_s / 60:.1f}",
            )
            for col, text in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def _draw(self) -> None:
        days = [datetime(p.week.year, p.week.month, p.week.day, tzinfo=UTC) for p in self.points]
        x = np.array([d.timestamp() for d in days])
        for name, _, _, factor in CHARTS:
            y = np.array([getattr(p, name) * factor for p in self.points], dtype=float)
            keep = np.isfinite(y)
            self.curves[name].setData(x[keep], y[keep])
        weeks = len(self.points)
        reps = sum(p.reps for p in self.points)
        self.caption.setText(
            f"{weeks} weeks, {reps} reps. Double-click a session to replay it."
            if weeks
            else "No sessions for this choice yet."
        )

    def _show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()


def _choice(box: QComboBox) -> str | None:
    text = box.currentText()
    return None if text == ALL or not text else text
