"""The set's reps as a table: every metric, and the flagged reps marked with the reason why.

``RepTableModel`` is a read-only Qt model over a ``SetModel`` (reps and their flags);
``refresh()`` resets it only when a rep or a flag changed. Display units: cm, s, m/s, degrees.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from desktop.app import theme
from desktop.app.set_model import SetModel
from sensors.metrics import RepMetrics


def _num(digits: int, scale: float = 1.0) -> Callable[[float], str]:
    def fmt(x: float) -> str:
        return "-" if not math.isfinite(x) else f"{x * scale:.{digits}f}"

    return fmt


COLUMNS: tuple[tuple[str, str, Callable[[float], str]], ...] = (
    ("#", "index", str),
    ("range cm", "rom_m", _num(1, 100.0)),
    ("hold s", "hold_s", _num(2)),
    ("up s", "concentric_s", _num(2)),
    ("down s", "eccentric_s", _num(2)),
    ("pause s", "bottom_pause_s", _num(2)),
    ("mean m/s", "mean_velocity_mps", _num(2)),
    ("peak m/s", "peak_velocity_mps", _num(2)),
    ("forward cm", "forward_at_top_m", _num(1, 100.0)),
    ("tilt °", "tilt_change_deg", _num(1)),
)
"""Header, RepMetrics field and formatter of each metric column; the flags column follows."""

_Index = QModelIndex | QPersistentModelIndex


class RepTableModel(QAbstractTableModel):
    """Rows are the set's reps in order; the last column says why a rep was flagged."""

    def __init__(self, model: SetModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._set = model
        self._reps: list[RepMetrics] = []
        self._flags: list[list[str]] = []
        self._revision = -1

    def refresh(self) -> None:
        if self._revision == self._set.revision:
            return
        self._revision = self._set.revision
        self.beginResetModel()
        self._reps = list(self._set.reps)
        self._flags = [list(f) for f in self._set.flags]
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._reps)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS) + 1

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return COLUMNS[section][0] if section < len(COLUMNS) else "flags"

    def flags_of(self, row: int) -> list[str]:
        return self._flags[row]

    def data(self, index: _Index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        flagged = bool(self._flags[row])
        if role == Qt.ItemDataRole.DisplayRole:
            if col == len(COLUMNS):
                return "; ".join(self._flags[row]) or "ok"
            _, name, fmt = COLUMNS[col]
            return fmt(getattr(self._reps[row], name))
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == len(COLUMNS):
                return QBrush(QColor(theme.BAD if flagged else theme.GOOD))
            return None
        if role == Qt.ItemDataRole.BackgroundRole and flagged:
            return QBrush(QColor(theme.BAD + "33"))
        if role == Qt.ItemDataRole.TextAlignmentRole and col < len(COLUMNS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class RepTable(QTableView):
    """The view: read-only, follows the newest rep."""

    def __init__(self, model: SetModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table_model = RepTableModel(model, self)
        self.setModel(self.table_model)
        self.setObjectName("repTable")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

    def refresh(self) -> None:
        before = self.table_model.rowCount()
        self.table_model.refresh()
        if self.table_model.rowCount() > before:
            self.scrollToBottom()
