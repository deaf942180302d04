"""Audible cues: a rep was counted, the hold target is reached, the set is over.

Plays resources/sounds/{rep,hold,set_end}.wav through QtMultimedia when it is installed (it is
not part of PySide6-Essentials, so it is imported lazily) and an audio output exists; otherwise
falls back to the system beep (1, 2 or 3 beeps) or to silence. ``status`` says which, in words
for the status bar. Never raises because of audio.
"""

from __future__ import annotations

import os
import pathlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QLoggingCategory, QObject, QTimer, QUrl
from PySide6.QtWidgets import QApplication

from desktop.resources import resource_path

CUES = ("rep", "hold", "set_end")
BEEPS = {"rep": 1, "hold": 2, "set_end": 3}
"""Beeps per cue when only the system beep is available: the count tells them apart."""


def import_multimedia() -> Any:
    """PySide6.QtMultimedia, or None when it is not installed or cannot load.

    Its start-up chatter (missing video-acceleration libraries, no PulseAudio server) is
    silenced unless the user set QT_LOGGING_RULES: the status bar says what sound does."""
    if "QT_LOGGING_RULES" not in os.environ:
        QLoggingCategory.setFilterRules("qt.multimedia*=false")
    try:
        from PySide6 import QtMultimedia
    except ImportError:
        return None
    return QtMultimedia


class SoundPlayer(QObject):
    """Plays cues by name; ``mode`` is ``"audio"``, ``"beep"`` or ``"silent"``."""

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        load_multimedia: Callable[[], Any] = import_multimedia,
        sounds_dir: pathlib.Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.muted = False
        self.played: list[str] = []
        """Every cue asked for since start, muted or not (the window's tests read it)."""
        self._effects: dict[str, Any] = {}
        sounds_dir = sounds_dir or resource_path("sounds")
        qtm = load_multimedia()
        if qtm is None:
            self.mode = "beep"
            self.status = "Sound: system beep (QtMultimedia is not installed)"
            return
        if not qtm.QMediaDevices.audioOutputs():
            self.mode = "silent"
            self.status = "Sound: off (no audio output device)"
            return
        missing = [c for c in CUES if not (sounds_dir / f"{c}.wav").is_file()]
        if missing:
            self.mode = "beep"
            names = ", ".join(f"{c}.wav" for c in missing)
            self.status = f"Sound: system beep (missing {names} in {sounds_dir})"
            return
        for cue in CUES:
            effect = qtm.QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(sounds_dir / f"{cue}.wav")))
            effect.setVolume(1.0)
            self._effects[cue] = effect
        self.mode = "audio"
        self.status = "Sound: on"

    def set_muted(self, muted: bool) -> None:
        self.muted = muted

    def play(self, cue: str) -> None:
        """Play one cue (``rep``, ``hold`` or ``set_end``) unless muted or silent."""
        self.played.append(cue)
        if self.muted or self.mode == "silent":
            return
        if self.mode == "audio":
            self._effects[cue].play()
            return
        for i in range(BEEPS[cue]):
            QTimer.singleShot(i * 180, self, QApplication.beep)
