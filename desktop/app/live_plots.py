"""Live curves: height and velocity over the last 30 s, the bar path, the pelvic tilt.

``LivePlots.refresh(trace, model)`` redraws from a ring-buffer snapshot (a dict of arrays named
as in ``bridge.TRACE_COLUMNS``, SI units) and the ``SetModel``; it is called on a timer, never
per sample. Time runs from -30 s to now (0) so the axes stay still and are drawn from a cache;
vertical ranges only grow or shrink in steps. Rep boundaries (dashed) and the shaded top hold
come from the model's counted reps; the hold in progress is shaded as it grows.
Display units: cm, m/s, degrees, seconds.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsItem, QHBoxLayout, QVBoxLayout, QWidget

from desktop.app import theme
from desktop.app.set_model import SetModel
from sensors.metrics import RepMetrics

WINDOW_S = 30.0
"""Seconds of history on the time plots."""
MAX_MARKED_REPS = 40


def _fixed_plot(title: str, left: str, units: str, bottom: str, bottom_units: str) -> pg.PlotWidget:
    """A plot with no mouse interaction, manual ranges and cached axes.

    No grid: grid lines make the axes span the whole view, and blending them costs the raster
    engine more than the curves (the zero lines are drawn instead)."""
    w = pg.PlotWidget(title=title)
    item = w.getPlotItem()
    item.setLabel("left", left, units=units)
    item.setLabel("bottom", bottom, units=bottom_units)
    item.setMenuEnabled(False)
    item.setMouseEnabled(x=False, y=False)
    item.hideButtons()
    item.disableAutoRange()
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        axis.enableAutoSIPrefix(False)
    return w


class StepRange:
    """A vertical range that covers the data in whole ``step`` units, changing only when the
    data leaves it or uses less than half of it (so the axis is not redrawn every frame)."""

    def __init__(self, plot: pg.PlotItem, low: float, high: float, step: float) -> None:
        self._plot, self._step = plot, step
        self.low, self.high = low, high
        self._min_span = high - low
        plot.setYRange(low, high, padding=0)

    def cover(self, values: np.ndarray) -> None:
        finite = values[np.isfinite(values)]
        if finite.size == 0:
            return
        lo, hi = float(finite.min()), float(finite.max())
        inside = self.low <= lo and hi <= self.high
        if inside and (hi - lo) > 0.5 * (self.high - self.low - self._step):
            return
        if inside and self.high - self.low <= self._min_span:
            return
        s = self._step
        low, high = math.floor(lo / s) * s - s, math.ceil(hi / s) * s + s
        if high - low < self._min_span:
            mid = (low + high) / 2
            low, high = mid - self._min_span / 2, mid + self._min_span / 2
        if (low, high) != (self.low, self.high):
            self.low, self.high = low, high
            self._plot.setYRange(low, high, padding=0)


class RepMarkers:
    """Dashed rep boundaries and shaded holds on one time plot: two items for all reps."""

    def __init__(self, plot: pg.PlotItem, yrange: StepRange) -> None:
        self._yrange = yrange
        pen = pg.mkPen(theme.MUTED, width=1, style=Qt.PenStyle.DashLine)
        self._lines = pg.PlotDataItem(pen=pen, connect="pairs")
        self._holds = pg.BarGraphItem(  # opaque: no blending over the whole plot height
            x0=[], x1=[], y0=[], y1=[], brush=pg.mkBrush(theme.HOLD_SHADE), pen=pg.mkPen(None)
        )
        self._holds.setZValue(-10)
        plot.addItem(self._holds, ignoreBounds=True)
        plot.addItem(self._lines, ignoreBounds=True)

    def refresh(self, reps: list[RepMetrics], live_hold: tuple[float, float] | None, now: float):
        lo, hi = self._yrange.low, self._yrange.high
        visible = [r for r in reps if r.end_s >= now - WINDOW_S]
        edges = np.array([[r.start_s, r.end_s] for r in visible]).reshape(-1) - now
        self._lines.setData(np.repeat(edges, 2), np.tile([lo, hi], edges.size))
        holds = [(r.top_s, r.top_s + r.hold_s) for r in visible]
        if live_hold is not None:
            holds.append(live_hold)
        x = np.array(holds).reshape(-1, 2) - now
        n = len(holds)
        self._holds.setOpts(x0=x[:, 0], x1=x[:, 1], y0=np.full(n, lo), y1=np.full(n, hi))


class LivePlots(QWidget):
    """Time plots on the left (height, velocity, tilt on the hips), the bar path on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        left = QWidget()
        col = QVBoxLayout(left)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(2)
        now = "time, 0 = now"
        self.height_plot = _fixed_plot("Height", "height", "cm", now, "s")
        self.velocity_plot = _fixed_plot("Vertical velocity (up +)", "velocity", "m/s", now, "s")
        self.tilt_plot = _fixed_plot("Pelvic tilt (posterior +)", "tilt", "°", now, "s")
        for w, stretch in ((self.height_plot, 3), (self.velocity_plot, 2), (self.tilt_plot, 2)):
            w.setXRange(-WINDOW_S, 0.0, padding=0)
            col.addWidget(w, stretch)
            zero = pg.PlotDataItem([-WINDOW_S, 0.0], [0.0, 0.0], pen=pg.mkPen(theme.MUTED))
            w.getPlotItem().addItem(zero, ignoreBounds=True)
        self.tilt_plot.hide()
        layout.addWidget(left, 3)
        self.path_plot = _fixed_plot(
            "Bar path: current (blue) and previous rep",
            "height",
            "cm",
            "forward (to the knees)",
            "cm",
        )
        self.path_plot.getPlotItem().setAspectLocked(True)
        self.path_plot.setXRange(-15, 15, padding=0)
        layout.addWidget(self.path_plot, 2)

        self.height_range = StepRange(self.height_plot.getPlotItem(), -5.0, 40.0, 5.0)
        self.velocity_range = StepRange(self.velocity_plot.getPlotItem(), -0.6, 0.6, 0.2)
        self.tilt_range = StepRange(self.tilt_plot.getPlotItem(), -10.0, 30.0, 10.0)
        self.path_range = StepRange(self.path_plot.getPlotItem(), -5.0, 40.0, 5.0)
        # thin pens: wide lines cost the raster engine ms per frame (height, the main one: 2 px)
        self.height_curve = self.height_plot.plot(pen=pg.mkPen(theme.HEIGHT, width=2))
        self.velocity_curve = self.velocity_plot.plot(pen=pg.mkPen(theme.VELOCITY, width=1))
        self.tilt_curve = self.tilt_plot.plot(pen=pg.mkPen(theme.TILT, width=1))
        for curve in (self.height_curve, self.velocity_curve, self.tilt_curve):
            curve.setClipToView(True)
            curve.setDownsampling(auto=True, method="peak")
        self.previous_path = self.path_plot.plot(pen=pg.mkPen(theme.PREVIOUS, width=1))
        self.current_path = self.path_plot.plot(pen=pg.mkPen(theme.HEIGHT, width=2))
        self._markers = [
            RepMarkers(self.height_plot.getPlotItem(), self.height_range),
            RepMarkers(self.velocity_plot.getPlotItem(), self.velocity_range),
        ]
        self._reps: list[RepMetrics] = []

    def add_rep(self, rep: RepMetrics) -> None:
        """Remember a counted rep for its boundaries, hold shading and bar path."""
        self._reps = [*self._reps[-(MAX_MARKED_REPS - 1) :], rep]

    def forget_reps(self) -> None:
        """Drop the marked reps (replay scrubbing back, a new source)."""
        self._reps = []

    def refresh(self, trace: dict[str, np.ndarray], model: SetModel) -> None:
        """Redraw from a snapshot; cheap enough for 60 frames per second."""
        t = trace["t"]
        if t.size == 0:
            return
        now = float(t[-1])
        lo = int(np.searchsorted(t, now - WINDOW_S))
        x = t[lo:] - now
        height_cm = trace["height_m"][lo:] * 100.0
        velocity = trace["velocity_mps"][lo:]
        self.height_range.cover(height_cm)
        self.velocity_range.cover(velocity)
        self.height_curve.setData(x, height_cm)
        self.velocity_curve.setData(x, velocity)
        tilt = trace["tilt_deg"][lo:]
        has_tilt = bool(np.isfinite(tilt[-min(tilt.size, 50) :]).any())
        if has_tilt:
            self.tilt_range.cover(tilt)
            self.tilt_curve.setData(x, tilt)
        if self.tilt_plot.isVisible() != has_tilt:
            self.tilt_plot.setVisible(has_tilt)
        hold = model.hold
        live = (hold.top_s, now) if hold is not None and hold.ended_s is None else None
        for m in self._markers:
            m.refresh(self._reps, live, now)
        self._refresh_path(trace, model)

    def _refresh_path(self, trace: dict[str, np.ndarray], model: SetModel) -> None:
        spans = [(r.start_s, r.end_s) for r in self._reps[-2:]]
        if model.rep_started_s is not None:
            spans.append((model.rep_started_s, math.inf))
        spans = spans[-2:]
        curves = (self.current_path, self.previous_path)
        heights = []
        for curve, span in zip(curves, reversed(spans), strict=False):
            x, y = _path(trace, *span)
            curve.setData(x, y)
            heights.append(y)
        for curve in curves[len(spans) :]:
            curve.setData([], [])
        if heights:
            self.path_range.cover(np.concatenate(heights))


def _path(
    trace: dict[str, np.ndarray], start_s: float, end_s: float
) -> tuple[np.ndarray, np.ndarray]:
    """Forward travel and height in cm relative to the rep's start (empty if out of the ring)."""
    t = trace["t"]
    lo, hi = np.searchsorted(t, [start_s, end_s])
    if hi - lo < 2:
        return np.empty(0), np.empty(0)
    x = (trace["forward_m"][lo:hi] - trace["forward_m"][lo]) * 100.0
    y = (trace["height_m"][lo:hi] - trace["height_m"][lo]) * 100.0
    return x, y
