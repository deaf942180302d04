"""Typed errors raised by the sensors package.

Every message says what is wrong and what to check. The library never prints, exits or
opens dialogs; callers (CLI, app) turn these into words for the user.
"""


class SensorError(Exception):
    """Base of every error hipthrust raises on purpose."""


class InputError(SensorError):
    """A file, option or value given by the user is not usable."""


class RecordingFormatError(InputError):
    """A recording file does not follow docs/formats.md."""


class ProtocolError(SensorError):
    """Bytes or a frame that do not follow docs/protocol.md."""


class ConnectionFailedError(SensorError):
    """A device could not be opened or reached."""


class ConnectionLostError(SensorError):
    """An open device stopped answering or was unplugged."""


class CalibrationError(SensorError):
    """A calibration step could not produce a usable result (wrong pose, too little data)."""


class SensorMovedError(CalibrationError):
    """The sensor moved during a calibration step that needs it lying still."""
