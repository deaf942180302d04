"""Every live run is recorded into the session library, in the window's words.

``SessionRecording.open(folder)`` opens the library (recovering crashed sessions, which it
lists as notices) or, when the folder is unusable (read-only, locked, newer version), stays
off and says why. ``begin(uri)`` starts a session and its Recorder; ``feed(poll, model)``
passes the poll's blocks and events on (a set row begins at each SetStarted with the set's
targets); ``end()`` closes it. A write error stops recording without stopping the window.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from desktop.app.set_model import SetModel
from desktop.library import Library, Recorder
from sensors.errors import SensorError
from sensors.events import SetStarted


class SessionRecording:
    """Recording state for the window; ``status`` is one line for the status bar."""

    def __init__(self, library: Library | None, reason: str = "") -> None:
        self.library = library
        self.athlete: str | None = None
        """Name the sessions are recorded for (None: no athlete)."""
        self.recorder: Recorder | None = None
        self.session_id: int | None = None
        self.sessions: list[int] = []
        """Ids of the sessions recorded by this window, oldest first."""
        self.error = reason
        self.status = f"Recording: off ({reason})" if library is None else "Recording: ready"

    @classmethod
    def open(cls, folder: Path) -> tuple[SessionRecording, list[str]]:
        """The recording for the library in ``folder`` and the notices to show at start."""
        try:
            library = Library.open(folder)
        except (SensorError, OSError) as exc:
            reason = str(exc)
            return cls(None, reason), [f"Recording is off: {reason}"]
        notices = [
            f"Session {s.id} (started {s.started_at[:16].replace('T', ' ')} UTC) was recovered "
            f"after a crash: {s.sample_count} samples and {s.rep_count} reps kept."
            for s in library.recovered
        ]
        return cls(library), notices

    def begin(self, uri: str) -> None:
        """Start a new session for a run on ``uri`` (closing any open one first)."""
        self.end()
        if self.library is None:
            return
        try:
            self.session_id = self.library.create_session(source=uri, athlete=self.athlete)
            self.recorder = Recorder(self.library, self.session_id)
        except SensorError as exc:
            self._stop(str(exc))
            return
        self.sessions.append(self.session_id)
        self.status = f"Recording: session {self.session_id}"

    def feed(self, poll: Any, model: SetModel) -> None:
        """Queue one poll's samples and events (never blocks on the disk)."""
        if self.recorder is None:
            return
        try:
            for block in poll.blocks:
                self.recorder.add_block(block)
            for event in poll.events:  # in order: a set's row must exist before its reps
                if isinstance(event, SetStarted):
                    t = model.targets
                    targets = {
                        "reps": t.reps,
                        "reps_min": t.reps,
                        "reps_max": t.reps_max or t.reps,
                        "hold_s": t.hold_s,
                        "tempo": t.tempo_text(),
                    }
                    side = None if t.side == "both" else t.side
                    self.recorder.begin_set(t.exercise, side, t.load_kg or None, targets)
                else:
                    self.recorder.add_events((event,))
        except SensorError as exc:
            self._stop(str(exc))
            return
        self.status = (
            f"Recording: session {self.session_id}, {self.recorder.samples_written} samples saved"
        )

    def end(self) -> None:
        """Close the session in progress (it becomes 'complete' in the library)."""
        recorder, self.recorder = self.recorder, None
        if recorder is None:
            return
        try:
            recorder.close()
        except SensorError as exc:
            self._stop(str(exc))
            return
        self.status = f"Recording: session {self.session_id} saved"

    def close(self) -> None:
        """End any session and close the library."""
        self.end()
        if self.library is not None:
            self.library.close()
            self.library = None

    def _stop(self, reason: str) -> None:
        if self.recorder is not None:
            with contextlib.suppress(SensorError):  # the reason is known; committed data stays
                self.recorder.close()
            self.recorder = None
        self.error = reason
        self.status = f"Recording: stopped ({reason})"
