"""Numbers readable from three metres: reps against the target, the hold timer, range, tempo.

``BigNumbers.refresh(model, now_s)`` redraws from a ``SetModel`` and the device time of the
newest sample; the widget holds no state of its own. Each tile carries a ``state`` property
(``""``, ``active``, ``reached``, ``warn``) that resources/style.qss colours.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from desktop.app import theme
from desktop.app.set_model import SetModel, rep_tempo_s, tempo_text


class FitLabel(QLabel):
    """A label whose bold font fills the space it is given, as large as the text allows.

    The size is fitted to ``sizing_text`` (the widest text expected, e.g. ``"00.0 s"``) as
    well as the text itself, so a counting number keeps its size from frame to frame.
    """

    def __init__(self, sizing_text: str, parent: QWidget | None = None, *, name: str = "") -> None:
        super().__init__("-", parent)
        self.setObjectName(name)
        self.sizing_text = sizing_text
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(40, 30)

    def setText(self, text: str) -> None:
        if text != self.text():
            super().setText(text)
            self._fit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self._fit()  # a re-polish (state colour, station mode) resets the font

    def _fit(self) -> None:
        r = self.contentsRect()
        font = self.font()
        font.setBold(True)
        px = max(8, int(r.height() * 0.82))
        font.setPixelSize(px)
        metrics = QFontMetrics(font)
        wide = max(
            metrics.horizontalAdvance(self.text()), metrics.horizontalAdvance(self.sizing_text)
        )
        if wide > 0.95 * r.width():
            font.setPixelSize(max(8, int(px * 0.95 * r.width() / wide)))
        if font != self.font():
            self.setFont(font)


class Tile(QFrame):
    """A caption, one huge value (fitted to the tile) and a detail line."""

    def __init__(self, caption: str, sizing_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tile")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 8)
        layout.setSpacing(0)
        self.caption = QLabel(caption.upper(), objectName="tileCaption")
        self.value = FitLabel(sizing_text, name="tileValue")
        self.detail = QLabel("", objectName="tileDetail")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.caption)
        layout.addWidget(self.value, 1)
        layout.addWidget(self.detail)
        self.detail.setWordWrap(True)

    def show_values(self, value: str, detail: str, state: str = "") -> None:
        """Set the texts and the colour state; re-polish only when the state changes."""
        self.value.setText(value)
        self.detail.setText(detail)
        if self.property("state") != state:
            self.setProperty("state", state)
            for w in (self, self.value, self.detail):
                w.style().unpolish(w)
                w.style().polish(w)


class HoldBar(QWidget):
    """A bar filling as the hold counts up, with the target marked by a vertical line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(14)
        self.elapsed_s = 0.0
        self.target_s: float | None = None

    def set_hold(self, elapsed_s: float, target_s: float | None) -> None:
        if (elapsed_s, target_s) != (self.elapsed_s, self.target_s):
            self.elapsed_s, self.target_s = elapsed_s, target_s
            self.update()

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        r = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        p.fillRect(r, QColor(theme.BACKGROUND))
        full = 1.5 * self.target_s if self.target_s else 5.0
        share = min(1.0, self.elapsed_s / full)
        reached = self.target_s is not None and self.elapsed_s >= self.target_s
        colour = theme.GOOD if reached else theme.HOLD
        p.fillRect(QRectF(r.left(), r.top(), r.width() * share, r.height()), QColor(colour))
        if self.target_s:
            x = r.left() + r.width() * self.target_s / full
            p.setPen(QPen(QColor(theme.TEXT), 3))
            p.drawLine(int(x), int(r.top()), int(x), int(r.bottom()))
        p.end()


class BigNumbers(QWidget):
    """The banner of the set and the four tiles."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.banner = QLabel("", objectName="setBanner")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setWordWrap(True)
        outer.addWidget(self.banner)
        self._grid = QGridLayout()
        outer.addLayout(self._grid, 1)
        self.reps = Tile("Reps", "00 / 00")
        self.hold = Tile("Hold", "00.0 s")
        self.hold_bar = HoldBar()
        self.hold.layout().insertWidget(2, self.hold_bar)
        self.rom = Tile("Range", "00 cm")
        self.tempo = Tile("Tempo  down-pause-up-hold", "0.0-0.0-0.0-0.0")
        self.set_columns(4)

    def set_columns(self, columns: int) -> None:
        """Tiles in one row (4) or in a 2 x 2 grid for station mode (2)."""
        for i, tile in enumerate((self.reps, self.hold, self.rom, self.tempo)):
            self._grid.addWidget(tile, i // columns, i % columns)
        for c in range(4):
            self._grid.setColumnStretch(c, 1 if c < columns else 0)
        for r in range(4):
            self._grid.setRowStretch(r, 1 if r < 4 // columns else 0)

    def refresh(self, model: SetModel, now_s: float) -> None:
        """Redraw every number from the model; ``now_s`` is the newest device time (s)."""
        t = model.targets
        self.banner.setText(_banner(model))
        self.banner.setProperty("state", model.state)
        n = len(model.reps)
        self.reps.show_values(
            f"{n} / {t.reps}",
            f"{t.exercise} · {t.side}" + (f" · {t.load_kg:g} kg" if t.load_kg else ""),
            "reached" if n >= t.reps else ("active" if model.state == "running" else ""),
        )
        self._refresh_hold(model, now_s)
        last = model.last_rep
        if last is None:
            self.rom.show_values("-", "best -")
            self.tempo.show_values("-", f"plan {t.tempo_text()}")
            return
        best = model.best_rom_m
        loss = 1.0 - last.rom_m / best if best > 0 else 0.0
        self.rom.show_values(
            f"{last.rom_m * 100:.0f} cm",
            f"best {best * 100:.0f} cm" + (f"  (-{loss * 100:.0f} %)" if loss >= 0.005 else ""),
            "warn" if loss > t.rom_loss_share else "",
        )
        rushed = any(f.startswith("rushed") for f in model.flags[-1])
        self.tempo.show_values(
            tempo_text(rep_tempo_s(last)), f"plan {t.tempo_text()}", "warn" if rushed else ""
        )

    def _refresh_hold(self, model: SetModel, now_s: float) -> None:
        target = model.targets.hold_s
        hold = model.hold
        target_text = f"target {target:g} s" if target else "no target"
        if hold is None or not math.isfinite(now_s):
            self.hold.show_values("0.0 s", target_text)
            self.hold_bar.set_hold(0.0, target)
            return
        elapsed = hold.elapsed_s(now_s)
        reached = hold.target_reached or (target is not None and elapsed >= target - 0.05)
        if hold.ended_s is None:
            state = "reached" if reached else "active"
            detail = "LOWER NOW" if reached else target_text
        else:
            state = "reached" if reached else ("warn" if target else "")
            detail = f"held · {target_text}"
        self.hold.show_values(f"{elapsed:.1f} s", detail, state)
        self.hold_bar.set_hold(elapsed, target)


def _banner(model: SetModel) -> str:
    n = model.set_number
    if model.state == "armed":
        return f"SET {n} ready: start with the first rep"
    if model.state == "running":
        return f"SET {n} in progress"
    s = model.last_summary
    if s is None:
        return f"SET {n} done"
    hold = f" · hold {s.mean_hold_s:.1f} s" if math.isfinite(s.mean_hold_s) else ""
    rom = f" · range lost {s.rom_loss_pct:.0f} %" if math.isfinite(s.rom_loss_pct) else ""
    return f"SET {n} done: {s.rep_count} reps{hold}{rom} · next set at the first rep"
