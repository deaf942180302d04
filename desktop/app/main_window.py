"""The main window: big numbers, live plots, the rep table, the plan dock and the status bar.

The window is handed its parts (a runner factory, settings, sound, the library recording) and
builds only views. Everything live arrives through ``LiveBridge.polled``, once per poll; the
views are redrawn right after, from the ring buffer and the ``SetModel``. Problems (no sensor,
no audio, read-only data folder, a recovered session) are shown as notices in the window.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.app.big_numbers import BigNumbers
from desktop.app.bridge import LiveBridge, LivePoll, RunnerLike
from desktop.app.frame_stats import FrameStats
from desktop.app.live_plots import WINDOW_S, LivePlots
from desktop.app.rep_table import RepTable
from desktop.app.set_model import SetModel, SetTargets
from desktop.app.settings import AppSettings
from desktop.app.sound import SoundPlayer
from sensors.events import (
    Closed,
    Connected,
    Connecting,
    ConnectionFailed,
    ConnectionLost,
    Reconnected,
    RepCompleted,
    SetEnded,
    SetStarted,
)

SIM_SCHEME = "sim://"
PLAN_DOCK_PX = 420
"""Starting width of the plan dock: the live view keeps most of the window."""
NORMAL_SPLIT = [250, 440, 240]
STATION_SPLIT = [760, 300, 0]
"""Heights (px, scaled to the window) of numbers, plots and rep table."""


class MainWindow(QMainWindow):
    """See the module docstring; ``start_source(uri)`` begins streaming."""

    redrawn = Signal()
    """A live frame was drawn (at most ``max_fps`` a second)."""
    closed = Signal()
    """The window closed (its stream stopped and its session saved)."""

    def __init__(
        self,
        *,
        runner_factory: Callable[[str], RunnerLike],
        settings: AppSettings,
        fallback_uri: str,
        sound: SoundPlayer | None = None,
        recording=None,
        notices: Iterable[str] = (),
        source_picker: Callable[[QWidget, str], str | None] | None = None,
        poll_hz: float = 120.0,
        max_fps: float = 60.0,
    ) -> None:
        super().__init__()
        self.setWindowTitle("hipthrust")
        self.resize(1600, 960)
        self.settings = settings
        self.fallback_uri = fallback_uri
        self.sound = sound or SoundPlayer(self)
        self.sound.set_muted(settings.muted)
        self.recording = recording
        self.set_model = SetModel()
        self.bridge = LiveBridge(runner_factory, poll_hz=poll_hz, parent=self)
        self.bridge.polled.connect(self._on_polled)
        self.bridge.failed.connect(self._on_open_failed)
        self._source_picker = source_picker
        self._notices: dict[str, str] = {}
        self.samples_seen = 0
        self._fell_back = False
        self._link_text = "not connected"
        self._min_frame_s = 1.0 / max_fps
        self._last_redraw_s = -1.0
        self._pending_receive_s: float | None = None
        self._frame_timer = QTimer(self)
        self._frame_timer.setSingleShot(True)
        self._frame_timer.timeout.connect(self._redraw_frame)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 4, 6, 4)
        self.notice = QLabel("", objectName="notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        layout.addWidget(self.notice)
        self.big_numbers = BigNumbers()
        self.plots = LivePlots()
        self.rep_table = RepTable(self.set_model)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.big_numbers)
        self.splitter.addWidget(self.plots)
        self.splitter.addWidget(self.rep_table)
        self.splitter.setSizes(NORMAL_SPLIT)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.plan_dock = QDockWidget("Plan", self)
        self.plan_dock.setObjectName("planDock")
        self.plan_label = QLabel(objectName="planSummary")
        self.plan_label.setWordWrap(True)
        self.plan_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.plan_dock.setWidget(self.plan_label)
        self.plan_dock.setMinimumWidth(280)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.plan_dock)

        self.link_label = QLabel(objectName="linkState")
        self.counters_label = QLabel(objectName="counters")
        self.recording_label = QLabel(objectName="recordingState")
        self.sound_label = QLabel(self.sound.status, objectName="soundState")
        bar = self.statusBar()
        bar.addWidget(self.link_label, 1)
        bar.addWidget(self.counters_label)
        bar.addPermanentWidget(self.recording_label)
        bar.addPermanentWidget(self.sound_label)

        self.frame_stats = FrameStats(self)
        self.plots.height_plot.viewport().installEventFilter(self.frame_stats)
        self._build_actions()
        for i, text in enumerate(notices):
            self.add_notice(f"startup{i}", text)
        if self.sound.mode != "audio":
            self.add_notice("sound", self.sound.status)
        self._show_plan()
        self._show_link("not connected", "idle")
        self._show_recording()
        self._redraw()

    # -- actions ---------------------------------------------------------------------------
    def _build_actions(self) -> None:
        tb = self.toolbar = self.addToolBar("Main")
        tb.setObjectName("mainToolbar")
        tb.setMovable(False)
        self.actions: dict[str, QAction] = {}
        for key, text, shortcut, slot in (
            ("source", "Sensor…", "Ctrl+O", self.choose_source),
            ("run", "Start / stop", "Space", self.toggle_running),
            ("next", "Next set", "N", self.skip_to_next_set),
            ("mute", "Mute", "M", self.toggle_mute),
            ("station", "Station mode", "F11", self.toggle_station_mode),
            ("quit", "Quit", "Ctrl+Q", self.close),
        ):
            action = QAction(f"{text}  [{shortcut}]", self)
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            tb.addAction(action)
            self.actions[key] = action
        self.actions["mute"].setCheckable(True)
        self.actions["mute"].setChecked(self.sound.muted)
        self.actions["station"].setCheckable(True)
        for w in tb.findChildren(QWidget):
            w.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def choose_source(self) -> None:
        """Open the source picker and switch to the chosen source."""
        if self._source_picker is None:
            return
        uri = self._source_picker(self, self.bridge.uri or self.settings.last_uri)
        if uri:
            self.start_source(uri)

    def toggle_running(self) -> None:
        """Space: stop the live stream, or start it again on the last source."""
        if self.bridge.running:
            self.stop_source()
        else:
            self.start_source(self.bridge.uri or self.settings.last_uri or self.fallback_uri)

    def skip_to_next_set(self) -> None:
        """Arm the next planned set now (the set in progress is kept in the library)."""
        self.set_model.arm_next()
        self.bridge.set_hold_target(self.set_model.targets.hold_s)
        self._show_plan()
        self._redraw()

    def toggle_mute(self) -> None:
        self.sound.set_muted(not self.sound.muted)
        self.actions["mute"].setChecked(self.sound.muted)
        self.settings.muted = self.sound.muted
        self._save_settings()

    def toggle_station_mode(self) -> None:
        """F11: full screen with large fonts for reading from the floor, and back."""
        self.set_station_mode(not self.property("station"))

    def set_station_mode(self, on: bool) -> None:
        """Station mode: full screen, the numbers in a 2 x 2 grid, only the height plot below;
        the keyboard shortcuts keep working without the toolbar."""
        self.setProperty("station", on)
        self.actions["station"].setChecked(on)
        for w in [self, *self.findChildren(QWidget)]:
            w.style().unpolish(w)
            w.style().polish(w)
        self.big_numbers.set_columns(2 if on else 4)
        for w in (self.rep_table, self.plan_dock, self.toolbar, self.plots.velocity_plot):
            w.setVisible(not on)
        self.splitter.setSizes(STATION_SPLIT if on else NORMAL_SPLIT)
        self.rep_table.resizeColumnsToContents()
        if on:
            self.showFullScreen()
        elif self.isFullScreen():
            self.showNormal()
        self.settings.station_mode = on
        self._save_settings()

    # -- plan ------------------------------------------------------------------------------
    def set_targets(self, targets: SetTargets, queue: Iterable[SetTargets] = ()) -> None:
        """Targets of the coming set and the planned sets after it (from the planner)."""
        self.set_model.set_plan(targets, queue)
        self.bridge.set_hold_target(targets.hold_s)
        self._show_plan()
        self._redraw()

    def set_planner_panel(self, panel: QWidget) -> None:
        """Put the planner's panel in the plan dock (replacing the summary); the dock may be
        narrower than the panel's widest row (its tables scroll) so the live view keeps room."""
        panel.setMinimumWidth(PLAN_DOCK_PX - 100)
        self.plan_dock.setWidget(panel)
        self.resizeDocks([self.plan_dock], [PLAN_DOCK_PX], Qt.Orientation.Horizontal)

    def _show_plan(self) -> None:
        m = self.set_model
        lines = [f"<b>Set {m.set_number}</b>: {_targets_text(m.targets)}"]
        lines += [f"then: {_targets_text(t)}" for t in m.queue[:4]]
        self.plan_label.setText("<br>".join(lines))

    # -- source lifecycle ------------------------------------------------------------------
    def start_source(self, uri: str) -> bool:
        """Stream from ``uri`` (any registered scheme); False when it could not be opened."""
        self._show_link(f"connecting to {uri}…", "warn")
        if not self.bridge.open(uri):
            return False
        self.bridge.set_hold_target(self.set_model.targets.hold_s)
        self.settings.last_uri = uri
        self._save_settings()
        if self.recording is not None:
            self.recording.begin(uri)
            self._show_recording()
        return True

    def stop_source(self) -> None:
        self.bridge.close()
        if self.recording is not None:
            self.recording.end()
        self._show_link("stopped (press Space to start)", "idle")
        self._show_recording()

    def closeEvent(self, event) -> None:
        self.stop_source()
        if self.recording is not None:
            self.recording.close()
        super().closeEvent(event)
        self.closed.emit()

    def _on_open_failed(self, message: str) -> None:
        self._show_link(f"cannot open: {message}", "bad")
        self._fall_back(message)

    def _fall_back(self, reason: str) -> None:
        """A remembered device is absent at start: run on the simulated sensor and say so."""
        if self._fell_back or self.samples_seen or (self.bridge.uri or "").startswith(SIM_SCHEME):
            return
        self._fell_back = True
        self.add_notice(
            "fallback",
            f"No sensor: {reason}. Running on the simulated sensor; press Ctrl+O to choose one.",
        )
        self.start_source(self.fallback_uri)

    # -- live ------------------------------------------------------------------------------
    def _on_polled(self, poll: LivePoll) -> None:
        self.samples_seen += poll.samples
        if poll.errors:
            self.add_notice("runner", f"Sensor: {poll.errors[-1]}")
        for event in poll.events:
            self._on_event(event)
        for cue in self.set_model.apply(poll.events):
            self.sound.play(cue)
        if self.recording is not None:
            self.recording.feed(poll, self.set_model)
            self._show_recording()
        self._show_counters(poll)
        if poll.newest_receive_s is not None:
            self._pending_receive_s = poll.newest_receive_s
        self._request_frame()

    def _request_frame(self) -> None:
        """Redraw now, or as soon as ``max_fps`` allows (one pending frame at most)."""
        wait_s = self._last_redraw_s + self._min_frame_s - time.perf_counter()
        if wait_s <= 0:
            self._redraw_frame()
        elif not self._frame_timer.isActive():
            self._frame_timer.start(int(wait_s * 1000) + 1)

    def _redraw_frame(self) -> None:
        self._frame_timer.stop()
        self._last_redraw_s = time.perf_counter()
        self._redraw()
        self.frame_stats.frame_prepared(self._pending_receive_s)
        self._pending_receive_s = None
        self.redrawn.emit()

    def _on_event(self, event: object) -> None:
        if isinstance(event, Connecting):
            attempt = f" (attempt {event.attempt})" if event.attempt > 1 else ""
            self._show_link(f"connecting to {event.uri}{attempt}…", "warn")
        elif isinstance(event, Connected):
            self._show_link(f"connected: {event.description}", "ok")
        elif isinstance(event, Reconnected):
            self._show_link(f"reconnected: {event.description}", "ok")
        elif isinstance(event, ConnectionLost):
            self._show_link(f"connection lost ({event.reason}), reconnecting…", "bad")
        elif isinstance(event, ConnectionFailed):
            self._show_link(f"failed: {event.reason}", "bad")
            self._fall_back(event.reason)
        elif isinstance(event, Closed):
            if not self._link_text.startswith("failed"):
                self._show_link(f"closed: {event.uri}", "idle")
        elif isinstance(event, RepCompleted):
            self.plots.add_rep(event.rep)
        elif isinstance(event, SetStarted):
            self._show_plan()
        elif isinstance(event, SetEnded):
            self.bridge.set_hold_target(self.set_model.upcoming.hold_s)

    def _redraw(self) -> None:
        ring = self.bridge.ring
        trace = ring.snapshot(last=_rows_for(ring, WINDOW_S * 1.5))
        self.plots.refresh(trace, self.set_model)
        self.big_numbers.refresh(self.set_model, ring.latest("t"))
        self.rep_table.refresh()

    # -- status ----------------------------------------------------------------------------
    def add_notice(self, key: str, text: str) -> None:
        """Show a message in the window's notice bar until ``clear_notice(key)``."""
        self._notices[key] = text
        self.notice.setText("\n".join(self._notices.values()))
        self.notice.show()

    def clear_notice(self, key: str) -> None:
        self._notices.pop(key, None)
        self.notice.setText("\n".join(self._notices.values()))
        self.notice.setVisible(bool(self._notices))

    def notices(self) -> list[str]:
        return list(self._notices.values())

    def _show_link(self, text: str, state: str) -> None:
        self._link_text = text
        self.link_label.setText(f"Sensor: {text}")
        if self.link_label.property("state") != state:
            self.link_label.setProperty("state", state)
            self.link_label.style().unpolish(self.link_label)
            self.link_label.style().polish(self.link_label)

    def _show_counters(self, poll: LivePoll) -> None:
        c = poll.counters
        if c is None:
            return
        parts = [
            f"frames {c.frames_ok}",
            f"bad {c.bad_frames}",
            f"gaps {c.seq_gaps}",
            f"dropped {c.dropped_samples + poll.dropped_by_runner}",
            f"reconnects {c.reconnects}",
        ]
        if c.battery_pct is not None:
            parts.append(f"battery {c.battery_pct} %")
        self.counters_label.setText(" · ".join(parts))

    def _show_recording(self) -> None:
        text = "Recording: off" if self.recording is None else self.recording.status
        self.recording_label.setText(text)

    def _save_settings(self) -> None:
        error = self.settings.save()
        if error:
            self.add_notice("settings", error)


def _rows_for(ring, seconds: float) -> int:
    """Rows of the ring covering about ``seconds`` of the newest samples."""
    n = len(ring)
    span = ring.latest("t") - ring.first("t") if n else 0.0
    if n < 2 or not span > 0:
        return n
    return min(n, int((n - 1) / span * seconds) + 2)


def _targets_text(t: SetTargets) -> str:
    hold = f", hold {t.hold_s:g} s" if t.hold_s else ""
    load = f", {t.load_kg:g} kg" if t.load_kg else ""
    return f"{t.exercise} ({t.side}) × {t.reps}{hold}, tempo {t.tempo_text()}{load}"
