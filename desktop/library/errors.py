"""Typed errors of the session library, all SensorError subclasses.

Each message says what is wrong and what to check; the CLI prints it as one line, the app
shows it in the window.
"""

from __future__ import annotations

from sensors.errors import RecordingFormatError, SensorError


class LibraryError(SensorError):
    """The session library could not do what was asked."""


class LibraryLockedError(LibraryError):
    """Another process holds the library (or a session in it) and did not let go in time."""


class LibraryVersionError(LibraryError):
    """The library file was written by a newer hipthrust, or is not a hipthrust library."""


class LibraryWriteError(LibraryError):
    """Writing failed (disk full, write error); what was committed before is kept."""


class SessionNotFoundError(LibraryError):
    """No session, plan or record with the given id."""


class SessionFileError(RecordingFormatError):
    """An exported session file is truncated, damaged, not ours, or from a newer version."""
