"""Replay a recorded session with the live window's views: numbers, plots and the rep table.

``ReplayWindow.open_ref(ref)`` loads a session (library id or exported file) and analyses it
on a worker thread behind a progress bar with Cancel; then play, pause, 1x/2x/4x and the
timeline move a playhead (device seconds) and the views show the recording up to it, fed with
the analysis events exactly as the live window is. Re-analyse with other settings; export the
plots as PNG and the reps as CSV. Bad input ends in a message in the window, never a crash.
"""

from __future__ import annotations

import csv
import math
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSlider,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.app.big_numbers import BigNumbers
from desktop.app.bridge import TRACE_COLUMNS, BackgroundTask
from desktop.app.live_plots import WINDOW_S, LivePlots
from desktop.app.rep_table import RepTable
from desktop.app.replay_analysis import Progress, ReplayAnalysis, ReplaySettings, analyse_recording
from desktop.app.set_model import SetModel, SetTargets
from desktop.library import Library, load_recording
from desktop.library.atomic import atomic_output
from sensors.errors import InputError, SensorError
from sensors.events import RepCompleted
from sensors.metrics import RepMetrics

SPEEDS = (1.0, 2.0, 4.0)
TICK_MS = 33
"""Playback redraws about 30 times a second."""
SLIDER_STEPS_PER_S = 100


class ReplaySetModel(SetModel):
    """A SetModel that can go back to the start of the recording (for scrubbing backwards)."""

    def set_plan(self, targets: SetTargets, queue=()) -> None:
        super().set_plan(targets, queue)
        self._planned = (targets, list(queue))

    def rewind(self) -> None:
        """Back to the planned first set with no reps; views redraw (revision bumped)."""
        targets, queue = getattr(self, "_planned", (self.targets, []))
        revision = self.revision
        SetModel.__init__(self, targets)
        self.queue = list(queue)
        self.revision = revision + 1


class ReplayWindow(QMainWindow):
    """See the module docstring. ``clock`` (s) paces playback; ``loader(ref, data_dir)`` reads
    a recording as ``desktop.library.load_recording`` does (both injectable for tests)."""

    def __init__(
        self,
        data_dir: str | Path | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        loader: Callable[[str, str | None], tuple] = load_recording,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("hipthrust: replay")
        self.resize(1600, 960)
        self.data_dir = None if data_dir is None else str(data_dir)
        self._clock = clock
        self._loader = loader
        self.block = None
        self.meta: dict = {}
        self.ref: str | None = None
        self.analysis: ReplayAnalysis | None = None
        self.playhead_s = 0.0
        self.speed = 1.0
        self._shown_s = -math.inf
        self._applied = 0
        self._event_times = np.empty(0)
        self._task: BackgroundTask | None = None
        self._progress: Progress | None = None
        self._last_tick = 0.0

        self.set_model = ReplaySetModel()
        self.big_numbers = BigNumbers()
        self.plots = LivePlots()
        self.rep_table = RepTable(self.set_model)
        self._build()
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._on_tick)
        self._progress_timer = QTimer(self)
        self._progress_timer.setInterval(50)
        self._progress_timer.timeout.connect(self._show_progress)
        self._set_ready(False)

    # -- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 4, 6, 4)
        self.title = QLabel("No session open: press Ctrl+O", objectName="replayTitle")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.notice = QLabel("", objectName="notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        layout.addWidget(self.notice)
        busy = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setFormat("analysing… %p %")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel_analysis)
        busy.addWidget(self.progress, 1)
        busy.addWidget(self.cancel_button)
        self.busy = QWidget()
        self.busy.setLayout(busy)
        self.busy.hide()
        layout.addWidget(self.busy)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.big_numbers)
        self.splitter.addWidget(self.plots)
        self.splitter.addWidget(self.rep_table)
        self.splitter.setSizes([230, 440, 220])
        body = QHBoxLayout()
        body.addWidget(self.splitter, 1)
        body.addWidget(self._build_settings())
        layout.addLayout(body, 1)

        transport = QHBoxLayout()
        self.play_button = QPushButton("Play")
        self.play_button.clicked.connect(self.toggle_play)
        self.speed_box = QComboBox()
        for s in SPEEDS:
            self.speed_box.addItem(f"{s:g}x", s)
        self.speed_box.currentIndexChanged.connect(
            lambda i: self.set_speed(self.speed_box.itemData(i))
        )
        self.timeline = QSlider(Qt.Orientation.Horizontal)
        self.timeline.setObjectName("timeline")
        self.timeline.valueChanged.connect(
            lambda v: self.seek(self._t0 + v / SLIDER_STEPS_PER_S, from_slider=True)
        )
        self.time_label = QLabel("0:00.0 / 0:00.0")
        transport.addWidget(self.play_button)
        transport.addWidget(self.speed_box)
        transport.addWidget(self.timeline, 1)
        transport.addWidget(self.time_label)
        layout.addLayout(transport)
        self.setCentralWidget(central)

        tb = self.addToolBar("Replay")
        tb.setObjectName("replayToolbar")
        tb.setMovable(False)
        self.actions: dict[str, QAction] = {}
        for key, text, shortcut, slot in (
            ("open", "Open…", "Ctrl+O", self.choose_and_open),
            ("play", "Play / pause", "Space", self.toggle_play),
            ("png", "Export plots (PNG)…", "Ctrl+P", self._ask_export_png),
            ("csv", "Export reps (CSV)…", "Ctrl+E", self._ask_export_csv),
            ("close", "Close", "Ctrl+W", self.close),
        ):
            action = QAction(f"{text}  [{shortcut}]", self)
            action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            tb.addAction(action)
            self.actions[key] = action

    def _build_settings(self) -> QWidget:
        box = QGroupBox("Analysis settings")
        box.setMaximumWidth(300)
        form = QFormLayout(box)
        self.mount_box = QComboBox()
        for text, value in (("detect", None), ("bar", "bar"), ("hips", "hips")):
            self.mount_box.addItem(text, value)
        self.rest_spin = QDoubleSpinBox(suffix=" s", minimum=5.0, maximum=600.0, value=20.0)
        self.hold_spin = QDoubleSpinBox(suffix=" s", minimum=0.0, maximum=10.0, value=3.0)
        self.hold_spin.setSpecialValueText("none")
        self.hold_spin.setSingleStep(0.5)
        self.calibration_check = QCheckBox("apply the session's calibration")
        self.calibration_check.setChecked(True)
        self.reanalyse_button = QPushButton("Re-analyse")
        self.reanalyse_button.clicked.connect(lambda: self.reanalyse(self.settings_from_form()))
        form.addRow("Mount", self.mount_box)
        form.addRow("Set ends after rest", self.rest_spin)
        form.addRow("Hold target", self.hold_spin)
        form.addRow(self.calibration_check)
        form.addRow(self.reanalyse_button)
        self.summary = QLabel("", objectName="replaySummary")
        self.summary.setWordWrap(True)
        form.addRow(self.summary)
        return box

    # -- opening and analysing -------------------------------------------------------------
    def choose_and_open(self) -> None:
        """Ask for a library session or an exported file, then open it."""
        ref = choose_recording(self, self.data_dir)
        if ref:
            self.open_ref(ref)

    def open_ref(self, ref: str, settings: ReplaySettings | None = None) -> None:
        """Load session ``ref`` (library id or file path) and analyse it in the background
        (with ``settings``, by default the session's own mount and first hold target); the
        session on screen stays until the new one is ready."""
        self._start(ref, None, settings)

    def reanalyse(self, settings: ReplaySettings) -> None:
        """Analyse the open session again with other settings."""
        if self.block is None:
            return
        self._start(self.ref, (self.block, self.meta), settings)

    def settings_from_form(self) -> ReplaySettings:
        hold = self.hold_spin.value()
        return ReplaySettings(
            mount=self.mount_box.currentData(),
            set_rest_s=self.rest_spin.value(),
            hold_target_s=hold if hold > 0 else None,
            use_calibration=self.calibration_check.isChecked(),
        )

    def cancel_analysis(self) -> None:
        if self._progress is not None:
            self._progress.cancel()

    def _start(self, ref: str | None, loaded, settings: ReplaySettings | None) -> None:
        self.cancel_analysis()
        progress = self._progress = Progress()
        data_dir, loader = self.data_dir, self._loader

        def job():
            block, meta = loaded if loaded is not None else loader(ref, data_dir)
            if not len(block):
                raise InputError(f"session {ref} holds no samples: nothing to replay")
            chosen = settings or _session_settings(meta)
            result = analyse_recording(block, chosen, progress, meta.get("calibration"))
            return None if result is None else (ref, block, meta, result)

        self.pause()
        self.clear_notice()
        self.progress.setValue(0)
        self.busy.show()
        self._progress_timer.start()
        task = self._task = BackgroundTask(job, self)
        task.done.connect(lambda result: self._on_analysed(task, result))
        task.error.connect(lambda message: self._on_failed(task, message))

    def _show_progress(self) -> None:
        if self._progress is not None:
            self.progress.setValue(round(self._progress.share * 100))

    def _finish_task(self, task: BackgroundTask) -> bool:
        """True if ``task`` is the current job (an older, replaced one is ignored)."""
        if task is not self._task:
            return False
        self._task = None
        self._progress_timer.stop()
        self.busy.hide()
        return True

    def _on_failed(self, task: BackgroundTask, message: str) -> None:
        if self._finish_task(task):
            self.show_notice(f"Cannot replay: {message}")

    def _on_analysed(self, task: BackgroundTask, result) -> None:
        if not self._finish_task(task):
            return
        if result is None:
            self.show_notice("Analysis cancelled: the session on screen is unchanged.")
            return
        self.ref, self.block, self.meta, self.analysis = result
        self._load_views()

    def _load_views(self) -> None:
        analysis, meta = self.analysis, self.meta
        self._event_times = np.array([e.t_s for e in analysis.events])
        self.set_model.set_plan(*_targets_of(meta.get("sets") or []))
        self.calibration_check.setEnabled(bool(meta.get("calibration")))
        s = analysis.settings
        self.mount_box.setCurrentIndex(max(0, self.mount_box.findData(s.mount)))
        self.rest_spin.setValue(s.set_rest_s)
        self.hold_spin.setValue(s.hold_target_s or 0.0)
        self._t0, self._t1 = float(self.block.t[0]), float(self.block.t[-1])
        self.timeline.blockSignals(True)
        self.timeline.setRange(0, round((self._t1 - self._t0) * SLIDER_STEPS_PER_S))
        self.timeline.blockSignals(False)
        self.title.setText(_title(self.ref, meta, analysis))
        self.summary.setText(_summary(analysis))
        self._set_ready(True)
        self._shown_s = math.inf  # forces a rewind
        self.seek(self._t0)

    def _set_ready(self, ready: bool) -> None:
        for w in (self.play_button, self.speed_box, self.timeline, self.reanalyse_button):
            w.setEnabled(ready)
        for key in ("play", "png", "csv"):
            self.actions[key].setEnabled(ready)
        if not ready:
            self._t0 = self._t1 = 0.0

    # -- playback --------------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def play(self) -> None:
        if self.analysis is None:
            return
        if self.playhead_s >= self._t1:
            self.seek(self._t0)
        self._last_tick = self._clock()
        self._timer.start()
        self.play_button.setText("Pause")

    def pause(self) -> None:
        self._timer.stop()
        self.play_button.setText("Play")

    def toggle_play(self) -> None:
        self.pause() if self.playing else self.play()

    def set_speed(self, speed: float) -> None:
        """Playback speed: 1, 2 or 4 times real time."""
        self.speed = float(speed)
        index = self.speed_box.findData(self.speed)
        if index >= 0 and index != self.speed_box.currentIndex():
            self.speed_box.setCurrentIndex(index)

    def _on_tick(self) -> None:
        now = self._clock()
        step = (now - self._last_tick) * self.speed
        self._last_tick = now
        self.advance(step)

    def advance(self, seconds: float) -> None:
        """Move the playhead on by ``seconds`` of device time (pauses at the end)."""
        target = min(self._t1, self.playhead_s + seconds)
        self.seek(target)
        if target >= self._t1:
            self.pause()

    def seek(self, t_s: float, *, from_slider: bool = False) -> None:
        """Show the recording up to device time ``t_s`` (clamped to the recording)."""
        if self.analysis is None:
            return
        t_s = min(max(t_s, self._t0), self._t1)
        if t_s < self._shown_s:
            self._rewind()
        self.playhead_s = t_s
        upto = int(np.searchsorted(self._event_times, t_s, side="right"))
        events = self.analysis.events[self._applied : upto]
        self._applied = upto
        self.set_model.apply(events)
        for event in events:
            if isinstance(event, RepCompleted):
                self.plots.add_rep(event.rep)
        self._shown_s = t_s
        self._redraw()
        if not from_slider:
            self.timeline.blockSignals(True)
            self.timeline.setValue(round((t_s - self._t0) * SLIDER_STEPS_PER_S))
            self.timeline.blockSignals(False)
        self.time_label.setText(
            f"{_clock_text(t_s - self._t0)} / {_clock_text(self._t1 - self._t0)}"
        )

    def _rewind(self) -> None:
        self.set_model.rewind()
        self._applied = 0
        self.plots.forget_reps()

    def _redraw(self) -> None:
        trace = self.analysis.trace
        hi = int(np.searchsorted(trace.t, self.playhead_s, side="right"))
        lo = int(np.searchsorted(trace.t, self.playhead_s - 1.5 * WINDOW_S))
        snapshot = {c: getattr(trace, c)[lo:hi] for c in TRACE_COLUMNS}
        self.plots.refresh(snapshot, self.set_model)
        self.big_numbers.refresh(self.set_model, self.playhead_s)
        self.rep_table.refresh()

    # -- exports ---------------------------------------------------------------------------
    def export_plots_png(self, path: str | Path) -> None:
        """Save the plots as they are on screen to a PNG file."""
        if not self.plots.grab().save(str(path), "PNG"):
            raise InputError(f"could not write {path}: check the folder and its permissions")

    def export_reps_csv(self, path: str | Path) -> int:
        """Write the analysed reps (SI units, empty = not measured); returns the row count."""
        reps = [] if self.analysis is None else self.analysis.reps
        with atomic_output(Path(path), "w") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(RepMetrics.field_names())
            for rep in reps:
                writer.writerow("" if v is None else repr(v) for v in rep.to_dict().values())
        return len(reps)

    def _ask_export_png(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export plots", "replay.png", "PNG (*.png)")
        if path:
            self._report(lambda: self.export_plots_png(path), f"Plots saved to {path}")

    def _ask_export_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export reps", "reps.csv", "CSV (*.csv)")
        if path:
            self._report(lambda: self.export_reps_csv(path), f"Reps saved to {path}")

    def _report(self, action: Callable[[], object], done: str) -> None:
        try:
            action()
        except SensorError as exc:
            self.show_notice(str(exc))
            return
        self.show_notice(done)

    # -- notices ---------------------------------------------------------------------------
    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()

    def clear_notice(self) -> None:
        self.notice.clear()
        self.notice.hide()

    def closeEvent(self, event) -> None:
        self.cancel_analysis()
        self.pause()
        super().closeEvent(event)


def choose_recording(parent: QWidget, data_dir: str | None) -> str | None:
    """A library session id or an exported file path chosen by the user, or None."""
    from_file = "Open an exported session file…"
    items = [from_file]
    ids = []
    try:
        with Library.open(data_dir) as library:
            for s in library.list_sessions():
                ids.append(str(s.id))
                who = s.athlete or "no athlete"
                items.append(
                    f"{s.id} · {s.started_at[:16].replace('T', ' ')} · {who} · {s.rep_count} reps"
                )
    except SensorError as exc:
        items[0] = f"{from_file} (library unavailable: {exc})"
    item, ok = QInputDialog.getItem(parent, "Replay", "Session:", [*items[1:], items[0]], 0, False)
    if not ok:
        return None
    if item in items[1:]:
        return ids[items.index(item) - 1]
    path, _ = QFileDialog.getOpenFileName(parent, "Session file", "", "All files (*)")
    return path or None


def _session_settings(meta: dict) -> ReplaySettings:
    """The settings the session was recorded with, as far as it knows them."""
    first = _targets_of(meta.get("sets") or [])[0]
    mount = meta.get("mount") if meta.get("mount") in ("bar", "hips") else None
    return ReplaySettings(mount=mount, hold_target_s=first.hold_s)


def _targets_of(sets: list[dict]) -> tuple[SetTargets, list[SetTargets]]:
    """The set targets stored with the session (defaults when there are none)."""
    targets = [_one_target(s) for s in sets] or [SetTargets()]
    return targets[0], targets[1:]


def _one_target(entry: dict) -> SetTargets:
    t = entry.get("targets") or {}
    tempo = _parse_tempo(t.get("tempo"))
    defaults = SetTargets()
    return SetTargets(
        exercise=entry.get("exercise") or defaults.exercise,
        side=entry.get("side") or "both",
        reps=int(t.get("reps") or defaults.reps),
        hold_s=t.get("hold_s", defaults.hold_s),
        tempo_s=tempo,
        load_kg=float(entry.get("load_kg") or 0.0),
    )


def _parse_tempo(text) -> tuple[float, float, float, float] | None:
    try:
        parts = tuple(float(p) for p in str(text).split("-"))
    except ValueError:
        return None
    return parts if len(parts) == 4 else None


def _title(ref: str | None, meta: dict, analysis: ReplayAnalysis) -> str:
    where = f"session {meta['session_id']}" if meta.get("session_id") else f"file {ref}"
    started = (meta.get("started_at") or "")[:16].replace("T", " ")
    who = meta.get("athlete") or "no athlete"
    return (
        f"<b>Replay of {where}</b> · {started} UTC · {who} · mount {analysis.mount or '?'} · "
        f"{len(analysis.reps)} reps in {len(analysis.sets)} sets"
    )


def _summary(analysis: ReplayAnalysis) -> str:
    lines = [
        f"Set {s.index}: {s.rep_count} reps, range {s.mean_rom_m * 100:.0f} cm"
        + (f", hold {s.mean_hold_s:.1f} s" if math.isfinite(s.mean_hold_s) else "")
        for s in analysis.sets
    ]
    return "<br>".join(lines) or "no reps found"


def _clock_text(seconds: float) -> str:
    minutes, rest = divmod(max(0.0, seconds), 60.0)
    return f"{int(minutes)}:{rest:04.1f}"
