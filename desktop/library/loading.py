"""``load_recording``: the samples and facts of a session, by library id or session file.

Used by ``hipthrust analyze`` and replay: a session id (an integer string) is read from the
library in the data folder, a path from an exported session file (docs/formats.md).
"""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

from desktop.library import chunks, rows, transfer
from desktop.library.errors import SessionFileError
from desktop.library.store import Library
from sensors.errors import InputError
from sensors.samples import SampleBlock


def load_recording(ref: str, data_dir: str | None = None) -> tuple[SampleBlock, dict]:
    """(samples, meta) of session ``ref`` (id in the library at ``data_dir``, or the path of
    a session file holding one session).

    ``meta`` keys: session_id (None for a file), uuid, started_at, ended_at, status, athlete,
    source, mount, device, calibration (CalibrationRecord dict or None), sets, reps
    (list[RepMetrics] as stored), notes. Raises an InputError subclass for anything else.
    """
    ref = str(ref).strip()
    if ref.isdigit():
        with Library.open(data_dir) as library:
            session_id = int(ref)
            block = library.samples(session_id)
            meta = library.session_details(session_id)
            meta["reps"] = library.reps(session_id)
        return block, meta
    path = Path(ref)
    if not path.is_file():
        raise InputError(
            f"{ref!r} is neither a session id (see `hipthrust sessions list`) nor a file"
        )
    with closing(transfer.read_sessions(path)) as sessions:
        meta, entries = next(sessions)
        if next(sessions, None) is not None:
            raise SessionFileError(
                f"{path} holds several sessions: import it (`hipthrust sessions import`) and "
                "analyse them by id"
            )
    block = SampleBlock.concat(chunks.decode(c.blob, c.n) for c in entries)
    meta = {**meta, "session_id": None}
    meta["reps"] = [rows.rep_from_dict(r) for r in meta["reps"]]
    return block, meta
