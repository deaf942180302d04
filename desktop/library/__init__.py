"""The session library: sessions, sets, reps and raw samples in SQLite, crash-safe.

No Qt here. Open with ``Library.open(path_or_data_dir)``; record with ``Recorder``; move
sessions between stations with ``export_sessions``/``import_file``; load any session or
exported file for analysis with ``load_recording``.
"""

from desktop.library.errors import (
    LibraryError,
    LibraryLockedError,
    LibraryVersionError,
    LibraryWriteError,
    SessionFileError,
    SessionNotFoundError,
)
from desktop.library.loading import load_recording
from desktop.library.recorder import Recorder
from desktop.library.store import Library, SessionInfo
from desktop.library.transfer import export_sessions, import_file

__all__ = [
    "Library",
    "LibraryError",
    "LibraryLockedError",
    "LibraryVersionError",
    "LibraryWriteError",
    "Recorder",
    "SessionFileError",
    "SessionInfo",
    "SessionNotFoundError",
    "export_sessions",
    "import_file",
    "load_recording",
]
